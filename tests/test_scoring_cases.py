"""Rule behaviour as data: every case in tests/cases/scoring.yaml, one parametrised test.

A case either builds a small pack from rule snippets, or (``builtin: true``)
scores the built-in pack, so each rule and check of the shipped pack can be
pinned down as data too; ``findings`` names the finding kind each gap gets.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from checklist.gaps import find_gaps
from checklist.model import (
    Answer,
    AnswerState,
    Assessment,
    Comparison,
    Condition,
    Decision,
    DecisionKind,
    RatioCounts,
    UnitInfo,
)
from checklist.rulepack import load_pack
from checklist.scoring import score
from checklist.wording import ratio_formula
from tests.packs import write_pack

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "scoring.yaml").read_text("utf-8"))


def _answer(rule_id: str, value: Any, case: dict[str, Any]) -> Answer:
    evidence = str(case.get("evidence", {}).get(rule_id, ""))
    claimed = case.get("claimed", {}).get(rule_id)
    if value == "NA":
        return Answer(AnswerState.na, None, "不适用", evidence=evidence, claimed=claimed)
    raw = value.isoformat() if isinstance(value, dt.date) else str(value)
    return Answer(AnswerState.given, value, raw, evidence=evidence, claimed=claimed)


def _same(actual: object, expected: object) -> bool:
    if isinstance(expected, int | float) and not isinstance(expected, bool):
        return actual == pytest.approx(expected)
    return actual == expected


def _decision_field(decision: Decision, key: str) -> object:
    """A decision's field as a case writes it: kinds by value, conditions as in a pack."""
    actual = getattr(decision, key)
    if isinstance(actual, DecisionKind):
        return actual.value
    if isinstance(actual, RatioCounts):
        return ratio_formula(actual)
    if isinstance(actual, Condition | Comparison):
        return str(actual)
    return actual


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_scoring_case(case: dict[str, Any], tmp_path: Path) -> None:
    pack = (
        load_pack("grassroots")
        if case.get("builtin")
        else load_pack(
            write_pack(tmp_path / "pack", case["rules"], case.get("checks"), case.get("pack"))
        )
    )
    answers = {rule_id: _answer(rule_id, value, case) for rule_id, value in case["answers"].items()}
    for rule_id, claimed in case.get("claimed", {}).items():
        answers.setdefault(rule_id, Answer(AnswerState.missing, claimed=claimed))
    unit = UnitInfo("测试村", case.get("unit_type", "village"), case.get("year", 2024))
    result = score(Assessment(unit, answers), pack, case.get("as_of"))

    for rule_id, expected in case.get("expect", {}).items():
        got = result.rule(rule_id)
        for key, value in expected.get("decision", {}).items():
            actual = _decision_field(got.decision, key)
            assert _same(actual, value), (
                f"{rule_id}.decision.{key}: expected {value!r}, got {actual!r}"
            )
        for key, value in expected.items():
            if key == "decision":
                continue
            actual = got.answer.value if key == "value" else getattr(got, key)
            if key == "status":
                actual = actual.value
            assert (
                actual == pytest.approx(value)
                if isinstance(value, float | int)
                else actual == value
            ), f"{rule_id}.{key}: expected {value!r}, got {actual!r}"

    for key, value in case.get("score", {}).items():
        actual = getattr(result.score, key)
        if isinstance(actual, tuple):
            actual = list(actual)
        assert (
            actual == pytest.approx(value) if isinstance(value, float | int) else actual == value
        ), f"score.{key}: expected {value!r}, got {actual!r}"

    for area_id, expected in case.get("areas", {}).items():
        area = next(a for a in result.areas if a.area == area_id)
        for key, value in expected.items():
            assert getattr(area, key) == (pytest.approx(value) if value is not None else None)

    if "completeness" in case:
        assert result.completeness.answered == case["completeness"]["answered"]
        assert result.completeness.applicable == case["completeness"]["applicable"]

    if "audit" in case:
        assert sorted(f.kind.value for f in result.audit) == sorted(case["audit"])

    if "fired" in case:
        fired = sorted(f.check_id for f in result.audit if f.check_id)
        assert fired == sorted(case["fired"])

    gaps = {g.rule.id: g for g in find_gaps(result, pack)}
    for rule_id, kind in case.get("findings", {}).items():
        assert gaps[rule_id].kind.value == kind, rule_id
        finding = gaps[rule_id].finding.zh
        if kind == "blank":
            assert finding == "未填报，请补填。"
        elif kind == "evidence":
            assert finding.startswith("请补充佐证材料：")
        else:
            assert finding == pack.rule(rule_id).finding.zh
