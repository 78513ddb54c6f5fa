"""Wide surveys: one row per unit, one column per question.

County offices collect coverage surveys of enterprises laid out the other way
round from a self-assessment: 企业名称 | 职工人数 | 是否建立工会 | 会员人数 |
是否建团 …, each row a unit. Such a sheet is found by its header: a unit-name
column and at least two columns whose headers are the pack's questions. Each
row then is a unit of its own, read into an Assessment with the cells of its
row as answers; the note on each says so.

Rows that hold no unit are told apart from units: a blank row is passed over,
a total or a sign-off line under the table (合计, 填表人：…) is not a unit,
and a row with answers but no unit name is listed in ``unnamed`` so whoever
reads the survey can say which rows were left out. A 所属镇 or 单位类型
column, when the survey has one, gives each unit its town and type.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePath

from checklist.codes import MatchMethod, NoteCode
from checklist.intake.headers import HEADER_SCAN_ROWS
from checklist.intake.matching import RowText, match_rows
from checklist.intake.unit import (
    label_field,
    match_unit_type,
    type_from_name,
    year_from_filename,
    year_from_titles,
)
from checklist.model import Answer, Assessment, IntakeNote, NoteLevel, RulePack, UnitInfo
from checklist.normalize import normalize_answer, raw_text
from checklist.patterns import lazy_compile
from checklist.records import record
from checklist.text import Text
from checklist.textnorm import clean
from checklist.workbook import Sheet, Workbook, cell_ref

_LEAST_QUESTIONS = 2
"""Columns that must be the pack's questions for a sheet to be a survey."""

# Lines under a survey's table that name no unit: its totals, its notes and
# who filled it in and when (合计, 注：…, 填表人：张三, 审核：…, 日期：…).
_NOT_A_UNIT = lazy_compile(
    r"^(?:合\s*计|总\s*计|小\s*计|共计|汇总|注|说明|备注|附注|填表说明|填报说明|total|sum|note)"
    r"|^(?:填表人|填报人|审核人|审核|负责人|单位负责人|统计人|联系人|联系电话|日期|填表日期|填报日期"
    r"|制表|制表人)\s*[:：]",
    re.IGNORECASE,
)


@record
class Survey:
    """Where a wide survey's header is and which column asks what."""

    sheet: Sheet
    """The sheet."""
    row: int
    """0-based header row."""
    name_col: int
    """Column of the unit names."""
    questions: tuple[tuple[int, str, MatchMethod, float], ...]
    """(column, rule id, how it was tied, confidence) of each column tied to a rule."""
    units: tuple[int, ...]
    """0-based rows holding a unit."""
    unnamed: tuple[int, ...] = ()
    """0-based rows with answers but no unit name: left out, and said so."""
    town_col: int | None = None
    """Column of each unit's town (所属镇/街道), when the survey has one."""
    type_col: int | None = None
    """Column of each unit's type (单位类型), when the survey has one."""

    @property
    def rows(self) -> int:
        """Rows that are units or look like one (answers without a name)."""
        return len(self.units) + len(self.unnamed)


def find_survey(workbook: Workbook, pack: RulePack) -> Survey | None:
    """The first visible sheet laid out as a survey of units, or None."""
    for sheet in workbook.sheets:
        if not sheet.visible:
            continue
        for row in range(min(HEADER_SCAN_ROWS, len(sheet.rows))):
            survey = _survey_at(sheet, row, pack)
            if survey is not None:
                return survey
    return None


def _survey_at(sheet: Sheet, row: int, pack: RulePack) -> Survey | None:
    cells = sheet.rows[row]
    fields = {c: label_field(v) for c, v in enumerate(cells)}
    name_col = next((c for c, f in fields.items() if f == "name"), None)
    if name_col is None:
        return None
    town_col = next((c for c, f in fields.items() if f == "town"), None)
    type_col = next((c for c, f in fields.items() if f == "type"), None)
    asked = [
        (c, clean(v))
        for c, v in enumerate(cells)
        if c not in (name_col, town_col, type_col) and isinstance(v, str) and v
    ]
    matches = match_rows([RowText(i, "", text) for i, (_, text) in enumerate(asked)], pack)
    questions = tuple(
        (asked[m.index][0], m.rule_id, m.method, m.confidence) for m in matches if m.rule_id
    )
    if len(questions) < _LEAST_QUESTIONS:
        return None
    units: list[int] = []
    unnamed: list[int] = []
    for r in range(row + 1, len(sheet.rows)):
        # A total or a sign-off line may start in any column (合计 under 序号).
        first = next((t for v in sheet.rows[r] if (t := clean(raw_text(v)))), "")
        if not first or _NOT_A_UNIT.match(first):
            continue
        if clean(raw_text(sheet.value(r, name_col))):
            units.append(r)
        elif any(clean(raw_text(sheet.value(r, col))) for col, *_ in questions):
            unnamed.append(r)
    if not units and not unnamed:
        return None
    return Survey(sheet, row, name_col, questions, tuple(units), tuple(unnamed), town_col, type_col)


def survey_units(survey: Survey) -> tuple[str, ...]:
    """The unit names down the survey's name column."""
    return tuple(clean(raw_text(survey.sheet.value(r, survey.name_col))) for r in survey.units)


def survey_assessments(
    survey: Survey, workbook: Workbook, pack: RulePack
) -> tuple[Assessment, ...]:
    """One Assessment per unit row of ``survey``."""
    return tuple(survey_rows(survey, workbook, pack))


def survey_rows(survey: Survey, workbook: Workbook, pack: RulePack) -> Iterator[Assessment]:
    """One Assessment per unit row of ``survey``, in row order, each made when asked for.

    A survey of thousands of units is read one unit at a time, so whoever
    scores them never holds them all.
    """
    sheet = survey.sheet
    found_year = year_from_titles([(sheet, survey.row)]) or year_from_titles(
        [(sheet, survey.row)], dates=True
    )
    year = int(found_year.value) if found_year else year_from_filename(workbook.source)
    for row, name in zip(survey.units, survey_units(survey), strict=True):
        yield _unit_at(survey, row, name, year, workbook, pack)


def _unit_at(
    survey: Survey, row: int, name: str, year: int | None, workbook: Workbook, pack: RulePack
) -> Assessment:
    sheet = survey.sheet
    where = cell_ref(row, survey.name_col)
    notes = [
        IntakeNote(
            NoteLevel.info,
            NoteCode.survey_row,
            Text(
                f"“{sheet.name}”表是每行一个单位的调查表，“{name}”按第 {row + 1} 行读取。",
                f"Sheet '{sheet.name}' is a survey with one unit per row; '{name}' was read "
                f"from row {row + 1}.",
            ),
            sheet=sheet.name,
            cell=where,
        )
    ]
    answers: dict[str, Answer] = {}
    for col, rule_id, method, confidence in survey.questions:
        rule = pack.rule(rule_id)
        raw = sheet.value(row, col)
        asked = clean(raw_text(sheet.value(survey.row, col)))
        read = normalize_answer(raw, rule.answer, f"{asked}，{rule.indicator.zh}")
        cell = cell_ref(row, col)
        notes.extend(
            IntakeNote(n.level, n.code, n.message, sheet.name, cell, rule.id) for n in read.notes
        )
        answers[rule_id] = Answer(
            state=read.state,
            value=read.value,
            raw=raw_text(raw),
            cell=f"{sheet.name}!{cell}",
            match_method=method,
            match_confidence=confidence,
        )
    if not any(clean(raw_text(sheet.value(row, col))) for col, *_ in survey.questions):
        # A unit listed with nothing filled in is still a unit of the survey;
        # it is scored as one without answers, and the roll-up flags it.
        notes.append(
            IntakeNote(
                NoteLevel.warning,
                NoteCode.survey_row,
                Text(
                    f"调查表第 {row + 1} 行只有单位名称“{name}”，没有填写任何答案，各项按未填报计。",
                    f"Row {row + 1} of the survey names '{name}' but answers nothing; every "
                    "answer counts as missing.",
                ),
                sheet=sheet.name,
                cell=where,
            )
        )
    town = clean(raw_text(sheet.value(row, survey.town_col))) if survey.town_col is not None else ""
    typed = (
        clean(raw_text(sheet.value(row, survey.type_col))) if survey.type_col is not None else ""
    )
    unit_type = (match_unit_type(typed, pack) if typed else None) or type_from_name(name, pack)
    unit = UnitInfo(name=name, type=unit_type, year=year, town=town)
    return Assessment(
        unit=unit,
        answers=answers,
        notes=tuple(notes),
        source=PurePath(workbook.source).name,
    )
