"""The rule-pack file format as pydantic models (the untrusted-YAML boundary only).

These models check shapes and types. Cross-references (areas, unit types,
ratio operands), band order and point sums are checked by
:mod:`checklist.rulepack`, which turns the models into the frozen dataclasses
of :mod:`checklist.model` at once; nothing else imports pydantic.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

NonBlank = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Identifier = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_-]*$")]
Share = Annotated[float, Field(ge=0, le=1)]


class Strict(BaseModel):
    """Unknown keys are errors: a typo must not silently change scoring."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class TextModel(Strict):
    """``{zh: …, en: …}``, both required and non-blank."""

    zh: NonBlank
    en: NonBlank


class UnitTypeModel(Strict):
    """A unit type with the words units use for it."""

    id: Identifier
    title: TextModel
    synonyms: list[NonBlank] = []


class AreaModel(Strict):
    """An area; ``points`` is the category subtotal when given."""

    id: Identifier
    title: TextModel
    description: TextModel | None = None
    points: Annotated[float, Field(ge=0)] | None = None


class GradeModel(Strict):
    """A grade band."""

    id: Identifier
    min: Annotated[float, Field(ge=0)]
    title: TextModel


class PackModel(Strict):
    """``pack.yaml``."""

    id: Identifier
    version: NonBlank
    title: TextModel
    description: TextModel | None = None
    veto_cap: Identifier
    bonus_cap: Annotated[float, Field(ge=0)]
    unsupported_credit: Share = 0.5
    ratio_tolerance: Annotated[float, Field(ge=0)] = 5.0
    unit_types: Annotated[list[UnitTypeModel], Field(min_length=1)]
    areas: Annotated[list[AreaModel], Field(min_length=1)]
    grades: Annotated[list[GradeModel], Field(min_length=1)]
    coverage: dict[Literal["union", "league", "women"], list[Identifier]] = {}
    """Per organisation, the yes/no rules whose 'yes' means the unit has it (first applicable wins)."""


class ConceptModel(Strict):
    """One entry of ``concepts.yaml``: a term and the other words forms use for it."""

    id: Identifier
    terms: Annotated[list[NonBlank], Field(min_length=2)]
    source: NonBlank


class ChoiceModel(Strict):
    """One allowed answer of a choice rule."""

    id: Identifier
    zh: NonBlank
    en: NonBlank
    credit: Share
    aliases: list[NonBlank] = []


class AnswerModel(Strict):
    """The ``answer`` block of a rule."""

    type: Literal["yesno", "count", "number", "percent", "ratio", "choice", "date", "text"]
    unit: NonBlank | None = None
    choices: list[ChoiceModel] = []
    numerator: Identifier | None = None
    denominator: Identifier | None = None
    expect: Literal["yes", "no"] | None = None
    words: dict[NonBlank, str | float] = {}


class DeductModel(Strict):
    """Per-occurrence deduction (每少1次扣N分)."""

    target: NonBlank
    per: Annotated[float, Field(gt=0)] = 1
    points: Annotated[float, Field(gt=0)]


class RuleModel(Strict):
    """One rule of an area file."""

    id: Identifier
    area: Identifier
    org: Literal["union", "league", "women", "all"]
    indicator: TextModel
    aliases: list[NonBlank] = []
    guidance: TextModel | None = None
    answer: AnswerModel
    points: Annotated[float, Field(ge=0)]
    bands: dict[str, Share] | None = None
    deduct: DeductModel | None = None
    severity: Literal["critical", "major", "minor"]
    veto: bool = False
    bonus: bool = False
    evidence: Literal["required", "optional"] = "optional"
    na_allowed: bool = False
    applies_to: list[Identifier] | None = None
    applies_if: NonBlank | None = None
    since: Annotated[int, Field(ge=1949, le=2100)] | None = None
    finding: TextModel
    recommendation: TextModel
    source: NonBlank


class CheckModel(Strict):
    """One consistency check of ``checks.yaml``."""

    id: Identifier
    assert_: Annotated[NonBlank, Field(alias="assert")]
    when: NonBlank | None = None
    message: TextModel
