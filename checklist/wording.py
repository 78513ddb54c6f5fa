"""How one answer, number or threshold reads to people, in both languages.

The engine's share of the display vocabulary: scoring words its audit findings
and :func:`checklist.gaps.decision_text` its decisions with these, so neither
needs the report-side :mod:`checklist.display` (which re-exports them).
"""

from __future__ import annotations

import datetime as dt

from checklist.model import AnswerSpec, AnswerType, Condition, Op, RatioCounts, Value
from checklist.text import Text

_OP_TEXT = {
    Op.ge: ("≥", "at least "),
    Op.gt: (">", "more than "),
    Op.le: ("≤", "at most "),
    Op.lt: ("<", "less than "),
    Op.eq: ("=", ""),
    Op.ne: ("≠", "not "),
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


def ratio_formula(counts: RatioCounts) -> str:
    """The division a ratio rule made: ``COV-02/COV-01 = 54/56``."""
    return f"{counts.numerator}/{counts.denominator} = {number(counts.top)}/{number(counts.bottom)}"
