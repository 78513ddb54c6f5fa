"""``checklist --help`` must stay fast: no spreadsheet, matching or validation libraries."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from checklist.rulepack import load_pack
from tests.forms import Form, clean_form, sample_answers

HEAVY = ("openpyxl", "rapidfuzz", "pydantic", "xlsxwriter", "python_calamine", "opencc", "cn2an")

PROBE = """
import sys
sys.argv = ["checklist", *sys.argv[1:]]
from checklist.cli import main  # what the program runs, without ending the process
try:
    main()
except SystemExit:
    pass
print("LOADED:" + ",".join(m for m in {heavy!r} if m in sys.modules))
"""


def _loaded(*args: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=(*HEAVY, "yaml")), *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("LOADED:"))
    return [m for m in line.removeprefix("LOADED:").split(",") if m]


def test_help_imports_no_heavy_library() -> None:
    assert _loaded("--help") == []


def test_subcommand_help_imports_no_heavy_library() -> None:
    # Not even pydantic, which Typer would import to convert the parameters'
    # values (checklist.commands.coercion converts plain values without it).
    for command in ("score", "template", "rules", "compare", "history", "trend", "demo"):
        assert _loaded(command, "--help") == [], command


def test_score_imports_no_validation_or_matching_library(tmp_path: Path) -> None:
    """A filled form scored with the cached pack: no pydantic (the pack comes from the
    cache, the values are converted without it), no YAML parser, no fuzzy matching
    when every row names its rule."""
    pack = load_pack(None)
    form = clean_form(
        pack,
        Form("城厢镇新华村", "村", 2024, "城厢镇", sample_answers(pack, "village")),
        tmp_path / "form.xlsx",
    )
    _loaded("score", str(form), "--json", "-o", str(tmp_path / "warm.json"))  # cache written
    loaded = _loaded("score", str(form), "--json", "-o", str(tmp_path / "r.json"))
    assert [m for m in loaded if m in ("pydantic", "yaml", "rapidfuzz", "openpyxl")] == []
