"""Reading workbooks into grids: the hostile corpus in a capped process, and the conversions."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineError, PasswordError, XmlError

from checklist.errors import ChecklistError
from checklist.preflight import Limits
from checklist.workbook import MergedRange, Workbook, _read_error, read_workbook
from tests.hostile import (
    HEADER,
    HOSTILE_CASES,
    ROWS,
    HostileCase,
    _package,
    _sheet,
    build_csv_gb18030,
    build_ods,
    build_xls,
    build_xlsm,
    build_xlsx,
    run_isolated,
)


@pytest.fixture(scope="module")
def corpus_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.getbasetemp() / "hostile-corpus"


@pytest.mark.slow
@pytest.mark.parametrize("case", HOSTILE_CASES, ids=lambda case: case.name)
def test_corpus_read(case: HostileCase, corpus_root: Path) -> None:
    """Each file reads or is refused with its code, in one line, under 500 MB and 5 s."""
    outcome = run_isolated(case, corpus_root)
    # A calamine abort would show as -6 (SIGABRT) here, an escape as a traceback.
    assert outcome.returncode == 0, outcome.stderr
    assert outcome.stderr == ""
    if case.expect_code is None:
        assert "value" in outcome.read, outcome.read
        assert outcome.read["value"]["sheets"], outcome.read
    else:
        assert outcome.read.get("code") == case.expect_code, outcome.read
        for lang in ("zh", "en"):
            message = outcome.read[lang]
            assert message and "\n" not in message and "Traceback" not in message
            name = outcome.path.name if case.name != "missing" else str(outcome.path)
            assert name in message
    assert outcome.unchanged


def _grid(book: Workbook, sheet: str) -> list[list[object]]:
    found = book.sheet(sheet)
    assert found is not None
    return [list(row) for row in found.rows]


@pytest.mark.parametrize("build", [build_xlsx, build_xls, build_ods], ids=["xlsx", "xls", "ods"])
def test_merged_area_cells_are_filled_down(build: Callable[[Path], Path], tmp_path: Path) -> None:
    book = read_workbook(build(tmp_path))
    grid = _grid(book, "自评表")
    assert [row[1] for row in grid] == [
        "类别",
        "组织领导",
        "组织领导",
        "组织领导",
        "组织覆盖",
        "组织覆盖",
    ]
    sheet = book.sheet("自评表")
    assert sheet is not None
    assert set(sheet.merged) == {MergedRange(1, 1, 3, 1), MergedRange(4, 1, 5, 1)}
    assert grid[0] == HEADER
    assert [row[0] for row in grid[1:]] == [row[0] for row in ROWS]


@pytest.mark.parametrize("build", [build_xlsx, build_xls], ids=["xlsx", "xls"])
def test_hidden_sheet_is_flagged(build: Callable[[Path], Path], tmp_path: Path) -> None:
    book = read_workbook(build(tmp_path))
    assert [(s.name, s.visible) for s in book.sheets] == [
        ("单位信息", True),
        ("自评表", True),
        ("_meta", False),
    ]


def test_very_hidden_sheet_is_flagged(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.create_sheet("secret").sheet_state = "veryHidden"
    path = tmp_path / "very.xlsx"
    wb.save(path)
    assert [s.visible for s in read_workbook(path).sheets] == [True, False]


@pytest.mark.parametrize("build", [build_xlsx, build_xls], ids=["xlsx", "xls"])
def test_integral_numbers_come_back_as_int(build: Callable[[Path], Path], tmp_path: Path) -> None:
    grid = _grid(read_workbook(build(tmp_path)), "自评表")
    answers = [row[4] for row in grid[1:]]
    assert answers == [4, "是", 2, "是", "否"]
    assert type(answers[0]) is int
    assert [type(row[6]) for row in grid[1:]] == [int] * 5


def test_values_are_converted_and_nothing_else(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.append([3.0, 2.5, -0.0, 1e20, True, "  空格 ", "", "0012"])
    sheet.append([dt.date(2024, 3, 1), dt.datetime(2024, 3, 1, 8, 30), dt.time(9, 15)])
    path = tmp_path / "values.xlsx"
    wb.save(path)
    grid = _grid(read_workbook(path), "Sheet")
    assert grid[0] == [3, 2.5, 0, 10**20, True, "  空格 ", None, "0012"]
    assert [type(v) for v in grid[0][:5]] == [int, float, int, int, bool]
    assert grid[1][:3] == [dt.date(2024, 3, 1), dt.datetime(2024, 3, 1, 8, 30), dt.time(9, 15)]
    assert type(grid[1][0]) is dt.date


@pytest.mark.parametrize("num_fmt_id", [14, 27, 31, 36, 50, 57, 58])
def test_east_asian_builtin_date_formats_read_as_dates(num_fmt_id: int, tmp_path: Path) -> None:
    """numFmtId 27-36 and 50-58 have no <numFmt> entry; openpyxl reads them as numbers."""
    wb = openpyxl.Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet["A1"] = "成立日期"
    sheet["B1"] = dt.date(2024, 1, 1)
    source = tmp_path / "source.xlsx"
    wb.save(source)
    path = tmp_path / f"cjk-{num_fmt_id}.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "xl/styles.xml":
                text = data.decode()
                # Point the date style at the built-in id and drop the custom format.
                text = re.sub(r'<numFmts count="1">.*?</numFmts>', "", text)
                text = text.replace('numFmtId="164"', f'numFmtId="{num_fmt_id}"')
                assert f'numFmtId="{num_fmt_id}"' in text
                data = text.encode()
            new.writestr(info, data)
    assert openpyxl.load_workbook(path).active["B1"].value == 45292 or num_fmt_id == 14  # type: ignore[index]
    assert _grid(read_workbook(path), "Sheet")[0] == ["成立日期", dt.date(2024, 1, 1)]


def test_gb18030_csv_reads_correctly(tmp_path: Path) -> None:
    book = read_workbook(build_csv_gb18030(tmp_path))
    assert book.format == "csv"
    assert [s.name for s in book.sheets] == ["自评表-gbk"]
    grid = _grid(book, "自评表-gbk")
    assert grid[0] == HEADER
    assert grid[2][2] == "群团工作是否纳入党建目标考核并与评先评优挂钩"
    assert grid[1][4] == "4"  # CSV is text; intake normalises answers
    assert grid[1][7] is None
    assert [note.en for note in book.notes] == ["This CSV file was read as GBK/GB18030 text."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("编号;指标;答案\nA;是否建会;是\n", [["编号", "指标", "答案"], ["A", "是否建会", "是"]]),
        ("编号\t指标\nA\t工会, 团委\n", [["编号", "指标"], ["A", "工会, 团委"]]),
        ('编号,指标\nA,"有逗号,的文字"\n', [["编号", "指标"], ["A", "有逗号,的文字"]]),
        ("只有一列\n第二行\n", [["只有一列"], ["第二行"]]),
    ],
    ids=["semicolon", "tab", "quoted-comma", "one-column"],
)
def test_csv_delimiter_is_sniffed(text: str, expected: list[list[str]], tmp_path: Path) -> None:
    path = tmp_path / "unit.csv"
    path.write_text(text, encoding="utf-8")
    assert _grid(read_workbook(path), "unit") == expected


def test_csv_ragged_rows_are_padded_and_trailing_blanks_trimmed(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text("a,b,,\nc\n,,,\n\n", encoding="utf-8-sig")
    assert _grid(read_workbook(path), "ragged") == [["a", "b"], ["c", None]]


def test_undecodable_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("编号,指标\n".encode() + b"\xff\xfe\xff,\x80\x80\n")
    with pytest.raises(ChecklistError) as caught:
        read_workbook(path)
    assert caught.value.code == "encoding"


def test_trailing_empty_rows_and_columns_are_trimmed(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet["B2"] = "指标"
    sheet["F10"] = "=SUM(A1:A2)"  # no cached value: calamine gives '' at F10
    path = tmp_path / "trailing.xlsx"
    wb.save(path)
    assert _grid(read_workbook(path), "Sheet") == [[None, None], [None, "指标"]]


def test_merged_range_below_the_data_pads_rows(tmp_path: Path) -> None:
    path = _package(
        tmp_path / "pad.xlsx",
        _sheet(
            '<row r="1"><c r="A1" t="inlineStr"><is><t>编号</t></is></c></row>'
            '<row r="2"><c r="A2" t="inlineStr"><is><t>组织领导</t></is></c></row>',
            merges=["A2:B4"],
        ),
    )
    assert _grid(read_workbook(path), "Sheet1") == [
        ["编号", None],
        ["组织领导", "组织领导"],
        ["组织领导", "组织领导"],
        ["组织领导", "组织领导"],
    ]


def test_merged_range_with_empty_top_left_fills_nothing(tmp_path: Path) -> None:
    path = _package(
        tmp_path / "blank-merge.xlsx",
        _sheet('<row r="1"><c r="C1"><v>1</v></c></row>', merges=["A1:B3"]),
    )
    sheet = read_workbook(path).sheets[0]
    assert [list(row) for row in sheet.rows] == [[None, None, 1]]
    assert sheet.merged == (MergedRange(0, 0, 2, 1),)


def test_cell_limit_counts_every_sheet(tmp_path: Path) -> None:
    path = build_xlsx(tmp_path)
    read_workbook(path, Limits(max_cells=100))
    with pytest.raises(ChecklistError) as caught:
        read_workbook(path, Limits(max_cells=40))
    assert caught.value.code == "too_many_cells"


def test_sheet_part_referenced_twice_is_counted_twice(tmp_path: Path) -> None:
    """The guard sizes each part once; two sheet entries pointing at it are read twice."""
    body = "".join(
        f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="J{r}"><v>1</v></c></row>'
        for r in range(1, 11)
    )
    workbook = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        '<sheet name="A" sheetId="1" r:id="rId1"/><sheet name="B" sheetId="2" r:id="rId1"/>'
        "</sheets></workbook>"
    )
    path = _package(tmp_path / "twice.xlsx", _sheet(body), workbook=workbook)
    assert [len(s.rows) for s in read_workbook(path, Limits(max_cells=200)).sheets] == [10, 10]
    with pytest.raises(ChecklistError) as caught:
        read_workbook(path, Limits(max_cells=150))
    assert caught.value.code == "too_many_cells"


def test_cells_without_references_are_placed_like_calamine(tmp_path: Path) -> None:
    path = _package(
        tmp_path / "implicit.xlsx",
        _sheet(
            '<row r="2"><c><v>1</v></c><c><v>2</v></c></row>'
            '<row><c r="D3"><v>3</v></c><c><v>4</v></c></row>'
        ),
    )
    assert _grid(read_workbook(path), "Sheet1") == [
        [None, None, None, None, None],
        [1, 2, None, None, None],
        [None, None, None, 3, 4],
    ]


def test_namespace_prefixed_sheet_xml_is_sized_exactly(tmp_path: Path) -> None:
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<x:sheetData><x:row r="1"><x:c r="B1"><x:v>7</x:v></x:c></x:row>'
        '<x:row r="900000"><x:c r="XFD900000"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>'
    )
    path = _package(tmp_path / "prefixed.xlsx", sheet)
    with pytest.raises(ChecklistError) as caught:
        read_workbook(path)
    assert caught.value.code == "too_many_cells"
    small = _package(
        tmp_path / "small.xlsx", sheet.replace("XFD900000", "C2").replace('r="900000"', 'r="2"')
    )
    assert _grid(read_workbook(small), "Sheet1") == [[None, 7, None], [None, None, 1]]


def test_macros_are_noted(tmp_path: Path) -> None:
    book = read_workbook(build_xlsm(tmp_path))
    assert book.format == "xlsx"
    assert any("macros" in note.en for note in book.notes)
    assert any("宏" in note.zh for note in book.notes)


def test_ods_merges_come_from_the_content(tmp_path: Path) -> None:
    book = read_workbook(build_ods(tmp_path))
    assert book.format == "ods"
    sheet = book.sheet("自评表")
    assert sheet is not None
    assert sheet.merged == (MergedRange(1, 1, 3, 1), MergedRange(4, 1, 5, 1))


def test_source_is_the_file_name(tmp_path: Path) -> None:
    assert read_workbook(build_xlsx(tmp_path)).source == "自评表.xlsx"


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (PasswordError("Workbook is password protected"), "encrypted"),
        (XmlError("at 0..0: unrecognized entity `&lol9;`"), "xml_entities"),
        (XmlError("c"), "damaged"),
        (
            CalamineError("Cell limit exceeded (17179869184 cells requested, max 100000000)"),
            "too_many_cells",
        ),
        (PermissionError(13, "Permission denied"), "unreadable"),
        (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), "damaged"),
    ],
)
def test_parser_errors_map_to_one_coded_message(error: BaseException, code: str) -> None:
    mapped = _read_error(Path("东林村.xlsx"), error, Limits())
    assert mapped.code == code
    assert mapped.message.zh.startswith("东林村.xlsx：")
    assert "\n" not in mapped.message.zh + mapped.message.en


def test_sheet_count_cap(tmp_path: Path) -> None:
    for path in (build_xlsx(tmp_path), build_xls(tmp_path)):
        assert len(read_workbook(path, Limits(max_sheets=3)).sheets) == 3
        with pytest.raises(ChecklistError) as caught:
            read_workbook(path, Limits(max_sheets=2))
        assert caught.value.code == "too_many_sheets"


def test_text_cap_counts_every_copy_of_a_shared_string(tmp_path: Path) -> None:
    path = _package(
        tmp_path / "shared.xlsx",
        _sheet(
            "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>' for r in range(1, 101))
        ),
        strings='<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'count="100" uniqueCount="2"><si><t>' + "字" * 1000 + "</t></si><si><t>短</t></si></sst>",
    )
    assert len(read_workbook(path, Limits(max_text_bytes=400_000)).sheets[0].rows) == 100
    with pytest.raises(ChecklistError) as caught:
        read_workbook(path, Limits(max_text_bytes=250_000))
    assert caught.value.code == "too_much_text"


def test_xls_shared_strings_spanning_continue_records(tmp_path: Path) -> None:
    """Long strings run across CONTINUE records; the text guard must walk them as calamine does."""
    import xlwt

    texts = [("党建" if i % 2 else "ab") * (100 + 997 * (i % 7)) + str(i) for i in range(300)]
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("长文本")
    for i, text in enumerate(texts):
        sheet.write(i, 0, text)
    path = tmp_path / "long.xls"
    book.save(str(path))
    grid = _grid(read_workbook(path), "长文本")
    assert [row[0] for row in grid] == texts
    total = sum(len(text) for text in texts) * 3
    read_workbook(path, Limits(max_text_bytes=total))
    with pytest.raises(ChecklistError) as caught:
        read_workbook(path, Limits(max_text_bytes=total - 1))
    assert caught.value.code == "too_much_text"


@pytest.mark.parametrize(
    ("cells", "code"),
    [
        # calamine accepts '<' inside an attribute value; the far r sends the part to the
        # exact walk, which cannot tokenise that tag and refuses the file.
        (
            '<row r="1"><c a="&lt;" r="A1"><v>1</v></c><c a="<" r="XFD1048576"><v>2</v></c></row>',
            "damaged",
        ),
        # In prefixed XML the exact walk cannot tokenise such a tag and refuses the file.
        ('<x:row r="1"><x:c a="<" r="XFD1048576"><x:v>2</x:v></x:c></x:row>', "damaged"),
        # A duplicated r: calamine keeps the last one.
        ('<row r="1"><c r="A1" r="XFD1048576"><v>2</v></c></row>', "too_many_cells"),
    ],
    ids=["lt-in-attribute", "lt-in-prefixed-attribute", "duplicate-r"],
)
def test_tags_that_could_hide_a_far_reference(cells: str, code: str, tmp_path: Path) -> None:
    sheet = _sheet(cells)
    if "x:row" in cells:
        sheet = sheet.replace(
            "<worksheet ",
            '<worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ',
        )
    path = _package(tmp_path / "hidden.xlsx", sheet)
    with pytest.raises(ChecklistError) as caught:
        read_workbook(path)
    assert caught.value.code == code
