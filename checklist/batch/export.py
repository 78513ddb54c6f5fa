"""The roll-up as JSON (``checklist batch --json``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from checklist.batch.rollup import MISSING_TEXT, RollUp, UnitRow
from checklist.model import RulePack
from checklist.serialize import note_to_dict, waiver_to_dict


def _file(row: UnitRow) -> str | None:
    if row.chosen is not None:
        return row.chosen.submission.shown
    if row.failures:
        return row.failures[0].submission.shown
    if row.other_years:
        return row.other_years[0].submission.shown
    return None


def _status(row: UnitRow) -> str:
    if row.chosen is not None:
        return "scored"
    return "failed" if row.failures else "skipped"


def rollup_to_dict(rollup: RollUp, path: Path, pack: RulePack, lang: str) -> dict[str, Any]:
    """The JSON form: every unit with a file, the missing, failed, skipped, unmatched and copied."""
    units = []
    for row in rollup.rows:
        if _file(row) is None:
            continue
        score = row.chosen
        units.append(
            {
                "roster": row.roster.name if row.roster is not None else None,
                "name": score.unit.name if score is not None else row.name,
                "town": row.town,
                "type": row.type,
                "file": _file(row),
                "status": _status(row),
                "score": {
                    "total": score.total,
                    "base": score.base,
                    "bonus": score.bonus,
                    "grade": score.grade,
                }
                if score is not None
                else None,
                "superseded": [s.submission.shown for s in (*row.superseded, *row.identical)],
                "notes": [n.get(lang) for n in score.record_notes] if score is not None else [],
            }
        )
    return {
        "year": rollup.year,
        "pack": {
            "id": rollup.pack_id,
            "version": rollup.pack_version,
            **({"base": rollup.pack_base} if rollup.pack_base else {}),
        },
        "waivers": [
            {**waiver_to_dict(waiver), "assessed_unit": row.name, "assessed_town": row.town}
            for row, waiver in rollup.waivers
        ],
        "unused_waivers": [note_to_dict(n, lang) for n in rollup.unused_waivers],
        "rollup": str(path),
        "units": units,
        "missing": [
            {
                "name": r.name,
                "town": r.town,
                "reason": m.value,
                "reason_text": MISSING_TEXT[m].get(lang),
            }
            for r in rollup.rows
            if (m := r.missing) is not None
        ],
        "failed": [
            {"file": f.submission.shown, "error": f.error.get(lang), "code": f.code}
            for f in rollup.failed
        ],
        "skipped": [
            {"file": s.shown, "reason": s.reason.value, "reason_text": s.text().get(lang)}
            for s in rollup.skipped
        ],
        "unmatched": [
            {
                "file": u.score.submission.shown,
                "name": u.score.unit.name,
                "ambiguous": u.ambiguous,
                "candidates": [c.name for c in u.candidates],
            }
            for u in rollup.unmatched
        ],
        "duplicates": [
            {
                "unit": r.name,
                "chosen": r.chosen.submission.shown,
                "superseded": [s.submission.shown for s in (*r.superseded, *r.identical)],
            }
            for r in rollup.rows
            if r.chosen is not None and (r.superseded or r.identical)
        ],
        "common_gaps": [
            {"id": g.rule_id, "units": g.units, "share": round(g.share, 4)}
            for g in rollup.common_gaps
        ],
        "copied": [
            {
                "units": [a.name, b.name],
                "rules": pair.rules,
                "similarity": pair.similarity,
                "examples": [
                    {"rule": e.rule_id, "cells": list(e.cells), "text": e.text}
                    for e in pair.examples
                ],
            }
            for a, b, pair in rollup.copied
        ],
    }
