"""Immutable records that pass between the stages of the pipeline.

rules/*.yaml --load--> RulePack;  workbook --intake--> Assessment;
RulePack x Assessment --score--> Result.  Nothing here does I/O and nothing
downstream of the rule-pack loader ever sees pydantic.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import field
from enum import Enum, StrEnum
from typing import TypeAlias

from checklist.codes import MatchMethod, NoteCode
from checklist.records import record
from checklist.text import Text


class AnswerType(Enum):
    """How a rule's answer is written and read (a plain Enum: ``count`` would shadow str.count)."""

    yesno = "yesno"
    count = "count"
    number = "number"
    percent = "percent"
    ratio = "ratio"
    choice = "choice"
    date = "date"
    text = "text"


class Severity(StrEnum):
    """How much a gap matters; orders the gap list and the priority actions."""

    critical = "critical"
    major = "major"
    minor = "minor"

    @property
    def weight(self) -> int:
        """Multiplier used to rank priority actions (points lost x weight)."""
        return {"critical": 3, "major": 2, "minor": 1}[self.value]


class Org(StrEnum):
    """Which mass organisation a rule concerns."""

    union = "union"
    league = "league"
    women = "women"
    all = "all"


class Status(StrEnum):
    """Outcome of one rule for one assessment."""

    passed = "pass"
    partial = "partial"
    fail = "fail"
    missing = "missing"
    na = "na"
    unsupported = "unsupported"
    waived = "waived"


#: A normalised answer value: yes/no as bool ("partial" for hedged yes/no
#: answers such as 基本落实), numbers as int/float (percent as 0..100),
#: choices by id, dates as ``datetime.date``, free text as str.
Value: TypeAlias = bool | int | float | str | dt.date


# --- conditions and scoring ---------------------------------------------------


class Op(StrEnum):
    """Comparison operators allowed in bands, deductions and checks."""

    ge = ">="
    gt = ">"
    le = "<="
    lt = "<"
    eq = "=="
    ne = "!="

    def holds(self, left: float, right: float) -> bool:
        """Whether ``left <op> right``."""
        match self:
            case Op.ge:
                return left >= right
            case Op.gt:
                return left > right
            case Op.le:
                return left <= right
            case Op.lt:
                return left < right
            case Op.eq:
                return left == right
            case Op.ne:
                return left != right


@record
class Condition:
    """A comparison of a value against a threshold, e.g. ``>=2``."""

    op: Op
    """The comparison operator."""
    threshold: float
    """The number the value is compared with."""

    def holds(self, value: float) -> bool:
        """Whether ``value`` satisfies the condition."""
        return self.op.holds(value, self.threshold)

    def __str__(self) -> str:
        threshold = int(self.threshold) if self.threshold == int(self.threshold) else self.threshold
        return f"{self.op.value}{threshold}"


@record
class Band:
    """One step of a banded score: values meeting ``condition`` earn ``credit``."""

    condition: Condition
    """When this band applies."""
    credit: float
    """Share of the rule's points earned, 0..1."""


@record
class Deduction:
    """Per-occurrence deduction, e.g. 每少1次扣2分 (floored at zero)."""

    target: Condition
    """The value that earns full points, e.g. ``>=4``; each step short of it deducts."""
    per: float
    """Size of one step (each ``per`` short of the target costs ``points``)."""
    points: float
    """Points deducted per step."""


@record
class Choice:
    """One allowed answer of a ``choice`` rule."""

    id: str
    """Stable identifier stored in results."""
    label: Text
    """What the unit sees in the dropdown."""
    credit: float
    """Share of the rule's points this answer earns, 0..1."""
    aliases: tuple[str, ...] = ()
    """Other wordings units use for this choice."""


@record
class AnswerSpec:
    """What kind of answer a rule expects."""

    type: AnswerType
    """The answer type."""
    unit: str | None = None
    """Unit printed after numbers (人, 次, 万元)."""
    choices: tuple[Choice, ...] = ()
    """Allowed answers for ``choice`` rules."""
    numerator: str | None = None
    """For ``ratio`` rules: id of the count rule above the line."""
    denominator: str | None = None
    """For ``ratio`` rules: id of the count rule below the line."""
    expect: bool = True
    """For ``yesno`` rules: which answer earns the points (False: 'no' is the good answer)."""
    words: tuple[tuple[str, Value | None], ...] = ()
    """Rule-specific answer words and what they mean (齐全 → 0 missing ledgers); None is N/A."""


@record
class Rule:
    """One scored indicator of a rule pack."""

    id: str
    """Stable id, e.g. ``LEAD-03``; results and history are keyed by it."""
    area: str
    """Id of the area the rule belongs to."""
    org: Org
    """Which organisation the rule concerns."""
    indicator: Text
    """The question as printed in the template."""
    answer: AnswerSpec
    """What kind of answer is expected."""
    points: float
    """分值: points at stake (base points, or bonus points for bonus rules)."""
    severity: Severity
    """How much a gap on this rule matters."""
    finding: Text
    """The problem a gap reveals, in the essay's terms."""
    recommendation: Text
    """What to do about it."""
    source: str
    """Where the indicator and threshold come from (essay section or standard)."""
    guidance: Text | None = None
    """填报说明: what to type; generated from the answer spec when absent."""
    aliases: tuple[str, ...] = ()
    """Other wordings seen in real forms, used for fuzzy matching."""
    bands: tuple[Band, ...] = ()
    """Banded scoring for numeric answers; the first band that holds wins."""
    deduction: Deduction | None = None
    """Per-occurrence deduction scoring for numeric answers."""
    veto: bool = False
    """一票否决: failing it caps the grade."""
    bonus: bool = False
    """加分项: points are counted above the base, capped by the pack."""
    evidence_required: bool = False
    """A positive answer without evidence is an unsupported claim."""
    na_allowed: bool = False
    """The unit may answer 不适用 (the rule then leaves its denominator); otherwise 不适用 scores 0."""
    applies_to: tuple[str, ...] = ()
    """Unit types the rule applies to; empty means all."""
    since: int | None = None
    """First assessment year the rule applies to."""
    applies_if: Comparison | None = None
    """Applies only when this holds over other answers (e.g. ``COV-01 >= 200``); unknown → applies."""
    file: str = ""
    """Rule-pack file the rule was read from (for messages)."""

    def applies(self, unit_type: str | None, year: int | None) -> bool:
        """Whether the rule applies to a unit of ``unit_type`` assessed for ``year``."""
        if self.applies_to and unit_type is not None and unit_type not in self.applies_to:
            return False
        return not (self.since is not None and year is not None and year < self.since)


@record
class Operand:
    """One side of a consistency-check comparison: a rule's answer or a constant."""

    rule_id: str | None = None
    """The rule whose answer is used (yes = 1, no = 0)."""
    constant: float | None = None
    """A number, when the side is a constant."""

    def __str__(self) -> str:
        if self.rule_id is not None:
            return self.rule_id
        assert self.constant is not None
        return str(int(self.constant) if self.constant == int(self.constant) else self.constant)


@record
class Comparison:
    """``left <op> right`` over answers, e.g. ``STAF-02 <= STAF-01``."""

    left: Operand
    """Left-hand side."""
    op: Op
    """Operator."""
    right: Operand
    """Right-hand side."""

    def __str__(self) -> str:
        return f"{self.left} {self.op.value} {self.right}"

    @property
    def rule_ids(self) -> tuple[str, ...]:
        """Rules referenced by either side."""
        return tuple(o.rule_id for o in (self.left, self.right) if o.rule_id is not None)


@record
class Check:
    """A consistency check between answers (audit only; it never changes points)."""

    id: str
    """Stable id, e.g. ``CHK-01``."""
    assertion: Comparison
    """What must hold."""
    message: Text
    """What an inconsistency means and what to do."""
    when: Comparison | None = None
    """Only checked when this holds (e.g. ``COV-01 >= 200``)."""
    file: str = ""
    """Rule-pack file the check was read from."""


@record
class Area:
    """A problem area of the pack, e.g. leadership attention."""

    id: str
    """Stable id."""
    title: Text
    """Display name."""
    description: Text | None = None
    """What the area covers (essay problem it encodes)."""


@record
class Grade:
    """A grade band: totals at or above ``min`` earn it (first match wins)."""

    id: str
    """Stable id, e.g. ``excellent``."""
    min: float
    """Lowest total score for this grade."""
    title: Text
    """Display name, e.g. 优秀."""


@record
class Concept:
    """One term of the pack's shared vocabulary and the other words forms use for it."""

    id: str
    """Stable id (e.g. ``congress``)."""
    terms: tuple[str, ...]
    """The term first, then its synonyms and abbreviations (职工代表大会, 职代会, 教代会)."""
    source: str
    """Where the wordings come from."""


@record
class UnitType:
    """A kind of unit (village, community, enterprise, …)."""

    id: str
    """Stable id."""
    title: Text
    """Display name."""
    synonyms: tuple[str, ...] = ()
    """Words units write for this type (村委会, 居委会, 民营企业 …)."""


@record
class RulePack:
    """A validated rule pack."""

    id: str
    """Pack id, e.g. ``grassroots``."""
    version: str
    """Pack version; stored with every result."""
    title: Text
    """Display name."""
    areas: tuple[Area, ...]
    """Areas in display order."""
    rules: tuple[Rule, ...]
    """Rules in display order (grouped by area)."""
    checks: tuple[Check, ...]
    """Consistency checks."""
    grades: tuple[Grade, ...]
    """Grade bands, highest first."""
    unit_types: tuple[UnitType, ...]
    """Unit types the pack knows."""
    veto_cap: str
    """Grade id a failed veto rule caps the grade at."""
    bonus_cap: float
    """Most bonus points that count."""
    unsupported_credit: float = 0.5
    """Share of credit kept by a positive answer lacking required evidence."""
    ratio_tolerance: float = 5.0
    """Percentage points a stated rate may differ from its recomputed value."""
    description: Text | None = None
    """What the pack is for."""
    path: str = ""
    """Folder the pack was loaded from."""
    coverage: tuple[tuple[Org, tuple[str, ...]], ...] = ()
    """Per organisation, the yes/no rules whose "yes" means the unit has it, first applicable first."""
    base: str = ""
    """For a local pack that extends another (an overlay): the base's id and version."""
    concepts: tuple[Concept, ...] = ()
    """Shared vocabulary: the many words forms use for one term (concepts.yaml)."""
    cache_key: str = field(default="", repr=False, compare=False)
    """Key of the pack's files in the pack cache ('' for a pack that did not pass through it):
    what tables derived from the pack are kept under (see ``packcache.load_tables``)."""
    rules_by_id: dict[str, Rule] = field(init=False, repr=False, compare=False, hash=False)
    """Rules keyed by id (derived from ``rules``)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "rules_by_id", {rule.id: rule for rule in self.rules})

    def name(self, lang: str) -> str:
        """The pack as reports name it: title, id and version, and the base an overlay extends."""
        return pack_name(self.title.get(lang), self.id, self.version, self.base, lang)

    def rule(self, rule_id: str) -> Rule:
        """The rule with ``rule_id`` (KeyError if absent)."""
        return self.rules_by_id[rule_id]

    def area(self, area_id: str) -> Area:
        """The area with ``area_id``."""
        return next(a for a in self.areas if a.id == area_id)

    def grade(self, grade_id: str) -> Grade:
        """The grade with ``grade_id``."""
        return next(g for g in self.grades if g.id == grade_id)

    def title_of(self, item_id: str) -> Text:
        """The title of the area or grade ``item_id``; the id itself when the pack has neither.

        A result scored under another pack version may name an area or grade
        this pack lacks; it is shown by its id rather than refused. (Validation
        keeps area and grade ids apart, so the lookup is never ambiguous.)
        """
        items: tuple[Area | Grade, ...] = (*self.areas, *self.grades)
        return next((i.title for i in items if i.id == item_id), Text(item_id, item_id))

    def unit_type(self, type_id: str) -> UnitType | None:
        """The unit type with ``type_id``, if the pack knows it."""
        return next((t for t in self.unit_types if t.id == type_id), None)


def pack_name(title: str, pack_id: str, version: str, base: str, lang: str) -> str:
    """``太仓市2025版 taicang 2025.1（基于 grassroots 2026.2）``; no brackets for a pack of its own."""
    return f"{title} {pack_id} {version}{based_on(base, lang)}"


def based_on(base: str, lang: str) -> str:
    """``（基于 grassroots 2026.2）`` after a local pack's name; empty for a pack of its own."""
    if not base:
        return ""
    return f" (based on {base})" if lang == "en" else f"（基于 {base}）"


# --- answers and assessments ----------------------------------------------------


class AnswerState(StrEnum):
    """Whether an answer could be used."""

    given = "given"
    missing = "missing"
    na = "na"


@record
class Answer:
    """One unit's answer to one rule, with where it came from."""

    state: AnswerState
    """given, missing (blank or unreadable) or na (不适用)."""
    value: Value | None = None
    """The normalised value when ``state`` is given."""
    raw: str = ""
    """What the unit wrote, as text."""
    cell: str = ""
    """Where it was read, as ``Sheet!E5`` (empty when not from a workbook)."""
    evidence: str = ""
    """佐证材料 the unit named for this answer."""
    claimed: float | None = None
    """自评得分: the unit's own score for this rule, if given."""
    match_method: MatchMethod = MatchMethod.none
    """How the row was tied to the rule (none when the answer was not read from a form)."""
    match_confidence: float = 100.0
    """Confidence of the match, 0..100."""

    @staticmethod
    def of(value: Value | None, **extra: object) -> Answer:
        """A given answer (or missing when ``value`` is None), for code and tests."""
        state = AnswerState.missing if value is None else AnswerState.given
        raw = extra.pop("raw", "" if value is None else str(value))
        return Answer(state, value, raw, **extra)  # type: ignore[arg-type]


class NoteLevel(StrEnum):
    """How serious an intake note is."""

    info = "info"
    warning = "warning"
    error = "error"


@record
class IntakeNote:
    """Something intake guessed or could not read, with where it happened."""

    level: NoteLevel
    """info (a guess), warning (worth a look) or error (could not be read)."""
    code: NoteCode
    """Stable kind of note (``docs/error-codes.md``)."""
    message: Text
    """What happened and what to do."""
    sheet: str = ""
    """Sheet name, when the note concerns a cell."""
    cell: str = ""
    """Cell reference (``E5``)."""
    rule_id: str = ""
    """Rule concerned, if any."""


@record
class UnitInfo:
    """Who the assessment is about."""

    name: str
    """Unit name (单位名称)."""
    type: str | None
    """Unit type id of the pack, when known."""
    year: int | None
    """Assessment year."""
    town: str = ""
    """所属镇（街道）."""
    filled_by: str = ""
    """填报人."""
    phone: str = ""
    """联系电话."""


@record
class Assessment:
    """One unit's answers for one year, as read from its workbook."""

    unit: UnitInfo
    """The unit."""
    answers: dict[str, Answer] = field(default_factory=dict)
    """Answers keyed by rule id; rules absent here are missing."""
    notes: tuple[IntakeNote, ...] = ()
    """What intake guessed or could not read."""
    source: str = ""
    """File name the assessment was read from."""
    unmatched: tuple[UnmatchedRow, ...] = ()
    """Rows intake could not tie to any rule."""


@record
class UnmatchedRow:
    """A row of the unit's sheet that matched no rule."""

    sheet: str
    """Sheet name."""
    row: int
    """1-based row number."""
    text: str
    """The row's indicator text."""
    best_rule: str = ""
    """Closest rule id, even though it was below the threshold."""
    best_score: float = 0.0
    """Score of that closest rule."""


# --- results -----------------------------------------------------------------


class DecisionKind(StrEnum):
    """What decided a rule's points; stored in JSON results and history, so values never change.

    A veto or bonus rule is decided like any other (its band, its yes/no): the
    veto and the bonus sit beside the decision on :class:`RuleResult`, and a
    missing evidence cut is :attr:`Decision.evidence_credit` on whatever the
    answer itself earned.
    """

    band_met = "band_met"
    """A number, rate or date's age met ``condition`` (a band, or a deduction's target)."""
    band_missed = "band_missed"
    """A number, rate or date's age met no band: 0 points."""
    deduction = "deduction"
    """Short of the target ``condition`` by ``steps`` steps: ``deducted`` points off."""
    yes = "yes"
    """A yes/no rule answered yes (``credit`` 1 when yes is the wanted answer, else 0)."""
    no = "no"
    """A yes/no rule answered no (``credit`` 1 when no is the wanted answer, else 0)."""
    partly = "partly"
    """A yes/no rule answered 部分 / 基本落实: half points."""
    choice = "choice"
    """A choice rule: ``choice`` was chosen and earns ``credit``."""
    text = "text"
    """A free-text rule: filled in, or blank."""
    data = "data"
    """A zero-point headcount: answered is all it asks."""
    rate_impossible = "rate_impossible"
    """A ratio whose part outnumbers its whole: 0 points."""
    nothing_to_count = "nothing_to_count"
    """A ratio of 0 to 0: not applicable."""
    declared_na = "declared_na"
    """The unit answered 不适用 where the rule allows it: out of the denominator."""
    na_refused = "na_refused"
    """The unit answered 不适用 where the rule applies: counted as not answered."""
    na_by_type = "na_by_type"
    """Not for this unit type."""
    na_no_type = "na_no_type"
    """For some unit types only, and the form names none: left out rather than guessed."""
    na_by_year = "na_by_year"
    """Not before the year ``since``."""
    na_by_condition = "na_by_condition"
    """Its condition ``applies_if`` does not hold."""
    unreadable = "unreadable"
    """An answer of the wrong kind for the rule: 0 points."""
    undated = "undated"
    """A date answer with no assessment year to measure its age from: 0 points."""
    missing = "missing"
    """Not answered: 0 points."""
    waived = "waived"
    """An approved waiver (豁免) covers the rule for this unit and year: out of the denominator."""


@record
class RatioCounts:
    """The two counts a ratio rule divided, e.g. ``COV-02/COV-01 = 54/56``."""

    numerator: str
    """Rule id of the count above the line."""
    denominator: str
    """Rule id of the count below the line."""
    top: float
    """The numerator's answer."""
    bottom: float
    """The denominator's answer."""


@record
class Waiver:
    """An agreed exception (豁免): one rule does not count against one unit until it expires."""

    unit: str
    """The unit's name as the waiver gives it (matched by :mod:`checklist.identity`)."""
    rule_id: str
    """The rule waived."""
    reason: str
    """Why (豁免理由)."""
    approved_by: str
    """Who approved it (批准人)."""
    approved_on: dt.date
    """When it was approved."""
    expires_on: dt.date
    """Last day it holds; it covers an assessment year only if it holds to that year's end."""
    veto: bool = False
    """The approver ticked that it lifts a veto (否决项) rule; without it a veto rule stays."""
    town: str = ""
    """所属镇（街道）, when the waiver gives it (tells two units of one name apart)."""
    where: str = ""
    """Where it was read: ``豁免清单!A5`` or ``waivers[2]``."""


@record
class Decision:
    """What decided one rule's points, with the numbers that decided them."""

    kind: DecisionKind
    """What decided them."""
    credit: float = 0.0
    """Share of the rule's points the answer earned, 0..1, before any evidence cut."""
    condition: Condition | None = None
    """``band_met``: the band met; ``deduction``: the target missed."""
    steps: int = 0
    """``deduction``: how many steps short of the target."""
    deducted: float = 0.0
    """``deduction``: points taken off."""
    choice: str = ""
    """``choice``: the chosen choice's id."""
    since: int | None = None
    """``na_by_year``: the first year the rule applies."""
    applies_if: Comparison | None = None
    """``na_by_condition``: the condition that does not hold."""
    ratio: RatioCounts | None = None
    """For ratio rules: the counts divided, when both were given."""
    evidence_credit: float | None = None
    """When a positive answer named no evidence: the share of ``credit`` kept."""
    waiver: Waiver | None = None
    """``waived``: the waiver that covers the rule."""


@record
class RuleResult:
    """How one rule scored."""

    rule_id: str
    """The rule."""
    area: str
    """Its area."""
    status: Status
    """pass / partial / fail / missing / na / unsupported."""
    earned: float
    """Points earned."""
    possible: float
    """Points at stake (0 when N/A)."""
    answer: Answer
    """The answer scored (for ratio rules, the computed value replaces the stated one)."""
    decision: Decision
    """What decided the points (rendered for people by :func:`checklist.gaps.decision_text`)."""
    bonus: bool = False
    """Whether the points are bonus points."""
    veto: bool = False
    """Whether the rule is a veto rule."""

    @property
    def lost(self) -> float:
        """Points not earned."""
        return round(self.possible - self.earned, 4)

    @property
    def is_gap(self) -> bool:
        """Applicable and not fully met; a bonus not earned is no gap (it costs no base points)."""
        return not self.bonus and self.status not in (Status.passed, Status.na, Status.waived)


@record
class AreaResult:
    """How one area scored."""

    area: str
    """The area id."""
    earned: float
    """Base points earned."""
    possible: float
    """Applicable base points."""
    score: float | None
    """earned / possible x 100, or None when nothing applies."""


class AuditKind(StrEnum):
    """Kinds of audit finding."""

    consistency = "consistency"
    ratio_mismatch = "ratio_mismatch"
    over_claim = "over_claim"
    unsupported = "unsupported"
    na_claimed = "na_claimed"
    veto = "veto"


@record
class AuditFinding:
    """Something an auditor should look at; never changes the points."""

    kind: AuditKind
    """What kind of finding."""
    rule_ids: tuple[str, ...]
    """Rules (or check id first, then rules) concerned."""
    message: Text
    """Explanation with the values involved."""
    check_id: str = ""
    """Consistency check id, for ``consistency`` findings."""
    cells: tuple[str, ...] = ()
    """Cells of the answers involved."""


@record
class Score:
    """The headline numbers."""

    base: float
    """Earned / applicable base points x 100."""
    bonus: float
    """Bonus points counted (capped)."""
    total: float
    """base + bonus; what the grade is read from."""
    grade: str
    """Grade id after any veto cap."""
    uncapped_grade: str
    """Grade id the total alone would earn."""
    vetoed_by: tuple[str, ...]
    """Veto rules that failed (and capped the grade)."""
    earned: float
    """Base points earned."""
    possible: float
    """Applicable base points."""
    bonus_raw: float
    """Bonus points before the cap."""


@record
class Completeness:
    """How much of the form was answered."""

    answered: int
    """Applicable rules with a usable answer."""
    applicable: int
    """Rules that apply to the unit (not N/A by type or year)."""


@record
class Result:
    """Everything scoring produces for one assessment; reporters only read this."""

    unit: UnitInfo
    """The unit."""
    pack_id: str
    """Rule pack id used."""
    pack_version: str
    """Rule pack version used."""
    rules: tuple[RuleResult, ...]
    """Per rule, in pack order."""
    areas: tuple[AreaResult, ...]
    """Per area, in pack order."""
    score: Score
    """Overall score and grade."""
    audit: tuple[AuditFinding, ...]
    """Audit findings."""
    completeness: Completeness
    """Answered vs applicable rules."""
    notes: tuple[IntakeNote, ...] = ()
    """Intake notes carried over from the assessment."""
    unmatched: tuple[UnmatchedRow, ...] = ()
    """Unmatched rows carried over from the assessment."""
    source: str = ""
    """File the assessment came from."""
    pack_base: str = ""
    """When the pack is an overlay: the id and version of the pack it extends."""
    waivers: tuple[Waiver, ...] = ()
    """Waivers applied to this result (each also on its rule's decision)."""

    def rule(self, rule_id: str) -> RuleResult:
        """The result for ``rule_id``."""
        return next(r for r in self.rules if r.rule_id == rule_id)
