"""Benchmark: `checklist batch` over 1,000 generated forms (a first figure; targets come later).

Run with ``make bench``. The forms are written in code into a temporary folder:
1,000 units in 20 towns, each a filled-in template form of the built-in pack,
plus a roster of them. Reported: wall time with the default worker count, files
per second, and the parent's peak memory (the workers write nothing back but
compact summaries).
"""

from __future__ import annotations

import os
import resource
import time
from pathlib import Path

from typer.testing import CliRunner

from checklist.cli import app
from checklist.demo_county import CountyUnit, write_form
from checklist.rulepack import load_pack

FILES = 1000
TOWNS = 20
_KINDS = ("village", "community", "enterprise", "school", "institution")


def _season(folder: Path) -> Path:
    import openpyxl

    pack = load_pack(None)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["单位名称", "所属镇（街道）", "单位类型"])
    titles = {
        "village": "村",
        "community": "社区",
        "enterprise": "非公企业",
        "school": "学校",
        "institution": "事业单位",
    }
    for n in range(FILES):
        town = f"第{n % TOWNS + 1}镇"
        kind = _KINDS[n % len(_KINDS)]
        suffix = {
            "village": "村",
            "community": "社区",
            "enterprise": "有限公司",
            "school": "小学",
            "institution": "卫生院",
        }[kind]
        name = f"样本{n:04d}号{suffix}"
        unit = CountyUnit(name, town, kind, "李明", "0512-53520000")
        (folder / town).mkdir(parents=True, exist_ok=True)
        write_form(unit, 2024, pack, folder / town / f"{name}2024自评表.xlsx")
        sheet.append([name, town, titles[kind]])
    roster = folder.parent / "roster.xlsx"
    book.save(roster)
    return roster


def test_bench_batch_1000_files(tmp_path: Path) -> None:
    season = tmp_path / "2024"
    started = time.perf_counter()
    roster = _season(season)
    made = time.perf_counter() - started

    jobs = os.cpu_count() or 1
    started = time.perf_counter()
    result = CliRunner().invoke(
        app,
        [
            "batch",
            str(season),
            "--roster",
            str(roster),
            "-o",
            str(tmp_path / "r.xlsx"),
            "--jobs",
            str(jobs),
        ],
    )
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\nbatch: {FILES} files, {jobs} jobs: {elapsed:.1f} s "
        f"({FILES / elapsed:.0f} files/s); parent peak RSS {peak_mb:.0f} MB; "
        f"(generating the files took {made:.1f} s)"
    )
