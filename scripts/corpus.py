"""Build the labelled corpus of real-world form layouts and measure intake on it.

``tests/corpus/*.yaml`` each describe one workbook modelled on a published form
(see ``tests/corpus/README.md``) with an answer key per row. This script writes
each into an ``.xlsx``, reads it with the public intake, and compares what
intake found with the key::

    .venv/bin/python scripts/corpus.py [--held-out | --calibration] [-v]

Figures, per workbook and overall (and for the held-out workbooks alone):

- recall: answerable rows (the key names a rule) tied to that rule;
- precision: of all rows intake tied to a rule, those tied to the right one;
- read right: answerable rows tied to the right rule whose answer is the key's
  (the end-to-end figure);
- false: rows tied to a wrong rule, and rows with no counterpart tied at all;
- unit name, year and type right.

A workbook intake refuses outright counts as nothing matched and nothing right.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import re
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import openpyxl
import yaml

from checklist.errors import ChecklistError
from checklist.intake import read_assessment
from checklist.model import AnswerState, Assessment, RulePack
from checklist.rulepack import load_pack
from checklist.textnorm import match_key

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "corpus"

MISSING = "missing"


@dataclass(frozen=True)
class KeyRow:
    """One indicator row of a corpus workbook and what a careful reader gets from it."""

    sheet: str
    row: int
    """1-based row number in the sheet."""
    text: str
    rule: str | None
    value: Any


@dataclass(frozen=True)
class Entry:
    """One corpus workbook: its layout, its key and where it comes from."""

    id: str
    source: str
    held_out: bool
    file: str
    name: str
    year: int | None
    unit_type: str | None
    sheets: tuple[dict[str, Any], ...]
    keys: tuple[KeyRow, ...]


@dataclass
class Score:
    """The figures of one workbook (or a sum of several)."""

    workbooks: int = 0
    answerable: int = 0
    matched_right: int = 0
    matched: int = 0
    read_right: int = 0
    wrong_rule: int = 0
    no_counterpart_matched: int = 0
    refused: int = 0
    name_right: int = 0
    year_right: int = 0
    type_right: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for counter in fields(self):
            if counter.name != "misses":
                name = counter.name
                setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses.extend(other.misses)

    @property
    def recall(self) -> float:
        return _share(self.matched_right, self.answerable)

    @property
    def precision(self) -> float:
        return _share(self.matched_right, self.matched) if self.matched else 100.0

    @property
    def end_to_end(self) -> float:
        return _share(self.read_right, self.answerable)


def _share(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 0.0


def load_corpus(folder: Path = CORPUS) -> list[Entry]:
    """Every corpus workbook description in ``folder``, in file-name order."""
    entries = []
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        keys: list[KeyRow] = []
        sheets = []
        for sheet in data["sheets"]:
            rows = []
            for number, row in enumerate(sheet["rows"], start=1):
                if isinstance(row, dict):
                    cells = row["cells"]
                    if "key" in row:
                        rule, value = row["key"]
                        text = max((c for c in cells if isinstance(c, str)), key=len, default="")
                        keys.append(KeyRow(sheet["name"], number, text, rule, value))
                    rows.append(cells)
                else:
                    rows.append(row)
            sheets.append({"name": sheet["name"], "merges": sheet.get("merges", []), "rows": rows})
        unit = data["unit"]
        entries.append(
            Entry(
                id=path.stem,
                source=data["source"],
                held_out=bool(data.get("held_out")),
                file=data["file"],
                name=unit["name"],
                year=unit.get("year"),
                unit_type=unit.get("type"),
                sheets=tuple(sheets),
                keys=tuple(keys),
            )
        )
    return entries


def build(entry: Entry, folder: Path) -> Path:
    """Write ``entry`` as an .xlsx in its own folder under ``folder``; return its path."""
    book = openpyxl.Workbook()
    first = True
    for spec in entry.sheets:
        sheet = book.active if first else book.create_sheet()
        assert sheet is not None
        first = False
        sheet.title = spec["name"]
        for row in spec["rows"]:
            sheet.append(list(row))
        for merge in spec["merges"]:
            sheet.merge_cells(merge)
    target = folder / entry.id
    target.mkdir(parents=True, exist_ok=True)
    path = target / entry.file
    book.save(path)
    return path


_ORG_TAIL = re.compile(
    r"(?:工会联合会|联合工会|工会委员会|工会|支部委员会|团支部|团总支|团委|妇女联合会|妇联|党总支|党支部|党委)$"
)


def _name_key(name: str) -> str:
    key = match_key(name).removeprefix("共青团")
    while (shorter := _ORG_TAIL.sub("", key)) != key and shorter:
        key = shorter
    return key


def same_value(found: Any, expected: Any) -> bool:
    """Whether an intake value is the key's value (numbers within rounding)."""
    if isinstance(expected, bool) or isinstance(found, bool):
        return found is expected
    if isinstance(expected, int | float) and isinstance(found, int | float):
        return math.isclose(float(found), float(expected), abs_tol=0.051)
    if isinstance(expected, dt.date) and isinstance(found, dt.date):
        return found == expected
    return str(found) == str(expected)


def evaluate(entry: Entry, path: Path, pack: RulePack) -> Score:
    """Read ``path`` with intake and compare it with ``entry``'s key."""
    score = Score(workbooks=1, answerable=sum(1 for k in entry.keys if k.rule))
    try:
        assessment = read_assessment(path, pack)
    except ChecklistError as error:
        score.refused = 1
        score.misses.append(f"{entry.id}: refused ({error.code})")
        return score
    by_row = _rows_read(assessment)
    keyed = {(k.sheet, k.row) for k in entry.keys}
    for key in entry.keys:
        found = by_row.get((key.sheet, key.row))
        where = f"{entry.id} {key.sheet}!{key.row} “{key.text}”"
        if found is None:
            if key.rule:
                score.misses.append(f"{where}: unmatched (want {key.rule})")
            continue
        rule_id, state, value = found
        score.matched += 1
        if key.rule is None:
            score.no_counterpart_matched += 1
            score.misses.append(f"{where}: matched {rule_id}, has no counterpart")
            continue
        if rule_id != key.rule:
            score.wrong_rule += 1
            score.misses.append(f"{where}: matched {rule_id}, want {key.rule}")
            continue
        score.matched_right += 1
        if key.value == MISSING:
            right = state is AnswerState.missing
        else:
            right = state is AnswerState.given and same_value(value, key.value)
        if right:
            score.read_right += 1
        else:
            shown = value if state is AnswerState.given else state.value
            score.misses.append(f"{where}: {rule_id} read {shown!r}, want {key.value!r}")
    for place, (rule_id, _, _) in by_row.items():
        if place not in keyed:
            score.matched += 1
            score.wrong_rule += 1
            score.misses.append(f"{entry.id} {place[0]}!{place[1]}: unkeyed row matched {rule_id}")
    unit = assessment.unit
    checks = (
        ("name", _name_key(unit.name) == _name_key(entry.name), unit.name, entry.name),
        ("year", unit.year == entry.year, unit.year, entry.year),
        ("type", unit.type == entry.unit_type, unit.type, entry.unit_type),
    )
    for what, right, found_value, wanted in checks:
        if right:
            setattr(score, f"{what}_right", getattr(score, f"{what}_right") + 1)
        else:
            score.misses.append(f"{entry.id}: unit {what} {found_value!r}, want {wanted!r}")
    return score


def _rows_read(assessment: Assessment) -> dict[tuple[str, int], tuple[str, AnswerState, Any]]:
    """(sheet, 1-based row) → (rule, state, value) for every row intake tied to a rule."""
    rows = {}
    for rule_id, answer in assessment.answers.items():
        sheet, _, cell = answer.cell.rpartition("!")
        digits = re.search(r"\d+$", cell)
        if digits:
            rows[(sheet, int(digits.group()))] = (rule_id, answer.state, answer.value)
    return rows


def run(
    entries: Iterable[Entry], pack: RulePack, folder: Path
) -> tuple[Score, Score, list[tuple[Entry, Score]]]:
    """Score every entry; return (all, held-out only, per workbook)."""
    overall, held_out = Score(), Score()
    per: list[tuple[Entry, Score]] = []
    for entry in entries:
        score = evaluate(entry, build(entry, folder), pack)
        per.append((entry, score))
        overall.add(score)
        if entry.held_out:
            held_out.add(score)
    return overall, held_out, per


def _line(label: str, s: Score) -> str:
    return (
        f"{label:<36} rows {s.answerable:>3}  recall {s.recall:5.1f}%  "
        f"precision {s.precision:5.1f}%  read right {s.end_to_end:5.1f}%  "
        f"false {s.wrong_rule:>2}+{s.no_counterpart_matched:<2} "
        f"name {s.name_right}/{s.workbooks} year {s.year_right}/{s.workbooks} "
        f"type {s.type_right}/{s.workbooks} refused {s.refused}"
    )


def report(overall: Score, held_out: Score, per: Sequence[tuple[Entry, Score]]) -> str:
    """The figures as printed by ``make corpus``."""
    lines = [_line(("* " if e.held_out else "  ") + e.id, s) for e, s in per]
    calibration = Score()
    for entry, score in per:
        if not entry.held_out:
            calibration.add(score)
    lines += [
        "",
        _line("calibration", calibration),
        _line("held out (*)", held_out),
        _line("OVERALL", overall),
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    pack = load_pack("grassroots")
    with tempfile.TemporaryDirectory() as folder:
        overall, held_out, per = run(load_corpus(), pack, Path(folder))
    print(report(overall, held_out, per))
    if args.verbose:
        print()
        print("\n".join(overall.misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
