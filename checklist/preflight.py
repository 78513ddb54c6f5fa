"""The cheap guard every input file passes before any spreadsheet parser sees it.

Units send files by e-mail and chat apps: old ``.xls``, CSV or web pages
renamed to ``.xlsx``, password-protected or half-downloaded files, Excel lock
files, and possibly crafted zip bombs. python-calamine aborts the whole
process (SIGABRT, uncatchable) when a file makes it allocate too much, so
everything that can be decided from a file's size, its first bytes and its
zip central directory is decided here, with a one-line message in both
languages and a stable ``code`` that batch use can act on.

Only the standard library and olefile are used, and nothing is decompressed
but an OpenDocument file's 46-byte ``mimetype`` part, so the guard costs
tens of microseconds for a normal file. What only the parts' content can
reveal (far cell references, declared string counts, entity declarations)
is checked afterwards by the sizing guards in :mod:`checklist.workbook`.
"""

from __future__ import annotations

import os
import stat
import struct
import zipfile
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO, NamedTuple

from checklist.codes import ErrorCode
from checklist.errors import ChecklistError
from checklist.origin import PROPERTY, Made, parse_mark
from checklist.patterns import lazy_compile
from checklist.records import record
from checklist.text import Text

MiB = 1024 * 1024

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
SPANNED_ZIP_MAGIC = b"PK\x07\x08"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_EOCD = b"PK\x06\x06"
# The comment after the end-of-central-directory record is at most 64 KiB.
_EOCD_SEARCH = _EOCD_SIZE + 0xFFFF

_ODS_MIMETYPES = (
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.spreadsheet-template",
)

_TEXT_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})


class FileKind(StrEnum):
    """What a file really is, judged by its content rather than its extension."""

    xlsx = "xlsx"
    """Office Open XML workbook (``.xlsx``, ``.xlsm``, WPS ``.et`` saved as OOXML)."""
    xls = "xls"
    """Legacy BIFF workbook in an OLE container (``.xls``, WPS ``.et``)."""
    ods = "ods"
    """OpenDocument spreadsheet."""
    csv = "csv"
    """Delimited text (``.csv``, ``.txt``, ``.tsv``)."""


@record
class Limits:
    """Caps that keep a crafted or broken file from exhausting time or memory."""

    max_file_bytes: int = 50 * MiB
    """Largest file accepted, on disk."""
    max_members: int = 2000
    """Most parts a zip-based workbook may hold."""
    max_uncompressed: int = 100 * MiB
    """Largest total of the uncompressed sizes a zip declares."""
    max_ratio: int = 100
    """Highest compression ratio allowed for a large zip member (legitimate files stay under 13:1)."""
    ratio_min_bytes: int = 1 * MiB
    """Members smaller than this (uncompressed) are exempt from the ratio check."""
    max_cells: int = 1_000_000
    """Most cells read from one workbook, summed over its sheets (the used rectangle of each).

    A form has a few thousand. At 2 million text cells an .xls or .ods file
    peaked at 440-480 MB while being read, too close to a 500 MB worker cap.
    """
    max_sheets: int = 1000
    """Most sheets in one workbook (each one is parsed separately)."""
    max_merges: int = 100_000
    """Most merged ranges in one workbook (a real form has a few hundred at most)."""
    max_text_bytes: int = 32 * MiB
    """Most bytes of text that shared or repeated strings may expand to (copied into every cell)."""


def file_error(path: Path, code: ErrorCode, zh: str, en: str) -> ChecklistError:
    """A one-line error naming the file, in both languages, with a stable ``code``."""
    name = Path(path).name or str(path)
    return ChecklistError(Text(f"{name}：{zh}", f"{name}: {en}"), code=code)


def damaged(path: Path) -> ChecklistError:
    """The message for a file that cannot be parsed at all."""
    return file_error(
        path,
        ErrorCode.damaged,
        "文件已损坏或未完整下载，无法读取；请重新下载，或用 Excel/WPS 打开后重新保存再提交。",
        "the file is damaged or incompletely downloaded and cannot be read; "
        "download it again, or open it in Excel/WPS, save it again and resubmit.",
    )


def encrypted(path: Path) -> ChecklistError:
    """The message for a password-protected file."""
    return file_error(
        path,
        ErrorCode.encrypted,
        "文件已加密，请去除密码后重新提交。",
        "the file is password-protected; remove the password and submit it again.",
    )


def zip_bomb(path: Path, detail_zh: str, detail_en: str) -> ChecklistError:
    """The message for a zip whose declared sizes could exhaust memory."""
    return file_error(
        path,
        ErrorCode.zip_bomb,
        f"压缩内容异常（{detail_zh}），为保护本机已拒绝读取；如确为正常表格，请用 Excel/WPS 另存为新的 .xlsx。",
        f"its compressed content is abnormal ({detail_en}) and was refused to protect this "
        "machine; if it is a genuine form, save it again as a new .xlsx in Excel/WPS.",
    )


def too_many_cells(path: Path, cells: int, limits: Limits) -> ChecklistError:
    """The message for a workbook whose used range is too large to read safely."""
    return file_error(
        path,
        ErrorCode.too_many_cells,
        f"表格范围过大（至少 {cells:,} 个单元格，上限 {limits.max_cells:,}），已拒绝读取；"
        "请删除表格末尾多余的行和列（或无关的工作表）后重新保存。",
        f"its sheets span too many cells (at least {cells:,}, limit {limits.max_cells:,}) and "
        "were not read; delete the unused rows and columns at the end (or unrelated sheets) "
        "and save it again.",
    )


def too_much_text(path: Path, size: int, limits: Limits) -> ChecklistError:
    """The message for text that would expand past the memory a workbook may use."""
    return file_error(
        path,
        ErrorCode.too_much_text,
        f"表格中重复引用的文字展开后过大（至少 {size / MiB:,.0f} MB，上限 {limits.max_text_bytes / MiB:,.0f} MB），"
        "已拒绝读取；请删除大段重复的文字后重新保存。",
        f"its repeated text would expand to too much (at least {size / MiB:,.0f} MB, limit "
        f"{limits.max_text_bytes / MiB:,.0f} MB) and was not read; remove the long repeated "
        "text and save it again.",
    )


def too_many_sheets(path: Path, sheets: int, limits: Limits) -> ChecklistError:
    """The message for a workbook with an absurd number of sheets."""
    return file_error(
        path,
        ErrorCode.too_many_sheets,
        f"工作簿中至少有 {sheets:,} 个工作表，超过 {limits.max_sheets:,} 个上限，已拒绝读取；"
        "请删除无关的工作表后重新保存。",
        f"it has at least {sheets:,} sheets, over the limit of {limits.max_sheets:,}, and was "
        "not read; delete the unrelated sheets and save it again.",
    )


def not_workbook(path: Path, what_zh: str, what_en: str) -> ChecklistError:
    """The message for a file that is something other than a spreadsheet."""
    return file_error(
        path,
        ErrorCode.not_workbook,
        f"不是 Excel 工作簿（看起来是{what_zh}）；请用 Excel/WPS 打开原始自评表，另存为 .xlsx 后提交。",
        f"this is not an Excel workbook (it looks like {what_en}); open the original "
        "self-assessment form in Excel/WPS, save it as .xlsx and submit that.",
    )


def preflight(path: Path, limits: Limits = Limits()) -> FileKind:
    """Decide what ``path`` is and refuse it, with a clear message, before any parser runs.

    Raises :class:`ChecklistError` (codes ``missing``, ``not_a_file``, ``unreadable``,
    ``lock_file``, ``empty``, ``too_large``, ``encrypted``, ``html``, ``xml_spreadsheet``,
    ``xlsb``, ``not_workbook``, ``damaged``, ``zip_bomb``, ``too_many_parts``).
    """
    path = Path(path)
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise ChecklistError(
            Text(
                f"找不到文件 {path}，请检查路径和文件名是否正确。",
                f"File {path} was not found; check the path and the file name.",
            ),
            code=ErrorCode.missing,
        ) from None
    except OSError as exc:
        raise _unreadable(path, exc) from None
    if stat.S_ISDIR(info.st_mode):
        raise file_error(
            path,
            ErrorCode.not_a_file,
            "这是一个文件夹，不是工作簿文件；请指定其中的一个工作簿文件（如 .xlsx）。",
            "this is a folder, not a workbook file; name one workbook (e.g. a .xlsx) inside it.",
        )
    if not stat.S_ISREG(info.st_mode):
        raise file_error(
            path,
            ErrorCode.not_a_file,
            "不是普通文件（可能是设备或管道），无法作为工作簿读取；请指定 .xlsx 文件。",
            "this is not a regular file (a device or pipe) and cannot be read as a workbook; "
            "name a .xlsx file.",
        )
    if _is_lock_file(path.name):
        raise file_error(
            path,
            ErrorCode.lock_file,
            "这是 Excel/WPS 打开文件时生成的临时锁文件，不是工作簿；请选择原文件（文件名不带 ~$ 的那个）。",
            "this is a temporary lock file Excel/WPS creates while a workbook is open, not a "
            "workbook; choose the original file (the one without ~$ in its name).",
        )
    size = info.st_size
    if size == 0:
        raise file_error(
            path,
            ErrorCode.empty,
            "是空文件（0 字节），可能下载或保存没有完成；请重新获取该文件。",
            "the file is empty (0 bytes), perhaps an unfinished download or save; "
            "get the file again.",
        )
    if size > limits.max_file_bytes:
        raise file_error(
            path,
            ErrorCode.too_large,
            f"文件有 {size / MiB:.1f} MB，超过 {limits.max_file_bytes / MiB:.0f} MB 上限；"
            "自评表不应这么大，请删除无关的工作表和图片后重新保存。",
            f"the file is {size / MiB:.1f} MB, over the {limits.max_file_bytes / MiB:.0f} MB "
            "limit; a self-assessment form should be far smaller, so delete unrelated sheets "
            "and pictures and save it again.",
        )
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
            if head.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC, SPANNED_ZIP_MAGIC)):
                return _check_zip(path, handle, size, limits)
    except OSError as exc:
        raise _unreadable(path, exc) from None
    if head.startswith(OLE_MAGIC):
        return _check_ole(path)
    return _check_other(path, head)


def _is_lock_file(name: str) -> bool:
    # Excel and WPS write ``~$name.xlsx``; LibreOffice writes ``.~lock.name.xlsx#``.
    return name.startswith("~$") or (name.startswith(".~lock.") and name.endswith("#"))


def _unreadable(path: Path, exc: OSError) -> ChecklistError:
    return file_error(
        path,
        ErrorCode.unreadable,
        f"无法读取该文件（{exc.strerror or exc}）；请检查文件权限，或先关闭正在使用它的程序。",
        f"the file cannot be read ({exc.strerror or exc}); check its permissions or close "
        "the program that is using it.",
    )


# --- zip containers (xlsx, xlsm, ods, et, and things renamed to them) ---------------------


class ZipMember(NamedTuple):
    """One entry of a zip central directory, as declared (nothing decompressed)."""

    name: str
    """Member name as stored."""
    flags: int
    """General-purpose flag bits (bit 0: encrypted)."""
    method: int
    """Compression method (0 stored, 8 deflate)."""
    packed: int
    """Declared compressed size."""
    size: int
    """Declared uncompressed size."""


def _tail(handle: BinaryIO, size: int) -> tuple[bytes, int]:
    """The last bytes of the file (where the central directory lives) and their offset."""
    tail_size = min(size, _EOCD_SEARCH)
    handle.seek(size - tail_size)
    return handle.read(tail_size), size - tail_size


def read_central_directory(
    path: Path, handle: BinaryIO, size: int, limits: Limits
) -> list[ZipMember]:
    """The members a zip declares, read from its central directory alone.

    zipfile builds a heavy object per entry and would spend seconds and
    hundreds of MB on a crafted directory of a million empty entries; the end
    record says how many there are in 22 bytes, so the count is checked first.
    Parsing the directory with struct is also three times cheaper than
    zipfile for a normal workbook.
    """
    tail, tail_offset = _tail(handle, size)
    at = tail.rfind(_EOCD)
    if at < 0 or at + _EOCD_SIZE > len(tail):
        raise damaged(path)
    entries, cd_size, cd_offset = struct.unpack_from("<HII", tail, at + 10)
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF or cd_offset == 0xFFFFFFFF:
        entries, cd_size, cd_offset = _zip64_end(path, handle, tail_offset + at)
    if entries > limits.max_members:
        raise _too_many_parts(path, entries, limits)
    eocd_offset = tail_offset + at
    if cd_size > eocd_offset:
        raise damaged(path)
    # Data prepended to the zip (self-extractors) shifts every offset; the
    # directory always ends where the end record starts.
    cd_start = eocd_offset - cd_size
    if cd_start >= tail_offset:
        directory = tail[cd_start - tail_offset : at]
    else:
        handle.seek(cd_start)
        directory = handle.read(cd_size)
    return _parse_directory(path, directory, entries)


def _zip64_end(path: Path, handle: BinaryIO, eocd_offset: int) -> tuple[int, int, int]:
    if eocd_offset < 20:
        raise damaged(path)
    handle.seek(eocd_offset - 20)
    locator = handle.read(20)
    if not locator.startswith(_ZIP64_LOCATOR):
        raise damaged(path)
    (record_offset,) = struct.unpack_from("<Q", locator, 8)
    handle.seek(record_offset)
    record = handle.read(56)
    if len(record) < 56 or not record.startswith(_ZIP64_EOCD):
        raise damaged(path)
    entries, cd_size, cd_offset = struct.unpack_from("<QQQ", record, 32)
    return int(entries), int(cd_size), int(cd_offset)


_CD_ENTRY = struct.Struct("<4s4xHH8xIIHHH12x")


def _parse_directory(path: Path, directory: bytes, entries: int) -> list[ZipMember]:
    members: list[ZipMember] = []
    pos = 0
    for _ in range(entries):
        if pos + _CD_ENTRY.size > len(directory):
            raise damaged(path)
        signature, flags, method, packed, size, name_len, extra_len, comment_len = (
            _CD_ENTRY.unpack_from(directory, pos)
        )
        if signature != b"PK\x01\x02":
            raise damaged(path)
        pos += _CD_ENTRY.size
        raw_name = directory[pos : pos + name_len]
        extra = directory[pos + name_len : pos + name_len + extra_len]
        pos += name_len + extra_len + comment_len
        if pos > len(directory):
            raise damaged(path)
        if packed == 0xFFFFFFFF or size == 0xFFFFFFFF:
            size, packed = _zip64_sizes(extra, size, packed)
        name = raw_name.decode("utf-8" if flags & 0x800 else "cp437", "replace")
        members.append(ZipMember(name, flags, method, packed, size))
    return members


def _zip64_sizes(extra: bytes, size: int, packed: int) -> tuple[int, int]:
    """Real sizes from the zip64 extra field (only the fields saturated in the header)."""
    pos = 0
    while pos + 4 <= len(extra):
        tag, length = struct.unpack_from("<HH", extra, pos)
        if tag == 0x0001:
            values = extra[pos + 4 : pos + 4 + length]
            cursor = 0
            if size == 0xFFFFFFFF and cursor + 8 <= len(values):
                (size,) = struct.unpack_from("<Q", values, cursor)
                cursor += 8
            if packed == 0xFFFFFFFF and cursor + 8 <= len(values):
                (packed,) = struct.unpack_from("<Q", values, cursor)
            break
        pos += 4 + length
    return size, packed


def _too_many_parts(path: Path, count: int, limits: Limits) -> ChecklistError:
    return file_error(
        path,
        ErrorCode.too_many_parts,
        f"文件内部包含 {count:,} 个部件，超过 {limits.max_members:,} 个上限，已拒绝读取；"
        "请用 Excel/WPS 另存为新的 .xlsx。",
        f"it holds {count:,} internal parts, over the limit of {limits.max_members:,}, and "
        "was refused; save it again as a new .xlsx in Excel/WPS.",
    )


def _check_zip(path: Path, handle: BinaryIO, size: int, limits: Limits) -> FileKind:
    members = read_central_directory(path, handle, size, limits)
    if not members:
        raise file_error(
            path,
            ErrorCode.empty,
            "是一个空的压缩包，里面没有工作簿内容，可能保存没有完成；请重新获取该文件。",
            "it is an empty zip container with no workbook inside, perhaps an unfinished "
            "save; get the file again.",
        )
    kind = _zip_kind(path, handle, members)
    _check_sizes(path, members, limits)
    return kind


def _zip_kind(path: Path, handle: BinaryIO, members: list[ZipMember]) -> FileKind:
    names = {member.name.lower() for member in members}
    is_ooxml = "xl/workbook.xml" in names
    is_ods = "content.xml" in names and "mimetype" in names
    if "xl/workbook.bin" in names:
        raise file_error(
            path,
            ErrorCode.xlsb,
            "是 Excel 二进制工作簿（.xlsb），本工具不读取这种格式；请用 Excel 打开后另存为 .xlsx。",
            "it is an Excel binary workbook (.xlsb), which this tool does not read; open it in "
            "Excel and save it as .xlsx.",
        )
    if is_ooxml and is_ods:
        # No real writer produces both; a hybrid could steer the parser past our checks.
        raise damaged(path)
    if is_ooxml:
        if "[content_types].xml" not in names:
            raise damaged(path)
        return FileKind.xlsx
    if "mimetype" in names:
        mimetype = _read_mimetype(path, handle, members)
        if mimetype in _ODS_MIMETYPES and "content.xml" in names:
            return FileKind.ods
        if mimetype.startswith("application/vnd.oasis.opendocument.text"):
            raise not_workbook(
                path, " OpenDocument 文字文档（.odt）", "an OpenDocument text (.odt)"
            )
        if mimetype.startswith("application/vnd.oasis.opendocument"):
            raise not_workbook(path, " OpenDocument 文档", "an OpenDocument file")
        if mimetype.startswith("application/epub"):
            raise not_workbook(path, "电子书（EPUB）", "an e-book (EPUB)")
    if any(name.startswith("word/") for name in names):
        raise _other_office(path, " Word 文档", "a Word document", (".docx", ".docm", ".dotx"))
    if any(name.startswith("ppt/") for name in names):
        raise _other_office(
            path, " PowerPoint 演示文稿", "a PowerPoint file", (".pptx", ".pptm", ".ppsx")
        )
    if any(name.startswith("index/") and name.endswith(".iwa") for name in names):
        raise not_workbook(path, "苹果 Numbers 表格", "an Apple Numbers document")
    if any(name.endswith((".xlsx", ".xls", ".et", ".csv", ".ods")) for name in names):
        raise not_workbook(
            path,
            "一个装有表格文件的压缩包；请先解压，再提交其中的表格",
            "a zip archive holding spreadsheet files; extract it and submit the spreadsheet",
        )
    if any(name.startswith("xl/") for name in names):
        # xl/ parts without xl/workbook.xml: a workbook with its main part missing.
        raise damaged(path)
    raise not_workbook(path, "普通压缩包（zip）", "a plain zip archive")


def _other_office(path: Path, what_zh: str, what_en: str, own: tuple[str, ...]) -> ChecklistError:
    """A Word or PowerPoint file: called renamed only when its name says it is something else."""
    suffix = path.suffix.lower()
    if suffix in own:
        return not_workbook(path, f"{what_zh}（{suffix}）", f"{what_en} ({suffix})")
    return not_workbook(
        path,
        f"{what_zh}（{own[0]}）被改了扩展名",
        f"{what_en} ({own[0]}) renamed to {suffix or '-'}",
    )


def _read_mimetype(path: Path, handle: BinaryIO, members: list[ZipMember]) -> str:
    # ODF stores "mimetype" first and uncompressed, so it can be read in place;
    # anything else is not a well-formed OpenDocument file anyway.
    member = next(m for m in members if m.name.lower() == "mimetype")
    if member.size > 200:
        return ""
    handle.seek(0)
    try:
        with zipfile.ZipFile(handle) as archive:
            return archive.read(member.name).decode("ascii", "replace").strip()
    except Exception:
        # zipfile raises many kinds of errors on a malformed container.
        raise damaged(path) from None


def _check_sizes(path: Path, members: list[ZipMember], limits: Limits) -> None:
    total = 0
    for member in members:
        if member.flags & 0x1:
            raise encrypted(path)
        declared, packed = member.size, member.packed
        total += declared
        if declared > limits.ratio_min_bytes and declared > limits.max_ratio * max(packed, 1):
            raise zip_bomb(
                path,
                f"部件 {member.name} 压缩比 {declared // max(packed, 1):,}:1，上限 {limits.max_ratio}:1",
                f"part {member.name} has a compression ratio of "
                f"{declared // max(packed, 1):,}:1, limit {limits.max_ratio}:1",
            )
        # Deflate never grows data by more than a few bytes per 16 KiB block, so
        # compressed data much larger than the declared size means the directory
        # lies about what it will expand to.
        if member.method != zipfile.ZIP_STORED and packed > declared + declared // 64 + 1024:
            raise zip_bomb(
                path,
                f"部件 {member.name} 声明的解压大小 {declared:,} 字节小于其压缩数据 {packed:,} 字节",
                f"part {member.name} declares {declared:,} bytes uncompressed but holds "
                f"{packed:,} bytes of compressed data",
            )
    if total > limits.max_uncompressed:
        raise zip_bomb(
            path,
            f"解压后共 {total / MiB:,.0f} MB，上限 {limits.max_uncompressed / MiB:,.0f} MB",
            f"{total / MiB:,.0f} MB uncompressed, limit {limits.max_uncompressed / MiB:,.0f} MB",
        )


# --- OLE containers (xls, et, encrypted OOXML, doc, ppt) ---------------------------------


def _check_ole(path: Path) -> FileKind:
    import olefile

    # olefile is pure Python and raises whatever a malformed sector chain
    # provokes (OSError, IndexError, struct.error, ...): all mean "damaged".
    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(entry).lower() for entry in ole.listdir()}
    except Exception:
        raise damaged(path) from None
    if "encryptioninfo" in streams or "encryptedpackage" in streams:
        raise encrypted(path)
    if "workbook" in streams or "book" in streams:
        return FileKind.xls
    if "worddocument" in streams:
        raise _other_office(path, " Word 文档", "a Word document", (".doc", ".dot", ".wps"))
    if "powerpoint document" in streams:
        raise _other_office(path, " PowerPoint 演示文稿", "a PowerPoint file", (".ppt", ".pps"))
    raise not_workbook(path, "其他 Office 文档", "another kind of Office document")


# --- everything else: text, web pages, other binaries ------------------------------------

_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF", " PDF 文件", "a PDF file"),
    (b"\x89PNG", "图片（PNG）", "a picture (PNG)"),
    (b"\xff\xd8\xff", "图片（JPEG）", "a picture (JPEG)"),
    (b"GIF8", "图片（GIF）", "a picture (GIF)"),
    (b"Rar!", " RAR 压缩包；请先解压", "a RAR archive; extract it first"),
    (b"7z\xbc\xaf\x27\x1c", " 7z 压缩包；请先解压", "a 7z archive; extract it first"),
    (b"\x1f\x8b", " gzip 压缩文件；请先解压", "a gzip file; extract it first"),
    (b"{\\rtf", " RTF 文档", "an RTF document"),
)

_HTML_MARKERS = ("<!doctype html", "<html", "<table", "<head", "<body", "<meta", "<style")


def _check_other(path: Path, head: bytes) -> FileKind:
    for magic, what_zh, what_en in _MAGIC:
        if head.startswith(magic):
            raise not_workbook(path, what_zh, what_en)
    text = _sniff_text(head)
    if text is None:
        raise not_workbook(path, "其他二进制文件", "some other binary file")
    start = text.lstrip("\ufeff \t\r\n").lower()
    if start.startswith(_HTML_MARKERS) or "<html" in start[:1024] or _is_mhtml(start):
        raise file_error(
            path,
            ErrorCode.html,
            "实际是网页（HTML）另存成的表格文件，不是真正的工作簿；请用 Excel/WPS 打开它，另存为 .xlsx 后再提交。",
            "it is a web page (HTML) saved with a spreadsheet name, not a real workbook; open it "
            "in Excel/WPS, save it as .xlsx and submit that.",
        )
    if start.startswith("<?xml") or start.startswith("<"):
        if "urn:schemas-microsoft-com:office:spreadsheet" in start or "excel.sheet" in start:
            raise file_error(
                path,
                ErrorCode.xml_spreadsheet,
                "是 Excel 2003 XML 表格格式，本工具不读取；请用 Excel/WPS 打开后另存为 .xlsx。",
                "it is an Excel 2003 XML spreadsheet, which this tool does not read; open it in "
                "Excel/WPS and save it as .xlsx.",
            )
        raise not_workbook(path, " XML 文本文件", "an XML text file")
    if path.suffix.lower() in _TEXT_SUFFIXES:
        return FileKind.csv
    if path.suffix.lower() == ".json" or start.lstrip().startswith(("{", "[")):
        raise file_error(
            path,
            ErrorCode.json,
            "是 JSON 文件（如 checklist score --json 的结果），不是单位的自评表；"
            "评分请给出 .xlsx 等工作簿，比较两份结果请用 checklist compare。",
            "it is a JSON file (such as a result from 'checklist score --json'), not a unit's "
            "form; score a workbook such as a .xlsx, and compare two results with 'checklist compare'.",
        )
    raise file_error(
        path,
        ErrorCode.not_workbook,
        f"是纯文本（CSV 等）文件，只是扩展名写成了 {path.suffix or '（无）'}；"
        "请把扩展名改为 .csv，或用 Excel/WPS 打开后另存为 .xlsx 再提交。",
        f"it is a plain-text (CSV-like) file with a {path.suffix or 'missing'} extension; rename "
        "it to .csv, or open it in Excel/WPS and save it as .xlsx.",
    )


def _sniff_text(head: bytes) -> str | None:
    """The start of ``head`` as text, or None when it looks binary."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", "ignore")
    if b"\x00" in head:
        return None
    for encoding in ("utf-8", "gb18030"):
        try:
            return head.decode(encoding)
        except UnicodeDecodeError as exc:
            # The 4 KiB sample may end inside a multi-byte character.
            if len(head) == 4096 and exc.start >= len(head) - 4:
                return head[: exc.start].decode(encoding)
            continue
    # Mostly printable bytes in some other encoding still count as text.
    printable = sum(1 for byte in head if byte >= 0x20 or byte in b"\t\r\n")
    return head.decode("latin-1") if printable >= 0.95 * len(head) else None


def _is_mhtml(start: str) -> bool:
    # "Single file web page" exports (.mht) saved as .xls by some systems.
    return start.startswith("mime-version:") and "multipart/related" in start[:2048]


def check_archive(path: Path, limits: Limits = Limits()) -> None:
    """Refuse a ``.zip`` of submissions that is damaged, encrypted or a bomb, before unpacking.

    The same directory checks as a workbook's, with the caller's limits (an
    archive of a town's forms holds more parts and bytes than one workbook).
    """
    try:
        size = os.stat(path).st_size
        with open(path, "rb") as handle:
            members = read_central_directory(path, handle, size, limits)
    except OSError as exc:
        raise _unreadable(path, exc) from None
    _check_sizes(path, members, limits)


# --- the mark of a workbook checklist wrote (see checklist.origin) -------------------------

_MARK_PART_LIMIT = 256 * 1024
"""Most bytes of docProps/custom.xml or meta.xml read for the mark (they hold a few hundred)."""
# <property name="checklist" ...><vt:lpwstr>compare</vt:lpwstr></property> (Excel, WPS, LibreOffice)
_OOXML_MARK = lazy_compile(
    rb'<(?:\w+:)?property\b[^>]*\bname="' + PROPERTY.encode() + rb'"[^>]*>\s*'
    rb"<(?:\w+:)?lpwstr>([^<]{1,40})</"
)
# <meta:user-defined meta:name="checklist" ...>compare</meta:user-defined> (OpenDocument)
_ODF_MARK = lazy_compile(
    rb'<meta:user-defined\b[^>]*\bmeta:name="' + PROPERTY.encode() + rb'"[^>]*>([^<]{1,40})</'
)


def made_by(path: Path) -> Made | None:
    """What checklist wrote ``path`` as, from the mark it keeps through saves; None for
    any other file (and for one that cannot be read: the readers say why).

    Call it after :func:`preflight` accepted the file; only one small part is
    decompressed.
    """
    for part, pattern in (("docProps/custom.xml", _OOXML_MARK), ("meta.xml", _ODF_MARK)):
        try:
            with zipfile.ZipFile(path) as archive:
                info = archive.getinfo(part)
                if info.file_size > _MARK_PART_LIMIT:
                    return None
                found = pattern.search(archive.read(info))
        except KeyError:
            continue
        except (OSError, zipfile.BadZipFile, RuntimeError, ValueError, EOFError):
            return None
        return parse_mark(found.group(1).decode("utf-8", "replace")) if found else None
    return None
