"""Writing output files safely.

Every file checklist writes goes to a temporary file in the target folder and
is then moved into place with ``os.replace``, so an interrupted run never
leaves a half-written report, and no output may land on one of the inputs.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
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


def write_atomically(
    target: Path,
    write: Callable[[Path], None],
    inputs: Iterable[Path] = (),
) -> Path:
    """Call ``write(temp_path)`` and move the result to ``target``; refuse to overwrite inputs."""
    target = Path(target)
    refuse_inputs(target, inputs)
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
