"""What the history database hands back: plain frozen records, no SQL.

:mod:`checklist.history` stores and reads them; the trend, the re-scoring and
the terminal tables only read them, so none of those needs the database.
"""

from __future__ import annotations

from collections.abc import Mapping

from checklist.compare import PackRef
from checklist.model import Answer, Result, UnitInfo
from checklist.records import record


@record
class UnitRecord:
    """A unit as the database knows it."""

    id: int
    """Database id."""
    key: str
    """Stable name key (:func:`checklist.identity.unit_key`)."""
    name: str
    """The name written in its latest saved year."""
    type: str | None
    """Unit type id, when known."""
    town: str
    """所属镇（街道）, when known."""
    names: tuple[str, ...]
    """Every name the unit has been saved under, first seen first."""
    years: tuple[int, ...]
    """Years saved, oldest first."""


@record
class Entry:
    """One saved assessment, without its answers (what ``history list`` shows)."""

    id: int
    """Database id."""
    unit_id: int
    """The unit's database id."""
    unit_key: str
    """The unit's stable name key."""
    unit_name: str
    """The unit's name as written that year."""
    unit_type: str | None
    """Unit type id as read that year."""
    town: str
    """Town as read that year."""
    year: int
    """Assessment year."""
    source_name: str
    """File name the assessment was read from."""
    source_sha256: str | None
    """SHA-256 of that file, when it was saved from a file."""
    scored_pack: PackRef
    """Pack that scored the assessment when it was saved."""
    pack: PackRef
    """Pack of the current result (differs after ``history rescore``)."""
    total: float
    """Total score of the current result."""
    grade: str
    """Grade id of the current result."""
    saved_at: str
    """When it was saved (UTC, ISO 8601)."""
    rescored_at: str | None
    """When it was last re-scored, if ever."""


@record
class StoredAssessment:
    """One saved assessment in full."""

    entry: Entry
    """The summary row."""
    unit: UnitInfo
    """The unit as read that year."""
    answers: Mapping[str, Answer]
    """Raw answers keyed by rule id, exactly as intake read them (read-only)."""
    result: Result
    """The current result (re-scored by ``history rescore``)."""
    scored_result: Result
    """The result as it was when saved; never changed."""


@record
class UnitHistory:
    """A unit and all its saved years."""

    unit: UnitRecord
    """The unit."""
    assessments: tuple[StoredAssessment, ...]
    """Its assessments, oldest year first."""


@record
class RescoredEntry:
    """What a re-score did to one assessment."""

    unit_name: str
    """Unit name as written that year."""
    year: int
    """Assessment year."""
    pack_before: PackRef
    """Pack of the result before."""
    total_before: float
    """Total before."""
    total_after: float
    """Total after."""
    grade_before: str
    """Grade id before."""
    grade_after: str
    """Grade id after."""

    @property
    def changed(self) -> bool:
        """Whether the total or the grade moved."""
        return abs(self.total_after - self.total_before) > 0.005 or (
            self.grade_after != self.grade_before
        )


@record
class RescoreReport:
    """What ``history rescore`` did."""

    pack: PackRef
    """Pack every assessment was re-scored under."""
    entries: tuple[RescoredEntry, ...]
    """One per assessment, by unit then year."""

    @property
    def changed(self) -> int:
        """How many results moved."""
        return sum(1 for e in self.entries if e.changed)
