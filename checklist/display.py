"""How values, requirements and labels read to people, in both languages.

Shared by the template, the reports and the terminal so that a number reads the
same everywhere.
"""

from __future__ import annotations

from checklist.model import AnswerType, Op, Rule, Severity, Status
from checklist.text import Text

# How one value reads lives in the engine's wording module so that scoring can
# word its findings without this module; re-exported for the reports.
from checklist.wording import condition_text as condition_text
from checklist.wording import number as number
from checklist.wording import unit_suffix as unit_suffix
from checklist.wording import value_text as value_text

STATUS_TEXT: dict[Status, Text] = {
    Status.passed: Text("达标", "Pass"),
    Status.partial: Text("部分达标", "Partial"),
    Status.fail: Text("未达标", "Fail"),
    Status.missing: Text("未填报", "Missing"),
    Status.na: Text("不适用", "N/A"),
    Status.unsupported: Text("缺佐证", "Unsupported"),
    Status.waived: Text("豁免", "Waived"),
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


def signed(value: float | None, unknown: str = "-") -> str:
    """A change with its sign: ``+7.5``, ``-2``, ``0``; ``unknown`` when there is none."""
    if value is None:
        return unknown
    return ("+" if value > 0 else "") + number(value)


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
        if rule.deduction.target.threshold == 0 and rule.deduction.target.op is Op.le:
            each = "each one" if per == "1" else f"every {per}"
            return Text(f"{target.zh}（每多{per}扣{pts}分）", f"none (−{pts} for {each})")
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
