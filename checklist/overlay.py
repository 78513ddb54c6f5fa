"""Local packs that extend a base pack and list only their changes (overlays).

An overlay's ``pack.yaml`` says ``extends: BASE`` (a built-in pack id, or a
pack folder relative to the overlay) and gives its own ``id``, ``version`` and
``title``; any other pack key it gives replaces the base's, and ``unit_types``,
``areas`` and ``grades`` entries are merged by id (fields given replace the
base's, a new id is added). Each item of its rule files and ``checks.yaml``
either names a base rule or check by id (the fields given replace the base's;
``disabled: true`` switches it off) or is a complete local one.

The merge acts on the parsed files before any validation
(:class:`checklist.rulepack.RawPack`), so the merged pack is checked exactly as
strictly as any other. The base is validated on its own first, so a problem in
the base is named in the base; every problem left in the merged pack is the
overlay's doing and is named under the overlay file (and key) that caused it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from checklist.errors import ChecklistError
from checklist.model import RulePack
from checklist.patterns import lazy_compile
from checklist.records import record
from checklist.rulepack import (
    PACK_FILE,
    Problem,
    RawItem,
    RawPack,
    build_pack,
    pack_refused,
    read_pack,
    resolve_pack,
    validate_pack,
)
from checklist.text import Text

EXTENDS = "extends"
DISABLED = "disabled"
#: Keys an overlay's pack.yaml must give itself: a local pack is never mistaken for its base.
_OWN_KEYS = ("id", "version", "title")
#: pack.yaml sections merged entry by entry, by id.
_BY_ID = ("unit_types", "areas", "grades")


def extends(raw: RawPack) -> str | None:
    """The base an overlay names in its pack.yaml, or None for a pack of its own."""
    if isinstance(raw.pack, dict):
        base = raw.pack.get(EXTENDS)
        if base is not None:
            return str(base)
    return None


def load_overlay(raw: RawPack) -> RulePack:
    """The overlay ``raw`` merged into its base and validated; raise listing every problem."""
    pack, problems = merged_overlay(raw)
    if problems or pack is None:
        raise pack_refused(raw.folder, problems)
    return pack


def merged_overlay(raw: RawPack) -> tuple[RulePack | None, list[Problem]]:
    """The overlay ``raw`` merged into its base, and every problem with the merged pack, each
    named under the overlay file (or workbook cell) that caused it.

    The base is loaded first and refused on its own (its problems named in it).
    ``extends`` is the base's id or folder, optionally followed by the version the
    overlay was made against (``grassroots 2026.2``), which is for people only.
    """
    spec = extends(raw)
    assert spec is not None
    base_spec = spec.split()[0] if spec.split() else spec
    base_raw = read_pack(_base_folder(base_spec, Path(raw.folder)))
    if extends(base_raw) is not None:
        raise ChecklistError(
            Text(
                f"规则包 {raw.folder} 的基础规则包 {base_spec} 本身也是扩展包；"
                f"请直接扩展它所基于的规则包（{extends(base_raw)}）。",
                f"The base {base_spec} of rule pack {raw.folder} is itself an overlay; extend "
                f"the pack it is based on ({extends(base_raw)}) instead.",
            )
        )
    base = build_pack(base_raw)
    merged, origins = merge(base_raw, raw)
    # Problems found while merging already name their overlay file; validation's are renamed.
    pack, found = validate_pack(replace(merged, problems=()))
    problems = [*merged.problems, *(_named_in_overlay(p, origins) for p in found)]
    if pack is None:
        return None, problems
    return replace(pack, base=f"{base.id} {base.version}"), problems


def _base_folder(spec: str, overlay: Path) -> Path:
    # An overlay folder names its base beside it; a workbook, beside the workbook.
    here = overlay if overlay.is_dir() else overlay.parent
    if spec.lower().endswith((".xlsx", ".xlsm", ".xls", ".ods", ".et")):
        raise ChecklistError(
            Text(
                f"{overlay} 的基础规则包 {spec} 是工作簿；基础规则包须为规则包文件夹或内置规则包，"
                "请先用 checklist rules import 转为文件夹。",
                f"The base {spec} of {overlay} is a workbook; a base must be a pack folder or a "
                "built-in pack: turn it into a folder with 'checklist rules import' first.",
            )
        )
    local = here / spec
    return resolve_pack(local.resolve() if local.is_dir() else spec)


@record
class Origins:
    """Which overlay file touched what, for naming a merged pack's problems."""

    items: dict[str, str]
    """``rule LEAD-01`` / ``check CHK-02`` → overlay file that changed, added or switched it off."""
    switched_off: dict[str, str]
    """Rule or check id switched off → the overlay file that did it."""


def merge(base: RawPack, overlay: RawPack) -> tuple[RawPack, Origins]:
    """``overlay`` applied to ``base``: the raw pack to validate, and who changed what."""
    problems = list(overlay.problems)
    pack = _merged_pack(base.pack, overlay.pack, problems)
    items: dict[str, str] = {}
    switched_off: dict[str, str] = {}
    rules = _merged_items(base.rules, overlay.rules, "rule", items, switched_off, problems)
    checks = _merged_items(base.checks, overlay.checks, "check", items, switched_off, problems)
    merged = RawPack(
        overlay.folder,
        pack,
        rules,
        checks,
        base.rule_files + overlay.rule_files,
        tuple(problems),
        # A local vocabulary replaces the base's whole; most overlays keep the base's.
        overlay.concepts if overlay.concepts is not None else base.concepts,
    )
    return merged, Origins(items, switched_off)


def _merged_pack(base: object, overlay: object, problems: list[Problem]) -> object:
    if not isinstance(base, dict) or not isinstance(overlay, dict):
        return overlay
    for key in _OWN_KEYS:
        if key not in overlay:
            problems.append(
                Problem(
                    PACK_FILE,
                    "pack",
                    key,
                    None,
                    Text(
                        "扩展包须写明自己的 id、version 和 title（不沿用基础规则包的）",
                        "an overlay gives its own id, version and title (not the base's)",
                    ),
                )
            )
    if overlay.get("id") is not None and overlay.get("id") == base.get("id"):
        problems.append(
            Problem(
                PACK_FILE,
                "pack",
                "id",
                overlay["id"],
                Text(
                    "扩展包的 id 须与基础规则包不同，否则历史记录会把两者混为一谈",
                    "an overlay's id must differ from its base's, or history would mix the two",
                ),
            )
        )
    merged = {key: value for key, value in base.items() if key != "description"}
    for key, value in overlay.items():
        if key == EXTENDS:
            continue
        if key in _BY_ID and isinstance(value, list) and isinstance(base.get(key), list):
            merged[key] = _merged_entries(base[key], value)
        else:
            merged[key] = value
    grades = merged.get("grades")
    if isinstance(grades, list) and all(_has_number(g, "min") for g in grades):
        # Grades are listed highest first; a changed or added band falls into its place.
        merged["grades"] = sorted(grades, key=lambda g: -float(g["min"]))
    return merged


def _has_number(entry: object, key: str) -> bool:
    return isinstance(entry, dict) and isinstance(entry.get(key), int | float)


def _merged_entries(base: list[object], overlay: list[object]) -> list[object]:
    merged = list(base)
    where = {e["id"]: i for i, e in enumerate(merged) if isinstance(e, dict) and "id" in e}
    for entry in overlay:
        index = where.get(entry["id"]) if isinstance(entry, dict) and "id" in entry else None
        if index is None:
            merged.append(entry)
        else:
            old = merged[index]
            assert isinstance(old, dict) and isinstance(entry, dict)
            merged[index] = {**old, **entry}
    return merged


def _merged_items(
    base: tuple[RawItem, ...],
    overlay: tuple[RawItem, ...],
    kind: str,
    items: dict[str, str],
    switched_off: dict[str, str],
    problems: list[Problem],
) -> tuple[RawItem, ...]:
    merged: dict[str, RawItem] = {item.owner: item for item in base}
    for item in overlay:
        data = item.data
        base_item = merged.get(item.owner)
        if isinstance(data, dict) and data.get(DISABLED) is True:
            if base_item is None:
                problems.append(_off_problem(item, kind))
                continue
            extra = sorted(str(k) for k in data if k not in ("id", DISABLED))
            if extra:
                problems.append(
                    Problem(
                        item.file,
                        item.owner,
                        extra[0],
                        data[extra[0]],
                        Text(
                            "停用（disabled: true）的条目只写 id 和 disabled",
                            "an entry switched off (disabled: true) gives only id and disabled",
                        ),
                    )
                )
            del merged[item.owner]
            items[item.owner] = item.file
            switched_off[str(data["id"])] = item.file
            continue
        if isinstance(data, dict) and DISABLED in data:
            problems.append(
                Problem(
                    item.file,
                    item.owner,
                    DISABLED,
                    data[DISABLED],
                    Text(
                        "只能写 disabled: true（停用基础规则包中的这一条）",
                        "only disabled: true (switch this base entry off) is allowed",
                    ),
                )
            )
            data = {k: v for k, v in data.items() if k != DISABLED}
        if item.owner in items:
            problems.append(
                Problem(
                    item.file,
                    item.owner,
                    "id",
                    item.owner.split(" ", 1)[-1],
                    Text(
                        f"扩展包中同一编号出现两次（{items[item.owner]} 中已有）",
                        f"the overlay names this id twice (already in {items[item.owner]})",
                    ),
                )
            )
            continue
        if base_item is not None and isinstance(base_item.data, dict) and isinstance(data, dict):
            data = {**base_item.data, **data}
        merged[item.owner] = RawItem(item.file, item.owner, data)
        items[item.owner] = item.file
    return tuple(merged.values())


def _off_problem(item: RawItem, kind: str) -> Problem:
    what = Text("规则", "rule") if kind == "rule" else Text("一致性检查", "check")
    return Problem(
        item.file,
        item.owner,
        DISABLED,
        True,
        Text(
            f"基础规则包中没有这条{what.zh}（或已停用），无从停用；请核对编号",
            f"the base has no such {what.en} (or it is already off); check the id",
        ),
    )


def _named_in_overlay(problem: Problem, origins: Origins) -> Problem:
    """``problem`` named under the overlay file that caused it.

    The base validated on its own, so whatever is wrong now the overlay did:
    its own item, a base item pointing at something it switched off, or a
    pack-level total its changes no longer add up to (named under its pack.yaml).
    """
    if problem.owner in origins.items:
        return replace(problem, file=origins.items[problem.owner])
    off_file = origins.switched_off.get(str(problem.value))
    if off_file is not None:
        return replace(
            problem,
            file=off_file,
            allowed=Text(
                f"{problem.value} 已在 {off_file} 中停用，而{problem.owner.replace('rule ', '规则 ').replace('check ', '检查 ')} "
                f"仍引用它；请同时停用或改写后者。",
                f"{problem.value} is switched off in {off_file} but {problem.owner} still refers "
                "to it; switch that off too or change it.",
            ),
        )
    changed = origins.items.get(f"rule {problem.value}")
    return replace(problem, file=changed or PACK_FILE)


_EXTENDS_LINE = lazy_compile(
    rb"""^extends[ \t]*:[ \t]*["']?([^"'\r\n#]+?)["']?[ \t]*(?:#.*)?$""", re.M
)


def base_named(folder: Path, pack_yaml: bytes | OSError) -> Path | None:
    """The base folder an overlay's pack.yaml names, from a quick look at its bytes (for the
    pack cache's key, before any YAML is parsed); None for a pack of its own or a base that
    cannot be found (validation says why)."""
    if isinstance(pack_yaml, OSError):
        return None
    match = _EXTENDS_LINE.search(pack_yaml)
    if match is None:
        return None
    spec = match.group(1).decode("utf-8", "replace").strip()
    try:
        return _base_folder(spec.split()[0] if spec.split() else spec, folder)
    except ChecklistError:
        return None
