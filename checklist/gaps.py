"""What a gap report says, computed from a finished Result (pure; no I/O, no openpyxl).

Reporters (the Excel workbook, the terminal summary) only lay out what this
module returns: the ordered gap list, the priority actions, gap counts, area
rows with their colour level, and the audit rows. Nothing here scores or
matches; it only reads ``Result`` and the ``RulePack`` it was scored against,
and, when the unit's previous year is known, the finished
:class:`~checklist.compare.Comparison` with it (to mark each gap new,
persistent or regressed and to give the change since that year).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from enum import StrEnum
from typing import TYPE_CHECKING

from checklist.codes import NoteCode
from checklist.model import (
    AnswerSpec,
    AnswerType,
    Area,
    AreaResult,
    AuditKind,
    Decision,
    DecisionKind,
    Grade,
    NoteLevel,
    Result,
    Rule,
    RulePack,
    RuleResult,
    Severity,
    Status,
    Waiver,
)
from checklist.patterns import lazy_compile
from checklist.records import record
from checklist.text import Text
from checklist.wording import comparison_text, condition_text, number, ratio_formula, value_text

if TYPE_CHECKING:
    from checklist.compare import Comparison, PackRef

PRIORITY_ACTIONS = 5
"""How many priority actions the summary shows (the summary promises "the five priority actions")."""

_SEVERITY_ORDER = {Severity.critical: 0, Severity.major: 1, Severity.minor: 2}


# --- gaps and actions ------------------------------------------------------------


class Track(StrEnum):
    """How a gap stands against the unit's previous year."""

    new = "new"
    """Not a gap last year (passed, N/A, or the rule did not exist), and not regressed."""
    persistent = "persistent"
    """A gap last year too, and no worse now."""
    regressed = "regressed"
    """Worse than last year (see :func:`checklist.compare.regressed`), new or persistent."""


TRACK_TEXT: dict[Track, Text] = {
    Track.new: Text("新增", "New"),
    Track.persistent: Text("持续", "Persistent"),
    Track.regressed: Text("退步", "Regressed"),
}


class FindingKind(StrEnum):
    """What a gap asks of the unit: the finding is chosen by this, so a unit is
    told it failed only where its answer fails."""

    failed = "failed"
    """The answer itself falls short of the rule (wholly or in part)."""
    evidence = "evidence"
    """The answer meets the rule but names no evidence: ask for the evidence."""
    blank = "blank"
    """Not answered (or an answer that could not be read): ask for it."""


_KIND_ORDER = {FindingKind.failed: 0, FindingKind.evidence: 1, FindingKind.blank: 2}

_LOWER = {Severity.critical: Severity.major, Severity.major: Severity.minor}


def finding_kind(result: RuleResult) -> FindingKind:
    """Which finding a gap gets, read off its decision: the answer's own failure, missing
    evidence on an answer that meets the rule in full, or no (readable) answer."""
    decision = result.decision
    if result.status is Status.missing:
        return FindingKind.blank
    if decision.evidence_credit is not None and decision.credit >= 1:
        return FindingKind.evidence
    return FindingKind.failed


_EVIDENCE_HINT = lazy_compile(r"佐证材料(?:填|为|写)?[:：]?([^。；;]+)")
_EVIDENCE_HINT_EN = lazy_compile(r"(?:name|give|list) (.+?) as evidence", re.IGNORECASE)


def finding_text(kind: FindingKind, rule: Rule) -> Text:
    """The finding a gap of ``kind`` shows: the rule's own, or a request for what is missing."""
    if kind is FindingKind.blank:
        return Text("未填报，请补填。", "Not answered; please fill it in.")
    if kind is FindingKind.evidence:
        hint = rule.guidance.zh if rule.guidance else ""
        hint_en = rule.guidance.en if rule.guidance else ""
        zh = _EVIDENCE_HINT.search(hint)
        en = _EVIDENCE_HINT_EN.search(hint_en)
        return Text(
            f"请补充佐证材料：{zh.group(1).strip() if zh else '能证明本项答案的文件、记录或照片'}。",
            "Please add the supporting evidence: "
            f"{en.group(1).strip() if en else 'a document, record or photo that bears out the answer'}.",
        )
    return rule.finding


@record
class Gap:
    """One rule that did not pass (any status but ``pass`` and ``na``)."""

    rule: Rule
    """The rule, for its texts, severity and requirement."""
    result: RuleResult
    """How it scored."""
    track: Track | None = None
    """Against the previous year; None when no previous year is known."""
    kind: FindingKind = FindingKind.failed
    """What the gap asks of the unit (see :func:`finding_kind`)."""

    @property
    def finding(self) -> Text:
        """The finding shown for this gap: the rule's only when the answer itself falls short."""
        return finding_text(self.kind, self.rule)

    @property
    def lost(self) -> float:
        """Points not earned."""
        return self.result.lost

    @property
    def severity(self) -> Severity:
        """The rule's severity, one step lower when only the evidence is missing."""
        if self.kind is FindingKind.evidence:
            return _LOWER.get(self.rule.severity, self.rule.severity)
        return self.rule.severity

    @property
    def priority(self) -> float:
        """Points lost x severity weight: what ranks the priority actions."""
        return round(self.lost * self.severity.weight, 4)

    @property
    def vetoed(self) -> bool:
        """Whether this gap is a failed veto rule (it caps the grade)."""
        return self.result.veto and self.result.status in (
            Status.fail,
            Status.missing,
            Status.partial,
        )


@record
class Action:
    """One priority action of the summary."""

    rank: int
    """1-based position."""
    gap: Gap
    """The gap the action closes."""

    @property
    def recommendation(self) -> Text:
        """What to do: the rule's recommendation, or the request when only an answer or evidence is missing."""
        if self.gap.kind is FindingKind.failed:
            return self.gap.rule.recommendation
        return self.gap.finding


def find_gaps(result: Result, pack: RulePack) -> tuple[Gap, ...]:
    """Every rule not met (not ``pass`` or ``na``, bonus rules aside): by severity, points lost, pack order.

    Within one severity a failed veto rule goes first when points tie, since it
    caps the grade whatever its points.
    """
    rules = pack.rules_by_id
    order = {rule.id: index for index, rule in enumerate(pack.rules)}
    gaps = [
        Gap(rules[r.rule_id], r, kind=finding_kind(r))
        for r in result.rules
        if r.is_gap and r.rule_id in rules
    ]
    gaps.sort(
        key=lambda g: (
            _SEVERITY_ORDER[g.severity],
            -g.lost,
            not g.vetoed,
            order[g.rule.id],
        )
    )
    return tuple(gaps)


def priority_actions(gaps: Sequence[Gap], count: int = PRIORITY_ACTIONS) -> tuple[Action, ...]:
    """The ``count`` gaps to close first.

    Real failures come before rows that only lack an answer or evidence,
    whatever their points: a blank row is not a finding about the unit's work.
    Within each, failed veto rules come first (they cap the grade no matter how
    many points the rest earns), then the largest points lost x severity
    weight; ties go to the more severe rule, then to pack order (the order of
    ``gaps``). Bonus rules are left out because missing a bonus costs no base
    points, and gaps that lose nothing (a blank data-only row) have nothing to
    win back.
    """
    candidates = [
        (index, gap)
        for index, gap in enumerate(gaps)
        if not gap.result.bonus and (gap.lost > 0 or gap.vetoed)
    ]
    candidates.sort(
        key=lambda item: (
            _KIND_ORDER[item[1].kind],
            not item[1].vetoed,
            -item[1].priority,
            _SEVERITY_ORDER[item[1].severity],
            item[0],
        )
    )
    return tuple(Action(rank, gap) for rank, (_, gap) in enumerate(candidates[:count], start=1))


def severity_counts(gaps: Sequence[Gap]) -> tuple[tuple[Severity, int], ...]:
    """How many gaps of each severity, most severe first (zeros included)."""
    return tuple(
        (severity, sum(1 for g in gaps if g.severity is severity)) for severity in _SEVERITY_ORDER
    )


# --- areas -----------------------------------------------------------------------


class Level(StrEnum):
    """How an area score reads: the colour of its row in the report."""

    good = "good"
    fair = "fair"
    weak = "weak"
    none = "none"


LEVEL_TEXT: dict[Level, Text] = {
    Level.good: Text("较好", "Good"),
    Level.fair: Text("需提升", "Needs work"),
    Level.weak: Text("薄弱", "Weak"),
    Level.none: Text("不适用", "N/A"),
}


@record
class Thresholds:
    """Score limits for area colours, taken from the pack's grade bands."""

    good: float
    """At or above: good (the second-lowest passing grade, e.g. 良好 80)."""
    fair: float
    """At or above: fair (the lowest passing grade, e.g. 合格 60); below: weak."""

    def level(self, score: float | None) -> Level:
        """The level of ``score``."""
        if score is None:
            return Level.none
        if score >= self.good:
            return Level.good
        if score >= self.fair:
            return Level.fair
        return Level.weak


def thresholds(pack: RulePack) -> Thresholds:
    """Colour limits from the grade bands: lowest passing grade and the one above it."""
    passing = sorted(g.min for g in pack.grades if g.min > 0)
    if not passing:
        return Thresholds(good=80.0, fair=60.0)
    fair = passing[0]
    good = passing[1] if len(passing) > 1 else fair
    return Thresholds(good=good, fair=fair)


@record
class AreaRow:
    """One row of the summary's area table."""

    area: Area
    """The area (title)."""
    result: AreaResult
    """Its score, earned and possible points."""
    level: Level
    """Colour level of the score."""
    gaps: int
    """Gaps in this area (bonus rules are never gaps)."""
    lost: float
    """Base points lost in this area."""
    score_then: float | None = None
    """The area's score in the previous year, when one is known and the area applied."""
    delta: float | None = None
    """Score now minus the previous year's; None without both."""


def area_rows(result: Result, pack: RulePack, gaps: Sequence[Gap]) -> tuple[AreaRow, ...]:
    """The area table, in pack order."""
    limits = thresholds(pack)
    by_area = {a.area: a for a in result.areas}
    rows = []
    for area in pack.areas:
        scored = by_area.get(area.id)
        if scored is None:
            continue
        rows.append(
            AreaRow(
                area=area,
                result=scored,
                level=limits.level(scored.score),
                gaps=sum(1 for g in gaps if g.result.area == area.id),
                lost=round(scored.possible - scored.earned, 2),
            )
        )
    return tuple(rows)


# --- audit -----------------------------------------------------------------------


class AuditCategory(StrEnum):
    """Kinds of row on the audit sheet, in the order they are listed."""

    veto = "veto"
    over_claim = "over_claim"
    unsupported = "unsupported"
    ratio_mismatch = "ratio_mismatch"
    consistency = "consistency"
    na_claimed = "na_claimed"
    indicator_edited = "indicator_edited"
    unmatched = "unmatched"
    intake = "intake"


AUDIT_TEXT: dict[AuditCategory, Text] = {
    AuditCategory.veto: Text("否决项未达标", "Veto failed"),
    AuditCategory.over_claim: Text("自评得分偏高", "Over-claimed self-score"),
    AuditCategory.unsupported: Text("缺少佐证材料", "Unsupported claim"),
    AuditCategory.ratio_mismatch: Text("比率与人数不符", "Rate mismatch"),
    AuditCategory.consistency: Text("数据前后矛盾", "Inconsistent answers"),
    AuditCategory.na_claimed: Text("填报“不适用”", "Declared N/A"),
    AuditCategory.indicator_edited: Text("指标文字被改动", "Indicator text edited"),
    AuditCategory.unmatched: Text("未匹配的行", "Unmatched row"),
    AuditCategory.intake: Text("读取说明", "Intake note"),
}

NOTE_LEVEL_TEXT: dict[NoteLevel, Text] = {
    NoteLevel.error: Text("错误", "Error"),
    NoteLevel.warning: Text("警告", "Warning"),
    NoteLevel.info: Text("提示", "Info"),
}

_NOTE_ORDER = {NoteLevel.error: 0, NoteLevel.warning: 1, NoteLevel.info: 2}
_EDITED = NoteCode.indicator_edited


@record
class AuditRow:
    """One row of the audit sheet."""

    category: AuditCategory
    """What kind of row."""
    rule_ids: tuple[str, ...]
    """Rules (or the check id first, then rules) concerned."""
    location: Text
    """Where in the unit's file: ``Sheet!E5`` (several, one per line) or a row."""
    message: Text
    """The explanation (may quote the unit's own text)."""
    unit_text: str = ""
    """What the unit wrote that the row is about (answer, row text); written as text."""
    claimed: float | None = None
    """The unit's self-score, for over-claims."""
    computed: float | None = None
    """The points the rules give, for over-claims."""
    level: NoteLevel | None = None
    """Intake-note level; None for scoring findings."""


_AUDIT_KIND = {
    AuditKind.veto: AuditCategory.veto,
    AuditKind.over_claim: AuditCategory.over_claim,
    AuditKind.unsupported: AuditCategory.unsupported,
    AuditKind.ratio_mismatch: AuditCategory.ratio_mismatch,
    AuditKind.consistency: AuditCategory.consistency,
    AuditKind.na_claimed: AuditCategory.na_claimed,
}


def audit_rows(result: Result) -> tuple[AuditRow, ...]:
    """Every audit finding, intake note and unmatched row, grouped by category.

    Scoring findings keep their order within a category; intake notes are
    listed errors first, then by sheet and cell as intake recorded them.
    """
    by_id = {r.rule_id: r for r in result.rules}
    rows: list[AuditRow] = []
    for finding in result.audit:
        category = _AUDIT_KIND[finding.kind]
        first = by_id.get(finding.rule_ids[0]) if finding.rule_ids else None
        claimed = computed = None
        unit_text = ""
        if first is not None and category is not AuditCategory.consistency:
            unit_text = first.answer.raw
            if category is AuditCategory.over_claim:
                claimed = first.answer.claimed
                computed = first.earned
        rows.append(
            AuditRow(
                category=category,
                rule_ids=((finding.check_id,) if finding.check_id else ()) + finding.rule_ids,
                location=_same("\n".join(finding.cells)),
                message=finding.message,
                unit_text=unit_text,
                claimed=claimed,
                computed=computed,
            )
        )
    notes = sorted(
        enumerate(result.notes),
        key=lambda item: (item[1].code != _EDITED, _NOTE_ORDER[item[1].level], item[0]),
    )
    for _, note in notes:
        rows.append(
            AuditRow(
                category=AuditCategory.indicator_edited
                if note.code == _EDITED
                else AuditCategory.intake,
                rule_ids=(note.rule_id,) if note.rule_id else (),
                location=_same(_location(note.sheet, note.cell)),
                message=note.message,
                level=note.level,
            )
        )
    for row in result.unmatched:
        closest = (
            Text(
                f"未能对应到任何规则；最接近 {row.best_rule}（相似度 {number(row.best_score)}）。"
                "如属规则指标，请按模板原文填写后重新提交。",
                f"Matched no rule; closest is {row.best_rule} (similarity "
                f"{number(row.best_score)}). If it is a rule's indicator, use the template's "
                "wording and resubmit.",
            )
            if row.best_rule
            else Text(
                "未能对应到任何规则，该行未计分。",
                "Matched no rule; the row was not scored.",
            )
        )
        rows.append(
            AuditRow(
                category=AuditCategory.unmatched,
                rule_ids=(row.best_rule,) if row.best_rule else (),
                location=_row_location(row.sheet, row.row),
                message=closest,
                unit_text=row.text,
            )
        )
    order = list(AuditCategory)
    rows.sort(key=lambda r: order.index(r.category))  # stable: keeps order within a category
    return tuple(rows)


def _location(sheet: str, cell: str) -> str:
    if sheet and cell:
        return f"{sheet}!{cell}"
    return sheet or cell


def _same(text: str) -> Text:
    return Text(text, text)


def _row_location(sheet: str, row: int) -> Text:
    return (
        Text(f"{sheet} 第{row}行", f"{sheet} row {row}")
        if sheet
        else Text(f"第{row}行", f"row {row}")
    )


# --- how a decision reads -----------------------------------------------------------

_NO_RULE = AnswerSpec(AnswerType.number)
"""How values read when the rule is not in the pack at hand: plain numbers, ids as written."""


def decision_text(result: RuleResult, rule: Rule | None) -> Text:
    """What decided a rule's points, as people read it: the one place a decision is worded.

    ``rule`` gives units, answer labels and choice labels; without it (a result
    scored under a pack that has lost the rule) the numbers read plain.
    """
    decision = result.decision
    main = _decision_main(decision, rule.answer if rule is not None else _NO_RULE)
    if decision.ratio is not None:
        # The counts the engine divided come first: they explain the rate.
        formula = ratio_formula(decision.ratio)
        main = Text(f"按 {formula} 计算；{main.zh}", f"From {formula}: {main.en}")
    if decision.evidence_credit is not None:
        share = number(decision.evidence_credit * 100)
        main = Text(
            f"{main.zh}；缺佐证，按{share}%计", f"{main.en}; no evidence, scored at {share}%"
        )
    return main


def _decision_main(decision: Decision, spec: AnswerSpec) -> Text:
    match decision.kind:
        case DecisionKind.band_met if decision.condition is not None:
            band = condition_text(decision.condition, spec)
            return Text(f"符合“{band.zh}”档", f"Band {band.en}")
        case DecisionKind.deduction if decision.condition is not None:
            wanted = condition_text(decision.condition, spec)
            points = number(decision.deducted)
            return Text(f"未达“{wanted.zh}”，扣{points}分", f"Short of {wanted.en}: −{points} pts")
        case DecisionKind.yes | DecisionKind.no:
            answer = value_text(decision.kind is DecisionKind.yes, spec)
            good = decision.credit > 0
            return Text(
                f"答“{answer.zh}”，{'满分' if good else '不得分'}",
                f"Answered {answer.en}: {'full points' if good else '0 points'}",
            )
        case DecisionKind.choice:
            label = next(
                (c.label for c in spec.choices if c.id == decision.choice),
                Text(decision.choice, decision.choice),
            )
            share = number(decision.credit * 100)
            return Text(f"选“{label.zh}”，得{share}%", f"Chose {label.en}: {share}%")
        case DecisionKind.text if decision.credit <= 0:
            return Text("未填写有效内容，不得分", "Nothing usable written: 0 points")
        case DecisionKind.na_by_year:
            return Text(f"{decision.since}年起适用", f"Applies from {decision.since}")
        case DecisionKind.waived if decision.waiver is not None:
            return waiver_text(decision.waiver)
        case DecisionKind.na_by_condition if decision.applies_if is not None:
            condition = comparison_text(decision.applies_if)
            return Text(
                f"适用条件“{condition.zh}”不成立，不适用",
                f"Its condition {condition.en} does not hold: N/A",
            )
    return _FIXED_TEXT.get(decision.kind, Text(decision.kind.value, decision.kind.value))


def waiver_text(waiver: Waiver) -> Text:
    """``豁免：理由（张三 2024-11-20 批准，有效期至 2025-06-30）``: the waiver and who owns it."""
    return Text(
        f"豁免：{waiver.reason}（{waiver.approved_by} {waiver.approved_on.isoformat()} 批准，"
        f"有效期至 {waiver.expires_on.isoformat()}）",
        f"Waived: {waiver.reason} (approved by {waiver.approved_by} on "
        f"{waiver.approved_on.isoformat()}, until {waiver.expires_on.isoformat()})",
    )


_FIXED_TEXT: dict[DecisionKind, Text] = {
    DecisionKind.band_missed: Text("低于最低档，不得分", "Below every band: 0 points"),
    DecisionKind.partly: Text("部分落实，得一半分", "Partly done: half points"),
    DecisionKind.text: Text("已填写", "Filled in"),
    DecisionKind.data: Text("基础数据，不计分", "Data only, not scored"),
    DecisionKind.rate_impossible: Text(
        "分子大于分母，比率不可能，不得分", "The part outnumbers the whole: 0 points"
    ),
    DecisionKind.nothing_to_count: Text(
        "分子分母均为0，无可计算，不适用", "Nothing to count (0 of 0): N/A"
    ),
    DecisionKind.declared_na: Text("单位填报不适用", "Declared N/A by the unit"),
    DecisionKind.na_refused: Text(
        "本项适用，填“不适用”按未填报计，不得分",
        "The rule applies: N/A counts as not answered, 0 points",
    ),
    DecisionKind.na_by_type: Text("不适用于本类单位", "Does not apply to this unit type"),
    DecisionKind.na_no_type: Text(
        "表中没有单位类型，此项只适用于部分类型的单位，未计分",
        "The form names no unit type and this rule is for some types only: not scored",
    ),
    DecisionKind.unreadable: Text("答案无法识别，不得分", "Answer not readable: 0 points"),
    DecisionKind.undated: Text(
        "表中未写年度，无法计算日期距今几年，不得分；请填写年度",
        "The form names no year, so the date's age cannot be measured: 0 points. Fill in the year",
    ),
    DecisionKind.missing: Text("未填报，不得分", "Not answered: 0 points"),
    DecisionKind.waived: Text("豁免", "Waived"),
}
"""Decisions that read the same whatever their numbers (and the fallbacks of those that do not)."""


# --- the previous year ---------------------------------------------------------------


@record
class PreviousYear:
    """The change since the unit's previous year, as the report's summary shows it."""

    year: int | None
    """The previous year."""
    name: str
    """The unit's name as that year's form gave it (it may have been renamed since)."""
    pack: PackRef
    """The pack that scored the previous year (history re-scores it under this report's pack)."""
    same_pack: bool
    """Whether one pack version scored both years, so the numbers compare like for like."""
    total_then: float
    """Total score then."""
    total_now: float
    """Total score now."""
    delta: float
    """Total now minus then."""
    grade_then: Text
    """Grade then (its id when the pack no longer has it)."""
    grade_now: Text
    """Grade now."""
    grade_move: int
    """+1 when the grade rose, -1 when it fell, 0 when it held (or a grade is unknown)."""
    comparison: Comparison
    """The comparison this summarises (the gap lists are read from it)."""

    @property
    def closed(self) -> tuple[str, ...]:
        """Rule ids that were gaps then and pass now."""
        return self.comparison.closed

    @property
    def new_gaps(self) -> tuple[str, ...]:
        """Rule ids that are gaps now and were not then."""
        return self.comparison.new_gaps

    @property
    def persistent(self) -> tuple[str, ...]:
        """Rule ids that are gaps in both years."""
        return self.comparison.persistent

    @property
    def regressed(self) -> tuple[str, ...]:
        """Rule ids that regressed (some of the new and persistent gaps): those marked
        :attr:`Track.regressed`."""
        return self.comparison.regressed


def _grade_title(pack: RulePack, grade_id: str) -> Text:
    grade = next((g for g in pack.grades if g.id == grade_id), None)
    return grade.title if grade is not None else Text(grade_id, grade_id)


def _grade_move(pack: RulePack, then: str, now: str) -> int:
    floors = {g.id: g.min for g in pack.grades}
    if then not in floors or now not in floors or floors[then] == floors[now]:
        return 0
    return 1 if floors[now] > floors[then] else -1


def previous_year(comparison: Comparison, pack: RulePack) -> PreviousYear:
    """The headline change since the previous year, grades titled by ``pack``."""
    overall = comparison.overall
    return PreviousYear(
        year=comparison.year_then,
        name=comparison.unit_then.name,
        pack=comparison.pack_then,
        same_pack=comparison.same_pack,
        total_then=overall.total_then,
        total_now=overall.total_now,
        delta=overall.total_delta,
        grade_then=_grade_title(pack, overall.grade_then),
        grade_now=_grade_title(pack, overall.grade_now),
        grade_move=_grade_move(pack, overall.grade_then, overall.grade_now),
        comparison=comparison,
    )


def gap_tracks(comparison: Comparison) -> dict[str, Track]:
    """Each current gap's mark against the previous year, by rule id.

    Every gap is new or persistent; a gap that regressed is marked *regressed*
    whichever it is, so the marks count exactly the regressed rules that
    ``compare``, ``trend`` and the summary line count.
    """
    tracks = {rule_id: Track.new for rule_id in comparison.new_gaps}
    tracks.update((rule_id, Track.persistent) for rule_id in comparison.persistent)
    tracks.update((rule_id, Track.regressed) for rule_id in comparison.regressed)
    return tracks


def with_previous(rows: Sequence[AreaRow], comparison: Comparison) -> tuple[AreaRow, ...]:
    """The area rows with the previous year's score and the change."""
    by_area = {a.area: a for a in comparison.areas}
    out = []
    for row in rows:
        change = by_area.get(row.area.id)
        if change is None:
            out.append(row)
            continue
        out.append(replace(row, score_then=change.score_then, delta=change.delta))
    return tuple(out)


# --- everything at once ----------------------------------------------------------------


@record
class GapAnalysis:
    """Everything a gap report shows beyond the Result itself."""

    gaps: tuple[Gap, ...]
    """Rules not passed, by severity then points lost."""
    actions: tuple[Action, ...]
    """The priority actions."""
    by_severity: tuple[tuple[Severity, int], ...]
    """Gap counts per severity, most severe first."""
    areas: tuple[AreaRow, ...]
    """The area table."""
    thresholds: Thresholds
    """Score limits for colours."""
    grade: Grade
    """The grade awarded (after any veto cap)."""
    uncapped_grade: Grade
    """The grade the total alone would earn."""
    vetoes: tuple[Rule, ...]
    """Failed veto rules that capped (or would cap) the grade."""
    audit: tuple[AuditRow, ...]
    """The audit sheet's rows."""
    unit_type: Text | None
    """Title of the unit's type in the pack, when known."""
    previous: PreviousYear | None = None
    """The change since the unit's previous year, when the caller compared with it."""

    @property
    def capped(self) -> bool:
        """Whether a veto lowered the grade."""
        return self.grade.id != self.uncapped_grade.id


def grade_text(analysis: GapAnalysis) -> Text:
    """The grade with the veto that capped it, e.g. ``合格（否决项 LEAD-01 未达标；按分数为良好）``."""
    grade = analysis.grade.title
    if not analysis.vetoes:
        return grade
    ids = "、".join(r.id for r in analysis.vetoes)
    ids_en = ", ".join(r.id for r in analysis.vetoes)
    if analysis.capped:
        was = analysis.uncapped_grade.title
        return Text(
            f"{grade.zh}（否决项 {ids} 未达标，等次由“{was.zh}”降为“{grade.zh}”）",
            f"{grade.en} (veto {ids_en} failed: capped from {was.en})",
        )
    return Text(
        f"{grade.zh}（否决项 {ids} 未达标）",
        f"{grade.en} (veto {ids_en} failed)",
    )


def analyse(
    result: Result,
    pack: RulePack,
    actions: int = PRIORITY_ACTIONS,
    comparison: Comparison | None = None,
) -> GapAnalysis:
    """Everything the report and the terminal summary show, from ``result`` scored with ``pack``.

    With ``comparison`` (the unit's previous year against ``result``), each
    gap carries its :class:`Track`, each area row its change, and
    ``previous`` the headline change.
    """
    gaps = find_gaps(result, pack)
    areas = area_rows(result, pack, gaps)
    previous = None
    if comparison is not None:
        tracks = gap_tracks(comparison)
        # Order is find_gaps' (severity, points lost); the mark never re-sorts.
        gaps = tuple(replace(g, track=tracks.get(g.rule.id)) for g in gaps)
        areas = with_previous(areas, comparison)
        previous = previous_year(comparison, pack)
    rules = pack.rules_by_id
    unit_type = pack.unit_type(result.unit.type) if result.unit.type else None
    return GapAnalysis(
        gaps=gaps,
        actions=priority_actions(gaps, actions),
        by_severity=severity_counts(gaps),
        areas=areas,
        thresholds=thresholds(pack),
        grade=pack.grade(result.score.grade),
        uncapped_grade=pack.grade(result.score.uncapped_grade),
        vetoes=tuple(rules[r] for r in result.score.vetoed_by if r in rules),
        audit=audit_rows(result),
        unit_type=unit_type.title if unit_type else None,
        previous=previous,
    )
