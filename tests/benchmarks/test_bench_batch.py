"""Benchmarks: ``checklist batch`` over a county's forms, against the naive pipeline.

Every figure is a ratio measured in the same run:

- ``checklist batch`` over 1,000 distinct unit files, roll-up only ÷ the naive
  pipeline of ``naive_pipeline.py`` (openpyxl read, rapidfuzz ``extractOne``
  per row, a two-sheet openpyxl report with a bar chart per file,
  ``multiprocessing.Pool(2)``) (target <= 0.4x);
- the same with ``--reports`` (a gap report per unit) ÷ the naive pipeline
  (target <= 1.0x);
- peak RSS of the largest process (the parent or any worker) over 3,000 files
  ÷ over 1,000 files (target <= 1.2x): the parent keeps compact per-unit
  summaries, so memory stays flat as the county grows.

Three in four files are the filled template; one in four is retyped (other
header words, no rule ids, rows shuffled). Every unit has its own name, town
and answers. Both sides run on two worker processes, as whole processes, and
are timed by elapsed time and by CPU time (the processes and their workers).
Printed too: files per second per core, the figure README "Scale" works from.
Run with ``make bench``; nothing is asserted about speed.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from checklist.model import RulePack
from checklist.rulepack import load_pack
from tests.forms import HEADER, Filled, Form, sample_answers

FILES = 1_000
MORE_FILES = 3_000
TOWNS = 20
JOBS = 2

_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
_KINDS = (("village", "村", "村"), ("community", "社区", "社区"))

_PACK: list[RulePack] = []


def _form(pack: RulePack, n: int) -> Form:
    kind, unit_type_zh, suffix = _KINDS[n % len(_KINDS)]
    town = f"第{n % TOWNS + 1}镇"
    return Form(
        f"{town}样本{n:04d}{suffix}", unit_type_zh, 2024, town, sample_answers(pack, kind, seed=n)
    )


def write_unit(n: int, folder: Path) -> Path:
    """Unit ``n``'s file: the filled template, or (every fourth) a retyped, shuffled table."""
    if not _PACK:
        _PACK.append(load_pack(None))
    pack = _PACK[0]
    form = _form(pack, n)
    book = openpyxl.Workbook(write_only=True)
    rows = [(rule, form.answers.get(rule.id, Filled(None))) for rule in pack.rules]
    if n % 4 == 3:
        import random

        sheet = book.create_sheet("Sheet1")
        sheet.append([f"单位名称：{form.name}"])
        sheet.append([f"单位类型：{form.unit_type_zh}"])
        sheet.append([f"所属镇（街道）：{form.town}"])
        sheet.append([f"年度：{form.year}"])
        sheet.append(["序号", "指标", "填报情况", "佐证", "自评得分"])
        random.Random(n).shuffle(rows)
        for number, (rule, filled) in enumerate(rows, start=1):
            sheet.append(
                [number, rule.indicator.zh, filled.answer, filled.evidence, filled.claimed]
            )
    else:
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
        for rule, filled in rows:
            area = pack.area(rule.area).title.zh
            sheet.append(
                [
                    rule.id,
                    area,
                    rule.indicator.zh,
                    "",
                    filled.answer,
                    filled.evidence,
                    filled.claimed,
                ]
            )
    path = folder / form.town / f"{form.name}2024自评表.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _write(args: tuple[int, Path]) -> Path:
    return write_unit(*args)


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """Two season folders: the first 1,000 units, and all 3,000."""
    base = tmp_path_factory.mktemp("county")
    small, large = base / "1000", base / "3000"
    with multiprocessing.Pool(JOBS) as pool:
        made = pool.map(_write, [(n, large) for n in range(MORE_FILES)], chunksize=50)
    for path in made[:FILES]:
        target = small / path.relative_to(large)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(path, target)
    yield small, large


def _run(command: list[str], cwd: Path) -> tuple[float, float, float]:
    """Elapsed seconds, CPU seconds and the largest process's peak RSS (MB) of one run.

    The command's standard output goes to ``cwd/out.txt``; exit code 1 (batch: some
    files could not be read, listed in the roll-up) is a finished run.
    """
    probe = (
        "import resource, subprocess, sys\n"
        "with open('out.txt', 'wb') as out:\n"
        "    code = subprocess.run(sys.argv[1:], stdout=out).returncode\n"
        "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(code, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)\n"
    )
    cwd.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", probe, *command],
        check=True,
        capture_output=True,
        text=True,
        env=_ENV,
        cwd=cwd,
    ).stdout.split()
    assert out[0] in ("0", "1"), (cwd / "out.txt").read_text(encoding="utf-8")[-2000:]
    return time.perf_counter() - started, float(out[1]), int(out[2]) / 1024


def _unreadable(cwd: Path) -> int:
    """How many files the batch run in ``cwd`` could not read (from its --json output)."""
    return len(json.loads((cwd / "out.txt").read_text(encoding="utf-8"))["failed"])


def _batch(folder: Path, out: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "checklist",
        "batch",
        str(folder),
        "-o",
        str(out / "roll-up.xlsx"),
        "--jobs",
        str(JOBS),
        "--json",
        *extra,
    ]


_NAIVE = str(Path(__file__).with_name("naive_pipeline.py"))


def _ratio(ours: tuple[float, float, float], naive: tuple[float, float, float]) -> str:
    return (
        f"{ours[0] / naive[0]:.2f}x elapsed ({ours[0]:.1f} / {naive[0]:.1f} s), "
        f"{ours[1] / naive[1]:.2f}x CPU ({ours[1]:.1f} / {naive[1]:.1f} s)"
    )


def test_batch_against_the_naive_pipeline(county: tuple[Path, Path], tmp_path: Path) -> None:
    folder, _ = county
    naive = _run([sys.executable, _NAIVE, str(folder), str(tmp_path / "naive")], tmp_path)
    rollup = _run(_batch(folder, tmp_path / "rollup"), tmp_path / "rollup")
    units = tmp_path / "reports" / "units"
    reports = _run(_batch(folder, tmp_path / "reports", "--reports", str(units)), units.parent)
    written = len(list(units.rglob("*.xlsx")))
    unreadable = _unreadable(tmp_path / "rollup")
    print(
        f"\nbatch, {FILES:,} files ({unreadable} unreadable), roll-up only / naive pipeline: "
        f"{_ratio(rollup, naive)}; target <= 0.4x"
        f"\nbatch, {FILES:,} files, with --reports ({written:,} written) / naive pipeline: "
        f"{_ratio(reports, naive)}; target <= 1.0x"
        f"\n  files per second per core (CPU time): roll-up only {FILES / rollup[1]:.1f}, "
        f"with reports {FILES / reports[1]:.1f}, naive {FILES / naive[1]:.1f}"
    )


def test_memory_stays_flat(county: tuple[Path, Path], tmp_path: Path) -> None:
    small, large = county
    one = _run(_batch(small, tmp_path / "one"), tmp_path / "one")
    three = _run(_batch(large, tmp_path / "three"), tmp_path / "three")
    print(
        f"\nbatch peak RSS of the largest process, {MORE_FILES:,} files / {FILES:,} files: "
        f"{three[2] / one[2]:.2f}x ({three[2]:.0f} / {one[2]:.0f} MB); target <= 1.2x"
        f"\n  {MORE_FILES:,} files: {three[0]:.1f} s elapsed, {three[1]:.1f} s CPU "
        f"({MORE_FILES / three[1]:.1f} files per CPU second)"
    )
