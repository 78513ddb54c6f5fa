"""Copied answers: pairs of units whose answers agree beyond chance and boilerplate.

Units copy each other's forms (or one secretary fills in three), changing the
unit's name and little else. Agreement is only evidence when what agrees is
rare: the template's own examples and stock phrases ("会议记录、台账"), or a
count many units share, are written by many units and never count. A text or
value is rare when at most ``max(3, 5 %)`` of the units gave it. A pair is
flagged when at least three rules carry the same rare free text (evidence,
text answers) and at least 60 % of the rules both answered agree (common
answers left out); units that merely share document titles still differ in
their numbers and are not flagged. An answer the same as the unit's own
last saved year (``Clue.kept``) is left out of its pairs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from checklist.batch.model import Clue
from checklist.records import record

MIN_RULES = 3
"""Fewest rules with the same distinctive free text for a flag."""
MIN_SHARE = 0.6
"""Least share of the rules both answered (common answers left out) that must agree."""


@record
class Example:
    """One rule both units answered with the same distinctive text."""

    rule_id: str
    """The rule."""
    cells: tuple[str, str]
    """Where each unit typed it."""
    text: str
    """The shared text, as the first unit typed it (its start)."""


@record
class CopiedPair:
    """Two units whose answers look copied."""

    units: tuple[int, int]
    """Indexes of the two units in the list given."""
    rules: int
    """Rules on which they gave the same rare text or value."""
    shared_text: int
    """Of those, rules with the same rare free text."""
    similarity: float
    """Agreeing rules / compared rules (common answers left out), 0..1."""
    examples: tuple[Example, ...]
    """Up to three example cells."""


def find_copied(units: Sequence[tuple[Clue, ...]]) -> tuple[CopiedPair, ...]:
    """Every flagged pair among ``units`` (each unit's clues), strongest first.

    For each pair, every rule both answered is compared: the same rare text or
    value agrees, a different one disagrees, and the same common one (shared
    by more than ``limit`` units: boilerplate, or a count many units have) is
    left out. A pair is flagged when at least three rules agree on free text
    and at least 60 % of the compared rules agree.
    """
    with ClueStore() as store:
        for index, clues in enumerate(units):
            store.add(index, clues)
        return store.copied(range(len(units)))


class ClueStore:
    """Every scored file's clues, kept on disk until the copied-answer check.

    A county's clues are most of what its summaries weigh (a few dozen texts
    per file) and the check needs them all at once, so they go into a private
    temporary SQLite database (on disk, deleted when closed) as each file is
    scored; the check counts and pairs them there, and the process only ever
    holds the pair it is comparing.
    """

    def __init__(self) -> None:
        import sqlite3

        # "" opens a private, temporary on-disk database, removed when closed.
        self._db = sqlite3.connect("")
        self._db.execute(
            "CREATE TABLE clue (file INTEGER, seq INTEGER, rule TEXT, text TEXT,"
            " free INTEGER, cell TEXT, shown TEXT, kept INTEGER)"
        )

    def __enter__(self) -> ClueStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """Let go of the database (its file goes with it)."""
        self._db.close()

    def add(self, file: int, clues: Sequence[Clue]) -> None:
        """Keep ``clues`` as file number ``file``'s."""
        self._db.executemany(
            "INSERT INTO clue VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (file, seq, c.rule_id, c.text, c.free, c.cell, c.shown, c.kept)
                for seq, c in enumerate(clues)
            ],
        )

    def copied(self, files: Sequence[int]) -> tuple[CopiedPair, ...]:
        """Every flagged pair among the units whose files are ``files`` (see :func:`find_copied`).

        A pair's ``units`` are positions in ``files``.
        """
        db = self._db
        limit = max(3, math.floor(0.05 * len(files)))
        db.executescript(
            "DROP TABLE IF EXISTS temp.unit; DROP TABLE IF EXISTS temp.held;"
            " DROP TABLE IF EXISTS temp.common;"
            " CREATE INDEX IF NOT EXISTS clue_file ON clue (file);"
            " CREATE TEMP TABLE unit (file INTEGER PRIMARY KEY, pos INTEGER);"
        )
        db.executemany("INSERT INTO temp.unit VALUES (?, ?)", [(f, p) for p, f in enumerate(files)])
        db.executescript(
            # Who holds each (rule, text, free): each unit once.
            "CREATE TEMP TABLE held AS SELECT DISTINCT u.pos AS pos, c.rule AS rule,"
            " c.text AS text, c.free AS free FROM clue c JOIN temp.unit u ON u.file = c.file;"
            " CREATE INDEX temp.held_key ON held (rule, text, free);"
            " CREATE TEMP TABLE common AS SELECT rule, text, free, COUNT(*) AS n FROM temp.held"
            " GROUP BY rule, text, free;"
            " CREATE UNIQUE INDEX temp.common_key ON common (rule, text, free);"
        )
        candidates = db.execute(
            "SELECT DISTINCT a.pos, b.pos FROM temp.common k"
            " JOIN temp.held a ON a.rule = k.rule AND a.text = k.text AND a.free = k.free"
            " JOIN temp.held b ON b.rule = k.rule AND b.text = k.text AND b.free = k.free"
            " WHERE k.free = 1 AND k.n BETWEEN 2 AND ? AND a.pos < b.pos ORDER BY a.pos, b.pos",
            (limit,),
        )
        cache: dict[int, _Unit] = {}

        def unit(pos: int) -> _Unit:
            found = cache.get(pos)
            if found is None:
                if len(cache) >= 256:
                    cache.pop(next(iter(cache)))
                found = cache[pos] = self._unit(files[pos])
            return found

        pairs: list[CopiedPair] = []
        for a, b in candidates:
            first, second = unit(a), unit(b)
            agree_free: list[str] = []
            agree = disagree = 0
            skipped = first.kept | second.kept
            for key, (text, holders) in first.texts.items():
                other = second.texts.get(key)
                if other is None or key in skipped:
                    # A unit's answer kept from its own last year is no sign of copying
                    # (it still counts toward how common that answer is).
                    continue
                if other[0] != text:
                    disagree += 1
                elif holders <= limit:
                    agree += 1
                    if key[1]:
                        agree_free.append(key[0])
            similarity = agree / (agree + disagree) if agree + disagree else 0.0
            if len(agree_free) < MIN_RULES or similarity < MIN_SHARE:
                continue
            examples = []
            for rule_id in sorted(agree_free)[:3]:
                cell, shown = first.first[rule_id]
                examples.append(Example(rule_id, (cell, second.first[rule_id][0]), shown))
            pairs.append(
                CopiedPair((a, b), agree, len(agree_free), round(similarity, 2), tuple(examples))
            )
        pairs.sort(key=lambda p: (-p.similarity, -p.rules, p.units))
        return tuple(pairs)

    def _unit(self, file: int) -> _Unit:
        texts: dict[tuple[str, bool], tuple[str, int]] = {}
        kept: set[tuple[str, bool]] = set()
        first: dict[str, tuple[str, str]] = {}
        rows = self._db.execute(
            "SELECT c.rule, c.free, c.text, c.kept, c.cell, c.shown, k.n FROM clue c"
            " JOIN temp.common k ON k.rule = c.rule AND k.text = c.text AND k.free = c.free"
            " WHERE c.file = ? ORDER BY c.seq",
            (file,),
        )
        for rule_id, free, text, was_kept, cell, shown, holders in rows:
            key = (rule_id, bool(free))
            texts[key] = (text, holders)
            if was_kept:
                kept.add(key)
            if free and rule_id not in first:
                first[rule_id] = (cell, shown or text)
        return _Unit(texts, kept, first)


@record
class _Unit:
    """One unit's clues as a pair is compared."""

    texts: dict[tuple[str, bool], tuple[str, int]]
    """(rule, free) → (its text, how many units gave that text)."""
    kept: set[tuple[str, bool]]
    """(rule, free) of the answers kept from the unit's own last year."""
    first: dict[str, tuple[str, str]]
    """Rule → (cell, text as typed) of its first free-text clue (an example's)."""
