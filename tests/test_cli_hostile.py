"""`checklist score` on every hostile file: one clear line, exit 2, within 5 s and 500 MB.

The corpus is tests/hostile.py (built in code). Each file is scored by the real
command in a child process with its address space capped at 500 MB and a 5 s
timeout; the input's bytes must be unchanged and no report may be left behind
for a refused file. Legitimately readable files score (exit 0) unless they hold
no self-assessment table, which is itself a one-line refusal.
"""

from __future__ import annotations

import hashlib
import os
import resource
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.hostile import HOSTILE_CASES, MEMORY_LIMIT, TIME_LIMIT, HostileCase

# Builds and runs in child processes: left out of `make test-fast`.
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Run:
    path: Path
    report: Path
    returncode: int
    stderr: str
    unchanged: bool


def _digest(path: Path) -> str:
    if path.is_dir():
        return "dir:" + ",".join(sorted(p.name for p in path.iterdir()))
    if not path.exists():
        return "absent"
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _score(case: HostileCase, root: Path) -> Run:
    folder = root / case.name
    folder.mkdir(parents=True)
    path = case.build(folder)
    report = root / f"{case.name}-report.xlsx"
    before = _digest(path)
    env = {**os.environ, "CHECKLIST_LANG": "en"}
    process = subprocess.run(
        [sys.executable, "-m", "checklist", "score", str(path), "-o", str(report)],
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT,
        preexec_fn=_cap_memory,
        cwd=REPO,
        env=env,
        check=False,
    )
    return Run(path, report, process.returncode, process.stderr, _digest(path) == before)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    root = tmp_path_factory.mktemp("hostile-cli")
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {case.name: pool.submit(_score, case, root) for case in HOSTILE_CASES}
        return {name: future.result() for name, future in futures.items()}


@pytest.mark.parametrize("case", HOSTILE_CASES, ids=[c.name for c in HOSTILE_CASES])
def test_score_refuses_or_reads_cleanly(case: HostileCase, runs: dict[str, Run]) -> None:
    run = runs[case.name]
    assert run.unchanged, "the input was modified"
    assert "Traceback" not in run.stderr
    if case.expect_code is not None or run.returncode != 0:
        assert run.returncode == 2, run.stderr
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].strip(), run.stderr
        assert not run.report.exists(), "a refused file left a report"
    if case.expect_code is None and run.returncode != 0:
        # Readable, but not a self-assessment form: say so, do not crash.
        assert "no self-assessment table" in run.stderr, run.stderr
    if run.returncode == 0:
        assert run.report.is_file()
