"""Rule-pack loading and validation: one case per error message, and the shipped packs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import load_workbook

from checklist import layout
from checklist.errors import ChecklistError
from checklist.model import AnswerType
from checklist.rulepack import builtin_pack_ids, load_pack, resolve_pack
from checklist.template import find_unit_type, write_template
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


# --- the built-in pack 2026.2 -----------------------------------------------------------------

RETIRED_RULE_IDS = ("LEAD-10", "LIFE-01")
"""Ids retired from the built-in pack: never to be reused for another meaning."""

TOWN_LEVEL = (
    "LEAD-05",
    "LEAD-06",
    "LEAD-09",
    "INNO-05",
    "INNO-06",
    "INNO-07",
    "INNO-11",
    "INNO-12",
)
"""Joint meetings, contact points, research visits, reports, cadre contact targets,
grassroots days, articles and purchased services: decided at town level."""


def test_retired_ids_are_not_reused(grassroots: Any) -> None:
    ids = {r.id for r in grassroots.rules} | {c.id for c in grassroots.checks}
    assert not ids & set(RETIRED_RULE_IDS)
    pack_yaml = (Path(grassroots.path) / "pack.yaml").read_text(encoding="utf-8")
    for rule_id in RETIRED_RULE_IDS:
        assert rule_id in pack_yaml  # the retirement is written down where maintainers look


def test_the_essays_core_has_its_own_areas(grassroots: Any) -> None:
    def count(area: str) -> int:
        return sum(1 for r in grassroots.rules if r.area == area)

    assert count("rights") >= 8
    assert count("service") >= 6
    # Outcomes, not only structures: people helped, disputes mediated, workers covered.
    assert {"RGHT-03", "RGHT-09", "RGHT-13", "SERV-07"} <= {r.id for r in grassroots.rules}


def test_every_rule_is_sourced_and_cites_the_essay_numbering_correctly(grassroots: Any) -> None:
    for rule in grassroots.rules:
        source = rule.source
        assert re.search(r"essay|S\d+|domain-research|pack-review|法", source), rule.id
        for number in re.findall(r"essay problem (\d)", source):
            assert number in "123", (rule.id, source)  # the essay names three problems
    texts = [a.description.zh for a in grassroots.areas if a.description]
    assert not any("问题四" in t for t in texts)
    assert grassroots.description is not None
    assert "为本规则包自行确定" not in grassroots.description.zh  # no maintainers' note for units
    assert "90分以上优秀，80–89分良好，60–79分合格，60分以下不合格" in grassroots.description.zh


def test_town_is_a_unit_type_named_as_units_write_it(grassroots: Any) -> None:
    for word in ("镇", "街道", "街道办事处", "乡", "镇（街道）"):
        assert find_unit_type(grassroots, word).id == "town", word
    assert find_unit_type(grassroots, "党政机关").id == "agency"
    assert find_unit_type(grassroots, "社会组织").id == "social_org"


def test_town_level_indicators_belong_to_the_town_only(grassroots: Any) -> None:
    for rule_id in TOWN_LEVEL:
        assert grassroots.rule(rule_id).applies_to == ("town",), rule_id


def test_a_village_template_has_no_town_indicators_and_a_town_template_has_them(
    grassroots: Any, tmp_path: Path
) -> None:
    def rows(unit_type: str) -> set[str]:
        path = write_template(grassroots, tmp_path / f"{unit_type}.xlsx", unit_type=unit_type)
        sheet = load_workbook(path)[layout.ASSESSMENT_SHEET.zh]
        return {str(row[0]) for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}

    village, town = rows("village"), rows("镇")
    assert not village & set(TOWN_LEVEL)
    assert set(TOWN_LEVEL) <= town
    assert {"STAF-14", "STAF-15", "COV-15", "RGHT-04", "RGHT-06"} <= town - village
    assert {"COV-16", "RGHT-07", "RGHT-14", "SERV-08", "COV-10"} <= village - town
    assert {"LIFE-10", "LIFE-11", "SERV-02"} <= village & town  # women's federation at both levels
    assert "LIFE-03" not in rows("agency") and "LIFE-03" in rows("school")
    assert "FUND-04" not in village and "FUND-04" in town
