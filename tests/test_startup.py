"""``checklist --help`` must stay fast: no spreadsheet, matching or validation libraries."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("openpyxl", "rapidfuzz", "pydantic", "xlsxwriter", "python_calamine", "opencc", "cn2an")

PROBE = """
import runpy, sys
sys.argv = ["checklist", *sys.argv[1:]]
try:
    runpy.run_module("checklist", run_name="__main__")
except SystemExit:
    pass
print("LOADED:" + ",".join(m for m in {heavy!r} if m in sys.modules))
"""


def _loaded(*args: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("LOADED:"))
    return [m for m in line.removeprefix("LOADED:").split(",") if m]


def test_help_imports_no_heavy_library() -> None:
    assert _loaded("--help") == []


def test_subcommand_help_imports_no_spreadsheet_or_matching_library() -> None:
    # Typer itself imports pydantic to coerce a subcommand's parameters.
    for command in ("score", "template", "rules", "compare", "history", "trend", "demo"):
        assert [m for m in _loaded(command, "--help") if m != "pydantic"] == [], command
