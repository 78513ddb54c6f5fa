"""Reporters: each writes a finished Result in one output format.

Reporters only read finished results (a :class:`~checklist.model.Result` and
the :class:`~checklist.model.RulePack` it was scored with); they never score,
match or open the unit's file. The format is an enum with exhaustive dispatch,
so a new format that is not wired fails type checking. openpyxl is imported
only when the Excel reporter is asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Protocol, assert_never

from checklist.model import Result, RulePack


class ReportFormat(StrEnum):
    """Output formats of a single-unit report."""

    xlsx = "xlsx"
    json = "json"

    @property
    def suffix(self) -> str:
        """File name suffix, with the dot."""
        return f".{self.value}"


class Reporter(Protocol):
    """Writes one result to one file and returns the path written."""

    def __call__(
        self,
        result: Result,
        pack: RulePack,
        path: Path,
        lang: str = "zh",
        inputs: Sequence[Path] = (),
    ) -> Path: ...


def write_json(
    result: Result,
    pack: RulePack,
    path: Path,
    lang: str = "zh",
    inputs: Sequence[Path] = (),
) -> Path:
    """Write the JSON form of ``result`` (messages in ``lang``) atomically."""
    import json

    from checklist.output import write_atomically
    from checklist.serialize import result_to_dict

    text = json.dumps(result_to_dict(result, lang), ensure_ascii=False, indent=2) + "\n"

    def write(temp: Path) -> None:
        temp.write_text(text, encoding="utf-8")

    return write_atomically(Path(path), write, inputs)


def reporter(fmt: ReportFormat) -> Reporter:
    """The writer for ``fmt``."""
    match fmt:
        case ReportFormat.xlsx:
            from checklist.report.excel import write_report

            return write_report
        case ReportFormat.json:
            return write_json
        case _:
            assert_never(fmt)
