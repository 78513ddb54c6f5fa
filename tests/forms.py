"""Self-assessment workbooks built in code: a clean form and the ways units mangle it.

Every builder takes the same answers and writes them in a different real-world
shape, so a metamorphic test can check that each shape scores exactly like the
clean file.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from checklist.model import AnswerType, Rule, RulePack

Cell = str | int | float | dt.date | None


@dataclass(frozen=True)
class Filled:
    """One rule's answer as a unit would type it."""

    answer: Cell
    evidence: str = ""
    claimed: Cell = None


@dataclass(frozen=True)
class Form:
    """What a unit wants to say: its details and an answer per rule."""

    name: str
    unit_type_zh: str
    year: int
    town: str
    answers: dict[str, Filled] = field(default_factory=dict)


def sample_answers(pack: RulePack, unit_type: str, seed: int = 7) -> dict[str, Filled]:
    """A plausible, varied set of answers for every rule that applies to ``unit_type``."""
    rng = random.Random(seed)
    answers: dict[str, Filled] = {}
    for index, rule in enumerate(pack.rules):
        if rule.applies_to and unit_type not in rule.applies_to:
            continue
        if index % 11 == 5:
            continue  # left blank: missing
        answers[rule.id] = Filled(
            _sample_value(rule, rng),
            evidence="2024年工作台账" if rule.evidence_required and index % 3 else "",
            claimed=rule.points if index % 4 == 0 else None,
        )
    return answers


def _sample_value(rule: Rule, rng: random.Random) -> Cell:
    spec = rule.answer
    match spec.type:
        case AnswerType.yesno:
            return rng.choice(["是", "是", "否"])
        case AnswerType.count:
            return rng.choice([0, 1, 2, 3, 4, 6, 12, 25, 48, 120])
        case AnswerType.number:
            return rng.choice([1.5, 3, 12.5, 33.5, 41])
        case AnswerType.percent:
            return rng.choice([60, 85, 92, 96.5, 100])
        case AnswerType.ratio:
            return None  # computed from its counts
        case AnswerType.choice:
            return rng.choice(spec.choices).label.zh
        case AnswerType.date:
            return dt.date(rng.choice([2019, 2021, 2023]), rng.randint(1, 12), rng.randint(1, 28))
        case AnswerType.text:
            return "王芳 党总支副书记"


# --- writers -------------------------------------------------------------------------


HEADER = ("编号", "类别", "指标", "填报说明", "自评填报", "佐证材料", "自评得分", "备注")


def _unit_rows(form: Form) -> list[list[Cell]]:
    return [
        ["单位名称", form.name],
        ["单位类型", form.unit_type_zh],
        ["所属镇（街道）", form.town],
        ["年度", form.year],
        ["填报人", "李明"],
        ["联系电话", "0512-53520000"],
    ]


def clean_form(pack: RulePack, form: Form, path: Path) -> Path:
    """The template layout, filled in: a unit-information sheet and the 自评表."""
    book = openpyxl.Workbook()
    info = book.active
    assert info is not None
    info.title = "单位信息"
    for row in _unit_rows(form):
        info.append(row)
    sheet = book.create_sheet("自评表")
    sheet.append(list(HEADER))
    for rule in pack.rules:
        filled = form.answers.get(rule.id, Filled(None))
        area = pack.area(rule.area).title.zh
        sheet.append(
            [
                rule.id,
                area,
                rule.indicator.zh,
                "",
                filled.answer,
                filled.evidence,
                filled.claimed,
                "",
            ]
        )
    book.save(path)
    return path


Builder = Callable[[RulePack, Form, Path], Path]


def _rows(pack: RulePack, form: Form) -> list[tuple[Rule, Filled]]:
    return [(rule, form.answers.get(rule.id, Filled(None))) for rule in pack.rules]


def other_header_words(pack: RulePack, form: Form, path: Path) -> Path:
    """序号 | 考核项目 | 考核内容 | 自评情况 | 证明材料 | 自评分 | 说明; numbered 1..n, no ids."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Sheet1"
    sheet.append(["单位名称：" + form.name])
    sheet.append([f"单位类型：{form.unit_type_zh}", None, f"年度：{form.year}"])
    sheet.append(["序号", "考核项目", "考核内容", "自评情况", "证明材料", "自评分", "说明"])
    for n, (rule, filled) in enumerate(_rows(pack, form), start=1):
        sheet.append(
            [
                n,
                pack.area(rule.area).title.zh,
                rule.indicator.zh,
                filled.answer,
                filled.evidence,
                filled.claimed,
                None,
            ]
        )
    book.save(path)
    return path


def shuffled_with_ids(pack: RulePack, form: Form, path: Path) -> Path:
    """Columns reordered, rows shuffled, blank rows in between; ids kept."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "自评"
    sheet.append(["单位名称", form.name, None, "年度", form.year])
    sheet.append(["单位类型", form.unit_type_zh])
    sheet.append([])
    sheet.append(["指标", "自评得分", "自评填报", "编号", "佐证材料", "类别"])
    rows = _rows(pack, form)
    random.Random(3).shuffle(rows)
    for n, (rule, filled) in enumerate(rows):
        if n % 9 == 4:
            sheet.append([])
        sheet.append(
            [
                rule.indicator.zh,
                filled.claimed,
                filled.answer,
                rule.id,
                filled.evidence,
                pack.area(rule.area).title.zh,
            ]
        )
    book.save(path)
    return path


def shuffled_without_ids(pack: RulePack, form: Form, path: Path) -> Path:
    """Retyped: rows in a different order, numbered 1..n, no rule ids, 填报情况 column."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([f"单位名称：{form.name}"])
    sheet.append([f"单位类型：{form.unit_type_zh}"])
    sheet.append([f"年度：{form.year}"])
    sheet.append(["序号", "指标", "填报情况", "佐证", "自评得分"])
    rows = _rows(pack, form)
    random.Random(11).shuffle(rows)
    for n, (rule, filled) in enumerate(rows, start=1):
        sheet.append([n, rule.indicator.zh, filled.answer, filled.evidence, filled.claimed])
    book.save(path)
    return path


def titles_and_merged_areas(pack: RulePack, form: Form, path: Path) -> Path:
    """Title and stamp lines above the header; the area column merged down each area."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([f"{form.year}年度基层群团组织建设自评表"])
    sheet.merge_cells("A1:F1")
    sheet.append([f"单位：{form.name}（盖章）", None, None, f"单位类型：{form.unit_type_zh}"])
    sheet.append([None, None, None, None, "填表日期：2024年12月29日"])
    sheet.append(["考核项目", "序号", "考核内容", "自评情况", "佐证材料", "自评分"])
    row = 5
    for area in pack.areas:
        members = [(r, f) for r, f in _rows(pack, form) if r.area == area.id]
        first = row
        for n, (rule, filled) in enumerate(members, start=1):
            # Written like "工 会 基 础 工 作" in real forms: spaced characters.
            sheet.append(
                [
                    " ".join(area.title.zh) if n == 1 else None,
                    n,
                    rule.indicator.zh,
                    filled.answer,
                    filled.evidence,
                    filled.claimed,
                ]
            )
            row += 1
        if row - 1 > first:
            sheet.merge_cells(start_row=first, start_column=1, end_row=row - 1, end_column=1)
    sheet.append(["合计", None, None, None, None, None])
    sheet.append(["注：本表由各单位如实填写，1月10日前报送。"])
    book.save(path)
    return path


def area_heading_rows(pack: RulePack, form: Form, path: Path) -> Path:
    """Area headings as rows of their own (一、领导重视（20分）), blank rows between areas."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["单位名称", form.name, "单位类型", form.unit_type_zh, "年度", f"{form.year}年"])
    sheet.append(["序号", "考评内容指标", "自评填报", "佐证材料", "自评得分", "备注"])
    numerals = "一二三四五六七八九十"
    for i, area in enumerate(pack.areas):
        members = [(r, f) for r, f in _rows(pack, form) if r.area == area.id]
        points = sum(r.points for r, _ in members if not r.bonus)
        sheet.append([f"{numerals[i]}、", f"{area.title.zh}（{points:g}分）"])
        for n, (rule, filled) in enumerate(members, start=1):
            sheet.append(
                [
                    n,
                    f"{n}. {rule.indicator.zh}",
                    filled.answer,
                    filled.evidence,
                    filled.claimed,
                    None,
                ]
            )
        sheet.append([])
    book.save(path)
    return path


def _annotate(text: str) -> str:
    """Add a fake pinyin annotation after every third Chinese character: 組(zǔ)."""
    out = []
    for n, ch in enumerate(text):
        out.append(ch)
        if "\u4e00" <= ch <= "\u9fff" and n % 3 == 0:
            out.append("(zǔ)")
    return "".join(out)


def traditional_and_pinyin(pack: RulePack, form: Form, path: Path) -> Path:
    """The whole form in traditional characters, indicators with pinyin annotations."""
    from opencc import OpenCC

    to_trad = OpenCC("s2t").convert
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([to_trad("单位名称"), to_trad(form.name)])
    sheet.append([to_trad("单位类型"), to_trad(form.unit_type_zh)])
    sheet.append([to_trad("年度"), form.year])
    sheet.append([to_trad(h) for h in ("序号", "考核内容", "自评情况", "佐证材料", "自评分")])
    for n, (rule, filled) in enumerate(_rows(pack, form), start=1):
        answer = to_trad(filled.answer) if isinstance(filled.answer, str) else filled.answer
        sheet.append(
            [
                n,
                _annotate(to_trad(rule.indicator.zh)),
                answer,
                to_trad(filled.evidence),
                filled.claimed,
            ]
        )
    book.save(path)
    return path


def respell(rule: Rule, value: Cell, n: int) -> Cell:
    """The same answer written the way units write it: √, １２人, 95％, 二〇二一年…"""
    import cn2an

    spec = rule.answer
    if value is None:
        return None
    if spec.type is AnswerType.yesno and isinstance(value, str):
        yes = ["√", "有", "已建立", "Y", "☑", "是的"]
        no = ["×", "无", "未建立", "N", "否"]
        return (yes if value == "是" else no)[n % 5]
    if spec.type is AnswerType.count and isinstance(value, int):
        unit = spec.unit or "个"
        forms: list[Cell] = [
            "".join(chr(ord(d) + 0xFEE0) for d in str(value)) + unit,  # full-width
            f"{value}{unit}",
            cn2an.an2cn(value) + unit if value else "0",
            float(value),
        ]
        return forms[n % len(forms)]
    if spec.type is AnswerType.percent and isinstance(value, int | float):
        forms = [f"{value}％", f"{value}%", value / 100]
        return forms[n % len(forms)]
    if spec.type is AnswerType.number and isinstance(value, int | float):
        return f"{value}{spec.unit or ''}"
    if spec.type is AnswerType.choice and isinstance(value, str):
        choice = next(c for c in spec.choices if c.label.zh == value)
        return choice.label.en if n % 2 else choice.label.zh
    if spec.type is AnswerType.date and isinstance(value, dt.date):
        forms = [
            f"{value.year}年{value.month}月{value.day}日",
            f"{value.year}.{value.month}.{value.day}",
            value.isoformat(),
        ]
        return forms[n % len(forms)]
    return value


def respelled_answers(pack: RulePack, form: Form, path: Path) -> Path:
    """The clean layout with every answer respelled; unit details in one cell."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(
        [
            f"单位名称：{form.name}  单位类型：{form.unit_type_zh}  年度：{form.year}年度  所属镇（街道）：{form.town}"
        ]
    )
    sheet.append(list(HEADER))
    for n, (rule, filled) in enumerate(_rows(pack, form)):
        claimed = (
            f"{filled.claimed:g}分" if isinstance(filled.claimed, int | float) else filled.claimed
        )
        sheet.append(
            [
                rule.id,
                None,
                rule.indicator.zh,
                None,
                respell(rule, filled.answer, n),
                filled.evidence,
                claimed,
                None,
            ]
        )
    book.save(path)
    return path


def two_level_header(pack: RulePack, form: Form, path: Path) -> Path:
    """得分 over 自评分 | 考评分, 自评 over 情况 | 佐证; the indicator header merged down."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([f"单位名称：{form.name}", None, f"类型：{form.unit_type_zh}", f"{form.year}年度"])
    sheet.append(["序号", "考核内容", "自评", None, "得分", None])
    sheet.append([None, None, "情况", "佐证", "自评分", "考评分"])
    for cells in ("A2:A3", "B2:B3", "C2:D2", "E2:F2"):
        sheet.merge_cells(cells)
    for n, (rule, filled) in enumerate(_rows(pack, form), start=1):
        sheet.append([n, rule.indicator.zh, filled.answer, filled.evidence, filled.claimed, None])
    book.save(path)
    return path


def xls_copy(pack: RulePack, form: Form, path: Path) -> Path:
    """The clean form saved as legacy .xls (BIFF8) with xlwt."""
    import xlwt

    path = path.with_suffix(".xls")
    book = xlwt.Workbook(encoding="utf-8")
    info = book.add_sheet("单位信息")
    for r, row in enumerate(_unit_rows(form)):
        for c, value in enumerate(row):
            info.write(r, c, value)
    sheet = book.add_sheet("自评表")
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for c, head in enumerate(HEADER):
        sheet.write(0, c, head)
    for r, rule in enumerate(pack.rules, start=1):
        filled = form.answers.get(rule.id, Filled(None))
        values = [
            rule.id,
            pack.area(rule.area).title.zh,
            rule.indicator.zh,
            "",
            filled.answer,
            filled.evidence,
            filled.claimed,
            "",
        ]
        for c, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, dt.date):
                sheet.write(r, c, dt.datetime(value.year, value.month, value.day), date_style)
            else:
                sheet.write(r, c, value)
    book.save(str(path))
    return path


def ods_copy(pack: RulePack, form: Form, path: Path) -> Path:
    """The clean form saved as OpenDocument (.ods) with odfpy."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    path = path.with_suffix(".ods")
    doc = OpenDocumentSpreadsheet()

    def add_sheet(name: str, rows: list[list[Cell]]) -> None:
        table = Table(name=name)
        for row in rows:
            tr = TableRow()
            for value in row:
                if value is None:
                    tr.addElement(TableCell())
                elif isinstance(value, dt.date):
                    cell = TableCell(valuetype="date", datevalue=value.isoformat())
                    cell.addElement(P(text=value.isoformat()))
                    tr.addElement(cell)
                elif isinstance(value, int | float):
                    cell = TableCell(valuetype="float", value=value)
                    cell.addElement(P(text=str(value)))
                    tr.addElement(cell)
                else:
                    cell = TableCell(valuetype="string")
                    cell.addElement(P(text=str(value)))
                    tr.addElement(cell)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)

    add_sheet("单位信息", _unit_rows(form))
    rows: list[list[Cell]] = [list(HEADER)]
    for rule in pack.rules:
        filled = form.answers.get(rule.id, Filled(None))
        rows.append(
            [
                rule.id,
                pack.area(rule.area).title.zh,
                rule.indicator.zh,
                "",
                filled.answer,
                filled.evidence,
                filled.claimed,
                "",
            ]
        )
    add_sheet("自评表", rows)
    doc.save(str(path))
    return path


MANGLED: dict[str, Builder] = {
    "other_header_words": other_header_words,
    "shuffled_with_ids": shuffled_with_ids,
    "shuffled_without_ids": shuffled_without_ids,
    "titles_and_merged_areas": titles_and_merged_areas,
    "area_heading_rows": area_heading_rows,
    "traditional_and_pinyin": traditional_and_pinyin,
    "respelled_answers": respelled_answers,
    "two_level_header": two_level_header,
    "xls_copy": xls_copy,
    "ods_copy": ods_copy,
}


def _csv_text(value: Cell) -> str:
    """A cell as Excel or WPS writes it into a CSV file (dates as 2021/6/15)."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return f"{value.year}/{value.month}/{value.day}"
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value)


def csv_export(pack: RulePack, form: Form, path: Path, encoding: str = "gb18030") -> Path:
    """The form saved from WPS or Excel as CSV: one sheet, unit details above the header.

    Chinese Windows writes CSV in the ANSI code page (GBK, read as GB18030) with
    CRLF line ends; ``encoding="utf-8-sig"`` gives Excel's "CSV UTF-8" instead.
    """
    import csv
    import io

    path = path.with_suffix(".csv")
    rows: list[list[Cell]] = [
        ["单位名称", form.name, None, "年度", form.year],
        ["单位类型", form.unit_type_zh, None, "所属镇（街道）", form.town],
        [],
        ["编号", "类别", "指标", "自评填报", "佐证材料", "自评得分", "备注"],
    ]
    for rule, filled in _rows(pack, form):
        rows.append(
            [
                rule.id,
                pack.area(rule.area).title.zh,
                rule.indicator.zh,
                filled.answer,
                filled.evidence,
                filled.claimed,
                None,
            ]
        )
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_csv_text(value) for value in row])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path
