"""Atomic output writing: interrupted writes leave nothing behind, inputs are never overwritten."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from checklist.errors import ChecklistError
from checklist.output import write_atomically

REPORT = b"PK\x03\x04" + bytes(range(256)) * 40


def _write_report(path: Path) -> None:
    path.write_bytes(REPORT)


def _killed_midway(path: Path) -> None:
    """A writer that dies after writing half the report (a crash, Ctrl-C, a full disk)."""
    with path.open("wb") as out:
        out.write(REPORT[: len(REPORT) // 2])
        out.flush()
        raise RuntimeError("killed midway")


def _entries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_write_lands_at_target_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "报告.xlsx"
    assert write_atomically(target, _write_report) == target
    assert target.read_bytes() == REPORT
    assert _entries(tmp_path) == ["报告.xlsx"]


def test_write_killed_midway_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "报告.xlsx"
    with pytest.raises(RuntimeError, match="killed midway"):
        write_atomically(target, _killed_midway)
    assert not target.exists()
    assert _entries(tmp_path) == []


def test_write_killed_midway_keeps_the_previous_report(tmp_path: Path) -> None:
    target = tmp_path / "报告.xlsx"
    target.write_bytes(b"last year's report")
    with pytest.raises(RuntimeError):
        write_atomically(target, _killed_midway, replace_any=True)
    assert target.read_bytes() == b"last year's report"
    assert _entries(tmp_path) == ["报告.xlsx"]


def test_writer_os_error_is_a_clear_message_and_leaves_no_temp(tmp_path: Path) -> None:
    def disk_full(path: Path) -> None:
        path.write_bytes(REPORT[:100])
        raise OSError(28, "No space left on device")

    target = tmp_path / "报告.xlsx"
    with pytest.raises(ChecklistError) as caught:
        write_atomically(target, disk_full)
    assert caught.value.code == "output_unwritable"
    assert "No space left on device" in caught.value.message.en
    assert _entries(tmp_path) == []


def test_output_equal_to_an_input_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "东林村.xlsx"
    source.write_bytes(b"the unit's own file")
    for target in (source, tmp_path / "." / "东林村.xlsx"):
        with pytest.raises(ChecklistError) as caught:
            write_atomically(target, _write_report, inputs=[source])
        assert caught.value.code == "output_is_input"
        assert "-o" in caught.value.message.zh
    assert source.read_bytes() == b"the unit's own file"
    assert _entries(tmp_path) == ["东林村.xlsx"]


def test_output_reaching_an_input_through_a_link_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "东林村.xlsx"
    source.write_bytes(b"the unit's own file")
    hard = tmp_path / "alias.xlsx"
    os.link(source, hard)
    soft = tmp_path / "shortcut.xlsx"
    soft.symlink_to(source)
    for target in (hard, soft):
        with pytest.raises(ChecklistError) as caught:
            write_atomically(target, _write_report, inputs=[source])
        assert caught.value.code == "output_is_input"
    assert source.read_bytes() == b"the unit's own file"


def test_relative_target_is_compared_with_absolute_inputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "东林村.xlsx"
    source.write_bytes(b"x")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ChecklistError) as caught:
        write_atomically(Path("东林村.xlsx"), _write_report, inputs=[source])
    assert caught.value.code == "output_is_input"


def test_unwritable_folder_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Root ignores directory permissions, so the refusal mkstemp meets in a
    # read-only folder is simulated; without root the real chmod case runs too.
    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    target = tmp_path / "报告.xlsx"
    with monkeypatch.context() as patch:
        patch.setattr("tempfile.mkstemp", refuse)
        with pytest.raises(ChecklistError) as caught:
            write_atomically(target, _write_report)
    assert caught.value.code == "output_unwritable"
    assert "Permission denied" in caught.value.message.en
    assert "-o" in caught.value.message.zh
    assert "\n" not in caught.value.message.zh + caught.value.message.en
    assert not target.exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into read-only folders")
def test_read_only_folder_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(ChecklistError) as caught:
            write_atomically(folder / "报告.xlsx", _write_report)
        assert caught.value.code == "output_unwritable"
    finally:
        folder.chmod(0o755)


def test_target_open_in_excel_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Windows a report open in Excel cannot be replaced: os.replace raises PermissionError."""

    def locked(*_paths: object) -> None:
        raise PermissionError(13, "The process cannot access the file")

    target = tmp_path / "报告.xlsx"
    target.write_bytes(b"open in Excel")
    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(ChecklistError) as caught:
        write_atomically(target, _write_report, replace_any=True)
    assert caught.value.code == "output_unwritable"
    assert "Excel" in caught.value.message.en
    assert target.read_bytes() == b"open in Excel"
    assert _entries(tmp_path) == ["报告.xlsx"]


def test_target_that_is_a_folder_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "reports"
    target.mkdir()
    with pytest.raises(ChecklistError) as caught:
        write_atomically(target, _write_report)
    assert caught.value.code == "output_is_folder"
    assert _entries(target) == []


def test_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ChecklistError) as caught:
        write_atomically(tmp_path / "no-such-folder" / "报告.xlsx", _write_report)
    assert caught.value.code == "output_folder_missing"
    assert _entries(tmp_path) == []


def test_a_file_checklist_did_not_write_is_not_overwritten(tmp_path: Path) -> None:
    form = tmp_path / "西园社区-2024-自评.xlsx"
    form.write_bytes(b"a unit's filled-in form")
    with pytest.raises(ChecklistError) as caught:
        write_atomically(form, lambda temp: temp.write_bytes(REPORT))
    assert caught.value.code == "output_exists"
    assert form.read_bytes() == b"a unit's filled-in form"


def test_a_report_checklist_wrote_is_replaced(tmp_path: Path) -> None:
    import xlsxwriter

    target = tmp_path / "report.xlsx"
    book = xlsxwriter.Workbook(str(target))
    book.set_properties({"author": "checklist"})
    book.add_worksheet()
    book.close()
    # xlsxwriter writes lastModifiedBy from the author, as the reports do.
    write_atomically(target, lambda temp: temp.write_bytes(REPORT))
    assert target.read_bytes() == REPORT


def test_a_device_or_pipe_is_never_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "报告.xlsx"
    os.mkfifo(fifo)
    with pytest.raises(ChecklistError) as caught:
        write_atomically(fifo, _write_report, replace_any=True)
    assert caught.value.code == "output_not_regular"
    assert "不是普通文件" in caught.value.message.zh
    assert fifo.is_fifo()
    assert _entries(tmp_path) == ["报告.xlsx"]
    with pytest.raises(ChecklistError):
        write_atomically(Path("/dev/null"), _write_report, replace_any=True)
    assert Path("/dev/null").is_char_device()


def _leave_temp(folder: Path, name: str, age: float) -> Path:
    path = folder / name
    path.write_bytes(b"")
    stamp = path.stat().st_mtime - age
    os.utime(path, (stamp, stamp))
    return path


def _dead_pid() -> int:
    import subprocess
    import sys

    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(child.stdout)


def test_the_next_run_removes_temp_files_a_killed_run_left(tmp_path: Path) -> None:
    dead = _dead_pid()
    killed = _leave_temp(tmp_path, f".报告.xlsx.{dead}.ab12cd_9.tmp", age=120)
    old_style = _leave_temp(tmp_path, ".报告.xlsx.x1y2z3w4.tmp", age=2 * 86400)
    write_atomically(tmp_path / "另一份.xlsx", _write_report)
    assert not killed.exists() and not old_style.exists()
    assert _entries(tmp_path) == ["另一份.xlsx"]


def test_temp_files_of_a_run_still_writing_and_foreign_files_stay(tmp_path: Path) -> None:
    running = _leave_temp(tmp_path, f".报告.xlsx.{os.getppid()}.ab12cd_9.tmp", age=120)
    just_killed = _leave_temp(tmp_path, f".报告.xlsx.{_dead_pid()}.ab12cd_9.tmp", age=5)
    recent_old_style = _leave_temp(tmp_path, ".报告.xlsx.x1y2z3w4.tmp", age=600)
    users = _leave_temp(tmp_path, ".notes.tmp", age=10 * 86400)
    write_atomically(tmp_path / "另一份.xlsx", _write_report)
    for kept in (running, just_killed, recent_old_style, users):
        assert kept.exists(), kept.name


def test_a_terminated_run_removes_its_temp_file(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import os, signal, time\n"
        "from pathlib import Path\n"
        "from checklist.output import exit_cleanly_on_terminate, write_atomically\n"
        "exit_cleanly_on_terminate()\n"
        "def write(path):\n"
        "    path.write_bytes(b'half')\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    time.sleep(10)\n"
        f"write_atomically(Path({str(tmp_path / '报告.xlsx')!r}), write)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=30, check=False)
    assert run.returncode == 143, run.stderr
    assert b"Traceback" not in run.stderr
    assert _entries(tmp_path) == []
