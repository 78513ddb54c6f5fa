"""Where printed pages break on a sheet of several headed tables, and how much room a chart has.

Every sheet :mod:`checklist.report.kit` finishes prints on A4 landscape,
fitted to one page wide (so a wide sheet prints smaller and more of its rows
fit a page). Left alone, Excel and LibreOffice break a page wherever it fills:
a section heading at the foot of one page with its table on the next, or a
chart cut in two. :class:`Pages` follows the rows down the sheet as they are
written and puts a manual break before a block that would not fit in what is
left of the page, so each heading prints with its table.

The measures are kit's own (the row heights it gives every row, the column
widths it sets); the page is taken a little shorter than A4 to leave room for
the difference between what kit estimates and what a spreadsheet program draws.
"""

from __future__ import annotations

from checklist.report import kit

_PX_PER_INCH = 96
_PAGE_WIDTH_IN = 297 / 25.4  # A4 landscape
_PAGE_HEIGHT_IN = 210 / 25.4
_SIDE_MARGINS_IN = 0.4 + 0.4  # as kit.Sheet.finish sets them
_TOP_BOTTOM_MARGINS_IN = 0.6 + 0.6
_SAFETY = 0.93
"""Share of the printable height counted on: row heights are kit's estimates."""


def page_height_px(sheet: kit.Sheet, columns: int) -> float:
    """Pixels of the sheet (at 100 %) one printed page holds, ``columns`` wide.

    Fitted to one page wide, a sheet wider than the page prints scaled down,
    so a page holds correspondingly more of it.
    """
    printable_width = (_PAGE_WIDTH_IN - _SIDE_MARGINS_IN) * _PX_PER_INCH
    printable_height = (_PAGE_HEIGHT_IN - _TOP_BOTTOM_MARGINS_IN) * _PX_PER_INCH
    width = sheet.columns_px(0, columns)
    scale = min(1.0, printable_width / width) if width else 1.0
    return printable_height * _SAFETY / scale


class Pages:
    """The page breaks of one sheet, decided block by block as the sheet is written.

    Call :meth:`keep` for each block (a heading, its note and its table) once
    it is written, in order down the sheet, and :meth:`apply` when done.
    """

    def __init__(self, sheet: kit.Sheet, columns: int) -> None:
        self.sheet = sheet
        self.capacity = page_height_px(sheet, columns)
        """Pixels of rows one page holds."""
        self.breaks: list[int] = []
        """Rows that start a new page (manual breaks)."""
        self._row = 0
        """The first row not yet placed on a page."""
        self._used = 0.0
        """Pixels of the current page already filled."""

    def _px(self, first: int, last: int) -> float:
        return float(self.sheet.rows_px(first, last - first + 1)) if last >= first else 0.0

    def _flow(self, upto: int) -> None:
        """Place rows up to ``upto`` (exclusive), a new page when one is full.

        That page is broken here by hand too: the program drawing the sheet
        would break it wherever its own measures say, a few rows on, and every
        later page would start elsewhere than this plan has it.
        """
        for row in range(self._row, upto):
            height = self._px(row, row)
            if self._used + height > self.capacity and self._used > 0:
                self.breaks.append(row)
                self._used = 0.0
            self._used += height
        self._row = max(self._row, upto)

    def new_page(self, row: int) -> None:
        """Start a page at ``row`` (nothing is done when a page starts there anyway)."""
        self._flow(row)
        if self._used > 0:
            self.breaks.append(row)
        self._used = 0.0

    def room(self, row: int) -> float:
        """Pixels left on the page from ``row`` down."""
        self._flow(row)
        return self.capacity - self._used

    def keep(self, first: int, last: int, lead: int = 4) -> None:
        """Keep rows ``first..last`` on one page, or, when longer than a page, its first ``lead``.

        ``lead`` rows (the heading, its note, the table's header and its first
        row) are what must not be parted from one another.
        """
        self._flow(first)
        whole = self._px(first, last)
        needed = whole if whole <= self.capacity else self._px(first, min(last, first + lead - 1))
        if self._used > 0 and self._used + needed > self.capacity:
            self.breaks.append(first)
            self._used = 0.0
        self._flow(last + 1)

    def apply(self) -> None:
        """Write the breaks into the sheet (replacing any set before)."""
        self.sheet.ws.set_h_pagebreaks(sorted(set(self.breaks)))
