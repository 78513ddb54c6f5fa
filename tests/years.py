"""Three years of one village (东林村) under two versions of a small pack.

Shared by the year-over-year tests (compare, history, trend, gaps): pack ``mini``
1.0 → 2.0 adds, retires and re-scopes rules; each year's answers are written as
intake would read them, with cells and evidence.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from checklist.model import Answer, AnswerState, Assessment, Result, RulePack, UnitInfo
from checklist.rulepack import load_pack
from checklist.scoring import score
from tests.packs import write_pack

_COMMON: list[dict[str, Any]] = [
    {"id": "L1"},
    {"id": "L2"},
    {
        "id": "L3",
        "answer": {"type": "count", "unit": "次"},
        "bands": {">=2": 1.0, ">=1": 0.5},
    },
    {"id": "C1", "area": "cover"},
    {"id": "C2", "area": "cover"},
    {"id": "C3", "area": "cover", "evidence": "required"},
]

V1_RULES: list[dict[str, Any]] = [
    *_COMMON[:3],
    # Only for communities in v1, so N/A for a village; v2 applies it to everyone.
    {"id": "L4", "applies_to": ["community"]},
    *_COMMON[3:],
    {"id": "OLD1", "area": "cover"},
]
V2_RULES: list[dict[str, Any]] = [
    *_COMMON[:3],
    {"id": "L4"},
    {"id": "NEW1"},
    *_COMMON[3:],
    {"id": "NEW2", "area": "cover"},
]

# What 东林村 wrote each year, as raw text (evidence after a "|").
YEARS: dict[int, dict[str, str]] = {
    2022: {"L1": "否", "L2": "否", "L3": "0", "L4": "否", "C1": "否", "C2": "否", "C3": "否"},
    2023: {
        "L1": "是",
        "L2": "否",
        "L3": "1",
        "L4": "否",
        "C1": "否",
        "C2": "是",
        "C3": "是",
        "OLD1": "否",
    },
    2024: {
        "L1": "否",
        "L2": "是",
        "L3": "1",
        "L4": "否",
        "NEW1": "否",
        "C1": "",
        "C2": "是",
        "C3": "是|会议记录2024-03",
        "NEW2": "是",
    },
}
NAMES = {2022: "东林村", 2023: "东林村", 2024: "城厢镇东林村村委会"}


def make_packs(root: Path) -> tuple[RulePack, RulePack]:
    """Pack ``mini`` 1.0 and 2.0 (rules added, retired and re-scoped between them)."""
    v1 = load_pack(write_pack(root / "v1", V1_RULES, pack={"version": "1.0"}))
    v2 = load_pack(write_pack(root / "v2", V2_RULES, pack={"version": "2.0"}))
    return v1, v2


def _value(raw: str, rule_type: str) -> tuple[AnswerState, object]:
    if not raw:
        return AnswerState.missing, None
    if rule_type == "count":
        return AnswerState.given, int(raw)
    return AnswerState.given, raw == "是"


def answers_for(year: int, pack: RulePack) -> dict[str, Answer]:
    """The year's answers as intake would read them (raw text, cell, evidence, match)."""
    answers: dict[str, Answer] = {}
    for row, (rule_id, typed) in enumerate(YEARS[year].items(), start=5):
        raw, _, evidence = typed.partition("|")
        rule_type = "count" if rule_id == "L3" else "yesno"
        state, value = _value(raw, rule_type)
        answers[rule_id] = Answer(
            state,
            value,  # type: ignore[arg-type]
            raw,
            cell=f"自评表!E{row}",
            evidence=evidence,
            match_method="id",
        )
    return answers


def assessment_for(year: int, pack: RulePack, name: str | None = None) -> Assessment:
    """东林村's assessment for ``year``."""
    unit = UnitInfo(name or NAMES[year], "village", year, town="城厢镇")
    return Assessment(unit, answers_for(year, pack), source=f"东林村{year}.xlsx")


def result_for(year: int, pack: RulePack, name: str | None = None) -> Result:
    """东林村's ``year`` scored under ``pack``."""
    return score(assessment_for(year, pack, name), pack)
