"""Wide surveys: one row per unit, one column per question.

County offices collect coverage surveys of enterprises laid out the other way
round from a self-assessment: 企业名称 | 职工人数 | 是否建立工会 | 会员人数 |
是否建团 …, each row a unit. Such a sheet is found by its header: a unit-name
column and at least two columns whose headers are the pack's questions. Each
row then is a unit of its own, read into an Assessment with the cells of its
row as answers; the note on each says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from checklist.codes import MatchMethod, NoteCode
from checklist.intake.headers import HEADER_SCAN_ROWS
from checklist.intake.matching import RowText, match_rows
from checklist.intake.unit import label_field, type_from_name, year_from_filename, year_from_titles
from checklist.model import Answer, Assessment, IntakeNote, NoteLevel, RulePack, UnitInfo
from checklist.normalize import normalize_answer, raw_text
from checklist.text import Text
from checklist.textnorm import clean
from checklist.workbook import Sheet, Workbook, cell_ref

_LEAST_QUESTIONS = 2
"""Columns that must be the pack's questions for a sheet to be a survey."""


@dataclass(frozen=True, slots=True)
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
    name_col = next((c for c, v in enumerate(cells) if label_field(v) == "name"), None)
    if name_col is None:
        return None
    asked = [
        (c, clean(v)) for c, v in enumerate(cells) if c != name_col and isinstance(v, str) and v
    ]
    matches = match_rows([RowText(i, "", text) for i, (_, text) in enumerate(asked)], pack)
    questions = tuple(
        (asked[m.index][0], m.rule_id, m.method, m.confidence) for m in matches if m.rule_id
    )
    units = tuple(
        r for r in range(row + 1, len(sheet.rows)) if clean(raw_text(sheet.value(r, name_col)))
    )
    if len(questions) < _LEAST_QUESTIONS or not units:
        return None
    return Survey(sheet, row, name_col, questions, units)


def survey_units(survey: Survey) -> tuple[str, ...]:
    """The unit names down the survey's name column."""
    return tuple(clean(raw_text(survey.sheet.value(r, survey.name_col))) for r in survey.units)


def survey_assessments(
    survey: Survey, workbook: Workbook, pack: RulePack
) -> tuple[Assessment, ...]:
    """One Assessment per unit row of ``survey``."""
    sheet = survey.sheet
    found_year = year_from_titles([(sheet, survey.row)]) or year_from_titles(
        [(sheet, survey.row)], dates=True
    )
    year = int(found_year.value) if found_year else year_from_filename(workbook.source)
    assessments = []
    for row, name in zip(survey.units, survey_units(survey), strict=True):
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
                cell=cell_ref(row, survey.name_col),
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
                IntakeNote(n.level, n.code, n.message, sheet.name, cell, rule.id)
                for n in read.notes
            )
            answers[rule_id] = Answer(
                state=read.state,
                value=read.value,
                raw=raw_text(raw),
                cell=f"{sheet.name}!{cell}",
                match_method=method,
                match_confidence=confidence,
            )
        unit = UnitInfo(name=name, type=type_from_name(name, pack), year=year)
        assessments.append(
            Assessment(
                unit=unit,
                answers=answers,
                notes=tuple(notes),
                source=PurePath(workbook.source).name,
            )
        )
    return tuple(assessments)
