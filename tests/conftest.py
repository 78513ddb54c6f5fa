"""Shared fixtures."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from checklist.cli import app


class Cli:
    """Invoke the CLI in-process and assert the exit code in one step."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, args: Sequence[str], code: int = 0, **kwargs: Any) -> Result:
        result = self.runner.invoke(app, list(args), **kwargs)
        assert result.exit_code == code, (
            f"exit {result.exit_code} != {code}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
            + (f"\nexception: {result.exception!r}" if result.exception else "")
        )
        if code == 2:
            assert "Traceback" not in result.stderr + result.stdout
        return result


@pytest.fixture
def cli() -> Cli:
    return Cli()


@pytest.fixture(autouse=True, scope="session")
def _pack_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Validated packs are cached in a folder of this test run, not in the user's cache."""
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("user-cache"))
    yield
    if before is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = before
