"""Spreadsheet files as plain grids of values (the reading layer under intake).

``read_workbook`` runs the preflight guard, reads every sheet with
python-calamine (xlsx, xlsm, xls, ods, et) or the csv module, forward-fills
merged cells and returns frozen data; nothing above this layer touches a
spreadsheet library.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypeAlias

CellValue: TypeAlias = (
    str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None
)
"""A cell as read: blanks are None, integral floats are int, text is stripped of nothing."""


@dataclass(frozen=True, slots=True)
class MergedRange:
    """A merged block of cells, 0-based and inclusive."""

    first_row: int
    """Top row."""
    first_col: int
    """Left column."""
    last_row: int
    """Bottom row."""
    last_col: int
    """Right column."""


@dataclass(frozen=True, slots=True)
class Sheet:
    """One sheet's values."""

    name: str
    """Sheet name as in the file."""
    rows: tuple[tuple[CellValue, ...], ...]
    """Rows of values (0-based); merged ranges already filled from their top-left cell."""
    visible: bool = True
    """False for hidden and very hidden sheets."""
    merged: tuple[MergedRange, ...] = ()
    """Merged ranges as in the file."""

    def value(self, row: int, col: int) -> CellValue:
        """The value at 0-based ``row``, ``col`` (None outside the grid)."""
        if row < 0 or col < 0 or row >= len(self.rows):
            return None
        cells = self.rows[row]
        return cells[col] if col < len(cells) else None


@dataclass(frozen=True, slots=True)
class Workbook:
    """Every sheet of one file."""

    source: str
    """File name the workbook was read from."""
    format: str
    """``xlsx``, ``xls``, ``ods``, ``et`` or ``csv``."""
    sheets: tuple[Sheet, ...]
    """Sheets in file order, hidden ones included."""

    def sheet(self, name: str) -> Sheet | None:
        """The sheet called ``name``, if any."""
        return next((s for s in self.sheets if s.name == name), None)


def column_letter(col: int) -> str:
    """0-based column index → ``A``, ``B``, … ``AA``."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    """0-based row and column → ``E5``."""
    return f"{column_letter(col)}{row + 1}"
