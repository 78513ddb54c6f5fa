"""A corpus of hostile, broken and legitimate input files, built in code.

Each :class:`HostileCase` builds one file (or a directory, or a missing
path) in a given folder and says what reading it must give: ``expect_code``
is the :class:`~checklist.errors.ChecklistError` code, or None when the file
is legitimately readable. ``stage`` says which guard answers: ``preflight``
(the cheap check refuses it, or for readable files returns ``kind``) or
``read`` (preflight lets it through, as it must not decompress anything,
and ``read_workbook`` refuses it). Tests for preflight, for the reader and
for the CLI all parametrise over :data:`HOSTILE_CASES`.

Nothing here is a committed binary blob: every file is written by
openpyxl, xlwt, odfpy or msoffcrypto-tool, or assembled byte by byte.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import resource
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from checklist.preflight import FileKind

Stage = Literal["preflight", "read"]


@dataclass(frozen=True)
class HostileCase:
    """One file of the corpus and what reading it must give."""

    name: str
    """Short identifier, used as the pytest id."""
    build: Callable[[Path], Path]
    """Writes the file into the given folder and returns its path."""
    expect_code: str | None
    """The ChecklistError code expected, or None when the file is readable."""
    stage: Stage
    """Which guard answers: ``preflight`` refuses it (or passes it), or ``read`` refuses it."""
    kind: FileKind | None
    """What preflight returns when it lets the file through (None when preflight refuses it)."""
    what: str
    """What the file is, in a phrase."""


# --- legitimate content -------------------------------------------------------------------

HEADER = ["编号", "类别", "指标", "填报说明", "自评填报", "佐证材料", "自评得分", "备注"]
ROWS: list[list[str | int]] = [
    ["LEAD-01", "组织领导", "党组织每年专题研究群团工作次数", "填写次数", 4, "会议记录", 5, ""],
    [
        "LEAD-02",
        "组织领导",
        "群团工作是否纳入党建目标考核并与评先评优挂钩",
        "是/否",
        "是",
        "考核办法",
        5,
        "",
    ],
    ["LEAD-03", "组织领导", "党建带群建联席会议年内召开次数", "填写次数", 2, "", 3, "=1+1"],
    ["COV-01", "组织覆盖", "是否建立工会组织", "是/否", "是", "批复文件", 10, ""],
    ["COV-02", "组织覆盖", "是否建立团组织", "是/否", "否", "", 0, "筹建中"],
]
"""A small self-assessment table: the first column of each area is merged in the files."""
UNIT_INFO: list[list[str | int]] = [
    ["单位名称", "东林村"],
    ["单位类型", "村"],
    ["所属镇（街道）", "城厢镇"],
    ["年度", 2024],
]


def build_xlsx(folder: Path, name: str = "自评表.xlsx") -> Path:
    """A clean workbook as a unit would send it: info sheet, table, merges, a hidden sheet."""
    import openpyxl

    book = openpyxl.Workbook()
    info = book.active
    assert info is not None
    info.title = "单位信息"
    for row in UNIT_INFO:
        info.append(row)
    info["A6"] = "填报日期"
    info["B6"] = dt.date(2024, 12, 20)
    table = book.create_sheet("自评表")
    table.append(HEADER)
    for row in ROWS:
        table.append(row)
    # Area cells merged the way units lay them out: value in the top cell only.
    table.merge_cells("B2:B4")  # openpyxl keeps only the top-left value
    table.merge_cells("B5:B6")
    hidden = book.create_sheet("_meta")
    hidden["A1"] = "pack"
    hidden.sheet_state = "hidden"
    path = folder / name
    book.save(path)
    return path


def build_xls(folder: Path, name: str = "自评表.xls") -> Path:
    """The same content written as a legacy .xls by xlwt."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    info = book.add_sheet("单位信息")
    for r, row in enumerate(UNIT_INFO):
        for c, value in enumerate(row):
            info.write(r, c, value)
    table = book.add_sheet("自评表")
    for c, value in enumerate(HEADER):
        table.write(0, c, value)
    for r, row in enumerate(ROWS, start=1):
        for c, value in enumerate(row):
            if c == 1:
                continue
            table.write(r, c, value if value != "=1+1" else "'=1+1")
    table.write_merge(1, 3, 1, 1, "组织领导")
    table.write_merge(4, 5, 1, 1, "组织覆盖")
    hidden = book.add_sheet("_meta")
    hidden.write(0, 0, "pack")
    hidden.visibility = 1
    path = folder / name
    book.save(str(path))
    return path


def build_ods(folder: Path, name: str = "自评表.ods") -> Path:
    """The same table as an OpenDocument spreadsheet written by odfpy, with a merged area cell."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="自评表")

    def cell(value: object, **attrs: object) -> TableCell:
        if isinstance(value, int):
            made = TableCell(valuetype="float", value=value, **attrs)
        else:
            made = TableCell(valuetype="string", **attrs)
        made.addElement(P(text=str(value)))
        return made

    header = TableRow()
    for title in HEADER:
        header.addElement(cell(title))
    table.addElement(header)
    for r, row in enumerate(ROWS):
        line = TableRow()
        for c, value in enumerate(row):
            if c == 1 and r == 0:
                line.addElement(cell(value, numberrowsspanned=3))
            elif c == 1 and r == 3:
                line.addElement(cell(value, numberrowsspanned=2))
            elif c == 1:
                line.addElement(CoveredTableCell())
            elif value == "":
                line.addElement(TableCell())
            else:
                line.addElement(cell(value))
        table.addElement(line)
    doc.spreadsheet.addElement(table)
    path = folder / name
    doc.save(str(path))
    return path


def _csv_text() -> str:
    lines = [",".join(HEADER)]
    lines += [",".join(str(v) for v in row) for row in ROWS]
    return "\r\n".join(lines) + "\r\n"


def build_csv_utf8(folder: Path) -> Path:
    """CSV in UTF-8 without a BOM."""
    path = folder / "自评表.csv"
    path.write_bytes(_csv_text().encode("utf-8"))
    return path


def build_csv_utf8_bom(folder: Path) -> Path:
    """CSV in UTF-8 with a BOM, as Excel writes "CSV UTF-8"."""
    path = folder / "自评表-bom.csv"
    path.write_bytes(_csv_text().encode("utf-8-sig"))
    return path


def build_csv_gb18030(folder: Path) -> Path:
    """CSV in GB18030, as Chinese Excel writes plain "CSV"."""
    path = folder / "自评表-gbk.csv"
    path.write_bytes(_csv_text().encode("gb18030"))
    return path


def build_txt_utf16(folder: Path) -> Path:
    """Tab-separated UTF-16 text, as Excel writes "Unicode text"."""
    lines: list[list[str | int]] = [list(HEADER), *ROWS]
    text = "\r\n".join("\t".join(str(v) for v in row) for row in lines) + "\r\n"
    path = folder / "自评表.txt"
    path.write_bytes(text.encode("utf-16"))
    return path


def build_xlsm(folder: Path) -> Path:
    """A macro-enabled workbook: a vbaProject part and the macro content type."""
    source = build_xlsx(folder, "plain.xlsx")
    path = folder / "自评表.xlsm"
    _rewrite_zip(
        source,
        path,
        replace={
            "[Content_Types].xml": lambda xml: xml.replace(
                b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml"
            ).replace(
                b"</Types>",
                b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                b"</Types>",
            )
        },
        add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)},
    )
    return path


def build_xls_renamed_xlsx(folder: Path) -> Path:
    """A legacy .xls whose name says .xlsx (read by content)."""
    path = folder / "自评表.xlsx"
    path.write_bytes(build_xls(folder, "source.xls").read_bytes())
    return path


def build_et_ole(folder: Path) -> Path:
    """A WPS .et file in the OLE (BIFF) form."""
    path = folder / "自评表.et"
    path.write_bytes(build_xls(folder, "source.xls").read_bytes())
    return path


def build_et_zip(folder: Path) -> Path:
    """A WPS .et file in the zip (OOXML) form."""
    path = folder / "自评表.et"
    path.write_bytes(build_xlsx(folder, "source.xlsx").read_bytes())
    return path


def build_dimension_lie(folder: Path) -> Path:
    """A sheet declaring dimension A1:XFD1048576 while holding a few cells."""
    return _package(
        folder / "dimension.xlsx",
        _sheet(
            '<row r="1"><c r="A1" t="inlineStr"><is><t>编号</t></is></c></row>', "A1:XFD1048576"
        ),
    )


def build_formulas_uncached(folder: Path) -> Path:
    """Formulas without cached values, as openpyxl writes them (read back as blanks)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["自评得分", 5])
    sheet.append(["合计", "=SUM(B1:B1)"])
    path = folder / "formulas.xlsx"
    book.save(path)
    return path


def build_styled_far_empty(folder: Path) -> Path:
    """Formatted but empty cells far away (<c/> holds no value and is not a cell to read)."""
    return _package(
        folder / "styled.xlsx",
        _sheet(
            '<row r="1"><c r="A1" t="inlineStr"><is><t>编号</t></is></c></row>'
            '<row r="1048576"><c r="XFD1048576" s="0"/></row>'
        ),
    )


# --- XML entity attacks ----------------------------------------------------------------------

_LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n"
)
_QUADRATIC = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE q [<!ENTITY a "' + "a" * 50_000 + '">]>\n'
)
_XXE = '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'


def _entity_case(part: str, prolog: str, reference: str) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        cell = f'<row r="1"><c r="A1" t="inlineStr"><is><t>{reference}</t></is></c></row>'
        sheet = _sheet(cell)
        strings = None
        workbook = _WORKBOOK
        if part == "sheet":
            sheet = prolog + sheet.split("\n", 1)[1]
        elif part == "sharedStrings":
            sheet = _sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
            strings = (
                prolog
                + f'<sst xmlns="{_MAIN_NS}" count="1" uniqueCount="1"><si><t>{reference}</t></si></sst>'
            )
        else:
            workbook = prolog + _WORKBOOK.split("\n", 1)[1].replace(
                'name="Sheet1"', f'name="{reference}"'
            )
        return _package(folder / f"entity-{part}.xlsx", sheet, strings=strings, workbook=workbook)

    return build


# --- zip bombs and broken containers -------------------------------------------------------------

_BOMB_ROW = b'<row><c t="n"><v>1</v></c></row>'


def _bomb_sheet(size: int) -> bytes:
    head = _sheet("").encode().split(b"<sheetData>")[0] + b"<sheetData>"
    return head + _BOMB_ROW * (size // len(_BOMB_ROW)) + b"</sheetData></worksheet>"


def build_zip_bomb_ratio(folder: Path) -> Path:
    """A 24 MB sheet that compresses over 1000:1."""
    return _package(folder / "bomb-ratio.xlsx", _bomb_sheet(24 << 20).decode())


def _lying_bomb(folder: Path, name: str, declared: int) -> Path:
    path = _package(folder / name, _bomb_sheet(24 << 20).decode())
    return _patch_declared_size(path, "xl/worksheets/sheet1.xml", declared)


def build_zip_bomb_lying_directory(folder: Path) -> Path:
    """A 24 MB sheet whose central directory declares 200 KB (more than its compressed size)."""
    return _lying_bomb(folder, "bomb-lying.xlsx", 200_000)


def build_zip_bomb_lying_below_packed(folder: Path) -> Path:
    """A 24 MB sheet whose directory declares fewer bytes than its compressed data."""
    return _lying_bomb(folder, "bomb-lying-small.xlsx", 2_000)


def build_too_many_parts(folder: Path) -> Path:
    """A workbook padded with 2,100 tiny parts."""
    return _package(
        folder / "many-parts.xlsx",
        _sheet(""),
        extra={f"xl/media/pad{i}.xml": b"<a/>" for i in range(2100)},
    )


def build_zip_encrypted_member(folder: Path) -> Path:
    """A workbook whose zip entries carry the (traditional zip) encryption flag."""
    path = _package(folder / "zip-password.xlsx", _sheet(""))
    data = bytearray(path.read_bytes())
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        while at >= 0:
            data[at + flag_at] |= 0x01
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))
    return path


def build_empty_zip(folder: Path) -> Path:
    """A zip with no entries at all."""
    path = folder / "empty-zip.xlsx"
    with zipfile.ZipFile(path, "w"):
        pass
    return path


def build_zero_bytes(folder: Path) -> Path:
    """An empty file."""
    path = folder / "zero.xlsx"
    path.write_bytes(b"")
    return path


def build_truncated_half(folder: Path) -> Path:
    """A workbook cut in half, as by an interrupted download."""
    data = build_xlsx(folder, "whole.xlsx").read_bytes()
    path = folder / "truncated-half.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return path


def build_truncated_tail(folder: Path) -> Path:
    """A workbook missing its last 10 bytes (the end of the zip directory)."""
    data = build_xlsx(folder, "whole.xlsx").read_bytes()
    path = folder / "truncated-tail.xlsx"
    path.write_bytes(data[:-10])
    return path


def build_truncated_xls(folder: Path) -> Path:
    """A legacy .xls cut in half."""
    data = build_xls(folder, "whole.xls").read_bytes()
    path = folder / "truncated.xls"
    path.write_bytes(data[: len(data) // 2])
    return path


def build_corrupt_deflate(folder: Path) -> Path:
    """One byte flipped inside the compressed sheet data (the directory stays intact)."""
    path = _package(
        folder / "corrupt-byte.xlsx",
        _sheet("".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 400))),
    )
    data = bytearray(path.read_bytes())
    start, length = _member_data_span(bytes(data), "xl/worksheets/sheet1.xml")
    data[start + length // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


def build_malformed_xml(folder: Path) -> Path:
    """A sheet whose XML closes a row before its cell."""
    return _package(folder / "malformed.xlsx", _sheet('<row r="1"><c r="A1"><v>1</v></row>'))


def build_csv_renamed_xlsx(folder: Path) -> Path:
    """A CSV file renamed to .xlsx."""
    path = folder / "csv-renamed.xlsx"
    path.write_bytes(_csv_text().encode("utf-8"))
    return path


_HTML = (
    '<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head><meta charset="utf-8"></head>'
    "<body><table><tr><td>编号</td><td>指标</td></tr><tr><td>LEAD-01</td><td>次数</td></tr>"
    "</table></body></html>"
)


def build_html_as_xls(folder: Path) -> Path:
    """A web page exported by a web system and saved as .xls."""
    path = folder / "web-export.xls"
    path.write_bytes(_HTML.encode("utf-8"))
    return path


def build_html_as_xlsx(folder: Path) -> Path:
    """An HTML table (starting with <table>, with a BOM) named .xlsx."""
    path = folder / "web-export.xlsx"
    path.write_bytes(("\ufeff" + _HTML[_HTML.index("<table>") :]).encode("utf-8"))
    return path


def build_xml2003_as_xls(folder: Path) -> Path:
    """An Excel 2003 XML spreadsheet named .xls."""
    path = folder / "xml2003.xls"
    path.write_text(
        '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'
        '<Worksheet ss:Name="自评表"/></Workbook>',
        encoding="utf-8",
    )
    return path


def build_docx_as_xlsx(folder: Path) -> Path:
    """A Word document renamed to .xlsx."""
    path = folder / "report.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return path


def build_pdf_as_xlsx(folder: Path) -> Path:
    """A PDF renamed to .xlsx."""
    path = folder / "scan.xlsx"
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n")
    return path


def build_xlsb(folder: Path) -> Path:
    """An Excel binary workbook (.xlsb structure)."""
    path = folder / "binary.xlsb"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/workbook.bin", b"\x83\x01\x00")
    return path


def build_encrypted_ooxml(folder: Path) -> Path:
    """A real workbook encrypted with a password by msoffcrypto-tool (an OLE container)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    source = build_xlsx(folder, "plain.xlsx")
    path = folder / "加密.xlsx"
    with source.open("rb") as plain, path.open("wb") as out:
        OOXMLFile(plain).encrypt("123456", out)
    return path


def build_lock_file(folder: Path) -> Path:
    """An Excel owner lock file (~$name.xlsx): the user name padded to 165 bytes."""
    path = folder / "~$自评表.xlsx"
    name = "张三"
    data = bytes([len(name)]) + name.encode("gbk").ljust(53, b" ")
    data += struct.pack("<H", len(name)) + name.encode("utf-16-le")
    path.write_bytes(data.ljust(165, b"\x00"))
    return path


def build_directory(folder: Path) -> Path:
    """A folder named like a workbook."""
    path = folder / "folder.xlsx"
    path.mkdir()
    return path


def build_missing(folder: Path) -> Path:
    """A path that does not exist."""
    return folder / "missing.xlsx"


def build_too_large(folder: Path) -> Path:
    """A 51 MiB file (sparse, so it costs no disk)."""
    path = folder / "huge.xlsx"
    with path.open("wb") as out:
        out.write(b"PK\x03\x04")
        out.truncate(51 << 20)
    return path


# --- allocation bombs calamine would abort on -----------------------------------------------------


def build_far_cell(folder: Path) -> Path:
    """A 1 KB sheet with values in A1 and XFD1048576 (calamine would allocate 550 GB)."""
    return _package(
        folder / "far-cell.xlsx",
        _sheet(
            '<row r="1"><c r="A1"><v>1</v></c></row>'
            '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
        ),
    )


def build_far_cell_in_media(folder: Path) -> Path:
    """The far cell in a sheet stored under xl/media/ (calamine follows the relationship)."""
    return _package(
        folder / "far-cell-media.xlsx",
        _sheet('<row r="1"><c r="A1"><v>1</v></c><c r="XFD1048576"><v>2</v></c></row>'),
        sheet_path="xl/media/image1.xml",
    )


def build_far_cell_implicit(folder: Path) -> Path:
    """Cells without references after a jump to the last row: 1,048,576 x 3 cells."""
    return _package(
        folder / "far-cell-implicit.xlsx",
        _sheet('<row r="1048576"><c><v>1</v></c><c><v>2</v></c><c><v>3</v></c></row>'),
    )


def build_shared_strings_count_lie(folder: Path) -> Path:
    """A sharedStrings part declaring four billion strings (calamine would reserve 96 GB)."""
    return _package(
        folder / "sst-count.xlsx",
        _sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'),
        strings=f'<?xml version="1.0"?><sst xmlns="{_MAIN_NS}" count="1" uniqueCount="4000000000">'
        "<si><t>编号</t></si></sst>",
    )


def build_merge_bomb(folder: Path) -> Path:
    """A value in A1 merged across the whole sheet (filling it would build 17 billion cells)."""
    return _package(
        folder / "merge-bomb.xlsx",
        _sheet(
            '<row r="1"><c r="A1" t="inlineStr"><is><t>组织领导</t></is></c></row>',
            merges=["A1:XFD1048576"],
        ),
    )


def build_xls_dimensions_lie(folder: Path) -> Path:
    """An .xls whose DIMENSIONS record claims 65,536 x 256 (calamine would reserve 670 MB)."""
    path = build_xls(folder, "dimensions.xls")
    data = bytearray(path.read_bytes())
    at = _find_biff_dimensions(bytes(data))
    data[at + 4 : at + 18] = struct.pack("<IIHHH", 0, 65536, 0, 256, 0)
    path.write_bytes(bytes(data))
    return path


def build_xls_far_cell(folder: Path) -> Path:
    """An .xls with values in A1 and IV65536."""
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("自评表")
    sheet.write(0, 0, "编号")
    sheet.write(65535, 255, 1)
    path = folder / "far-cell.xls"
    book.save(str(path))
    return path


def build_xls_filepass(folder: Path) -> Path:
    """An .xls with a FILEPASS record (password-protected BIFF)."""
    path = build_xls(folder, "filepass.xls")
    data = bytearray(path.read_bytes())
    # Turn the WINDOWPROTECT record (0x0019, 2 bytes) into FILEPASS (0x002F):
    # same length, so the OLE container stays valid.
    at = data.find(b"\x19\x00\x02\x00")
    data[at : at + 2] = b"\x2f\x00"
    path.write_bytes(bytes(data))
    return path


def build_ods_repeat_bomb(folder: Path) -> Path:
    """An ODS row of one value repeated 16,384 times, the row repeated 1,048,576 times."""
    cell = (
        '<table:table-cell table:number-columns-repeated="16384" office:value-type="float" '
        'office:value="1"><text:p>1</text:p></table:table-cell>'
    )
    return _ods(
        folder / "repeat-bomb.ods",
        f'<table:table-row table:number-rows-repeated="1048576">{cell}</table:table-row>',
    )


def build_ods_moderate_repeat(folder: Path) -> Path:
    """An ODS block of 30,000 x 1,000 repeated values (under calamine's own cap, over our memory)."""
    cell = (
        '<table:table-cell table:number-columns-repeated="1000" office:value-type="float" '
        'office:value="1"><text:p>1</text:p></table:table-cell>'
    )
    return _ods(
        folder / "repeat-30m.ods",
        f'<table:table-row table:number-rows-repeated="30000">{cell}</table:table-row>',
    )


def build_ods_trailing_repeats(folder: Path) -> Path:
    """An ODS sheet as LibreOffice saves it: empty rows and columns repeated to the sheet's end."""
    cell = '<table:table-cell office:value-type="string"><text:p>编号</text:p></table:table-cell>'
    return _ods(
        folder / "trailing.ods",
        f'<table:table-row>{cell}<table:table-cell table:number-columns-repeated="16383"/></table:table-row>'
        '<table:table-row table:number-rows-repeated="1048575">'
        '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>',
    )


def build_shared_string_bomb(folder: Path) -> Path:
    """One 30,000-character shared string used by 5,000 cells: 450 MB once calamine copies it."""
    cells = "".join(
        f'<row r="{r}">'
        + "".join(f'<c r="{col}{r}" t="s"><v>0</v></c>' for col in "ABCDEFGHIJ")
        + "</row>"
        for r in range(1, 501)
    )
    return _package(
        folder / "shared-text.xlsx",
        _sheet(cells),
        strings=f'<?xml version="1.0"?><sst xmlns="{_MAIN_NS}" count="5000" uniqueCount="1">'
        f"<si><t>{'党建' * 15_000}</t></si></sst>",
    )


def build_xls_shared_string_bomb(folder: Path) -> Path:
    """The same in an .xls: one 30,000-character SST string in 5,000 LABELSST cells."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("自评表")
    text = "党建" * 15_000
    for r in range(500):
        for c in range(10):
            sheet.write(r, c, text)
    path = folder / "shared-text.xls"
    book.save(str(path))
    return path


def build_ods_space_bomb(folder: Path) -> Path:
    """An ODS cell holding <text:s text:c="1000000000"/>: a billion spaces from 40 bytes."""
    return _ods(
        folder / "spaces.ods",
        '<table:table-row><table:table-cell office:value-type="string">'
        '<text:p>a<text:s text:c="1000000000"/>b</text:p></table:table-cell></table:table-row>',
    )


def build_ods_repeated_text(folder: Path) -> Path:
    """A 10,000-character ODS cell repeated over 100 x 1,000 cells (3 GB of copies)."""
    cell = (
        '<table:table-cell table:number-columns-repeated="1000" office:value-type="string">'
        f"<text:p>{'字' * 10_000}</text:p></table:table-cell>"
    )
    return _ods(
        folder / "repeated-text.ods",
        f'<table:table-row table:number-rows-repeated="100">{cell}</table:table-row>',
    )


HOSTILE_CASES: list[HostileCase] = [
    # legitimately readable
    HostileCase("xlsx", build_xlsx, None, "preflight", FileKind.xlsx, "clean openpyxl workbook"),
    HostileCase("xls", build_xls, None, "preflight", FileKind.xls, "legacy .xls from xlwt"),
    HostileCase("ods", build_ods, None, "preflight", FileKind.ods, "OpenDocument from odfpy"),
    HostileCase("csv_utf8", build_csv_utf8, None, "preflight", FileKind.csv, "CSV, UTF-8"),
    HostileCase(
        "csv_utf8_bom", build_csv_utf8_bom, None, "preflight", FileKind.csv, "CSV, UTF-8 BOM"
    ),
    HostileCase("csv_gb18030", build_csv_gb18030, None, "preflight", FileKind.csv, "CSV, GB18030"),
    HostileCase("txt_utf16", build_txt_utf16, None, "preflight", FileKind.csv, "Unicode text"),
    HostileCase("xlsm", build_xlsm, None, "preflight", FileKind.xlsx, "macro-enabled workbook"),
    HostileCase(
        "xls_renamed_xlsx",
        build_xls_renamed_xlsx,
        None,
        "preflight",
        FileKind.xls,
        ".xls named .xlsx",
    ),
    HostileCase("et_ole", build_et_ole, None, "preflight", FileKind.xls, "WPS .et (BIFF)"),
    HostileCase("et_zip", build_et_zip, None, "preflight", FileKind.xlsx, "WPS .et (OOXML)"),
    HostileCase(
        "dimension_lie",
        build_dimension_lie,
        None,
        "preflight",
        FileKind.xlsx,
        "dimension A1:XFD1048576",
    ),
    HostileCase(
        "formulas_uncached",
        build_formulas_uncached,
        None,
        "preflight",
        FileKind.xlsx,
        "formulas, no cached values",
    ),
    HostileCase(
        "styled_far_empty",
        build_styled_far_empty,
        None,
        "preflight",
        FileKind.xlsx,
        "empty styled cell at XFD1048576",
    ),
    HostileCase(
        "ods_trailing_repeats",
        build_ods_trailing_repeats,
        None,
        "preflight",
        FileKind.ods,
        "ODS padded to the sheet's end",
    ),
    # XML entity attacks
    *(
        HostileCase(
            f"{attack}_{part}",
            _entity_case(part, prolog, reference),
            "xml_entities",
            "read",
            FileKind.xlsx,
            f"{attack.replace('_', ' ')} in the {part} part",
        )
        for attack, prolog, reference in (
            ("billion_laughs", _LAUGHS, "&lol9;"),
            ("quadratic_blowup", _QUADRATIC, "&a;" * 2000),
        )
        for part in ("sheet", "sharedStrings", "workbook")
    ),
    HostileCase(
        "external_entity",
        _entity_case("sheet", _XXE, "&xxe;"),
        "xml_entities",
        "read",
        FileKind.xlsx,
        "XXE reading /etc/passwd",
    ),
    # zip bombs
    HostileCase(
        "zip_bomb_ratio", build_zip_bomb_ratio, "zip_bomb", "preflight", None, "1000:1 member"
    ),
    HostileCase(
        "zip_bomb_lying_directory",
        build_zip_bomb_lying_directory,
        "zip_bomb",
        "read",
        FileKind.xlsx,
        "directory understates a member",
    ),
    HostileCase(
        "zip_bomb_lying_below_packed",
        build_zip_bomb_lying_below_packed,
        "zip_bomb",
        "preflight",
        None,
        "declared size below compressed size",
    ),
    HostileCase(
        "too_many_parts", build_too_many_parts, "too_many_parts", "preflight", None, "2,100 parts"
    ),
    # allocation bombs
    HostileCase(
        "far_cell",
        build_far_cell,
        "too_many_cells",
        "read",
        FileKind.xlsx,
        "values in A1 and XFD1048576",
    ),
    HostileCase(
        "far_cell_in_media",
        build_far_cell_in_media,
        "too_many_cells",
        "read",
        FileKind.xlsx,
        "far cell in a sheet under xl/media",
    ),
    HostileCase(
        "far_cell_implicit",
        build_far_cell_implicit,
        "too_many_cells",
        "read",
        FileKind.xlsx,
        "row jump to 1048576, no cell refs",
    ),
    HostileCase(
        "shared_strings_count_lie",
        build_shared_strings_count_lie,
        "too_many_cells",
        "read",
        FileKind.xlsx,
        "uniqueCount 4e9",
    ),
    HostileCase(
        "merge_bomb",
        build_merge_bomb,
        "too_many_cells",
        "read",
        FileKind.xlsx,
        "A1 merged to XFD1048576",
    ),
    HostileCase(
        "xls_dimensions_lie",
        build_xls_dimensions_lie,
        "too_many_cells",
        "read",
        FileKind.xls,
        "DIMENSIONS 65536 x 256",
    ),
    HostileCase(
        "xls_far_cell",
        build_xls_far_cell,
        "too_many_cells",
        "read",
        FileKind.xls,
        "values in A1 and IV65536",
    ),
    HostileCase(
        "ods_repeat_bomb",
        build_ods_repeat_bomb,
        "too_many_cells",
        "read",
        FileKind.ods,
        "17 billion repeated cells",
    ),
    HostileCase(
        "ods_moderate_repeat",
        build_ods_moderate_repeat,
        "too_many_cells",
        "read",
        FileKind.ods,
        "30 million repeated cells",
    ),
    HostileCase(
        "shared_string_bomb",
        build_shared_string_bomb,
        "too_much_text",
        "read",
        FileKind.xlsx,
        "30,000-char shared string in 5,000 cells",
    ),
    HostileCase(
        "xls_shared_string_bomb",
        build_xls_shared_string_bomb,
        "too_much_text",
        "read",
        FileKind.xls,
        "30,000-char SST string in 5,000 cells",
    ),
    HostileCase(
        "ods_space_bomb",
        build_ods_space_bomb,
        "too_much_text",
        "read",
        FileKind.ods,
        "text:s c=1000000000",
    ),
    HostileCase(
        "ods_repeated_text",
        build_ods_repeated_text,
        "too_much_text",
        "read",
        FileKind.ods,
        "10,000-char cell repeated 100,000 times",
    ),
    # broken or mislabelled
    HostileCase(
        "encrypted_ooxml",
        build_encrypted_ooxml,
        "encrypted",
        "preflight",
        None,
        "password-protected .xlsx",
    ),
    HostileCase(
        "xls_filepass",
        build_xls_filepass,
        "encrypted",
        "read",
        FileKind.xls,
        "password-protected .xls",
    ),
    HostileCase(
        "zip_encrypted_member",
        build_zip_encrypted_member,
        "encrypted",
        "preflight",
        None,
        "zip entries encrypted",
    ),
    HostileCase("zero_bytes", build_zero_bytes, "empty", "preflight", None, "0 bytes"),
    HostileCase("empty_zip", build_empty_zip, "empty", "preflight", None, "zip without entries"),
    HostileCase(
        "truncated_half",
        build_truncated_half,
        "damaged",
        "preflight",
        None,
        "first half of an .xlsx",
    ),
    HostileCase(
        "truncated_tail",
        build_truncated_tail,
        "damaged",
        "preflight",
        None,
        ".xlsx missing 10 bytes",
    ),
    HostileCase(
        "truncated_xls", build_truncated_xls, "damaged", "preflight", None, "first half of an .xls"
    ),
    HostileCase(
        "corrupt_deflate",
        build_corrupt_deflate,
        "damaged",
        "read",
        FileKind.xlsx,
        "one byte flipped in deflate data",
    ),
    HostileCase(
        "malformed_xml",
        build_malformed_xml,
        "damaged",
        "read",
        FileKind.xlsx,
        "sheet XML not well-formed",
    ),
    HostileCase(
        "csv_renamed_xlsx",
        build_csv_renamed_xlsx,
        "not_workbook",
        "preflight",
        None,
        "CSV named .xlsx",
    ),
    HostileCase(
        "html_as_xls", build_html_as_xls, "html", "preflight", None, "web page saved as .xls"
    ),
    HostileCase(
        "html_as_xlsx", build_html_as_xlsx, "html", "preflight", None, "HTML table named .xlsx"
    ),
    HostileCase(
        "xml2003_as_xls",
        build_xml2003_as_xls,
        "xml_spreadsheet",
        "preflight",
        None,
        "Excel 2003 XML",
    ),
    HostileCase(
        "docx_as_xlsx", build_docx_as_xlsx, "not_workbook", "preflight", None, ".docx renamed"
    ),
    HostileCase("pdf_as_xlsx", build_pdf_as_xlsx, "not_workbook", "preflight", None, "PDF renamed"),
    HostileCase("xlsb", build_xlsb, "xlsb", "preflight", None, "binary workbook"),
    HostileCase("lock_file", build_lock_file, "lock_file", "preflight", None, "~$ owner file"),
    HostileCase("directory", build_directory, "not_a_file", "preflight", None, "a folder"),
    HostileCase("missing", build_missing, "missing", "preflight", None, "no such file"),
    HostileCase("too_large", build_too_large, "too_large", "preflight", None, "51 MiB"),
]
"""Every case, readable ones first."""


# --- running a case in isolation ---------------------------------------------------------------

MEMORY_LIMIT = 500 * 1024 * 1024
"""Address-space cap for the process reading a case (RLIMIT_AS)."""
TIME_LIMIT = 5
"""Seconds a case may take, process start-up included."""

_REPO = Path(__file__).resolve().parent.parent

# Runs preflight and read_workbook on one path and prints both outcomes as
# JSON. Anything but a ChecklistError escapes as a traceback on stderr.
_RUNNER = """
import json, sys
from pathlib import Path
from checklist.errors import ChecklistError
from checklist.preflight import preflight
from checklist.workbook import read_workbook

def attempt(step):
    try:
        return {"value": step()}
    except ChecklistError as exc:
        return {"code": exc.code, "zh": exc.render("zh"), "en": exc.render("en")}

def summary(book):
    return {
        "format": book.format,
        "notes": [note.en for note in book.notes],
        "sheets": [
            {"name": s.name, "rows": len(s.rows), "visible": s.visible, "merged": len(s.merged)}
            for s in book.sheets
        ],
    }

path = Path(sys.argv[1])
outcome = {
    "preflight": attempt(lambda: str(preflight(path))),
    "read": attempt(lambda: summary(read_workbook(path))),
}
print(json.dumps(outcome, ensure_ascii=False))
"""


@dataclass(frozen=True)
class Outcome:
    """What happened when a case was read in a separate, memory-capped process."""

    path: Path
    """The file (or folder, or missing path) the case built."""
    returncode: int
    """Exit status of the reading process (negative: killed by that signal)."""
    stderr: str
    """Everything it wrote to stderr (empty unless something escaped)."""
    preflight: dict[str, Any]
    """``{"value": kind}`` or ``{"code", "zh", "en"}`` from preflight."""
    read: dict[str, Any]
    """``{"value": summary}`` or ``{"code", "zh", "en"}`` from read_workbook."""
    unchanged: bool
    """The input's bytes (or absence) are the same after reading as before."""


_OUTCOMES: dict[str, Outcome] = {}


def run_isolated(case: HostileCase, root: Path) -> Outcome:
    """Build ``case`` under ``root`` and read it in a child process capped at 500 MB and 5 s.

    Outcomes are cached per case name, so the preflight and reader tests of
    one session share a single run. A run over the time limit raises
    subprocess.TimeoutExpired.
    """
    if case.name in _OUTCOMES:
        return _OUTCOMES[case.name]
    folder = root / case.name
    folder.mkdir(parents=True, exist_ok=True)
    path = case.build(folder)
    before = _fingerprint(path)
    process = subprocess.run(
        [sys.executable, "-c", _RUNNER, str(path)],
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT,
        preexec_fn=_cap_memory,
        cwd=_REPO,
        check=False,
    )
    parsed: dict[str, Any] = json.loads(process.stdout) if process.returncode == 0 else {}
    outcome = Outcome(
        path=path,
        returncode=process.returncode,
        stderr=process.stderr,
        preflight=parsed.get("preflight", {}),
        read=parsed.get("read", {}),
        unchanged=_fingerprint(path) == before,
    )
    _OUTCOMES[case.name] = outcome
    return outcome


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _fingerprint(path: Path) -> str:
    if path.is_dir():
        return "dir:" + ",".join(sorted(p.name for p in path.iterdir()))
    if not path.exists():
        return "absent"
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- assembling packages by hand ------------------------------------------------------------------

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}"><sheets>'
    '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)


def _sheet(body: str, dimension: str = "A1", merges: list[str] | None = None) -> str:
    merged = ""
    if merges:
        refs = "".join(f'<mergeCell ref="{ref}"/>' for ref in merges)
        merged = f'<mergeCells count="{len(merges)}">{refs}</mergeCells>'
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{_MAIN_NS}"><dimension ref="{dimension}"/>'
        f"<sheetData>{body}</sheetData>{merged}</worksheet>"
    )


def _package(
    path: Path,
    sheet: str,
    *,
    strings: str | None = None,
    workbook: str = _WORKBOOK,
    sheet_path: str = "xl/worksheets/sheet1.xml",
    extra: dict[str, bytes] | None = None,
) -> Path:
    """A minimal, valid .xlsx package around one sheet part."""
    types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f'<Override PartName="/{sheet_path}" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    )
    root_rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG_REL_NS}">'
        f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    )
    target = sheet_path.removeprefix("xl/")
    book_rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG_REL_NS}">'
        f'<Relationship Id="rId1" Type="{_REL_NS}/worksheet" Target="{target}"/>'
        + (
            f'<Relationship Id="rId2" Type="{_REL_NS}/sharedStrings" Target="sharedStrings.xml"/>'
            if strings is not None
            else ""
        )
        + "</Relationships>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", root_rels)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", book_rels)
        archive.writestr(sheet_path, sheet)
        if strings is not None:
            archive.writestr("xl/sharedStrings.xml", strings)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def _rewrite_zip(
    source: Path,
    target: Path,
    *,
    replace: dict[str, Callable[[bytes], bytes]],
    add: dict[str, bytes],
) -> None:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(
                info.filename, replace[info.filename](data) if info.filename in replace else data
            )
        for name, data in add.items():
            new.writestr(name, data)


def _patch_declared_size(path: Path, member: str, declared: int) -> Path:
    """Overwrite a member's uncompressed size in the central directory and local header."""
    data = bytearray(path.read_bytes())
    encoded = member.encode()
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46 : at + 46 + name_len]) == encoded:
            struct.pack_into("<I", data, at + 24, declared)
            local = struct.unpack_from("<I", data, at + 42)[0]
            struct.pack_into("<I", data, local + 22, declared)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    return path


def _member_data_span(data: bytes, member: str) -> tuple[int, int]:
    """Where a member's compressed bytes start in the file, and how many there are."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(member)
    name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)
    return info.header_offset + 30 + name_len + extra_len, info.compress_size


def _find_biff_dimensions(data: bytes) -> int:
    """Offset of the first BIFF8 DIMENSIONS record (type 0x0200, 14 bytes) of a sheet."""
    at = data.find(b"\x00\x02\x0e\x00")
    assert at >= 0, "no DIMENSIONS record"
    return at


def _ods(path: Path, rows: str) -> Path:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="自评表">'
        f"{rows}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path
