"""batch: the parent's rows and summaries kept in the spool come back whole and in order."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from checklist.batch import spool as spool_module
from checklist.batch.model import FileScore, Submission
from checklist.batch.pool import shared
from checklist.batch.rollup import UnitRow
from checklist.batch.spool import Rows, Spool
from checklist.model import UnitInfo


def _score(n: int) -> FileScore:
    return FileScore(
        submission=Submission(Path(f"/in/{n}.xlsx"), f"in/{n}.xlsx", ("in",), float(n)),
        sha256=f"{n:064x}",
        unit=UnitInfo(f"第{n}村", "village", 2024, "城厢镇"),
        total=60.0 + n % 40,
        base=60.0,
        bonus=float(n % 3),
        grade="pass",
        vetoed_by=(),
        areas=(("org", float(n % 20)), ("work", None)),
        gaps=(f"R{n % 7}",),
        applicable=("R1", "R2", f"R{n % 7}"),
        coverage=(("union", True), ("women", None)),
        over_claims=n % 2,
        unsupported=0,
        unreadable=0,
        clues=(),
        waivers=(),
        waiver_notes=(),
        previous=None,
        report=None,
        stash=None,
    )


def _row(n: int, chosen: FileScore | None) -> UnitRow:
    return UnitRow(name=f"第{n}村", town="城厢镇", type="village", roster=None, chosen=chosen)


@pytest.fixture
def county(monkeypatch: pytest.MonkeyPatch) -> tuple[list[UnitRow], Rows]:
    """Rows over several read chunks: every third unit sent no file."""
    monkeypatch.setattr(spool_module, "_CHUNK", 4)
    store = Spool()
    whole = [_score(n) for n in range(11)]
    light = [store.keep(n, score) for n, score in enumerate(whole)]
    expected = [_row(n, None if n % 3 == 2 else whole[n]) for n in range(11)]
    kept = [_row(n, None if n % 3 == 2 else light[n]) for n in range(11)]
    return expected, Rows(kept, store)


def test_rows_come_back_whole_and_in_order(county: tuple[list[UnitRow], Rows]) -> None:
    expected, rows = county
    assert len(rows) == len(expected)
    assert list(rows) == expected
    assert list(rows) == expected  # read again, as each sheet and the JSON do
    assert all(r.chosen is None or r.chosen.spooled is None for r in rows)


def test_rows_by_index_and_slice(county: tuple[list[UnitRow], Rows]) -> None:
    expected, rows = county
    assert rows[0] == expected[0]
    assert rows[5] == expected[5]
    assert rows[-1] == expected[-1]
    assert rows[3:9] == expected[3:9]
    assert rows[::-2] == expected[::-2]
    assert expected[4] in rows
    assert rows.index(expected[7]) == 7
    with pytest.raises(IndexError):
        rows[len(expected)]
    with pytest.raises(IndexError):
        rows[-len(expected) - 1]


def test_no_rows() -> None:
    rows = Rows([], Spool())
    assert len(rows) == 0
    assert not rows
    assert list(rows) == []


def test_two_row_lists_in_one_spool_stay_apart() -> None:
    store = Spool()
    light = store.keep(0, _score(0))
    first = Rows([_row(0, light), _row(1, None)], store)
    second = Rows([_row(2, None)], store)
    assert [r.name for r in first] == ["第0村", "第1村"]
    assert [r.name for r in second] == ["第2村"]
    assert first[0].chosen == _score(0)


def test_the_kept_summary_shares_the_parents_submission() -> None:
    sent = _score(3).submission
    # As a worker's answer arrives: unpickled, with its own equal copy of the submission.
    answer = pickle.loads(pickle.dumps(_score(3)))
    kept = shared(answer, sent)
    assert isinstance(kept, FileScore)
    assert kept.submission is sent
    assert kept == _score(3)
    # A survey's row names its row: it keeps its own submission.
    other = Submission(Path("/in/survey.xlsx"), "in/survey.xlsx (row 4)", ("in",), 1.0)
    assert isinstance(row := shared(answer, other), FileScore)
    assert row.submission is not other
    assert row.submission == sent
