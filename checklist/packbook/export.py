"""Write a pack as an editable workbook (``checklist rules export``).

Sheets: 说明 (the pack's settings and what every column means), then one table
per part of the pack (:data:`checklist.packbook.layout.TABLES`). Fixed-choice
columns carry dropdowns, numeric ones number validation; the header row is
frozen and repeated on every printed page.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from pathlib import Path

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from checklist.model import RulePack
from checklist.output import write_atomically
from checklist.packbook.document import PackDocument, get_path, pack_document, section_rows
from checklist.packbook.layout import (
    AREAS,
    GRADES,
    GUIDE,
    RULES,
    SETTINGS,
    TABLES,
    Kind,
    Table,
    to_cell,
)
from checklist.text import Text
from checklist.xlsx import FIXED_TIME

SPARE_ROWS = 300
"""Rows below the last item that still get dropdowns, for rules the maintainer adds."""

_FONT = "微软雅黑"
_LINE = 14.0  # points per line of 10 pt text
_MAX_LINES = 8
_PAGE_WIDTH = 180  # characters of column width that still read when fitted to one A4 page

_GUIDE_TEXT = {
    "title": Text("规则包工作簿：{title} {version}", "Rule pack workbook: {title} {version}"),
    "intro": Text(
        "本工作簿就是一个规则包：可在 Excel 或 WPS 中修改阈值、分值、适用范围，增加本地指标，"
        "然后用 checklist --rules 本文件.xlsx 直接评分，或用 checklist rules import 本文件.xlsx -o 文件夹 "
        "转成 YAML 规则包。导入时会逐条列出所有问题（工作表!单元格）。规则编号发布后不要改动，停用的编号不要再用。",
        "This workbook is a rule pack: change thresholds, points and scope, add local indicators "
        "in Excel or WPS, then score with checklist --rules this.xlsx, or turn it into a YAML pack "
        "with checklist rules import this.xlsx -o FOLDER. Every problem is listed at once, by "
        "sheet and cell. Never change a published rule id, and never reuse a retired one.",
    ),
    "settings": Text("规则包设置", "Pack settings"),
    "setting": Text("项目", "Setting"),
    "value": Text("内容", "Value"),
    "meaning": Text("说明", "Meaning"),
    "columns": Text("各工作表的列", "Columns of each sheet"),
    "sheet": Text("工作表", "Sheet"),
    "column": Text("列", "Column"),
    "allowed": Text("可填的值", "Allowed values"),
    "lists": Text(
        "多个值（别名、同义词、分档、答案词语）每行写一个（单元格内按 Alt+Enter 换行），也可用分号分隔；"
        "单位类型编号也可用逗号分隔。固定取值的列有下拉列表。列的顺序可以调整，表头文字不能改。",
        "Several values (aliases, synonyms, bands, answer words) go one a line (Alt+Enter in a "
        "cell) or separated by semicolons; unit type ids may also be comma-separated. Columns "
        "with fixed values have dropdowns. Columns may be reordered; keep the header texts.",
    ),
    "bad_value": Text("无效的值", "Invalid value"),
    "pick": Text("请从下拉列表中选择：{values}", "Pick from the list: {values}"),
    "number": Text("请填数字（不小于 0）", "Enter a number (0 or more)"),
    "year": Text("请填四位年份", "Enter a four-digit year"),
}


def write_pack_workbook(pack: RulePack, path: Path, lang: str = "zh") -> Path:
    """Write ``pack`` as a workbook to ``path`` (atomically; never over the pack's own files)."""
    document = pack_document(pack)
    inputs = [*Path(pack.path).glob("*.yaml"), Path(pack.path)] if pack.path else []
    return write_atomically(Path(path), lambda temp: _write(document, temp, lang), inputs)


def _width(text: str) -> float:
    """Display width in column units: CJK characters count about double."""
    return sum(2.0 if ord(ch) > 0x2E7F else 1.1 for ch in text)


def _lines(text: str, width: float) -> int:
    room = max(width - 1, 1.0)
    return sum(max(1, math.ceil(_width(part) / room)) for part in text.split("\n"))


class _Book:
    """The workbook with the few cell looks it uses."""

    def __init__(self, target: Path, lang: str) -> None:
        self.lang = lang
        self.workbook = Workbook(
            str(target),
            {
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
                "in_memory": True,
            },
        )
        base = {
            "font_name": _FONT,
            "font_size": 10,
            "valign": "top",
            "align": "left",
            "text_wrap": True,
        }
        self.cell = self.workbook.add_format(base)
        self.head = self.workbook.add_format(
            base | {"bold": True, "bg_color": "#DDEBF7", "border": 1, "border_color": "#9BB7D4"}
        )
        self.title = self.workbook.add_format(base | {"bold": True, "font_size": 14})
        self.note = self.workbook.add_format(base | {"font_color": "#444444"})

    def sheet(self, name: Text, widths: Sequence[float]) -> Worksheet:
        ws = self.workbook.add_worksheet(name.get(self.lang))
        ws.set_paper(9)
        ws.set_landscape()
        # A sheet much wider than a page prints across pages at full size
        # rather than shrunk to an unreadable strip.
        if sum(widths) <= _PAGE_WIDTH:
            ws.fit_to_pages(1, 0)
        else:
            ws.set_print_scale(60)
        for col, width in enumerate(widths):
            ws.set_column(col, col, width, self.cell)
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
        return ws

    def row(
        self,
        ws: Worksheet,
        row: int,
        values: Sequence[object],
        widths: Sequence[float],
        fmt: Format,
        max_lines: int = _MAX_LINES,
    ) -> None:
        """Write one row and give it the height its longest wrapped cell needs."""
        lines = 1
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, int | float) and not isinstance(value, bool):
                ws.write_number(row, col, value, fmt)
                continue
            text = str(value)
            ws.write_string(row, col, text, fmt)
            lines = max(lines, _lines(text, widths[col]))
        # Long texts show their first lines; the rest is in the cell for editing.
        ws.set_row(row, min(max_lines, lines) * _LINE + 4)


def _sheet_ref(table: Table, lang: str, column: int, rows: int) -> str:
    letter = chr(ord("A") + column)
    return f"='{table.name.get(lang)}'!${letter}$2:${letter}${rows + SPARE_ROWS + 1}"


_REFERENCES = {
    ("rules", "area"): AREAS,
    ("rules", "answer.numerator"): RULES,
    ("rules", "answer.denominator"): RULES,
    ("choices", "rule"): RULES,
}
"""Columns whose cells name an item of another table: a dropdown of that table's ids."""


def _validations(ws: Worksheet, table: Table, rows: int, document: PackDocument, lang: str) -> None:
    last = rows + SPARE_ROWS
    text = _GUIDE_TEXT
    for col, column in enumerate(table.columns):
        options: dict[str, object] | None = None
        if column.kind in (Kind.word, Kind.flag):
            values = (
                [w.label.get(lang) for w in column.words]
                if column.kind is Kind.word
                else (["是", "否"] if lang == "zh" else ["yes", "no"])
            )
            options = {"validate": "list", "source": values}
            message = text["pick"].format(values=", ".join(values)).get(lang)
        elif (table.section, column.key) in _REFERENCES:
            target = _REFERENCES[table.section, column.key]
            count = len(section_rows(document, target.section))
            options = {"validate": "list", "source": _sheet_ref(target, lang, 0, count)}
            message = text["pick"].format(values=target.name.get(lang)).get(lang)
        elif column.kind is Kind.number:
            options = {"validate": "decimal", "criteria": ">=", "value": 0}
            message = text["number"].get(lang)
        elif column.kind is Kind.whole:
            options = {
                "validate": "integer",
                "criteria": "between",
                "minimum": 1949,
                "maximum": 2100,
            }
            message = text["year"].get(lang)
        if options is not None:
            options |= {"error_title": text["bad_value"].get(lang), "error_message": message}
            ws.data_validation(1, col, last, col, options)


def _table(book: _Book, table: Table, document: PackDocument) -> None:
    lang = book.lang
    widths = [c.width for c in table.columns]
    ws = book.sheet(table.name, widths)
    book.row(ws, 0, [c.label.get(lang) for c in table.columns], widths, book.head)
    items = section_rows(document, table.section)
    for index, item in enumerate(items, start=1):
        values = [to_cell(c, get_path(item, c.key), lang) for c in table.columns]
        book.row(ws, index, values, widths, book.cell)
    ws.freeze_panes(1, 1 if table is RULES else 0)
    if table is RULES:
        ws.repeat_columns(0)
    ws.autofilter(0, 0, max(len(items), 1), len(table.columns) - 1)
    ws.repeat_rows(0)
    _validations(ws, table, len(items), document, lang)


def _guide(book: _Book, document: PackDocument) -> None:
    lang = book.lang
    text = _GUIDE_TEXT
    widths = [22.0, 50.0, 56.0, 30.0]
    ws = book.sheet(GUIDE, widths)
    pack = document.pack
    title = pack["title"]["zh" if lang == "zh" else "en"]
    ws.write_string(
        0, 0, text["title"].format(title=title, version=pack["version"]).get(lang), book.title
    )
    ws.set_row(0, 24)
    ws.merge_range(1, 0, 1, 3, "", book.note)
    ws.write_string(1, 0, text["intro"].get(lang), book.note)
    ws.set_row(1, _lines(text["intro"].get(lang), sum(widths)) * _LINE + 6)
    row = 3
    ws.write_string(row, 0, text["settings"].get(lang), book.title)
    ws.set_row(row, 24)
    row += 1
    book.row(
        ws, row, [text[k].get(lang) for k in ("setting", "value", "meaning")], widths, book.head
    )
    for column in SETTINGS:
        row += 1
        value = to_cell(column, get_path(pack, column.key), lang)
        book.row(
            ws, row, [column.label.get(lang), value, column.help.get(lang)], widths, book.cell, 40
        )
    grades_ref = _sheet_ref(GRADES, lang, 0, len(pack["grades"]))
    veto_row = 5 + [c.key for c in SETTINGS].index("veto_cap")
    ws.data_validation(veto_row, 1, veto_row, 1, {"validate": "list", "source": grades_ref})
    row += 2
    ws.write_string(row, 0, text["columns"].get(lang), book.title)
    ws.set_row(row, 24)
    row += 1
    ws.merge_range(row, 0, row, 3, "", book.note)
    ws.write_string(row, 0, text["lists"].get(lang), book.note)
    ws.set_row(row, _lines(text["lists"].get(lang), sum(widths)) * _LINE + 6)
    row += 1
    book.row(
        ws,
        row,
        [text[k].get(lang) for k in ("sheet", "column", "meaning", "allowed")],
        widths,
        book.head,
    )
    for table in TABLES:
        row += 1
        book.row(ws, row, [table.name.get(lang), "", table.help.get(lang), ""], widths, book.head)
        for column in table.columns:
            row += 1
            allowed = column.word_list(lang) if column.kind in (Kind.word, Kind.flag) else ""
            book.row(
                ws,
                row,
                [table.name.get(lang), column.label.get(lang), column.help.get(lang), allowed],
                widths,
                book.cell,
            )
    ws.repeat_rows(0)


def _write(document: PackDocument, target: Path, lang: str) -> None:
    book = _Book(target, lang)
    book.workbook.set_properties(
        {
            "title": f"{document.pack['id']} {document.pack['version']}",
            "author": "checklist",
            "created": FIXED_TIME.replace(tzinfo=dt.UTC),
        }
    )
    _guide(book, document)
    for table in TABLES:
        _table(book, table, document)
    book.workbook.close()
