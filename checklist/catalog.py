"""Rule packs as people and programs read them: JSON for ``rules list --json``, tables."""

from __future__ import annotations

from typing import Any

from checklist.display import (
    ORG_TEXT,
    SEVERITY_TEXT,
    bands_text,
    condition_text,
    guidance,
    number,
    requirement,
)
from checklist.errors import ChecklistError
from checklist.model import AnswerType, Rule, RulePack
from checklist.text import Text
from checklist.wording import comparison_text, yes_no_rules


def rule_to_dict(rule: Rule) -> dict[str, Any]:
    """One rule as JSON (the documented keys plus scoring details)."""
    spec = rule.answer
    return {
        "id": rule.id,
        "area": rule.area,
        "org": rule.org.value,
        "indicator": rule.indicator.as_dict(),
        "aliases": list(rule.aliases),
        "guidance": guidance(rule).as_dict(),
        "answer": {
            "type": spec.type.value,
            "unit": spec.unit,
            "choices": [
                {"id": c.id, **c.label.as_dict(), "credit": c.credit, "aliases": list(c.aliases)}
                for c in spec.choices
            ],
            "numerator": spec.numerator,
            "denominator": spec.denominator,
            "expect": "yes" if spec.expect else "no",
            "words": {word: value for word, value in spec.words},
        },
        "points": rule.points,
        "bands": {str(b.condition): b.credit for b in rule.bands},
        "deduct": (
            None
            if rule.deduction is None
            else {
                "target": str(rule.deduction.target),
                "per": rule.deduction.per,
                "points": rule.deduction.points,
            }
        ),
        "requirement": requirement(rule).as_dict(),
        "severity": rule.severity.value,
        "veto": rule.veto,
        "bonus": rule.bonus,
        "evidence": "required" if rule.evidence_required else "optional",
        "applies_to": list(rule.applies_to),
        "applies_if": str(rule.applies_if) if rule.applies_if else None,
        "since": rule.since,
        "finding": rule.finding.as_dict(),
        "recommendation": rule.recommendation.as_dict(),
        "source": rule.source,
    }


def pack_to_dict(pack: RulePack) -> dict[str, Any]:
    """The whole pack as JSON."""
    return {
        "pack": {
            "id": pack.id,
            "version": pack.version,
            "title": pack.title.as_dict(),
            "veto_cap": pack.veto_cap,
            "bonus_cap": pack.bonus_cap,
        },
        "unit_types": [
            {"id": t.id, "title": t.title.as_dict(), "synonyms": list(t.synonyms)}
            for t in pack.unit_types
        ],
        "areas": [
            {
                "id": a.id,
                "title": a.title.as_dict(),
                "points": sum(r.points for r in pack.rules if r.area == a.id and not r.bonus),
            }
            for a in pack.areas
        ],
        "grades": [{"id": g.id, "min": g.min, "title": g.title.as_dict()} for g in pack.grades],
        "rules": [rule_to_dict(rule) for rule in pack.rules],
        "checks": [
            {
                "id": c.id,
                "assert": str(c.assertion),
                "when": str(c.when) if c.when else None,
                "message": c.message.as_dict(),
            }
            for c in pack.checks
        ],
    }


def find_rule(pack: RulePack, rule_id: str) -> Rule:
    """The rule with ``rule_id`` (case-insensitive), or a user error naming close ids."""
    wanted = rule_id.strip().upper()
    for rule in pack.rules:
        if rule.id.upper() == wanted:
            return rule
    prefix = wanted.split("-")[0]
    similar = [r.id for r in pack.rules if r.id.upper().startswith(prefix)][:8]
    hint = ", ".join(similar) if similar else ", ".join(r.id for r in pack.rules[:8])
    raise ChecklistError(
        Text(
            f"规则包 {pack.id} 中没有规则 {rule_id}。可用编号如：{hint}。"
            "用 checklist rules list 查看全部。",
            f"Rule {rule_id} is not in pack {pack.id}. Ids include: {hint}. "
            "Run 'checklist rules list' to see them all.",
        )
    )


def _flags(rule: Rule, lang: str) -> str:
    words = {
        "veto": Text("否决", "veto"),
        "bonus": Text("加分", "bonus"),
        "evidence": Text("需佐证", "evidence"),
    }
    flags = [
        words["veto"].get(lang) if rule.veto else "",
        words["bonus"].get(lang) if rule.bonus else "",
        words["evidence"].get(lang) if rule.evidence_required else "",
    ]
    return " ".join(f for f in flags if f)


def print_pack_table(pack: RulePack, lang: str, console: Any) -> None:
    """A table of every rule, grouped by area; the indicator column takes the spare width."""
    from rich.markup import escape
    from rich.table import Table

    heads = {
        "zh": ("编号", "指标", "分值", "满分要求", "标记"),
        "en": ("Id", "Indicator", "Pts", "Full points at", "Flags"),
    }[lang]
    title = f"{pack.title.get(lang)} · {pack.id} {pack.version} · {len(pack.rules)}"
    table = Table(title=escape(title))
    table.add_column(heads[0], no_wrap=True)
    table.add_column(heads[1], ratio=1, overflow="fold")
    table.add_column(heads[2], no_wrap=True, justify="right")
    table.add_column(heads[3], max_width=18, overflow="fold")
    table.add_column(heads[4], max_width=16, overflow="fold")
    types = {t.id: t.title.get(lang) for t in pack.unit_types}
    for area in pack.areas:
        table.add_section()
        members = [r for r in pack.rules if r.area == area.id]
        points = sum(r.points for r in members if not r.bonus)
        table.add_row("", f"[bold]{escape(area.title.get(lang))}[/bold]", number(points))
        for rule in members:
            org = "" if rule.org.value == "all" else ORG_TEXT[rule.org.value].get(lang)
            tag = (f"【{org}】" if lang == "zh" else f"[{org}] ") if org else ""
            applies = "/".join(types[t] for t in rule.applies_to)
            flags = " ".join(f for f in (_flags(rule, lang), applies) if f)
            table.add_row(
                rule.id,
                escape(tag + rule.indicator.get(lang)),
                number(rule.points),
                escape(requirement(rule).get(lang)),
                escape(flags),
            )
    console.print(table)


ANSWER_TYPE_TEXT: dict[AnswerType, Text] = {
    AnswerType.yesno: Text("是/否", "yes or no"),
    AnswerType.count: Text("数量", "count"),
    AnswerType.number: Text("数值", "number"),
    AnswerType.percent: Text("百分比", "percentage"),
    AnswerType.ratio: Text("比率（由两项数量算出）", "ratio (of two counts)"),
    AnswerType.choice: Text("选项", "choice"),
    AnswerType.date: Text("日期", "date"),
    AnswerType.text: Text("文字", "text"),
}
"""What each answer type is called where people read it."""


def print_rule(pack: RulePack, rule: Rule, lang: str, console: Any) -> None:
    """Everything about one rule."""
    label = {
        "zh": {
            "area": "类别",
            "org": "组织",
            "answer": "答案",
            "points": "分值",
            "scoring": "计分",
            "severity": "严重程度",
            "flags": "标记",
            "applies": "适用单位",
            "since": "起始年度",
            "guidance": "填报说明",
            "finding": "问题",
            "recommendation": "建议",
            "source": "依据",
            "aliases": "别名",
            "ratio": "比率",
        },
        "en": {
            "area": "Area",
            "org": "Organisation",
            "answer": "Answer",
            "points": "Points",
            "scoring": "Scoring",
            "severity": "Severity",
            "flags": "Flags",
            "applies": "Applies to",
            "since": "Since",
            "guidance": "Guidance",
            "finding": "Finding",
            "recommendation": "Recommendation",
            "source": "Source",
            "aliases": "Aliases",
            "ratio": "Ratio",
        },
    }[lang]
    types = {t.id: t.title.get(lang) for t in pack.unit_types}
    spec = rule.answer
    answer = ANSWER_TYPE_TEXT[spec.type].get(lang)
    if spec.unit:
        answer += f"（{spec.unit}）" if lang == "zh" else f" ({spec.unit})"
    if spec.choices:
        answer += ": " + " / ".join(
            f"{c.label.get(lang)} {c.credit * 100:.0f}%" for c in spec.choices
        )
    scoring = bands_text(rule).get(lang)
    if rule.deduction is not None:
        scoring = requirement(rule).get(lang)
    if spec.type.value == "date" and rule.bands:
        scoring = "；".join(
            f"{condition_text(b.condition, spec).get(lang)} {b.credit * 100:.0f}%"
            for b in rule.bands
        )
    lines = [
        f"{rule.id}  {rule.indicator.get(lang)}",
        f"{label['area']}: {pack.area(rule.area).title.get(lang)}",
        f"{label['org']}: {ORG_TEXT[rule.org.value].get(lang)}",
        f"{label['answer']}: {answer}",
        f"{label['points']}: {number(rule.points)}",
        f"{label['scoring']}: {scoring}",
        f"{label['severity']}: {SEVERITY_TEXT[rule.severity].get(lang)}",
    ]
    if spec.numerator:
        lines.append(f"{label['ratio']}: {spec.numerator} / {spec.denominator} × 100%")
    if flags := _flags(rule, lang):
        lines.append(f"{label['flags']}: {flags}")
    applies = (
        "、".join(types[t] for t in rule.applies_to)
        if rule.applies_to
        else Text("所有单位", "every unit").get(lang)
    )
    if rule.applies_if is not None:
        applies += (
            Text("，且 {} 时", ", when {}")
            .get(lang)
            .format(comparison_text(rule.applies_if, yes_no_rules(pack.rules)).get(lang))
        )
    lines.append(f"{label['applies']}: {applies}")
    if rule.since:
        lines.append(f"{label['since']}: {rule.since}")
    lines.append(f"{label['guidance']}: {guidance(rule).get(lang)}")
    if rule.aliases:
        lines.append(f"{label['aliases']}: {'；'.join(rule.aliases)}")
    lines += [
        f"{label['finding']}: {rule.finding.get(lang)}",
        f"{label['recommendation']}: {rule.recommendation.get(lang)}",
        f"{label['source']}: {rule.source}",
    ]
    for line in lines:
        console.print(line, markup=False)
