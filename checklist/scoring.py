"""The scoring engine: RulePack x Assessment → Result. Pure; no file I/O.

Model (docs/design.md §7): base score = earned / applicable points x 100, with N/A
rules out of the denominator and missing answers earning nothing; bonus points
separate and capped; the grade read from base + bonus and capped by any failed
veto rule; audit findings for consistency checks, ratio mismatches,
over-claimed self-scores, unsupported claims and declared N/A.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import replace
from enum import StrEnum

from checklist.model import (
    Answer,
    AnswerState,
    AnswerType,
    AreaResult,
    Assessment,
    AuditFinding,
    AuditKind,
    Comparison,
    Completeness,
    Decision,
    DecisionKind,
    Operand,
    RatioCounts,
    Result,
    Rule,
    RulePack,
    RuleResult,
    Score,
    Status,
    Value,
    Waiver,
)
from checklist.records import record
from checklist.text import Text
from checklist.textnorm import has_evidence
from checklist.wording import comparison_text, number, ratio_formula, value_text, yes_no_rules

_MISSING = Answer(AnswerState.missing)


def score(
    assessment: Assessment,
    pack: RulePack,
    year: int | None = None,
    waivers: Sequence[Waiver] = (),
) -> Result:
    """Score ``assessment`` against ``pack``.

    ``waivers`` are those already chosen for this unit and year
    (:func:`checklist.waivers.for_unit`): a rule one covers is 豁免, out of the
    denominator and no gap, unless the rule is not on the unit's form anyway.

    The assessment year is the form's own (``assessment.unit.year``); ``year``
    stands in only when the form names none: the caller decides which year it
    assesses for (the command line uses the current one). With neither, every
    ``since`` rule applies (nothing says the form predates it), and a date
    answer, whose age cannot be measured, earns nothing with an ``undated``
    decision that says so; the engine never reads the clock.
    """
    unit = assessment.unit
    if unit.year is not None:
        year = unit.year
    audit: list[AuditFinding] = []
    answers = assessment.answers
    rule_results: list[RuleResult] = []
    waived = {w.rule_id: w for w in waivers}
    for rule in pack.rules:
        result, findings = _score_rule(rule, answers, pack, unit.type, year, waived.get(rule.id))
        rule_results.append(result)
        audit.extend(findings)

    by_id = {r.rule_id: r for r in rule_results}
    audit.extend(_run_checks(pack, by_id))

    areas = tuple(_area_result(area.id, rule_results) for area in pack.areas)
    base_rules = [r for r in rule_results if not r.bonus]
    earned = sum(r.earned for r in base_rules)
    possible = sum(r.possible for r in base_rules)
    base = round(earned / possible * 100, 2) if possible else 0.0
    bonus_raw = sum(r.earned for r in rule_results if r.bonus)
    bonus = round(min(bonus_raw, pack.bonus_cap), 2)
    total = round(base + bonus, 2)

    uncapped = next(g for g in pack.grades if total >= g.min or g is pack.grades[-1])
    # A veto rule must be met in full: partly paying the levy is not paying it.
    vetoed = tuple(
        r.rule_id
        for r in rule_results
        if r.veto and r.status in (Status.fail, Status.missing, Status.partial)
    )
    grade = uncapped
    if vetoed:
        order = [g.id for g in pack.grades]
        cap = pack.grade(pack.veto_cap)
        if order.index(uncapped.id) < order.index(cap.id):
            grade = cap
        lowered = grade is not uncapped
        for rule_id in vetoed:
            blank = by_id[rule_id].status is Status.missing
            how = Text("未填报（按未达标处理）", "was not answered (counted as failed)")
            if not blank:
                how = Text("未达标", "failed")
            if lowered:
                message = Text(
                    f"否决项 {rule_id} {how.zh}，等次由“{uncapped.title.zh}”降为“{cap.title.zh}”。",
                    f"Veto rule {rule_id} {how.en}: the grade drops from {uncapped.title.en} "
                    f"to {cap.title.en}.",
                )
            else:
                message = Text(
                    f"否决项 {rule_id} {how.zh}，等次最高为“{cap.title.zh}”；按总分本即"
                    f"“{uncapped.title.zh}”，等次不变。",
                    f"Veto rule {rule_id} {how.en}, so the grade can be at most {cap.title.en}; "
                    f"the total already gives {uncapped.title.en}, so the grade stays.",
                )
            audit.append(
                AuditFinding(AuditKind.veto, (rule_id,), message, cells=_cells(by_id[rule_id]))
            )

    # Declared N/A leaves the denominator but was on the unit's form, so it counts as asked;
    # a waived rule need not be answered.
    applicable = [
        r
        for r in rule_results
        if r.status not in (Status.na, Status.waived) or r.decision.kind is DecisionKind.declared_na
    ]
    answered = sum(1 for r in applicable if r.answer.state is not AnswerState.missing)

    return Result(
        unit=unit,
        pack_id=pack.id,
        pack_version=pack.version,
        rules=tuple(rule_results),
        areas=areas,
        score=Score(
            base=base,
            bonus=bonus,
            total=total,
            grade=grade.id,
            uncapped_grade=uncapped.id,
            vetoed_by=vetoed,
            earned=round(earned, 2),
            possible=round(possible, 2),
            bonus_raw=round(bonus_raw, 2),
        ),
        audit=tuple(audit),
        completeness=Completeness(answered=answered, applicable=len(applicable)),
        notes=assessment.notes,
        unmatched=assessment.unmatched,
        source=assessment.source,
        pack_base=pack.base,
        waivers=tuple(r.decision.waiver for r in rule_results if r.decision.waiver is not None),
    )


def _cells(result: RuleResult) -> tuple[str, ...]:
    return (result.answer.cell,) if result.answer.cell else ()


def _area_result(area_id: str, results: list[RuleResult]) -> AreaResult:
    members = [r for r in results if r.area == area_id and not r.bonus]
    earned = round(sum(r.earned for r in members), 2)
    possible = round(sum(r.possible for r in members), 2)
    return AreaResult(
        area_id, earned, possible, round(earned / possible * 100, 2) if possible else None
    )


# --- one rule --------------------------------------------------------------------


def _score_rule(
    rule: Rule,
    answers: dict[str, Answer],
    pack: RulePack,
    unit_type: str | None,
    year: int | None,
    waiver: Waiver | None,
) -> tuple[RuleResult, list[AuditFinding]]:
    findings: list[AuditFinding] = []
    answer = answers.get(rule.id, _MISSING)
    outside = _outside_form(rule, answers, unit_type, year)
    if outside is not None:
        status, earned, possible, decision = Status.na, 0.0, 0.0, outside
    elif waiver is not None:
        # What the unit wrote is kept for the report, but it neither earns nor
        # costs anything: no findings, and a self-score on it is no over-claim.
        decision = Decision(DecisionKind.waived, waiver=waiver)
        return (
            RuleResult(
                rule.id, rule.area, Status.waived, 0.0, 0.0, answer, decision, rule.bonus, rule.veto
            ),
            findings,
        )
    else:
        ratio = None
        if rule.answer.type is AnswerType.ratio:
            ratio = _ratio_answer(rule, answer, answers, pack)
            answer = ratio.answer
            if ratio.finding is not None:
                findings.append(ratio.finding)
        status, earned, possible, decision = _decide(rule, answer, pack, year, findings, ratio)
        if ratio is not None and ratio.counts is not None:
            decision = replace(decision, ratio=ratio.counts)
    # A self-score is checked whatever the answer: 3 points claimed on a blank,
    # unreadable or N/A row is an over-claim too.
    if answer.claimed is not None and answer.claimed > earned + 0.005:
        findings.append(
            AuditFinding(
                AuditKind.over_claim,
                (rule.id,),
                Text(
                    f"{rule.id} 自评 {number(answer.claimed)} 分，按规则应得 {number(round(earned, 2))} 分"
                    f"（满分 {number(rule.points)}）。",
                    f"{rule.id} self-scored {number(answer.claimed)} but the rules give "
                    f"{number(round(earned, 2))} (of {number(rule.points)}).",
                ),
                cells=_answer_cells(answer),
            )
        )
    return (
        RuleResult(
            rule_id=rule.id,
            area=rule.area,
            status=status,
            earned=round(earned, 2),
            possible=possible,
            answer=answer,
            decision=decision,
            bonus=rule.bonus,
            veto=rule.veto,
        ),
        findings,
    )


def _answer_cells(answer: Answer) -> tuple[str, ...]:
    return (answer.cell,) if answer.cell else ()


def _outside_form(
    rule: Rule, answers: dict[str, Answer], unit_type: str | None, year: int | None
) -> Decision | None:
    """Why the rule is not on this unit's form (type, year, condition), or None."""
    if unit_type is None and rule.applies_to:
        # Guessing a type would score a village against enterprise-only vetoes;
        # a form without one is scored on the rules every type shares.
        return Decision(DecisionKind.na_no_type)
    if not rule.applies(unit_type, year):
        in_type = rule.applies_to == () or unit_type in rule.applies_to
        if in_type:
            return Decision(DecisionKind.na_by_year, since=rule.since)
        return Decision(DecisionKind.na_by_type)
    if (
        rule.applies_if is not None
        and _holds(rule.applies_if, lambda rule_id: _answer_number(answers.get(rule_id))) is False
    ):
        return Decision(DecisionKind.na_by_condition, applies_if=rule.applies_if)
    return None


def _decide(
    rule: Rule,
    answer: Answer,
    pack: RulePack,
    year: int | None,
    findings: list[AuditFinding],
    ratio: _Ratio | None = None,
) -> tuple[Status, float, float, Decision]:
    """Status, points earned, points at stake and what decided them, for a rule on the form."""
    if ratio is not None and ratio.state is RatioState.zero_denominator:
        return Status.na, 0.0, 0.0, Decision(DecisionKind.nothing_to_count)

    if answer.state is AnswerState.na:
        if rule.na_allowed:
            findings.append(
                AuditFinding(
                    AuditKind.na_claimed,
                    (rule.id,),
                    Text(
                        f"{rule.id} 填报为“不适用”，已从分母中剔除；请核实确无此项。",
                        f"{rule.id} was answered N/A and left out of the denominator; "
                        "please verify it really does not apply.",
                    ),
                    cells=_answer_cells(answer),
                )
            )
            return Status.na, 0.0, 0.0, Decision(DecisionKind.declared_na)
        # The pack says the rule applies to every unit of this type: 不适用 is not
        # an answer here, or any failing row could be written away (a veto too).
        findings.append(
            AuditFinding(
                AuditKind.na_claimed,
                (rule.id,),
                Text(
                    f"{rule.id} 适用于本单位，不能填“不适用”，按未填报计 0 分；请如实填报。",
                    f"{rule.id} applies to this unit and cannot be answered N/A; it counts as "
                    "not answered (0 points). Please answer it.",
                ),
                cells=_answer_cells(answer),
            )
        )
        return Status.missing, 0.0, rule.points, Decision(DecisionKind.na_refused)

    if answer.state is AnswerState.missing or answer.value is None:
        return Status.missing, 0.0, rule.points, Decision(DecisionKind.missing)

    decision = credit_for(rule, answer.value, year)
    if decision is None:
        return Status.missing, 0.0, rule.points, Decision(DecisionKind.unreadable)
    if decision.kind is DecisionKind.undated:
        return Status.missing, 0.0, rule.points, decision
    if ratio is not None and ratio.state is RatioState.over_100:
        decision = Decision(DecisionKind.rate_impossible)
    share = decision.credit
    status = Status.passed if share >= 1 else Status.fail if share <= 0 else Status.partial
    if rule.evidence_required and share > 0 and not has_evidence(answer.evidence):
        share *= pack.unsupported_credit
        status = Status.unsupported
        decision = replace(decision, evidence_credit=pack.unsupported_credit)
        findings.append(
            AuditFinding(
                AuditKind.unsupported,
                (rule.id,),
                Text(
                    f"{rule.id} 填报“{value_text(answer.value, rule.answer).zh}”但未提供佐证材料，"
                    f"按{number(pack.unsupported_credit * 100)}%计分；请补充佐证。",
                    f"{rule.id} claims '{value_text(answer.value, rule.answer).en}' without "
                    f"evidence; scored at {number(pack.unsupported_credit * 100)}%. "
                    "Name the supporting document.",
                ),
                cells=_answer_cells(answer),
            )
        )
    if rule.points == 0:
        status = Status.passed  # a headcount: answered is all it asks
    return status, rule.points * share, rule.points, decision


def credit_for(rule: Rule, value: Value, year: int | None) -> Decision | None:
    """What ``value`` earns under ``rule`` (its ``credit``); None when the value has the wrong type."""
    spec = rule.answer
    match spec.type:
        case AnswerType.yesno:
            if value == "partial":
                return Decision(DecisionKind.partly, 0.5)
            if not isinstance(value, bool):
                return None
            credit = 1.0 if value is spec.expect else 0.0
            return Decision(DecisionKind.yes if value else DecisionKind.no, credit)
        case AnswerType.choice:
            choice = next((c for c in spec.choices if c.id == value), None)
            if choice is None:
                return None
            return Decision(DecisionKind.choice, choice.credit, choice=choice.id)
        case AnswerType.text:
            if not isinstance(value, str):
                return None
            return Decision(DecisionKind.text, 1.0 if value.strip() else 0.0)
        case AnswerType.date:
            if not isinstance(value, dt.date):
                return None
            if year is None:
                return Decision(DecisionKind.undated)
            age = max(0, year - value.year)
            return _banded(rule, float(age))
        case _:
            if isinstance(value, bool) or not isinstance(value, int | float):
                return None
            if rule.points == 0:
                return Decision(DecisionKind.data, 1.0)
            if rule.deduction is not None:
                return _deducted(rule, float(value))
            return _banded(rule, float(value))


def _banded(rule: Rule, value: float) -> Decision:
    for band in rule.bands:
        if band.condition.holds(value):
            return Decision(DecisionKind.band_met, band.credit, condition=band.condition)
    return Decision(DecisionKind.band_missed)


def _deducted(rule: Rule, value: float) -> Decision:
    deduction = rule.deduction
    assert deduction is not None
    target = deduction.target
    if target.holds(value):
        return Decision(DecisionKind.band_met, 1.0, condition=target)
    gap = abs(target.threshold - value)
    steps = max(1, math.ceil(gap / deduction.per - 1e-9))
    deducted = steps * deduction.points
    earned = max(0.0, rule.points - deducted)
    share = earned / rule.points if rule.points else 0.0
    return Decision(DecisionKind.deduction, share, condition=target, steps=steps, deducted=deducted)


# --- ratios ----------------------------------------------------------------------


def _numeric(answer: Answer) -> float | None:
    if answer.state is not AnswerState.given:
        return None
    value = answer.value
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


class RatioState(StrEnum):
    """Why a ratio rule's counts override the usual scoring."""

    usual = ""
    """Score the rate as usual (computed from the counts, or as stated when they are missing)."""
    zero_denominator = "zero_denominator"
    """Both counts are 0: nothing to measure, so the rule is not applicable."""
    over_100 = "over_100"
    """The part outnumbers the whole: the counts are wrong and the rate earns nothing."""


@record
class _Ratio:
    """A ratio rule's rate recomputed from its two counts."""

    answer: Answer
    """The answer to score: the computed rate, or the stated one when the counts are missing."""
    counts: RatioCounts | None
    """The counts divided, or None when one is missing."""
    state: RatioState = RatioState.usual
    """Whether the counts override the usual scoring of the rate."""
    finding: AuditFinding | None = None
    """A stated rate far from the computed one, or counts that cannot be right."""


def _ratio_answer(rule: Rule, stated: Answer, answers: dict[str, Answer], pack: RulePack) -> _Ratio:
    numerator, denominator = rule.answer.numerator, rule.answer.denominator
    assert numerator is not None and denominator is not None
    top_answer = answers.get(numerator, _MISSING)
    bottom_answer = answers.get(denominator, _MISSING)
    top, bottom = _numeric(top_answer), _numeric(bottom_answer)
    if top is None or bottom is None:
        return _Ratio(stated, None)
    counts = RatioCounts(numerator, denominator, top, bottom)
    formula = ratio_formula(counts)
    cells = tuple(a.cell for a in (stated, top_answer, bottom_answer) if a.cell)
    if bottom == 0 and top == 0:
        # No employees, no League members: the rate has nothing to measure.
        return _Ratio(stated, counts, RatioState.zero_denominator)
    if bottom <= 0 or top > bottom:
        # The part outnumbers the whole: the counts are wrong, so the rate earns nothing.
        return _Ratio(
            replace(
                stated,
                state=AnswerState.given,
                value=round(top / bottom * 100, 2) if bottom > 0 else 0.0,
            ),
            counts,
            RatioState.over_100,
            AuditFinding(
                AuditKind.ratio_mismatch,
                (rule.id, numerator, denominator),
                Text(
                    f"{rule.id}：{formula}，分子大于分母，比率不可能超过100%；不计分，请核对人数。",
                    f"{rule.id}: {formula}: the part outnumbers the whole, so the rate cannot be "
                    "right; no points. Check the counts.",
                ),
                cells=cells,
            ),
        )
    computed = round(top / bottom * 100, 2)
    answer = replace(stated, state=AnswerState.given, value=computed)
    stated_value = _numeric(stated)
    finding = None
    if stated_value is not None and abs(stated_value - computed) > pack.ratio_tolerance:
        finding = AuditFinding(
            AuditKind.ratio_mismatch,
            (rule.id, numerator, denominator),
            Text(
                f"{rule.id} 填报 {number(stated_value)}%，但按 {formula} 计算为 {number(computed)}%；"
                "已按计算值计分，请核对人数。",
                f"{rule.id} states {number(stated_value)}% but {formula} gives "
                f"{number(computed)}%; scored on the computed rate. Check the counts.",
            ),
            cells=cells,
        )
    return _Ratio(answer, counts, RatioState.usual, finding)


# --- consistency checks ------------------------------------------------------------


def _answer_number(answer: Answer | None) -> float | None:
    """An answer as a number for comparisons: yes 1, no 0, partly 0.5, a date its fractional year; None when unusable."""
    if answer is None or answer.state is not AnswerState.given:
        return None
    value = answer.value
    if value == "partial":
        return 0.5
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, dt.date):
        # As a fractional year, so dates order among themselves and against a
        # plain year ("COV-20 >= 2016").
        return value.year + (value.timetuple().tm_yday - 1) / 366
    return None


def _holds(comparison: Comparison, value_of: Callable[[str], float | None]) -> bool | None:
    """Whether ``comparison`` holds; None when an answer it needs is missing."""

    def side(operand: Operand) -> float | None:
        if operand.constant is not None:
            return operand.constant
        assert operand.rule_id is not None
        return value_of(operand.rule_id)

    left, right = side(comparison.left), side(comparison.right)
    if left is None or right is None:
        return None
    return comparison.op.holds(left, right)


def _run_checks(pack: RulePack, results: dict[str, RuleResult]) -> list[AuditFinding]:
    findings = []

    def value_of(rule_id: str) -> float | None:
        result = results.get(rule_id)
        if result is None or result.status is Status.na:
            return None
        return _answer_number(result.answer)

    yesno = yes_no_rules(pack.rules)
    for check in pack.checks:
        if check.when is not None and _holds(check.when, value_of) is not True:
            continue
        if _holds(check.assertion, value_of) is not False:
            continue
        involved = tuple(
            dict.fromkeys(check.assertion.rule_ids + (check.when.rule_ids if check.when else ()))
        )
        shown_zh = "，".join(
            f"{rid}={value_text(results[rid].answer.value, pack.rule(rid).answer).zh}"
            for rid in involved
        )
        shown_en = ", ".join(
            f"{rid}={value_text(results[rid].answer.value, pack.rule(rid).answer).en}"
            for rid in involved
        )
        stated = comparison_text(check.assertion, yesno)
        findings.append(
            AuditFinding(
                AuditKind.consistency,
                involved,
                Text(
                    f"{check.message.zh}（{stated.zh} 不成立：{shown_zh}）",
                    f"{check.message.en} ({stated.en} does not hold: {shown_en})",
                ),
                check_id=check.id,
                cells=tuple(
                    results[rid].answer.cell for rid in involved if results[rid].answer.cell
                ),
            )
        )
    return findings
