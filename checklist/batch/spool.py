"""Where the parent keeps each scored file's whole summary: on disk, read back row by row.

A county's summaries (each unit's area scores, gaps, applicable rules,
coverage, waivers) are what the parent would otherwise hold all at once, so
its memory would grow with the number of files. Each summary is pickled into
a private temporary SQLite database as its worker answers; the parent keeps
a light copy (name, town, year, total, file, hash: what picking and naming
need), and the roll-up's :class:`Rows` read the whole summary back when a row
is read, one row at a time.
"""

from __future__ import annotations

import pickle
import sqlite3
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import overload

from checklist.batch.model import FileScore
from checklist.batch.rollup import UnitRow


class Spool:
    """Whole summaries by file number, in a database deleted when the spool is let go."""

    def __init__(self) -> None:
        # "" opens a private, temporary on-disk database, removed when closed.
        self._db = sqlite3.connect("")
        self._db.execute("CREATE TABLE summary (file INTEGER PRIMARY KEY, data BLOB)")
        weakref.finalize(self, self._db.close)

    def keep(self, number: int, score: FileScore) -> FileScore:
        """Keep ``score`` as file number ``number``; its light copy for the parent."""
        data = pickle.dumps(score, protocol=pickle.HIGHEST_PROTOCOL)
        self._db.execute("INSERT OR REPLACE INTO summary VALUES (?, ?)", (number, data))
        return score.light(number)

    def whole(self, score: FileScore) -> FileScore:
        """The whole summary of ``score`` (itself unless it is a light copy)."""
        if score.spooled is None:
            return score
        (data,) = self._db.execute(
            "SELECT data FROM summary WHERE file = ?", (score.spooled,)
        ).fetchone()
        found: FileScore = pickle.loads(data)
        return found


class Rows(Sequence[UnitRow]):
    """The roll-up's rows; each unit's counted file comes back whole when its row is read."""

    def __init__(self, rows: Sequence[UnitRow], spool: Spool) -> None:
        self._rows = list(rows)
        self._spool = spool

    def _whole(self, row: UnitRow) -> UnitRow:
        if row.chosen is None or row.chosen.spooled is None:
            return row
        return replace(row, chosen=self._spool.whole(row.chosen))

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> UnitRow: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[UnitRow]: ...

    def __getitem__(self, index: int | slice) -> UnitRow | Sequence[UnitRow]:
        if isinstance(index, slice):
            return [self._whole(row) for row in self._rows[index]]
        return self._whole(self._rows[index])

    def __iter__(self) -> Iterator[UnitRow]:
        for row in self._rows:
            yield self._whole(row)
