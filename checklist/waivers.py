"""Waivers (豁免): agreed exceptions read from a workbook or YAML file, and chosen per unit.

A waivers file is untrusted input: it is read in full and refused with every
problem listed (sheet and cell, or YAML key). Once read, :func:`for_unit`
chooses the waivers that hold for one unit and year under one pack; each one it
leaves out gets a note saying why (expired, not yet approved for that year, a
rule the pack does not have, a veto rule not named as one). Pure apart from
:func:`load_waivers`, which reads the file.

A waiver lifts a veto (一票否决) rule only when its 豁免否决项 / veto column says
是 / yes: the approver states in writing that the veto itself is waived, so a
waiver written for an ordinary rule never lifts a veto by accident.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from checklist.codes import ErrorCode, NoteCode
from checklist.errors import ChecklistError
from checklist.identity import same_unit
from checklist.model import (
    Assessment,
    IntakeNote,
    NoteLevel,
    Result,
    RulePack,
    UnitInfo,
    Waiver,
)
from checklist.patterns import lazy_compile
from checklist.records import record
from checklist.text import Text
from checklist.yaml_errors import yaml_syntax_text

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".et")
YAML_SUFFIXES = (".yaml", ".yml")
SHEET = Text("豁免清单", "Waivers")
#: A row whose first cell starts with one of these explains the columns (the template's 说明 row).
NOTE_ROW_PREFIXES = ("说明", "note")


@record
class Column:
    """One column of the waivers table."""

    key: str
    """The YAML key, and the field it fills."""
    title: Text
    """Header in the workbook (either language is read)."""
    note: Text
    """What to write (the template's 说明 row)."""
    required: bool = True
    """A blank cell is a problem."""


COLUMNS: tuple[Column, ...] = (
    Column(
        "unit",
        Text("单位名称", "Unit"),
        Text("说明：单位全称，与自评表一致，如“城厢镇东林村”", "Note: the unit's full name"),
    ),
    Column(
        "town",
        Text("所属镇（街道）", "Town"),
        Text("可不填；同名单位须填", "Optional; needed when two units share a name"),
        required=False,
    ),
    Column("rule", Text("规则编号", "Rule"), Text("如 LIFE-03", "e.g. LIFE-03")),
    Column("reason", Text("豁免理由", "Reason"), Text("经谁同意、因何豁免", "Why, as agreed")),
    Column("approved_by", Text("批准人", "Approved by"), Text("单位与姓名", "Office and name")),
    Column(
        "approved_on",
        Text("批准日期", "Approved on"),
        Text("如 2024-11-20", "e.g. 2024-11-20"),
    ),
    Column(
        "expires_on",
        Text("有效期至", "Expires on"),
        Text("须至少到所评年度年底", "Must last to the assessed year's end"),
    ),
    Column(
        "veto",
        Text("豁免否决项", "Lifts veto"),
        Text("否决项须选“是”才豁免", "A veto rule is waived only with yes"),
        required=False,
    ),
)
_KEYS = tuple(c.key for c in COLUMNS)
_YES = frozenset({"是", "yes", "y", "true", "√", "✓", "✔", "1"})
_NO = frozenset({"", "否", "no", "n", "false", "×", "✗", "0"})
_DATE = lazy_compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


@record
class WaiverFile:
    """The waivers read from one file."""

    source: str
    """The file's name."""
    waivers: tuple[Waiver, ...]
    """Every waiver, in file order."""


# --- reading -----------------------------------------------------------------------


def load_waivers(path: Path) -> WaiverFile:
    """Read and check the waivers file at ``path``; raise listing every problem."""
    path = Path(path)
    suffix = path.suffix.lower()
    problems: list[Text] = []
    if suffix in YAML_SUFFIXES:
        entries = _yaml_entries(path, problems)
    elif suffix in WORKBOOK_SUFFIXES:
        entries = _workbook_entries(path, problems)
    else:
        raise ChecklistError(
            Text(
                f"豁免清单 {path} 须为 .xlsx 工作簿或 .yaml 文件（可用 checklist waivers template 生成）。",
                f"The waivers file {path} must be an .xlsx workbook or a .yaml file "
                "('checklist waivers template' writes one).",
            ),
            code=ErrorCode.bad_waivers,
        )
    waivers = [w for w in (_waiver(e, problems) for e in entries) if w is not None]
    seen: dict[tuple[str, str, str], str] = {}
    for waiver in waivers:
        key = (waiver.unit, waiver.town, waiver.rule_id)
        if key in seen:
            problems.append(
                Text(
                    f"{waiver.where}：{waiver.unit} 的 {waiver.rule_id} 已在 {seen[key]} 豁免过，"
                    "同一单位同一规则只写一行",
                    f"{waiver.where}: {waiver.rule_id} of {waiver.unit} is already waived at "
                    f"{seen[key]}; one row per unit and rule",
                )
            )
        seen.setdefault(key, waiver.where)
    if problems:
        raise ChecklistError(
            Text(
                f"豁免清单 {path} 有 {len(problems)} 处问题，未使用。请逐条改正后重新运行：",
                f"The waivers file {path} has {len(problems)} problem(s) and was not used. "
                "Fix each of these and run again:",
            ),
            details=tuple(problems),
            code=ErrorCode.bad_waivers,
        )
    return WaiverFile(path.name, tuple(waivers))


@record
class _Entry:
    """One waiver as written: each field's value and where it was written."""

    where: str
    """The row (``豁免清单!A5``) or item (``waivers[2]``)."""
    values: Mapping[str, tuple[object, str]]
    """Field key → (value as read, cell or key it came from)."""


def _yaml_entries(path: Path, problems: list[Text]) -> list[_Entry]:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        said = yaml_syntax_text(str(path), exc)
        raise ChecklistError(
            Text(f"豁免清单 {said.zh}。", f"Waivers file {said.en}."),
            code=ErrorCode.bad_waivers,
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ChecklistError(
            Text(
                f"无法读取豁免清单 {path}（{type(exc).__name__}）；须为 UTF-8 编码的 YAML。",
                f"Cannot read the waivers file {path} ({type(exc).__name__}); it must be "
                "UTF-8 YAML.",
            ),
            code=ErrorCode.bad_waivers,
        ) from None
    items = data.get("waivers") if isinstance(data, dict) else None
    if not isinstance(items, list) or (isinstance(data, dict) and set(data) != {"waivers"}):
        problems.append(
            Text(
                "文件须为“waivers:”下的豁免列表（每项含 unit、rule、reason 等键）",
                "the file must hold a list under 'waivers:' (each with unit, rule, reason, …)",
            )
        )
        return []
    entries = []
    for index, item in enumerate(items):
        where = f"waivers[{index}]"
        if not isinstance(item, dict):
            problems.append(Text(f"{where}：须为映射（键: 值）", f"{where}: must be a mapping"))
            continue
        for key in item:
            if key not in _KEYS:
                problems.append(
                    Text(
                        f"{where}.{key}：未知的键，只能是 {', '.join(_KEYS)}",
                        f"{where}.{key}: unknown key; use {', '.join(_KEYS)}",
                    )
                )
        values = {k: (item[k], f"{where}.{k}") for k in _KEYS if k in item}
        entries.append(_Entry(where, values))
    return entries


def _workbook_entries(path: Path, problems: list[Text]) -> list[_Entry]:
    from checklist.workbook import cell_ref, read_workbook

    book = read_workbook(path)
    for sheet in book.sheets:
        for header_row in range(min(10, len(sheet.rows))):
            columns = _header_columns(sheet.rows[header_row])
            if "unit" in columns and "rule" in columns:
                break
        else:
            continue
        for column in COLUMNS:
            if column.required and column.key not in columns:
                problems.append(
                    Text(
                        f"{sheet.name}!A{header_row + 1}：表头缺少“{column.title.zh}”列",
                        f"{sheet.name}!A{header_row + 1}: the header has no '{column.title.en}' "
                        "column",
                    )
                )
        entries = []
        for row in range(header_row + 1, len(sheet.rows)):
            cells = sheet.rows[row]
            first = str(cells[0] or "").strip().lower() if cells else ""
            if first.startswith(NOTE_ROW_PREFIXES) or all(_blank(c) for c in cells):
                continue
            values = {
                key: (sheet.value(row, col), f"{sheet.name}!{cell_ref(row, col)}")
                for key, col in columns.items()
            }
            entries.append(_Entry(f"{sheet.name}!A{row + 1}", values))
        return entries
    problems.append(
        Text(
            "找不到豁免表：须有一行表头含“单位名称”和“规则编号”（可用 checklist waivers template 生成）",
            "no waivers table: a header row with 'Unit' and 'Rule' is needed "
            "('checklist waivers template' writes one)",
        )
    )
    return []


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _header_columns(cells: Sequence[object]) -> dict[str, int]:
    titles = {}
    for column in COLUMNS:
        titles[_plain(column.title.zh)] = column.key
        titles[_plain(column.title.en)] = column.key
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = titles.get(_plain(str(cell or "")))
        if key is not None and key not in found:
            found[key] = index
    return found


def _plain(text: str) -> str:
    return re.sub(r"[\s*（）()]", "", text).lower()


def _waiver(entry: _Entry, problems: list[Text]) -> Waiver | None:
    before = len(problems)

    def text(key: str) -> str:
        value, where = entry.values.get(key, (None, f"{entry.where}.{key}"))
        column = next(c for c in COLUMNS if c.key == key)
        shown = "" if _blank(value) else str(value).strip()
        if column.required and not shown:
            problems.append(
                Text(
                    f"{where}：“{column.title.zh}”不能为空",
                    f"{where}: '{column.title.en}' must not be blank",
                )
            )
        return shown

    def date(key: str) -> dt.date | None:
        value, where = entry.values.get(key, (None, f"{entry.where}.{key}"))
        column = next(c for c in COLUMNS if c.key == key)
        if _blank(value):
            problems.append(
                Text(
                    f"{where}：“{column.title.zh}”不能为空，须为日期，如 2024-11-20",
                    f"{where}: '{column.title.en}' must be a date such as 2024-11-20",
                )
            )
            return None
        parsed = _date(value)
        if parsed is None:
            problems.append(
                Text(
                    f"{where}：“{column.title.zh}”须为日期，如 2024-11-20，现为“{value}”",
                    f"{where}: '{column.title.en}' must be a date such as 2024-11-20, not '{value}'",
                )
            )
        return parsed

    unit, town, rule = text("unit"), text("town"), text("rule")
    reason, approved_by = text("reason"), text("approved_by")
    approved_on, expires_on = date("approved_on"), date("expires_on")
    veto_value, veto_where = entry.values.get("veto", (None, ""))
    veto_text = "" if _blank(veto_value) else str(veto_value).strip().lower()
    if isinstance(veto_value, bool):
        veto_text = "yes" if veto_value else "no"
    if veto_text not in _YES | _NO:
        problems.append(
            Text(
                f"{veto_where}：“豁免否决项”只能填“是”或“否”，现为“{veto_value}”",
                f"{veto_where}: 'Lifts veto' must be yes or no, not '{veto_value}'",
            )
        )
    if approved_on is not None and expires_on is not None and expires_on < approved_on:
        _, where = entry.values["expires_on"]
        problems.append(
            Text(
                f"{where}：有效期至 {expires_on.isoformat()} 早于批准日期 {approved_on.isoformat()}",
                f"{where}: expires on {expires_on.isoformat()}, before it was approved "
                f"({approved_on.isoformat()})",
            )
        )
    if len(problems) > before or approved_on is None or expires_on is None:
        return None
    return Waiver(
        unit=unit,
        rule_id=rule.upper(),
        reason=reason,
        approved_by=approved_by,
        approved_on=approved_on,
        expires_on=expires_on,
        veto=veto_text in _YES,
        town=town,
        where=entry.where,
    )


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = _DATE.match(str(value))
    if match is None:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


# --- choosing ------------------------------------------------------------------------


def names_unit(waiver: Waiver, unit: UnitInfo) -> bool:
    """Whether ``waiver`` names ``unit`` (by :func:`checklist.identity.same_unit`)."""
    return same_unit(UnitInfo(waiver.unit, None, None, town=waiver.town), unit)


def for_unit(
    waivers: Iterable[Waiver], unit: UnitInfo, pack: RulePack, year: int | None
) -> tuple[tuple[Waiver, ...], tuple[IntakeNote, ...]]:
    """The waivers that hold for ``unit`` in its year (``year`` when the form names none), and
    a note for each one naming the unit that is ignored, saying why.

    A waiver holds for an assessment year when it lasts to that year's end and
    the year is not before :func:`first_year`.
    """
    year = unit.year if unit.year is not None else year
    chosen: list[Waiver] = []
    notes: list[IntakeNote] = []
    for waiver in waivers:
        if not names_unit(waiver, unit):
            continue
        head = Text(
            f"豁免清单 {waiver.where}（{waiver.rule_id}）未采用：",
            f"Waiver {waiver.where} ({waiver.rule_id}) not used: ",
        )
        rule = pack.rules_by_id.get(waiver.rule_id)
        why: tuple[NoteCode, Text] | None = None
        if rule is None:
            why = (
                NoteCode.waiver_unknown_rule,
                Text(
                    f"规则包 {pack.id} {pack.version} 中没有规则 {waiver.rule_id}。",
                    f"rule pack {pack.id} {pack.version} has no rule {waiver.rule_id}.",
                ),
            )
        elif year is not None and waiver.expires_on < dt.date(year, 12, 31):
            why = (
                NoteCode.waiver_expired,
                Text(
                    f"已于 {waiver.expires_on.isoformat()} 到期，未覆盖到 {year} 年底。",
                    f"it expired on {waiver.expires_on.isoformat()}, before the end of {year}.",
                ),
            )
        elif year is not None and year < first_year(waiver):
            why = (
                NoteCode.waiver_not_yet,
                Text(
                    f"{waiver.approved_on.isoformat()} 才批准，不追溯到 {year} 年度。",
                    f"it was approved on {waiver.approved_on.isoformat()} and does not reach "
                    f"back to {year}.",
                ),
            )
        elif rule.veto and not waiver.veto:
            why = (
                NoteCode.waiver_veto_not_named,
                Text(
                    f"{waiver.rule_id} 是否决项，豁免否决项须明确填“是”；否决仍然有效。",
                    f"{waiver.rule_id} is a veto rule and the waiver does not say it lifts the "
                    "veto (Lifts veto: yes); the veto stands.",
                ),
            )
        if why is None:
            chosen.append(waiver)
            continue
        code, reason = why
        notes.append(
            IntakeNote(
                NoteLevel.warning,
                code,
                Text(head.zh + reason.zh, head.en + reason.en),
                rule_id=waiver.rule_id,
            )
        )
    return tuple(chosen), tuple(notes)


SEASON_MONTHS = 3
"""A waiver approved in January to March may cover the year just ended: its forms are
scored then."""


def first_year(waiver: Waiver) -> int:
    """The first assessment year ``waiver`` covers: the year it was approved, or the year
    before when it was approved in the first months, while that year's forms are scored.
    A waiver never reaches further back."""
    approved = waiver.approved_on
    return approved.year - 1 if approved.month <= SEASON_MONTHS else approved.year


def unknown_units(waivers: Iterable[Waiver], units: Sequence[UnitInfo]) -> tuple[IntakeNote, ...]:
    """A note for each waiver naming none of ``units`` (the units of a batch or roster)."""
    return tuple(
        IntakeNote(
            NoteLevel.warning,
            NoteCode.waiver_unknown_unit,
            Text(
                f"豁免清单 {w.where}（{w.unit} {w.rule_id}）未采用：没有这个单位的自评。",
                f"Waiver {w.where} ({w.unit} {w.rule_id}) not used: no assessment of that unit.",
            ),
            rule_id=w.rule_id,
        )
        for w in waivers
        if not any(names_unit(w, unit) for unit in units)
    )


def note_other_units(result: Result, waivers: Sequence[Waiver]) -> Result:
    """``result`` with one note saying which of ``waivers`` name other units (one unit scored).

    A county keeps one waivers file for all its units, so most entries are for
    others; said once, not per entry, so that a waiver meant for this unit but
    spelt so that it names none is seen rather than silently left out.
    """
    others = [w for w in waivers if not names_unit(w, result.unit)]
    if not others:
        return result
    names = list(dict.fromkeys(w.unit for w in others))
    shown_zh = "、".join(names[:5]) + ("等" if len(names) > 5 else "")
    shown_en = ", ".join(names[:5]) + (" …" if len(names) > 5 else "")
    note = IntakeNote(
        NoteLevel.warning,
        NoteCode.waiver_unknown_unit,
        Text(
            f"豁免清单中有 {len(others)} 条是其他单位的（{shown_zh}），不是本单位"
            f"“{result.unit.name}”的，未采用；若其中有本单位的豁免，请核对单位名称和所属镇。",
            f"{len(others)} waiver(s) in the file name other units ({shown_en}), not "
            f"'{result.unit.name}': not used. If one is meant for this unit, check its unit "
            "name and town.",
        ),
    )
    return replace(result, notes=(*result.notes, note))


def score_waived(
    assessment: Assessment, pack: RulePack, year: int | None, waivers: Iterable[Waiver]
) -> Result:
    """``assessment`` scored under ``pack`` with the ``waivers`` that hold for it, and a note
    for each one naming the unit that does not."""
    from checklist.scoring import score

    chosen, notes = for_unit(waivers, assessment.unit, pack, year)
    result = score(assessment, pack, year, chosen)
    return replace(result, notes=result.notes + notes) if notes else result
