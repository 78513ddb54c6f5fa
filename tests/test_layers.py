"""The import contracts of pyproject.toml (``make lint`` runs them) hold, and catch a breach.

Each case copies the package into a temporary folder, adds one forbidden
import to one module and runs lint-imports on the copy with the project's
own contracts: the run must fail and name that import. The untouched copy
must pass, so a failure is the added import's doing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sysconfig.get_path("scripts")) / "lint-imports"


def _copy_package(folder: Path) -> Path:
    def not_source(directory: str, names: list[str]) -> list[str]:
        return [
            name
            for name in names
            if name == "__pycache__"
            or not (name.endswith(".py") or (Path(directory) / name).is_dir())
        ]

    shutil.copytree(ROOT / "checklist", folder / "checklist", ignore=not_source)
    shutil.copy(ROOT / "pyproject.toml", folder / "pyproject.toml")
    return folder


def _lint_imports(folder: Path, *contracts: str) -> subprocess.CompletedProcess[str]:
    selected = [arg for contract in contracts for arg in ("--contract", contract)]
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", *selected],
        cwd=folder,
        # The copy, not the installed package, is the one analysed.
        env={**os.environ, "PYTHONPATH": str(folder)},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_package_as_it_is_keeps_every_contract(tmp_path: Path) -> None:
    run = _lint_imports(_copy_package(tmp_path))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


@pytest.mark.parametrize(
    ("module", "statement", "contract", "reported"),
    [
        (
            "identity.py",
            "import checklist.report.terminal",
            "engine",
            "checklist.identity -> checklist.report.terminal",
        ),
        (
            "trend.py",
            "from checklist.history import open_history",
            "engine",
            "checklist.trend -> checklist.history",
        ),
        ("rescore.py", "import rich.console", "engine", "checklist.rescore -> rich"),
        (
            "compare.py",
            "from checklist.display import number",
            "engine",
            "checklist.compare -> checklist.display",
        ),
        (
            "intake/matching.py",
            "from checklist.commands.options import load_rules",
            "engine",
            "checklist.intake.matching -> checklist.commands.options",
        ),
        (
            "report/terminal_history.py",
            "from checklist.history import open_history",
            "layers",
            "checklist.report.terminal_history -> checklist.history",
        ),
        (
            "history.py",
            "from checklist.commands.options import load_rules",
            "layers",
            "checklist.history -> checklist.commands.options",
        ),
    ],
)
def test_a_forbidden_import_breaks_its_contract(
    tmp_path: Path, module: str, statement: str, contract: str, reported: str
) -> None:
    folder = _copy_package(tmp_path)
    with (folder / "checklist" / module).open("a", encoding="utf-8") as source:
        source.write(f"\n{statement}\n")
    run = _lint_imports(folder, contract)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "1 broken" in run.stdout
    assert reported in run.stdout
