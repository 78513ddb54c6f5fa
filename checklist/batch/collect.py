"""Collect a season's submissions from folders, files and .zip archives.

Units send their forms through WeChat, e-mail and USB sticks, so a season's
folder also holds lock files, hidden files, reports and templates checklist
wrote, Word documents and scans, and archives from whole towns. Everything
that is not a submission is listed with its reason instead of being read;
what is read still goes through the single-file preflight guards in the
worker, so a Word document renamed ``.xlsx`` fails there with its own reason.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from checklist.batch.model import Skipped, SkipReason, Submission
from checklist.codes import ErrorCode
from checklist.errors import ChecklistError
from checklist.origin import Made
from checklist.output import written_by_checklist
from checklist.preflight import Limits, check_archive, made_by
from checklist.records import record
from checklist.text import Text

SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods", ".et", ".csv"})
"""What intake reads; anything else a unit sends is listed, not read."""
ARCHIVE_SUFFIXES = frozenset({".zip"})

ARCHIVE_LIMITS = Limits(max_members=5000, max_uncompressed=2 * 1024**3)
"""A town's archive holds many forms: more members and bytes than one workbook may."""


@record
class Collected:
    """Every file found, split into what will be read and what was skipped."""

    submissions: tuple[Submission, ...]
    """Files to read, in a stable order."""
    skipped: tuple[Skipped, ...]
    """Files listed with the reason they were not read."""


def collect(paths: tuple[Path, ...], scratch: Path) -> Collected:
    """Walk ``paths`` (folders recursively, files, .zip archives) for submissions.

    Archives are unpacked into ``scratch`` after their directory has passed the
    same bomb checks as a workbook. A missing PATH is a usage error.
    """
    submissions: list[Submission] = []
    skipped: list[Skipped] = []
    for number, root in enumerate(paths):
        if not root.exists():
            raise ChecklistError(
                Text(
                    f"找不到 {root}。请给出报送材料所在的文件夹、文件或 .zip 压缩包。",
                    f"{root} was not found. Give the folder, files or .zip archive of the submissions.",
                ),
                code=ErrorCode.missing,
            )
        if root.is_dir():
            found = _walk(root, root.name or str(root))
        else:
            found = iter([(root, root.name, ())])
        for path, shown, folders in found:
            _sort(path, shown, folders, scratch / str(number), submissions, skipped)
    return Collected(tuple(submissions), tuple(skipped))


def _walk(root: Path, label: str) -> Iterator[tuple[Path, str, tuple[str, ...]]]:
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        here = Path(folder)
        relative = here.relative_to(root).parts
        for name in sorted(files):
            yield here / name, "/".join((label, *relative, name)), (root.name, *relative)


def _sort(
    path: Path,
    shown: str,
    folders: tuple[str, ...],
    scratch: Path,
    submissions: list[Submission],
    skipped: list[Skipped],
) -> None:
    reason = skip_reason(path.name, folders)
    if reason is not None:
        skipped.append(Skipped(shown, reason))
        return
    suffix = path.suffix.lower()
    if suffix in ARCHIVE_SUFFIXES:
        _unpack(
            path,
            shown,
            folders,
            scratch / f"{len(submissions)}-{len(skipped)}",
            submissions,
            skipped,
        )
        return
    if suffix not in SPREADSHEET_SUFFIXES:
        skipped.append(Skipped(shown, SkipReason.not_spreadsheet))
        return
    # A report, a comparison or a roll-up of ours, even one opened and saved since.
    made = made_by(path) if path.suffix.lower() in (".xlsx", ".xlsm", ".ods") else None
    if written_by_checklist(path) or blank_template(path) or made not in (None, Made.template):
        skipped.append(Skipped(shown, SkipReason.ours))
        return
    try:
        mtime = path.stat().st_mtime
    except OSError:
        mtime = 0.0
    submissions.append(Submission(path, shown, folders, mtime))


_TEMPLATE_MARK = b"<dc:creator>checklist</dc:creator>"
_PINNED_MODIFIED = b'<dcterms:modified xsi:type="dcterms:W3CDTF">2024-01-01T00:00:00Z'


def blank_template(path: Path) -> bool:
    """Whether ``path`` is a template checklist wrote that nobody has saved since.

    Excel, WPS and LibreOffice all stamp a new modification time when they save,
    so a unit's filled-in form made from the template never passes.
    """
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return False
    try:
        with zipfile.ZipFile(path) as book:
            info = book.getinfo("docProps/core.xml")
            if info.file_size > 64_000:
                return False
            core = book.read(info)
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError):
        return False
    return _TEMPLATE_MARK in core and _PINNED_MODIFIED in core and b"lastModifiedBy" not in core


def skip_reason(name: str, folders: tuple[str, ...]) -> SkipReason | None:
    """Why a file of this name, under these folders, is no submission (None: it may be)."""
    if name.startswith("~$") or (name.startswith(".~lock.") and name.endswith("#")):
        return SkipReason.lock
    # macOS leaves ._name copies and __MACOSX folders in archives; neither is a form.
    if name.startswith(".") or any(f.startswith(".") or f == "__MACOSX" for f in folders):
        return SkipReason.hidden
    if name.lower() == "desktop.ini" or name == "Thumbs.db":
        return SkipReason.hidden
    return None


def _member_name(info: zipfile.ZipInfo) -> str:
    # Windows archivers store names in the local code page without the UTF-8
    # flag; zipfile then decodes them as cp437.
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _unpack(
    archive: Path,
    shown: str,
    folders: tuple[str, ...],
    scratch: Path,
    submissions: list[Submission],
    skipped: list[Skipped],
) -> None:
    try:
        check_archive(archive, ARCHIVE_LIMITS)
        with zipfile.ZipFile(archive) as book:
            members = [info for info in book.infolist() if not info.is_dir()]
            scratch.mkdir(parents=True, exist_ok=True)
            for index, info in enumerate(members):
                name = PurePosixPath(_member_name(info).replace("\\", "/"))
                parts = tuple(p for p in name.parts if p not in ("", ".", ".."))
                if not parts:
                    continue
                inner_folders = (*folders, archive.stem, *parts[:-1])
                inner_shown = "/".join((shown, *parts))
                reason = skip_reason(parts[-1], inner_folders)
                suffix = PurePosixPath(parts[-1]).suffix.lower()
                if reason is None and suffix not in SPREADSHEET_SUFFIXES:
                    # An archive inside an archive is not opened: one level is what towns send.
                    reason = SkipReason.not_spreadsheet
                if reason is not None:
                    skipped.append(Skipped(inner_shown, reason))
                    continue
                # A numbered folder per member keeps the unit's own file name (evidence of
                # who it is) without trusting the archive's paths.
                target = scratch / str(index) / parts[-1]
                target.parent.mkdir(parents=True)
                with book.open(info) as source, open(target, "wb") as out:
                    shutil.copyfileobj(source, out, 1024 * 1024)
                if written_by_checklist(target) or blank_template(target):
                    skipped.append(Skipped(inner_shown, SkipReason.ours))
                    continue
                mtime = _zip_time(info)
                submissions.append(Submission(target, inner_shown, inner_folders, mtime))
    except ChecklistError as error:
        skipped.append(Skipped(shown, SkipReason.archive, error.message))
    except (OSError, zipfile.BadZipFile, RuntimeError, EOFError) as exc:
        skipped.append(Skipped(shown, SkipReason.archive, Text(str(exc), str(exc))))


def _zip_time(info: zipfile.ZipInfo) -> float:
    import datetime as dt

    try:
        return dt.datetime(*info.date_time).timestamp()
    except (ValueError, OverflowError):
        return 0.0
