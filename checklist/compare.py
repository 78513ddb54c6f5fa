"""Year over year: two finished results of one unit → a Comparison. Pure; no I/O.

Rules are compared by id, so results scored under different pack versions can
be compared: a rule only the new side has is a ``new_rule``, one only the old
side has is a ``retired_rule``, and both are listed rather than dropped.

Statuses rank ``pass`` > ``partial`` / ``unsupported`` > ``fail`` / ``missing``;
``na`` has no rank, so a rule that starts or stops applying gets its own change
kind instead of counting as better or worse. A *gap* is what the score report
calls one (see :mod:`checklist.gaps`): an applicable rule whose status is not
``pass``.

Unit identity is checked by a normalised name key (:func:`unit_key`) plus the
unit type and town when both sides know them, so ``东林村`` and
``城厢镇东林村村委会`` are one unit while ``东林村`` and ``西林村`` are not.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from checklist.errors import ChecklistError
from checklist.model import Result, RuleResult, Status, UnitInfo
from checklist.text import Text
from checklist.textnorm import to_simplified

_SHARE_TOLERANCE = 0.005


class Change(StrEnum):
    """How one rule moved between the two assessments."""

    improved = "improved"
    regressed = "regressed"
    unchanged = "unchanged"
    new_rule = "new_rule"
    """Only the new result has the rule (added to the pack)."""
    retired_rule = "retired_rule"
    """Only the old result has the rule (removed from the pack)."""
    now_applies = "now_applies"
    """N/A before, applicable now (unit type changed, a ``since`` year reached, or N/A no longer declared)."""
    no_longer_applies = "no_longer_applies"
    """Applicable before, N/A now."""


CHANGE_TEXT: dict[Change, Text] = {
    Change.improved: Text("提升", "Improved"),
    Change.regressed: Text("退步", "Regressed"),
    Change.unchanged: Text("不变", "Unchanged"),
    Change.new_rule: Text("新增规则", "New rule"),
    Change.retired_rule: Text("已取消规则", "Retired rule"),
    Change.now_applies: Text("新适用", "Now applies"),
    Change.no_longer_applies: Text("不再适用", "No longer applies"),
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
    return not bonus and status is not None and status not in (Status.passed, Status.na)


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
    if then is None and now is None:
        return Change.unchanged
    if then is None:
        return Change.now_applies
    if now is None:
        return Change.no_longer_applies
    if now != then:
        return Change.improved if now > then else Change.regressed
    delta = _share(new) - _share(old)
    if delta > _SHARE_TOLERANCE:
        return Change.improved
    if delta < -_SHARE_TOLERANCE:
        return Change.regressed
    return Change.unchanged


# --- unit identity ------------------------------------------------------------------

# Bodies that run a unit's 群团 work; the unit is the village or community
# itself, so "东林村村委会", "东林村党支部" and "东林村" name one unit. A
# village committee suffix implies the name ends in 村 (东林村委会 → 东林村).
_BODY_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("社区居民委员会", "社区"),
    ("社区居委会", "社区"),
    ("居民委员会", "社区"),
    ("居委会", "社区"),
    ("村民委员会", "村"),
    ("村委会", "村"),
    ("工会委员会", ""),
    ("工会联合会", ""),
    ("妇女联合会", ""),
    ("委员会", ""),
    ("党总支部", ""),
    ("党总支", ""),
    ("党支部", ""),
    ("党委", ""),
    ("工会", ""),
    ("联合工会", ""),
    ("团支部", ""),
    ("团委", ""),
    ("妇联", ""),
    ("股份有限公司", "公司"),
    ("有限责任公司", "公司"),
    ("有限公司", "公司"),
)
# Administrative divisions written before the unit (江苏省太仓市城厢镇…).
# At least two characters before the marker: 城市花园社区 and 北区第一小学 are names.
_PREFIX = re.compile(r"^(.{2,7}?(?:自治区|自治州|街道|开发区|高新区|省|市|县|区|镇|乡))(.+)$")
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕")
_TYPE_WORDS = frozenset({"村", "社区", "公司", "企业", "厂", "学校"})
_TOWN_SUFFIX = re.compile(r"(?:街道|镇|乡)$")
_TOWN_OFFICE = re.compile(r"(?:街道办事处|办事处|人民政府|政府)$")
_COUNTY_LEVEL = re.compile(r"(?:市|县|区)$")


def _plain(text: str) -> str:
    """NFKC, simplified, without bracketed remarks, spaces, punctuation or symbols."""
    value = to_simplified(unicodedata.normalize("NFKC", text))
    stripped = _BRACKETED.sub("", value)
    if any(ch.isalnum() for ch in stripped):
        value = stripped
    return "".join(ch for ch in value if ch.isalnum()).lower()


def _strip_bodies(key: str) -> str:
    changed = True
    while changed:
        changed = False
        for suffix, implied in _BODY_SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                rest = key[: -len(suffix)]
                if implied and not rest.endswith(implied):
                    rest += implied
                if rest in _TYPE_WORDS:
                    continue
                key, changed = rest, True
                break
    return key


def _split_prefixes(key: str) -> tuple[str, str]:
    """(divisions written before the unit, the rest)."""
    prefix = ""
    while True:
        match = _PREFIX.match(key)
        if match is None:
            return prefix, key
        rest = match.group(2)
        # A remainder that is only a type word means the "division" was the
        # unit's own name (集市村 is not 集市 + 村).
        if len(rest) < 2 or rest in _TYPE_WORDS:
            return prefix, key
        prefix += match.group(1)
        key = rest


def unit_key(name: str) -> str:
    """A stable key for a unit name: ``城厢镇东林村村委会`` and ``東林村`` → ``东林村``.

    NFKC, traditional → simplified, bracketed remarks (盖章) and spaces and
    punctuation dropped, then administrative divisions in front (省/市/县/区/
    镇/乡/街道) and the body running the work at the end (村委会, 居委会,
    党支部, 有限公司 → 公司 …) removed.
    """
    key = _plain(name)
    key = _strip_bodies(key)
    key = _split_prefixes(key)[1]
    return _strip_bodies(key)


def town_key(town: str) -> str:
    """A key for a town or street: ``城厢镇``, ``城厢`` and ``城厢镇人民政府`` → ``城厢``.

    A county-level place (太仓市) is no town: it gives '' (unknown), so it
    neither matches nor rules out any town.
    """
    key = _TOWN_OFFICE.sub("", _plain(town)) or _plain(town)
    if _COUNTY_LEVEL.search(key) and not key.endswith("街道"):
        return ""
    key = _split_prefixes(key)[1] if len(key) > 3 else key
    stripped = _TOWN_SUFFIX.sub("", key)
    return stripped or key


def town_hint(name: str) -> str:
    """The town written in front of a unit name (``城厢镇东林村`` → ``城厢``), or ''."""
    prefix = _split_prefixes(_strip_bodies(_plain(name)))[0]
    parts = re.findall(r".+?(?:街道|镇|乡)", prefix)
    return town_key(parts[-1]) if parts else ""


def same_name(a: str, b: str) -> bool:
    """Whether two unit names name the same unit (see :func:`same_key`)."""
    return same_key(unit_key(a), unit_key(b))


def same_key(key_a: str, key_b: str) -> bool:
    """Whether two :func:`unit_key` keys are one unit: equal, or a place name apart.

    No fuzzy matching: 华东精密 and 华西精密, or 一分公司 and 二分公司, differ by one
    character and are different units. Merging two units would put one's years
    under the other (and --replace could overwrite them); a split is harmless.
    """
    if not key_a or not key_b:
        return False
    if key_a == key_b:
        return True
    short, long = sorted((key_a, key_b), key=len)
    # A place name written without 市/县 in front (太仓华东精密机械公司 vs
    # 华东精密机械公司). Short names are left out: there a prefix is what tells
    # two units apart (浏河第一中学, 沙溪第一中学).
    return len(short) >= 5 and long.endswith(short) and len(long) - len(short) <= 4


def _towns(unit: UnitInfo) -> str:
    return town_key(unit.town) if unit.town.strip() else town_hint(unit.name)


def compatible(a: UnitInfo, b: UnitInfo) -> bool:
    """Whether nothing known rules out one unit: types equal and towns equal, where both are known."""
    if a.type and b.type and a.type != b.type:
        return False
    town_a, town_b = _towns(a), _towns(b)
    return not (town_a and town_b and town_a != town_b)


def same_unit(a: UnitInfo, b: UnitInfo) -> bool:
    """Whether ``a`` and ``b`` are one unit: same name key (or fuzzy-close), same type and town when known."""
    return compatible(a, b) and same_name(a.name, b.name)


def _describe(unit: UnitInfo) -> str:
    parts = [unit.name or "?"]
    if unit.type:
        parts.append(unit.type)
    if unit.town:
        parts.append(unit.town)
    if unit.year is not None:
        parts.append(str(unit.year))
    return " / ".join(parts)


def check_same_unit(old: UnitInfo, new: UnitInfo) -> None:
    """Raise a ChecklistError naming both units when they are not the same unit."""
    if same_unit(old, new):
        return
    raise ChecklistError(
        Text(
            f"两份自评不是同一单位：“{_describe(old)}”与“{_describe(new)}”。"
            "如确为同一单位（例如已更名），请加 --force。",
            f"The two assessments are of different units: '{_describe(old)}' and "
            f"'{_describe(new)}'. If they really are the same unit (renamed, say), add --force.",
        ),
        code="different_unit",
    )


# --- the comparison --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PackRef:
    """Which rule pack scored one side."""

    id: str
    """Pack id."""
    version: str
    """Pack version."""

    def __str__(self) -> str:
        return f"{self.id} {self.version}"


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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
    """Rule ids that were a gap then and pass now."""
    new_gaps: tuple[str, ...]
    """Rule ids that are a gap now but were not then (passed, N/A, or not in the old pack)."""
    persistent: tuple[str, ...]
    """Rule ids that are a gap in both (the problems nobody followed up)."""
    regressed: tuple[str, ...]
    """Rule ids present on both sides that got worse (overlaps new and persistent gaps)."""
    added_rules: tuple[str, ...]
    """Rule ids only the new result has."""
    retired_rules: tuple[str, ...]
    """Rule ids only the old result has."""
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

    def of_kind(self, change: Change) -> tuple[RuleChange, ...]:
        """Rule changes of one kind, in comparison order."""
        return tuple(r for r in self.rules if r.change is change)


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
        regressed=tuple(c.rule_id for c in both if c.change is Change.regressed),
        added_rules=tuple(c.rule_id for c in changes if c.change is Change.new_rule),
        retired_rules=tuple(c.rule_id for c in changes if c.change is Change.retired_rule),
        forced=forced,
    )


# --- JSON ----------------------------------------------------------------------------


def _unit_dict(unit: UnitInfo) -> dict[str, Any]:
    return {"name": unit.name, "type": unit.type, "town": unit.town, "year": unit.year}


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
        "gaps": {
            "closed": list(comparison.closed),
            "new": list(comparison.new_gaps),
            "persistent": list(comparison.persistent),
            "regressed": list(comparison.regressed),
        },
        "rules_added": list(comparison.added_rules),
        "rules_retired": list(comparison.retired_rules),
    }
