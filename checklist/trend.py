"""One unit over all its saved years → a Trend. Pure; no I/O.

Every year's stored raw answers are re-scored under ONE pack (the trend says
which), so a rising score means the unit did better, not that the rules
changed; the pack that scored each year when it was saved, and the score it
gave then, are kept beside it. A *persistent gap* is a rule that was a gap in
two or more consecutive saved years (the essay's complaint: problems stay
because nobody follows them up); a *regression* is a rule that regressed (in
the one sense :mod:`checklist.compare` defines) from one saved year to the
next. Each year also carries its comparison with the year before, so the
trend names the same closed, new, persistent and regressed rules as
``compare`` and ``score`` for those two years.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from checklist.compare import Change, Comparison, PackRef, change_between, compare, gap_lists
from checklist.model import Result, RulePack, RuleResult, Severity, Status, Waiver
from checklist.records import record
from checklist.rescore import rescored
from checklist.saved import StoredAssessment, UnitRecord

_SEVERITY_ORDER = {Severity.critical: 0, Severity.major: 1, Severity.minor: 2}


@record
class TrendYear:
    """One saved year, re-scored."""

    year: int
    """Assessment year."""
    unit_name: str
    """The unit's name as written that year."""
    source: str
    """File the assessment was read from."""
    total: float
    """Total under the trend's pack."""
    base: float
    """Base score under the trend's pack."""
    bonus: float
    """Bonus points counted under the trend's pack."""
    grade: str
    """Grade id under the trend's pack."""
    areas: tuple[float | None, ...]
    """Area scores under the trend's pack, aligned with :attr:`Trend.areas`."""
    answered: int
    """Applicable rules answered."""
    applicable: int
    """Applicable rules."""
    gaps: int
    """Rules that were gaps that year."""
    scored_pack: PackRef
    """Pack that scored the year when it was saved."""
    scored_total: float
    """Total as scored when saved (under ``scored_pack``)."""
    scored_grade: str
    """Grade id as scored when saved."""
    delta: float | None
    """Total minus the previous saved year's total (None for the first year)."""
    since: Comparison | None = None
    """This year against the previous saved year, both under the trend's pack (None for the
    first year): its closed, new, persistent and regressed rules are the ones ``compare``
    and ``score`` name for the same two years."""

    @property
    def since_counts(self) -> tuple[int, int, int] | None:
        """Gaps closed, new gaps and regressions since the year before (None for the first)."""
        if self.since is None:
            return None
        return len(self.since.closed), len(self.since.new_gaps), len(self.since.regressed)


@record
class TrendRow:
    """One rule across the years: a row of the status grid."""

    rule_id: str
    """The rule."""
    area: str
    """Its area."""
    statuses: tuple[Status, ...]
    """Status per year, aligned with :attr:`Trend.years`."""
    earned: tuple[float, ...]
    """Points earned per year."""
    possible: tuple[float, ...]
    """Points at stake per year (0 when N/A)."""
    longest_run: int
    """Most consecutive saved years it was a gap."""
    open_run: int
    """Consecutive gap years ending with the latest year (0 when the latest year is not a gap)."""
    regressed_in: tuple[int, ...]
    """Years in which it was worse than the saved year before."""

    @property
    def persistent(self) -> bool:
        """A gap two or more saved years running."""
        return self.longest_run >= 2

    @property
    def regressed(self) -> bool:
        """Worse than the year before in at least one year."""
        return bool(self.regressed_in)


@record
class PackChange:
    """How a pack some years were saved under differs from the trend's pack."""

    pack: PackRef
    """The pack those years were scored under when saved."""
    years: tuple[int, ...]
    """The years saved under it."""
    added: tuple[str, ...]
    """Rule ids the trend's pack has and that pack had not (blank in those years)."""
    retired: tuple[str, ...]
    """Rule ids that pack had and the trend's pack no longer has (their answers not scored)."""


@record
class Trend:
    """Everything ``checklist trend`` shows; the trend report only reads this."""

    unit_key: str
    """The unit's stable name key."""
    unit_name: str
    """The unit's name in its latest year."""
    unit_type: str | None
    """Unit type id, when known."""
    town: str
    """Town, when known."""
    names: tuple[str, ...]
    """Every name the unit was saved under."""
    pack: PackRef
    """The ONE pack every year was re-scored under."""
    years: tuple[TrendYear, ...]
    """Saved years, oldest first."""
    areas: tuple[str, ...]
    """Area ids of the pack, in its order."""
    rows: tuple[TrendRow, ...]
    """Rules: persistent gaps first (still open, longest run, most severe), then
    regressions (latest first), then the rest in pack order."""
    pack_changes: tuple[PackChange, ...] = ()
    """Each other pack version years were saved under, and the rules added and retired since."""

    @property
    def persistent(self) -> tuple[str, ...]:
        """Rule ids of persistent gaps, in row order."""
        return tuple(r.rule_id for r in self.rows if r.persistent)

    @property
    def regressed(self) -> tuple[str, ...]:
        """Rule ids that regressed in some year, in row order."""
        return tuple(r.rule_id for r in self.rows if r.regressed)

    @property
    def year_numbers(self) -> tuple[int, ...]:
        """The years, oldest first."""
        return tuple(y.year for y in self.years)

    def row(self, rule_id: str) -> TrendRow:
        """The grid row of ``rule_id`` (StopIteration when absent)."""
        return next(r for r in self.rows if r.rule_id == rule_id)


def _runs(gaps: Sequence[bool]) -> tuple[int, int]:
    longest = current = 0
    for gap in gaps:
        current = current + 1 if gap else 0
        longest = max(longest, current)
    return longest, current


def _row(rule_id: str, area: str, per_year: Sequence[tuple[int, RuleResult]]) -> TrendRow:
    statuses = tuple(r.status for _, r in per_year)
    longest, current = _runs([r.is_gap for _, r in per_year])
    regressed = tuple(
        year
        for (_, before), (year, after) in pairwise(per_year)
        if change_between(before, after) is Change.regressed
    )
    return TrendRow(
        rule_id=rule_id,
        area=area,
        statuses=statuses,
        earned=tuple(r.earned for _, r in per_year),
        possible=tuple(r.possible for _, r in per_year),
        longest_run=longest,
        open_run=current,
        regressed_in=regressed,
    )


def build_trend(
    unit: UnitRecord,
    assessments: Sequence[StoredAssessment],
    pack: RulePack,
    waivers: Sequence[Waiver] = (),
) -> Trend:
    """The trend of ``unit`` over ``assessments``, every year re-scored under ``pack`` with the
    waivers it was saved with and those of ``waivers`` that hold for it that year."""
    ordered = sorted(assessments, key=lambda s: s.entry.year)
    results: list[tuple[StoredAssessment, Result]] = [
        (s, rescored(s, pack, waivers)) for s in ordered
    ]

    years: list[TrendYear] = []
    previous: float | None = None
    before: Result | None = None
    for stored, result in results:
        areas = {a.area: a.score for a in result.areas}
        years.append(
            TrendYear(
                year=stored.entry.year,
                unit_name=stored.unit.name,
                source=stored.entry.source_name,
                total=result.score.total,
                base=result.score.base,
                bonus=result.score.bonus,
                grade=result.score.grade,
                areas=tuple(areas.get(a.id) for a in pack.areas),
                answered=result.completeness.answered,
                applicable=result.completeness.applicable,
                gaps=sum(1 for r in result.rules if r.is_gap),
                scored_pack=stored.entry.scored_pack,
                scored_total=stored.scored_result.score.total,
                scored_grade=stored.scored_result.score.grade,
                delta=None if previous is None else round(result.score.total - previous, 2),
                # One unit by construction (its names may differ over the years).
                since=None if before is None else compare(before, result, force=True),
            )
        )
        previous = result.score.total
        before = result

    order = {rule.id: index for index, rule in enumerate(pack.rules)}
    severity = {rule.id: _SEVERITY_ORDER[rule.severity] for rule in pack.rules}
    rows = [
        _row(
            rule.id,
            rule.area,
            [(stored.entry.year, result.rule(rule.id)) for stored, result in results],
        )
        for rule in pack.rules
    ]

    def rank(row: TrendRow) -> tuple[Any, ...]:
        if row.persistent:
            return (0, -row.open_run, -row.longest_run, severity[row.rule_id], order[row.rule_id])
        if row.regressed:
            return (1, -row.regressed_in[-1], severity[row.rule_id], order[row.rule_id])
        return (2, order[row.rule_id])

    rows.sort(key=rank)
    return Trend(
        pack_changes=_pack_changes(results, pack),
        unit_key=unit.key,
        unit_name=unit.name,
        unit_type=unit.type,
        town=unit.town,
        names=unit.names,
        pack=PackRef(pack.id, pack.version),
        years=tuple(years),
        areas=tuple(a.id for a in pack.areas),
        rows=tuple(rows),
    )


def _pack_changes(
    results: Sequence[tuple[StoredAssessment, Result]], pack: RulePack
) -> tuple[PackChange, ...]:
    """Rules added and retired between each saved pack version and ``pack``, by the saved results."""
    now = PackRef(pack.id, pack.version)
    current = [rule.id for rule in pack.rules]
    changes: dict[PackRef, PackChange] = {}
    for stored, _ in results:
        then = stored.entry.scored_pack
        if then == now:
            continue
        had = [r.rule_id for r in stored.scored_result.rules]
        seen = changes.get(then)
        years = (*seen.years, stored.entry.year) if seen else (stored.entry.year,)
        changes[then] = PackChange(
            then,
            years,
            tuple(r for r in current if r not in had),
            tuple(r for r in had if r not in current),
        )
    return tuple(changes.values())


def trend_to_dict(trend: Trend) -> dict[str, Any]:
    """The trend as JSON."""
    return {
        "unit": {
            "key": trend.unit_key,
            "name": trend.unit_name,
            "type": trend.unit_type,
            "town": trend.town,
            "names": list(trend.names),
        },
        "pack": {"id": trend.pack.id, "version": trend.pack.version},
        "years": [
            {
                "year": y.year,
                "unit_name": y.unit_name,
                "source": y.source,
                "total": y.total,
                "base": y.base,
                "bonus": y.bonus,
                "grade": y.grade,
                "delta": y.delta,
                "areas": dict(zip(trend.areas, y.areas, strict=True)),
                "answered": y.answered,
                "applicable": y.applicable,
                "gaps": y.gaps,
                "since_previous": None if y.since is None else gap_lists(y.since),
                "scored": {
                    "pack": {"id": y.scored_pack.id, "version": y.scored_pack.version},
                    "total": y.scored_total,
                    "grade": y.scored_grade,
                },
            }
            for y in trend.years
        ],
        "rules": [
            {
                "id": r.rule_id,
                "area": r.area,
                "statuses": {
                    str(year): s.value
                    for year, s in zip(trend.year_numbers, r.statuses, strict=True)
                },
                "persistent": r.persistent,
                "longest_run": r.longest_run,
                "open_run": r.open_run,
                "regressed_in": list(r.regressed_in),
            }
            for r in trend.rows
        ],
        "pack_changes": [
            {
                "pack": {"id": c.pack.id, "version": c.pack.version},
                "years": list(c.years),
                "rules_added": list(c.added),
                "rules_retired": list(c.retired),
            }
            for c in trend.pack_changes
        ],
        "persistent": list(trend.persistent),
        "regressed": list(trend.regressed),
    }
