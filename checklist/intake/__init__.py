"""Intake: a unit's workbook → an Assessment, with a note for every guess.

``read_assessment(path, pack)`` reads any workbook a unit sends: the
template made by ``checklist template`` (rows tied by rule id), or a retyped
form (header found by synonyms, rows tied by indicator text). Answers are
normalised by the rule's answer type; whatever could not be read becomes an
intake note with its sheet and cell and counts as missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from checklist.codes import ErrorCode, MatchMethod, NoteCode
from checklist.errors import ChecklistError
from checklist.intake.headers import Header, find_header, header_at, header_role
from checklist.intake.matching import RowMatch, RowText, match_rows, normalise_id, pack_keys
from checklist.intake.survey import (
    Survey,
    find_survey,
    survey_assessments,
    survey_rows,
    survey_units,
)
from checklist.intake.unit import (
    Found,
    match_unit_type,
    name_from_filename,
    name_from_titles,
    note,
    scan_unit_fields,
    type_from_name,
    year_from_filename,
    year_from_titles,
)
from checklist.layout import INSTRUCTIONS_SHEET, META_SHEET, RECORD_SHEET, UNIT_SHEET
from checklist.model import (
    Answer,
    AnswerSpec,
    AnswerState,
    AnswerType,
    Assessment,
    IntakeNote,
    NoteLevel,
    Rule,
    RulePack,
    UnitInfo,
    UnmatchedRow,
)
from checklist.normalize import Normalized, normalize_answer, parse_year, raw_text
from checklist.origin import MADE_TEXT, Made
from checklist.patterns import lazy_compile
from checklist.records import record
from checklist.text import Text
from checklist.textnorm import clean, match_key, quick_key, to_simplified
from checklist.workbook import CellValue, Sheet, Workbook, cell_ref

if TYPE_CHECKING:
    from checklist.form_record import FormRecord

__all__ = [
    "SurveyUnits",
    "assessment_from_workbook",
    "not_a_filled_form",
    "open_survey",
    "read_assessment",
    "read_survey",
    "read_units",
]

_SKIP_ROW = lazy_compile(
    r"^(?:合计|总计|小计|总分|得分合计|合 计|注|说明|备注|填表说明|填报说明|填写说明|评分说明|附注"
    r"|total|sum|note)"
)
# Sign-off lines under a table: 验收组意见：…, 考核组成员（签字）：, 审核人：, 日期：.
_SIGN_OFF = lazy_compile(
    r"^(?:[^,，。；;:：]{0,10}?(?:意见|签字|签名|盖章)\s*[)）]?\s*[:：]"
    r"|(?:审核人|审批人|考核人|验收人|检查人|填表人|填报人|日期|时间)\s*[:：])"
)
# A worked example the form gives before the real rows: 例 | 职工入会率 | 95%.
_EXAMPLE_ID = frozenset({"例", "示例", "样例", "举例", "例子", "填写示例", "eg", "e.g.", "example"})
_EXAMPLE_TEXT = lazy_compile(r"^(?:示例|样例|举例|填写示例|填表示例|例)\s*[:：]")
_NOT_A_ROW = lazy_compile(
    "|".join(f"(?:{p.pattern})" for p in (_SKIP_ROW, _SIGN_OFF, _EXAMPLE_TEXT))
)
# Remarks that are the form's scoring notes, not a unit's answer: 少1次扣1分, 未召开不得分.
_CRITERION_NOTE = lazy_compile(
    r"扣\s*[0-9.]*\s*分|不得分|[加减得]\s*[0-9.]+(?:\s*[、,，和或/-]\s*[0-9.]+)*\s*分|扣完为止|酌情"
)
# How a form words its own scoring rule (少1次扣1分, 未召开不得分, 获县、市、省级表彰分别
# 加1、3、5分), as against a unit noting its own deduction (召开3次，自评扣1分).
_FORM_RULE = lazy_compile(
    r"^(?:少|缺|未|无|每|超|低于|不足|不按|发现|否则|没有|凡|一项|有一项)|分别\s*[加扣减得]"
)
_YESNO = AnswerSpec(AnswerType.yesno)
_NO_REMARK = frozenset({"无", "暂无", "没有", "/", "-", "—", "——", "略", "无备注", "空"})
# Headers of a column the form fills itself (注: 少1次扣1分; 说明: 获县、市、省级表彰
# 分别加1、3、5分), as against 备注, which is the unit's.
_FORM_NOTES = frozenset({"注", "说明", "注释", "附注", "评分说明"})
_CLAIM_NUMBER = lazy_compile(r"-?\d+(?:\.\d+)?")
_CLAIM_DEDUCT = lazy_compile(r"扣\s*(\d+(?:\.\d+)?)\s*分")


def read_assessment(path: Path, pack: RulePack) -> Assessment:
    """Read a unit's workbook (any supported format) into an Assessment.

    A workbook checklist wrote other than the template (a gap report, a
    comparison, a trend, a roll-up, a pack workbook) is refused with a line
    naming what it is (code ``our_output``): it holds a unit's name, a year and
    indicator rows, and would otherwise be scored as a form.
    """
    from checklist.preflight import made_by
    from checklist.workbook import read_workbook

    workbook = read_workbook(Path(path))
    made = made_by(Path(path))
    if made is not None and made is not Made.template:
        what = MADE_TEXT[made]
        name = Path(path).name
        raise ChecklistError(
            Text(
                f"{name}：这是 checklist 生成的{what.zh}，不是单位自评表；"
                "请评分单位报来的自评表（或用 checklist template 生成的模板填写的表）。",
                f"{name}: this is a {what.en} checklist wrote, not a unit's self-assessment "
                "form; score the form the unit sent (or one filled in from 'checklist template').",
            ),
            code=ErrorCode.our_output,
        )
    return assessment_from_workbook(workbook, pack)


def not_a_filled_form(assessment: Assessment) -> Text | None:
    """Why ``assessment`` cannot stand for a unit's year in the history, or None.

    A form with no answer at all (a blank template) scores 0 for nobody in
    particular, and a form without a unit name anywhere (not in the form, its
    title or its file name) cannot be told apart from any other unit's; both
    are scored and reported, loudly flagged, and never saved.
    """
    if not any(a.state is not AnswerState.missing for a in assessment.answers.values()):
        return Text(
            "表中没有任何答案（可能是空白模板），得分不代表该单位的实际情况",
            "the form holds no answers at all (a blank template?), so its score says nothing "
            "about the unit",
        )
    if not assessment.unit.name:
        return Text(
            "表中、标题和文件名中都找不到单位名称，无法确定是哪个单位的自评表",
            "no unit name in the form, its title or its file name, so whose form it is "
            "cannot be told",
        )
    return None


def read_survey(path: Path, pack: RulePack) -> tuple[Assessment, ...]:
    """Read a survey with one unit per row (企业名称 | 是否建立工会 | …): one Assessment per unit.

    A workbook that is no such survey is read as one unit's form.
    """
    found = read_units(path, pack)
    if isinstance(found, Assessment):
        return (found,)
    return tuple(found.assessments())


@record
class SurveyUnits:
    """A workbook read as a survey of several units, its units read one at a time."""

    survey: Survey
    """Where the survey is and which column asks what."""
    workbook: Workbook
    """The workbook, already read."""
    pack: RulePack
    """The pack its questions were tied to."""

    def assessments(self) -> Iterator[Assessment]:
        """One Assessment per unit row, in row order, each made when asked for."""
        return survey_rows(self.survey, self.workbook, self.pack)


def read_units(path: Path, pack: RulePack) -> Assessment | SurveyUnits:
    """Read a workbook as :func:`read_assessment` does or, when it is a survey of several
    units (which ``read_assessment`` refuses with code ``survey``), as that survey.
    """
    try:
        return read_assessment(path, pack)
    except ChecklistError as error:
        if error.code is not ErrorCode.survey:
            raise
    found = open_survey(path, pack)
    assert found is not None  # the refusal above came from finding it
    return found


def open_survey(path: Path, pack: RulePack) -> SurveyUnits | None:
    """The survey of several units ``path`` holds, once ``read_assessment`` refused it as
    one (code ``survey``); None when it holds none.

    Only the grid is read again, without the table search; the survey's units
    are read when iterated, so a batch scoring thousands of them never holds
    them all.
    """
    from checklist.workbook import read_workbook

    workbook = read_workbook(Path(path))
    survey = find_survey(workbook, pack)
    return None if survey is None else SurveyUnits(survey, workbook, pack)


@record
class _Row:
    sheet: Sheet
    header: Header
    row: int
    text: str
    title: str = ""
    """The sheet's name and the lines above its header, which may name an organisation."""

    def cell(self, role: str) -> str:
        """The text in this row's column for ``role`` ('' when the table has none)."""
        col = self.header.columns.get(role)
        return "" if col is None else _text(self.sheet.value(self.row, col))


def assessment_from_workbook(workbook: Workbook, pack: RulePack) -> Assessment:
    """Turn a workbook already read into grids into an Assessment for ``pack``."""
    # What the reader noticed about the file itself (macros ignored, GB18030 text).
    notes = [IntakeNote(NoteLevel.info, NoteCode.file, text) for text in workbook.notes]
    meta = _meta(workbook)
    if meta.get("pack_id") and meta.get("pack_id") != pack.id:
        notes.append(
            note(
                NoteLevel.warning,
                NoteCode.other_pack,
                f"此表由规则包 {meta['pack_id']} {meta.get('pack_version', '')} 的模板生成，"
                f"现按 {pack.id} {pack.version} 评分；指标按文字匹配。",
                f"This form was made from pack {meta['pack_id']} {meta.get('pack_version', '')}; "
                f"it is scored with {pack.id} {pack.version} and rows are matched by text.",
            )
        )

    visible = [s for s in workbook.sheets if s.visible]
    tables = [(sheet, header) for sheet in visible if (header := find_header(sheet)) is not None]
    # A table told only by content may be a survey whose unit names read like
    # indicators (恒达精密机械有限公司 | 186 | 是 …): the survey's own columns decide.
    if (
        all(header.from_content for _, header in tables)
        and (survey := find_survey(workbook, pack)) is not None
    ):
        return _one_unit_of(survey, workbook, pack)
    if not tables:
        raise ChecklistError(
            Text(
                f"{workbook.source}：找不到自评表。请确认表头含有“编号/序号”“指标/考核内容”和"
                "“自评填报/自评情况”等列，或用 checklist template 生成的模板填报。",
                f"{workbook.source}: no self-assessment table found. The header row needs columns "
                "such as 编号/No., 指标/Indicator and 自评填报/Answer; or fill in the template "
                "from 'checklist template'.",
            ),
            code=ErrorCode.no_table,
        )

    tables = [(sheet, _answers_in_remarks(sheet, header, notes)) for sheet, header in tables]
    for sheet, header in tables:
        if header.from_content:
            shown = "、".join(f"{label}" for label in header.labels.values())
            notes.append(
                IntakeNote(
                    NoteLevel.warning,
                    NoteCode.columns_from_content,
                    Text(
                        f"“{sheet.name}”表的表头（{shown}）不是常见写法，已按各列内容判断指标列"
                        f"“{header.labels['indicator']}”和填报列，请核对。",
                        f"The header of sheet '{sheet.name}' ({shown}) uses no known words; the "
                        f"indicator column '{header.labels['indicator']}' and the answer columns "
                        "were told by what they hold. Please check.",
                    ),
                    sheet=sheet.name,
                    cell=cell_ref(header.row, header.columns["indicator"]),
                )
            )
        for role in header.told_by_content:
            what = {
                "indicator": Text("指标", "indicator"),
                "answer": Text("填报内容", "answer"),
                "points": Text("分值", "points"),
            }.get(role, Text("自评得分", "self-score"))
            notes.append(
                IntakeNote(
                    NoteLevel.warning,
                    NoteCode.columns_from_content,
                    Text(
                        f"“{sheet.name}”表按各列内容把“{header.labels[role]}”列读作{what.zh}列"
                        "（表头文字没有指明），请核对。",
                        f"In sheet '{sheet.name}' the column '{header.labels[role]}' was read as "
                        f"the {what.en} column by what it holds (the header did not say). "
                        "Please check.",
                    ),
                    sheet=sheet.name,
                    cell=cell_ref(header.row, header.columns[role]),
                )
            )
        if header.score_as_claimed:
            notes.append(
                IntakeNote(
                    NoteLevel.info,
                    NoteCode.score_column_as_claimed,
                    Text(
                        f"“{sheet.name}”表没有自评得分列，“{header.labels['claimed']}”列按本单位"
                        "自评得分读取。",
                        f"Sheet '{sheet.name}' has no self-score column; the column "
                        f"'{header.labels['claimed']}' was read as the unit's self-score.",
                    ),
                    sheet=sheet.name,
                    cell=cell_ref(header.row, header.columns["claimed"]),
                )
            )
    rows = [row for sheet, header in tables for row in _data_rows(sheet, header, pack)]
    unit, unit_notes = _unit_info(workbook, tables, pack, meta)
    record = _record(workbook)
    if record is not None:
        from checklist.form_record import apply_record

        unit, unit_notes = apply_record(unit, unit_notes, record, pack)
    texts = [_row_text(i, row, pack) for i, row in enumerate(rows)]
    matches = match_rows(texts, pack, unit.type)
    # Only a table some of whose rows are indicators is worth the warning (a
    # summary sheet of area scores has no answers either, and needs none).
    matched_sheets = {
        row.sheet.name for row, match in zip(rows, matches, strict=True) if match.rule_id
    }
    for sheet, header in tables:
        if not {"answer", "tick_yes"} & set(header.columns) and sheet.name in matched_sheets:
            inferred = "points" in header.columns
            notes.append(
                IntakeNote(
                    NoteLevel.warning,
                    NoteCode.no_answer_column,
                    Text(
                        f"“{sheet.name}”表只有自评得分列，没有填报内容列，"
                        + (
                            "是否类答案按自评得分与分值推断，其余记为未填报；"
                            if inferred
                            else "各项答案均记为未填报；"
                        )
                        + "请用 checklist template 生成的模板填写实际情况。",
                        f"Sheet '{sheet.name}' has self-scores but no answer column, so "
                        + (
                            "yes/no answers were inferred from self-score and points and the "
                            "rest are missing; "
                            if inferred
                            else "every answer is missing; "
                        )
                        + "fill in the template from 'checklist template'.",
                    ),
                    sheet=sheet.name,
                    cell=cell_ref(header.row, header.columns["claimed"]),
                )
            )

    answers: dict[str, Answer] = {}
    unmatched: list[UnmatchedRow] = []
    for row, match in zip(rows, matches, strict=True):
        where = cell_ref(row.row, row.header.columns["indicator"])
        if match.rule_id is None:
            unmatched.append(
                UnmatchedRow(
                    row.sheet.name, row.row + 1, row.text, match.best_rule, match.best_score
                )
            )
            notes.append(_unmatched_note(row, match, where))
            continue
        rule = pack.rule(match.rule_id)
        answer, answer_notes = _answer(row, rule, match, _counted(rule, pack))
        answers[rule.id] = answer
        notes.extend(answer_notes)
        if match.method is MatchMethod.id:
            edited = _edited_indicator(row, rule, pack, where)
            if edited is not None:
                notes.append(edited)
        elif match.method is MatchMethod.fuzzy and match.confidence < 85:
            notes.append(
                IntakeNote(
                    NoteLevel.info,
                    NoteCode.fuzzy_match,
                    Text(
                        f"第 {row.row + 1} 行“{row.text}”按文字近似对应到 {rule.id}"
                        f"（{rule.indicator.zh}，相似度 {match.confidence:.0f}），请核对。",
                        f"Row {row.row + 1} '{row.text}' was matched to {rule.id} "
                        f"({rule.indicator.en}) by similar wording ({match.confidence:.0f}); "
                        "please check.",
                    ),
                    sheet=row.sheet.name,
                    cell=where,
                    rule_id=rule.id,
                )
            )

    notes.extend(unit_notes)
    return Assessment(
        unit=unit,
        answers=answers,
        notes=tuple(notes),
        source=Path(workbook.source).name,
        unmatched=tuple(unmatched),
    )


def _one_unit_of(survey: Survey, workbook: Workbook, pack: RulePack) -> Assessment:
    """The one unit of a survey, or an error naming the units when it holds several.

    Rows with answers but no unit name count: a survey of one named unit and
    three unnamed rows is a survey of several units with names missing, not
    that one unit's form.
    """
    units = survey_units(survey)
    if survey.rows == 1 and units:
        return survey_assessments(survey, workbook, pack)[0]
    more = "…" if len(units) > 5 else ""
    count = Text(
        f"共 {len(units)} 个单位（{'、'.join(units[:5])}{more}）",
        f"holds {len(units)} units ({', '.join(units[:5])}{more})",
    )
    if not units:
        count = Text("单位名称一栏全空", "names no unit in its unit-name column")
    if survey.unnamed:
        n = len(survey.unnamed)
        count = Text(
            f"{count.zh}，另有 {n} 行没有单位名称",
            f"{count.en} and {n} row{'s' if n > 1 else ''} without a unit name",
        )
    raise ChecklistError(
        Text(
            f"{workbook.source}：“{survey.sheet.name}”表是每行一个单位的调查表，{count.zh}，"
            f"一份自评表只能对应一个单位。请用 checklist batch {workbook.source} "
            "评分调查表中的每个单位（每行按一个单位评分并汇总）。",
            f"{workbook.source}: sheet '{survey.sheet.name}' is a survey with one unit per row "
            f"and {count.en}; a form is read for one unit. Score every unit of the survey with "
            f"'checklist batch {workbook.source}' (each row is scored as a unit and rolled up).",
        ),
        code=ErrorCode.survey,
    )


def _row_text(index: int, row: _Row, pack: RulePack) -> RowText:
    typed = row.cell("id")
    ids = pack_keys(pack).ids
    if typed and (typed.upper() in ids or normalise_id(typed) in ids):
        return RowText(index, typed, row.text)  # tied by id: the rest is not needed
    # The criterion tells short indicators apart (经费保障: 团的工作经费…); the
    # category and the title say whose work a row is (工会工作 / 共青团).
    context = "，".join(t for t in (row.cell("subarea"), row.cell("guidance")) if t)
    heading = f"{row.cell('area')} {row.cell('subarea')} {row.title}"
    return RowText(index, typed, row.text, context, heading, row.cell("answer"))


def _unmatched_note(row: _Row, match: RowMatch, where: str) -> IntakeNote:
    if match.rival_rule:
        message = Text(
            f"第 {row.row + 1} 行“{row.text}”同样接近 {match.best_rule} 和 {match.rival_rule}"
            f"（相似度 {match.best_score:.0f}），无法确定对应哪一项，未计分。请写明指标全称。",
            f"Row {row.row + 1} '{row.text}' is as close to {match.best_rule} as to "
            f"{match.rival_rule} ({match.best_score:.0f}), so it was not scored. "
            "Write the indicator out in full.",
        )
    else:
        message = Text(
            f"第 {row.row + 1} 行“{row.text}”未能对应到任何指标（最接近 {match.best_rule or '-'}，"
            f"相似度 {match.best_score:.0f}），未计分。请按模板填写或核对指标文字。",
            f"Row {row.row + 1} '{row.text}' matches no indicator (closest "
            f"{match.best_rule or '-'}, {match.best_score:.0f}); it was not scored. "
            "Use the template or check the wording.",
        )
    return IntakeNote(
        NoteLevel.warning, NoteCode.unmatched_row, message, sheet=row.sheet.name, cell=where
    )


# --- rows ----------------------------------------------------------------------------


def _answers_in_remarks(sheet: Sheet, header: Header, notes: list[IntakeNote]) -> Header:
    """The remarks column as the answer column, when a form without one was answered there.

    Forms copied from a scoring sheet (序号 | 考核内容 | 分值 | 自评分 | 备注) leave
    units nowhere to write what they did, so they write it under 备注. That column
    is read as the answers when most of what is in it is not a scoring note
    (少1次扣1分) the form itself printed there.
    """
    columns = header.columns
    if {"answer", "tick_yes"} & set(columns) or "remarks" not in columns:
        return header
    if match_key(header.labels["remarks"]) in _FORM_NOTES and "claimed" in columns:
        return header  # 注 / 说明 beside a self-score: the form's own scoring notes
    col = columns["remarks"]
    filled = [
        text
        for r in range(header.row + 1, len(sheet.rows))
        if (text := _text(sheet.value(r, col))) and _text(sheet.value(r, columns["indicator"]))
    ]
    # "无" down the whole column means "no remarks", not "no" to every row.
    answers = [t for t in filled if not _CRITERION_NOTE.search(t) and t not in _NO_REMARK]
    if not answers or len(answers) * 2 < len(filled):
        return header
    notes.append(
        IntakeNote(
            NoteLevel.warning,
            NoteCode.answers_from_remarks,
            Text(
                f"“{sheet.name}”表没有填报内容列，按“{header.labels['remarks']}”列中填写的内容"
                "读取答案，请核对。",
                f"Sheet '{sheet.name}' has no answer column; answers were read from the "
                f"'{header.labels['remarks']}' column. Please check them.",
            ),
            sheet=sheet.name,
            cell=cell_ref(header.row, col),
        )
    )
    moved = {role: c for role, c in columns.items() if role != "remarks"}
    labels = {role: label for role, label in header.labels.items() if role != "remarks"}
    moved["answer"] = col
    labels["answer"] = header.labels["remarks"]
    return replace(header, columns=moved, labels=labels)


def _text(value: CellValue) -> str:
    return clean(raw_text(value))


def _meta(workbook: Workbook) -> dict[str, str]:
    sheet = workbook.sheet(META_SHEET)
    if sheet is None:
        return {}
    return {
        _text(cells[0]): _text(cells[1])
        for cells in sheet.rows
        if len(cells) >= 2 and cells[0] is not None
    }


def _record(workbook: Workbook) -> FormRecord | None:
    """A personal form's hidden record (None on any other form, or when it is damaged)."""
    from checklist.form_record import parse_record

    sheet = workbook.sheet(RECORD_SHEET)
    if sheet is None:
        return None
    return parse_record(
        {
            _text(cells[0]): _text(cells[1])
            for cells in sheet.rows
            if len(cells) >= 2 and cells[0] is not None
        }
    )


def _data_rows(sheet: Sheet, header: Header, pack: RulePack) -> list[_Row]:
    columns = header.columns
    indicator_col = columns["indicator"]
    answer_col = columns.get("answer")
    # Cells inside a merged range other than its top row repeat the top value.
    continued: set[tuple[int, int]] = {
        (r, c)
        for m in sheet.merged
        for r in range(m.first_row + 1, m.last_row + 1)
        for c in range(m.first_col, m.last_col + 1)
    }
    # A cell merged across the indicator and the columns beside it is a line of
    # its own (填报说明：…, a section title), not an indicator.
    # (An indicator cell merged with the criterion beside it is still a row: the
    # merge must reach the answer, or the self-score, or span three columns.)
    reach = columns.get("answer", columns.get("tick_yes", columns.get("claimed")))
    spanning: set[int] = {
        r
        for m in sheet.merged
        if m.first_col <= indicator_col <= m.last_col
        and (
            m.first_col <= reach <= m.last_col
            if reach is not None
            else m.last_col - m.first_col >= 2
        )
        for r in range(m.first_row, m.last_row + 1)
    }
    area_keys = pack_keys(pack).areas
    title = " ".join(
        [
            sheet.name,
            *(c for cells in sheet.rows[: header.row] for c in cells if isinstance(c, str)),
        ]
    )
    id_col = columns.get("id", -1)
    rows: list[_Row] = []
    for row in range(header.row + 1, len(sheet.rows)):
        value = sheet.value(row, indicator_col)
        if value is None:
            continue  # most rows of a long sheet: checked before any text is made
        text = _text(value)
        if not text:
            continue
        if (row, indicator_col) in continued and (
            answer_col is None
            or (row, answer_col) in continued
            or sheet.value(row, answer_col) is None
        ):
            continue
        if row in spanning:
            continue
        if _NOT_A_ROW.match(text) or _NOT_A_ROW.match(to_simplified(text)):
            continue
        typed = sheet.value(row, id_col)
        if isinstance(typed, str) and _text(typed).lower() in _EXAMPLE_ID:
            continue
        if header_role(text) == ("indicator", 2):
            # The header repeated on a second printed page, or the header of a
            # second table pasted below the first (团委 under 工会), whose columns
            # may be in another order: the rows below it follow it.
            again = header_at(sheet, row)
            if again is not None and again.columns != header.columns:
                header = again
                columns = header.columns
                indicator_col = columns["indicator"]
                answer_col = columns.get("answer")
                id_col = columns.get("id", -1)
            continue
        answer = sheet.value(row, answer_col) if answer_col is not None else None
        if answer is None and _is_area_heading(text, area_keys):
            continue  # an area heading such as 一、领导重视（20分）
        rows.append(_Row(sheet, header, row, text, title))
    return rows


def _is_area_heading(text: str, area_keys: tuple[str, ...]) -> bool:
    if len(text) > 30:
        return False
    key = match_key(text)
    return any(k in key and len(key) <= len(k) + 8 for k in area_keys)


def _counted(rule: Rule, pack: RulePack) -> tuple[str, str] | None:
    """The wordings of the counts a ratio rule divides (会员人数, 职工总数), or None."""
    spec = rule.answer
    if spec.type is not AnswerType.ratio or not spec.numerator or not spec.denominator:
        return None
    try:
        top, bottom = pack.rule(spec.numerator), pack.rule(spec.denominator)
    except KeyError:
        return None
    return (
        "，".join((top.indicator.zh, *top.aliases)),
        "，".join((bottom.indicator.zh, *bottom.aliases)),
    )


def _answer(
    row: _Row,
    rule: Rule,
    match: RowMatch,
    counts: tuple[str, str] | None = None,
) -> tuple[Answer, list[IntakeNote]]:
    columns = row.header.columns
    sheet = row.sheet
    notes: list[IntakeNote] = []
    answer_col = columns.get("answer", columns["indicator"])
    raw = sheet.value(row.row, answer_col) if "answer" in columns else None
    if raw is None and "answer2" in columns:
        answer_col = columns["answer2"]
        raw = sheet.value(row.row, answer_col)
    if raw is None and "tick_yes" in columns:
        answer_col, raw = _ticked(row)
        if raw is None and "remarks" in columns and sheet.value(row.row, columns["remarks"]):
            # A number has no box to tick: 妇联执委人数 | | | 11人 (under 备注).
            answer_col = columns["remarks"]
            raw = sheet.value(row.row, answer_col)
    evidence = _text(sheet.value(row.row, columns["evidence"])) if "evidence" in columns else ""
    claimed = None
    if "claimed" in columns:
        claim_col = columns["claimed"]
        claimed, claim_note = _claimed(sheet.value(row.row, claim_col), rule)
        if claim_note is not None:
            notes.append(replace(claim_note, sheet=sheet.name, cell=cell_ref(row.row, claim_col)))
        if raw is None and not {"answer", "answer2", "tick_yes"} & set(columns):
            inferred = _from_self_score(row, rule, claimed)
            if inferred is not None:
                answer_col, raw = claim_col, inferred
    scoring = _scoring_note(raw)
    if scoring:
        # The form's scoring rule copied where the answer goes: no answer, and
        # the self-score may still say whether the standard was met.
        notes.append(
            IntakeNote(
                NoteLevel.info,
                NoteCode.scoring_note,
                Text(
                    f"“{scoring}”是评分说明，不是本单位的答案，未按答案读取。",
                    f"'{scoring}' is the form's scoring rule, not the unit's answer; "
                    "it was not read as one.",
                ),
                sheet=sheet.name,
                cell=cell_ref(row.row, answer_col),
                rule_id=rule.id,
            )
        )
        raw = None
        if claimed is not None:
            inferred = _from_self_score(row, rule, claimed)
            if inferred is not None:
                answer_col, raw = columns["claimed"], inferred
    cell = cell_ref(row.row, answer_col)
    located = f"{sheet.name}!{cell}"

    # The row's own words first: they name what a sentence-like answer is about.
    indicator = "，".join((row.text, rule.indicator.zh, *rule.aliases))
    normalized = normalize_answer(raw, rule.answer, indicator, counts)
    if answer_col == columns.get("claimed") and normalized.state is AnswerState.given:
        normalized = replace(normalized, notes=(_self_score_note(row, raw, claimed),))
    elif isinstance(normalized.value, bool) and (
        match.opposite or _asks_the_failure(row.text, rule)
    ):
        normalized = _inverted(normalized, row.text, rule)
    notes.extend(replace(n, sheet=sheet.name, cell=cell, rule_id=rule.id) for n in normalized.notes)

    return (
        Answer(
            state=normalized.state,
            value=normalized.value,
            raw=raw_text(raw),
            cell=located,
            evidence=evidence,
            claimed=claimed,
            match_method=match.method,
            match_confidence=match.confidence,
        ),
        notes,
    )


# A row asking whether the failure happened (群团活动被生产任务挤占, 活动因故取消),
# where the rule asks whether the work was done: 无 / 未发生 there means yes here.
_FAILURE = lazy_compile(r"挤占|挪用|占用|取消|违规|违纪|违反|推迟|延误|拖欠|克扣")


def _asks_the_failure(text: str, rule: Rule) -> bool:
    key = to_simplified(text)
    if _FAILURE.search(key) is None:
        return False
    return not any(_FAILURE.search(t) for t in (rule.indicator.zh, *rule.aliases))


def _inverted(normalized: Normalized, text: str, rule: Rule) -> Normalized:
    value = not normalized.value
    said, means = ("否", "是") if value else ("是", "否")
    note = IntakeNote(
        NoteLevel.warning,
        NoteCode.question_inverted,
        Text(
            f"本行问的是“{text}”（是否出现问题），答“{said}”即 {rule.id}"
            f"（{rule.indicator.zh}）为“{means}”，请核对。",
            f"This row asks whether a failure happened ('{text}'); its answer means "
            f"{'yes' if value else 'no'} for {rule.id} ({rule.indicator.en}). Please check.",
        ),
    )
    return replace(normalized, value=value, notes=(*normalized.notes, note))


def _scoring_note(raw: CellValue) -> str:
    """The text of ``raw`` when it is a scoring rule of the form ('' otherwise)."""
    if not isinstance(raw, str):
        return ""
    text = to_simplified(clean(raw))
    if _CRITERION_NOTE.search(text) and _FORM_RULE.search(text):
        return text
    return ""


_INFERRED = {True: "是", False: "否"}


def _from_self_score(row: _Row, rule: Rule, claimed: float | None) -> str | None:
    """A yes/no answer read from a self-score against the row's points, or None.

    Many forms have only 分值 and 自评得分 filled in: full points say the
    standard is met, none that it is not, anything between that it is partly.
    Only yes/no rules are read so: a count cannot be told from points.
    """
    if (
        claimed is None
        or rule.answer.type is not AnswerType.yesno
        or "points" not in row.header.columns
    ):
        return None
    points = row.sheet.value(row.row, row.header.columns["points"])
    if isinstance(points, bool) or not isinstance(points, int | float) or points <= 0:
        return None
    if claimed >= points:
        return _INFERRED[True]
    return _INFERRED[False] if claimed <= 0 else "部分"


def _self_score_note(row: _Row, raw: CellValue, claimed: float | None) -> IntakeNote:
    points = row.sheet.value(row.row, row.header.columns["points"])
    read = {"是": ("是", "yes"), "否": ("否", "no")}.get(str(raw), ("部分", "partly"))
    return IntakeNote(
        NoteLevel.info,
        NoteCode.answer_from_self_score,
        Text(
            f"第 {row.row + 1} 行没有填写情况，按自评得分 {claimed:g}（分值 {points}）推断为“{read[0]}”，请核对。",
            f"Row {row.row + 1} has no answer; it was read as {read[1]} from its self-score "
            f"{claimed:g} of {points} points. Please check.",
        ),
    )


def _ticked(row: _Row) -> tuple[int, CellValue]:
    """The answer of a check-box pair: the header word (是/否) of the column ticked.

    A tick is any mark that does not itself say no or 不适用 (√, ✓, 1, ○); a row
    with both or neither ticked has no answer and reads as blank.
    """
    columns = row.header.columns
    marks = []
    for role in ("tick_yes", "tick_no"):
        text = _text(row.sheet.value(row.row, columns[role]))
        if text:
            read = normalize_answer(text, _YESNO)
            if read.value is not False and read.state is not AnswerState.na:
                marks.append(role)
    if len(marks) != 1:
        return columns["tick_yes"], None
    return columns[marks[0]], "是" if marks[0] == "tick_yes" else "否"


def _claimed(raw: CellValue, rule: Rule) -> tuple[float | None, IntakeNote | None]:
    """自评得分 as a number: 7, "7分", "满分", "不得分", "扣2分"."""
    if raw is None or isinstance(raw, bool):
        return None, None
    if isinstance(raw, int | float):
        return float(raw), None
    text = to_simplified(clean(raw_text(raw)))
    if not text:
        return None, None
    if "满分" in text:
        return rule.points, None
    if "不得分" in text or "扣完" in text:
        return 0.0, None
    deduct = _CLAIM_DEDUCT.search(text)
    if deduct:
        return max(0.0, rule.points - float(deduct.group(1))), None
    number = _CLAIM_NUMBER.search(text)
    if number:
        return float(number.group()), None
    return None, IntakeNote(
        NoteLevel.error,
        NoteCode.unreadable_score,
        Text(
            f"无法识别自评得分“{text}”，请填写数字，如 {rule.points:g}。",
            f"Could not read the self-score '{text}'; enter a number, e.g. {rule.points:g}.",
        ),
        rule_id=rule.id,
    )


def _edited_indicator(row: _Row, rule: Rule, pack: RulePack, where: str) -> IntakeNote | None:
    keys = pack_keys(pack).indicators[rule.id]
    if quick_key(row.text) in keys or match_key(row.text) in keys:
        return None
    return IntakeNote(
        NoteLevel.warning,
        NoteCode.indicator_edited,
        Text(
            f"{rule.id} 的指标文字被改动：表中为“{row.text}”，规则为“{rule.indicator.zh}”。"
            "按编号计分，请勿改动指标文字。",
            f"The indicator text of {rule.id} was edited: the form says '{row.text}', the rule "
            f"'{rule.indicator.en}'. It is scored by its id; please do not edit indicator texts.",
        ),
        sheet=row.sheet.name,
        cell=where,
        rule_id=rule.id,
    )


# --- unit information ----------------------------------------------------------------


def _unit_info(
    workbook: Workbook,
    tables: list[tuple[Sheet, Header]],
    pack: RulePack,
    meta: dict[str, str],
) -> tuple[UnitInfo, list[IntakeNote]]:
    notes: list[IntakeNote] = []
    table_sheets = {sheet.name: header for sheet, header in tables}
    unit_sheet_names = {UNIT_SHEET.zh, UNIT_SHEET.en}
    # The template's instructions sheet quotes the pack's texts; none of it is the unit's.
    skipped = {INSTRUCTIONS_SHEET.zh, INSTRUCTIONS_SHEET.en} if meta else set()
    ordered = sorted(
        (s for s in workbook.sheets if s.visible and s.name not in skipped),
        key=lambda s: (s.name not in unit_sheet_names, s.name in table_sheets),
    )
    # Above a table's header (title lines), or anywhere on the other sheets.
    scan = [(s, table_sheets[s.name].row if s.name in table_sheets else 60) for s in ordered]
    found = scan_unit_fields(scan)
    source = workbook.source

    name = found["name"].value if "name" in found else ""
    if not name and (titled := name_from_titles(scan, pack)) is not None:
        name = titled.value
        notes.append(
            note(
                NoteLevel.info,
                NoteCode.unit_name_from_title,
                f"表中未填单位名称，按标题取为“{name}”。",
                f"No unit name in the form; taken from the title as '{name}'.",
                titled,
            )
        )
    if not name:
        name = name_from_filename(source)
        if name:
            notes.append(
                note(
                    NoteLevel.warning,
                    NoteCode.unit_name_from_file,
                    f"表中未填单位名称，按文件名取为“{name}”。请在“单位名称”处填写。",
                    f"No unit name in the form; taken from the file name as '{name}'. "
                    "Fill in 单位名称 / Unit name.",
                )
            )
        else:
            notes.append(
                note(
                    NoteLevel.warning,
                    NoteCode.unit_name_missing,
                    "表中和文件名中都找不到单位名称。请在“单位名称”处填写。",
                    "No unit name in the form or its file name. Fill in 单位名称 / Unit name.",
                )
            )

    year: int | None = None
    if "year" in found:
        year = parse_year(found["year"].value)
        if year is None:
            notes.append(
                note(
                    NoteLevel.error,
                    NoteCode.unreadable_year,
                    f"无法识别年度“{found['year'].value}”，请填写四位年份，如 2024。",
                    f"Could not read the year '{found['year'].value}'; enter four digits, e.g. 2024.",
                    found["year"],
                )
            )
    if year is None and (title := year_from_titles(scan)) is not None:
        year = int(title.value)
        notes.append(
            note(
                NoteLevel.info,
                NoteCode.year_from_title,
                f"年度取自标题中的“{year}年”。",
                f"The year {year} was taken from the title.",
                title,
            )
        )
    if year is None and (dated := year_from_titles(scan, dates=True)) is not None:
        year = int(dated.value)
        notes.append(
            note(
                NoteLevel.warning,
                NoteCode.year_from_date,
                f"表中未写年度，按表中日期取为 {year} 年，请核实。",
                f"No year in the form; {year} was taken from a date in it. Please check.",
                dated,
            )
        )
    if year is None and (from_file := year_from_filename(source)) is not None:
        year = from_file
        notes.append(
            note(
                NoteLevel.info,
                NoteCode.year_from_file,
                f"表中未填年度，按文件名取为 {year}。",
                f"No year in the form; {year} was taken from the file name.",
            )
        )
    if year is None:
        notes.append(
            note(
                NoteLevel.warning,
                NoteCode.year_missing,
                "找不到年度，请在“年度”处填写四位年份。",
                "No year found; fill in 年度 / Year with four digits.",
            )
        )

    unit_type = _unit_type(found.get("type"), name, pack, meta, notes)
    return (
        UnitInfo(
            name=name,
            type=unit_type,
            year=year,
            town=found["town"].value if "town" in found else "",
            filled_by=found["filled_by"].value if "filled_by" in found else "",
            phone=found["phone"].value if "phone" in found else "",
        ),
        notes,
    )


def _unit_type(
    typed: Found | None,
    name: str,
    pack: RulePack,
    meta: dict[str, str],
    notes: list[IntakeNote],
) -> str | None:
    allowed_zh = "、".join(t.title.zh for t in pack.unit_types)
    allowed_en = ", ".join(t.title.en for t in pack.unit_types)
    if typed is not None:
        matched = match_unit_type(typed.value, pack)
        if matched is not None:
            return matched
        notes.append(
            note(
                NoteLevel.warning,
                NoteCode.unknown_unit_type,
                f"无法识别单位类型“{typed.value}”，可选：{allowed_zh}。",
                f"Unknown unit type '{typed.value}'; choose one of: {allowed_en}.",
                typed,
            )
        )
    if meta.get("unit_type") and pack.unit_type(meta["unit_type"]) is not None:
        return meta["unit_type"]
    guessed = type_from_name(name, pack)
    if guessed is not None:
        unit_type = pack.unit_type(guessed)
        assert unit_type is not None
        notes.append(
            note(
                NoteLevel.info,
                NoteCode.unit_type_from_name,
                f"单位类型按名称“{name}”判断为“{unit_type.title.zh}”。",
                f"The unit type was taken from the name '{name}' as {unit_type.title.en}.",
            )
        )
        return guessed
    notes.append(
        note(
            NoteLevel.warning,
            NoteCode.unit_type_missing,
            f"找不到单位类型，只按适用于所有类型的指标评分（只适用于部分类型的指标未计入）。"
            f"请填写单位类型（{allowed_zh}）。",
            f"No unit type found; only the rules for every unit type were scored (rules for "
            f"some types only were left out). Fill in the unit type ({allowed_en}).",
        )
    )
    return None
