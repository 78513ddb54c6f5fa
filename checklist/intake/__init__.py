"""Intake: a unit's workbook → an Assessment, with a note for every guess.

``read_assessment(path, pack)`` reads any workbook a unit sends: the
template made by ``checklist template`` (rows tied by rule id), or a retyped
form (header found by synonyms, rows tied by indicator text). Answers are
normalised by the rule's answer type; whatever could not be read becomes an
intake note with its sheet and cell and counts as missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from checklist.errors import ChecklistError
from checklist.intake.headers import Header, find_header, header_role
from checklist.intake.matching import RowText, match_rows, pack_keys
from checklist.intake.unit import (
    Found,
    match_unit_type,
    name_from_filename,
    note,
    scan_unit_fields,
    type_from_name,
    year_from_filename,
    year_from_titles,
)
from checklist.layout import INSTRUCTIONS_SHEET, META_SHEET, UNIT_SHEET
from checklist.model import (
    Answer,
    Assessment,
    IntakeNote,
    NoteLevel,
    Rule,
    RulePack,
    UnitInfo,
    UnmatchedRow,
)
from checklist.normalize import normalize_answer, parse_year, raw_text
from checklist.text import Text
from checklist.textnorm import clean, match_key, quick_key, to_simplified
from checklist.workbook import CellValue, Sheet, Workbook, cell_ref

__all__ = ["assessment_from_workbook", "read_assessment"]

_SKIP_ROW = re.compile(
    r"^(?:合计|总计|小计|总分|得分合计|合 计|注|说明|备注|填表说明|total|sum|note)"
)
_CLAIM_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_CLAIM_DEDUCT = re.compile(r"扣\s*(\d+(?:\.\d+)?)\s*分")


def read_assessment(path: Path, pack: RulePack) -> Assessment:
    """Read a unit's workbook (any supported format) into an Assessment."""
    from checklist.workbook import read_workbook

    return assessment_from_workbook(read_workbook(Path(path)), pack)


@dataclass(frozen=True, slots=True)
class _Row:
    sheet: Sheet
    header: Header
    row: int
    text: str


def assessment_from_workbook(workbook: Workbook, pack: RulePack) -> Assessment:
    """Turn a workbook already read into grids into an Assessment for ``pack``."""
    # What the reader noticed about the file itself (macros ignored, GB18030 text).
    notes = [IntakeNote(NoteLevel.info, "file", text) for text in workbook.notes]
    meta = _meta(workbook)
    if meta.get("pack_id") and meta.get("pack_id") != pack.id:
        notes.append(
            note(
                NoteLevel.warning,
                "other_pack",
                f"此表由规则包 {meta['pack_id']} {meta.get('pack_version', '')} 的模板生成，"
                f"现按 {pack.id} {pack.version} 评分；指标按文字匹配。",
                f"This form was made from pack {meta['pack_id']} {meta.get('pack_version', '')}; "
                f"it is scored with {pack.id} {pack.version} and rows are matched by text.",
            )
        )

    visible = [s for s in workbook.sheets if s.visible]
    tables = [(sheet, header) for sheet in visible if (header := find_header(sheet)) is not None]
    if not tables:
        raise ChecklistError(
            Text(
                f"{workbook.source}：找不到自评表。请确认表头含有“编号/序号”“指标/考核内容”和"
                "“自评填报/自评情况”等列，或用 checklist template 生成的模板填报。",
                f"{workbook.source}: no self-assessment table found. The header row needs columns "
                "such as 编号/No., 指标/Indicator and 自评填报/Answer; or fill in the template "
                "from 'checklist template'.",
            ),
            code="no_table",
        )

    for sheet, header in tables:
        if "answer" not in header.columns:
            notes.append(
                IntakeNote(
                    NoteLevel.warning,
                    "no_answer_column",
                    Text(
                        f"“{sheet.name}”表只有自评得分列，没有填报内容列，各项答案均记为未填报；"
                        "请用 checklist template 生成的模板填写实际情况。",
                        f"Sheet '{sheet.name}' has self-scores but no answer column, so every "
                        "answer is missing; fill in the template from 'checklist template'.",
                    ),
                    sheet=sheet.name,
                    cell=cell_ref(header.row, header.columns["claimed"]),
                )
            )
    rows = [row for sheet, header in tables for row in _data_rows(sheet, header, pack)]
    matches = match_rows(
        [
            RowText(i, _text(row.sheet.value(row.row, row.header.columns.get("id", -1))), row.text)
            for i, row in enumerate(rows)
        ],
        pack,
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
            notes.append(
                IntakeNote(
                    NoteLevel.warning,
                    "unmatched_row",
                    Text(
                        f"第 {row.row + 1} 行“{row.text}”未能对应到任何指标（最接近 {match.best_rule or '-'}，"
                        f"相似度 {match.best_score:.0f}），未计分。请按模板填写或核对指标文字。",
                        f"Row {row.row + 1} '{row.text}' matches no indicator (closest "
                        f"{match.best_rule or '-'}, {match.best_score:.0f}); it was not scored. "
                        "Use the template or check the wording.",
                    ),
                    sheet=row.sheet.name,
                    cell=where,
                )
            )
            continue
        rule = pack.rule(match.rule_id)
        answer, answer_notes = _answer(row, rule, match.method, match.confidence)
        answers[rule.id] = answer
        notes.extend(answer_notes)
        if match.method == "id":
            edited = _edited_indicator(row, rule, pack, where)
            if edited is not None:
                notes.append(edited)
        elif match.method == "fuzzy" and match.confidence < 85:
            notes.append(
                IntakeNote(
                    NoteLevel.info,
                    "fuzzy_match",
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

    unit, unit_notes = _unit_info(workbook, tables, pack, meta)
    notes.extend(unit_notes)
    return Assessment(
        unit=unit,
        answers=answers,
        notes=tuple(notes),
        source=Path(workbook.source).name,
        unmatched=tuple(unmatched),
    )


# --- rows ----------------------------------------------------------------------------


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


def _data_rows(sheet: Sheet, header: Header, pack: RulePack) -> list[_Row]:
    indicator_col = header.columns["indicator"]
    answer_col = header.columns.get("answer")
    # Cells inside a merged range other than its top row repeat the top value.
    continued: set[tuple[int, int]] = {
        (r, c)
        for m in sheet.merged
        for r in range(m.first_row + 1, m.last_row + 1)
        for c in range(m.first_col, m.last_col + 1)
    }
    area_keys = pack_keys(pack).areas
    rows: list[_Row] = []
    for row in range(header.row + 1, len(sheet.rows)):
        text = _text(sheet.value(row, indicator_col))
        if not text:
            continue
        if (row, indicator_col) in continued and (
            answer_col is None
            or (row, answer_col) in continued
            or sheet.value(row, answer_col) is None
        ):
            continue
        if _SKIP_ROW.match(text) or _SKIP_ROW.match(to_simplified(text)):
            continue
        if header_role(text) == ("indicator", 2):
            continue  # the header repeated further down (a second printed page)
        answer = sheet.value(row, answer_col) if answer_col is not None else None
        if answer is None and _is_area_heading(text, area_keys):
            continue  # an area heading such as 一、领导重视（20分）
        rows.append(_Row(sheet, header, row, text))
    return rows


def _is_area_heading(text: str, area_keys: tuple[str, ...]) -> bool:
    if len(text) > 30:
        return False
    key = match_key(text)
    return any(k in key and len(key) <= len(k) + 8 for k in area_keys)


def _answer(
    row: _Row, rule: Rule, method: str, confidence: float
) -> tuple[Answer, list[IntakeNote]]:
    columns = row.header.columns
    sheet = row.sheet
    notes: list[IntakeNote] = []
    answer_col = columns.get("answer", columns["indicator"])
    raw = sheet.value(row.row, answer_col) if "answer" in columns else None
    cell = cell_ref(row.row, answer_col)
    located = f"{sheet.name}!{cell}"

    normalized = normalize_answer(raw, rule.answer)
    notes.extend(replace(n, sheet=sheet.name, cell=cell, rule_id=rule.id) for n in normalized.notes)

    evidence = _text(sheet.value(row.row, columns["evidence"])) if "evidence" in columns else ""
    claimed = None
    if "claimed" in columns:
        claim_col = columns["claimed"]
        claimed, claim_note = _claimed(sheet.value(row.row, claim_col), rule)
        if claim_note is not None:
            notes.append(replace(claim_note, sheet=sheet.name, cell=cell_ref(row.row, claim_col)))

    return (
        Answer(
            state=normalized.state,
            value=normalized.value,
            raw=raw_text(raw),
            cell=located,
            evidence=evidence,
            claimed=claimed,
            match_method=method,
            match_confidence=confidence,
        ),
        notes,
    )


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
        "unreadable_score",
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
        "indicator_edited",
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
    if not name:
        name = name_from_filename(source)
        notes.append(
            note(
                NoteLevel.warning,
                "unit_name_from_file",
                f"表中未填单位名称，按文件名取为“{name}”。请在“单位名称”处填写。",
                f"No unit name in the form; taken from the file name as '{name}'. "
                "Fill in 单位名称 / Unit name.",
            )
        )

    year: int | None = None
    if "year" in found:
        year = parse_year(found["year"].value)
        if year is None:
            notes.append(
                note(
                    NoteLevel.error,
                    "unreadable_year",
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
                "year_from_title",
                f"年度取自标题中的“{year}年”。",
                f"The year {year} was taken from the title.",
                title,
            )
        )
    if year is None and (from_file := year_from_filename(source)) is not None:
        year = from_file
        notes.append(
            note(
                NoteLevel.info,
                "year_from_file",
                f"表中未填年度，按文件名取为 {year}。",
                f"No year in the form; {year} was taken from the file name.",
            )
        )
    if year is None:
        notes.append(
            note(
                NoteLevel.warning,
                "year_missing",
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
                "unknown_unit_type",
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
                "unit_type_from_name",
                f"单位类型按名称“{name}”判断为“{unit_type.title.zh}”。",
                f"The unit type was taken from the name '{name}' as {unit_type.title.en}.",
            )
        )
        return guessed
    notes.append(
        note(
            NoteLevel.warning,
            "unit_type_missing",
            f"找不到单位类型，已按全部指标评分。请填写单位类型（{allowed_zh}）。",
            f"No unit type found; every rule was applied. Fill in the unit type ({allowed_en}).",
        )
    )
    return None
