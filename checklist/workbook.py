"""Spreadsheet files as plain grids of values (the reading layer under intake).

``read_workbook`` runs the preflight guard, then a sizing guard for the
file's format, then reads every sheet with python-calamine (xlsx, xlsm, xls,
ods, et) or the csv module, forward-fills merged cells and returns frozen
data; nothing above this layer touches a spreadsheet library.

Why a sizing guard after preflight: calamine allocates one dense block per
sheet spanning A1 to the last cell that has a value, and it preallocates
from counts a file declares. A 1 KB xlsx with values in A1 and XFD1048576,
an xls whose DIMENSIONS record claims 65536 x 256, or a sharedStrings part
claiming four billion strings makes it request gigabytes and abort the whole
process (SIGABRT, not an exception). So do one shared string used by a
hundred thousand cells (calamine copies it into each), an ODS cell repeated
a million times, or ``<text:s text:c="1000000000"/>`` (a billion spaces).
Zip-level caps cannot see any of that, so before calamine runs we compute,
from the raw parts, upper bounds of the cells and the text it will build and
refuse the file when they exceed ``Limits.max_cells`` or
``Limits.max_text_bytes``.
"""

from __future__ import annotations

import codecs
import collections
import copy
import csv
import datetime as dt
import functools
import io
import re
import struct
import xml.sax
import xml.sax.handler
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeAlias

from python_calamine import (
    CalamineError,
    CalamineSheet,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from checklist.codes import ErrorCode
from checklist.errors import ChecklistError
from checklist.patterns import lazy_compile
from checklist.preflight import (
    FileKind,
    Limits,
    damaged,
    encrypted,
    file_error,
    preflight,
    too_many_cells,
    too_many_sheets,
    too_much_text,
    zip_bomb,
)
from checklist.records import record
from checklist.text import Text

CellValue: TypeAlias = (
    str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None
)
"""A cell as read: blanks are None, integral floats are int, text is stripped of nothing."""


@record
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


@record
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


@record
class Workbook:
    """Every sheet of one file."""

    source: str
    """File name the workbook was read from."""
    format: str
    """``xlsx``, ``xls``, ``ods``, ``et`` or ``csv``."""
    sheets: tuple[Sheet, ...]
    """Sheets in file order, hidden ones included (chart sheets, which hold no cells, left out)."""
    notes: tuple[Text, ...] = ()
    """File-level remarks for intake to pass on (macros ignored, text encoding guessed)."""

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


# --- reading ------------------------------------------------------------------------------


def read_workbook(path: Path, limits: Limits = Limits()) -> Workbook:
    """Every sheet of ``path`` as values, after the preflight and sizing guards.

    Raises :class:`ChecklistError` for anything that cannot be read, with the
    codes of :func:`checklist.preflight.preflight` plus ``too_many_cells``,
    ``too_much_text``, ``too_many_sheets``, ``xml_entities``, ``encoding``,
    ``zip_bomb`` (a directory that understates a part) and ``damaged``.
    """
    path = Path(path)
    kind = preflight(path, limits)
    try:
        if kind is FileKind.csv:
            sheets, notes = _read_csv(path, limits)
        else:
            sizing = _SIZERS[kind](path, limits)
            sheets = _read_with_calamine(path, limits, sizing)
            notes = sizing.notes
    except ChecklistError:
        raise
    except MemoryError:
        raise file_error(
            path,
            ErrorCode.too_large,
            "内容太多，内存不足，无法读取；请删除无关的工作表和多余的行列后重新保存。",
            "it holds too much to read in the available memory; delete unrelated sheets and "
            "unused rows and columns and save it again.",
        ) from None
    except _READ_ERRORS as exc:
        raise _read_error(path, exc, limits) from None
    except BaseException as exc:
        # A panic inside calamine surfaces as pyo3's PanicException, which
        # derives from BaseException so that ordinary handlers miss it.
        if type(exc).__name__ == "PanicException":
            raise damaged(path) from None
        raise
    fmt = "et" if path.suffix.lower() == ".et" and kind is not FileKind.csv else kind.value
    return Workbook(source=path.name, format=fmt, sheets=sheets, notes=notes)


# Everything a parser can raise on malformed input. Programming errors
# (TypeError, AttributeError, NameError) are deliberately absent.
_READ_ERRORS: tuple[type[BaseException], ...] = (
    CalamineError,
    OSError,
    EOFError,
    zipfile.BadZipFile,
    zlib.error,
    UnicodeError,
    ValueError,
    KeyError,
    IndexError,
    struct.error,
    csv.Error,
    xml.sax.SAXException,
    RuntimeError,
    ArithmeticError,
)


def xml_entities(path: Path) -> ChecklistError:
    """The message for XML with a DTD or entity declarations (never written by Excel)."""
    return file_error(
        path,
        ErrorCode.xml_entities,
        "文件含有不安全的 XML 实体声明，已拒绝读取；请用 Excel/WPS 打开后另存为新的 .xlsx 再提交。",
        "the file contains unsafe XML entity declarations and was refused; open it in "
        "Excel/WPS, save it as a new .xlsx and submit that.",
    )


def _read_error(path: Path, exc: BaseException, limits: Limits) -> ChecklistError:
    message = str(exc).lower()
    if isinstance(exc, PasswordError):
        return encrypted(path)
    if isinstance(exc, PermissionError):
        return file_error(
            path,
            ErrorCode.unreadable,
            f"无法读取该文件（{exc.strerror or exc}）；请检查文件权限，或先关闭正在使用它的程序。",
            f"the file cannot be read ({exc.strerror or exc}); check its permissions or close "
            "the program that is using it.",
        )
    # defusedxml's refusals subclass ValueError; calamine has no DTD support
    # and reports any entity it meets as "unrecognized entity".
    if type(exc).__module__.startswith("defusedxml") or (
        isinstance(exc, CalamineError) and ("entity" in message or "doctype" in message)
    ):
        return xml_entities(path)
    if isinstance(exc, CalamineError) and "cell limit" in message:
        requested = re.search(r"(\d+) cells", message)
        return too_many_cells(path, int(requested.group(1)) if requested else 0, limits)
    return damaged(path)


@record
class _Sizing:
    """What a sizing guard learnt about a file besides "safe to parse"."""

    notes: tuple[Text, ...] = ()
    """File-level remarks (macros ignored)."""
    merges: dict[str, tuple[MergedRange, ...]] | None = None
    """Merged ranges per sheet, when the guard had to find them itself (calamine reports none for ODS)."""


def _read_with_calamine(path: Path, limits: Limits, sizing: _Sizing) -> tuple[Sheet, ...]:
    budget = limits.max_cells
    sheets: list[Sheet] = []
    with open(path, "rb") as handle:
        # from_filelike sniffs the format from the content; from_path trusts
        # the extension and fails on an .xls renamed to .xlsx or on .et files.
        book = CalamineWorkbook.from_filelike(handle)
        try:
            for meta in book.sheets_metadata:
                if meta.typ in (SheetTypeEnum.ChartSheet, SheetTypeEnum.Vba):
                    continue
                sheet = book.get_sheet_by_name(meta.name)
                if sizing.merges is not None:
                    merged = sizing.merges.get(meta.name, ())
                else:
                    merged = _merged_ranges(sheet)
                rows, budget = _sheet_rows(path, sheet, merged, budget, limits)
                sheets.append(
                    Sheet(
                        name=meta.name,
                        rows=rows,
                        visible=meta.visible == SheetVisibleEnum.Visible,
                        merged=merged,
                    )
                )
        finally:
            book.close()
    return tuple(sheets)


def _merged_ranges(sheet: CalamineSheet) -> tuple[MergedRange, ...]:
    ranges = sheet.merged_cell_ranges or []
    return tuple(
        MergedRange(top, left, bottom, right)
        for (top, left), (bottom, right) in ranges
        if top <= bottom and left <= right
    )


def _sheet_rows(
    path: Path,
    sheet: CalamineSheet,
    merged: Sequence[MergedRange],
    budget: int,
    limits: Limits,
) -> tuple[tuple[tuple[CellValue, ...], ...], int]:
    """The sheet's rows, converted, merged cells filled, trailing blanks trimmed."""
    end = sheet.end
    height, width = (end[0] + 1, end[1] + 1) if end is not None else (0, 0)
    # A sheet part referenced twice is sized once by the guard but read twice.
    if height * width > budget:
        raise too_many_cells(path, limits.max_cells - budget + height * width, limits)
    budget -= height * width
    blank = (None,) * width
    rows = [
        blank if row.count("") == len(row) == width else tuple(map(_cell, row))
        for row in sheet.to_python(skip_empty_area=False)
    ]
    budget = _fill_merged(path, rows, merged, budget, limits)
    return _trimmed(rows), budget


def _cell(value: int | float | str | bool | dt.time | dt.date | dt.timedelta) -> CellValue:
    """calamine's value → ours: '' → None, 3.0 → 3, midnight datetimes → dates."""
    if type(value) is str:
        return value or None
    if type(value) is float:
        return int(value) if value.is_integer() else value
    if type(value) is dt.datetime and value.tzinfo is None and value.time() == dt.time():
        return value.date()
    return value


Row: TypeAlias = tuple[CellValue, ...]


def _fill_merged(
    path: Path,
    rows: list[Row],
    merged: Sequence[MergedRange],
    budget: int,
    limits: Limits,
) -> int:
    """Copy each merged range's top-left value into the whole range, padding the grid."""
    filled = [
        m
        for m in merged
        if m.first_row < len(rows)
        and m.first_col < len(rows[m.first_row])
        and rows[m.first_row][m.first_col] is not None
    ]
    if not filled:
        return budget
    width = max(map(len, rows))
    height = max(len(rows), *(m.last_row + 1 for m in filled))
    new_width = max(width, *(m.last_col + 1 for m in filled))
    grown = height * new_width - len(rows) * width
    area = sum((m.last_row - m.first_row + 1) * (m.last_col - m.first_col + 1) for m in filled)
    # A crafted range (A1:XFD1048576) must not make us build the grid it names.
    if grown > budget or area > limits.max_cells:
        raise too_many_cells(path, limits.max_cells - budget + max(grown, area), limits)
    blank = (None,) * new_width
    rows[:] = [row + blank[len(row) :] for row in rows]
    rows.extend(blank for _ in range(height - len(rows)))
    for m in filled:
        value = rows[m.first_row][m.first_col]
        span = (value,) * (m.last_col - m.first_col + 1)
        for r in range(m.first_row, m.last_row + 1):
            row = rows[r]
            rows[r] = row[: m.first_col] + span + row[m.last_col + 1 :]
    return budget - grown


def _trimmed(rows: list[Row]) -> tuple[Row, ...]:
    """Drop trailing empty rows and columns; every row gets the same width."""
    height = len(rows)
    while height and rows[height - 1].count(None) == len(rows[height - 1]):
        height -= 1
    kept = rows[:height]
    width = max(map(len, kept), default=0)
    while width and all(len(row) < width or row[width - 1] is None for row in kept):
        width -= 1
    if all(len(row) == width for row in kept):
        return tuple(kept)
    blank = (None,) * width
    return tuple(row[:width] + blank[len(row) :] for row in kept)


# --- CSV ------------------------------------------------------------------------------------


def _read_csv(path: Path, limits: Limits) -> tuple[tuple[Sheet, ...], tuple[Text, ...]]:
    text, notes = _decode_text(path, path.read_bytes())
    delimiter = _sniff_delimiter(text[:65536])
    rows: list[Row] = []
    count = 0
    for line in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        count += max(len(line), 1)
        if count > limits.max_cells:
            raise too_many_cells(path, count, limits)
        rows.append(tuple([value if value != "" else None for value in line]))
    return (Sheet(name=path.stem, rows=_trimmed(rows)),), notes


def _decode_text(path: Path, data: bytes) -> tuple[str, tuple[Text, ...]]:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK)."""
    candidates: tuple[str, ...]
    if data.startswith(codecs.BOM_UTF8):
        candidates = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ("utf-16",)
    else:
        candidates = ("utf-8", "gb18030")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        notes: tuple[Text, ...] = ()
        if encoding == "gb18030":
            notes = (
                Text(
                    "该 CSV 文件按 GBK/GB18030 编码读取。",
                    "This CSV file was read as GBK/GB18030 text.",
                ),
            )
        return text, notes
    raise file_error(
        path,
        ErrorCode.encoding,
        "无法识别该文本文件的编码（不是 UTF-8 或 GBK）；请用 Excel/WPS 打开后另存为 .xlsx 或 UTF-8 编码的 CSV。",
        "its text encoding is neither UTF-8 nor GBK; open it in Excel/WPS and save it as "
        ".xlsx or as UTF-8 CSV.",
    )


def _sniff_delimiter(sample: str) -> str:
    """The delimiter among , tab ; that splits the first lines most consistently."""
    best, best_score = ",", 0
    for delimiter in (",", "\t", ";"):
        widths = [len(record) for record in csv.reader(io.StringIO(sample), delimiter=delimiter)]
        widths = widths[:-1] if len(widths) > 1 else widths  # the sample may cut the last line
        if not widths:
            continue
        modal = max(set(widths), key=widths.count)
        score = widths.count(modal) if modal > 1 else 0
        if score > best_score:
            best, best_score = delimiter, score
    return best


# --- sizing guards ----------------------------------------------------------------------------
#
# Each returns a _Sizing or raises; each is an upper bound of what calamine
# will allocate: when unsure, count more, never less.


def _size_xlsx(path: Path, limits: Limits) -> _Sizing:
    budget = limits.max_cells
    merges = 0
    macros = False
    # Upper bound of <v> elements with content anywhere: each may name a shared string.
    references = 0
    string_tables: list[bytes] = []
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            lower = info.filename.lower()
            macros = macros or lower.endswith("vbaproject.bin")
            if info.is_dir() or info.file_size == 0:
                continue
            data = _read_member(path, archive, info)
            if lower.endswith((".xml", ".rels", ".vml")) and _DTD.search(data):
                raise xml_entities(path)
            # calamine follows the workbook's relationships wherever they
            # point (even into xl/media/), so every part is sized as a sheet.
            used, part_merges = _size_sheet_xml(path, data, budget, limits)
            budget -= used
            merges += part_merges
            if merges > limits.max_merges:
                raise too_many_cells(path, merges, limits)
            references += data.count(b"v>")
            if lower == "xl/workbook.xml":
                _count_sheets(path, data, limits)
            if b"sst" in data and _SST_TAG.search(data):
                string_tables.append(data)
        if string_tables and references:
            _size_shared_text(path, archive, string_tables, references, limits)
    notes: tuple[Text, ...] = ()
    if macros or path.suffix.lower() == ".xlsm":
        notes = (
            Text(
                "文件含有宏（VBA），宏已被忽略，只读取单元格中的值。",
                "The file contains macros (VBA); they were ignored and only cell values were read.",
            ),
        )
    return _Sizing(notes=notes)


_SHEET_TAG = lazy_compile(rb"<(?:[A-Za-z_][\w.\-]*:)?sheet[\s/>]")


def _count_sheets(path: Path, workbook: bytes, limits: Limits) -> None:
    for count, _ in enumerate(_SHEET_TAG.finditer(workbook), start=1):
        if count > limits.max_sheets:
            raise too_many_sheets(path, count, limits)


# A string's content may not run into the next <si>, so an unclosed one
# costs a scan to the next string, not to the end of the part.
_SI = lazy_compile(
    rb"<(?:[A-Za-z_][\w.\-]*:)?si(?:\s[^<>]*)?>"
    rb"((?:[^<]|<(?!(?:[A-Za-z_][\w.\-]*:)?si[\s/>]))*?)"
    rb"</(?:[A-Za-z_][\w.\-]*:)?si\s*>"
)
_V_NUMBER = lazy_compile(rb"<(?:[A-Za-z_][\w.\-]*:)?v(?:\s[^<>]*)?>\s*([0-9]{1,12})")


def _size_shared_text(
    path: Path,
    archive: zipfile.ZipFile,
    tables: list[bytes],
    references: int,
    limits: Limits,
) -> None:
    """Refuse shared strings that would expand past ``max_text_bytes``.

    calamine copies a shared string into every cell that names it, so one
    30,000-character string used by 100,000 cells asks for gigabytes from a
    file of a few hundred kilobytes, and the process aborts.
    """
    longest = max(map(len, tables))
    if references * longest <= limits.max_text_bytes:
        return
    table = tables[0]
    if len(tables) > 1 or b"<![CDATA[" in table or b"<!--" in table:
        # Text that can hide a closing tag: the per-string lengths below
        # could be wrong, so only the crude bound is trusted.
        raise too_much_text(path, references * longest, limits)
    lengths = _shared_string_lengths(path, table, limits)
    counts: collections.Counter[bytes] = collections.Counter()
    for info in archive.infolist():
        if info.is_dir() or info.file_size == 0:
            continue
        data = _read_member(path, archive, info)
        for start, end in _windows(data):
            counts.update(_V_NUMBER.findall(data, start, end))
    total = 0
    for value, count in counts.items():
        index = int(value)
        if index < len(lengths):
            total += count * lengths[index]
    if total > limits.max_text_bytes:
        raise too_much_text(path, total, limits)


def _shared_string_lengths(path: Path, table: bytes, limits: Limits) -> list[int]:
    """An upper bound of each shared string's size, by the index calamine gives it.

    calamine skips a string it finds no text in, which moves every later
    string one index down; so each index takes the largest of the strings
    it could be.
    """
    if table.count(b"si>") + table.count(b"si ") > 2 * limits.max_cells:
        raise too_many_cells(path, table.count(b"si>"), limits)
    lengths: list[int] = []
    skippable = 0
    for match in _SI.finditer(table):
        lengths.append(match.end(1) - match.start(1))
        if table.find(b"t>", match.start(1), match.end(1)) < 0:
            skippable += 1
    skippable += len(re.findall(rb"<(?:[A-Za-z_][\w.\-]*:)?si\s*/>", table))
    if skippable > 64:
        return [max(lengths, default=0)] * len(lengths)
    if skippable:
        lengths = [max(lengths[i : i + skippable + 1]) for i in range(len(lengths))]
    return lengths


_WINDOW = 1 << 20


def _windows(data: bytes) -> list[tuple[int, int]]:
    """Spans of about a megabyte that each end just before a '<'.

    The patterns run over them (a reference, a <v> value) hold no '<' past
    their first byte, so none is cut; and findall over a window keeps its
    result list small however large the part.
    """
    spans = []
    start, size = 0, len(data)
    while start < size:
        end = size if size - start <= _WINDOW else data.rfind(b"<", start + 1, start + _WINDOW)
        if end < 0:
            # No tag in a whole window: run on to the next one.
            end = data.find(b"<", start + _WINDOW)
            end = size if end < 0 else end
        spans.append((start, end))
        start = end
    return spans


def _read_member(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A member's bytes, never more than its declared size (which preflight capped).

    zipfile stops at the declared size, so a directory that understates a
    member cannot make us inflate a bomb; asking for one byte more tells a
    lying directory (a zip bomb) from a merely corrupt one.
    """
    probe = copy.copy(info)
    probe.file_size = info.file_size + 1
    # zipfile checks the CRC when it reaches the declared size, which the
    # probe moves; without a CRC attribute it skips that, so we check it here.
    del probe.CRC
    with archive.open(probe) as stream:
        data = stream.read(info.file_size + 1)
    if len(data) > info.file_size:
        raise zip_bomb(
            path,
            f"部件 {info.filename} 的实际内容超过其声明的大小",
            f"part {info.filename} holds more data than its declared size",
        )
    if len(data) < info.file_size or zlib.crc32(data) != info.CRC:
        raise damaged(path)
    return data


_DTD = lazy_compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_PREFIX = rb"(?:[A-Za-z_][\w.\-]*:)?"
_ATTR = rb"\s+[^\s=<>/\"']+\s*=\s*(?:\"[^<\"]*\"|'[^<']*')"
_NAME_CHAR = rb"[\w.:\-\x80-\xff]"
# Tags written with a namespace prefix (<x:c>) are left to the exact walk.
# The hint starts with ':', rare in sheet XML, so the scan is fast; it also
# matches text such as "a:c ", which only costs the exact walk.
_PREFIXED_HINT = lazy_compile(rb":(?:c|row)[\s/>]")
_PREFIXED_OPENING = lazy_compile(rb"<[A-Za-z_][\w.\-]*:(?:c|row)[\s/>]")
_C_OPENINGS = tuple(b"<c" + end for end in (b" ", b">", b"/", b"\t", b"\n", b"\r"))
_ROW_OPENINGS = tuple(b"<row" + end for end in (b" ", b">", b"/", b"\t", b"\n", b"\r"))
_C_WITH_R_FIRST = b"<c r="
_C_WITH_R_LATER = lazy_compile(rb"<c(?!\s+r\s*=)(?:" + _ATTR + rb")*\s+r\s*=")
_SST_TAG = lazy_compile(rb"<" + _PREFIX + rb"sst(?=[\s/>])((?:" + _ATTR + rb")*)")
# Any attribute named r, anywhere: a superset of the references calamine
# reads. The literal 'r' comes first so that the regex engine can skip ahead.
_ANY_R = lazy_compile(rb"r(?<!" + _NAME_CHAR + rb"r)\s*=\s*[\"']([A-Za-z]*)([0-9]*)")
# One token per <c>, <row> and </row>, for the exact walk. Attribute values
# may not contain '<' here (XML forbids it; calamine tolerates it): a tag we
# cannot tokenise is caught by the count check and refused. Every part of
# the pattern stops at the next '<', so scanning stays linear.
_TOKEN = lazy_compile(
    rb"<(?:/" + _PREFIX + rb"row(?=[\s>])[^<>]*>"
    rb"|" + _PREFIX + rb"(?P<name>c|row)(?=[\s/>])"
    rb"(?P<attrs>(?:" + _ATTR + rb")*)"
    rb"\s*(?P<slash>/?)>"
    rb"(?P<empty>\s*</" + _PREFIX + rb"c\s*>)?)"
)
_ATTR_VALUE = rb"\s*=\s*(?:\"([^\"]*)\"|'([^']*)')"
_R_ATTR = lazy_compile(rb"\sr" + _ATTR_VALUE)
_UNIQUE_ATTR = lazy_compile(rb"\suniqueCount" + _ATTR_VALUE)
_CELL_REF = lazy_compile(rb"([A-Za-z]{1,16})([0-9]{1,16})")


def _size_sheet_xml(path: Path, data: bytes, budget: int, limits: Limits) -> tuple[int, int]:
    """Cells calamine would allocate if ``data`` were read as a sheet, and merged ranges in it."""
    sst = _SST_TAG.search(data) if b"sst" in data else None
    if sst is not None:
        declared = _attribute(_UNIQUE_ATTR, sst.group(1))
        # calamine reserves room for every declared shared string up front.
        if declared is not None and (not declared.isdigit() or int(declared) > limits.max_cells):
            raise too_many_cells(path, int(declared) if declared.isdigit() else 0, limits)
    # Counts over-estimate (</mergeCells>, <cols> are included), which is
    # safe for bounds and far cheaper than exact regexes.
    merges = data.count(b"mergeCell")
    prefixed = _PREFIXED_HINT.search(data) is not None
    openings = data.count(b"<c")
    if not openings and not prefixed:
        return 0, merges
    if openings > 2 * limits.max_cells:
        raise too_many_cells(path, openings, limits)
    if not prefixed:
        bound = _cell_bound(data, openings)
        if bound <= budget:
            return bound, merges
    return _cells_exactly(path, data, budget, limits), merges


def _cell_bound(data: bytes, openings: int) -> int:
    """A quick upper bound of the cells calamine allocates for an unprefixed sheet part.

    Cells with an ``r`` reference sit at most at the largest reference found
    anywhere in the part. A cell without one follows the previous cell, so
    it sits at most one column further right per cell since the last
    ``</row>``, and at most one row further down per ``</row>``. Writers put
    ``r`` on every cell, so for real files this is the largest reference.
    """
    last_row, last_col = _largest_reference(data)
    # Writers put r first; the regex only walks the rare tags that do not.
    explicit = data.count(_C_WITH_R_FIRST) + sum(1 for _ in _C_WITH_R_LATER.finditer(data))
    implicit = openings - explicit
    if implicit > 0:
        # The column counter restarts at every </row>, so no cell goes further
        # right than the most cells between two of them.
        widest = ends = start = 0
        while True:
            end = data.find(b"</row", start)
            widest = max(widest, data.count(b"<c", start, len(data) if end < 0 else end))
            if end < 0:
                break
            ends += 1
            start = end + 5
        last_row += ends + 1
        last_col += min(implicit, widest)
    return last_row * last_col


def _largest_reference(data: bytes) -> tuple[int, int]:
    """The largest row number and column count named by any ``r`` attribute."""
    rows: set[bytes] = set()
    columns: set[bytes] = set()
    for start, end in _windows(data):
        found = _ANY_R.findall(data, start, end)
        if found:
            letters, digits = zip(*found, strict=True)
            columns.update(letters)
            rows.update(digits)
    last_row = max((int(row) for row in rows if row), default=0)
    last_col = max((_column_index(col.upper()) + 1 for col in columns if col), default=0)
    return last_row, last_col


def _cells_exactly(path: Path, data: bytes, budget: int, limits: Limits) -> int:
    """Cells calamine allocates for ``data`` as a sheet, by emulating how it places them.

    calamine puts a cell at its ``r`` reference, or after the previous cell
    when there is none (rows advance at ``</row>`` or jump to ``<row r>``);
    ``<c/>`` and ``<c></c>`` hold no value and are not placed. It then
    allocates every cell from A1 to the last valued one.
    """
    tags = sum(data.count(opening) for opening in (*_C_OPENINGS, *_ROW_OPENINGS))
    tags += len(re.findall(b"(?=" + _PREFIXED_OPENING.pattern + b")", data))
    if tags > 2 * limits.max_cells:
        raise too_many_cells(path, tags, limits)
    row_index = col_index = 0
    last_row = last_col = -1
    seen = 0
    for match in _TOKEN.finditer(data):
        name, attrs, slash, empty = match.group("name", "attrs", "slash", "empty")
        if name is None:  # </row>
            row_index += 1
            col_index = 0
            continue
        seen += 1
        if slash:
            continue  # calamine skips <c/> and <row/> entirely
        ref = _attribute(_R_ATTR, attrs)
        if name == b"row":
            if ref is not None:
                row_index = _row_number(path, ref) - 1
            continue
        row, col = (row_index, col_index) if ref is None else _cell_position(path, ref)
        col_index = col + 1
        if empty is None and (row > last_row or col > last_col):
            last_row, last_col = max(row, last_row), max(col, last_col)
            if (last_row + 1) * (last_col + 1) > budget:
                used = limits.max_cells - budget + (last_row + 1) * (last_col + 1)
                raise too_many_cells(path, used, limits)
    if seen != tags:
        # A <c> or <row> tag we could not tokenise: no real writer produces one.
        raise damaged(path)
    return (last_row + 1) * (last_col + 1) if last_row >= 0 else 0


def _attribute(pattern: re.Pattern[bytes], attrs: bytes) -> bytes | None:
    """The last value of an attribute (calamine keeps the last of duplicates)."""
    found = pattern.findall(attrs)
    if not found:
        return None
    double, single = found[-1]
    return bytes(double or single)


def _cell_position(path: Path, ref: bytes) -> tuple[int, int]:
    match = _CELL_REF.fullmatch(ref)
    if match is None:
        raise damaged(path)  # calamine rejects it too
    row = int(match.group(2)) - 1
    if row < 0:
        raise damaged(path)
    return row, _column_index(match.group(1).upper())


@functools.lru_cache(maxsize=4096)
def _column_index(letters: bytes) -> int:
    col = 0
    for letter in letters:
        col = col * 26 + letter - 64
    return col - 1


def _row_number(path: Path, value: bytes) -> int:
    if not value.isdigit() or int(value) < 1:
        raise damaged(path)
    return int(value)


# BIFF record types (MS-XLS 2.3) the xls sizing guard needs.
_BOF = frozenset({0x0809, 0x0409, 0x0209, 0x0009})
_EOF = 0x000A
_FILEPASS = 0x002F
_BOUNDSHEET = 0x0085
_SST = 0x00FC
_DIMENSIONS = frozenset({0x0200, 0x0000})
_MERGEDCELLS = 0x00E5
_CONTINUE = 0x003C
_LABELSST = 0x00FD
_MULTI_CELL = frozenset({0x00BD, 0x00BE})  # MULRK, MULBLANK: row, first col, ..., last col
# Records that start with (row, col): FORMULA (three BIFF versions), LABELSST,
# NUMBER, RK, BOOLERR, LABEL, RSTRING, BLANK, and the BIFF2 cell records.
_CELL_RECORDS = frozenset(
    {0x0006, 0x0406, 0x0206, 0x00FD, 0x0203, 0x027E, 0x0205, 0x0204, 0x00D6, 0x0201}
    | {0x0001, 0x0002, 0x0003, 0x0004, 0x0005}
)
_RECORD = struct.Struct("<HH")


def _size_xls(path: Path, limits: Limits) -> _Sizing:
    """Bound the cells and the text calamine allocates for a BIFF workbook.

    calamine parses every sheet when it opens the file, reserving room for
    the range each DIMENSIONS record declares and then for the span of the
    cells found, so both are bounded here, per sheet, for every sheet entry
    (two entries may point at the same data). It also copies a shared
    string into every LABELSST cell that names it.
    """
    import olefile

    with olefile.OleFileIO(str(path)) as ole:
        name = next((n for n in ("Workbook", "Book") if ole.exists(n)), None)
        if name is None:
            raise damaged(path)
        data: bytes = ole.openstream(name).read()
    sheet_offsets: list[int] = []
    tables: list[list[bytes]] = []
    in_table = False  # inside an SST and the CONTINUE records that carry it on
    for typ, body in _records(data, 0):
        if typ == _FILEPASS:
            raise encrypted(path)
        if typ == _BOUNDSHEET and len(body) >= 4:
            sheet_offsets.append(struct.unpack_from("<I", body)[0])
        elif typ == _SST and len(body) >= 8:
            if struct.unpack_from("<I", body, 4)[0] > limits.max_cells:
                raise too_many_cells(path, struct.unpack_from("<I", body, 4)[0], limits)
            tables.append([body])
        elif typ == _CONTINUE and in_table:
            tables[-1].append(body)
        in_table = (typ == _SST and len(body) >= 8) or (typ == _CONTINUE and in_table)
    if len(sheet_offsets) > limits.max_sheets:
        raise too_many_sheets(path, len(sheet_offsets), limits)
    total = merges = 0
    uses: collections.Counter[int] = collections.Counter()
    sized: dict[int, tuple[int, int, collections.Counter[int]]] = {}
    for offset in sheet_offsets:
        if offset not in sized:
            sized[offset] = _size_biff_sheet(path, data, offset)
        cells, sheet_merges, sheet_uses = sized[offset]
        total += cells
        merges += sheet_merges
        uses.update(sheet_uses)
        if total > limits.max_cells:
            raise too_many_cells(path, total, limits)
        if merges > limits.max_merges:
            raise too_many_cells(path, merges, limits)
    if uses and tables:
        lengths = _biff_string_lengths(tables, limits)
        # Up to 3 UTF-8 bytes per character once calamine has decoded it.
        text = sum(count * lengths(index) * 3 for index, count in uses.items())
        if text > limits.max_text_bytes:
            raise too_much_text(path, text, limits)
    return _Sizing()


def _records(data: bytes, offset: int) -> Iterator[tuple[int, bytes]]:
    """(type, body) of each BIFF record from ``offset`` to the end of the stream."""
    end = len(data)
    while offset + 4 <= end:
        typ, length = _RECORD.unpack_from(data, offset)
        body_start = offset + 4
        offset = body_start + length
        yield typ, data[body_start:offset]


def _size_biff_sheet(
    path: Path, data: bytes, offset: int
) -> tuple[int, int, collections.Counter[int]]:
    """Cells allocated for one sheet substream, its merged ranges, and its shared-string uses."""
    declared = 0
    last_row = last_col = -1
    merges = 0
    depth = 0
    uses: collections.Counter[int] = collections.Counter()
    for typ, body in _records(data, offset):
        if typ in _BOF:
            depth += 1
        elif typ == _EOF:
            depth -= 1
            if depth <= 0:
                break
        elif typ in _CELL_RECORDS and len(body) >= 4:
            row, col = struct.unpack_from("<HH", body)
            last_row, last_col = max(last_row, row), max(last_col, col)
            if typ == _LABELSST and len(body) >= 10:
                uses[struct.unpack_from("<I", body, 6)[0]] += 1
        elif typ in _MULTI_CELL and len(body) >= 6:
            row, first = struct.unpack_from("<HH", body)
            (last,) = struct.unpack_from("<H", body, len(body) - 2)
            last_row, last_col = max(last_row, row), max(last_col, first, last)
        elif typ in _DIMENSIONS:
            declared = max(declared, _biff_dimensions(path, body))
        elif typ == _MERGEDCELLS and len(body) >= 2:
            merges += struct.unpack_from("<H", body)[0]
    spanned = (last_row + 1) * (last_col + 1) if last_row >= 0 else 0
    return max(declared, spanned), merges, uses


_LONGEST_BIFF_STRING = 0xFFFF


def _biff_string_lengths(tables: list[list[bytes]], limits: Limits) -> Callable[[int], int]:
    """Characters in each shared string (the longest over every SST), by index."""
    parsed = [_sst_lengths(segments, limits.max_cells) for segments in tables]

    def length(index: int) -> int:
        longest = 0
        for lengths, complete in parsed:
            if index < len(lengths):
                longest = max(longest, lengths[index])
            elif not complete:
                # Past where our reading stopped, assume the worst.
                longest = _LONGEST_BIFF_STRING
        return longest

    return length


def _sst_lengths(segments: list[bytes], limit: int) -> tuple[list[int], bool]:
    """Character counts of the strings in an SST record and its CONTINUE records.

    Each string (MS-XLS 2.5.293 XLUnicodeRichExtendedString) is a character
    count, flags, optional formatting-run and phonetic-data sizes, then the
    characters, which may run on into the next CONTINUE record (whose first
    byte restates their width), then the runs and phonetic data. Returns the
    counts read and whether every declared string was read.
    """
    lengths: list[int] = []
    try:
        index, pos = 0, 8
        segment = segments[0]
        wanted = min(struct.unpack_from("<I", segment, 4)[0], limit)
        while len(lengths) < wanted:
            if pos >= len(segment):
                index, pos = index + 1, 0
                segment = segments[index]
            count, flags = struct.unpack_from("<HB", segment, pos)
            pos += 3
            runs = extra = 0
            if flags & 0x8:
                (runs,) = struct.unpack_from("<H", segment, pos)
                pos += 2
            if flags & 0x4:
                (extra,) = struct.unpack_from("<i", segment, pos)
                pos += 4
            width = 2 if flags & 0x1 else 1
            remaining = count
            while remaining:
                take = min(remaining, (len(segment) - pos) // width)
                pos += take * width
                remaining -= take
                if remaining:
                    index += 1
                    segment = segments[index]
                    width = 2 if segment[0] & 0x1 else 1
                    pos = 1
            skip = runs * 4 + max(extra, 0)
            while skip:
                take = min(skip, len(segment) - pos)
                pos += take
                skip -= take
                if skip:
                    index, pos = index + 1, 0
                    segment = segments[index]
            lengths.append(count)
    except (struct.error, IndexError):
        return lengths, False
    return lengths, True


def _biff_dimensions(path: Path, body: bytes) -> int:
    """Cells a DIMENSIONS record declares, counted from A1."""
    if len(body) == 14:
        first_row, end_row, first_col, end_col = struct.unpack_from("<IIHH", body)
    elif len(body) in (8, 10):
        first_row, end_row, first_col, end_col = struct.unpack_from("<HHHH", body)
    else:
        return 0  # calamine rejects the record
    if first_row > end_row or first_col > end_col:
        # calamine computes end - first unchecked: an underflow, then a huge allocation.
        raise damaged(path)
    return int(end_row) * int(end_col)


_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def _size_ods(path: Path, limits: Limits) -> _Sizing:
    """Bound the cells of an ODS file and collect its merged ranges.

    ODS compresses runs with ``number-rows-repeated`` and
    ``number-columns-repeated``: one small row can stand for a billion
    cells. calamine checks a limit of its own (100 million cells, far more
    than our memory allows), so the span is computed here without expanding
    anything. calamine reports no merged ranges for ODS; they are read here.
    """
    import defusedxml.sax

    with zipfile.ZipFile(path) as archive:
        parts = {info.filename.lower(): info for info in archive.infolist()}
        if "content.xml" not in parts:
            raise damaged(path)
        content = b""
        for lower, info in parts.items():
            if lower.endswith(".xml"):
                data = _read_member(path, archive, info)
                if _DTD.search(data):
                    raise xml_entities(path)
                if lower == "content.xml":
                    content = data
    sizer = _OdsSizer(path, limits)
    parser = defusedxml.sax.make_parser()
    parser.forbid_dtd = True
    parser.setFeature(xml.sax.handler.feature_namespaces, True)
    parser.setContentHandler(sizer)
    parser.parse(io.BytesIO(content))
    return _Sizing(merges={name: tuple(ranges) for name, ranges in sizer.merges.items()})


class _OdsSizer(xml.sax.handler.ContentHandler):
    """Walks content.xml counting the span of valued cells per sheet, without expanding repeats."""

    def __init__(self, path: Path, limits: Limits) -> None:
        super().__init__()
        self.path = path
        self.limits = limits
        self.budget = limits.max_cells
        self.merges: dict[str, list[MergedRange]] = {}
        self.merge_count = 0
        self.table_depth = 0
        self.sheets = 0
        self.cell_depth = 0
        self.sheet = ""
        self.row = self.row_repeat = self.col = 0
        self.row_last_col = -1
        self.cell_col = self.cell_repeat = 0
        self.cell_valued = False
        self.last_row = self.last_col = -1
        # UTF-8 bytes of text: in the current cell, in the current row with
        # repeated cells counted, and in the whole file with repeated rows.
        self.cell_text = self.row_text = self.text = 0

    def startElementNS(self, name: tuple[str | None, str], _qname: str | None, attrs: Any) -> None:
        if self.cell_depth:
            # Anything inside a cell (text, a note, a nested table) is content.
            self.cell_depth += 1
            self.cell_valued = True
            if name == (_TEXT_NS, "s"):
                # <text:s text:c="n"/> stands for n spaces, which calamine builds.
                self.cell_text += _count(attrs, _TEXT_NS, "c")
            return
        namespace, local = name
        if namespace != _TABLE_NS:
            return
        if local == "table":
            self.table_depth += 1
            if self.table_depth == 1:
                self.sheets += 1
                if self.sheets > self.limits.max_sheets:
                    raise too_many_sheets(self.path, self.sheets, self.limits)
                self.sheet = str(attrs.get((_TABLE_NS, "name"), ""))
                self.row = 0
                self.last_row = self.last_col = -1
        elif self.table_depth != 1:
            return
        elif local == "table-row":
            self.row_repeat = _count(attrs, _TABLE_NS, "number-rows-repeated")
            self.col = 0
            self.row_last_col = -1
            self.row_text = 0
        elif local in ("table-cell", "covered-table-cell"):
            self.cell_col = self.col
            self.cell_repeat = _count(attrs, _TABLE_NS, "number-columns-repeated")
            self.col += self.cell_repeat
            self.cell_valued = (_OFFICE_NS, "value-type") in attrs
            self.cell_text = len(str(attrs.get((_OFFICE_NS, "string-value"), "")).encode())
            self.cell_depth = 1
            if local == "table-cell":
                self._merge(attrs)

    def characters(self, content: str) -> None:
        if self.cell_depth:
            self.cell_text += len(content.encode())

    def endElementNS(self, name: tuple[str | None, str], _qname: str | None) -> None:
        if self.cell_depth:
            self.cell_depth -= 1
            if self.cell_depth == 0 and self.cell_valued:
                self.row_last_col = max(self.row_last_col, self.cell_col + self.cell_repeat - 1)
                self.row_text += self.cell_text * self.cell_repeat
            return
        namespace, local = name
        if namespace != _TABLE_NS:
            return
        if local == "table":
            if self.table_depth == 1:
                used = (self.last_row + 1) * (self.last_col + 1) if self.last_row >= 0 else 0
                self.budget -= used
            self.table_depth -= 1
        elif self.table_depth == 1 and local == "table-row":
            if self.row_last_col >= 0:
                self.last_row = self.row + self.row_repeat - 1
                self.last_col = max(self.last_col, self.row_last_col)
                span = (self.last_row + 1) * (self.last_col + 1)
                if span > self.budget:
                    raise too_many_cells(
                        self.path, self.limits.max_cells - self.budget + span, self.limits
                    )
            # calamine copies a repeated cell's text into every cell it stands for.
            self.text += self.row_text * self.row_repeat
            if self.text > self.limits.max_text_bytes:
                raise too_much_text(self.path, self.text, self.limits)
            self.row += self.row_repeat

    def _merge(self, attrs: Any) -> None:
        rows = _count(attrs, _TABLE_NS, "number-rows-spanned")
        cols = _count(attrs, _TABLE_NS, "number-columns-spanned")
        if rows == 1 and cols == 1:
            return
        copies = self.row_repeat * self.cell_repeat
        self.merge_count += copies
        if self.merge_count > self.limits.max_merges:
            raise too_many_cells(self.path, self.merge_count, self.limits)
        ranges = self.merges.setdefault(self.sheet, [])
        for r in range(self.row, self.row + self.row_repeat):
            for c in range(self.cell_col, self.cell_col + self.cell_repeat):
                ranges.append(MergedRange(r, c, r + rows - 1, c + cols - 1))


def _count(attrs: Any, namespace: str, local: str) -> int:
    """A repeat, span or space count attribute (1 when absent)."""
    value = attrs.get((namespace, local))
    if value is None:
        return 1
    count = int(value)  # ValueError → damaged
    if count < 1:
        raise ValueError(f"{local}={value}")
    return count


_SIZERS = {FileKind.xlsx: _size_xlsx, FileKind.xls: _size_xls, FileKind.ods: _size_ods}
