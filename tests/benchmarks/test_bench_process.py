"""Benchmarks: whole ``checklist`` processes, as a user or a shell loop runs them.

Issue 12. Every figure is a ratio to a yardstick measured in the same run, so
that a busy machine moves both sides alike:

- ``checklist score FILE --json`` on a filled 67-row form ÷ ``python -c "import typer"``
  (target <= 2.5x);
- ``checklist --help`` ÷ ``python -c "import typer"`` (target <= 1.2x);
- ``checklist score`` on a 20,000-row sheet ÷ the same on the 67-row form (target <= 3x).

Printed beside them, to read them by: a one-command Typer app taking a file
argument (Typer builds pydantic adapters for a command's parameters, a cost
every Typer command pays that ``import typer`` does not show), and intake of
each 20,000-row sheet ÷ python-calamine merely reading it, in-process, once
for the filler intake skips and once for 20,000 rows of text that matches no
rule (each then reported as an unmatched row, so that sheet's report and JSON
grow with it: that is why it is not the whole-process figure).

The 20,000-row sheet holds the same 67 rule rows as the small form, spread
evenly among filler a real sheet carries and intake does not score: blank and
whitespace rows, stray marks beside an empty indicator cell (/ under 自评填报,
a row number alone), 注 and 填表说明 lines, sign-off lines, and the header
repeated at the top of each printed page. Both files are built in code here.

The commands compared take turns, and each figure is given by elapsed time
and by the processes' CPU time: on a machine shared with other work the CPU
ratio is the one to trust; on an idle one the two agree. Run with ``make
bench``; nothing is asserted about speed.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from checklist.intake import read_assessment
from checklist.model import RulePack
from checklist.rulepack import load_pack
from tests.benchmarks.test_bench_report import best_of
from tests.forms import HEADER, Filled, Form, sample_answers, shuffled_without_ids

BIG_ROWS = 20_000
PAGE_ROWS = 40
"""A printed page repeats the header every this many rows."""

_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
# Users' Pythons cache bytecode; a PYTHONDONTWRITEBYTECODE=1 environment would
# recompile every module on every start and measure the compiler instead.


@dataclass(frozen=True)
class Timing:
    """Median cost of one command, in milliseconds."""

    wall: float
    """Elapsed time."""
    cpu: float
    """User plus system CPU time of the process: what the elapsed time is on an idle
    machine, and far less disturbed than it by whatever else the machine runs."""


def timings(
    commands: dict[str, list[str]], repeats: int = 9, cwd: Path | None = None
) -> dict[str, Timing]:
    """Each command's median cost; the commands take turns, so a change in load hits all alike."""
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for round_ in range(repeats + 1):
        for name, command in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, env=_ENV, cwd=cwd)
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if round_:  # the first round warms caches: bytecode, the pack cache, the disk
                walls[name].append(wall * 1000)
                cpus[name].append(
                    (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000
                )
    return {
        name: Timing(statistics.median(walls[name]), statistics.median(cpus[name]))
        for name in commands
    }


def ratio(subject: Timing, yardstick: Timing) -> str:
    """``subject`` over ``yardstick``, by elapsed and by CPU time."""
    return (
        f"{subject.wall / yardstick.wall:.2f}x elapsed "
        f"({subject.wall:.0f} / {yardstick.wall:.0f} ms), "
        f"{subject.cpu / yardstick.cpu:.2f}x CPU ({subject.cpu:.0f} / {yardstick.cpu:.0f} ms)"
    )


def _text_filler(n: int) -> list[object]:
    """Row ``n`` of a pasted activity log: text in the indicator column that is no indicator."""
    return [None, None, f"附：{n}号台账 张{n % 97}同志参加{n % 12 + 1}月培训", None, "/"]


def _filler(n: int) -> list[object]:
    """Row ``n`` of filler: never an indicator, so never scored or reported."""
    kind = n % 8
    if kind in (0, 1, 2):
        return [None] * len(HEADER)
    if kind == 3:
        return [None, None, "  ", None, None, None, None, None]
    if kind == 4:
        return [None, None, None, None, "/", None, None, None]
    if kind == 5:
        return [n, None, None, None, None, None, None, None]
    if kind == 6:
        return [None, None, f"注：第{n}行起为续表，佐证材料另附。", None, None, None, None, None]
    return [None, None, "填表人（签字）：", None, "日期：2024年12月", None, None, None]


def write_form(pack: RulePack, path: Path, rows: int, text_filler: bool = False) -> Path:
    """A filled template-layout form whose 自评表 has ``rows`` rows below its header."""
    form = Form("城厢镇新华村", "村", 2024, "城厢镇", sample_answers(pack, "village"))
    book = openpyxl.Workbook(write_only=True)
    info = book.create_sheet("单位信息")
    for line in (
        ["单位名称", form.name],
        ["单位类型", form.unit_type_zh],
        ["所属镇（街道）", form.town],
        ["年度", form.year],
    ):
        info.append(line)
    sheet = book.create_sheet("自评表")
    sheet.append(list(HEADER))
    per_rule = max(0, rows - len(pack.rules)) // len(pack.rules)
    written = 0
    for rule in pack.rules:
        filled = form.answers.get(rule.id, Filled(None))
        area = pack.area(rule.area).title.zh
        sheet.append(
            [rule.id, area, rule.indicator.zh, "", filled.answer, filled.evidence, filled.claimed]
        )
        written += 1
        for _ in range(per_rule):
            written += 1
            if text_filler:
                sheet.append(_text_filler(written))
            else:
                sheet.append(list(HEADER) if written % PAGE_ROWS == 0 else _filler(written))
    while written < rows:
        written += 1
        sheet.append(_text_filler(written) if text_filler else _filler(written))
    book.save(path)
    return path


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    folder = tmp_path_factory.mktemp("forms")
    pack = load_pack(None)
    yield (
        write_form(pack, folder / "small.xlsx", 67),
        write_form(pack, folder / "big.xlsx", BIG_ROWS),
    )


def _score(path: Path) -> list[str]:
    return [sys.executable, "-m", "checklist", "score", str(path), "--json"]


_TYPER = [sys.executable, "-c", "import typer"]


_ONE_COMMAND = """
from pathlib import Path
import sys, typer
app = typer.Typer()
@app.command()
def main(file: Path, json_out: bool = typer.Option(False, "--json")) -> None:
    print(file, json_out)
app(sys.argv[1:])
"""


def test_score_start_up(forms: tuple[Path, Path], tmp_path: Path) -> None:
    small, _ = forms
    pack = load_pack(None)
    own = shuffled_without_ids(
        pack,
        Form("城厢镇新华村", "村", 2024, "城厢镇", sample_answers(pack, "village")),
        tmp_path / "own-layout.xlsx",
    )
    got = timings(
        {
            "score": _score(small),
            "typer": _TYPER,
            "own layout": _score(own),
            "one command": [sys.executable, "-c", _ONE_COMMAND, str(small), "--json"],
        },
        cwd=tmp_path,
    )
    print(
        f"\nchecklist score FILE --json (67 rows) / python -c 'import typer': "
        f"{ratio(got['score'], got['typer'])}; target <= 2.5x"
        f"\n  the same form in its own layout (no rule ids, its own header words, rows "
        f"shuffled) / import typer: {ratio(got['own layout'], got['typer'])}"
        f"\n  floor, a one-command Typer app given the file / import typer: "
        f"{ratio(got['one command'], got['typer'])}"
    )


def test_help_start_up() -> None:
    got = timings({"help": [sys.executable, "-m", "checklist", "--help"], "typer": _TYPER})
    print(
        f"\nchecklist --help / python -c 'import typer': "
        f"{ratio(got['help'], got['typer'])}; target <= 1.2x"
    )


def test_rows_scale(forms: tuple[Path, Path], tmp_path: Path) -> None:
    small, big = forms
    got = timings({"big": _score(big), "small": _score(small)}, repeats=5, cwd=tmp_path)
    print(
        f"\nchecklist score, {BIG_ROWS:,}-row sheet / 67-row sheet: "
        f"{ratio(got['big'], got['small'])}; target <= 3x"
    )


def _importtime(*args: str, cwd: Path | None = None) -> list[tuple[int, int, str]]:
    """(self µs, cumulative µs, module) of every module ``checklist *args`` imports."""
    err = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "checklist", *args],
        check=True,
        capture_output=True,
        text=True,
        env=_ENV,
        cwd=cwd,
    ).stderr
    rows = []
    for line in err.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and parts[0].strip().isdigit():
            rows.append((int(parts[0]), int(parts[1]), parts[2].strip()))
    return rows


def test_start_up_imports(forms: tuple[Path, Path], tmp_path: Path) -> None:
    """The modules ``checklist score --help`` and ``checklist score FILE --json`` import,
    the costliest first (python -X importtime: elapsed time, so read it on an idle machine)."""
    rows = _importtime("score", "--help")
    total = max(cumulative for _, cumulative, _ in rows)
    top = ", ".join(
        f"{name} {cumulative / 1000:.0f}"
        for _, cumulative, name in sorted(rows, key=lambda row: -row[1])[:8]
    )
    print(
        f"\nchecklist score --help imports {len(rows)} modules in {total / 1000:.0f} ms: {top} ms"
    )
    small, _ = forms
    rows = _importtime("score", str(small), "--json", cwd=tmp_path)
    ours = sum(own for own, _, name in rows if name.split(".")[0] == "checklist")
    top = ", ".join(f"{name} {own / 1000:.1f}" for own, _, name in sorted(rows, reverse=True)[:10])
    print(
        f"checklist score FILE --json imports {len(rows)} modules in "
        f"{sum(own for own, _, _ in rows) / 1000:.0f} ms ({ours / 1000:.0f} ms of them "
        f"checklist's own); by their own time: {top} ms"
    )


_PHASES = """
import sys, time
clock = time.process_time
marks = [("interpreter", clock())]
def mark(name):
    marks.append((name, clock()))
import typer, typer.main
mark("import typer")
from checklist.cli import build_command
build_command("score")
mark("checklist.cli, score command built")
from pathlib import Path
from checklist.commands.options import load_rules
from checklist.intake import not_a_filled_form
from checklist.pipeline import assess_file
from checklist.report import ReportFormat, reporter
from checklist.serialize import result_to_dict
mark("score's own imports")
pack = load_rules(None)
mark("pack (cached)")
source = Path(sys.argv[1])
assessment, result = assess_file(source, pack)
not_a_filled_form(assessment)
mark("read + score")
import checklist.report.excel
mark("report imports (xlsxwriter)")
written = reporter(ReportFormat.xlsx)(result, pack, Path(sys.argv[2]), "zh", inputs=(source,))
mark("report written")
import json
json.dumps({**result_to_dict(result, "zh"), "report": str(written)}, ensure_ascii=False, indent=2)
mark("JSON")
previous = 0.0
for name, t in marks:
    print(f"{name}\t{(t - previous) * 1000:.3f}")
    previous = t
"""


def test_score_phases(forms: tuple[Path, Path], tmp_path: Path) -> None:
    """Where one ``checklist score FILE --json`` spends its CPU time, phase by phase (medians)."""
    small, _ = forms
    runs: dict[str, list[float]] = {}
    for _ in range(7):
        out = subprocess.run(
            [sys.executable, "-c", _PHASES, str(small), str(tmp_path / "report.xlsx")],
            check=True,
            capture_output=True,
            text=True,
            env=_ENV,
            cwd=tmp_path,
        ).stdout
        for line in out.splitlines():
            if "\t" in line:
                name, ms = line.split("\t")
                runs.setdefault(name, []).append(float(ms))
    phases = {name: statistics.median(values) for name, values in runs.items()}
    print(
        f"\nchecklist score FILE --json, CPU by phase ({sum(phases.values()):.0f} ms): "
        + ", ".join(f"{name} {ms:.0f}" for name, ms in phases.items())
    )


def _calamine_read(path: Path) -> None:
    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()


@pytest.mark.parametrize("text_filler", [False, True], ids=["skipped filler", "text filler"])
def test_intake_per_row(text_filler: bool, tmp_path: Path) -> None:
    pack = load_pack(None)
    path = write_form(pack, tmp_path / "big.xlsx", BIG_ROWS, text_filler=text_filler)
    read_assessment(write_form(pack, tmp_path / "small.xlsx", 67), pack)  # keys built
    start = time.process_time()
    assessment = read_assessment(path, pack)
    ours = (time.process_time() - start) * 1000
    floor = best_of(lambda: _calamine_read(path), repeats=3, clock=time.process_time)
    kind = "text matching no rule" if text_filler else "filler intake skips"
    print(
        f"\nintake, {BIG_ROWS:,} rows ({kind}) / python-calamine reading them, CPU: "
        f"{ours / floor:.1f}x ({ours:.0f} / {floor:.0f} ms; "
        f"{len(assessment.unmatched):,} unmatched rows)"
    )
