"""The county roll-up as data: every roster unit's row and the county's numbers.

Built from the compact per-file summaries, the roster matches and the
picks; read by the roll-up workbook writer and the JSON. Nothing here reads a
file or scores.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from checklist.batch.copied import CopiedPair
from checklist.batch.model import Failure, FileScore, Skipped
from checklist.batch.roster import RosterUnit
from checklist.model import IntakeNote, RulePack, Waiver
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


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class Unmatched:
    """A submission not tied to a roster unit."""

    score: FileScore
    """The file."""
    candidates: tuple[RosterUnit, ...]
    """Roster units it could be (ambiguous) or that come closest (unknown)."""
    ambiguous: bool
    """Several roster units fit equally."""


@dataclass(frozen=True, slots=True)
class SurveyCount:
    """A survey file the batch read as one unit per row."""

    file: str
    """The file, as listed."""
    units: int
    """Units read from its rows."""
    unnamed: int
    """Rows with answers but no unit name, left out."""


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class Coverage:
    """Organisations established, per unit and counted per town and type."""

    orgs: tuple[str, ...]
    """Organisations, in pack order (union, league, women)."""
    by_town: tuple[tuple[str, tuple[tuple[int, int, int], ...]], ...]
    """(town, per org (established, not, unknown))."""
    by_type: tuple[tuple[str, tuple[tuple[int, int, int], ...]], ...]
    """(type, per org (established, not, unknown))."""


@dataclass(frozen=True, slots=True)
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
    rows: tuple[UnitRow, ...]
    """Roster units in roster order, then units not on the roster."""
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
    """Aggregate the rows into the county's numbers; ``waivers`` is the batch's waivers file."""
    scored = [r for r in rows if r.chosen is not None]
    totals = [r.chosen.total for r in scored if r.chosen is not None]
    area_ids = [a.id for a in pack.areas]

    def area_means(group: Sequence[UnitRow]) -> tuple[float | None, ...]:
        means = []
        for i, _ in enumerate(area_ids):
            values = [
                s for r in group if r.chosen is not None and (s := r.chosen.areas[i][1]) is not None
            ]
            means.append(_mean(values))
        return tuple(means)

    grades = Counter(r.chosen.grade for r in scored if r.chosen is not None)
    pairs = [
        (r.chosen.previous[1], r.chosen.total)
        for r in scored
        if r.chosen is not None
        and r.chosen.previous is not None
        and year is not None
        and r.chosen.previous[0] == year - 1
    ]
    listed = [r for r in rows if r.roster is not None] if roster is not None else list(rows)
    stats = Stats(
        expected=len(listed),
        submitted=sum(1 for r in listed if r.chosen is not None or r.failures),
        missing=sum(1 for r in listed if r.chosen is None),
        not_listed=len(rows) - len(listed),
        failed=len(failed),
        scored=len(scored),
        mean=_mean(totals),
        median=round(statistics.median(totals), 2) if totals else None,
        lowest=min(totals) if totals else None,
        highest=max(totals) if totals else None,
        grades=tuple((g.id, grades.get(g.id, 0)) for g in pack.grades),
        areas=tuple(zip(area_ids, area_means(scored), strict=True)),
        previous_year=year - 1 if pairs and year is not None else None,
        previous_mean=_mean([p for p, _ in pairs]),
        current_mean=_mean([c for _, c in pairs]),
        compared=len(pairs),
    )

    def groups(key_of: str) -> tuple[Group, ...]:
        members: dict[str, list[UnitRow]] = defaultdict(list)
        for row in rows:
            members[(row.town if key_of == "town" else row.type) or ""].append(row)
        found = []
        for key in sorted(
            members, key=lambda k: (k == "", _type_order(pack, k) if key_of == "type" else 0, k)
        ):
            group = members[key]
            done = [r for r in group if r.chosen is not None]
            found.append(
                Group(
                    key,
                    len(done),
                    len(group),
                    _mean([r.chosen.total for r in done if r.chosen is not None]),
                    area_means(done),
                )
            )
        return tuple(found)

    return RollUp(
        year=year,
        pack_id=pack.id,
        pack_version=pack.version,
        roster=roster,
        rows=tuple(rows),
        unmatched=tuple(unmatched),
        failed=tuple(failed),
        skipped=tuple(skipped),
        copied=tuple(copied),
        common_gaps=_common_gaps(scored, pack),
        towns=groups("town"),
        types=groups("type"),
        coverage=_coverage(scored, pack),
        stats=stats,
        pack_base=pack.base,
        unused_waivers=(
            *(n for r in scored if r.chosen is not None for n in r.chosen.waiver_notes),
            *unknown_units(waivers, [r.chosen.unit for r in scored if r.chosen is not None]),
        ),
        surveys=tuple(surveys),
    )


def _type_order(pack: RulePack, type_id: str) -> int:
    ids = [t.id for t in pack.unit_types]
    return ids.index(type_id) if type_id in ids else len(ids)


def _common_gaps(scored: Sequence[UnitRow], pack: RulePack) -> tuple[CommonGap, ...]:
    gaps: Counter[str] = Counter()
    applies: Counter[str] = Counter()
    per: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for row in scored:
        assert row.chosen is not None
        gap_ids = set(row.chosen.gaps)
        for rule_id in row.chosen.applicable:
            applies[rule_id] += 1
            hit = rule_id in gap_ids
            gaps[rule_id] += hit
            for kind, key in (("type", row.type or ""), ("town", row.town)):
                cell = per[(rule_id, kind, key)]
                cell[0] += hit
                cell[1] += 1
    order = {r.id: i for i, r in enumerate(pack.rules)}
    found = []
    for rule_id, count in gaps.items():
        if count < 2:
            continue

        def split(kind: str, rule_id: str = rule_id) -> tuple[tuple[str, int, int], ...]:
            found = [
                (key, v[0], v[1]) for (r, k, key), v in per.items() if r == rule_id and k == kind
            ]
            if kind == "type":
                return tuple(sorted(found, key=lambda item: (_type_order(pack, item[0]), item[0])))
            return tuple(sorted(found))

        found.append(CommonGap(rule_id, count, applies[rule_id], split("type"), split("town")))
    found.sort(key=lambda g: (-g.units, -g.share, order.get(g.rule_id, 0)))
    return tuple(found)


def _coverage(scored: Sequence[UnitRow], pack: RulePack) -> Coverage:
    orgs = tuple(org.value for org, _ in pack.coverage)

    def count(group: Sequence[UnitRow]) -> tuple[tuple[int, int, int], ...]:
        result = []
        for i, _ in enumerate(orgs):
            states = [r.chosen.coverage[i][1] for r in group if r.chosen is not None]
            result.append(
                (
                    sum(1 for s in states if s is True),
                    sum(1 for s in states if s is False),
                    sum(1 for s in states if s is None),
                )
            )
        return tuple(result)

    towns: dict[str, list[UnitRow]] = defaultdict(list)
    types: dict[str, list[UnitRow]] = defaultdict(list)
    for row in scored:
        towns[row.town].append(row)
        types[row.type or ""].append(row)
    return Coverage(
        orgs,
        tuple((t, count(towns[t])) for t in sorted(towns)),
        tuple((t, count(types[t])) for t in sorted(types, key=lambda k: (_type_order(pack, k), k))),
    )
