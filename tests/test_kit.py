"""The workbook kit: safe text, one measuring heuristic, and every workbook written safely."""

from __future__ import annotations

import dataclasses
import re
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from checklist.compare import compare
from checklist.history import open_history
from checklist.model import Answer, AnswerState, Assessment, RulePack, UnitInfo
from checklist.report import kit
from checklist.report.compare_report import write_compare_report
from checklist.report.excel import write_report, write_scratch_report
from checklist.report.trend_report import write_trend_report
from checklist.rulepack import load_pack
from checklist.scoring import score
from checklist.template import write_template
from checklist.text import Text
from checklist.trend import build_trend
from tests.batch_data import form as batch_form
from tests.batch_data import unit as batch_unit
from tests.conftest import Cli
from tests.packs import write_pack
from tests.report_data import AREAS, CHECKS, RULES, village_assessment, village_pack, village_result

# --- safe text ------------------------------------------------------------------------


def test_safe_text_strips_controls_and_bidi_and_keeps_line_breaks() -> None:
    assert kit.safe_text("a\x00b\x07c\x1b[0m") == "abc[0m"
    assert kit.safe_text("\u202e反转\u202c名\u2066x\u2069\u200f") == "反转名x"
    assert kit.safe_text("一\r\n二\r三\t四") == "一\n二\n三 四"
    assert kit.safe_text("\x85\x9f\ufffe") == ""
    assert kit.safe_text("普通文字 plain") == "普通文字 plain"


def test_safe_text_keeps_excels_length_limit() -> None:
    text = kit.safe_text("长" * 40000)
    assert len(text) == kit.MAX_CELL and text.endswith("…")


@pytest.mark.parametrize("text", ["=1+1", "+cmd", "-2+3", "@SUM(A1)", '=HYPERLINK("x")'])
def test_formula_starts(text: str) -> None:
    assert kit.looks_like_formula(text)
    assert not kit.looks_like_formula("1+1=2")


def test_header_text_prints_ampersands_and_one_line() -> None:
    assert kit.header_text("A&B\n村\x07") == "A&&B 村"


# --- measuring ------------------------------------------------------------------------


def test_cjk_wraps_by_whole_characters() -> None:
    # A 30-unit column shows 16 CJK characters of 10 pt; a 27-unit one 14.
    assert kit.line_count("字" * 16, 30) == 1
    assert kit.line_count("字" * 17, 30) == 2
    assert kit.line_count("字" * 14, 27) == 1
    assert kit.line_count("字" * 15, 27) == 2
    assert kit.line_count("字" * 46, 30) == 3


def test_latin_words_break_at_spaces_and_paragraphs_count() -> None:
    words = "word " * 10  # 50 characters, 10 spaces at half width
    assert kit.line_count(words.strip(), 45, latin=1.0) == 1
    assert kit.line_count(words.strip(), 20, latin=1.0) == 3
    assert kit.line_count("x" * 50, 20, latin=1.0) == 3  # one long word breaks mid-word
    assert kit.line_count("一\n二\n\n三", 10) == 4


def test_heights_follow_the_face_and_the_script() -> None:
    zh, en = kit.REPORT_FACES["zh"], kit.REPORT_FACES["en"]
    assert zh.height(1) == 18.0
    assert zh.height(3) == 46.0
    assert en.height(2) < en.height(2, text="中文")  # Chinese falls back to a taller font
    assert en.height(2, text="“quoted” — text") == en.height(2)
    assert zh.fit("字" * 46, 30) == zh.height(3)
    # A curly quote is wide in a CJK font, narrow in Calibri.
    assert zh.lines("“" * 20, 20) == 2 and en.lines("“" * 20, 20) == 1
    assert zh.tallest([("字" * 17, 30), ("短", 10)], minimum=20) == zh.height(2)


# --- a table written through the kit ------------------------------------------------------


def test_sheet_table_reads_back(tmp_path: Path) -> None:
    columns = (
        kit.Column(Text("编号", "Id"), 10, kit.CENTRE, wrap=False),
        kit.Column(Text("说明", "Text"), 20),
        kit.Column(Text("分", "Points"), 8, kit.NUMBER, num_format="0.0"),
    )

    def fill(book: kit.Book) -> None:
        sheet = book.sheet(Text("表", "Sheet"))
        sheet.widths(columns)
        last = sheet.table(0, columns, [("A-1", "字" * 20, 2.5), ("=1+1", "", None)])
        sheet.note(last + 2, "说明", 2)
        sheet.finish("单位 & 名称", repeat=(0, 0))

    path = kit.write_book(tmp_path / "t.xlsx", "zh", "title", fill)
    ws = openpyxl.load_workbook(path)["表"]
    assert [c.value for c in ws[1]] == ["编号", "说明", "分"]
    assert ws["C2"].value == 2.5 and ws["C2"].number_format == "0.0"
    assert ws["A3"].value == "=1+1" and ws["A3"].data_type == "s" and ws["A3"].quotePrefix
    # Heights are kept to whole pixels (0.75 pt).
    assert ws.row_dimensions[2].height == pytest.approx(kit.REPORT_FACES["zh"].height(2), abs=0.5)
    assert ws.row_dimensions[3].height == pytest.approx(kit.REPORT_FACES["zh"].height(1), abs=0.5)
    assert "A5:C5" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.oddHeader.left.text == "单位 && 名称"
    assert ws.oddFooter.center.text == "第 &P 页，共 &N 页"
    assert ws.print_title_rows == "$1:$1"
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "landscape"


# openpyxl reads Excel 2010's data bar extension but does not keep it.
@pytest.mark.filterwarnings("ignore:.*extension is not supported:UserWarning")
def test_data_bars_and_number_colours(tmp_path: Path) -> None:
    def fill(book: kit.Book) -> None:
        sheet = book.sheet("S")
        column = kit.Column(Text("分", "Score"), 9, kit.SCORE, wrap=False)
        last = sheet.table(0, (column,), [(92.5,), (41.0,)])
        sheet.data_bars(1, 0, last)
        sheet.number_colours(1, 0, last, (({"criteria": "<", "value": 60}, kit.RED),))
        sheet.finish("")

    ws = openpyxl.load_workbook(kit.write_book(tmp_path / "d.xlsx", "zh", "", fill))["S"]
    rules = {rule.type: rule for cf in ws.conditional_formatting for rule in cf.rules}
    assert float(rules["dataBar"].dataBar.cfvo[1].val) == 100
    assert rules["cellIs"].operator == "lessThan" and rules["cellIs"].formula == ["60"]


def _put_and_fit_table(
    sheet: kit.Sheet,
    top: int,
    columns: Sequence[kit.Column],
    rows: Sequence[Sequence[object]],
    styles: dict[tuple[int, int], kit.Style],
) -> None:
    """What Sheet.table writes, cell by cell through put and fit (how it was first written)."""
    widths = [column.width_in(sheet.lang) for column in columns]
    for col, column in enumerate(columns):
        head = column.head.get(sheet.lang)
        sheet.put(top, col, head, kit.HEADER)
        sheet.fit(top, head, widths[col])
    row = top
    for index, values in enumerate(rows):
        row += 1
        sheet.height(row, sheet.face.height(1))
        for col, (column, value) in enumerate(zip(columns, values, strict=True)):
            style = styles.get((index, col)) or column.style
            if column.num_format and isinstance(value, int | float):
                style = {**style, "num_format": column.num_format}
            sheet.put(row, col, value, style)
            if column.wrap and isinstance(value, str) and value:
                sheet.fit(row, kit.safe_text(value), widths[col])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_table_writes_what_put_and_fit_write(tmp_path: Path, lang: str) -> None:
    columns = (
        kit.Column(Text("编号", "Id"), 10, kit.CENTRE, wrap=False),
        kit.Column(Text("说明", "Text"), 20),
        kit.Column(Text("分", "Points"), 8, kit.NUMBER, num_format="0.0"),
        kit.Column(Text("状态", "Status"), 8, kit.CENTRE, en_width=11),
    )
    rows = [
        ("A-1", "字" * 40, 2.5, "达标"),
        ("=1+1", "", None, True),
        ("B-2", "two words\nand a line " * 3, 3, False),
        ("C-3", "\u202e反转\x07 " + HOSTILE[1], 0.125, "-2+3"),
        ("D-4", None, True, 7),
        ("E-5", "短", 10**20, ""),
    ]
    styles = {
        (0, 3): kit.coloured(kit.CENTRE, kit.GREEN),
        (2, 2): kit.coloured(kit.NUMBER, kit.RED),
        (3, 1): kit.NOTE,
    }

    def book(write: Callable[[kit.Sheet], None]) -> Callable[[kit.Book], None]:
        def fill(book: kit.Book) -> None:
            sheet = book.sheet(Text("表", "Sheet"))
            sheet.widths(columns)
            write(sheet)
            sheet.finish("单位")

        return fill

    def tables(sheet: kit.Sheet) -> None:
        sheet.table(0, columns, rows, styles)
        sheet.table(len(rows) + 2, columns, rows[::-1])

    def cells(sheet: kit.Sheet) -> None:
        _put_and_fit_table(sheet, 0, columns, rows, styles)
        _put_and_fit_table(sheet, len(rows) + 2, columns, rows[::-1], {})

    reference = kit.write_book(tmp_path / "cells.xlsx", lang, "t", book(cells)).read_bytes()
    # Twice: the second time the row heights come from what the first one measured.
    for attempt in ("first", "again"):
        path = kit.write_book(tmp_path / f"{attempt}.xlsx", lang, "t", book(tables))
        assert path.read_bytes() == reference, attempt


def test_a_scratch_report_is_the_report(tmp_path: Path) -> None:
    pack = village_pack(tmp_path / "pack")
    result = village_result(pack)
    written = write_report(result, pack, tmp_path / "report.xlsx")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    (scratch / "1.xlsx").write_bytes(b"an earlier try")
    assert write_scratch_report(result, pack, scratch / "1.xlsx") == scratch / "1.xlsx"
    assert (scratch / "1.xlsx").read_bytes() == written.read_bytes()
    assert [p.name for p in scratch.iterdir()] == ["1.xlsx"]


def test_empty_table_says_so(tmp_path: Path) -> None:
    def fill(book: kit.Book) -> None:
        sheet = book.sheet("S")
        sheet.table(0, (kit.Column(Text("a", "a"), 10), kit.Column(Text("b", "b"), 10)), [],
                    empty=Text("无", "None"))  # fmt: skip
        sheet.finish("")

    ws = openpyxl.load_workbook(kit.write_book(tmp_path / "e.xlsx", "zh", "", fill))["S"]
    assert ws["A2"].value == "无" and "A2:B2" in {str(r) for r in ws.merged_cells.ranges}


# --- every workbook from one hostile set of unit texts -----------------------------------

LONG_CJK = "群团工作长期停留在开会发文层面缺少有效载体" * 120
HOSTILE = (
    "=1+1",
    '=HYPERLINK("http://evil.example","点此领奖")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\x00空字节\x00村",
    "控制\x07字符\x1b[31m\x7f",
    "\u202e村委会\u202c反转",
    "\u2066隔离\u2069\u200f标记",
    "换行\r\n制表\t回车\r",
    LONG_CJK,
)
"""Texts a unit (or a local rule maintainer) may type that must never act in a workbook."""

_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _hostile_pack(folder: Path) -> RulePack:
    """The sample pack with hostile titles, indicators, findings and recommendations."""
    rules = []
    for index, rule in enumerate(RULES):
        text = HOSTILE[index % len(HOSTILE)]
        rule = dict(rule)
        for key in ("indicator", "finding", "recommendation"):
            rule[key] = {"zh": text + "（" + rule["id"] + "）", "en": text + f" ({rule['id']})"}
        rules.append(rule)
    areas = [dict(a, title={"zh": HOSTILE[0] + a["id"], "en": HOSTILE[1] + a["id"]}) for a in AREAS]
    title = {"zh": HOSTILE[6] + "规则包", "en": HOSTILE[7] + " pack"}
    return load_pack(write_pack(folder, rules, CHECKS, {"areas": areas, "title": title}))


def _hostile_assessment(year: int, name: str) -> Assessment:
    """The sample village's answers with every hostile text as an answer, evidence or name."""
    base = village_assessment(name)
    answers = {}
    for index, (rule_id, answer) in enumerate(sorted(base.answers.items())):
        text = HOSTILE[(index + year) % len(HOSTILE)]
        raw = text if answer.state is AnswerState.given else answer.raw
        answers[rule_id] = dataclasses.replace(answer, raw=raw, evidence=text)
    answers["INNO-01"] = Answer(AnswerState.given, "x", HOSTILE[1], cell="自评表!E19")
    unit = UnitInfo(name, "village", year, town=HOSTILE[4], filled_by=HOSTILE[5], phone=HOSTILE[2])
    return dataclasses.replace(base, unit=unit, answers=answers, source=HOSTILE[8] + ".xlsx")


def _formula_free(path: Path) -> list[str]:
    """Problems in ``path``: formulas, unsafe characters, formula-looking text without a quote prefix."""
    problems: list[str] = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = archive.read(name).decode("utf-8")
                if re.search(r"<f[ >]", xml):
                    problems.append(f"{path.name} {name}: a formula element")
    book = openpyxl.load_workbook(path, rich_text=True)
    for ws in book.worksheets:
        texts = [ws.oddHeader.left.text, ws.oddHeader.center.text, ws.oddFooter.center.text]
        for row in ws.iter_rows():
            for cell in row:
                where = f"{path.name} {ws.title}!{cell.coordinate}"
                if cell.data_type == "f":
                    problems.append(f"{where}: formula {cell.value!r}")
                value = str(cell.value) if cell.value is not None else ""
                texts.append(value)
                if cell.data_type == "s" and kit.looks_like_formula(value) and not cell.quotePrefix:
                    problems.append(f"{where}: {value[:20]!r} without a quote prefix")
        problems += [
            f"{path.name} {ws.title}: unsafe {text[:30]!r}"
            for text in texts
            if text and _UNSAFE.search(text)
        ]
    return problems


def test_every_workbook_keeps_hostile_text_inert(tmp_path: Path) -> None:
    pack = _hostile_pack(tmp_path / "pack")
    names = {2023: HOSTILE[1], 2024: HOSTILE[0] + "村"}
    results = {year: score(_hostile_assessment(year, name), pack) for year, name in names.items()}
    comparison = compare(results[2023], results[2024], force=True)
    with open_history(tmp_path / "h.db") as history:
        for year, name in names.items():
            history.save(_hostile_assessment(year, name), results[year])
        unit = history.unit_history(names[2024])
    trend = build_trend(unit.unit, unit.assessments, pack)

    written: list[Path] = []
    for lang in ("zh", "en"):
        written += [
            write_report(results[2024], pack, tmp_path / f"report-{lang}.xlsx", lang),
            write_report(
                results[2024], pack, tmp_path / f"tracked-{lang}.xlsx", lang, comparison=comparison
            ),
            write_compare_report(comparison, pack, tmp_path / f"compare-{lang}.xlsx", lang),
            write_trend_report(trend, pack, tmp_path / f"trend-{lang}.xlsx", lang),
            write_template(pack, tmp_path / f"template-{lang}.xlsx", lang),
        ]
    problems = [problem for path in written for problem in _formula_free(path)]
    assert not problems, "\n".join(problems[:20])

    # The texts are there, as typed (cleaned), where a reader looks for them.
    summary = openpyxl.load_workbook(written[1])["概览"]
    assert summary["C4"].value == "=1+1村" and summary["C4"].quotePrefix
    details = {
        c.value for row in openpyxl.load_workbook(written[0])["明细"].iter_rows() for c in row
    }
    assert '=HYPERLINK("http://evil.example","点此领奖")' in details
    assert "空字节村" in details and "村委会反转" in details
    assert any(isinstance(v, str) and v.startswith(LONG_CJK[:40]) for v in details)


def test_the_fast_workbook_writes_the_bytes_plain_xlsxwriter_writes(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xlsxwriter import Workbook
    from xlsxwriter.worksheet import Worksheet

    pack = _hostile_pack(tmp_path / "pack")
    results = {
        year: score(_hostile_assessment(year, HOSTILE[year % 5]), pack) for year in (2023, 2024)
    }
    comparison = compare(results[2023], results[2024], force=True)
    county = tmp_path / "county"
    for index, name in enumerate(("新华村", "东林村", "=1+1村")):
        batch_form(county / ("城厢镇" if index % 2 else "璜泾镇"), batch_unit(name))

    def write_all(folder: Path) -> dict[str, bytes]:
        folder.mkdir()
        for lang in ("zh", "en"):
            write_report(results[2024], pack, folder / f"report-{lang}.xlsx", lang)
            write_report(
                results[2024], pack, folder / f"tracked-{lang}.xlsx", lang, comparison=comparison
            )
            write_compare_report(comparison, pack, folder / f"compare-{lang}.xlsx", lang)
            cli(["batch", str(county), "-o", str(folder / f"rollup-{lang}.xlsx"), "--lang", lang,
                 "--reports", str(folder / f"units-{lang}"), "--jobs", "1"])  # fmt: skip
        return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.xlsx"))}

    fast = write_all(tmp_path / "fast")
    monkeypatch.setattr(kit, "fast_worksheet", lambda: Worksheet)
    monkeypatch.setattr(kit, "fast_workbook", lambda: Workbook)
    plain = write_all(tmp_path / "plain")
    assert len(fast) == 14
    assert fast.keys() == plain.keys()
    assert [name for name in fast if fast[name] != plain[name]] == []


def _greedy_lines(text: str, width: float, wide: float, latin: float, ambiguous: float) -> int:
    """Lines by placing every piece greedily: what line_count gives, without its short cuts."""
    room = max(width + 0.5, 1.0)
    total = 0
    for paragraph in text.split("\n"):
        lines, used = 1, 0.0
        for size, trailing in kit._tokens(paragraph, wide, latin, ambiguous):
            if used and used + size - trailing > room:
                lines += 1
                used = 0.0
            while size - trailing > room:
                lines += 1
                size -= room
            used += size
        total += lines
    return total


@given(
    st.text(alphabet="字组织a1 .“”—≥\nＡ", max_size=60),
    st.floats(min_value=0.5, max_value=60),
    st.sampled_from([(1.9, 1.0, 1.9), (1.9, 0.75, 0.75), (2.0, 1.0, 2.0)]),
)
def test_line_count_is_the_greedy_count(
    text: str, width: float, face: tuple[float, float, float]
) -> None:
    wide, latin, ambiguous = face
    assert kit.line_count(text, width, wide, latin, ambiguous) == _greedy_lines(
        text, width, wide, latin, ambiguous
    )
