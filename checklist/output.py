"""Writing output files safely.

Every file checklist writes goes to a temporary file in the target folder and
is then moved into place with ``os.replace``, so an interrupted run never
leaves a half-written report, and no output may land on one of the inputs.
"""

from __future__ import annotations

import contextlib
import os
import stat
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from checklist.codes import ErrorCode
from checklist.errors import ChecklistError
from checklist.patterns import lazy_compile
from checklist.text import Text


def same_file(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` are one file (the same path, or linked)."""
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def refuse_inputs(target: Path, inputs: Iterable[Path]) -> None:
    """Raise when ``target`` is one of ``inputs`` (also through links)."""
    refuse_any_input((target,), inputs)


def refuse_any_input(targets: Iterable[Path], inputs: Iterable[Path]) -> None:
    """Raise for the first of ``targets`` that is one of ``inputs`` (also through links).

    Each path is looked up once, so a county's thousand reports are checked
    against its thousand forms in linear time, not once per pair (see
    :func:`same_file`, which this agrees with).
    """
    resolved: set[Path] = set()
    files: set[tuple[int, int]] = set()
    for source in inputs:
        with contextlib.suppress(OSError):
            resolved.add(Path(source).resolve())
            if Path(source).exists():
                status = Path(source).stat()
                files.add((status.st_dev, status.st_ino))
    for target in map(Path, targets):
        try:
            clash = target.resolve() in resolved
            if not clash and target.exists():
                status = target.stat()
                clash = (status.st_dev, status.st_ino) in files
        except OSError:
            clash = False
        if clash:
            raise ChecklistError(
                Text(
                    f"输出文件 {target} 与输入文件相同，不能覆盖输入。请用 -o 指定另一个文件名。",
                    f"The output {target} is the input file; checklist never overwrites an input. "
                    "Choose another name with -o.",
                ),
                code=ErrorCode.output_is_input,
            )


_OUR_XLSX_MARK = b"<cp:lastModifiedBy>checklist</cp:lastModifiedBy>"


def written_by_checklist(path: Path) -> bool:
    """Whether ``path`` is a report checklist wrote (and nobody has saved since).

    Excel and WPS put the user's name in lastModifiedBy when they save, so a
    unit's form — even one made from our template — never passes.
    """
    # Imported here: the CLI imports this module at every start, --help included.
    import json
    import zipfile

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
            code=ErrorCode.output_exists,
        )


def refuse_special(target: Path) -> None:
    """Raise when ``target`` is a pipe, a device or a socket: replacing one would break it."""
    try:
        mode = target.stat().st_mode
    except OSError:
        return
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise ChecklistError(
            Text(
                f"无法写入 {target}：它不是普通文件（可能是设备或管道）。请用 -o 指定一个普通文件名。",
                f"Cannot write {target}: it is not a regular file (a device or a pipe). "
                "Give an ordinary file name with -o.",
            ),
            code=ErrorCode.output_not_regular,
        )


TEMP_SUFFIX = ".tmp"
"""Ends every temporary file ``write_atomically`` makes (``.<name>.<pid>.<random>.tmp``)."""

# mkstemp's random part is eight characters of [a-z0-9_]; the pid came in with
# the cleanup, so names without one are from older versions.
_OUR_TEMP = lazy_compile(r"^\..+?\.(?:(\d+)\.)?[a-z0-9_]{8}\.tmp$")

STALE_AFTER = 24 * 3600
"""Seconds after which a temporary file is taken as left behind whatever its pid says:
the pid may have been reused, or the writer ran on another machine sharing the folder."""


def remove_stale_temp_files(folder: Path, *, now: float | None = None) -> tuple[Path, ...]:
    """Delete temporary files a killed run of checklist left in ``folder``; return them.

    A run killed by SIGKILL (or a power cut) cannot clean up after itself, so the
    next run in the same folder does: a file of our naming whose writing process
    is gone, or that is older than :data:`STALE_AFTER`, is removed. A file that
    another running checklist is still writing is left alone.
    """
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return ()
    for entry in entries:
        found = _OUR_TEMP.match(entry.name)
        if not found:
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode):
            continue
        old = now - info.st_mtime > STALE_AFTER
        pid = found.group(1)
        # A minute's grace: the pid may belong to a run on another machine sharing the folder.
        orphaned = bool(pid) and now - info.st_mtime > 60 and not _alive(int(pid))
        if old or orphaned:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return tuple(removed)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":
        # os.kill on Windows terminates the process whatever the signal: never probe there.
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        # Another user's process (or a pid this system cannot hold): not ours to judge.
        return True
    return True


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
            code=ErrorCode.output_folder_missing,
        )
    if target.is_dir():
        raise ChecklistError(
            Text(
                f"无法写入 {target}：这是一个文件夹。请给出文件名。",
                f"Cannot write {target}: it is a folder. Give a file name.",
            ),
            code=ErrorCode.output_is_folder,
        )
    refuse_special(target)
    remove_stale_temp_files(folder)
    import tempfile  # not at start-up: see written_by_checklist

    try:
        handle, temp_name = tempfile.mkstemp(
            prefix=f".{target.name}.{os.getpid()}.", suffix=TEMP_SUFFIX, dir=folder
        )
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
        code=ErrorCode.output_unwritable,
    )


def exit_cleanly_on_terminate() -> None:
    """Turn SIGTERM into a normal exit, so a write under way removes its temporary file.

    SIGKILL cannot be caught; what it leaves behind is removed by the next run in
    that folder (:func:`remove_stale_temp_files`).
    """
    import signal

    def terminate(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminate)


REPORT_SUFFIXES = (".xlsx", ".json")
"""What ``-o`` may name: a workbook, or the same content as JSON."""


def require_suffix(target: Path, allowed: tuple[str, ...] = REPORT_SUFFIXES) -> None:
    """Raise when ``target`` does not end in one of ``allowed`` (any case).

    Refused before anything is read or written: ``-o report.docx`` would
    otherwise get workbook bytes under a name no program opens them by.
    """
    if Path(target).suffix.lower() in allowed:
        return
    names = " / ".join(allowed)
    raise ChecklistError(
        Text(
            f"-o {target}：输出文件名须以 {names} 结尾。",
            f"-o {target}: the output file name must end in {names}.",
        ),
        code=ErrorCode.output_suffix,
    )


def write_json_file(target: Path, data: object, inputs: Iterable[Path] = ()) -> Path:
    """Write ``data`` as UTF-8 JSON to ``target`` atomically (see :func:`write_atomically`)."""
    import json  # not at start-up: --help never needs it

    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"

    def write(temp: Path) -> None:
        temp.write_text(text, encoding="utf-8")

    return write_atomically(Path(target), write, inputs)
