"""Usage errors and a hostile standard output through the real entry point.

In process through ``checklist.cli.main``; in a child process through ``python -m
checklist`` (``checklist.cli.run``, which may end the process without Python's
shutdown once the output is flushed).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from checklist.cli import main


def run_main(
    argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["checklist", *argv])
    with pytest.raises(SystemExit) as ended:
        main()
    out = capsys.readouterr()
    return int(ended.value.code or 0), out.out, out.err


@pytest.mark.parametrize(
    ("argv", "zh", "en"),
    [
        (
            ["score", "--jsn", "x.xlsx"],
            "没有选项 --jsn（是否想用 --json？）",
            "has no option --jsn (did you mean --json?)",
        ),
        (
            ["history", "show", "东林村", "2024年"],
            "YEAR 的值无效，应为整数",
            "Invalid value for YEAR: expected a whole number",
        ),
        (
            ["rules", "list", "--lang", "fr"],
            "--lang 的值“fr”无效，应为 zh、en 之一",
            "Invalid value 'fr' for --lang: expected zh or en",
        ),
        (
            ["scroe"],
            "没有命令 scroe（是否想用 score？）",
            "There is no command scroe (did you mean score?)",
        ),
        (["score"], "缺少参数 FILE", "needs the argument FILE"),
        (["score", "a.xlsx", "b.xlsx"], "多余的参数：b.xlsx", "got an extra argument: b.xlsx"),
    ],
)
def test_usage_errors_are_one_line_in_the_chosen_language(
    argv: list[str],
    zh: str,
    en: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CHECKLIST_LANG", raising=False)
    code, out, err = run_main(argv, capsys, monkeypatch)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and zh in err and "--help" in err, err
    assert "Usage" not in err and "Error" not in err and "Traceback" not in err
    if "--lang" in argv:
        return
    code, _, err = run_main([*argv, "--lang", "en"], capsys, monkeypatch)
    assert code == 2 and err.count("\n") == 1 and en in err, err


def test_an_unknown_language_in_the_environment_is_said_in_chinese(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHECKLIST_LANG", "xx")
    code, _, err = run_main(["rules", "list"], capsys, monkeypatch)
    assert code == 2 and "--lang 的值“xx”无效" in err and err.count("\n") == 1


def test_help_and_success_exit_zero(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run_main(["--help"], capsys, monkeypatch)
    assert code == 0 and "Usage" in out
    code, out, _ = run_main(["rules", "list", "--json"], capsys, monkeypatch)
    assert code == 0 and out.startswith("{")


def _checklist(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    kwargs.setdefault("stdout", subprocess.PIPE)
    kwargs.setdefault("stderr", subprocess.PIPE)
    return subprocess.run(
        [sys.executable, "-m", "checklist", *args],
        timeout=60,
        check=False,
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.mark.slow
def test_an_ascii_terminal_gets_escapes_not_a_traceback() -> None:
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    run = _checklist(["rules", "list"], env=env)
    assert run.returncode == 0, run.stderr
    assert b"Traceback" not in run.stderr
    assert b"\\u" in run.stdout


@pytest.mark.slow
@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_on_stdout_is_one_line_and_exit_2() -> None:
    with open("/dev/full", "wb") as full:
        run = _checklist(["rules", "list"], stdout=full, stderr=subprocess.PIPE)
    assert run.returncode == 2
    assert b"Traceback" not in run.stderr and b"Exception ignored" not in run.stderr
    assert run.stderr.decode().count("\n") == 1


@pytest.mark.slow
def test_the_program_ends_with_its_output_whole(tmp_path: Path) -> None:
    form = (
        Path(__file__).parent.parent
        / "checklist"
        / "examples"
        / "城厢镇东林村-2024年度群团自评表.xlsx"
    )
    out = tmp_path / "out.json"
    with out.open("wb") as stdout:  # a file: fully buffered, flushed only at the end
        run = _checklist(
            ["score", str(form), "--json", "-o", str(tmp_path / "r.xlsx")], stdout=stdout
        )
    assert run.returncode == 0, run.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["report"].endswith("r.xlsx") and len(data["rules"]) > 100
    assert openpyxl.load_workbook(tmp_path / "r.xlsx").sheetnames
    refused = _checklist(["score", str(tmp_path / "missing.xlsx")])
    assert refused.returncode == 2 and refused.stderr.decode().count("\n") == 1
