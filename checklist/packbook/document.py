"""A loaded pack as the nested mappings of its YAML files, and those files written out.

The document is canonical: keys in the built-in pack's order, defaults left
out (``veto: false``, ``evidence: optional``), whole numbers without ``.0``.
So two packs that score the same give the same document, whatever files or
workbook they came from.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from checklist.codes import ErrorCode
from checklist.errors import ChecklistError
from checklist.model import AnswerType, Rule, RulePack
from checklist.output import write_atomically
from checklist.records import record
from checklist.rulepack import CHECKS_FILE, CONCEPTS_FILE, PACK_FILE
from checklist.text import Text

Doc = dict[str, Any]

MARK = "# Written by checklist rules import"
"""First line of every file ``rules import`` writes: such a folder may be written again."""


@record
class PackDocument:
    """A pack as its YAML files hold it."""

    pack: Doc
    """``pack.yaml``: settings, unit types, areas, grades."""
    rules: tuple[Doc, ...]
    """Every rule, in the pack's order."""
    checks: tuple[Doc, ...]
    """``checks.yaml``."""
    concepts: tuple[Doc, ...] = ()
    """``concepts.yaml``."""


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _text(text: Text | None) -> Doc | None:
    return None if text is None else {"zh": text.zh, "en": text.en}


def _drop_empty(doc: Doc) -> Doc:
    return {
        k: v
        for k, v in doc.items()
        if not (v is None or v is False or (isinstance(v, list | dict) and not v))
    }


def _word_meaning(rule: Rule, value: object) -> object:
    if value is None:
        return "na"
    if rule.answer.type is AnswerType.yesno and isinstance(value, bool):
        return "yes" if value else "no"
    return _num(value) if isinstance(value, int | float) else value


def rule_document(rule: Rule) -> Doc:
    """One rule as its YAML mapping."""
    spec = rule.answer
    answer = _drop_empty(
        {
            "type": spec.type.value,
            "unit": spec.unit,
            "choices": [
                _drop_empty(
                    {
                        "id": c.id,
                        "zh": c.label.zh,
                        "en": c.label.en,
                        "credit": _num(c.credit),
                        "aliases": list(c.aliases),
                    }
                )
                for c in spec.choices
            ],
            "numerator": spec.numerator,
            "denominator": spec.denominator,
            "expect": None if spec.expect else "no",
            "words": {word: _word_meaning(rule, value) for word, value in spec.words},
        }
    )
    deduct = rule.deduction
    return _drop_empty(
        {
            "id": rule.id,
            "area": rule.area,
            "org": rule.org.value,
            "indicator": _text(rule.indicator),
            "aliases": list(rule.aliases),
            "guidance": _text(rule.guidance),
            "answer": answer,
            "points": _num(rule.points),
            "bands": {str(b.condition): _num(b.credit) for b in rule.bands},
            "deduct": None
            if deduct is None
            else {
                "target": str(deduct.target),
                "per": _num(deduct.per),
                "points": _num(deduct.points),
            },
            "severity": rule.severity.value,
            "veto": rule.veto,
            "bonus": rule.bonus,
            "evidence": "required" if rule.evidence_required else None,
            "na_allowed": rule.na_allowed,
            "applies_to": list(rule.applies_to),
            "applies_if": None if rule.applies_if is None else str(rule.applies_if),
            "since": rule.since,
            "finding": _text(rule.finding),
            "recommendation": _text(rule.recommendation),
            "source": rule.source,
        }
    )


def pack_document(pack: RulePack) -> PackDocument:
    """The whole pack as its YAML files hold it.

    An area's ``points`` is always written as the sum of its non-bonus rules, so
    a change of one rule's points in the workbook is caught unless the subtotal
    is changed with it, as on a printed form.
    """
    header = _drop_empty(
        {
            "id": pack.id,
            "version": pack.version,
            "title": _text(pack.title),
            "description": _text(pack.description),
            "veto_cap": pack.veto_cap,
            "bonus_cap": _num(pack.bonus_cap),
            "unsupported_credit": _num(pack.unsupported_credit),
            "ratio_tolerance": _num(pack.ratio_tolerance),
            "unit_types": [
                _drop_empty({"id": t.id, "title": _text(t.title), "synonyms": list(t.synonyms)})
                for t in pack.unit_types
            ],
            "areas": [
                _drop_empty(
                    {
                        "id": a.id,
                        "title": _text(a.title),
                        "description": _text(a.description),
                        "points": _num(
                            sum(r.points for r in pack.rules if r.area == a.id and not r.bonus)
                        ),
                    }
                )
                for a in pack.areas
            ],
            "grades": [
                {"id": g.id, "min": _num(g.min), "title": _text(g.title)} for g in pack.grades
            ],
        }
    )
    checks = tuple(
        _drop_empty(
            {
                "id": c.id,
                "when": None if c.when is None else str(c.when),
                "assert": str(c.assertion),
                "message": _text(c.message),
            }
        )
        for c in pack.checks
    )
    concepts = tuple(
        {"id": c.id, "terms": list(c.terms), "source": c.source} for c in pack.concepts
    )
    return PackDocument(header, tuple(rule_document(r) for r in pack.rules), checks, concepts)


# --- YAML -------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Block style with lists indented under their key, as the built-in pack is written."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _dump(data: object) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=10_000,
    )


def yaml_files(document: PackDocument, source: str) -> dict[str, str]:
    """File name → YAML text: ``pack.yaml``, one ``<area>.yaml`` per area, ``checks.yaml``."""
    head = f"{MARK} from {source}.\n"
    files = {PACK_FILE: head + _dump(document.pack)}
    for area in document.pack["areas"]:
        rules = [r for r in document.rules if r["area"] == area["id"]]
        if rules:
            files[f"{area['id']}.yaml"] = head + "\n".join(_dump([rule]) for rule in rules)
    if document.checks:
        files[CHECKS_FILE] = head + "\n".join(_dump([check]) for check in document.checks)
    if document.concepts:
        files[CONCEPTS_FILE] = head + "\n".join(_dump([c]) for c in document.concepts)
    return files


def write_yaml_pack(document: PackDocument, folder: Path, source: Path) -> tuple[Path, ...]:
    """Write the pack's YAML files into ``folder`` (created if missing); returns the files.

    A folder that holds anything is written only when ``rules import`` wrote it
    before; then its YAML files are replaced and the ones no longer needed
    removed. ``source`` (the workbook) is never touched.
    """
    if folder.exists() and not folder.is_dir():
        raise ChecklistError(
            Text(
                f"无法写入 {folder}：它是一个文件，不是文件夹。请用 -o 指定一个文件夹。",
                f"Cannot write {folder}: it is a file, not a folder. Give -o a folder.",
            ),
            code=ErrorCode.output_exists,
        )
    if folder.is_dir() and any(folder.iterdir()) and not _ours(folder / PACK_FILE):
        raise ChecklistError(
            Text(
                f"文件夹 {folder} 不是空的，也不是 checklist 导入生成的规则包，未写入。"
                "请用 -o 指定一个新的或空的文件夹。",
                f"The folder {folder} is not empty and is not a pack checklist imported; "
                "nothing was written. Give -o a new or empty folder.",
            ),
            code=ErrorCode.output_exists,
        )
    files = yaml_files(document, source.name)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ChecklistError(
            Text(
                f"无法创建文件夹 {folder}（{exc.strerror}）。请换一个位置。",
                f"Cannot create the folder {folder} ({exc.strerror}). Choose another place.",
            ),
            code=ErrorCode.output_unwritable,
        ) from None
    written = tuple(
        write_atomically(folder / name, _writer(text), (source,), replace_any=True)
        for name, text in files.items()
    )
    for stale in folder.glob("*.yaml"):
        if stale.name not in files and _ours(stale):
            stale.unlink()
    return written


def _writer(text: str) -> Callable[[Path], None]:
    def write(temp: Path) -> None:
        temp.write_text(text, encoding="utf-8")

    return write


def _ours(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8") as handle:
            return handle.readline().startswith(MARK)
    except (OSError, UnicodeDecodeError):
        return False


# --- rows -------------------------------------------------------------------------------


def get_path(doc: Doc, key: str) -> object:
    """The value at dotted ``key`` (None when absent)."""
    value: object = doc
    for part in key.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def section_rows(document: PackDocument, section: str) -> tuple[Doc, ...]:
    """The items of one workbook table: ``rules``, ``choices``, ``checks``, ``areas``…"""
    if section == "rules":
        return document.rules
    if section == "checks":
        return document.checks
    if section == "concepts":
        return document.concepts
    if section == "choices":
        return tuple(
            {"rule": rule["id"], **choice}
            for rule in document.rules
            for choice in rule["answer"].get("choices", ())
        )
    return tuple(document.pack.get(section, ()))
