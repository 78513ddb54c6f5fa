"""How one answer, number or threshold reads to people, in both languages.

The engine's share of the display vocabulary: scoring words its audit findings
and :func:`checklist.gaps.decision_text` its decisions with these, so neither
needs the report-side :mod:`checklist.display` (which re-exports them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Iterable

from checklist.model import (
    AnswerSpec,
    AnswerType,
    Comparison,
    Condition,
    Op,
    RatioCounts,
    Rule,
    Value,
)
from checklist.text import Text

SIGNS: dict[Op, Text] = {
    Op.ge: Text("≥", "≥"),
    Op.gt: Text("＞", ">"),
    Op.le: Text("≤", "≤"),
    Op.lt: Text("＜", "<"),
    Op.eq: Text("＝", "="),
    Op.ne: Text("≠", "≠"),
}
"""How each operator is written where people read it: the signs of a Chinese form
(full-width ＞ ＜ ＝ beside Chinese text), never the ``>=`` of a rule file."""

_OP_TEXT = {
    Op.ge: (SIGNS[Op.ge].zh, "at least "),
    Op.gt: (SIGNS[Op.gt].zh, "more than "),
    Op.le: (SIGNS[Op.le].zh, "at most "),
    Op.lt: (SIGNS[Op.lt].zh, "less than "),
    Op.eq: (SIGNS[Op.eq].zh, ""),
    Op.ne: (SIGNS[Op.ne].zh, "not "),
}

_UNIT_EN = {
    "人": "people",
    "名": "people",
    "次": "times",
    "个": "",
    "项": "items",
    "篇": "reports",
    "元": "yuan",
    "天": "days",
    "学时": "hours",
    "年": "years",
    "支": "teams",
    "家": "units",
    "件": "cases",
    "户": "households",
    "岁": "years old",
    "万元": "×10k yuan",
    "人次": "attendances",
}


_SINGULAR = {
    "people": "person",
    "times": "time",
    "items": "item",
    "reports": "report",
    "days": "day",
    "hours": "hour",
    "years": "year",
    "teams": "team",
    "units": "unit",
    "cases": "case",
    "households": "household",
}


def number(value: float) -> str:
    """A number without a trailing ``.0`` and with at most two decimals."""
    if value == int(value):
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def unit_suffix(spec: AnswerSpec, plural: bool = True) -> Text:
    """The unit printed after a number, e.g. ``次`` / `` times`` (`` time`` for one)."""
    if spec.type in (AnswerType.percent, AnswerType.ratio):
        return Text("%", "%")
    if not spec.unit:
        return Text("", "")
    english = _UNIT_EN.get(spec.unit, spec.unit)
    if not plural:
        english = _SINGULAR.get(english, english)
    return Text(spec.unit, f" {english}" if english else "")


def value_text(value: Value | None, spec: AnswerSpec) -> Text:
    """A normalised answer as people read it."""
    if value is None:
        return Text("", "")
    if spec.type is AnswerType.yesno:
        if value == "partial":
            return Text("部分", "Partly")
        return Text("是", "Yes") if value is True else Text("否", "No")
    if spec.type is AnswerType.choice:
        choice = next((c for c in spec.choices if c.id == value), None)
        return choice.label if choice else Text(str(value), str(value))
    if isinstance(value, dt.date):
        return Text(f"{value.year}年{value.month}月{value.day}日", value.isoformat())
    if isinstance(value, bool):
        return Text("是" if value else "否", "Yes" if value else "No")
    if isinstance(value, int | float):
        suffix = unit_suffix(spec, plural=value != 1)
        return Text(number(value) + suffix.zh, number(value) + suffix.en)
    return Text(str(value), str(value))


def condition_text(condition: Condition, spec: AnswerSpec) -> Text:
    """``>=2`` for a count of 次 → ``≥2次`` / ``at least 2 times``."""
    symbol, words = _OP_TEXT[condition.op]
    suffix = unit_suffix(spec, plural=condition.threshold != 1)
    amount = number(condition.threshold)
    if spec.type is AnswerType.date:
        # A date band counts years back from the assessment year: "≤5" reads "within 5 years".
        within = "" if condition.op in (Op.le, Op.lt) else words
        return Text(f"{symbol}{amount}年内", f"within {within}{amount} years")
    return Text(f"{symbol}{amount}{suffix.zh}", f"{words}{amount}{suffix.en}")


def comparison_text(comparison: Comparison, yesno: Container[str] = ()) -> Text:
    """``STAF-07 <= STAF-01`` as people write it: ``STAF-07 ≤ STAF-01``.

    A yes/no rule (its id in ``yesno``) compared with yes or no reads in words,
    ``COV-09 为“是”`` / ``COV-09 is yes``, not ``COV-09 ＝ 1``.
    """
    words = _yes_no_words(comparison, yesno)
    if words is not None:
        return words
    sign = SIGNS[comparison.op]
    left, right = str(comparison.left), str(comparison.right)
    return Text(f"{left} {sign.zh} {right}", f"{left} {sign.en} {right}")


def _yes_no_words(comparison: Comparison, yesno: Container[str]) -> Text | None:
    rule, constant = comparison.left, comparison.right
    if rule.rule_id is None:
        rule, constant = constant, rule
    if (
        rule.rule_id is None
        or rule.rule_id not in yesno
        or constant.constant not in (0, 1)
        or comparison.op not in (Op.eq, Op.ne)
    ):
        return None
    yes = (constant.constant == 1) == (comparison.op is Op.eq)
    return Text(
        f"{rule.rule_id}为“{'是' if yes else '否'}”", f"{rule.rule_id} is {'yes' if yes else 'no'}"
    )


def yes_no_rules(rules: Iterable[Rule]) -> frozenset[str]:
    """The ids of the yes/no rules among ``rules`` (a pack's), for :func:`comparison_text`."""
    return frozenset(r.id for r in rules if r.answer.type is AnswerType.yesno)


def ratio_formula(counts: RatioCounts) -> str:
    """The division a ratio rule made: ``COV-02/COV-01 = 54/56``."""
    return f"{counts.numerator}/{counts.denominator} = {number(counts.top)}/{number(counts.bottom)}"
