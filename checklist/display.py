"""How values, requirements and labels read to people, in both languages.

Shared by the template, the reports and the terminal so that a number reads the
same everywhere.
"""

from __future__ import annotations

import datetime as dt

from checklist.model import (
    AnswerSpec,
    AnswerType,
    Condition,
    Op,
    Rule,
    Severity,
    Status,
    Value,
)
from checklist.text import Text

STATUS_TEXT: dict[Status, Text] = {
    Status.passed: Text("达标", "Pass"),
    Status.partial: Text("部分达标", "Partial"),
    Status.fail: Text("未达标", "Fail"),
    Status.missing: Text("未填报", "Missing"),
    Status.na: Text("不适用", "N/A"),
    Status.unsupported: Text("缺佐证", "Unsupported"),
}

SEVERITY_TEXT: dict[Severity, Text] = {
    Severity.critical: Text("严重", "Critical"),
    Severity.major: Text("重要", "Major"),
    Severity.minor: Text("一般", "Minor"),
}

ORG_TEXT: dict[str, Text] = {
    "union": Text("工会", "Union"),
    "league": Text("共青团", "Youth League"),
    "women": Text("妇联", "Women's Federation"),
    "all": Text("群团", "All"),
}

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


def signed(value: float | None, unknown: str = "-") -> str:
    """A change with its sign: ``+7.5``, ``-2``, ``0``; ``unknown`` when there is none."""
    if value is None:
        return unknown
    return ("+" if value > 0 else "") + number(value)


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
        return Text(f"{symbol}{amount}年内", f"within {words}{amount} years".replace("  ", " "))
    return Text(f"{symbol}{amount}{suffix.zh}", f"{words}{amount}{suffix.en}")


def requirement(rule: Rule) -> Text:
    """What earns the full points, e.g. ``≥2次`` or ``是``."""
    spec = rule.answer
    if spec.type is AnswerType.yesno:
        return Text("是", "Yes") if spec.expect else Text("否", "No")
    if spec.type is AnswerType.choice:
        best = max(spec.choices, key=lambda c: c.credit)
        return best.label
    if spec.type is AnswerType.text:
        return Text("如实填写", "Filled in")
    if rule.deduction is not None:
        target = condition_text(rule.deduction.target, spec)
        per = number(rule.deduction.per)
        pts = number(rule.deduction.points)
        if rule.deduction.target.op in (Op.ge, Op.gt):
            return Text(
                f"{target.zh}（每少{per}扣{pts}分）", f"{target.en} (−{pts} per {per} short)"
            )
        return Text(f"{target.zh}（每多{per}扣{pts}分）", f"{target.en} (−{pts} per {per} over)")
    full = [b for b in rule.bands if b.credit >= 1]
    if full:
        return condition_text(full[0].condition, spec)
    if rule.bands:
        return condition_text(rule.bands[0].condition, spec)
    return Text("如实填写", "Filled in")


def bands_text(rule: Rule) -> Text:
    """All bands of a rule: ``≥2次 满分；≥1次 50%``."""
    if not rule.bands:
        return requirement(rule)
    zh, en = [], []
    for band in rule.bands:
        cond = condition_text(band.condition, rule.answer)
        share = f"{band.credit * 100:.0f}%"
        zh.append(f"{cond.zh} 得{share}" if band.credit < 1 else f"{cond.zh} 满分")
        en.append(f"{cond.en}: {share}" if band.credit < 1 else f"{cond.en}: full")
    return Text("；".join(zh), "; ".join(en))


def guidance(rule: Rule) -> Text:
    """填报说明: what to type in the answer cell."""
    if rule.guidance is not None:
        return rule.guidance
    spec = rule.answer
    unit = unit_suffix(spec)
    match spec.type:
        case AnswerType.yesno:
            return Text(
                "填写“是”或“否”；不适用填“不适用”。",
                'Enter "Yes" or "No"; "N/A" if it does not apply.',
            )
        case AnswerType.count:
            return Text(
                f"填写整数{('（单位：' + unit.zh + '）') if unit.zh else ''}。",
                "Enter a whole number.",
            )
        case AnswerType.number:
            return Text(
                f"填写数字{('（单位：' + unit.zh + '）') if unit.zh else ''}。", "Enter a number."
            )
        case AnswerType.percent | AnswerType.ratio:
            return Text("填写百分比，如 95%。", "Enter a percentage, e.g. 95%.")
        case AnswerType.choice:
            return Text("从下拉列表中选择。", "Choose from the list.")
        case AnswerType.date:
            return Text("填写日期，如 2024年3月15日。", "Enter a date, e.g. 2024-03-15.")
        case AnswerType.text:
            return Text("如实填写。", "Describe briefly.")
