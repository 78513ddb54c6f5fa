"""Rule-pack loading and validation: one case per error message, and the shipped packs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from checklist.errors import ChecklistError
from checklist.model import AnswerType
from checklist.rulepack import builtin_pack_ids, load_pack, resolve_pack
from tests.packs import write_pack

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "validation.yaml").read_text("utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_validation_message(case: dict[str, Any], tmp_path: Path) -> None:
    folder = write_pack(
        tmp_path / "pack",
        case["rules"],
        case.get("checks"),
        case.get("pack"),
        complete=not case.get("raw", False),
    )
    for name, text in case.get("files", {}).items():
        (folder / name).write_text(text, encoding="utf-8")
    with pytest.raises(ChecklistError) as caught:
        load_pack(folder)
    english = caught.value.render("en")
    for expected in case["expect"]:
        assert expected in english, english
    chinese = caught.value.render("zh")
    assert "规则包" in chinese and len(chinese.splitlines()) == len(english.splitlines())


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    folder = write_pack(
        tmp_path / "pack",
        [
            {"id": "D1", "points": 0, "answer": {"type": "count"}},
            {"id": "R1"},
            {"id": "R1"},
            {
                "id": "R2",
                "answer": {"type": "ratio", "numerator": "GONE", "denominator": "D1"},
                "bands": {">=90": 1.0},
            },
            {"id": "R3", "indicator": {"zh": "中文"}},
        ],
    )
    with pytest.raises(ChecklistError) as caught:
        load_pack(folder)
    text = caught.value.render("en")
    assert "3 problem(s)" in text
    assert "rule R1: key id" in text
    assert "rule R2: key answer.numerator = 'GONE'" in text
    assert "rule R3: key indicator.en" in text


def test_unknown_pack_id_is_a_user_error() -> None:
    with pytest.raises(ChecklistError) as caught:
        resolve_pack("no-such-pack")
    assert "grassroots" in caught.value.render("en")


def test_pack_yaml_path_is_accepted(tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "pack", [{"id": "R1"}])
    assert load_pack(folder / "pack.yaml").id == "mini"


# --- the shipped pack -----------------------------------------------------------------


ESSAY_AREAS = ("leadership", "coverage", "staffing", "innovation")


@pytest.fixture(scope="module")
def grassroots() -> Any:
    return load_pack("grassroots")


def test_builtin_packs_are_found() -> None:
    assert "grassroots" in builtin_pack_ids()


def test_shipped_pack_size_and_areas(grassroots: Any) -> None:
    assert len(grassroots.rules) >= 44
    for area in ESSAY_AREAS:
        assert sum(1 for r in grassroots.rules if r.area == area) >= 8, area


def test_shipped_rules_have_both_languages(grassroots: Any) -> None:
    for rule in grassroots.rules:
        for text in (rule.indicator, rule.finding, rule.recommendation):
            assert text.zh.strip() and text.en.strip(), rule.id
        assert rule.source.strip(), rule.id
    for area in grassroots.areas:
        assert area.title.zh and area.title.en


def test_shipped_pack_feature_counts(grassroots: Any) -> None:
    rules = grassroots.rules
    assert sum(r.veto for r in rules) >= 2
    assert sum(r.bonus for r in rules) >= 3
    assert sum(r.evidence_required for r in rules) >= 6
    ratios = [r for r in rules if r.answer.type is AnswerType.ratio]
    assert len(ratios) >= 3
    for ratio in ratios:
        assert grassroots.rule(ratio.answer.numerator).answer.type is AnswerType.count
        assert grassroots.rule(ratio.answer.denominator).answer.type is AnswerType.count
    assert len(grassroots.checks) >= 6
    assert {r.org.value for r in rules} >= {"union", "league", "women"}
    used_types = {t for r in rules for t in r.applies_to}
    assert used_types >= {"village", "community", "enterprise", "institution", "school"}


def test_shipped_indicators_are_distinct(grassroots: Any) -> None:
    texts = [r.indicator.zh for r in grassroots.rules]
    assert len(texts) == len(set(texts))
