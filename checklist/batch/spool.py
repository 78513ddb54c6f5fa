"""Where the parent keeps each scored file's whole summary and the roll-up's rows: on disk.

A county's summaries (each unit's area scores, gaps, applicable rules,
coverage, waivers) and its roll-up rows are what the parent would otherwise
hold all at once, so its memory would grow with the number of files. Each
summary is pickled into a private temporary SQLite database as its worker
answers; the parent keeps a light copy (name, town, year, total, file, hash:
what picking and naming need) only until the units are told apart and their
files picked. The roll-up's rows then go into the same database too
(:class:`Rows`), and are read back a few hundred at a time, each unit's
counted file whole, however often the roll-up's sheets and JSON go through
them; while the workbook is written the parent holds no unit's row.
"""

from __future__ import annotations

import pickle
import sqlite3
import weakref
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import overload

from checklist.batch.model import FileScore
from checklist.batch.rollup import UnitRow

_CHUNK = 256
"""Rows read back in one query."""


class Spool:
    """Whole summaries by file number, and rows, in a database deleted when the spool is let go."""

    def __init__(self) -> None:
        # "" opens a private, temporary on-disk database, removed when closed.
        self._db = sqlite3.connect("")
        self._db.executescript(
            "CREATE TABLE summary (file INTEGER PRIMARY KEY, data BLOB);"
            # ``chosen``: the spooled file number of the row's counted file, which
            # the row's own data leaves out (it comes back whole from ``summary``).
            " CREATE TABLE unit_row (rows INTEGER, seq INTEGER, chosen INTEGER, data BLOB,"
            " PRIMARY KEY (rows, seq));"
        )
        self._tables = 0
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

    def keep_rows(self, rows: Iterable[UnitRow]) -> tuple[int, int]:
        """Keep ``rows`` in order; (their table's number, how many)."""
        table = self._tables
        self._tables += 1
        count = 0

        def stored() -> Iterator[tuple[int, int, int | None, bytes]]:
            nonlocal count
            for seq, row in enumerate(rows):
                chosen = row.chosen
                number = chosen.spooled if chosen is not None else None
                if number is not None:
                    row = replace(row, chosen=None)
                count += 1
                yield table, seq, number, pickle.dumps(row, protocol=pickle.HIGHEST_PROTOCOL)

        self._db.executemany("INSERT INTO unit_row VALUES (?, ?, ?, ?)", stored())
        return table, count

    def read_rows(self, table: int, start: int, stop: int) -> list[UnitRow]:
        """Rows ``start..stop-1`` of ``table``, each counted file whole."""
        found = []
        for data, whole in self._db.execute(
            "SELECT r.data, s.data FROM unit_row r LEFT JOIN summary s ON s.file = r.chosen"
            " WHERE r.rows = ? AND r.seq >= ? AND r.seq < ? ORDER BY r.seq",
            (table, start, stop),
        ):
            row: UnitRow = pickle.loads(data)
            if whole is not None:
                row = replace(row, chosen=pickle.loads(whole))
            found.append(row)
        return found


class Rows(Sequence[UnitRow]):
    """The roll-up's rows, kept in a spool; each unit's counted file comes back whole when read.

    Nothing of a row stays in memory once it has been read and let go.
    """

    def __init__(self, rows: Iterable[UnitRow], spool: Spool) -> None:
        self._spool = spool
        self._table, self._len = spool.keep_rows(rows)

    def __len__(self) -> int:
        return self._len

    @overload
    def __getitem__(self, index: int) -> UnitRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[UnitRow]: ...

    def __getitem__(self, index: int | slice) -> UnitRow | list[UnitRow]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._len))]
        at = index + self._len if index < 0 else index
        if not 0 <= at < self._len:
            raise IndexError(index)
        return self._spool.read_rows(self._table, at, at + 1)[0]

    def __iter__(self) -> Iterator[UnitRow]:
        for start in range(0, self._len, _CHUNK):
            yield from self._spool.read_rows(self._table, start, start + _CHUNK)
