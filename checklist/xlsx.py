"""Saving openpyxl workbooks so that the same content gives the same bytes.

openpyxl stamps ``docProps/core.xml`` with the current time and zipfile stamps
every member with the clock (or a temporary file's mtime), so two saves of one
workbook differ. Generated workbooks are compared and committed (``make
demo``), so both are pinned here, in one pass (no re-zipping). openpyxl itself
is imported only when :func:`save_workbook` runs.

The reports are written with xlsxwriter through :mod:`checklist.report.kit`,
which stamps the same :data:`FIXED_TIME` (xlsxwriter pins zip times itself when
it builds the file in memory); this module is for the openpyxl writers.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl import Workbook

FIXED_TIME = dt.datetime(2024, 1, 1)
"""The created/modified time written into every workbook (naive, read as UTC)."""

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # earliest time a zip entry can carry, as Excel writes


class _PinnedZip(zipfile.ZipFile):
    """A ZipFile whose members all carry one timestamp and fixed attributes."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True)

    def writestr(  # type: ignore[override]
        self,
        zinfo_or_arcname: str | zipfile.ZipInfo,
        data: bytes | str,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        name = (
            zinfo_or_arcname.filename
            if isinstance(zinfo_or_arcname, zipfile.ZipInfo)
            else zinfo_or_arcname
        )
        info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        super().writestr(info, data, compress_type, compresslevel)

    def write(  # type: ignore[override]
        self,
        filename: str | Path,
        arcname: str | None = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        # openpyxl writes each worksheet to a temporary file and adds it with
        # write(), which would copy the temporary file's mtime.
        name = arcname if arcname is not None else Path(filename).name
        self.writestr(name, Path(filename).read_bytes(), compress_type, compresslevel)


def save_workbook(workbook: Workbook, path: Path, when: dt.datetime = FIXED_TIME) -> None:
    """Write ``workbook`` to ``path`` with fixed document and zip timestamps.

    Two calls on equal workbooks produce byte-identical files. Callers that
    write user-facing outputs pass a temporary path from
    :func:`checklist.output.write_atomically`.
    """
    from openpyxl.writer.excel import ExcelWriter

    # ExcelWriter rather than Workbook.save: save() resets ``modified`` to now.
    workbook.properties.created = when
    workbook.properties.modified = when
    archive = _PinnedZip(Path(path))
    try:
        ExcelWriter(workbook, archive).save()  # closes the archive
    finally:
        archive.close()
