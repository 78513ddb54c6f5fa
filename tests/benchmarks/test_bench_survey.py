"""Benchmark: ``checklist batch`` over one wide survey (one unit per row) of 5,000 rows.

Printed: elapsed and CPU time, units per CPU second, and the peak RSS of the
largest process for 1,000 and 5,000 rows (the worker reads the survey once
and sends compact summaries in parts; the parent grows by what each unit's
summary weighs, as with that many files). Run with ``make bench``; nothing
is asserted about speed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import openpyxl

from tests.benchmarks.test_bench_batch import JOBS, _run

ROWS = (1_000, 5_000)


def _survey(path: Path, rows: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("调查表")
    sheet.append(["2024年度非公企业群团组织建设情况调查表"])
    sheet.append(["企业名称", "所属镇", "职工人数", "是否建立工会", "会员人数", "团员人数"])
    for n in range(rows):
        staff = 20 + n % 400
        union = n % 4 != 0
        sheet.append(
            [
                f"测{n:05d}精密机械有限公司",
                f"第{n % 20}镇",
                staff,
                "是" if union else "否",
                staff - n % 20 if union else 0,
                f"{n % 30}人",
            ]
        )
    book.save(path)
    return path


def test_a_wide_survey(tmp_path: Path) -> None:
    lines = []
    for rows in ROWS:
        folder = _survey(tmp_path / f"in-{rows}" / "调查表.xlsx", rows).parent
        out = tmp_path / f"out-{rows}"
        command = [sys.executable, "-m", "checklist", "batch", str(folder)]
        command += ["-o", str(out / "roll-up.xlsx"), "--jobs", str(JOBS), "--json"]
        elapsed, cpu, peak = _run(command, out)
        lines.append(
            f"\nbatch, one survey of {rows:,} rows: {elapsed:.1f} s elapsed, {cpu:.1f} s CPU "
            f"({rows / cpu:.0f} units per CPU second), largest process peak {peak:.0f} MB"
        )
    print("".join(lines))
