"""Reporters: each writes a finished Result in one output format.

Reporters only read finished results (a :class:`~checklist.model.Result`, the
:class:`~checklist.model.RulePack` it was scored with and, when the unit's
previous year is known, the :class:`~checklist.compare.Comparison` with it);
they never score, compare, match or open the unit's file or the history. The format is an enum with exhaustive dispatch,
so a new format that is not wired fails type checking. openpyxl is imported
only when the Excel reporter is asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, assert_never

from checklist.model import Result, RulePack

if TYPE_CHECKING:
    from checklist.compare import Comparison


class ReportFormat(StrEnum):
    """Output formats of a single-unit report."""

    xlsx = "xlsx"
    json = "json"

    @property
    def suffix(self) -> str:
        """File name suffix, with the dot."""
        return f".{self.value}"


class Reporter(Protocol):
    """Writes one result to one file and returns the path written.

    ``comparison`` is the unit's previous year against ``result``; with it the
    report also shows the change since that year.
    """

    def __call__(
        self,
        result: Result,
        pack: RulePack,
        path: Path,
        lang: str = "zh",
        inputs: Sequence[Path] = (),
        *,
        comparison: Comparison | None = None,
    ) -> Path: ...


def previous_to_dict(comparison: Comparison) -> dict[str, Any]:
    """The ``"previous"`` block of the JSON result: the change since the previous year.

    Grades are ids and gaps are rule ids, as in the rest of the result.
    """
    from checklist.compare import gap_lists

    overall = comparison.overall
    return {
        "year": comparison.year_then,
        "unit": comparison.unit_then.name,
        "pack": {
            "id": comparison.pack_then.id,
            "version": comparison.pack_then.version,
            "same": comparison.same_pack,
        },
        "total": {
            "then": overall.total_then,
            "now": overall.total_now,
            "delta": overall.total_delta,
        },
        "grade": {"then": overall.grade_then, "now": overall.grade_now},
        "areas": [
            {"id": a.area, "then": a.score_then, "now": a.score_now, "delta": a.delta}
            for a in comparison.areas
        ],
        "gaps": gap_lists(comparison),
    }


def write_json(
    result: Result,
    pack: RulePack,
    path: Path,
    lang: str = "zh",
    inputs: Sequence[Path] = (),
    *,
    comparison: Comparison | None = None,
) -> Path:
    """Write the JSON form of ``result`` (messages in ``lang``) atomically.

    With ``comparison``, a ``"previous"`` block gives the change since the
    unit's previous year.
    """
    import json

    from checklist.output import write_atomically
    from checklist.serialize import result_to_dict

    data = result_to_dict(result, lang)
    if comparison is not None:
        data["previous"] = previous_to_dict(comparison)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"

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
