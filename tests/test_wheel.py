"""The built wheel carries the rule pack and the examples, and finds them from any folder."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

# Builds and runs in child processes: left out of `make test-fast`.
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent


def test_wheel_ships_the_pack_and_finds_it_elsewhere(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("checklist-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "checklist/rules/grassroots/pack.yaml" in names
    assert any(n.startswith("checklist/examples/") and n.endswith(".xls") for n in names)
    assert "checklist/instructions.yaml" in names  # the template's instructions sheet

    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    probe = (
        "import checklist, checklist.rulepack as r; "
        "p = r.load_pack('grassroots'); print(checklist.__file__, p.path, len(p.rules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        check=True,
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env={"PYTHONPATH": str(unpacked), "PATH": "/usr/bin:/bin"},
    ).stdout.split()
    assert out[0].startswith(str(unpacked)), out
    assert out[1].startswith(str(unpacked / "checklist" / "rules")), out
    assert int(out[2]) >= 44
