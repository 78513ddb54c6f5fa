"""The roll-up as JSON (``checklist batch --json``)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, cast

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
    return {
        key: list(cast(Iterable[object], value)) if lazy else value
        for key, value, lazy in _fields(rollup, path, lang)
    }


def rollup_json(
    rollup: RollUp, path: Path, lang: str, extra: Mapping[str, object] | None = None
) -> Iterator[str]:
    """The text ``json.dumps(rollup_to_dict(...) | extra, ensure_ascii=False, indent=2)`` gives, in pieces.

    A province's roll-up lists every unit: its rows are encoded one at a time
    as they are read, never held as one dictionary and one string.
    """
    encode = json.JSONEncoder(ensure_ascii=False, indent=2).encode
    fields = [*_fields(rollup, path, lang), *((k, v, False) for k, v in (extra or {}).items())]
    for index, (key, value, lazy) in enumerate(fields):
        yield ("{" if index == 0 else ",") + "\n  " + encode(key) + ": "
        if not lazy:
            yield encode(value).replace("\n", "\n  ")
            continue
        empty = True
        for item in cast(Iterable[object], value):
            yield ("[" if empty else ",") + "\n    " + encode(item).replace("\n", "\n    ")
            empty = False
        yield "[]" if empty else "\n  ]"
    yield "\n}" if fields else "{}"


def _fields(rollup: RollUp, path: Path, lang: str) -> list[tuple[str, object, bool]]:
    """(key, value, whether the value is an iterator of items to list) of the JSON, in order."""
    return [
        ("year", rollup.year, False),
        (
            "pack",
            {
                "id": rollup.pack_id,
                "version": rollup.pack_version,
                **({"base": rollup.pack_base} if rollup.pack_base else {}),
            },
            False,
        ),
        (
            "waivers",
            [
                {**waiver_to_dict(waiver), "assessed_unit": row.name, "assessed_town": row.town}
                for row, waiver in rollup.waivers
            ],
            False,
        ),
        ("unused_waivers", [note_to_dict(n, lang) for n in rollup.unused_waivers], False),
        ("rollup", str(path), False),
        ("units", (_unit(row, lang) for row in rollup.rows if _file(row) is not None), True),
        (
            "missing",
            (
                {
                    "name": r.name,
                    "town": r.town,
                    "reason": m.value,
                    "reason_text": MISSING_TEXT[m].get(lang),
                }
                for r in rollup.rows
                if (m := r.missing) is not None
            ),
            True,
        ),
        (
            "failed",
            [
                {"file": f.submission.shown, "error": f.error.get(lang), "code": f.code}
                for f in rollup.failed
            ],
            False,
        ),
        (
            "skipped",
            [
                {"file": s.shown, "reason": s.reason.value, "reason_text": s.text().get(lang)}
                for s in rollup.skipped
            ],
            False,
        ),
        (
            "surveys",
            [
                {"file": s.file, "units": s.units, "rows_without_name": s.unnamed}
                for s in rollup.surveys
            ],
            False,
        ),
        (
            "unmatched",
            [
                {
                    "file": u.score.submission.shown,
                    "name": u.score.unit.name,
                    "ambiguous": u.ambiguous,
                    "candidates": [c.name for c in u.candidates],
                }
                for u in rollup.unmatched
            ],
            False,
        ),
        (
            "duplicates",
            (
                {
                    "unit": r.name,
                    "chosen": r.chosen.submission.shown,
                    "superseded": [s.submission.shown for s in (*r.superseded, *r.identical)],
                }
                for r in rollup.rows
                if r.chosen is not None and (r.superseded or r.identical)
            ),
            True,
        ),
        (
            "common_gaps",
            [
                {"id": g.rule_id, "units": g.units, "share": round(g.share, 4)}
                for g in rollup.common_gaps
            ],
            False,
        ),
        (
            "copied",
            [
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
            False,
        ),
    ]


def _unit(row: UnitRow, lang: str) -> dict[str, Any]:
    score = row.chosen
    return {
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
