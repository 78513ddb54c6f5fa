"""How the comparison and trend workbooks print: headings kept with their tables, charts whole.

The workbooks are written through the CLI from the bundled examples and read
back with openpyxl; pages are measured from what the file says (row heights,
column widths, A4 landscape fitted to one page wide, the margins), not from
the code that chose the breaks.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from scripts.make_examples import EXAMPLES, EXAMPLES_DIR

_A4_LANDSCAPE_PX = (297 / 25.4 * 96, 210 / 25.4 * 96)


def _example(unit: str, year: int) -> Path:
    return EXAMPLES_DIR / next(e.file for e in EXAMPLES if e.unit.key == unit and e.year == year)


def _load(path: Path) -> dict[str, Worksheet]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl drops the conditional-format extensions
        book = load_workbook(path)
    return {ws.title: ws for ws in book.worksheets}


def _row_px(ws: Worksheet, row: int) -> float:
    """Height of 1-based ``row`` in pixels (15 pt where the file sets none)."""
    height = ws.row_dimensions[row].height
    return (height if height is not None else 15.0) * 96 / 72


def _page_px(ws: Worksheet) -> float:
    """Pixels of rows one printed page holds: A4 landscape less margins, fitted to one page wide."""
    margins = ws.page_margins
    width = sum(
        (ws.column_dimensions[get_column_letter(c)].width or 8.43) * 7 + 5
        for c in range(1, ws.max_column + 1)
    )
    printable_width = _A4_LANDSCAPE_PX[0] - (margins.left + margins.right) * 96
    scale = min(1.0, printable_width / width)
    return (_A4_LANDSCAPE_PX[1] - (margins.top + margins.bottom) * 96) / scale


def _breaks(ws: Worksheet) -> list[int]:
    """1-based rows that start a new page (openpyxl gives the row above the break)."""
    return sorted(b.id + 1 for b in ws.row_breaks.brk)


def _page_of_rows(ws: Worksheet, last_row: int) -> dict[int, int]:
    """The printed page of each row: a new page at each manual break, and when one is full."""
    capacity = _page_px(ws)
    breaks = set(_breaks(ws))
    page, used, found = 1, 0.0, {}
    for row in range(1, last_row + 1):
        height = _row_px(ws, row)
        if row in breaks or (used + height > capacity and used > 0):
            page, used = page + 1, 0.0
        used += height
        found[row] = page
    return found


def _headings(ws: Worksheet) -> list[int]:
    """Rows of the list headings: 已整改（13） and the like in column A."""
    return [
        row
        for row in range(1, ws.max_row + 1)
        if isinstance(value := ws.cell(row, 1).value, str) and re.search(r"（\d+）$", value)
    ]


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Worksheet]:
    from typer.testing import CliRunner

    from checklist.cli import app

    target = tmp_path_factory.mktemp("compare") / "对比.xlsx"
    # 东林村 2022 → 2024: long lists of closed and persistent gaps.
    result = CliRunner().invoke(
        app,
        [
            "compare",
            str(_example("donglin", 2022)),
            str(_example("donglin", 2024)),
            "-o",
            str(target),
            "--force",
        ],
    )
    assert result.exit_code == 0, result.output
    return _load(target)


def test_each_gap_list_heading_prints_with_its_table(compared: dict[str, Worksheet]) -> None:
    gaps = compared["问题变化"]
    last = gaps.max_row
    headings = _headings(gaps)
    assert len(headings) == 6  # 已整改, 新出现, 持续存在, 退步, 新增规则, 已取消规则
    assert _breaks(gaps), "the lists run over more than one page, so a page must break somewhere"
    capacity = _page_px(gaps)
    page = _page_of_rows(gaps, last)
    for index, heading in enumerate(headings):
        block_end = (headings[index + 1] - 2) if index + 1 < len(headings) else last
        # The heading, its note, the table's header and its first row print on one page.
        assert {page[r] for r in range(heading, min(block_end, heading + 3) + 1)} == {
            page[heading]
        }, heading
        if sum(_row_px(gaps, r) for r in range(heading, block_end + 1)) <= capacity:
            # A list that fits on a page is printed whole on one.
            assert {page[r] for r in range(heading, block_end + 1)} == {page[heading]}, heading
    # A break falls on a heading or the blank row above one, or inside a list longer than a page.
    long_lists = [
        range(h, end + 1)
        for h, end in zip(headings, [*(n - 2 for n in headings[1:]), last], strict=True)
        if sum(_row_px(gaps, r) for r in range(h, end + 1)) > capacity
    ]
    for row in _breaks(gaps):
        blank = all(c.value is None for c in gaps[row])
        assert row in headings or blank or any(row in rows for rows in long_lists), row


def test_the_area_chart_fits_on_its_page(compared: dict[str, Worksheet]) -> None:
    summary = compared["概览"]
    (chart,) = summary._charts
    # xlsxwriter anchors a chart from one cell to another (0-based rows).
    top, bottom = chart.anchor._from.row + 1, chart.anchor.to.row + 1
    page = _page_of_rows(summary, bottom)
    assert page[top] == page[bottom], (top, bottom, _breaks(summary))
