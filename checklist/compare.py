"""Year over year: two finished results of one unit → a Comparison. Pure; no I/O.

Rules are compared by id, so results scored under different pack versions can
be compared: a rule only the new side has is a ``new_rule``, one only the old
side has is a ``retired_rule``, and both are listed rather than dropped.

Statuses rank ``pass`` > ``partial`` / ``unsupported`` > ``fail`` / ``missing``;
``na`` has no rank, so a rule that starts or stops applying gets its own change
kind instead of counting as better or worse.

The vocabulary of year over year, defined here once and used by ``score``
(its previous-year line and report), ``compare``, ``trend``, ``demo`` and
``batch`` (see ``docs/vocabulary.md``):

- a **gap** (问题) is a rule that applies to the unit and is not fully met
  (any status but ``pass`` and ``na``); a bonus rule not earned is no gap, it
  costs no base points (:func:`is_gap`);
- **closed** (已整改): a gap last year that is met this year;
- **new** (新增问题): a gap this year that was not one last year (it was met,
  did not apply, or the rule did not exist);
- **persistent** (持续问题): a gap in both years;
- **regressed** (退步): a rule, no bonus, that applies in both years and scores
  worse than last year: a lower status (pass > partial, unsupported > fail,
  missing), or the same status with a smaller share of its points
  (:func:`regressed`). Every regressed rule is a gap now, so the regressed
  rules are some of the new and persistent gaps. A bonus rule that earns less
  than last year is *bonus lost* (加分减少), not regressed.

Both results must be of one unit by the rules of :mod:`checklist.identity`.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from checklist.identity import check_same_unit, same_unit, unit_key
from checklist.model import Result, RuleResult, Status, UnitInfo
from checklist.records import record
from checklist.text import Text

_SHARE_TOLERANCE = 0.005


class Change(StrEnum):
    """How one rule moved between the two assessments."""

    improved = "improved"
    regressed = "regressed"
    """Worse than last year (see :func:`regressed`)."""
    bonus_lost = "bonus_lost"
    """A bonus rule that earns less than last year (no gap, so never regressed)."""
    unchanged = "unchanged"
    new_rule = "new_rule"
    """Only the new result has the rule (added to the pack)."""
    retired_rule = "retired_rule"
    """Only the old result has the rule (removed from the pack)."""
    now_applies = "now_applies"
    """N/A before, applicable now (unit type changed, a ``since`` year reached, or N/A no longer declared)."""
    no_longer_applies = "no_longer_applies"
    """Applicable before, N/A now."""
    waived = "waived"
    """Waived now, not before: an agreed exception, neither closed nor a regression."""
    unwaived = "unwaived"
    """Waived before, applicable and not waived now."""


CHANGE_TEXT: dict[Change, Text] = {
    Change.improved: Text("提升", "Improved"),
    Change.regressed: Text("退步", "Regressed"),
    Change.bonus_lost: Text("加分减少", "Bonus lost"),
    Change.unchanged: Text("不变", "Unchanged"),
    Change.new_rule: Text("新增规则", "New rule"),
    Change.retired_rule: Text("已取消规则", "Retired rule"),
    Change.now_applies: Text("新适用", "Now applies"),
    Change.no_longer_applies: Text("不再适用", "No longer applies"),
    Change.waived: Text("已豁免", "Waived"),
    Change.unwaived: Text("不再豁免", "No longer waived"),
}

_RANK: dict[Status, int] = {
    Status.passed: 3,
    Status.partial: 2,
    Status.unsupported: 2,
    Status.fail: 1,
    Status.missing: 1,
}


def status_rank(status: Status) -> int | None:
    """3 for pass, 2 for partial/unsupported, 1 for fail/missing, None for na."""
    return _RANK.get(status)


def is_gap(status: Status | None, bonus: bool = False) -> bool:
    """Whether a status is a gap: applicable and not fully met; never a bonus rule (see RuleResult.is_gap)."""
    return (
        not bonus and status is not None and status not in (Status.passed, Status.na, Status.waived)
    )


def regressed(old: RuleResult | None, new: RuleResult | None) -> bool:
    """Whether a rule regressed from ``old`` to ``new`` (the one definition; see the module)."""
    return change_between(old, new) is Change.regressed


def _share(result: RuleResult) -> float:
    return result.earned / result.possible if result.possible else 0.0


def change_between(old: RuleResult | None, new: RuleResult | None) -> Change:
    """The change kind from ``old`` to ``new`` (either may be absent, not both).

    Equal ranks are separated by the share of points earned, so a partial
    answer that earns more than last year counts as improved.
    """
    if old is None and new is None:
        raise ValueError("change_between needs at least one side")
    if old is None:
        return Change.new_rule
    if new is None:
        return Change.retired_rule
    then, now = status_rank(old.status), status_rank(new.status)
    # A waiver is an agreed exception, not the work done or undone: a gap waived is
    # not closed, and a waiver that lapses is no regression.
    if new.status is Status.waived and old.status is not Status.waived:
        return Change.waived
    if old.status is Status.waived and new.status is not Status.waived:
        return Change.unwaived if now is not None else Change.no_longer_applies
    if then is None and now is None:
        return Change.unchanged
    if then is None:
        return Change.now_applies
    if now is None:
        return Change.no_longer_applies
    delta = _share(new) - _share(old)
    if now > then or (now == then and delta > _SHARE_TOLERANCE):
        return Change.improved
    if now < then or delta < -_SHARE_TOLERANCE:
        return Change.bonus_lost if old.bonus or new.bonus else Change.regressed
    return Change.unchanged


# --- the comparison --------------------------------------------------------------------


@record
class PackRef:
    """Which rule pack scored one side."""

    id: str
    """Pack id."""
    version: str
    """Pack version."""

    def __str__(self) -> str:
        return f"{self.id} {self.version}"


@record
class RuleChange:
    """One rule then and now."""

    rule_id: str
    """The rule (results are matched by id)."""
    area: str
    """Its area (the new side's when both have it)."""
    change: Change
    """How it moved."""
    status_then: Status | None
    """Status in the old result; None when the old pack had no such rule."""
    status_now: Status | None
    """Status in the new result; None when the new pack has no such rule."""
    earned_then: float | None
    """Points earned then."""
    earned_now: float | None
    """Points earned now."""
    possible_then: float | None
    """Points at stake then (0 when N/A)."""
    possible_now: float | None
    """Points at stake now."""
    answer_then: str
    """What the unit wrote then (raw text)."""
    answer_now: str
    """What the unit wrote now."""
    bonus: bool
    """Whether the rule is a bonus rule (on either side)."""
    veto: bool
    """Whether the rule is a veto rule (on either side)."""

    @property
    def delta(self) -> float | None:
        """Points now minus points then; None unless both sides have the rule."""
        if self.earned_then is None or self.earned_now is None:
            return None
        return round(self.earned_now - self.earned_then, 2)

    @property
    def gap_then(self) -> bool:
        """Whether the rule was a gap in the old result."""
        return is_gap(self.status_then, self.bonus)

    @property
    def gap_now(self) -> bool:
        """Whether the rule is a gap in the new result."""
        return is_gap(self.status_now, self.bonus)


@record
class AreaChange:
    """One area's score then and now."""

    area: str
    """Area id."""
    score_then: float | None
    """Area score then (None when nothing applied or the old pack lacked the area)."""
    score_now: float | None
    """Area score now."""
    earned_then: float
    """Base points earned then."""
    earned_now: float
    """Base points earned now."""
    possible_then: float
    """Applicable base points then."""
    possible_now: float
    """Applicable base points now."""

    @property
    def delta(self) -> float | None:
        """Score now minus score then; None unless both are known."""
        if self.score_then is None or self.score_now is None:
            return None
        return round(self.score_now - self.score_then, 2)


@record
class ScoreChange:
    """The headline numbers then and now."""

    base_then: float
    """Base score then."""
    base_now: float
    """Base score now."""
    bonus_then: float
    """Bonus points counted then."""
    bonus_now: float
    """Bonus points counted now."""
    total_then: float
    """Total (base + bonus) then."""
    total_now: float
    """Total now."""
    grade_then: str
    """Grade id then."""
    grade_now: str
    """Grade id now."""
    answered_then: int
    """Applicable rules answered then."""
    answered_now: int
    """Applicable rules answered now."""
    applicable_then: int
    """Applicable rules then."""
    applicable_now: int
    """Applicable rules now."""

    @property
    def base_delta(self) -> float:
        """Base score now minus then."""
        return round(self.base_now - self.base_then, 2)

    @property
    def bonus_delta(self) -> float:
        """Bonus now minus then."""
        return round(self.bonus_now - self.bonus_then, 2)

    @property
    def total_delta(self) -> float:
        """Total now minus then."""
        return round(self.total_now - self.total_then, 2)


@record
class Comparison:
    """Everything compare produces; the compare report only reads this."""

    unit_then: UnitInfo
    """The unit as the old result names it."""
    unit_now: UnitInfo
    """The unit as the new result names it."""
    pack_then: PackRef
    """Pack that scored the old result."""
    pack_now: PackRef
    """Pack that scored the new result."""
    overall: ScoreChange
    """Overall score, grade and completeness then and now."""
    areas: tuple[AreaChange, ...]
    """Per area: the new pack's areas in order, then areas only the old pack had."""
    rules: tuple[RuleChange, ...]
    """Per rule: the new result's order, then rules only the old result had."""
    closed: tuple[str, ...]
    """Rule ids that were a gap then and pass now (*closed*)."""
    new_gaps: tuple[str, ...]
    """Rule ids that are a gap now but were not then (passed, N/A, or not in the old pack)."""
    persistent: tuple[str, ...]
    """Rule ids that are a gap in both (the problems nobody followed up)."""
    regressed: tuple[str, ...]
    """Rule ids that *regressed*: gaps now, worse than then (some of the new and persistent gaps)."""
    added_rules: tuple[str, ...]
    """Rule ids only the new result has."""
    retired_rules: tuple[str, ...]
    """Rule ids only the old result has."""
    waived: tuple[str, ...] = ()
    """Rule ids waived now but not then (a gap then is not closed: it was waived)."""
    unwaived: tuple[str, ...] = ()
    """Rule ids waived then, applicable and not waived now."""
    forced: bool = False
    """True when the units did not look the same and the caller forced the comparison."""

    @property
    def same_pack(self) -> bool:
        """Whether one pack version scored both sides (deltas are then like for like)."""
        return self.pack_then == self.pack_now

    @property
    def year_then(self) -> int | None:
        """Old assessment year."""
        return self.unit_then.year

    @property
    def year_now(self) -> int | None:
        """New assessment year."""
        return self.unit_now.year

    def rule(self, rule_id: str) -> RuleChange:
        """The change for ``rule_id`` (StopIteration when absent)."""
        return next(r for r in self.rules if r.rule_id == rule_id)


def _rule_change(old: RuleResult | None, new: RuleResult | None) -> RuleChange:
    either = new if new is not None else old
    assert either is not None
    return RuleChange(
        rule_id=either.rule_id,
        area=either.area,
        change=change_between(old, new),
        status_then=old.status if old else None,
        status_now=new.status if new else None,
        earned_then=old.earned if old else None,
        earned_now=new.earned if new else None,
        possible_then=old.possible if old else None,
        possible_now=new.possible if new else None,
        answer_then=old.answer.raw if old else "",
        answer_now=new.answer.raw if new else "",
        bonus=any(r.bonus for r in (old, new) if r is not None),
        veto=any(r.veto for r in (old, new) if r is not None),
    )


def _ordered_union(first: Iterable[str], second: Iterable[str]) -> list[str]:
    return list(dict.fromkeys([*first, *second]))


def compare(old: Result, new: Result, *, force: bool = False) -> Comparison:
    """Compare two results of one unit; ChecklistError for different units unless ``force``."""
    forced = False
    if not same_unit(old.unit, new.unit):
        if not force:
            check_same_unit(old.unit, new.unit)
        forced = True

    old_rules = {r.rule_id: r for r in old.rules}
    new_rules = {r.rule_id: r for r in new.rules}
    ids = _ordered_union(new_rules, old_rules)
    changes = tuple(_rule_change(old_rules.get(i), new_rules.get(i)) for i in ids)

    old_areas = {a.area: a for a in old.areas}
    new_areas = {a.area: a for a in new.areas}
    areas = tuple(
        AreaChange(
            area=area_id,
            score_then=old_areas[area_id].score if area_id in old_areas else None,
            score_now=new_areas[area_id].score if area_id in new_areas else None,
            earned_then=old_areas[area_id].earned if area_id in old_areas else 0.0,
            earned_now=new_areas[area_id].earned if area_id in new_areas else 0.0,
            possible_then=old_areas[area_id].possible if area_id in old_areas else 0.0,
            possible_now=new_areas[area_id].possible if area_id in new_areas else 0.0,
        )
        for area_id in _ordered_union(new_areas, old_areas)
    )

    both = [c for c in changes if c.status_then is not None and c.status_now is not None]
    return Comparison(
        unit_then=old.unit,
        unit_now=new.unit,
        pack_then=PackRef(old.pack_id, old.pack_version),
        pack_now=PackRef(new.pack_id, new.pack_version),
        overall=ScoreChange(
            base_then=old.score.base,
            base_now=new.score.base,
            bonus_then=old.score.bonus,
            bonus_now=new.score.bonus,
            total_then=old.score.total,
            total_now=new.score.total,
            grade_then=old.score.grade,
            grade_now=new.score.grade,
            answered_then=old.completeness.answered,
            answered_now=new.completeness.answered,
            applicable_then=old.completeness.applicable,
            applicable_now=new.completeness.applicable,
        ),
        areas=areas,
        rules=changes,
        closed=tuple(c.rule_id for c in both if c.gap_then and c.status_now is Status.passed),
        new_gaps=tuple(c.rule_id for c in changes if c.gap_now and not c.gap_then),
        persistent=tuple(c.rule_id for c in both if c.gap_then and c.gap_now),
        regressed=tuple(c.rule_id for c in changes if c.change is Change.regressed),
        added_rules=tuple(c.rule_id for c in changes if c.change is Change.new_rule),
        retired_rules=tuple(c.rule_id for c in changes if c.change is Change.retired_rule),
        waived=tuple(c.rule_id for c in changes if c.change is Change.waived),
        unwaived=tuple(c.rule_id for c in changes if c.change is Change.unwaived),
        forced=forced,
    )


# --- JSON ----------------------------------------------------------------------------


def _unit_dict(unit: UnitInfo) -> dict[str, Any]:
    return {"name": unit.name, "type": unit.type, "town": unit.town, "year": unit.year}


def gap_lists(comparison: Comparison) -> dict[str, list[str]]:
    """The closed, new, persistent and regressed rule ids, as every JSON output gives them."""
    return {
        "closed": list(comparison.closed),
        "new": list(comparison.new_gaps),
        "persistent": list(comparison.persistent),
        "regressed": list(comparison.regressed),
    }


def comparison_to_dict(comparison: Comparison) -> dict[str, Any]:
    """The comparison as JSON (stable rule ids, statuses as in result JSON)."""
    overall = comparison.overall

    def status(value: Status | None) -> str | None:
        return value.value if value is not None else None

    return {
        "unit": {"then": _unit_dict(comparison.unit_then), "now": _unit_dict(comparison.unit_now)},
        "unit_key": unit_key(comparison.unit_now.name),
        "forced": comparison.forced,
        "pack": {
            "then": {"id": comparison.pack_then.id, "version": comparison.pack_then.version},
            "now": {"id": comparison.pack_now.id, "version": comparison.pack_now.version},
            "same": comparison.same_pack,
        },
        "overall": {
            "base": {
                "then": overall.base_then,
                "now": overall.base_now,
                "delta": overall.base_delta,
            },
            "bonus": {
                "then": overall.bonus_then,
                "now": overall.bonus_now,
                "delta": overall.bonus_delta,
            },
            "total": {
                "then": overall.total_then,
                "now": overall.total_now,
                "delta": overall.total_delta,
            },
            "grade": {"then": overall.grade_then, "now": overall.grade_now},
            "answered": {"then": overall.answered_then, "now": overall.answered_now},
            "applicable": {"then": overall.applicable_then, "now": overall.applicable_now},
        },
        "areas": [
            {"id": a.area, "then": a.score_then, "now": a.score_now, "delta": a.delta}
            for a in comparison.areas
        ],
        "rules": [
            {
                "id": r.rule_id,
                "area": r.area,
                "change": r.change.value,
                "status": {"then": status(r.status_then), "now": status(r.status_now)},
                "earned": {"then": r.earned_then, "now": r.earned_now, "delta": r.delta},
                "possible": {"then": r.possible_then, "now": r.possible_now},
                "answer": {"then": r.answer_then, "now": r.answer_now},
                "bonus": r.bonus,
                "veto": r.veto,
            }
            for r in comparison.rules
        ],
        "gaps": gap_lists(comparison),
        "rules_added": list(comparison.added_rules),
        "rules_retired": list(comparison.retired_rules),
        "rules_waived": list(comparison.waived),
        "rules_unwaived": list(comparison.unwaived),
    }
