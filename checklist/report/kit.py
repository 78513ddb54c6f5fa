"""The workbook kit: how every workbook checklist writes looks, measures and stays safe.

The gap report, the comparison, the trend and the blank template all take from
here, so a fix to formula safety, row heights or page setup is made once:

- **Safe text** (:func:`safe_text`, :func:`looks_like_formula`): control and
  bidi-override characters stripped, line ends normalised, Excel's length limit
  kept. Unit text is always written as a string, never as a formula, and text
  that starts like one (= + - @) also carries Excel's quote prefix, so the cell
  stays text when someone edits it.
- **Measuring** (:class:`Face`, :func:`line_count`, :meth:`Face.height`): one
  heuristic for how many lines a text wraps to and how tall its row must be.
  LibreOffice never fits row heights of an .xlsx on open, so every row carries
  one. Calibrated against LibreOffice renders with Excel's metric-compatible
  fonts (Carlito for Calibri, Noto CJK for the Chinese faces): CJK characters
  are whole and break anywhere, Latin words break at spaces.
- **Looks**: a palette of fill/text colour pairs and named cell styles
  (xlsxwriter properties), one font per language.
- **Page setup** (:meth:`Sheet.finish`, :func:`header_text`): A4, fitted to the
  page width, the unit in the page header and the sheet name beside it,
  "第 X 页，共 N 页" / "Page X of N" in the footer, header rows repeated.
- **Writing** (:class:`Book`, :class:`Sheet`, :class:`Column`,
  :func:`write_book`): an xlsxwriter workbook that can never turn a string into
  a formula, number or link, pinned document time (the same input gives the same
  bytes), tables with column specs, merged spans sized to their text,
  colour rules for texts and numbers, data bars, and charts placed and sized
  on the sheet's grid.

A new workbook is a ``fill`` function handed to :func:`write_book`::

    def fill(book: kit.Book) -> None:
        sheet = book.sheet(Text("单位得分", "Units"))
        columns = (
            kit.Column(Text("单位", "Unit"), 24),
            kit.Column(Text("总分", "Total"), 9, kit.SCORE, wrap=False),
        )
        sheet.widths(columns)
        last = sheet.table(0, columns, rows, empty=Text("无", "None"))
        sheet.data_bars(1, 1, last)
        sheet.ws.freeze_panes(1, 1)  # the xlsxwriter worksheet stays at hand
        sheet.finish(header, repeat=(0, 0))

    kit.write_book(path, lang, title, fill, inputs)

The template is written with openpyxl (for sheet protection, per-cell locking,
data validation lists and rich text); it measures and cleans its text with the
same functions and :data:`FORM_FACES`, and is saved with the same pinned time
by :func:`checklist.xlsx.save_workbook`.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import IO, TYPE_CHECKING, Any, NamedTuple
from unicodedata import east_asian_width

from checklist.model import Status
from checklist.origin import PROPERTY, Made
from checklist.records import record
from checklist.text import CONTROL_AND_BIDI, Text
from checklist.xlsx import FIXED_TIME

if TYPE_CHECKING:
    from xlsxwriter import Workbook
    from xlsxwriter.chart import Chart
    from xlsxwriter.format import Format
    from xlsxwriter.worksheet import Worksheet


# --- safe text ---------------------------------------------------------------------------

MAX_CELL = 32767
"""Most characters an Excel cell holds."""

FORMULA_START = ("=", "+", "-", "@")
"""First characters that make Excel (or a user editing the cell) read text as a formula."""

# C0 and C1 controls (tab and line feed are handled first), bidi embeddings,
# overrides, isolates and marks (they reorder what is shown, e.g. a unit name
# that reads differently than it sorts), non-characters and lone surrogates,
# none of which belongs in a report.
_UNSAFE = re.compile(f"[{CONTROL_AND_BIDI}\ufffe\uffff\ud800-\udfff]")


def safe_text(text: str) -> str:
    """``text`` as a cell, a sheet name or a header may hold it.

    Line breaks stay (as ``\\n``), tabs become spaces, control and bidi
    control characters go, and text past Excel's limit ends in "…".
    """
    if not text.isprintable():  # cheap test first: most texts have nothing to strip
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
        text = _UNSAFE.sub("", text)
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def looks_like_formula(text: str) -> bool:
    """Whether ``text`` starts like a formula (it is written as text with a quote prefix)."""
    return text.startswith(FORMULA_START)


def header_text(text: str, limit: int = 100) -> str:
    """``text`` for a page header or footer: safe, one line, ``&`` printed as itself."""
    one_line = " ".join(safe_text(text).split("\n"))
    if one_line[:1].isdigit():
        # After a code such as "&9" (font size), digits would be read as part of it:
        # "2024年度…" would print as "年度…" in 2024-point type.
        one_line = f" {one_line}"
    return one_line[:limit].replace("&", "&&")


FOOTER = Text("第 &P 页，共 &N 页", "Page &P of &N")
"""Page footer: page X of N."""

# --- measuring ---------------------------------------------------------------------------

PAD_PT = 4.0
"""Room above and below a cell's text, in points."""


@record
class Face:
    """A font and what it measures, in Excel column units and points.

    A column unit is the width of a digit in the workbook's default font
    (Calibri 11, 7 px); the widths below hold for Excel with the named font
    and for LibreOffice with its metric-compatible stand-ins.
    """

    name: str
    """Font family written into the cells."""
    size: float
    """Body size in points."""
    wide: float
    """Width of a CJK (or other full-width) character at ``size``, in column units."""
    latin: float
    """Width of an average Latin character at ``size``, in column units."""
    line: float
    """Height of one line of text at ``size``, in points."""
    cjk: bool
    """Whether it is a CJK font (it draws “ ” — ≥ and the like full width)."""

    def lines(self, text: str, width: float, size: float | None = None) -> int:
        """Lines ``text`` wraps to in a column (or span) ``width`` units wide."""
        scale = (size or self.size) / self.size
        ambiguous = self.wide if self.cjk else self.latin
        return line_count(text, width / scale, self.wide, self.latin, ambiguous)

    def height(self, lines: int, size: float | None = None, text: str = "") -> float:
        """Row height in points for ``lines`` lines of ``size`` pt ``text``."""
        line = self.line
        if not self.cjk and is_cjk(text):
            # Chinese in a Latin font falls back to a CJK font with taller lines.
            line = max(line, CJK_LINE * self.size / 10)
        return round(lines * line * (size or self.size) / self.size + PAD_PT, 1)

    def fit(self, text: str, width: float, size: float | None = None) -> float:
        """Row height that shows ``text`` wrapped in ``width`` whole."""
        return self.height(self.lines(text, width, size), size, text)

    def tallest(self, cells: Iterable[tuple[str, float]], minimum: float = 0.0) -> float:
        """Row height that shows every ``(text, width)`` of a row whole, at least ``minimum``."""
        return max([minimum, *(self.fit(text, width) for text, width in cells if text)])


CJK_LINE = 14.0
"""Height of one line of 10 pt CJK text (微软雅黑, Noto Sans CJK) in points."""

REPORT_FACES: dict[str, Face] = {
    "zh": Face("微软雅黑", 10, wide=1.9, latin=1.0, line=CJK_LINE, cjk=True),
    "en": Face("Calibri", 10, wide=1.9, latin=0.75, line=12.75, cjk=False),
}
"""The reports' font per language: 微软雅黑's Latin letters are wider than Calibri's."""

FORM_FACES: dict[str, Face] = {
    # 五号 (10.5 pt), the usual size of Chinese office forms; 宋体 draws Latin
    # at exactly half a CJK character.
    "zh": Face("宋体", 10.5, wide=2.0, latin=1.0, line=15.2, cjk=True),
    "en": Face("Calibri", 10.5, wide=2.0, latin=0.8, line=13.0, cjk=False),
}
"""The blank template's font per language."""


def face_for(faces: Mapping[str, Face], lang: str) -> Face:
    """The face of ``lang`` (Chinese when the language is unknown)."""
    return faces.get(lang, faces["zh"])


_NARROW = frozenset(" ()[]{}.,;:'\"!|/-")
"""Latin characters about half as wide as a digit."""
_SPARE = 0.5
"""Column units of text a column holds beyond its width: of the 5 px Excel adds to
every column little goes to padding (a 30-unit column shows 16 CJK characters
of 10 pt, a 27-unit one 14)."""


def is_cjk(text: str) -> bool:
    """Whether ``text`` holds a wide (CJK or full-width) character."""
    return not text.isascii() and any(east_asian_width(ch) in "WF" for ch in text)


def _tokens(
    paragraph: str, wide: float, latin: float, ambiguous: float
) -> list[tuple[float, float]]:
    """(width, width of trailing spaces) of each unbreakable piece: a wide character or a word."""
    tokens: list[tuple[float, float]] = []
    size = trailing = 0.0
    for ch in paragraph:
        if ch == " ":
            size += latin / 2
            trailing += latin / 2
            continue
        if trailing:  # the spaces ended a word
            tokens.append((size, trailing))
            size = trailing = 0.0
        if ch.isascii():
            size += latin / 2 if ch in _NARROW else latin
            continue
        kind = east_asian_width(ch)
        if kind in "WF":
            if size:
                tokens.append((size, 0.0))
                size = 0.0
            tokens.append((wide, 0.0))
        else:
            size += ambiguous if kind == "A" else latin
    if size:
        tokens.append((size, trailing))
    return tokens


@lru_cache(maxsize=8192)
def line_count(
    text: str, width: float, wide: float = 1.9, latin: float = 1.0, ambiguous: float | None = None
) -> int:
    """Lines ``text`` wraps to in ``width`` column units (greedy, as Excel and LibreOffice wrap).

    Wide (CJK, full-width) characters count ``wide`` and may break anywhere;
    other text breaks only at spaces (or mid-word when a word is longer than a
    line), counting ``latin`` per letter or digit, half that for spaces and
    narrow punctuation, and ``ambiguous`` (default ``wide``) for characters
    such as “ ” — ≥ that CJK fonts draw wide and Latin fonts narrow. Spaces at
    a line's end hang past the edge. Remembered: rule texts recur across
    sheets and workbooks.
    """
    room = max(width + _SPARE, 1.0)
    ambiguous = wide if ambiguous is None else ambiguous
    # No character is wider than this: a paragraph this short fits on one line.
    widest = max(wide, latin, ambiguous)
    total = 0
    for paragraph in text.split("\n"):
        if len(paragraph) * (latin if paragraph.isascii() else widest) <= room:
            total += 1
            continue
        lines, used = 1, 0.0
        for size, trailing in _tokens(paragraph, wide, latin, ambiguous):
            if used and used + size - trailing > room:
                lines += 1
                used = 0.0
            while size - trailing > room:
                lines += 1
                size -= room
            used += size
        total += lines
    return total


# --- looks ---------------------------------------------------------------------------


class Colours(NamedTuple):
    """A fill and the text colour that reads on it."""

    fill: str
    """Background, ``#RRGGBB``."""
    text: str
    """Font colour, ``#RRGGBB``."""


GREEN = Colours("#C6EFCE", "#006100")
YELLOW = Colours("#FFEB9C", "#9C5700")
RED = Colours("#FFC7CE", "#9C0006")
ORANGE = Colours("#FCE4D6", "#833C0B")
PURPLE = Colours("#E4DFEC", "#5B2C6F")
GREY = Colours("#EDEDED", "#595959")
BLUE = Colours("#DDEBF7", "#1F4E78")
PLAIN = Colours("#FFFFFF", "#000000")

STATUS_COLOURS: dict[Status, Colours] = {
    Status.passed: GREEN,
    Status.partial: YELLOW,
    Status.fail: RED,
    Status.missing: ORANGE,
    Status.unsupported: PURPLE,
    Status.na: GREY,
    Status.waived: BLUE,
}
"""Fill and text colour of each status, in every workbook."""

HEAD = "#1F4E78"
"""Header fill and heading text: the house blue."""
BORDER = "#A6A6A6"
"""Cell borders."""
MUTED = "#595959"
"""Secondary text (subtitles, notes)."""
LABEL_FILL = "#F2F2F2"
"""Fill of a label cell beside its value."""
BAR_COLOURS = {"good": "#63BE7B", "fair": "#FFC000", "weak": "#F8696B", "none": "#BFBFBF"}
SCORE_SCALE: dict[str, object] = {
    "type": "3_color_scale",
    "min_type": "num",
    "min_value": 0,
    "mid_type": "num",
    "mid_value": 60,
    "max_type": "num",
    "max_value": 100,
    "min_color": BAR_COLOURS["weak"],
    "mid_color": "#FFEB84",
    "max_color": BAR_COLOURS["good"],
}
"""Scores 0–100 as a colour scale: red, yellow at the pass mark, green."""
"""Chart bar colours by level."""

Style = Mapping[str, Any]
"""xlsxwriter format properties (font and size are added by the book)."""

_BOX: Style = MappingProxyType(
    {"border": 1, "border_color": BORDER, "valign": "top", "text_wrap": True}
)
BODY: Style = _BOX
"""Wrapped text in a bordered cell."""
CENTRE: Style = MappingProxyType({**_BOX, "align": "center"})
"""Centred: ids, statuses, short words."""
NUMBER: Style = MappingProxyType({**CENTRE, "num_format": "General"})
"""A number, centred."""
SCORE: Style = MappingProxyType({**CENTRE, "num_format": "0.0"})
"""A score with one decimal."""
TOTAL: Style = MappingProxyType({**CENTRE, "num_format": "0.0#"})
"""A total with up to two decimals."""
LABEL: Style = MappingProxyType({**_BOX, "bold": True, "bg_color": LABEL_FILL})
"""A label beside its value."""
HEADER: Style = MappingProxyType(
    {
        **_BOX,
        "bold": True,
        "font_color": "#FFFFFF",
        "bg_color": HEAD,
        "align": "center",
        "valign": "vcenter",
    }
)
"""A table header cell."""
TITLE: Style = MappingProxyType(
    {"bold": True, "font_size": 16, "font_color": HEAD, "valign": "vcenter"}
)
"""The sheet title."""
SUBTITLE: Style = MappingProxyType({"font_color": MUTED, "valign": "vcenter", "text_wrap": True})
"""The line under the title."""
SECTION: Style = MappingProxyType(
    {"bold": True, "font_size": 12, "font_color": HEAD, "valign": "bottom"}
)
"""A section heading."""
NOTE: Style = MappingProxyType(
    {"italic": True, "font_size": 9, "font_color": MUTED, "text_wrap": True, "valign": "top"}
)
"""An explanatory note."""

SIGNED_FORMAT = "+0.0#;-0.0#;0.0"
"""Number format of a change: +7.5, -2.25, 0.0."""


def coloured(style: Style, colours: Colours | tuple[str, str], bold: bool = True) -> Style:
    """``style`` with a fill and a text colour."""
    fill, text = colours
    return {**style, "bg_color": fill, "font_color": text, "bold": bold}


def delta_colours(value: float | None) -> Colours | None:
    """Green for a rise, red for a fall, None for no change (or none known)."""
    if value is None or abs(value) < 0.005:
        return None
    return GREEN if value > 0 else RED


def delta_style(value: float | None, base: Style = CENTRE) -> Style:
    """``base`` green for a rise, red for a fall, unchanged otherwise."""
    colours = delta_colours(value)
    return base if colours is None else coloured(base, colours)


# --- writing -------------------------------------------------------------------------


@record
class Column:
    """One column of a table: its header, width and the look of its body cells."""

    head: Text
    """Header text."""
    width: float
    """Width in column units."""
    style: Style = field(default_factory=lambda: BODY)
    """Look of the body cells."""
    num_format: str = ""
    """Number format of numeric body cells, e.g. ``0.0``."""
    wrap: bool = True
    """Whether long text wraps (and so counts toward the row height)."""
    en_width: float | None = None
    """Width with English texts, where those run longer."""

    def width_in(self, lang: str) -> float:
        """The width for ``lang``."""
        return self.en_width if lang == "en" and self.en_width else self.width


class Book:
    """An xlsxwriter workbook that writes strings only as strings, formats built once."""

    def __init__(
        self,
        target: Path,
        lang: str,
        title: str,
        subject: str = "",
        made: Made = Made.output,
    ) -> None:

        self.lang = lang
        """Language of the texts."""
        self.face = face_for(REPORT_FACES, lang)
        """The body font and its measures."""
        self.workbook: Workbook = fast_workbook()(
            str(target),
            {
                # Unit text must never become a formula, a number or a link.
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
                # In memory: no temporary files, and zip entry times pinned to 1980.
                "in_memory": True,
            },
        )
        properties = {"title": safe_text(title), "author": "checklist", "created": FIXED_TIME}
        if subject:
            properties["subject"] = safe_text(subject)
        self.workbook.set_properties(properties)
        # What the file is, kept through saves in Excel, WPS and LibreOffice, so
        # that intake refuses it as a form (see checklist.origin).
        self.workbook.set_custom_property(PROPERTY, made.value)
        self._formats: dict[tuple[tuple[str, Any], ...], Format] = {}
        self._constant: dict[int, tuple[Style, Format]] = {}
        """Formats of the immutable styles (the module's constants), by identity: a report
        asks for one about two thousand times."""

    def format(self, style: Style) -> Format:
        """The format for ``style`` (the book's font and size added), built once."""
        if type(style) is MappingProxyType:
            known = self._constant.get(id(style))
            # The entry holds the style, so its id cannot be reused while cached.
            if known is not None and known[0] is style:
                return known[1]
        props = {"font_name": self.face.name, "font_size": self.face.size, **style}
        key = tuple(sorted(props.items()))
        found = self._formats.get(key)
        if found is None:
            found = self._formats[key] = self.workbook.add_format(props)
        if type(style) is MappingProxyType:
            self._constant[id(style)] = (style, found)
        return found

    def sheet(self, name: Text | str) -> Sheet:
        """A new worksheet, named in the book's language."""
        text = name.get(self.lang) if isinstance(name, Text) else name
        return Sheet(self, self.workbook.add_worksheet(safe_text(text)[:31], fast_worksheet()))

    def chart(self, kind: str) -> Chart:
        """A new chart of ``kind`` (``bar``, ``line`` …) to place with :meth:`Sheet.chart`."""
        chart = self.workbook.add_chart({"type": kind})
        assert chart is not None, kind
        return chart

    def chart_font(self) -> dict[str, object]:
        """Chart text (axes, labels, legend): the book's font at 9 pt."""
        return {"name": self.face.name, "size": 9}

    def close(self) -> None:
        """Write the file."""
        self.workbook.close()


_STRING, _NUMBER, _INTEGER, _BLANK = 0, 1, 2, 3
"""Kinds of a packed cell (an integer number keeps its type: a chart caches it as written)."""
_PACK_BEHIND = 32
"""Rows behind the last one written that are packed (the kit goes back only a few rows)."""
_PACK_FROM = 512
"""Rows a sheet has before any is packed."""


@lru_cache(maxsize=1)
def fast_worksheet() -> type[Worksheet]:
    """xlsxwriter's worksheet with its sheet data kept smaller and written faster, same bytes.

    xlsxwriter keeps each cell as a named tuple in a dictionary per row, about
    150 bytes a cell: a roll-up of thousands of units held megabytes of them
    until the file was closed. Here rows 32 and more behind the last one
    written are packed into an array of numbers (column, kind, format, value;
    about 32 bytes a cell) and unpacked one at a time as the sheet is written
    (or when a chart reads its data); a cell written again later wins, as in
    xlsxwriter.

    Writing the ``<sheetData>`` XML cell by cell through xlsxwriter's generic
    element helpers was a third of a report's time. Here the cells checklist
    writes (numbers, shared strings, formatted blanks) and the ``<row>`` of a
    sized row are written each as one string in the exact form those helpers
    give; any other cell or row goes through xlsxwriter's own method. Storing a
    string, a finite number, a formatted blank, a row height or a merged span
    takes xlsxwriter's own steps in one call, past its argument conversion; any
    other case goes to xlsxwriter. Conditional formats repeat the same few
    criteria, so their formula is prepared once (xlsxwriter runs dozens of
    regular expressions over each, none of which can change a formula without
    a call). ``tests/test_kit.py`` checks that the files are byte-identical to
    plain xlsxwriter's.
    """
    from math import isfinite

    from xlsxwriter.utility import xl_col_to_name, xl_range
    from xlsxwriter.worksheet import (
        CellBlankTuple,
        CellNumberTuple,
        CellStringTuple,
        RowInfo,
        Worksheet,
    )

    prepared: dict[tuple[str, bool, bool], str] = {}

    class FastWorksheet(Worksheet):  # type: ignore[misc]  # xlsxwriter is untyped here
        dim_rowmin: int | None
        dim_rowmax: int | None
        dim_colmin: int | None
        dim_colmax: int | None

        def __init__(self) -> None:
            super().__init__()
            self._packed: dict[int, array[float]] = {}
            """Rows long written, packed: (column, kind, format, value) per cell."""
            self._looks: list[Any] = []
            self._look_ids: dict[int, int] = {}
            self._high = -1
            self._next = 0

        # --- rows packed as the sheet grows

        def _write_string(self, row: int, col: int, string: str, look: Any = None) -> Any:
            if (
                self.constant_memory
                or len(string) > self.xls_strmax // 2
                or not (0 <= row < self.xls_rowmax and 0 <= col < self.xls_colmax)
            ):
                done = super()._write_string(row, col, string, look)
            else:
                # xlsxwriter's own steps for a string within its limits, in one call
                # (dimensions, shared string, the cell): most cells of a report.
                if self.dim_rowmin is None or row < self.dim_rowmin:
                    self.dim_rowmin = row
                if self.dim_rowmax is None or row > self.dim_rowmax:
                    self.dim_rowmax = row
                if self.dim_colmin is None or col < self.dim_colmin:
                    self.dim_colmin = col
                if self.dim_colmax is None or col > self.dim_colmax:
                    self.dim_colmax = col
                index = self.str_table._get_shared_string_index(string)
                self.table[row][col] = CellStringTuple(index, look)
                done = 0
            if row > self._high:
                self._moved(row)
            return done

        def _write_number(self, row: int, col: int, number: Any, look: Any = None) -> Any:
            kind = number.__class__
            if (
                self.constant_memory
                or not (kind is int or (kind is float and isfinite(number)))
                or not (0 <= row < self.xls_rowmax and 0 <= col < self.xls_colmax)
            ):
                done = super()._write_number(row, col, number, look)
            else:
                # xlsxwriter's steps for a finite int or float, as for strings above.
                if self.dim_rowmin is None or row < self.dim_rowmin:
                    self.dim_rowmin = row
                if self.dim_rowmax is None or row > self.dim_rowmax:
                    self.dim_rowmax = row
                if self.dim_colmin is None or col < self.dim_colmin:
                    self.dim_colmin = col
                if self.dim_colmax is None or col > self.dim_colmax:
                    self.dim_colmax = col
                self.table[row][col] = CellNumberTuple(number, look)
                done = 0
            if row > self._high:
                self._moved(row)
            return done

        def _write_blank(self, row: int, col: int, blank: Any, look: Any = None) -> Any:
            if (
                self.constant_memory
                or look is None
                or not (0 <= row < self.xls_rowmax and 0 <= col < self.xls_colmax)
            ):
                done = super()._write_blank(row, col, blank, look)
            else:
                if self.dim_rowmin is None or row < self.dim_rowmin:
                    self.dim_rowmin = row
                if self.dim_rowmax is None or row > self.dim_rowmax:
                    self.dim_rowmax = row
                if self.dim_colmin is None or col < self.dim_colmin:
                    self.dim_colmin = col
                if self.dim_colmax is None or col > self.dim_colmax:
                    self.dim_colmax = col
                self.table[row][col] = CellBlankTuple(look)
                done = 0
            if row > self._high:
                self._moved(row)
            return done

        def merge_range(self, *args: Any, **options: Any) -> Any:
            if options or len(args) != 6 or self.constant_memory:
                return super().merge_range(*args, **options)
            first_row, first_col, last_row, last_col, data, look = args
            if not (
                type(first_row) is int
                and type(first_col) is int
                and type(last_row) is int
                and type(last_col) is int
                and 0 <= first_row <= last_row < self.xls_rowmax
                and 0 <= first_col <= last_col < self.xls_colmax
                and (first_row, first_col) != (last_row, last_col)
            ):
                return super().merge_range(*args)
            cells = [
                (row, col)
                for row in range(first_row, last_row + 1)
                for col in range(first_col, last_col + 1)
            ]
            merged, tables = self.merged_cells, self.table_cells
            if any(merged.get(cell) or tables.get(cell) for cell in cells):
                return super().merge_range(*args)  # raises OverlappingRange
            # xlsxwriter's merge_range for numbers in range without an overlap, past
            # its argument conversion: a report's summary merges sixty spans.
            self._check_dimensions(first_row, first_col)
            self._check_dimensions(last_row, last_col)
            cell_range = xl_range(first_row, first_col, last_row, last_col)
            for cell in cells:
                merged[cell] = cell_range
            self.merge.append([first_row, first_col, last_row, last_col])
            self._write(first_row, first_col, data, look)
            for row, col in cells[1:]:
                self._write_blank(row, col, "", look)
            return 0

        def set_row(
            self,
            row: int,
            height: float | None = None,
            cell_format: Any = None,
            options: dict[str, Any] | None = None,
        ) -> Any:
            pixels = None if height is None else int(height * 4.0 / 3.0 + 0.5)
            if (
                pixels is None
                or pixels == 0
                or cell_format is not None
                or options is not None
                or self.constant_memory
                or not 0 <= row < self.xls_rowmax
            ):
                return super().set_row(row, height, cell_format, options)
            # set_row_pixels' steps for a visible row of a given height: every row of
            # every sheet is sized when it is finished.
            col = self.dim_colmin if self.dim_colmin is not None else 0
            if self.dim_rowmin is None or row < self.dim_rowmin:
                self.dim_rowmin = row
            if self.dim_rowmax is None or row > self.dim_rowmax:
                self.dim_rowmax = row
            if self.dim_colmin is None or col < self.dim_colmin:
                self.dim_colmin = col
            if self.dim_colmax is None or col > self.dim_colmax:
                self.dim_colmax = col
            self.row_info[row] = RowInfo(
                height=pixels, row_format=None, hidden=False, level=0, collapsed=False
            )
            self.row_sizes[row] = [pixels, False]
            return 0

        def _moved(self, row: int) -> None:
            self._high = row
            if row < _PACK_FROM:
                return  # a report's few hundred rows: packing would only cost time
            end = row - _PACK_BEHIND
            for old in range(self._next, end):
                self._pack(old)
            self._next = max(self._next, end)

        def _pack(self, row: int) -> None:
            cells = self.table.get(row)
            if not cells:
                return
            packed = array("d")
            for col, cell in cells.items():
                look = cell.format
                kind = _KINDS.get(cell.__class__)
                if look is None or kind is None:
                    return  # kept as xlsxwriter keeps it
                if kind == _NUMBER:
                    value = cell.number
                    if type(value) is int and abs(value) < 2**53:
                        kind = _INTEGER
                    elif type(value) is not float:
                        return
                else:
                    value = cell.string if kind == _STRING else 0
                look_id = self._look_ids.get(id(look))
                if look_id is None:
                    look_id = self._look_ids[id(look)] = len(self._looks)
                    self._looks.append(look)
                packed.extend((col, kind, look_id, value))
            self._packed[row] = packed
            del self.table[row]

        def _cells(self, row: int) -> dict[int, Any]:
            """Row ``row``'s cells as xlsxwriter keeps them (packed ones unpacked, written later win)."""
            packed = self._packed.pop(row, None)
            if packed is None:
                row_cells: dict[int, Any] = self.table[row]
                return row_cells
            cells: dict[int, Any] = {}
            looks = self._looks
            for at in range(0, len(packed), 4):
                col, kind, look, value = packed[at : at + 4]
                if kind == _STRING:
                    cell = CellStringTuple(int(value), looks[int(look)])
                elif kind == _BLANK:
                    cell = CellBlankTuple(looks[int(look)])
                else:
                    number = int(value) if kind == _INTEGER else value
                    cell = CellNumberTuple(number, looks[int(look)])
                cells[int(col)] = cell
            cells.update(self.table.get(row, {}))
            self.table[row] = cells
            return cells

        def _get_range_data(
            self, row_start: int, col_start: int, row_end: int, col_end: int
        ) -> Any:
            for row in range(row_start, row_end + 1):
                if row in self._packed:
                    self._cells(row)
            return super()._get_range_data(row_start, col_start, row_end, col_end)

        def _calculate_spans(self) -> None:
            # xlsxwriter's spans (the columns used per block of 16 rows), packed rows included.
            spans = {}
            low: int | None = None
            high = 0
            first, last = self.dim_rowmin, self.dim_rowmax
            assert first is not None and last is not None  # the sheet has rows
            for row_num in range(first, last + 1):
                used = [*self.table.get(row_num, ()), *self.comments.get(row_num, ())]
                packed = self._packed.get(row_num)
                if packed is not None:
                    used += [int(col) for col in packed[::4]]
                if used:
                    low = min(used) if low is None else min(low, *used)
                    high = max(high, *used)
                block_ends = (row_num + 1) % 16 == 0 or row_num == last
                if block_ends and low is not None:
                    spans[row_num // 16] = f"{low + 1}:{high + 1}"
                    low = None
                    high = 0
            self.row_spans = spans

        # --- writing

        def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
            key = (formula, expand_future_functions, bool(self.use_future_functions))
            found = prepared.get(key)
            if found is None:
                if "(" in formula:
                    found = super()._prepare_formula(formula, expand_future_functions)
                else:
                    # Every rewrite xlsxwriter makes is of a function call; without one
                    # only its trimming applies, and its regexes need not be compiled.
                    found = formula.removeprefix("{").removeprefix("=").removesuffix("}")
                prepared[key] = found
            return found

        def _assemble_xml_file(self) -> None:
            for row in self.hyperlinks:
                if row in self._packed:
                    self._cells(row)  # xlsxwriter reads a link's cell from its table
            super()._assemble_xml_file()
            # Written: a roll-up's thousands of rows need not wait for the other sheets.
            self.table.clear()
            self._packed.clear()

        def _write_rows(self) -> None:
            if self.constant_memory or self.dim_rowmin is None:
                for row in list(self._packed):
                    self._cells(row)
                super()._write_rows()
                return
            self._calculate_spans()
            row_info, comments = self.row_info, self.comments
            write = self.fh.write
            drain = getattr(self.fh, "drain", None)  # a part streamed into the zip
            first, last = self.dim_rowmin, self.dim_rowmax
            assert first is not None and last is not None  # checked above
            letters = column_letters(self.dim_colmax or 0)
            indices: dict[int, int] = {}
            for row_num in range(first, last + 1):
                cells = self._cells(row_num)
                if not cells:
                    if row_num in row_info or row_num in comments:
                        self._write_empty_row(
                            row_num, self.row_spans.get(row_num // 16), row_info.get(row_num)
                        )
                    continue
                number = row_num + 1
                spans = self.row_spans.get(row_num // 16)
                info = row_info.get(row_num)
                parts: list[str] = []
                if (
                    info is None
                    or info.height is None
                    or info.row_format is not None
                    or info.hidden
                    or info.level
                    or info.collapsed
                    or self.excel_version == 2010
                ):
                    self._write_row(row_num, spans, info)
                else:
                    # _write_row's element for a row only sized (as the kit sizes every row).
                    head = f'<row r="{number}"'
                    if spans:
                        head += f' spans="{spans}"'
                    height = info.height
                    if height != self.original_row_height or height != self.default_row_height:
                        head += f' ht="{height * 0.75:.16g}" customHeight="1"'
                    parts.append(head + ">")
                for col_num in sorted(cells):
                    cell = cells[col_num]
                    kind = cell.__class__
                    look = cell.format
                    if look is None or kind not in _KINDS:
                        if parts:
                            write("".join(parts))
                            parts = []
                        self._write_cell(row_num, col_num, cell)
                        continue
                    # xl_rowcol_to_cell_fast's reference; the format's index asked once (a
                    # format equal to an earlier one never gets its own and would rebuild
                    # its key for every cell).
                    ref = f"{letters[col_num]}{number}"
                    style = indices.get(id(look))
                    if style is None:
                        style = indices[id(look)] = look._get_xf_index()
                    if kind is CellStringTuple:
                        parts.append(f'<c r="{ref}" s="{style}" t="s"><v>{cell.string}</v></c>')
                    elif kind is CellNumberTuple:
                        parts.append(f'<c r="{ref}" s="{style}"><v>{cell.number:.16G}</v></c>')
                    else:
                        parts.append(f'<c r="{ref}" s="{style}"/>')
                parts.append("</row>")
                write("".join(parts))
                if drain is not None and row_num % 256 == 255:
                    drain()

    _KINDS = {CellStringTuple: _STRING, CellNumberTuple: _NUMBER, CellBlankTuple: _BLANK}
    letters: list[str] = []

    def column_letters(last: int) -> list[str]:
        """Column names A, B, … up to column ``last`` (0-based), made once."""
        while len(letters) <= last:
            letters.append(xl_col_to_name(len(letters)))
        return letters

    return FastWorksheet


_ZIPPED_SIZE = 32_768
"""Largest part (characters) kept deflated when met again: the static parts are a few KB."""
_ZIPPED_KEPT = 64
"""Deflated parts kept before the memory starts again."""


@lru_cache(maxsize=1)
def fast_workbook() -> type[Workbook]:
    """xlsxwriter's workbook that zips each part as it is written, to the same bytes.

    xlsxwriter (in memory, as the kit writes) builds every part of the package
    (each sheet's XML, the shared strings) as text and only then zips them, so a
    roll-up of thousands of units held all its XML at once, as text and again
    encoded. Here each part is encoded and compressed into its zip entry as it
    is written (a sheet every 256 rows), in the same order with the same entry
    times; deflate gives the same bytes however its input is cut.

    A batch worker writes hundreds of reports that share most of their
    content, so what repeats is made once per process and reused: formats are
    copied from a model built once per set of properties, each shared string's
    ``<si>`` element is remembered (a few thousand at most), and a small part
    met a second time (styles, theme, relationships) is deflated once and its
    zip entry written from the kept bytes.
    ``tests/test_kit.py`` checks the files against plain xlsxwriter's.
    """
    import zlib
    from copy import copy
    from io import StringIO
    from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

    from xlsxwriter import Workbook
    from xlsxwriter.format import Format
    from xlsxwriter.packager import Packager
    from xlsxwriter.sharedstrings import SharedStrings
    from xlsxwriter.utility import _preserve_whitespace

    shared_xml: dict[str, str] = {}
    models: dict[tuple[tuple[str, Any], ...], Format] = {}

    def entry(name: str, archive: ZipFile) -> ZipInfo:
        found = ZipInfo(name, (1980, 1, 1, 0, 0, 0))  # xlsxwriter's time for in-memory parts
        found.compress_type = archive.compression
        return found

    zipped: dict[str, tuple[int, int, bytes]] = {}
    """Parts met twice, by their text: (CRC, size, deflated bytes)."""
    met: set[int] = set()
    """Hashes of parts met once."""

    def from_zipped(archive: ZipFile, name: str, text: str) -> bool:
        """Write part ``name`` deflated once before; False when it is not (yet) kept.

        A batch's reports share most small parts (styles, theme, content types,
        relationships, app properties) byte for byte; deflating each anew cost a
        new compressor (~25 us) and the zip entry's two headers each time. A part
        met a second time is deflated as zipfile deflates it (whole, default level,
        raw stream) and kept; the entry is then written in the steps of
        ``ZipFile._open_to_write`` and ``_ZipWriteFile.close`` for a seekable file.
        """
        zip_file: Any = archive  # zipfile's own attributes, untyped in typeshed
        if not (
            zip_file._seekable
            and not zip_file._writing
            and archive.compression == ZIP_DEFLATED
            and archive.compresslevel is None
        ):
            return False
        found = zipped.get(text)
        if found is None:
            key = hash(text)
            if key not in met:
                if len(met) >= _KEPT:
                    met.clear()
                met.add(key)
                return False
            data = text.encode("utf-8")
            deflate = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
            found = (zlib.crc32(data), len(data), deflate.compress(data) + deflate.flush())
            if len(zipped) >= _ZIPPED_KEPT:
                zipped.clear()
            zipped[text] = found
        info = entry(name, archive)
        info.flag_bits = 0
        info.external_attr = 0o600 << 16
        info.CRC, info.file_size, info.compress_size = found[0], found[1], len(found[2])
        handle = zip_file.fp
        handle.seek(zip_file.start_dir)
        info.header_offset = handle.tell()
        zip_file._writecheck(info)
        zip_file._didModify = True
        handle.write(info.FileHeader(False))
        handle.write(found[2])
        zip_file.start_dir = handle.tell()
        archive.filelist.append(info)
        archive.NameToInfo[info.filename] = info
        return True

    class Part(StringIO):
        """One XML part, going into its zip entry as xlsxwriter writes it.

        Written to as a StringIO (xlsxwriter makes thousands of small writes);
        what it holds goes into the zip entry when :meth:`drain` is called: by
        the fast worksheet every few hundred rows, and when the part ends. A
        small part written whole may come from those deflated before.
        """

        def __init__(self, archive: ZipFile, name: str) -> None:
            super().__init__()
            self.archive = archive
            self.name = name
            self.entry: IO[bytes] | None = None
            """The zip entry, opened when the first text goes in."""

        def open_entry(self) -> IO[bytes]:
            if self.entry is None:
                self.entry = self.archive.open(entry(self.name, self.archive), "w")
            return self.entry

        def drain(self) -> None:
            text = self.getvalue()
            if text:
                self.open_entry().write(text.encode("utf-8"))
                self.seek(0)
                self.truncate(0)

        def finish(self) -> None:
            if self.entry is None:
                text = self.getvalue()
                if len(text) <= _ZIPPED_SIZE and from_zipped(self.archive, self.name, text):
                    return
            self.drain()
            self.open_entry().close()

    class Parts(list[tuple[Any, str, bool]]):
        """The package's parts, each zipped before the next one begins."""

        def __init__(self, archive: ZipFile) -> None:
            super().__init__()
            self.archive = archive
            self.open: Part | None = None

        def part(self, name: str) -> Part:
            self.finish()
            self.open = Part(self.archive, name)
            return self.open

        def append(self, part: tuple[Any, str, bool]) -> None:
            # A part the packager makes itself (an image), whole.
            self.finish()
            data, name, binary = part
            value = data.getvalue()
            self.archive.writestr(entry(name, self.archive), value if binary else value.encode())

        def finish(self) -> None:
            if self.open is not None:
                self.open.finish()
                self.open = None

    class FastSharedStrings(SharedStrings):  # type: ignore[misc]  # xlsxwriter is untyped here
        def _write_sst_strings(self) -> None:
            # Each string's <si> element as SharedStrings._write_si writes it, made once
            # for the rule texts every report of a batch repeats, written in one go.
            known = shared_xml
            elements: list[str] = []
            for string in self.string_table.string_array:
                xml = known.get(string)
                if xml is None:
                    if len(known) >= _KEPT:
                        known.clear()
                    xml = known[string] = self._element(string)
                elements.append(xml)
            self.fh.write("".join(elements))

        def _element(self, string: str) -> str:
            text = self._escape_control_characters(string)
            if text.startswith("<r>") and text.endswith("</r>"):
                return f"<si>{text}</si>"  # xlsxwriter writes such a string as rich text
            space = ' xml:space="preserve"' if _preserve_whitespace(text) else ""
            return f"<si><t{space}>{self._escape_data(text)}</t></si>"

    class StreamingPackager(Packager):  # type: ignore[misc]  # xlsxwriter is untyped here
        def _filename(self, xml_filename: str) -> Part:
            parts: Parts = self.filenames
            return parts.part(xml_filename)

        def _write_shared_strings_file(self) -> None:
            strings = FastSharedStrings()
            strings.string_table = self.workbook.str_table
            if not strings.string_table.count:
                return
            strings._set_xml_writer(self._filename("xl/sharedStrings.xml"))
            strings._assemble_xml_file()

    class FastWorkbook(Workbook):  # type: ignore[misc]  # xlsxwriter is untyped here
        def add_format(self, properties: dict[str, Any] | None = None) -> Format:
            # A copy of a format made once with the same properties: building one (its
            # setters, its colours parsed) cost more than the cells of a small sheet,
            # and a report makes forty. The model is never given to a workbook, so what
            # a workbook's preparation sets on its formats (indices, swapped fills) is
            # set on the copy; none of it is changed in place.
            merged = {**self.default_format_properties, **(properties or {})}
            try:
                key = tuple(sorted(merged.items()))
                model = models.get(key)
            except TypeError:  # an unhashable property value
                return super().add_format(properties)
            if model is None:
                if len(models) >= _KEPT:
                    models.clear()
                model = models[key] = Format(merged)
            made = copy(model)
            made.xf_format_indices = self.xf_format_indices
            made.dxf_format_indices = self.dxf_format_indices
            self.formats.append(made)
            return made

        def _store_workbook(self) -> None:
            # xlsxwriter's own steps (Workbook._store_workbook), in memory, with the
            # parts zipped one by one.
            if not self.in_memory or self.vba_project:
                super()._store_workbook()
                return
            with ZipFile(
                self.filename, "w", compression=ZIP_DEFLATED, allowZip64=self.allow_zip64
            ) as archive:
                packager = StreamingPackager()
                if not self.worksheets():
                    self.add_worksheet()
                if self.worksheet_meta.activesheet == 0:
                    self.worksheets_objs[0].selected = 1
                    self.worksheets_objs[0].hidden = 0
                for sheet in self.worksheets():
                    if sheet.index == self.worksheet_meta.activesheet:
                        sheet.active = 1
                self._prepare_sst_string_data()
                self._prepare_vml()
                self._prepare_defined_names()
                self._prepare_drawings()
                self._add_chart_data()
                self._prepare_tables()
                self._prepare_metadata()
                packager._add_workbook(self)
                packager._set_tmpdir(self.tmpdir)
                packager._set_in_memory(True)
                parts = packager.filenames = Parts(archive)
                packager._create_package()
                parts.finish()

    return FastWorkbook


def write_book(
    path: Path,
    lang: str,
    title: str,
    fill: Callable[[Book], None],
    inputs: Iterable[Path] = (),
    subject: str = "",
    made: Made = Made.output,
) -> Path:
    """Build a workbook with ``fill`` and write it to ``path`` atomically (never over an input).

    ``made`` says what it is (:mod:`checklist.origin`): intake refuses it as a form.
    """
    from checklist.output import write_atomically

    def write(temp: Path) -> None:
        book = Book(temp, lang, title, subject, made)
        fill(book)
        book.close()

    return write_atomically(Path(path), write, inputs)


_KEPT = 4096
"""Row heights (per face) and shared-string XML remembered before the memory starts
again: a batch worker's reports repeat a few hundred rule texts and each unit adds
its own answers; a roll-up's thousands of unit names pass through without piling up."""

Fits = dict[tuple[str, float, float | None], float]
_fitted: dict[Face, Fits] = {}


def fitted(face: Face) -> Fits:
    """Row heights measured with ``face``, by (text, width, size): the same in every workbook."""
    found = _fitted.get(face)
    if found is None:
        found = _fitted[face] = {}
    return found


def _remember(fits: Fits, key: tuple[str, float, float | None], points: float) -> float:
    if len(fits) >= _KEPT:
        fits.clear()
    fits[key] = points
    return points


class Sheet:
    """One worksheet; rows and columns are 0-based as in xlsxwriter.

    Every row gets a height when the sheet is finished: the tallest asked for
    by :meth:`fit` (spans and tables ask for theirs), else one line.
    """

    def __init__(self, book: Book, worksheet: Worksheet) -> None:
        self.book = book
        """The workbook."""
        self.ws = worksheet
        """The xlsxwriter worksheet."""
        self.lang = book.lang
        """Language of the texts."""
        self.face = book.face
        """The body font and its measures."""
        self._widths: dict[int, float] = {}
        self._heights: dict[int, float] = {}
        """Row heights asked for so far; the tallest wins."""
        self._last = -1
        """The last row written or sized."""
        self._fits = fitted(self.face)

    # --- columns and rows

    def widths(self, widths: Sequence[float | Column], first: int = 0) -> None:
        """Set column widths (numbers or columns' widths in the book's language) from ``first``."""
        for col, width in enumerate(widths, start=first):
            units = width.width_in(self.lang) if isinstance(width, Column) else width
            self.ws.set_column(col, col, units)
            self._widths[col] = units

    def width(self, first: int, last: int | None = None) -> float:
        """Width of columns ``first..last`` (Excel's default where unset)."""
        end = first if last is None else last
        return sum(self._widths.get(c, 8.43) for c in range(first, end + 1))

    def fit(self, row: int, text: str, width: float, size: float | None = None) -> None:
        """Make ``row`` tall enough for ``text`` wrapped in ``width``."""
        key = (text, width, size)
        points = self._fits.get(key)
        if points is None:
            points = _remember(self._fits, key, self.face.fit(text, width, size))
        self.height(row, points)

    def height(self, row: int, points: float) -> None:
        """Make ``row`` at least ``points`` tall."""
        self._heights[row] = max(self._heights.get(row, 0.0), points)
        self._last = max(self._last, row)

    # --- cells

    def put(self, row: int, col: int, value: object, style: Style = BODY) -> None:
        """Write one value; a string always as text, never as a formula, number or link."""
        # xlsxwriter's undecorated writers: the row and column are numbers here, so the
        # A1-notation wrapper of write_string and the like is pure cost (a report
        # writes about two thousand cells).
        ws = self.ws
        if row > self._last:
            self._last = row
        if value is None or value == "":
            ws._write_blank(row, col, None, self.book.format(style))
        elif isinstance(value, bool):
            ws._write_string(row, col, str(value), self.book.format(style))
        elif isinstance(value, int | float):
            ws._write_number(row, col, value, self.book.format(style))
        else:
            text = safe_text(str(value))
            if looks_like_formula(text):
                # write_string never makes a formula; the quote prefix keeps Excel
                # from making one when someone edits the cell.
                style = {**style, "quote_prefix": True}
            ws._write_string(row, col, text, self.book.format(style))

    def span(
        self,
        row: int,
        first: int,
        last: int,
        value: object,
        style: Style = BODY,
        size: float | None = None,
    ) -> None:
        """Write ``value`` across columns ``first..last``, merged, the row tall enough for it."""
        if last > first:
            self.ws.merge_range(row, first, row, last, None, self.book.format(style))
        self.put(row, first, value, style)
        if isinstance(value, str) and value and style.get("text_wrap", False):
            self.fit(row, safe_text(value), self.width(first, last), size or style.get("font_size"))

    def title(self, text: str, subtitle: str, last: int) -> int:
        """A title and a subtitle over columns ``0..last``; returns the next free row."""
        self.span(0, 0, last, text, TITLE)
        self.height(0, 28)
        self.span(1, 0, last, subtitle, SUBTITLE)
        return 3

    def section(self, row: int, text: str, colours: Colours | None = None, last: int = 0) -> int:
        """A section heading over columns ``0..last``; returns the next row."""
        style = SECTION if colours is None else {**SECTION, "bg_color": colours.fill}
        self.span(row, 0, last, text, style)
        self.height(row, 22)
        return row + 1

    def note(self, row: int, text: str, last: int) -> int:
        """An explanatory note over columns ``0..last``; returns the next row."""
        self.span(row, 0, last, text, NOTE, size=9)
        return row + 1

    def table(
        self,
        top: int,
        columns: Sequence[Column],
        rows: Iterable[Sequence[object]],
        styles: Mapping[tuple[int, int], Style] | None = None,
        empty: Text | None = None,
    ) -> int:
        """A table with its header at row ``top``, from column A; returns the last row written.

        ``styles`` maps (row index within ``rows``, column index) to the look of
        that cell (a status colour, say); other cells take their column's.
        ``empty`` is said in one merged row when there are no rows.
        """
        styles = styles or {}
        widths = [column.width_in(self.lang) for column in columns]
        for col, column in enumerate(columns):
            head = column.head.get(self.lang)
            self.put(top, col, head, HEADER)
            self.fit(top, head, widths[col])
        # What put and fit do for each cell, inlined: a report's tables are two
        # thousand cells, and the calls were most of their time. A column's
        # formats are looked up when first needed, in the order put would.
        ws = self.ws
        write_string, write_number, write_blank = (
            ws._write_string,
            ws._write_number,
            ws._write_blank,
        )
        look_of = self.book.format
        fits, fit = self._fits, self.face.fit
        one_line = self.face.height(1)
        count = len(columns)
        plain: list[Format | None] = [None] * count
        numeric: list[Format | None] = [None] * count
        row = top
        for index, values in enumerate(rows):
            row += 1
            if len(values) != count:
                raise ValueError(f"row {index} has {len(values)} values for {count} columns")
            tallest = one_line
            for col, value in enumerate(values):
                column = columns[col]
                special = styles.get((index, col)) if styles else None
                style = special or column.style
                number = isinstance(value, int | float)
                if column.num_format and number:
                    style = {**style, "num_format": column.num_format}
                    look = numeric[col] if special is None else None
                    if look is None:
                        look = look_of(style)
                        if special is None:
                            numeric[col] = look
                else:
                    look = plain[col] if special is None else None
                    if look is None:
                        look = look_of(style)
                        if special is None:
                            plain[col] = look
                if value is None or value == "":
                    write_blank(row, col, None, look)
                elif isinstance(value, bool):
                    write_string(row, col, str(value), look)
                elif number:
                    write_number(row, col, value, look)
                else:
                    text = safe_text(str(value))
                    if looks_like_formula(text):
                        look = look_of({**style, "quote_prefix": True})
                    write_string(row, col, text, look)
                    if column.wrap and isinstance(value, str):
                        key = (text, widths[col], None)
                        points = fits.get(key)
                        if points is None:
                            points = _remember(fits, key, fit(text, widths[col]))
                        if points > tallest:
                            tallest = points
            self.height(row, tallest)
        if row == top and empty is not None:
            row += 1
            self.span(row, 0, len(columns) - 1, empty.get(self.lang), BODY)
        return row

    def text_colours(
        self, first: tuple[int, int], last: tuple[int, int], labels: Iterable[tuple[str, Colours]]
    ) -> None:
        """Colour cells in ``first..last`` whose text equals a label (a status, a severity)."""
        for label, (fill, colour) in labels:
            self.ws.conditional_format(
                *first,
                *last,
                {
                    "type": "cell",
                    "criteria": "==",
                    "value": '"' + label.replace('"', '""') + '"',
                    "format": self.book.workbook.add_format(
                        {"bg_color": fill, "font_color": colour}
                    ),
                },
            )

    def number_colours(
        self,
        first_row: int,
        col: int,
        last_row: int,
        rules: Iterable[tuple[Mapping[str, object], Colours]],
    ) -> None:
        """Colour the numbers of one column by value: each rule is (criteria, colours)."""
        for criteria, (fill, colour) in rules:
            look = self.book.workbook.add_format(
                {"bg_color": fill, "font_color": colour, "bold": True}
            )
            self.ws.conditional_format(
                first_row, col, last_row, col, {"type": "cell", **criteria, "format": look}
            )

    def columns_px(self, first: int, count: int) -> int:
        """Width in pixels of ``count`` columns from ``first`` (to size a chart)."""
        return round(sum(self._widths.get(c, 8.43) * 7 + 5 for c in range(first, first + count)))

    def rows_px(self, first: int, count: int) -> int:
        """Height in pixels of ``count`` rows from ``first`` as sized so far (to size a chart)."""
        one_line = self.face.height(1)
        points = sum(self._heights.get(r, one_line) for r in range(first, first + count))
        return round(points * 96 / 72)

    def data_bars(self, first_row: int, col: int, last_row: int, colour: str = HEAD) -> None:
        """Bars in the cells of one column, as long as each number against 0–100 (scores)."""
        self.ws.conditional_format(
            first_row,
            col,
            last_row,
            col,
            {
                "type": "data_bar",
                "bar_color": colour,
                "bar_solid": True,
                "min_type": "num",
                "min_value": 0,
                "max_type": "num",
                "max_value": 100,
            },
        )

    def chart(
        self, chart: Chart, row: int, col: int, size: tuple[int, int], **options: object
    ) -> None:
        """Place ``chart``, ``size`` (width, height) pixels, with its top left at ``row``, ``col``."""
        chart.set_size({"width": size[0], "height": size[1]})
        self.ws.insert_chart(row, col, chart, options)

    # --- the page

    def finish(self, header: str, repeat: tuple[int, int] | None = None) -> None:
        """Row heights and print setup.

        A4 landscape, fitted to one page wide, the page header naming
        ``header`` (the unit) on the left and the sheet on the right, page X
        of N below, rows ``repeat`` (first, last) printed atop every page.
        """
        ws = self.ws
        one_line = self.face.height(1)
        for row in range(self._last + 1):
            ws.set_row(row, self._heights.get(row, one_line))
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        ws.center_horizontally()
        if repeat is not None:
            ws.repeat_rows(*repeat)
        ws.set_header(f"&L&9{header_text(header)}&R&9&A", {"margin": 0.3})
        ws.set_footer(f"&C&9{FOOTER.get(self.lang)}", {"margin": 0.3})

    def only_table(
        self,
        columns: Sequence[Column],
        rows: Iterable[Sequence[object]],
        empty: Text,
        header: str,
    ) -> int:
        """The sheet as one filterable table, header in row 0 and frozen; returns the last row."""
        self.widths(columns)
        last = self.table(0, columns, rows, empty=empty)
        self.ws.freeze_panes(1, 1)
        self.ws.autofilter(0, 0, max(last, 1), len(columns) - 1)
        self.finish(header, repeat=(0, 0))
        return last

    def score_scale(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        """Colour scores 0–100 red through yellow (the pass mark, 60) to green."""
        self.ws.conditional_format(first_row, first_col, last_row, last_col, SCORE_SCALE)
