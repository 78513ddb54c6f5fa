"""The blank self-assessment workbook a unit fills in (``checklist template``).

Every sheet name, header, unit field and meta key comes from
:mod:`checklist.layout`; intake reads a template-made file back with the same
constants and ties rows to rules by the id in column A, so nothing here may
put text in column A of the self-assessment sheet except rule ids and the
header.

The file has to open in Excel, WPS and LibreOffice without a repair prompt.
That rules out a few things openpyxl would happily write: inline list
validations over 255 characters (choice lists live on a hidden sheet behind
workbook-scoped names instead), validation texts over Excel's length limits
(clamped here), and a hidden sheet being the active one.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.styles.colors import Color
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from checklist import display, layout
from checklist.codes import ErrorCode
from checklist.errors import ChecklistError
from checklist.form_record import record_rows
from checklist.model import AnswerType, Area, Rule, RulePack, UnitType
from checklist.origin import PROPERTY, Made
from checklist.output import write_atomically
from checklist.personal import LastYear, Personal
from checklist.records import record
from checklist.report import kit
from checklist.text import Lang, Text
from checklist.xlsx import save_workbook

LISTS_SHEET = "_lists"
"""Hidden sheet holding dropdown lists too long (or too comma-laden) for an inline list."""

DEFAULT_OUTPUT = Text("自评表模板.xlsx", "self-assessment-template.xlsx")
"""File name used when no output is given (in the current folder)."""

# Excel refuses (or "repairs") validation texts longer than these.
_MAX_TITLE = 32
_MAX_PROMPT = 255
_MAX_ERROR = 225

# The house palette (kit colours are "#RRGGBB"; openpyxl wants "RRGGBB").
_HEADER_FILL = PatternFill("solid", fgColor=kit.BLUE.fill[1:])
_AREA_FILL = PatternFill("solid", fgColor=kit.GREY.fill[1:])
# The form's own: yellow where the unit types, green where a rate is computed.
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_COMPUTED_FILL = PatternFill("solid", fgColor="E2EFDA")
# Locked, read-only context on a personal form: the roster's unit details, last year's answers.
_LAST_YEAR_FILL = PatternFill("solid", fgColor="EDEDED")
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_UNLOCKED = Protection(locked=False)
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_WRAP_LEFT = Alignment(wrap_text=True, vertical="center")
_WRAP_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")

_VETO_COLOR = "C00000"
_BONUS_COLOR = "548235"
_EVIDENCE_COLOR = "2F5597"

# Column widths (Excel character units) of the self-assessment sheet.
_WIDTHS: dict[Lang, dict[str, float]] = {
    Lang.zh: {
        "id": 10,
        "area": 10,
        "indicator": 30,
        "guidance": 46,
        "answer": 13,
        "evidence": 19,
        "claimed": 9,
        "remarks": 14,
    },
    Lang.en: {
        "id": 10,
        "area": 13,
        "indicator": 38,
        "guidance": 48,
        "answer": 13,
        "evidence": 20,
        "claimed": 10,
        "remarks": 14,
    },
}

_YES_NO = {Lang.zh: ("是", "否"), Lang.en: ("Yes", "No")}
_NA = Text("不适用", "N/A")
_EARLIEST_DATE = dt.date(1949, 10, 1)
_LATEST_DATE = dt.date(2100, 12, 31)


# --- unit types ---------------------------------------------------------------------


def _key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).casefold()


def find_unit_type(pack: RulePack, text: str) -> UnitType | None:
    """The pack's unit type named by ``text``: its id, either title or a synonym (村, 居委会 …)."""
    wanted = _key(text)
    if not wanted:
        return None
    for unit_type in pack.unit_types:
        names = (unit_type.id, unit_type.title.zh, unit_type.title.en, *unit_type.synonyms)
        if wanted in {_key(name) for name in names}:
            return unit_type
    return None


def resolve_unit_type(pack: RulePack, text: str) -> UnitType:
    """Like :func:`find_unit_type`, but an unknown type is a ChecklistError listing the known ones."""
    found = find_unit_type(pack, text)
    if found is not None:
        return found
    zh = "、".join(f"{t.id}（{t.title.zh}）" for t in pack.unit_types)
    en = ", ".join(f"{t.id} ({t.title.en})" for t in pack.unit_types)
    raise ChecklistError(
        Text(
            f"规则包 {pack.id} 中没有单位类型“{text}”。可用的类型：{zh}（也可写类型名称或常用叫法，如 村、社区）。",
            f"Rule pack {pack.id} has no unit type '{text}'. Known types: {en} "
            "(a title or a common synonym also works).",
        ),
        code=ErrorCode.unknown_unit_type,
    )


def template_rules(pack: RulePack, unit_type: UnitType | None = None) -> tuple[Rule, ...]:
    """The rules a template prints, grouped by area in pack order; only those for ``unit_type``."""
    type_id = unit_type.id if unit_type is not None else None
    chosen = [rule for rule in pack.rules if rule.applies(type_id, None)]
    order = {area.id: index for index, area in enumerate(pack.areas)}
    # sorted() is stable, so rules keep their pack order within an area.
    return tuple(sorted(chosen, key=lambda rule: order.get(rule.area, len(order))))


# --- the public entry points -----------------------------------------------------------


def write_template(
    pack: RulePack, path: Path, lang: str = "zh", unit_type: str | None = None
) -> Path:
    """Write the blank self-assessment workbook for ``pack`` to ``path`` (atomically).

    ``unit_type`` (an id, title or synonym) leaves out the rules that do not
    apply to that type and pre-fills the unit type. The pack's own files count
    as inputs, so the template can never be written over one of them.
    """
    chosen = resolve_unit_type(pack, unit_type) if unit_type else None
    workbook = build_template(pack, Lang(lang), chosen)
    inputs = sorted(Path(pack.path).glob("*.yaml")) if pack.path else []
    # Pinned timestamps: the same pack gives a byte-identical template.
    # The command has already refused an existing file unless --force was given.
    return write_atomically(
        Path(path), lambda temp: save_workbook(workbook, temp), inputs, replace_any=True
    )


def build_template(
    pack: RulePack,
    lang: Lang = Lang.zh,
    unit_type: UnitType | None = None,
    personal: Personal | None = None,
) -> Workbook:
    """The template workbook in memory (save it with :func:`checklist.xlsx.save_workbook`).

    With ``personal`` it is one unit's own form (:mod:`checklist.personal`).
    """
    rules = template_rules(pack, unit_type)
    workbook = Workbook()
    instructions = workbook.active
    assert instructions is not None
    instructions.title = layout.INSTRUCTIONS_SHEET.get(lang)
    unit = workbook.create_sheet(layout.UNIT_SHEET.get(lang))
    assessment = workbook.create_sheet(layout.ASSESSMENT_SHEET.get(lang))
    meta = workbook.create_sheet(layout.META_SHEET)
    lists = _Lists(workbook, workbook.create_sheet(LISTS_SHEET))

    style = _Style(lang)
    last_year = personal.last_year if personal is not None else None
    _instructions_sheet(instructions, pack, rules, lang, unit_type, style, personal)
    _unit_sheet(unit, pack, lang, unit_type, style, lists, personal)
    _assessment_sheet(assessment, pack, rules, lang, style, lists, unit_type is None, last_year)
    _meta_sheet(meta, pack, lang, unit_type)
    _protect(lists.sheet)
    if personal is not None:
        _record_sheet(workbook.create_sheet(layout.RECORD_SHEET), personal)

    meta.sheet_state = "hidden"
    lists.sheet.sheet_state = "hidden"
    # A hidden active or selected sheet is one of the things Excel "repairs".
    workbook.active = 0
    for sheet in workbook.worksheets[1:]:
        sheet.sheet_view.tabSelected = False
    workbook.properties.creator = "checklist"
    # Marked as a form (see checklist.origin): intake reads it, unlike the reports.
    workbook.custom_doc_props.append(  # type: ignore[attr-defined]  # not in the stubs
        StringProperty(name=PROPERTY, value=Made.template.value)
    )
    workbook.properties.title = kit.safe_text(
        f"{pack.title.get(lang)} {layout.ASSESSMENT_SHEET.get(lang)}"
    )
    return workbook


# --- shared helpers ----------------------------------------------------------------------


class _Style:
    """Fonts for one language, in the form's face (:data:`checklist.report.kit.FORM_FACES`)."""

    def __init__(self, lang: Lang) -> None:
        self.face = kit.face_for(kit.FORM_FACES, lang)
        name, size = self.face.name, self.face.size
        self.body = Font(name=name, size=size)
        self.bold = Font(name=name, size=size, bold=True)
        self.title = Font(name=name, size=16, bold=True)
        self.heading = Font(name=name, size=12, bold=True)
        self.muted = Font(name=name, size=size, color=kit.MUTED[1:])

    def coloured(self, color: str) -> Font:
        """Bold body text in ``color`` (the veto, bonus and evidence marks)."""
        return Font(name=self.face.name, size=self.face.size, bold=True, color=color)

    def inline(self, color: str | None = None, bold: bool = False) -> InlineFont:
        """A rich-text run font (runs do not inherit the cell font in every program)."""
        return InlineFont(
            rFont=self.face.name,
            sz=self.face.size,
            b=bold or None,
            color=Color(rgb=color) if color else None,
        )


class _Lists:
    """Dropdown lists on the hidden lists sheet, each behind a workbook-scoped name."""

    def __init__(self, workbook: Workbook, sheet: Worksheet) -> None:
        self.workbook = workbook
        self.sheet = sheet
        self.names: dict[tuple[str, ...], str] = {}

    def formula(self, items: Sequence[str]) -> str:
        """A data-validation list formula for ``items`` (one column per distinct list)."""
        key = tuple(items)
        if key not in self.names:
            column = len(self.names) + 1
            for row, item in enumerate(items, start=1):
                _set_text(self.sheet.cell(row=row, column=column), item)
            letter = get_column_letter(column)
            # The underscore keeps the name from ever looking like a cell reference.
            name = f"checklist_list_{column}"
            self.workbook.defined_names[name] = DefinedName(
                name, attr_text=f"'{LISTS_SHEET}'!${letter}$1:${letter}${len(items)}"
            )
            self.names[key] = name
        return self.names[key]


def _set_text(cell: object, value: str | CellRichText) -> None:
    """Write text made safe (:func:`checklist.report.kit.safe_text`) that never turns into a formula."""
    from openpyxl.cell.cell import Cell

    assert isinstance(cell, Cell)
    if isinstance(value, CellRichText):
        cell.value = value
        return
    text = kit.safe_text(value)
    cell.value = text
    if kit.looks_like_formula(text):
        # openpyxl reads a leading "=" as a formula; the quote prefix keeps Excel
        # from making one when someone edits the cell.
        cell.data_type = "s"
        cell.quotePrefix = True


def _clamp(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fit(parts: Sequence[str], limit: int) -> str:
    """As many whole lines of ``parts`` as fit in ``limit`` characters, in order.

    The guidance column always shows the full text, so a pop-up that has to be
    short drops trailing lines, or ends the first one at a sentence boundary,
    rather than stopping mid-word.
    """
    kept: list[str] = []
    for part in parts:
        if len("\n".join([*kept, part])) <= limit:
            kept.append(part)
        elif not kept:
            cut = part[: limit - 1]
            ends = [cut.rfind(mark) for mark in ("。", "；", ". ", "; ")]
            end = max(ends)
            kept.append(cut[: end + 1].rstrip() if end > limit // 2 else cut + "…")
        else:
            break
    return "\n".join(kept)


_Kind = Literal["whole", "decimal", "list", "date"]
_Operator = Literal["between", "greaterThanOrEqual"]


@record
class _Check:
    """One data-validation rule; cells sharing identical checks share one object."""

    type: _Kind | None
    operator: _Operator | None
    formula1: str | None
    formula2: str | None
    title: str
    prompt: str
    error_title: str = ""
    error: str = ""
    style: Literal["stop", "warning", "information"] = "warning"


def _add_checks(sheet: Worksheet, checks: dict[_Check, list[str]]) -> None:
    for check, cells in checks.items():
        validation = DataValidation(
            type=check.type,
            operator=check.operator,
            formula1=check.formula1,
            formula2=check.formula2,
            allow_blank=True,
            showInputMessage=True,
            showErrorMessage=check.type is not None,
            promptTitle=_clamp(check.title, _MAX_TITLE),
            prompt=_clamp(check.prompt, _MAX_PROMPT),
            errorTitle=_clamp(check.error_title, _MAX_TITLE) if check.type else None,
            error=_clamp(check.error, _MAX_ERROR) if check.type else None,
            errorStyle=check.style if check.type else None,
            sqref=" ".join(cells),
        )
        sheet.add_data_validation(validation)


def _print_setup(sheet: Worksheet, pack: RulePack, lang: Lang, landscape: bool) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    # Excel's "normal" top and bottom margins. With 0.7 LibreOffice 7.4 printed a
    # blank trailing page for one of the built-in templates (header area too tight).
    sheet.page_margins.top = sheet.page_margins.bottom = 0.75
    sheet.page_margins.header = sheet.page_margins.footer = 0.3
    header, footer = sheet.oddHeader, sheet.oddFooter
    assert header is not None and footer is not None
    # A blank form has no unit yet: the pack names what it is for.
    title = kit.header_text(pack.title.get(lang))
    name = kit.header_text(sheet.title)
    header.center.text = f"{title}　{name}" if lang is Lang.zh else f"{title} – {name}"
    header.center.size = 9
    footer.center.text = kit.FOOTER.get(lang)
    footer.center.size = 9


def _protect(sheet: Worksheet) -> None:
    # No password: a unit that really must change a locked cell can unprotect
    # the sheet. Resizing rows and columns stays allowed so long answers can be read.
    sheet.protection.sheet = True
    sheet.protection.formatRows = False
    sheet.protection.formatColumns = False


def _number(value: float) -> str:
    return display.number(value)


def _serial(day: dt.date) -> str:
    """Excel's serial number of ``day`` (validation bounds are written as numbers)."""
    return str((day - dt.date(1899, 12, 30)).days)


def _cn_ordinal(number: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十 (area headings are numbered the Chinese way)."""
    digits = "零一二三四五六七八九"
    if number < 10:
        return digits[number]
    tens, ones = divmod(number, 10)
    return (digits[tens] if tens > 1 else "") + "十" + (digits[ones] if ones else "")


# --- the instructions sheet ------------------------------------------------------------


def _grade_lines(pack: RulePack) -> list[tuple[str, Text]]:
    grades = sorted(pack.grades, key=lambda grade: grade.min, reverse=True)
    lines: list[tuple[str, Text]] = []
    upper: float | None = None
    for grade in grades:
        low = _number(grade.min)
        if upper is None:
            text = Text(f"总分 {low} 分及以上", f"{low} points or more")
        elif grade.min <= 0:
            text = Text(f"总分低于 {_number(upper)} 分", f"below {_number(upper)} points")
        else:
            text = Text(
                f"总分 {low} 分及以上、低于 {_number(upper)} 分",
                f"{low} points or more, below {_number(upper)}",
            )
        lines.append((grade.id, text))
        upper = grade.min
    return lines


_LOOKS = ("numbered", "input", "computed", "veto", "bonus", "evidence", "plain")
"""Label looks of an instructions line (see instructions.yaml)."""


@record
class _Line:
    """One line of the instructions sheet: a label in column A, the text in column B."""

    text: Text
    """The line, with {placeholders} still to fill."""
    look: str = "numbered"
    """How the label looks: one of :data:`_LOOKS`."""
    label: Text | None = None
    """Label text for the input, computed and plain looks."""


@record
class _Section:
    heading: Text
    lines: tuple[_Line, ...]
    grades: bool
    """Whether the pack's grades follow the lines."""


@record
class _Instructions:
    title: Text
    facts: Text
    sections: tuple[_Section, ...]
    personal: Text
    last_year: Text


def _text(data: dict[str, str]) -> Text:
    return Text(str(data["zh"]), str(data["en"]))


@lru_cache(maxsize=1)
def _instructions() -> _Instructions:
    """The instructions sheet's words, from ``instructions.yaml`` beside this module."""
    data = yaml.safe_load((Path(__file__).with_name("instructions.yaml")).read_text("utf-8"))
    sections = tuple(
        _Section(
            _text(section["heading"]),
            tuple(_Line(_text(line)) for line in section.get("numbered", ()))
            + tuple(
                _Line(_text(line), line["look"], _text(line["label"]) if "label" in line else None)
                for line in section.get("legend", ())
            ),
            bool(section.get("grades", False)),
        )
        for section in data["sections"]
    )
    unknown = {line.look for section in sections for line in section.lines} - set(_LOOKS)
    if unknown:
        raise ValueError(f"instructions.yaml: unknown look {sorted(unknown)}; known: {_LOOKS}")
    return _Instructions(
        _text(data["title"]),
        _text(data["facts"]),
        sections,
        _text(data["personal"]),
        _text(data["last_year"]),
    )


def _instructions_sheet(
    sheet: Worksheet,
    pack: RulePack,
    rules: Sequence[Rule],
    lang: Lang,
    unit_type: UnitType | None,
    style: _Style,
    personal: Personal | None = None,
) -> None:
    widths = (14.0, 100.0) if lang is Lang.zh else (16.0, 104.0)
    sheet.column_dimensions["A"].width = widths[0]
    sheet.column_dimensions["B"].width = widths[1]
    sheet.sheet_view.showGridLines = False

    joiner = "、" if lang is Lang.zh else ", "
    types = (
        unit_type.title.get(lang)
        if unit_type is not None
        else Text("全部类型（{}）", "all types ({})")
        .get(lang)
        .format(joiner.join(t.title.get(lang) for t in pack.unit_types))
    )
    words = {
        "pack_title": pack.title.get(lang),
        "pack_id": pack.id,
        "version": pack.version,
        "template_version": layout.TEMPLATE_VERSION,
        "types": types,
        "count": len(rules),
        "bonus_count": sum(1 for rule in rules if rule.bonus),
        "unit_sheet": layout.UNIT_SHEET.get(lang),
        "form": layout.ASSESSMENT_SHEET.get(lang),
        **{key: text.get(lang) for key, text in layout.COLUMNS},
        "veto_cap": pack.grade(pack.veto_cap).title.get(lang),
        "bonus_cap": _number(pack.bonus_cap),
        "ratio_tolerance": _number(pack.ratio_tolerance),
        "unsupported": f"{pack.unsupported_credit * 100:.0f}%",
    }
    marks = _marks(lang)
    mark_colours = {
        "veto": (marks.veto, _VETO_COLOR),
        "bonus": (marks.bonus, _BONUS_COLOR),
        "evidence": (marks.evidence, _EVIDENCE_COLOR),
    }
    fills = {"input": _INPUT_FILL, "computed": _COMPUTED_FILL}
    row = 1

    def put(
        label: str,
        text: str,
        *,
        font: Font | None = None,
        fill: PatternFill | None = None,
        label_font: Font | None = None,
    ) -> None:
        nonlocal row
        first = sheet.cell(row=row, column=1)
        second = sheet.cell(row=row, column=2)
        _set_text(first, label)
        first.font = label_font or style.bold
        first.alignment = Alignment(vertical="top", horizontal="center", wrap_text=True)
        if fill is not None:
            first.fill = fill
            first.border = _BORDER
        _set_text(second, text)
        second.font = font or style.body
        second.alignment = _WRAP_TOP
        sheet.row_dimensions[row].height = style.face.tallest(
            [(text, widths[1]), (label, widths[0])], minimum=20
        )
        row += 1

    def heading(text: str, font: Font, height: float) -> None:
        nonlocal row
        cell = sheet.cell(row=row, column=1)
        _set_text(cell, text)
        cell.font = font
        cell.alignment = Alignment(vertical="center")
        sheet.row_dimensions[row].height = height
        row += 1

    def gap() -> None:
        nonlocal row
        sheet.row_dimensions[row].height = 8
        row += 1

    words_of = _instructions()
    heading(words_of.title.get(lang).format(**words), style.title, 30)
    put("", words_of.facts.get(lang).format(**words), font=style.muted)
    if personal is not None:
        put("", words_of.personal.get(lang).format(unit=personal.record.name), font=style.bold)
        if personal.last_year is not None:
            text = words_of.last_year.get(lang).format(
                last_year=personal.last_year.year,
                last_year_column=layout.LAST_YEAR_COLUMN.get(lang),
                **words,
            )
            # Labelled with the column's header, in its grey: a swatch of what it describes.
            put(
                layout.LAST_YEAR_COLUMN.get(lang),
                text,
                font=style.bold,
                fill=_LAST_YEAR_FILL,
                label_font=style.body,
            )
    if pack.description is not None:
        put("", pack.description.get(lang), font=style.muted)
    for section in words_of.sections:
        gap()
        heading(section.heading.get(lang), style.heading, 24)
        for number, line in enumerate(section.lines, start=1):
            text = line.text.get(lang).format(**words)
            label = line.label.get(lang) if line.label is not None else ""
            if line.look == "numbered":
                put(str(number), text, label_font=style.body)
            elif line.look in mark_colours:
                tag, colour = mark_colours[line.look]
                put(tag, text, label_font=style.coloured(colour))
            else:
                put(label, text, fill=fills.get(line.look), label_font=style.body)
        if section.grades:
            for grade_id, grade_text in _grade_lines(pack):
                put(pack.grade(grade_id).title.get(lang), grade_text.get(lang), fill=_AREA_FILL)

    _print_setup(sheet, pack, lang, landscape=False)
    # A one-page handout: shrink a long pack description rather than spill onto page 2.
    sheet.page_setup.fitToHeight = 1
    _protect(sheet)


# --- the unit-information sheet -----------------------------------------------------------


def _unit_sheet(
    sheet: Worksheet,
    pack: RulePack,
    lang: Lang,
    unit_type: UnitType | None,
    style: _Style,
    lists: _Lists,
    personal: Personal | None = None,
) -> None:
    sheet.column_dimensions["A"].width = 18 if lang is Lang.zh else 20
    sheet.column_dimensions["B"].width = 44
    titles = [t.title.get(lang) for t in pack.unit_types]
    prompts: dict[str, tuple[Text, Text]] = {
        "name": (
            Text("单位名称", "Unit name"),
            Text("填写单位全称，如“太仓市城厢镇东林村”。", "The unit's full name."),
        ),
        "type": (
            Text("单位类型", "Unit type"),
            Text("从下拉列表中选择本单位的类型。", "Pick the unit's type from the list."),
        ),
        "town": (
            Text("所属镇（街道）", "Town (street)"),
            Text("填写所属镇或街道，如“城厢镇”。", "The town or street the unit belongs to."),
        ),
        "year": (
            Text("年度", "Year"),
            Text(
                "填写自评的年度，四位数字，如 2024。",
                "The assessment year, four digits, e.g. 2024.",
            ),
        ),
        "filled_by": (
            Text("填报人", "Filled in by"),
            Text("填写填报人姓名和职务。", "Name and post of the person filling in the form."),
        ),
        "phone": (
            Text("联系电话", "Phone"),
            Text("填写联系电话，便于核实。", "A phone number for questions."),
        ),
    }
    checks: dict[_Check, list[str]] = {}
    for row, (key, label) in enumerate(layout.UNIT_FIELDS, start=1):
        label_cell = sheet.cell(row=row, column=1)
        _set_text(label_cell, label.get(lang))
        label_cell.font = style.bold
        label_cell.fill = _AREA_FILL
        label_cell.border = _BORDER
        label_cell.alignment = Alignment(vertical="center", indent=1)
        value = sheet.cell(row=row, column=2)
        value.fill = _INPUT_FILL
        value.border = _BORDER
        value.font = style.body
        value.protection = _UNLOCKED
        value.alignment = Alignment(vertical="center", indent=1)
        sheet.row_dimensions[row].height = 28
        title, prompt = prompts.get(key, (label, label))
        check = _Check(None, None, None, None, title.get(lang), prompt.get(lang))
        if key == "type":
            if unit_type is not None:
                _set_text(value, unit_type.title.get(lang))
            check = _Check(
                "list",
                None,
                lists.formula(titles),
                None,
                title.get(lang),
                prompt.get(lang),
                Text("单位类型", "Unit type").get(lang),
                Text(
                    "请从下拉列表中选择单位类型。", "Please pick the unit type from the list."
                ).get(lang),
            )
        elif key == "year":
            value.number_format = "0"
            check = _Check(
                "whole",
                "between",
                "2000",
                "2100",
                title.get(lang),
                prompt.get(lang),
                Text("年度", "Year").get(lang),
                Text("年度应为四位数字，如 2024。", "The year is four digits, e.g. 2024.").get(
                    lang
                ),
                "stop",
            )
        elif key == "phone":
            # Text, so a mobile number is not shown as 1.38E+10 and 0512 keeps its zero.
            value.number_format = "@"
        if personal is not None and _fill_from_roster(value, key, personal, unit_type, lang):
            continue
        checks.setdefault(check, []).append(value.coordinate)
    _add_checks(sheet, checks)
    _print_setup(sheet, pack, lang, landscape=False)
    _protect(sheet)


def _fill_from_roster(
    cell: Any, key: str, personal: Personal, unit_type: UnitType | None, lang: Lang
) -> bool:
    """Fill a unit field from the roster; True when it is then locked (no validation needed)."""
    record = personal.record
    locked: dict[str, str | int | None] = {
        "name": record.name,
        "town": record.town or None,
        "type": unit_type.title.get(lang) if unit_type is not None else None,
        "year": record.year,
    }
    editable = {"filled_by": personal.contact, "phone": personal.phone}
    if editable.get(key):
        _set_text(cell, editable[key])
    value = locked.get(key)
    if value is None:
        return False
    if isinstance(value, int):
        cell.value = value
    else:
        _set_text(cell, value)
    cell.protection = Protection(locked=True)
    cell.fill = _LAST_YEAR_FILL
    # The year too reads from the left, like the other details.
    cell.alignment = Alignment(vertical="center", horizontal="left")
    return True


# --- the self-assessment sheet ------------------------------------------------------------


@record
class _Marks:
    veto: str
    bonus: str
    evidence: str
    computed: str


def _marks(lang: Lang) -> _Marks:
    if lang is Lang.zh:
        return _Marks("【否决项】", "【加分项】", "【需佐证】", "【自动计算】")
    return _Marks("[Veto]", "[Bonus]", "[Evidence]", "[Computed]")


def _guidance_text(rule: Rule, pack: RulePack, lang: Lang, all_types: bool) -> str:
    """The 填报说明 lines below the tag line: what to type, points, what earns them, conditions."""
    spec = rule.answer
    lines: list[Text] = []
    if spec.type is AnswerType.ratio:
        if rule.guidance is not None:
            lines.append(rule.guidance)
        lines.append(_ratio_text(rule, pack))
    else:
        lines.append(display.guidance(rule))
    pts = _number(rule.points)
    if rule.bonus:
        points = Text(f"加分：最多 {pts} 分", f"Bonus: up to {pts} pts")
    else:
        points = Text(f"分值：{pts} 分", f"Points: {pts}")
    if rule.points == 0:
        lines.append(_unscored_text(rule, pack))
    elif len(rule.bands) > 1:
        scoring = display.bands_text(rule)
        lines.append(
            Text(f"{points.zh}；计分：{scoring.zh}", f"{points.en}; scoring: {scoring.en}")
        )
    elif spec.type is AnswerType.text:
        lines.append(points)
    else:
        need = display.requirement(rule)
        lines.append(
            Text(f"{points.zh}；满分要求：{need.zh}", f"{points.en}; full points: {need.en}")
        )
    if all_types and rule.applies_to:
        names = [t.title for t in pack.unit_types if t.id in rule.applies_to]
        zh = "、".join(n.zh for n in names)
        en = ", ".join(n.en for n in names)
        lines.append(
            Text(
                f"仅适用于：{zh}；其他单位填“不适用”。", f"Applies only to: {en}; others write N/A."
            )
        )
    if rule.since is not None:
        lines.append(
            Text(
                f"自 {rule.since} 年度起适用，此前年度填“不适用”。",
                f"Applies from {rule.since}; for earlier years write N/A.",
            )
        )
    return "\n".join(line.get(lang) for line in lines)


def _unscored_text(rule: Rule, pack: RulePack) -> Text:
    users = [
        other.id
        for other in pack.rules
        if rule.id in (other.answer.numerator, other.answer.denominator)
    ]
    if users:
        zh, en = "、".join(users), ", ".join(users)
        return Text(f"本项不计分，用于计算 {zh}。", f"Not scored; used to compute {en}.")
    return Text("本项不计分，供核对使用。", "Not scored; used for cross-checks.")


def _ratio_text(rule: Rule, pack: RulePack) -> Text:
    spec = rule.answer
    top_id = spec.numerator or "?"
    bottom_id = spec.denominator or "?"
    tolerance = _number(pack.ratio_tolerance)
    if rule.guidance is not None:
        # The pack's own guidance already says how to write the rate.
        return Text(
            f"计算：{top_id} ÷ {bottom_id}；所填比例与计算值相差超过 {tolerance} 个百分点会被提示。",
            f"Computed as {top_id} ÷ {bottom_id}; a stated rate more than {tolerance} points "
            "off is flagged.",
        )
    return Text(
        f"由 {top_id} ÷ {bottom_id} 自动算出，可不填；如填写（0–100 的数字，如 95），将与计算值核对"
        f"（允许相差 {_number(pack.ratio_tolerance)} 个百分点）。",
        f"Worked out as {top_id} ÷ {bottom_id}, so it may be left blank. A stated rate (0–100, "
        f"e.g. 95) is checked against it (tolerance {_number(pack.ratio_tolerance)} points).",
    )


def _tags(rule: Rule, pack: RulePack, lang: Lang) -> list[tuple[str, str, str]]:
    """The marks that head a rule's guidance: (tag, colour, short explanation)."""
    marks = _marks(lang)
    tags: list[tuple[str, str, str]] = []
    if rule.veto:
        cap = pack.grade(pack.veto_cap).title
        note = Text(f"未达标等级最高为“{cap.zh}”", f"if not met, grade at most {cap.en}")
        tags.append((marks.veto, _VETO_COLOR, note.get(lang)))
    if rule.bonus:
        cap_points = _number(pack.bonus_cap)
        note = Text(f"加分合计最多 {cap_points} 分", f"bonus total capped at {cap_points}")
        tags.append((marks.bonus, _BONUS_COLOR, note.get(lang)))
    if rule.evidence_required:
        share = f"{pack.unsupported_credit * 100:.0f}%"
        note = Text(f"缺佐证只得 {share} 分值", f"without evidence only {share} of the points")
        tags.append((marks.evidence, _EVIDENCE_COLOR, note.get(lang)))
    if rule.answer.type is AnswerType.ratio:
        note = Text("可不填", "may be left blank")
        tags.append((marks.computed, _BONUS_COLOR, note.get(lang)))
    return tags


def na_possible(rule: Rule, all_types: bool) -> bool:
    """Whether 不适用 can be a right answer on this form.

    Only where the pack allows it, or where the rule may be off the unit's form
    (another unit type on an all-types template, a year or a condition). On any
    other rule 不适用 scores as unanswered, so it is not offered.
    """
    return (
        rule.na_allowed
        or (all_types and bool(rule.applies_to))
        or rule.since is not None
        or rule.applies_if is not None
    )


def _answer_check(rule: Rule, pack: RulePack, lang: Lang, lists: _Lists, all_types: bool) -> _Check:
    spec = rule.answer
    offer_na = na_possible(rule, all_types)
    title = f"{rule.id} " + Text("如何填写", "how to answer").get(lang)
    need = display.requirement(rule)
    hint = display.guidance(rule).get(lang)
    na = (
        Text(
            "确实不适用填“不适用”；不清楚请留空。",
            "N/A only if it truly does not apply; leave blank if unknown.",
        ).get(lang)
        if offer_na
        else Text("不清楚请留空。", "Leave blank if unknown.").get(lang)
    )
    keep = Text(
        "如确需保留所填内容，可选择继续。", "Choose to continue if you really mean it."
    ).get(lang)

    def prompt(*parts: str) -> str:
        return _fit([part for part in parts if part], _MAX_PROMPT)

    full = Text(f"满分要求：{need.zh}", f"Full points: {need.en}").get(lang)
    if rule.points == 0:
        full = _unscored_text(rule, pack).get(lang)
    match spec.type:
        case AnswerType.yesno:
            items = ",".join((*_YES_NO[lang], _NA.get(lang)) if offer_na else _YES_NO[lang])
            pick = (
                Text("请从下拉列表中选择“是”“否”或“不适用”。", "Pick Yes, No or N/A from the list.")
                if offer_na
                else Text("请从下拉列表中选择“是”或“否”。", "Pick Yes or No from the list.")
            )
            return _Check(
                "list", None, f'"{items}"', None, title, prompt(hint, full),
                Text("请从列表选择", "Pick from the list").get(lang),
                pick.get(lang) + keep,
            )  # fmt: skip
        case AnswerType.choice:
            labels = [choice.label.get(lang) for choice in spec.choices]
            if offer_na:
                labels.append(_NA.get(lang))
            return _Check(
                "list", None, lists.formula(labels), None, title, prompt(hint, full, na),
                Text("请从列表选择", "Pick from the list").get(lang),
                Text("请从下拉列表中选择一项。", "Pick one answer from the list.").get(lang) + keep,
            )  # fmt: skip
        case AnswerType.count:
            return _Check(
                "whole", "greaterThanOrEqual", "0", None, title, prompt(hint, full, na),
                Text("请填写整数", "Whole number").get(lang),
                Text(
                    "请只填不小于 0 的整数，如 12，不要加单位或文字。",
                    "Enter a whole number of 0 or more, e.g. 12, without units or words.",
                ).get(lang) + keep,
            )  # fmt: skip
        case AnswerType.number:
            return _Check(
                "decimal", "greaterThanOrEqual", "0", None, title, prompt(hint, full, na),
                Text("请填写数字", "Number").get(lang),
                Text(
                    "请只填数字，如 3.5，不要加单位或文字。",
                    "Enter a number, e.g. 3.5, without units or words.",
                ).get(lang) + keep,
            )  # fmt: skip
        case AnswerType.percent | AnswerType.ratio:
            if spec.type is AnswerType.ratio:
                hint = Text(
                    "可不填：由两项数量自动计算。如填写，填 0–100 的数字，如 95 表示 95%。",
                    "May be left blank: computed from two counts. If you state it, 0–100, e.g. 95 for 95%.",
                ).get(lang)
            else:
                hint = Text(
                    "填 0–100 的数字，如 95 表示 95%（也可填 95%）。",
                    "A number from 0 to 100, e.g. 95 for 95% (95% also works).",
                ).get(lang)
            return _Check(
                "decimal", "between", "0", "100", title, prompt(hint, full, na),
                Text("请填写百分比", "Percentage").get(lang),
                Text(
                    "请填 0–100 之间的数字，如 95 表示 95%。",
                    "Enter a number from 0 to 100, e.g. 95 for 95%.",
                ).get(lang) + keep,
            )  # fmt: skip
        case AnswerType.date:
            return _Check(
                "date", "between",
                _serial(_EARLIEST_DATE), _serial(_LATEST_DATE),
                title, prompt(hint, full, na),
                Text("请填写日期", "Date").get(lang),
                Text("请填写日期，如 2024-3-15。", "Enter a date, e.g. 2024-03-15.").get(lang) + keep,
            )  # fmt: skip
        case AnswerType.text:
            return _Check(None, None, None, None, title, prompt(hint, na))


def _evidence_check(rule: Rule, pack: RulePack, lang: Lang) -> _Check:
    if rule.evidence_required:
        share = f"{pack.unsupported_credit * 100:.0f}%"
        return _Check(
            None,
            None,
            None,
            None,
            Text("本项需佐证", "Evidence required").get(lang),
            Text(
                f"写明能证明答案的材料名称和时间，如“会议纪要 2024-03”。没有佐证只得 {share} 分值。",
                f"Name the document that proves the answer and its date, e.g. 'minutes 2024-03'. "
                f"Without it only {share} of the points count.",
            ).get(lang),
        )
    return _Check(
        None,
        None,
        None,
        None,
        Text("佐证材料（可选）", "Evidence (optional)").get(lang),
        Text(
            "可写明佐证材料名称和时间，如“会议纪要 2024-03”。",
            "Optionally name the supporting document and its date, e.g. 'minutes 2024-03'.",
        ).get(lang),
    )


def _claimed_check(rule: Rule, lang: Lang) -> _Check:
    pts = _number(rule.points)
    if rule.points == 0:
        return _Check(
            None,
            None,
            None,
            None,
            Text("自评得分", "Self-score").get(lang),
            Text("本项不计分，无需填写自评得分。", "Not scored; no self-score needed.").get(lang),
        )
    return _Check(
        "decimal",
        "between",
        "0",
        pts,
        Text("自评得分（可选）", "Self-score (optional)").get(lang),
        Text(
            f"可选：填写本项自评得分，0–{pts} 分。",
            f"Optional: your own score for this item, 0–{pts}.",
        ).get(lang),
        Text("自评得分", "Self-score").get(lang),
        Text(f"自评得分应在 0 到 {pts} 分之间。", f"The self-score is between 0 and {pts}.").get(
            lang
        ),
    )


def _area_heading(index: int, area: Area, rules: Sequence[Rule], lang: Lang) -> str:
    base = [rule for rule in rules if not rule.bonus]
    bonus = len(rules) - len(base)
    pts = _number(sum(rule.points for rule in base))
    if lang is Lang.zh:
        extra = f"，另有加分项 {bonus} 项" if bonus else ""
        return f"{_cn_ordinal(index)}、{area.title.zh}（{len(base)} 项，{pts} 分{extra}）"
    extra = f"; {bonus} bonus" if bonus else ""
    return f"{index}. {area.title.en} ({len(base)} items, {pts} points{extra})"


def _assessment_sheet(
    sheet: Worksheet,
    pack: RulePack,
    rules: Sequence[Rule],
    lang: Lang,
    style: _Style,
    lists: _Lists,
    all_types: bool,
    last_year: LastYear | None = None,
) -> None:
    widths = _WIDTHS[lang]
    headers = list(layout.COLUMNS)
    if last_year is not None:
        # After the unit's own columns, so intake's columns and the template contract are unchanged.
        headers.append(("last_year", layout.LAST_YEAR_COLUMN))
        widths = {**widths, "last_year": 28.0}
    keys = [key for key, _ in headers]
    column = {key: index for index, key in enumerate(keys, start=1)}
    for key, index in column.items():
        sheet.column_dimensions[get_column_letter(index)].width = widths[key]

    for key, header in headers:
        cell = sheet.cell(row=1, column=column[key])
        _set_text(cell, header.get(lang))
        cell.font = style.bold
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = _WRAP_CENTER
    sheet.row_dimensions[1].height = 24

    checks: dict[_Check, list[str]] = {}
    row = 2
    areas = [area for area in pack.areas if any(rule.area == area.id for rule in rules)]
    for index, area in enumerate(areas, start=1):
        area_rules = [rule for rule in rules if rule.area == area.id]
        # Heading rows leave column A empty: intake reads rows by the rule id there.
        for col in range(1, len(keys) + 1):
            cell = sheet.cell(row=row, column=col)
            cell.fill = _AREA_FILL
            cell.border = Border(top=_THIN, bottom=_THIN)
        heading = sheet.cell(row=row, column=column["area"])
        _set_text(heading, _area_heading(index, area, area_rules, lang))
        heading.font = style.bold
        heading.alignment = Alignment(vertical="center", wrap_text=False)
        sheet.row_dimensions[row].height = 22
        row += 1
        for rule in area_rules:
            values: dict[str, str | CellRichText] = {
                "id": rule.id,
                "area": area.title.get(lang),
                "indicator": rule.indicator.get(lang),
            }
            if last_year is not None:
                values["last_year"] = _last_year_text(last_year, rule.id, lang)
            body = _guidance_text(rule, pack, lang, all_types)
            tags = _tags(rule, pack, lang)
            if tags:
                blocks: list[str | TextBlock] = []
                for number, (tag, color, note) in enumerate(tags):
                    blocks.append(TextBlock(style.inline(color, bold=True), tag))
                    end = "\n" if number == len(tags) - 1 else " "
                    gap = "" if lang is Lang.zh else " "
                    blocks.append(TextBlock(style.inline(), gap + note + end))
                blocks.append(TextBlock(style.inline(), body))
                values["guidance"] = CellRichText(*blocks)
                plain_guidance = str(values["guidance"])
            else:
                values["guidance"] = body
                plain_guidance = body
            for key in keys:
                cell = sheet.cell(row=row, column=column[key])
                cell.border = _BORDER
                cell.font = style.body
                if key in values:
                    _set_text(cell, values[key])
                if key in layout.INPUT_COLUMNS:
                    cell.protection = _UNLOCKED
                    cell.fill = _INPUT_FILL
                    cell.alignment = Alignment(wrap_text=True, vertical="center")
                elif key in ("id", "area"):
                    cell.alignment = _WRAP_CENTER
                elif key == "last_year":
                    cell.fill = _LAST_YEAR_FILL
                    cell.font = style.muted
                    cell.alignment = _WRAP_LEFT
                else:
                    cell.alignment = _WRAP_LEFT
            answer = sheet.cell(row=row, column=column["answer"])
            if rule.answer.type is AnswerType.ratio:
                answer.fill = _COMPUTED_FILL
            if rule.answer.type is AnswerType.date:
                answer.number_format = 'yyyy"年"m"月"d"日"' if lang is Lang.zh else "yyyy-mm-dd"
            elif rule.answer.type is AnswerType.text:
                answer.number_format = "@"
            claimed = sheet.cell(row=row, column=column["claimed"])
            evidence = sheet.cell(row=row, column=column["evidence"])
            checks.setdefault(_answer_check(rule, pack, lang, lists, all_types), []).append(
                answer.coordinate
            )
            checks.setdefault(_evidence_check(rule, pack, lang), []).append(evidence.coordinate)
            checks.setdefault(_claimed_check(rule, lang), []).append(claimed.coordinate)
            sheet.row_dimensions[row].height = style.face.tallest(
                [
                    (rule.id, widths["id"]),
                    (area.title.get(lang), widths["area"]),
                    (rule.indicator.get(lang), widths["indicator"]),
                    (plain_guidance, widths["guidance"]),
                    *([(str(values["last_year"]), widths["last_year"])] if last_year else []),
                ],
                minimum=30,
            )
            row += 1

    _add_checks(sheet, checks)
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    _print_setup(sheet, pack, lang, landscape=True)
    _protect(sheet)


# --- the hidden sheets ---------------------------------------------------------------------


def _last_year_text(last_year: LastYear, rule_id: str, lang: Lang) -> str:
    answer, evidence = last_year.answers.get(rule_id, ("", ""))
    if not answer and not evidence:
        return Text("（未填）", "(blank)").get(lang)
    if not evidence:
        return answer
    return f"{answer}\n{Text('佐证：', 'Evidence: ').get(lang)}{evidence}"


def _record_sheet(sheet: Worksheet, personal: Personal) -> None:
    for row, (key, value) in enumerate(record_rows(personal.record), start=1):
        _set_text(sheet.cell(row=row, column=1), key)
        _set_text(sheet.cell(row=row, column=2), value)
    _protect(sheet)
    # Very hidden: not listed under Unhide, and kept by Excel, WPS and LibreOffice on save.
    sheet.sheet_state = "veryHidden"


def _meta_sheet(sheet: Worksheet, pack: RulePack, lang: Lang, unit_type: UnitType | None) -> None:
    values = {
        "pack_id": pack.id,
        "pack_version": pack.version,
        "template_version": layout.TEMPLATE_VERSION,
        "lang": lang.value,
        "unit_type": unit_type.id if unit_type is not None else None,
    }
    for row, key in enumerate(layout.META_KEYS, start=1):
        _set_text(sheet.cell(row=row, column=1), key)
        value = values[key]
        if value is not None:
            _set_text(sheet.cell(row=row, column=2), value)
    _protect(sheet)
