"""Writing output files safely.

Every file checklist writes goes to a temporary file in the target folder and
is then moved into place with ``os.replace``, so an interrupted run never
leaves a half-written report, and no output may land on one of the inputs.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

from checklist.errors import ChecklistError
from checklist.text import Text


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def refuse_inputs(target: Path, inputs: Iterable[Path]) -> None:
    """Raise when ``target`` is one of ``inputs`` (also through links)."""
    target = Path(target)
    for source in inputs:
        if _same_file(target, Path(source)):
            raise ChecklistError(
                Text(
                    f"输出文件 {target} 与输入文件相同，不能覆盖输入。请用 -o 指定另一个文件名。",
                    f"The output {target} is the input file; checklist never overwrites an input. "
                    "Choose another name with -o.",
                ),
                code="output_is_input",
            )


_OUR_XLSX_MARK = b"<cp:lastModifiedBy>checklist</cp:lastModifiedBy>"


def written_by_checklist(path: Path) -> bool:
    """Whether ``path`` is a report checklist wrote (and nobody has saved since).

    Excel and WPS put the user's name in lastModifiedBy when they save, so a
    unit's form — even one made from our template — never passes.
    """
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            with zipfile.ZipFile(path) as book:
                info = book.getinfo("docProps/core.xml")
                return info.file_size < 64_000 and _OUR_XLSX_MARK in book.read(info)
        if path.suffix.lower() == ".json" and path.stat().st_size < 50_000_000:
            data = json.loads(path.read_text(encoding="utf-8"))
            return isinstance(data, dict) and {"pack", "unit"} <= set(data)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return False
    return False


def refuse_foreign(target: Path) -> None:
    """Raise when ``target`` exists and is not a report checklist wrote."""
    if target.is_file() and not written_by_checklist(target):
        raise ChecklistError(
            Text(
                f"{target} 已存在且不是 checklist 生成的报告（可能是单位报来的表格），未覆盖。"
                "请用 -o 换一个文件名，或先移走该文件。",
                f"{target} already exists and is not a report checklist wrote (it may be a "
                "unit's form); it was not overwritten. Choose another name with -o or move it.",
            ),
            code="output_exists",
        )


def write_atomically(
    target: Path,
    write: Callable[[Path], None],
    inputs: Iterable[Path] = (),
    *,
    replace_any: bool = False,
) -> Path:
    """Call ``write(temp_path)`` and move the result to ``target``.

    Inputs are never overwritten, and nor is any other existing file that
    checklist did not write, unless ``replace_any`` (the user said --force).
    """
    target = Path(target)
    refuse_inputs(target, inputs)
    if not replace_any:
        refuse_foreign(target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ChecklistError(
            Text(
                f"无法写入 {target}：文件夹 {folder} 不存在。请先创建该文件夹或换一个位置。",
                f"Cannot write {target}: the folder {folder} does not exist. "
                "Create it or choose another place.",
            ),
            code="output_folder_missing",
        )
    if target.is_dir():
        raise ChecklistError(
            Text(
                f"无法写入 {target}：这是一个文件夹。请给出文件名。",
                f"Cannot write {target}: it is a folder. Give a file name.",
            ),
            code="output_is_folder",
        )
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise _unwritable(target, exc) from None
    os.close(handle)
    temp = Path(temp_name)
    try:
        write(temp)
        # mkstemp creates the file readable by its owner only; give the report the
        # permissions any new file in that folder would get.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, target)
    except OSError as exc:
        raise _unwritable(target, exc) from None
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
    return target


def _unwritable(target: Path, exc: OSError) -> ChecklistError:
    return ChecklistError(
        Text(
            f"无法写入 {target}（{exc.strerror or exc}）。如该文件已在 Excel/WPS 中打开，请先关闭；"
            "或检查文件夹是否可写，或用 -o 换一个位置。",
            f"Cannot write {target} ({exc.strerror or exc}). If it is open in Excel or WPS, "
            "close it; otherwise check the folder is writable or choose another place with -o.",
        ),
        code="output_unwritable",
    )
