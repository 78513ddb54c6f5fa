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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
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
from checklist.model import AnswerType, Area, Rule, RulePack, UnitType
from checklist.output import write_atomically
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

_FONT = {Lang.zh: "宋体", Lang.en: "Calibri"}
_SIZE = 10.5  # 五号, the usual size of Chinese office forms

_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_AREA_FILL = PatternFill("solid", fgColor="EDEDED")
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_COMPUTED_FILL = PatternFill("solid", fgColor="E2EFDA")
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

# Height of one line of 10.5 pt text and the padding around a cell's text, in
# points. LibreOffice never auto-fits row heights of an .xlsx on open, so every
# row with wrapped text gets an explicit height estimated from its text.
_LINE = 14.5
_PAD = 8.0
# Width of a Latin character in column units: 宋体 draws it at exactly half a
# CJK character; Calibri's average letter is narrower.
_LATIN_WIDTH = {Lang.zh: 1.0, Lang.en: 0.8}

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
    pack: RulePack, lang: Lang = Lang.zh, unit_type: UnitType | None = None
) -> Workbook:
    """The template workbook in memory (save it with :func:`checklist.xlsx.save_workbook`)."""
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
    _instructions_sheet(instructions, pack, rules, lang, unit_type, style)
    _unit_sheet(unit, pack, lang, unit_type, style, lists)
    _assessment_sheet(assessment, pack, rules, lang, style, lists, unit_type is None)
    _meta_sheet(meta, pack, lang, unit_type)
    _protect(lists.sheet)

    meta.sheet_state = "hidden"
    lists.sheet.sheet_state = "hidden"
    # A hidden active or selected sheet is one of the things Excel "repairs".
    workbook.active = 0
    for sheet in workbook.worksheets[1:]:
        sheet.sheet_view.tabSelected = False
    workbook.properties.creator = "checklist"
    workbook.properties.title = f"{pack.title.get(lang)} {layout.ASSESSMENT_SHEET.get(lang)}"
    return workbook


# --- shared helpers ----------------------------------------------------------------------


class _Style:
    """Fonts for one language."""

    def __init__(self, lang: Lang) -> None:
        name = _FONT[lang]
        self.name = name
        self.body = Font(name=name, size=_SIZE)
        self.bold = Font(name=name, size=_SIZE, bold=True)
        self.title = Font(name=name, size=16, bold=True)
        self.heading = Font(name=name, size=12, bold=True)
        self.muted = Font(name=name, size=_SIZE, color="595959")

    def inline(self, color: str | None = None, bold: bool = False) -> InlineFont:
        """A rich-text run font (runs do not inherit the cell font in every program)."""
        return InlineFont(
            rFont=self.name, sz=_SIZE, b=bold or None, color=Color(rgb=color) if color else None
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
    """Write text that can never turn into a formula."""
    from openpyxl.cell.cell import Cell

    assert isinstance(cell, Cell)
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


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


def _char_width(char: str, latin: float) -> float:
    return 2.0 if unicodedata.east_asian_width(char) in "WFA" else latin


def _line_count(text: str, width: float, latin: float = 1.0) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide.

    A greedy simulation of how Excel and LibreOffice wrap: CJK characters
    break anywhere, Latin words only at spaces. The small margin covers cell
    padding and the rule that CJK punctuation may not start a line.
    """
    capacity = max(width - 2.0, 1.0)
    total = 0
    for paragraph in text.split("\n"):
        lines, used = 1, 0.0
        for token in re.findall(r"[^\x00-\x7f]|[\x21-\x7e]+ *| +", paragraph):
            size = sum(_char_width(c, latin) for c in token)
            trailing = len(token) - len(token.rstrip(" "))
            # Spaces at the end of a line may hang past the edge.
            if used and used + size - trailing > capacity:
                lines += 1
                used = 0.0
            while size > capacity:
                lines += 1
                size -= capacity
            used += size
        total += lines
    return total


def _height(texts: Iterable[tuple[str, float]], lang: Lang, minimum: float = 20.0) -> float:
    """Row height (points) that shows every ``(text, column width)`` in full."""
    latin = _LATIN_WIDTH[lang]
    lines = max((_line_count(text, width, latin) for text, width in texts), default=1)
    return max(minimum, round(lines * _LINE + _PAD, 1))


_Kind = Literal["whole", "decimal", "list", "date"]
_Operator = Literal["between", "greaterThanOrEqual"]


@dataclass(frozen=True, slots=True)
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
    # "&" starts a header/footer code; a literal one is written "&&".
    title = pack.title.get(lang).replace("&", "&&")
    name = sheet.title.replace("&", "&&")
    header.center.text = f"{title}　{name}" if lang is Lang.zh else f"{title} – {name}"
    header.center.size = 9
    footer.center.text = "第 &P 页，共 &N 页" if lang is Lang.zh else "Page &P of &N"
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


def _instructions_sheet(
    sheet: Worksheet,
    pack: RulePack,
    rules: Sequence[Rule],
    lang: Lang,
    unit_type: UnitType | None,
    style: _Style,
) -> None:
    widths = (14.0, 100.0) if lang is Lang.zh else (16.0, 104.0)
    sheet.column_dimensions["A"].width = widths[0]
    sheet.column_dimensions["B"].width = widths[1]
    sheet.sheet_view.showGridLines = False

    unit_sheet = layout.UNIT_SHEET.get(lang)
    form = layout.ASSESSMENT_SHEET.get(lang)
    header = {key: text.get(lang) for key, text in layout.COLUMNS}
    veto_cap = pack.grade(pack.veto_cap).title.get(lang)
    unsupported = f"{pack.unsupported_credit * 100:.0f}%"
    bonus_count = sum(1 for rule in rules if rule.bonus)
    type_text = (
        unit_type.title.get(lang)
        if unit_type is not None
        else Text("全部类型（", "all types (").get(lang)
        + ("、" if lang is Lang.zh else ", ").join(t.title.get(lang) for t in pack.unit_types)
        + Text("）", ")").get(lang)
    )

    row = 1

    def put(
        label: str | CellRichText,
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
        sheet.row_dimensions[row].height = _height(
            [(text, widths[1]), (str(label), widths[0])], lang
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

    title = Text(
        f"{pack.title.zh}（{pack.version} 版）填报说明",
        f"{pack.title.en} (version {pack.version}): how to fill in this workbook",
    )
    heading(title.get(lang), style.title, 30)
    # No "label：value" pairs and no "2024年" in these sheets: intake looks for
    # unit information (and a year in titles) on every visible sheet.
    facts = Text(
        f"规则包 {pack.id} {pack.version} · 模板版本 {layout.TEMPLATE_VERSION} · 适用于{type_text} · "
        f"共 {len(rules)} 项指标（其中加分项 {bonus_count} 项）",
        f"Rule pack {pack.id} {pack.version} · template version {layout.TEMPLATE_VERSION} · "
        f"for {type_text} · {len(rules)} indicators ({bonus_count} bonus)",
    )
    put("", facts.get(lang), font=style.muted)
    if pack.description is not None:
        put("", pack.description.get(lang), font=style.muted)
    gap()

    how = Text("一、如何填写", "1. How to fill in")
    heading(how.get(lang), style.heading, 24)
    steps = [
        Text(
            f"先在“{unit_sheet}”表中填写单位名称、单位类型（下拉选择）、所属镇（街道）、年度（如 2024）、填报人和联系电话。",
            f"On the '{unit_sheet}' sheet, fill in the unit name, unit type (pick from the list), "
            "town (street), year (e.g. 2024), who filled it in and a phone number.",
        ),
        Text(
            f"在“{form}”表中逐项填写黄色单元格。“{header['answer']}”列：是否类指标从下拉列表选“是”或“否”；"
            "选择类指标从下拉列表选择；数量只填阿拉伯数字（如 12，不写“十二人”“约12”）；"
            "金额等按“填报说明”列注明的单位填写数字；百分比填 0–100 的数字（如 95 表示 95%，也可直接填 95%）；"
            "日期填如 2024-3-15。",
            f"On the '{form}' sheet, fill in the yellow cells row by row. '{header['answer']}' column: for "
            "yes/no indicators pick Yes or No from the list; for choice indicators pick from the list; "
            "counts as digits only (12, not 'twelve people' or 'about 12'); amounts as a number in the unit "
            "given in the guidance column; percentages as a number from 0 to 100 (95 means 95%; 95% also "
            "works); dates like 2024-03-15.",
        ),
        Text(
            "只有下拉列表或“填报说明”中给出“不适用”的指标才可填“不适用”，该项不计入应得分（上级会核实）；"
            "其他指标适用于每个单位，填“不适用”按未填报计 0 分。"
            "不清楚或尚未统计的请留空：留空按“未填报”处理，不得分，但绝不会当作“否”。",
            "Write N/A only where the list or the guidance offers it; such an indicator then leaves "
            "the total (your answer may be checked). Every other indicator applies to every unit, "
            "and N/A there counts as not answered (0 points). Leave a cell blank if you do not know: "
            "blank counts as not answered, never as 'No'.",
        ),
        Text(
            f"“{header['evidence']}”列写明能证明答案的材料名称和时间，如“会议纪要 2024-03”“工会成立批复 2023-05”，"
            "不需要粘贴材料本身。",
            f"'{header['evidence']}' column: name the document that proves the answer and its date, "
            "e.g. 'meeting minutes 2024-03', 'union founding approval 2023-05'; do not paste the document.",
        ),
        Text(
            f"“{header['claimed']}”列可选填本单位自评的得分，将与按规则计算的得分核对；“{header['remarks']}”列可填其他说明。",
            f"'{header['claimed']}' is optional: your own score for the item, which is compared with "
            f"the computed score. '{header['remarks']}' is for anything else.",
        ),
        Text(
            f"只填黄色单元格。请勿重新录入或改排表格，勿删除、插入或调换行，勿修改“{header['id']}”列和指标文字；"
            "表格已保护（无密码），确需调整时可在“审阅”中撤销工作表保护。",
            "Only fill in the yellow cells. Do not retype or rearrange the form, do not delete, insert or "
            f"reorder rows, and do not change the '{header['id']}' column or the indicator texts. "
            "The sheets are protected without a password; unprotect them (Review menu) only if you must.",
        ),
        Text(
            "填好后保存为 .xlsx 格式（不要另存为 .xls、.et 或 PDF），文件名建议写明单位和年度，如“东林村-2024-自评表.xlsx”，按要求报送。",
            "When done, save as .xlsx (not .xls, .et or PDF), ideally named after the unit and year, "
            "e.g. 'Donglin-2024-self-assessment.xlsx', and send it in as asked.",
        ),
    ]
    for number, step in enumerate(steps, start=1):
        put(f"{number}", step.get(lang), label_font=style.body)
    gap()

    scoring = Text("二、如何计分", "2. How scoring works")
    heading(scoring.get(lang), style.heading, 24)
    points = [
        Text(
            f"每项指标的分值和满分要求写在“{header['guidance']}”列。基础得分 = 实得分 ÷ 适用指标的应得分 × 100；"
            "不适用于本单位的指标不计入应得分，留空的指标计入应得分但得 0 分。",
            f"Each indicator's points and what earns them are in the '{header['guidance']}' column. "
            "Base score = points earned ÷ points of the applicable indicators × 100. Indicators that "
            "do not apply to your unit leave the total; blank ones stay in it and earn 0.",
        ),
        Text(
            "数量、比例类指标按档次计分（如“≥2次 满分；≥1次 得50%”），部分指标按差额扣分，扣完为止。",
            "Counts and rates are scored in steps (e.g. 'at least 2 times: full; at least 1: 50%'); "
            "some deduct points per step short of the target, down to zero.",
        ),
        Text(
            f"否决项（一票否决）：未达标时，无论总分多少，等级最高为“{veto_cap}”。",
            f"Veto items: if one is not met, the grade is at most '{veto_cap}' whatever the total.",
        ),
        Text(
            f"加分项：在基础得分之外另行加分，合计最多加 {_number(pack.bonus_cap)} 分；未达到不扣分。",
            f"Bonus items add points on top of the base score, {_number(pack.bonus_cap)} points at "
            "most in all; missing them costs nothing.",
        ),
        Text(
            f"需佐证的指标：回答达标但未写佐证材料的，只得该项分值的 {unsupported}。",
            f"Evidence-required items: a positive answer without evidence earns only {unsupported} of "
            "the item's points.",
        ),
        Text(
            "比例类指标（标“自动计算”）由对应的两项数量自动计算，可以不填；如填写，将与计算结果核对"
            f"（相差超过 {_number(pack.ratio_tolerance)} 个百分点会被提示）。",
            "Rates marked 'computed' are worked out from their two counts, so they may be left blank; "
            f"a stated rate is checked against the computed one (a gap over "
            f"{_number(pack.ratio_tolerance)} percentage points is flagged).",
        ),
        Text(
            "总分 = 基础得分 + 加分，按下表评定等级：",
            "Total = base score + bonus; the grade follows from the total:",
        ),
    ]
    for number, point in enumerate(points, start=1):
        put(f"{number}", point.get(lang), label_font=style.body)
    for grade_id, text in _grade_lines(pack):
        put(pack.grade(grade_id).title.get(lang), text.get(lang), fill=_AREA_FILL)
    gap()

    legend = Text("三、图例", "3. Legend")
    heading(legend.get(lang), style.heading, 24)
    marks = _marks(lang)
    put(
        Text("填写处", "fill in").get(lang),
        Text(
            "黄色单元格：请填写。其余单元格已保护，不能修改。",
            "Yellow cells: fill these in. All other cells are protected.",
        ).get(lang),
        fill=_INPUT_FILL,
        label_font=style.body,
    )
    put(
        Text("自动计算", "computed").get(lang),
        Text(
            "绿色单元格：比例由两项数量自动计算，可不填。",
            "Green cells: the rate is computed from two counts; you may leave it blank.",
        ).get(lang),
        fill=_COMPUTED_FILL,
        label_font=style.body,
    )
    for tag, color, meaning in (
        (
            marks.veto,
            _VETO_COLOR,
            Text(
                f"一票否决：未达标时等级最高为“{veto_cap}”。",
                f"Veto: if not met, the grade is at most '{veto_cap}'.",
            ),
        ),
        (
            marks.bonus,
            _BONUS_COLOR,
            Text(
                f"加分项：另行加分，合计最多 {_number(pack.bonus_cap)} 分。",
                f"Bonus: extra points, {_number(pack.bonus_cap)} at most in all.",
            ),
        ),
        (
            marks.evidence,
            _EVIDENCE_COLOR,
            Text(
                f"需佐证：须在“{header['evidence']}”列写明材料，否则只得 {unsupported} 分值。",
                f"Evidence required: name the document in '{header['evidence']}', or only {unsupported} of the points count.",
            ),
        ),
    ):
        put(
            tag,
            meaning.get(lang),
            label_font=Font(name=style.name, size=_SIZE, bold=True, color=color),
        )
    put(
        _NA.get(lang),
        Text(
            "本单位确实没有该项工作对象时填写，该项不计入应得分。",
            "Only where the indicator truly does not apply to your unit; it leaves the total.",
        ).get(lang),
        label_font=style.body,
    )
    put(
        Text("（空白）", "(blank)").get(lang),
        Text(
            "视为未填报：不得分，列入缺项清单，但不会当作“否”。",
            "Not answered: no points and listed as missing, but never read as 'No'.",
        ).get(lang),
        label_font=style.body,
    )

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
        checks.setdefault(check, []).append(value.coordinate)
    _add_checks(sheet, checks)
    _print_setup(sheet, pack, lang, landscape=False)
    _protect(sheet)


# --- the self-assessment sheet ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
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
) -> None:
    widths = _WIDTHS[lang]
    keys = [key for key, _ in layout.COLUMNS]
    column = {key: index for index, key in enumerate(keys, start=1)}
    for key, index in column.items():
        sheet.column_dimensions[get_column_letter(index)].width = widths[key]

    for key, header in layout.COLUMNS:
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
            sheet.row_dimensions[row].height = _height(
                [
                    (rule.id, widths["id"]),
                    (area.title.get(lang), widths["area"]),
                    (rule.indicator.get(lang), widths["indicator"]),
                    (plain_guidance, widths["guidance"]),
                ],
                lang,
                minimum=30,
            )
            row += 1

    _add_checks(sheet, checks)
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    _print_setup(sheet, pack, lang, landscape=True)
    _protect(sheet)


# --- the hidden sheets ---------------------------------------------------------------------


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
