"""The JSON printed by ``checklist history list|show|rescore --json``.

Pack refs are ``{"id", "version"}``; grades are ids and results have the
shape of ``checklist score --json``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from checklist.compare import PackRef
from checklist.saved import Entry, RescoreReport, StoredAssessment
from checklist.serialize import answer_to_dict, result_to_dict
from checklist.text import Lang


def _pack(ref: PackRef) -> dict[str, str]:
    return {"id": ref.id, "version": ref.version}


def entry_to_dict(entry: Entry) -> dict[str, Any]:
    """One saved assessment's summary row."""
    return {
        "unit": {
            "key": entry.unit_key,
            "name": entry.unit_name,
            "type": entry.unit_type,
            "town": entry.town,
        },
        "year": entry.year,
        "source": {"name": entry.source_name, "sha256": entry.source_sha256},
        "scored_pack": _pack(entry.scored_pack),
        "pack": _pack(entry.pack),
        "total": entry.total,
        "grade": entry.grade,
        "saved_at": entry.saved_at,
        "rescored_at": entry.rescored_at,
    }


def listing_to_dict(database: Path, entries: Sequence[Entry]) -> dict[str, Any]:
    """``history list``: the database and its saved assessments."""
    return {"database": str(database), "assessments": [entry_to_dict(e) for e in entries]}


def stored_to_dict(stored: StoredAssessment, lang: Lang) -> dict[str, Any]:
    """``history show``: the summary row, every raw answer with its match, both results."""
    return {
        **entry_to_dict(stored.entry),
        "answers": {
            rule_id: {
                **answer_to_dict(answer),
                "match": {"method": answer.match_method, "confidence": answer.match_confidence},
            }
            for rule_id, answer in stored.answers.items()
        },
        "result": result_to_dict(stored.result, lang),
        "scored_result": result_to_dict(stored.scored_result, lang),
    }


def rescore_to_dict(report: RescoreReport) -> dict[str, Any]:
    """``history rescore``: the pack, how many moved, and each assessment before and after."""
    return {
        "pack": _pack(report.pack),
        "changed": report.changed,
        "assessments": [
            {
                "unit": e.unit_name,
                "year": e.year,
                "pack_before": _pack(e.pack_before),
                "total": {"before": e.total_before, "after": e.total_after},
                "grade": {"before": e.grade_before, "after": e.grade_after},
            }
            for e in report.entries
        ],
    }
