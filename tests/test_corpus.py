"""Intake on the labelled corpus of real-world form layouts (tests/corpus/).

The workbooks are modelled on published forms (each cites its source) and
carry an answer key per row; ``scripts/corpus.py`` builds and scores them and
``make corpus`` prints the figures. The thresholds here are the floor the
figures must not fall below, on the calibration part and on the held-out part.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checklist.rulepack import load_pack
from scripts.corpus import Score, load_corpus, run

# (recall, precision, end to end) in percent, how many rows without a
# counterpart may be matched, and how many workbooks may have their unit name,
# year or type wrong. Issue 11's targets are 85% end to end, 98% precision, no
# row without a counterpart matched and at most one workbook's unit details
# wrong. Both parts meet them; the floors hold what is reached.
FLOORS = {
    "calibration": (98.0, 99.0, 98.0, 0, 1),
    "held_out": (89.0, 99.0, 89.0, 0, 1),
}


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Score]:
    entries = load_corpus()
    _, held_out, per = run(entries, load_pack("grassroots"), Path(tmp_path_factory.mktemp("c")))
    calibration = Score()
    for entry, score in per:
        if not entry.held_out:
            calibration.add(score)
    return {"calibration": calibration, "held_out": held_out}


def test_corpus_is_large_enough_and_sourced() -> None:
    entries = load_corpus()
    assert len(entries) >= 15
    assert sum(e.held_out for e in entries) >= 4
    for entry in entries:
        assert entry.source.strip(), entry.id
    # Rows the pack has no rule for (pack 2026.2 gave several of them one).
    assert sum(1 for e in entries for k in e.keys if k.rule is None) >= 10


@pytest.mark.parametrize("part", sorted(FLOORS))
def test_corpus_figures_hold(scores: dict[str, Score], part: str) -> None:
    recall, precision, end_to_end, stray, unit_misses = FLOORS[part]
    score = scores[part]
    shown = "\n".join(score.misses)
    assert score.recall >= recall, shown
    assert score.precision >= precision, shown
    assert score.end_to_end >= end_to_end, shown
    assert score.no_counterpart_matched <= stray, shown
    worst = score.workbooks - min(score.name_right, score.year_right, score.type_right)
    assert worst <= unit_misses, shown
