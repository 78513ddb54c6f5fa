"""The county roll-up as data: every roster unit's row and the county's numbers.

Built from the compact per-file summaries, the roster matches and the
picks; read by the roll-up workbook writer and the JSON. Nothing here reads a
file or scores.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path

from checklist.batch.copied import CopiedPair
from checklist.batch.model import Failure, FileScore, Skipped
from checklist.batch.roster import RosterUnit
from checklist.model import IntakeNote, RulePack, UnitInfo, Waiver
from checklist.records import record
from checklist.text import Text
from checklist.waivers import unknown_units


class Missing(StrEnum):
    """Why a roster unit has no usable form."""

    no_file = "no_file"
    unreadable = "unreadable"
    other_year = "other_year"


MISSING_TEXT: dict[Missing, Text] = {
    Missing.no_file: Text("未报送", "no file"),
    Missing.unreadable: Text("文件无法读取", "unreadable file"),
    Missing.other_year: Text("只报送了其他年度的表", "only a form of another year"),
}


@record
class UnitRow:
    """One unit of the roll-up: a roster unit, or a submission the roster does not list."""

    name: str
    """The roster name (the form's name for a unit not on the roster)."""
    town: str
    """Its town."""
    type: str | None
    """Pack unit-type id."""
    roster: RosterUnit | None
    """Its roster entry (None: not on the roster, or no roster given)."""
    chosen: FileScore | None
    """The file that counts (None: missing)."""
    superseded: tuple[FileScore, ...] = ()
    """Other versions of the season's form."""
    identical: tuple[FileScore, ...] = ()
    """Byte-identical copies of the chosen or superseded files."""
    failures: tuple[Failure, ...] = ()
    """Unreadable files that look like this unit's."""
    other_years: tuple[FileScore, ...] = ()
    """Its forms of other years."""
    copied_with: tuple[str, ...] = ()
    """Units its answers look copied with."""
    report: Path | None = None
    """Its gap report (with --reports)."""

    @property
    def missing(self) -> Missing | None:
        """Why the unit has no usable form (None when it has one)."""
        if self.chosen is not None:
            return None
        if self.failures:
            return Missing.unreadable
        if self.other_years:
            return Missing.other_year
        return Missing.no_file


@record
class Unmatched:
    """A submission not tied to a roster unit."""

    score: FileScore
    """The file."""
    candidates: tuple[RosterUnit, ...]
    """Roster units it could be (ambiguous) or that come closest (unknown)."""
    ambiguous: bool
    """Several roster units fit equally."""


@record
class SurveyCount:
    """A survey file the batch read as one unit per row."""

    file: str
    """The file, as listed."""
    units: int
    """Units read from its rows."""
    unnamed: int
    """Rows with answers but no unit name, left out."""


@record
class CommonGap:
    """A rule many units fail."""

    rule_id: str
    """The rule."""
    units: int
    """Units for which it is a gap."""
    applicable: int
    """Units it applies to."""
    by_type: tuple[tuple[str, int, int], ...]
    """(unit type, gaps, applicable) per type."""
    by_town: tuple[tuple[str, int, int], ...]
    """(town, gaps, applicable) per town."""

    @property
    def share(self) -> float:
        """Gaps / applicable (0..1)."""
        return self.units / self.applicable if self.applicable else 0.0


@record
class Group:
    """Averages of one town or one unit type."""

    key: str
    """The town, or the type id."""
    units: int
    """Scored units in it."""
    expected: int
    """Units expected (on the roster) in it."""
    total: float | None
    """Mean total."""
    areas: tuple[float | None, ...]
    """Mean score per area, in pack order."""


@record
class Stats:
    """The county's numbers."""

    expected: int
    """Roster units (or units found, without a roster)."""
    submitted: int
    """Of those, units that sent at least one file of the season (readable or not)."""
    missing: int
    """Of those, units without a usable form."""
    not_listed: int
    """Units scored that the roster does not list."""
    failed: int
    """Files that could not be read."""
    scored: int
    """Units scored."""
    mean: float | None
    """Mean total."""
    median: float | None
    """Median total."""
    lowest: float | None
    """Lowest total."""
    highest: float | None
    """Highest total."""
    grades: tuple[tuple[str, int], ...]
    """Units per grade id, in pack order."""
    areas: tuple[tuple[str, float | None], ...]
    """Mean score per area."""
    previous_year: int | None
    """The year compared with (when history holds it)."""
    previous_mean: float | None
    """Last year's mean total of the units that have both years."""
    current_mean: float | None
    """This year's mean total of those same units."""
    compared: int
    """How many units have both years."""


@record
class Coverage:
    """Organisations established, per unit and counted per town and type."""

    orgs: tuple[str, ...]
    """Organisations, in pack order (union, league, women)."""
    by_town: tuple[tuple[str, tuple[tuple[int, int, int], ...]], ...]
    """(town, per org (established, not, unknown))."""
    by_type: tuple[tuple[str, tuple[tuple[int, int, int], ...]], ...]
    """(type, per org (established, not, unknown))."""


@record
class RollUp:
    """Everything the roll-up workbook and the JSON show."""

    year: int | None
    """The season."""
    pack_id: str
    """Rule pack id."""
    pack_version: str
    """Rule pack version."""
    roster: str | None
    """The roster file's name (None: no roster)."""
    rows: Sequence[UnitRow]
    """Roster units in roster order, then units not on the roster (each read as it is used:
    see :class:`checklist.batch.spool.Rows`)."""
    unmatched: tuple[Unmatched, ...]
    """Submissions not tied to a roster unit."""
    failed: tuple[Failure, ...]
    """Files that could not be read."""
    skipped: tuple[Skipped, ...]
    """Files not read, or read and set aside (other years)."""
    copied: tuple[tuple[UnitRow, UnitRow, CopiedPair], ...]
    """Pairs whose answers look copied."""
    common_gaps: tuple[CommonGap, ...]
    """Rules failed by at least two units, most common first."""
    towns: tuple[Group, ...]
    """Averages per town."""
    types: tuple[Group, ...]
    """Averages per unit type."""
    coverage: Coverage
    """Organisations established."""
    stats: Stats
    """The county's numbers."""
    pack_base: str = ""
    """For an overlay pack: the base's id and version."""
    unused_waivers: tuple[IntakeNote, ...] = ()
    """Waivers not used, and why: per scored unit, then those naming no unit of the batch."""
    surveys: tuple[SurveyCount, ...] = ()
    """Survey files read as one unit per row (their units are among the rows)."""

    @property
    def waivers(self) -> tuple[tuple[UnitRow, Waiver], ...]:
        """Every waiver applied, by unit in row order."""
        return tuple(
            (row, waiver)
            for row in self.rows
            if row.chosen is not None
            for waiver in row.chosen.waivers
        )

    @property
    def scored(self) -> tuple[UnitRow, ...]:
        """Rows with a scored form."""
        return tuple(r for r in self.rows if r.chosen is not None)


def _mean(values: Sequence[float]) -> float | None:
    return round(statistics.fmean(values), 2) if values else None


class _Tally:
    """One town's or unit type's numbers, gathered row by row."""

    __slots__ = ("areas", "rows", "totals")

    def __init__(self, areas: int) -> None:
        self.rows = 0
        self.totals: list[float] = []
        self.areas: list[list[float]] = [[] for _ in range(areas)]

    def add(self, score: FileScore | None) -> None:
        self.rows += 1
        if score is not None:
            self.totals.append(score.total)
            for values, (_, value) in zip(self.areas, score.areas, strict=True):
                if value is not None:
                    values.append(value)

    def means(self) -> tuple[float | None, ...]:
        return tuple(_mean(values) for values in self.areas)


def build_rollup(
    *,
    year: int | None,
    pack: RulePack,
    roster: str | None,
    rows: Sequence[UnitRow],
    unmatched: Sequence[Unmatched],
    failed: Sequence[Failure],
    skipped: Sequence[Skipped],
    copied: Sequence[tuple[UnitRow, UnitRow, CopiedPair]],
    waivers: Sequence[Waiver] = (),
    surveys: Sequence[SurveyCount] = (),
) -> RollUp:
    """Aggregate the rows into the county's numbers; ``waivers`` is the batch's waivers file.

    The rows are read once, one at a time (a spool's rows each come back from
    disk), and only numbers are kept from them.
    """
    area_ids = [a.id for a in pack.areas]
    county = _Tally(len(area_ids))
    towns: dict[str, _Tally] = defaultdict(lambda: _Tally(len(area_ids)))
    types: dict[str, _Tally] = defaultdict(lambda: _Tally(len(area_ids)))
    grades: Counter[str] = Counter()
    pairs: list[tuple[float, float]] = []
    listed = submitted = missing = 0
    gaps = _GapTally()
    coverage = _CoverageTally(len(pack.coverage))
    notes: list[IntakeNote] = []
    units: list[UnitInfo] = []
    for row in rows:
        score = row.chosen
        towns[row.town or ""].add(score)
        types[row.type or ""].add(score)
        if roster is None or row.roster is not None:
            listed += 1
            submitted += score is not None or bool(row.failures)
            missing += score is None
        if score is None:
            continue
        county.add(score)
        grades[score.grade] += 1
        if score.previous is not None and year is not None and score.previous[0] == year - 1:
            pairs.append((score.previous[1], score.total))
        gaps.add(row, score)
        coverage.add(row, score)
        notes.extend(score.waiver_notes)
        if waivers:
            units.append(score.unit)
    totals = county.totals
    stats = Stats(
        expected=listed,
        submitted=submitted,
        missing=missing,
        not_listed=len(rows) - listed,
        failed=len(failed),
        scored=len(totals),
        mean=_mean(totals),
        median=round(statistics.median(totals), 2) if totals else None,
        lowest=min(totals) if totals else None,
        highest=max(totals) if totals else None,
        grades=tuple((g.id, grades.get(g.id, 0)) for g in pack.grades),
        areas=tuple(zip(area_ids, county.means(), strict=True)),
        previous_year=year - 1 if pairs and year is not None else None,
        previous_mean=_mean([p for p, _ in pairs]),
        current_mean=_mean([c for _, c in pairs]),
        compared=len(pairs),
    )

    def groups(tallies: dict[str, _Tally], by_type: bool) -> tuple[Group, ...]:
        return tuple(
            Group(key, len(t.totals), t.rows, _mean(t.totals), t.means())
            for key, t in sorted(
                tallies.items(),
                key=lambda item: (
                    item[0] == "",
                    _type_order(pack, item[0]) if by_type else 0,
                    item[0],
                ),
            )
        )

    return RollUp(
        year=year,
        pack_id=pack.id,
        pack_version=pack.version,
        roster=roster,
        rows=rows,
        unmatched=tuple(unmatched),
        failed=tuple(failed),
        skipped=tuple(skipped),
        copied=tuple(copied),
        common_gaps=gaps.common(pack),
        towns=groups(towns, False),
        types=groups(types, True),
        coverage=coverage.result(pack),
        stats=stats,
        pack_base=pack.base,
        unused_waivers=(*notes, *unknown_units(waivers, units)),
        surveys=tuple(surveys),
    )


def _type_order(pack: RulePack, type_id: str) -> int:
    ids = [t.id for t in pack.unit_types]
    return ids.index(type_id) if type_id in ids else len(ids)


class _GapTally:
    """Per rule: units it applies to and units for which it is a gap, per type and town."""

    def __init__(self) -> None:
        self.gaps: Counter[str] = Counter()
        self.applies: Counter[str] = Counter()
        self.per: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])

    def add(self, row: UnitRow, score: FileScore) -> None:
        gap_ids = set(score.gaps)
        for rule_id in score.applicable:
            self.applies[rule_id] += 1
            hit = rule_id in gap_ids
            self.gaps[rule_id] += hit
            for kind, key in (("type", row.type or ""), ("town", row.town)):
                cell = self.per[(rule_id, kind, key)]
                cell[0] += hit
                cell[1] += 1

    def common(self, pack: RulePack) -> tuple[CommonGap, ...]:
        """Rules failed by at least two units, most common first."""
        order = {r.id: i for i, r in enumerate(pack.rules)}
        found = []
        for rule_id, count in self.gaps.items():
            if count < 2:
                continue

            def split(kind: str, rule_id: str = rule_id) -> tuple[tuple[str, int, int], ...]:
                found = [
                    (key, v[0], v[1])
                    for (r, k, key), v in self.per.items()
                    if r == rule_id and k == kind
                ]
                if kind == "type":
                    return tuple(
                        sorted(found, key=lambda item: (_type_order(pack, item[0]), item[0]))
                    )
                return tuple(sorted(found))

            found.append(
                CommonGap(rule_id, count, self.applies[rule_id], split("type"), split("town"))
            )
        found.sort(key=lambda g: (-g.units, -g.share, order.get(g.rule_id, 0)))
        return tuple(found)


class _CoverageTally:
    """Per town and per type: per organisation, units established, not, unknown."""

    def __init__(self, orgs: int) -> None:
        self.orgs = orgs
        self.towns: dict[str, list[list[int]]] = {}
        self.types: dict[str, list[list[int]]] = {}

    def add(self, row: UnitRow, score: FileScore) -> None:
        for tallies, key in ((self.towns, row.town), (self.types, row.type or "")):
            counts = tallies.setdefault(key, [[0, 0, 0] for _ in range(self.orgs)])
            for i in range(self.orgs):
                state = score.coverage[i][1]
                counts[i][0 if state is True else 1 if state is False else 2] += 1

    def result(self, pack: RulePack) -> Coverage:
        def count(counts: list[list[int]]) -> tuple[tuple[int, int, int], ...]:
            return tuple((yes, no, unknown) for yes, no, unknown in counts)

        return Coverage(
            tuple(org.value for org, _ in pack.coverage),
            tuple((t, count(self.towns[t])) for t in sorted(self.towns)),
            tuple(
                (t, count(self.types[t]))
                for t in sorted(self.types, key=lambda k: (_type_order(pack, k), k))
            ),
        )
