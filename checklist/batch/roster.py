"""The county's roster of units, and tying each submission to one of them.

A form names its unit the way its secretary writes it (城厢镇东林村村委会,
東林村, 华东精密); the roster names it once. A submission is tied to a roster
unit by the project's unit identity rules (:func:`checklist.identity.unit_key`
and :func:`~checklist.identity.same_key`: suffixes, division prefixes and
traditional script dropped), with the town in the form, the folder names and
the file name as further evidence. Two roster units are never merged and a
submission is never forced onto one: when several fit, or none, it is listed
with its closest candidates.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from checklist.codes import ErrorCode
from checklist.errors import ChecklistError
from checklist.identity import same_key, town_hint, town_key, unit_key
from checklist.layout import UNIT_FIELDS
from checklist.model import RulePack, UnitInfo
from checklist.records import record
from checklist.text import Text
from checklist.textnorm import match_key

if TYPE_CHECKING:
    from checklist.workbook import Sheet

_HEADERS: dict[str, tuple[str, ...]] = {
    "name": (
        "单位名称",
        "单位全称",
        "单位",
        "名称",
        "基层单位",
        "村社区名称",
        "企业名称",
        "学校名称",
        "name",
        "unit",
        "unitname",
    ),
    "town": (
        "所属镇街道",
        "所属镇街",
        "镇街道",
        "镇街",
        "所属镇",
        "所属街道",
        "所属乡镇",
        "乡镇街道",
        "乡镇",
        "镇",
        "街道",
        "区镇",
        "town",
    ),
    "type": ("单位类型", "单位性质", "类型", "类别", "type", "unittype"),
    "contact": ("联系人", "联系人姓名", "负责人", "填报人", "contact"),
    "phone": ("联系电话", "电话", "手机", "手机号码", "手机号", "联系方式", "phone", "telephone"),
}
_TOTAL_ROWS = frozenset({"合计", "小计", "总计", "total"})
_FORM_HEADERS = frozenset(
    match_key(w)
    for w in (
        "自评填报",
        "自评情况",
        "自评得分",
        "自评分",
        "自查情况",
        "自查得分",
        "佐证材料",
        "证明材料",
        "指标",
        "考核内容",
        "考核项目",
        "考核标准",
        "评分标准",
        "answer",
        "self-score",
        "evidence",
        "indicator",
    )
)
"""Column heads of a self-assessment form: a roster has none of them."""
_FORM_SIGNS = 3
"""Rule ids or indicators a sheet must show before it is taken for a form, not a roster."""
_SCAN_ROWS = 60
"""Rows of each sheet looked at for signs of a form (a form shows them near its top)."""
_SHORT_NAME = 3
"""A name key shorter than this (新村) is too short to stand for a longer one."""


@record
class RosterUnit:
    """One unit on the roster."""

    row: int
    """Its row in the roster file (1-based), for messages."""
    name: str
    """The name as the roster writes it."""
    town: str
    """Its town or street as written ('' when the roster has none)."""
    type: str | None
    """The pack's unit-type id, from the type column or the name."""
    contact: str
    """Contact person."""
    phone: str
    """Contact phone."""
    key: str
    """:func:`unit_key` of the name."""
    town_key: str
    """:func:`town_key` of the town (or the town written in the name)."""


@record
class Roster:
    """The units expected to submit."""

    source: str
    """The roster file's name."""
    units: tuple[RosterUnit, ...]
    """In roster order."""


def _bad_roster(path: Path, zh: str, en: str) -> ChecklistError:
    return ChecklistError(
        Text(f"名单 {path.name}：{zh}", f"Roster {path.name}: {en}"), code=ErrorCode.bad_roster
    )


def read_roster(path: Path, pack: RulePack) -> Roster:
    """Read a roster (xlsx/xls/ods/csv) whose columns are found by their header words."""
    from checklist.intake.unit import match_unit_type, type_from_name
    from checklist.preflight import preflight
    from checklist.workbook import read_workbook

    preflight(path)
    book = read_workbook(path)
    if any(_looks_like_form(sheet, pack) for sheet in book.sheets if sheet.visible):
        raise _not_a_roster(path, form=True)
    for sheet in (s for s in book.sheets if s.visible):
        found = _header(sheet.rows[:30])
        if found is None:
            continue
        head_row, columns = found
        if _labels_down_a_column(sheet, head_row, columns["name"]):
            raise _not_a_roster(path, form=False)
        units: list[RosterUnit] = []
        for number, cells in enumerate(sheet.rows[head_row + 1 :], start=head_row + 2):

            def cell(
                role: str, cells: tuple[object, ...] = cells, columns: dict[str, int] = columns
            ) -> str:
                col = columns.get(role)
                value = cells[col] if col is not None and col < len(cells) else None
                return "" if value is None else str(value).strip()

            name = cell("name")
            if not name or match_key(name) in _TOTAL_ROWS or not unit_key(name):
                continue
            town = cell("town")
            typed = cell("type")
            kind = (match_unit_type(typed, pack) if typed else None) or type_from_name(name, pack)
            units.append(
                RosterUnit(
                    row=number,
                    name=name,
                    town=town,
                    type=kind,
                    contact=cell("contact"),
                    phone=cell("phone"),
                    key=unit_key(name),
                    town_key=town_key(town) if town else town_hint(name),
                )
            )
        if units:
            return Roster(path.name, tuple(units))
    raise _bad_roster(
        path,
        "找不到单位名称列或名单为空。请在表头写“单位名称”，可加“所属镇（街道）”“单位类型”“联系人”“联系电话”。",
        "no unit-name column, or no units under it. Head the column 单位名称 (unit name); "
        "所属镇（街道）, 单位类型, 联系人 and 联系电话 may follow.",
    )


def _not_a_roster(path: Path, *, form: bool) -> ChecklistError:
    what = (
        Text("这是一份自评表（或空白模板）", "this is a self-assessment form (or a blank template)")
        if form
        else Text("这是一个单位的单位信息表", "this is one unit's details sheet")
    )
    return ChecklistError(
        Text(
            f"--roster 给的 {path.name} 不是单位名单：{what.zh}。名单是每行一个单位的表格，"
            "表头有“单位名称”，可加“所属镇（街道）”“单位类型”“联系人”“联系电话”。",
            f"--roster {path.name} is not a roster: {what.en}. A roster lists one unit per row "
            "under a header row with 单位名称 (unit name), optionally 所属镇（街道） (town), "
            "单位类型 (type), 联系人 (contact) and 联系电话 (phone).",
        ),
        code=ErrorCode.roster_is_form,
    )


def _looks_like_form(sheet: Sheet, pack: RulePack) -> bool:
    """Whether ``sheet`` is a self-assessment form: rule ids, the pack's indicators or form heads."""
    ids = set(pack.rules_by_id)
    indicators = {
        match_key(text): rule.id
        for rule in pack.rules
        for text in (rule.indicator.zh, rule.indicator.en, *rule.aliases)
    }
    indicators.pop("", None)
    seen: set[str] = set()
    for cells in sheet.rows[:_SCAN_ROWS]:
        texts = [str(c).strip() for c in cells if isinstance(c, str) and c.strip()]
        heads = {match_key(t) for t in texts if len(t) <= 12} & _FORM_HEADERS
        if len(heads) >= 2:
            return True
        for text in texts:
            if text.upper() in ids:
                seen.add(text.upper())
            elif len(text) >= 4 and (rule_id := indicators.get(match_key(text))):
                seen.add(rule_id)
        if len(seen) >= _FORM_SIGNS:
            return True
    return False


def _labels_down_a_column(sheet: Sheet, head_row: int, col: int) -> bool:
    """Whether the 单位名称 found heads a column of labels (单位类型, 年度 …): a unit's details.

    A roster writes its header words across one row and unit names below them;
    the 单位信息 sheet of a form writes one label per row with its value to the right.
    """
    labels = {match_key(w) for words in _HEADERS.values() for w in words}
    labels |= {match_key(t) for _, label in UNIT_FIELDS for t in (label.zh, label.en)}
    below = [
        sheet.value(row, col) for row in range(head_row + 1, min(head_row + 8, len(sheet.rows)))
    ]
    return sum(1 for v in below if isinstance(v, str) and match_key(v) in labels) >= 2


def _header(rows: Iterable[tuple[object, ...]]) -> tuple[int, dict[str, int]] | None:
    for index, cells in enumerate(rows):
        columns: dict[str, int] = {}
        for col, value in enumerate(cells):
            if value is None:
                continue
            key = match_key(str(value))
            for role, words in _HEADERS.items():
                if role in columns:
                    continue
                if any(key == match_key(w) for w in words) or (
                    len(key) <= 12 and any(key.startswith(match_key(w)) for w in words[:2])
                ):
                    columns[role] = col
                    break
        if "name" in columns:
            return index, columns
    return None


# --- matching -------------------------------------------------------------------------


@record
class Match:
    """Which roster unit a submission is (or the candidates it could be)."""

    unit: RosterUnit | None
    """The one roster unit it is, or None."""
    candidates: tuple[RosterUnit, ...] = ()
    """When it is none: the units that fit equally (ambiguous) or come closest (unknown)."""
    ambiguous: bool = False
    """Several roster units fit and nothing told them apart."""


def match_unit(
    roster: Roster,
    unit: UnitInfo,
    shown: str,
    folders: tuple[str, ...],
    *,
    names_from_file: bool = True,
) -> Match:
    """The roster unit a form of ``unit`` (file ``shown`` under ``folders``) belongs to.

    Names are tried in order of trust: the form's own, then the file name,
    then the folder names (not when ``names_from_file`` is false: a survey's
    row is one of many units of its file). The form's town (or a town written
    in its name) rules candidates out; a town in the folder or file name only
    breaks ties.
    """
    from checklist.intake.unit import name_from_filename

    form_town = town_key(unit.town) if unit.town.strip() else town_hint(unit.name)
    file_name = name_from_filename(shown.rsplit("/", 1)[-1])
    hints = {t for t in (town_key(f) for f in (*folders, file_name)) if t}
    hints |= {town_hint(file_name)} - {""}
    names = [unit.name, file_name, *reversed(folders)] if names_from_file else [unit.name]
    tied: tuple[RosterUnit, ...] = ()
    for name in names:
        key = unit_key(name) if name else ""
        if not key:
            continue
        fitting = [
            u for u in roster.units if _fits(u, unit.type, form_town) and same_key(key, u.key)
        ]
        if not fitting and len(key) >= _SHORT_NAME:
            # A short name (华东精密) stands for a long one only when one unit alone fits.
            fitting = [
                u
                for u in roster.units
                if _fits(u, unit.type, form_town)
                and len(u.key) >= _SHORT_NAME
                and (key in u.key or u.key in key)
            ]
        if len(fitting) > 1 and hints:
            placed = [u for u in fitting if u.town_key in hints]
            fitting = placed or fitting
        if len(fitting) == 1:
            return Match(fitting[0])
        if len(fitting) > 1 and not tied:
            tied = tuple(fitting)
    if tied:
        return Match(None, tied, ambiguous=True)
    return Match(None, closest(roster, unit.name or (file_name if names_from_file else "")))


def _fits(candidate: RosterUnit, unit_type: str | None, town: str) -> bool:
    if unit_type and candidate.type and unit_type != candidate.type:
        return False
    return not (town and candidate.town_key and town != candidate.town_key)


def closest(roster: Roster, name: str, limit: int = 3) -> tuple[RosterUnit, ...]:
    """The roster units whose names come closest to ``name`` (never a match, only a hint)."""
    from rapidfuzz import fuzz

    key = unit_key(name)
    if not key:
        return ()
    scored = sorted(
        ((fuzz.ratio(key, u.key), -i, u) for i, u in enumerate(roster.units)),
        key=lambda item: (item[0], item[1]),
        reverse=True,
    )
    return tuple(u for score, _, u in scored[:limit] if score >= 50)
