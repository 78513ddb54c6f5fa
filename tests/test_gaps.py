"""checklist.gaps: the ordered gap list, priority actions, counts, area rows and audit rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from checklist.gaps import (
    AuditCategory,
    Level,
    analyse,
    area_rows,
    audit_rows,
    decision_text,
    find_gaps,
    grade_text,
    priority_actions,
    severity_counts,
    thresholds,
)
from checklist.model import (
    Answer,
    AnswerState,
    Assessment,
    Result,
    RulePack,
    Severity,
    Status,
    UnitInfo,
)
from checklist.rulepack import load_pack
from checklist.scoring import score
from tests.packs import write_pack
from tests.report_data import village_pack, village_result


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> tuple[RulePack, Result]:
    pack = village_pack(tmp_path_factory.mktemp("pack"))
    return pack, village_result(pack)


def _scored(
    tmp_path: Path,
    rules: list[dict[str, Any]],
    answers: dict[str, Any],
    pack: dict[str, Any] | None = None,
    claimed: dict[str, float] | None = None,
) -> tuple[RulePack, Result]:
    loaded = load_pack(write_pack(tmp_path / "pack", rules, pack=pack))
    given = {
        rule_id: Answer.of(value, claimed=(claimed or {}).get(rule_id))
        for rule_id, value in answers.items()
    }
    return loaded, score(Assessment(UnitInfo("测试村", "village", 2024), given), loaded)


def test_gaps_are_every_rule_not_passed_or_na_by_severity_then_points_lost(
    village: tuple[RulePack, Result],
) -> None:
    pack, result = village
    gaps = find_gaps(result, pack)
    expected = {r.rule_id for r in result.rules if r.status not in (Status.passed, Status.na)}
    assert {g.rule.id for g in gaps} == expected
    order = [(list(Severity).index(g.severity), -g.lost) for g in gaps]
    assert order == sorted(order)
    # The village's critical gaps: COV-03 loses 6, LEAD-02 (veto) 4, LEAD-01 3.
    assert [g.rule.id for g in gaps[:3]] == ["COV-03", "LEAD-02", "LEAD-01"]
    statuses = {g.result.status for g in gaps}
    assert {Status.fail, Status.partial, Status.missing, Status.unsupported} <= statuses


def test_ties_put_the_failed_veto_first_then_pack_order(tmp_path: Path) -> None:
    rules = [
        {"id": "A", "points": 4, "severity": "critical"},
        {"id": "B", "points": 4, "severity": "critical", "veto": True},
        {"id": "C", "points": 4, "severity": "critical"},
        {"id": "D", "points": 9, "severity": "minor"},
    ]
    pack, result = _scored(tmp_path, rules, {"A": False, "B": False, "C": False, "D": False})
    assert [g.rule.id for g in find_gaps(result, pack)] == ["B", "A", "C", "D"]


def test_priority_actions_rank_points_lost_times_severity_weight(tmp_path: Path) -> None:
    rules = [
        {"id": "MINOR6", "points": 6, "severity": "minor"},  # 6 x 1 = 6
        {"id": "MAJOR4", "points": 4, "severity": "major"},  # 4 x 2 = 8
        {"id": "CRIT2", "points": 2, "severity": "critical"},  # 2 x 3 = 6, more severe
        {"id": "CRIT3", "points": 3, "severity": "critical"},  # 3 x 3 = 9
        {"id": "VETO", "points": 1, "severity": "minor", "veto": True},  # first: caps the grade
        {"id": "BONUS", "points": 9, "severity": "critical", "bonus": True},  # never an action
        {"id": "DATA", "points": 0, "severity": "major", "answer": {"type": "count"}},
        {"id": "OK", "points": 5, "severity": "critical"},
    ]
    answers = {r["id"]: False for r in rules if r["id"] not in ("DATA", "OK")}
    answers["OK"] = True
    pack, result = _scored(tmp_path, rules, answers)
    gaps = find_gaps(result, pack)
    assert "DATA" in {g.rule.id for g in gaps}  # a blank data row is still a gap
    actions = priority_actions(gaps, 10)
    assert [a.gap.rule.id for a in actions] == ["VETO", "CRIT3", "MAJOR4", "CRIT2", "MINOR6"]
    assert [a.rank for a in actions] == [1, 2, 3, 4, 5]
    assert actions[1].gap.priority == 9
    assert actions[1].recommendation == pack.rule("CRIT3").recommendation
    assert len(priority_actions(gaps, 3)) == 3


def test_village_priority_actions(village: tuple[RulePack, Result]) -> None:
    pack, result = village
    actions = analyse(result, pack).actions
    assert [a.gap.rule.id for a in actions] == ["LEAD-02", "COV-03", "LEAD-01", "COV-06", "INNO-01"]


def test_severity_counts_include_zeros(tmp_path: Path) -> None:
    rules = [{"id": "A", "severity": "major"}, {"id": "B", "severity": "major"}]
    pack, result = _scored(tmp_path, rules, {"A": False, "B": None})
    assert severity_counts(find_gaps(result, pack)) == (
        (Severity.critical, 0),
        (Severity.major, 2),
        (Severity.minor, 0),
    )


def test_area_levels_follow_the_pack_grades(village: tuple[RulePack, Result]) -> None:
    pack, result = village
    limits = thresholds(pack)
    assert (limits.good, limits.fair) == (80, 60)
    assert [limits.level(s) for s in (95, 80, 79.9, 60, 59.9, None)] == [
        Level.good,
        Level.good,
        Level.fair,
        Level.fair,
        Level.weak,
        Level.none,
    ]
    gaps = find_gaps(result, pack)
    rows = area_rows(result, pack, gaps)
    assert [r.area.id for r in rows] == ["lead", "cover", "staff", "innov"]
    for row in rows:
        assert row.gaps == sum(1 for g in gaps if g.result.area == row.area.id)
        assert row.lost == pytest.approx(row.result.possible - row.result.earned)
        assert row.level is limits.level(row.result.score)


def test_audit_rows_cover_every_kind_in_listing_order(village: tuple[RulePack, Result]) -> None:
    _, result = village
    rows = audit_rows(result)
    categories = [r.category for r in rows]
    assert set(categories) == set(AuditCategory)
    order = list(AuditCategory)
    assert [order.index(c) for c in categories] == sorted(order.index(c) for c in categories)

    over = [r for r in rows if r.category is AuditCategory.over_claim]
    assert {(r.rule_ids[0], r.claimed, r.computed) for r in over} == {
        ("LEAD-01", 6.0, 3.0),
        ("COV-03", 6.0, 0.0),
    }
    consistency = next(r for r in rows if r.category is AuditCategory.consistency)
    assert consistency.rule_ids[0] == "CHK-01"
    assert consistency.location.zh == "自评表!E15\n自评表!E14"
    edited = next(r for r in rows if r.category is AuditCategory.indicator_edited)
    assert edited.rule_ids == ("LEAD-04",) and edited.location.zh == "自评表!C7"
    unmatched = [r for r in rows if r.category is AuditCategory.unmatched]
    assert unmatched[0].location.zh == "自评表 第25行"
    assert unmatched[0].location.en == "自评表 row 25"
    assert unmatched[0].unit_text.startswith("=HYPERLINK")
    assert "INNO-02" in unmatched[0].message.zh
    intake = [r.level for r in rows if r.category is AuditCategory.intake]
    assert [level.value for level in intake if level] == ["error", "info"]


def test_decision_text_spells_out_the_band(village: tuple[RulePack, Result]) -> None:
    pack, result = village

    def decided(rule_id: str) -> tuple[str, str]:
        text = decision_text(result.rule(rule_id), pack.rule(rule_id))
        return text.zh, text.en

    assert decided("LEAD-01") == (
        "符合“≥2次”档；缺佐证，按50%计",
        "Band at least 2 times; no evidence, scored at 50%",
    )
    assert decided("LEAD-02") == ("答“否”，不得分", "Answered No: 0 points")
    assert decided("LEAD-04") == ("未达“≥2次”，扣2分", "Short of at least 2 times: −2 pts")
    assert decided("COV-03")[0] == "低于最低档，不得分"
    assert decided("COV-05")[0] == "单位填报不适用"
    assert decided("COV-01")[0] == "基础数据，不计分"
    assert decided("STAF-05") == ("选“已培训未持证”，得50%", "Chose Trained: 50%")
    assert decided("INNO-01")[0] == "未填报，不得分"
    assert decided("INNO-04")[0] == "已填写"


def test_grade_text_names_the_veto_and_the_grade_it_capped(tmp_path: Path) -> None:
    rules = [
        {"id": "V", "points": 10, "severity": "critical", "veto": True},
        {"id": "R", "points": 90},
    ]
    pack, result = _scored(tmp_path, rules, {"V": False, "R": True})
    analysis = analyse(result, pack)
    assert analysis.capped and [r.id for r in analysis.vetoes] == ["V"]
    assert grade_text(analysis).zh == "合格（否决项 V 未达标，等次由“优秀”降为“合格”）"
    assert grade_text(analysis).en == "Pass (veto V failed: capped from Excellent)"


def test_grade_text_without_veto_is_the_grade(tmp_path: Path) -> None:
    pack, result = _scored(tmp_path, [{"id": "R", "points": 10}], {"R": True})
    analysis = analyse(result, pack)
    assert not analysis.capped and not analysis.gaps and not analysis.actions
    assert grade_text(analysis).zh == "优秀"


def test_unsupported_answer_is_a_gap_even_with_most_points(tmp_path: Path) -> None:
    rules = [{"id": "E", "points": 4, "evidence": "required"}]
    loaded = load_pack(write_pack(tmp_path / "pack", rules))
    answers = {"E": Answer(AnswerState.given, True, "是")}
    result = score(Assessment(UnitInfo("村", "village", 2024), answers), loaded)
    (gap,) = find_gaps(result, loaded)
    assert gap.result.status is Status.unsupported and gap.lost == 2
