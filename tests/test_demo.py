"""`checklist demo`: every bundled example scored and reported, deterministically."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from checklist.demo import example_files
from tests.conftest import Cli


def test_demo_writes_every_report_twice_identically(cli: Cli, tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    out = cli(["demo", "-o", str(first)]).stdout
    cli(["demo", "-o", str(second)])
    examples = example_files()
    assert len(examples) >= 18
    written = sorted(p.name for p in first.iterdir())
    # One report each, a compare, a trend and the demo county's roll-up of each season.
    assert len(written) == len(examples) + 2 + 3
    assert sum(name.startswith("群团自评汇总-") for name in written) == 3
    assert sum(name.endswith("-compare.xlsx") for name in written) == 1
    assert sum(name.endswith("-trend.xlsx") for name in written) == 1
    for name in written:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert "东林村" in out


def test_demo_reports_compare_with_the_previous_year(cli: Cli, tmp_path: Path) -> None:
    cli(["demo", "-o", str(tmp_path), "--lang", "en"])
    later = [p for p in tmp_path.glob("*2024*-report.xlsx")]
    assert later
    for path in later:
        summary = openpyxl.load_workbook(path)["Summary"]
        texts = [str(c.value) for row in summary.iter_rows() for c in row if c.value is not None]
        assert any("Change since 2023" in t for t in texts), path.name
