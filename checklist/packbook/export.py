"""Write a pack as an editable workbook (``checklist rules export``).

Sheets: 说明 (the pack's settings and what every column means), then one table
per part of the pack (:data:`checklist.packbook.layout.TABLES`). Fixed-choice
columns carry dropdowns, numeric ones number validation; the header row is
frozen and repeated on every printed page. Laid out with the workbook kit
(:mod:`checklist.report.kit`) like every other workbook checklist writes.
"""

from __future__ import annotations

from pathlib import Path

from xlsxwriter.worksheet import Worksheet

from checklist.model import RulePack
from checklist.origin import Made
from checklist.packbook.document import PackDocument, get_path, pack_document, section_rows
from checklist.packbook.layout import (
    AREAS,
    GRADES,
    GUIDE,
    RULES,
    SETTINGS,
    TABLES,
    Column,
    Kind,
    Table,
    to_cell,
)
from checklist.report import kit
from checklist.text import Text

SPARE_ROWS = 300
"""Rows below the last item that still get dropdowns, for rules the maintainer adds."""

_PAGE_WIDTH = 180
"""Column units that still read when a sheet is fitted to one A4 page wide."""

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
    title = f"{pack.id} {pack.version}"

    def fill(book: kit.Book) -> None:
        _guide(book, document, title)
        for table in TABLES:
            _table(book, table, document, title)

    return kit.write_book(Path(path), lang, title, fill, inputs, pack.title.get(lang), Made.pack)


def _kit_column(column: Column) -> kit.Column:
    short = column.kind in (Kind.number, Kind.whole, Kind.flag, Kind.word)
    return kit.Column(column.label, column.width, kit.CENTRE if short else kit.BODY)


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


def _table(book: kit.Book, table: Table, document: PackDocument, title: str) -> None:
    lang = book.lang
    sheet = book.sheet(table.name)
    columns = [_kit_column(c) for c in table.columns]
    sheet.widths(columns)
    items = section_rows(document, table.section)
    rows = [[to_cell(c, get_path(item, c.key), lang) for c in table.columns] for item in items]
    sheet.table(0, columns, rows)
    ws = sheet.ws
    ws.freeze_panes(1, 1 if table is RULES else 0)
    ws.autofilter(0, 0, max(len(items), 1), len(columns) - 1)
    _validations(ws, table, len(items), document, lang)
    sheet.finish(title, repeat=(0, 0))
    if sum(c.width for c in table.columns) > _PAGE_WIDTH:
        # Fitted to one page, the 规则 sheet's thirty-odd columns would print as an
        # unreadable strip: print it across pages, the id column on each.
        ws.fit_page = False
        ws.set_print_scale(60)
        ws.repeat_columns(0)


def _guide(book: kit.Book, document: PackDocument, title: str) -> None:
    lang = book.lang
    words = {key: text.get(lang) for key, text in _GUIDE_TEXT.items()}
    sheet = book.sheet(GUIDE)
    widths = (22.0, 50.0, 56.0, 30.0)
    sheet.widths(widths)
    pack = document.pack
    name = pack["title"]["zh" if lang == "zh" else "en"]
    heading = _GUIDE_TEXT["title"].format(title=name, version=pack["version"]).get(lang)
    row = sheet.title(heading, words["intro"], len(widths) - 1)
    row = sheet.section(row, words["settings"], last=len(widths) - 1)
    # Values are text and numbers in one column: all flush left.
    value_style = {**kit.BODY, "align": "left"}
    settings = [
        kit.Column(_GUIDE_TEXT["setting"], widths[0], kit.LABEL),
        kit.Column(_GUIDE_TEXT["value"], widths[1], value_style),
        kit.Column(_GUIDE_TEXT["meaning"], widths[2]),
    ]
    top = row
    row = sheet.table(
        top,
        settings,
        [
            [c.label.get(lang), to_cell(c, get_path(pack, c.key), lang), c.help.get(lang)]
            for c in SETTINGS
        ],
    )
    veto_row = top + 1 + [c.key for c in SETTINGS].index("veto_cap")
    grades_ref = _sheet_ref(GRADES, lang, 0, len(pack["grades"]))
    sheet.ws.data_validation(veto_row, 1, veto_row, 1, {"validate": "list", "source": grades_ref})
    row = sheet.section(row + 2, words["columns"], last=len(widths) - 1)
    row = sheet.note(row, words["lists"], len(widths) - 1)
    explained: list[list[object]] = []
    styles: dict[tuple[int, int], kit.Style] = {}
    for table in TABLES:
        styles |= {(len(explained), col): kit.LABEL for col in range(len(widths))}
        explained.append([table.name.get(lang), "", table.help.get(lang), ""])
        for column in table.columns:
            allowed = column.word_list(lang) if column.kind in (Kind.word, Kind.flag) else ""
            explained.append(
                [table.name.get(lang), column.label.get(lang), column.help.get(lang), allowed]
            )
    columns = [
        kit.Column(_GUIDE_TEXT[k], w)
        for k, w in zip(("sheet", "column", "meaning", "allowed"), widths, strict=True)
    ]
    sheet.table(row, columns, explained, styles)
    sheet.finish(title)
