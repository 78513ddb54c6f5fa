"""checklist.gaps: the ordered gap list, priority actions, counts, area rows and audit rows."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from checklist.compare import compare
from checklist.gaps import (
    TRACK_TEXT,
    AuditCategory,
    FindingKind,
    Level,
    Track,
    analyse,
    area_rows,
    audit_rows,
    decision_text,
    find_gaps,
    gap_tracks,
    grade_text,
    priority_actions,
    severity_counts,
    thresholds,
)
from checklist.model import (
    Answer,
    AnswerState,
    Assessment,
    Decision,
    DecisionKind,
    RatioCounts,
    Result,
    RulePack,
    RuleResult,
    Severity,
    Status,
    UnitInfo,
)
from checklist.rulepack import load_pack, parse_comparison, parse_condition
from checklist.scoring import score
from tests.packs import write_pack
from tests.report_data import village_pack, village_result
from tests.years import make_packs
from tests.years import result_for as compare_result_for


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
    expected = {
        r.rule_id
        for r in result.rules
        if r.status not in (Status.passed, Status.na) and not r.bonus
    }
    assert {g.rule.id for g in gaps} == expected
    assert result.rule("BON-01").status is not Status.passed  # a missed bonus is no gap
    order = [(list(Severity).index(g.severity), -g.lost) for g in gaps]
    assert order == sorted(order)
    # The village's critical gaps: COV-03 loses 6, LEAD-02 (veto) 4; LEAD-01 (critical, but
    # only its evidence is missing) is asked for the evidence one severity lower.
    assert [g.rule.id for g in gaps[:3]] == ["COV-03", "LEAD-02", "COV-06"]
    lead01 = next(g for g in gaps if g.rule.id == "LEAD-01")
    assert (lead01.kind, lead01.severity) == (FindingKind.evidence, Severity.major)
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
    # LEAD-01 (evidence only) and INNO-01 (blank) lose more than LEAD-04 and STAF-05 but
    # are no failures of the unit's work, so real failures rank first.
    assert [a.gap.rule.id for a in actions] == ["LEAD-02", "COV-03", "COV-06", "LEAD-04", "STAF-05"]


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
    assert decided("COV-03")[0] == "按 COV-02/COV-01 = 50/60 计算；低于最低档，不得分"
    assert decided("COV-05")[0] == "单位填报不适用"
    assert decided("COV-01")[0] == "基础数据，不计分"
    assert decided("STAF-05") == ("选“已培训未持证”，得50%", "Chose Trained: 50%")
    assert decided("INNO-01")[0] == "未填报，不得分"
    assert decided("INNO-04")[0] == "已填写"


def test_every_decision_kind_reads_in_both_languages_without_its_rule() -> None:
    numbers = {
        DecisionKind.band_met: Decision(DecisionKind.band_met, 1, condition=parse_condition(">=2")),
        DecisionKind.deduction: Decision(
            DecisionKind.deduction, 0.5, condition=parse_condition(">=4"), steps=2, deducted=2
        ),
        DecisionKind.choice: Decision(DecisionKind.choice, 0.5, choice="quarterly"),
        DecisionKind.na_by_year: Decision(DecisionKind.na_by_year, since=2018),
        DecisionKind.na_by_condition: Decision(
            DecisionKind.na_by_condition, applies_if=parse_comparison("COV-01 >= 200")
        ),
    }
    worded = {}
    for kind in DecisionKind:
        decision = numbers.get(kind, Decision(kind, 1.0))
        result = RuleResult("R1", "lead", Status.passed, 1, 1, Answer(AnswerState.given), decision)
        text = decision_text(result, None)
        assert text.zh and text.en and kind.value not in (text.zh, text.en), kind
        worded[kind] = text
    assert worded[DecisionKind.band_met].zh == "符合“≥2”档"
    assert worded[DecisionKind.deduction].en == "Short of at least 4: −2 pts"
    assert worded[DecisionKind.choice].zh == "选“quarterly”，得50%"
    assert worded[DecisionKind.na_by_year].en == "Applies from 2018"
    assert worded[DecisionKind.na_by_condition].zh == "适用条件“COV-01 ≥ 200”不成立，不适用"
    assert len({t.zh for t in worded.values()}) == len(DecisionKind)
    # Text with nothing usable in it (暂无) scores 0 and must not read "filled in".
    blank = RuleResult(
        "R1", "lead", Status.fail, 0, 1, Answer(AnswerState.given), Decision(DecisionKind.text, 0)
    )
    assert decision_text(blank, None).zh == "未填写有效内容，不得分"


def test_decision_text_puts_the_counts_first_and_the_evidence_cut_last() -> None:
    decision = Decision(
        DecisionKind.band_met,
        1,
        condition=parse_condition(">=50"),
        ratio=RatioCounts("COV-02", "COV-01", 1234, -5),
        evidence_credit=1 / 3,
    )
    result = RuleResult("R1", "lead", Status.unsupported, 1, 3, Answer(AnswerState.given), decision)
    text = decision_text(result, None)
    assert text.zh == "按 COV-02/COV-01 = 1234/-5 计算；符合“≥50”档；缺佐证，按33.33%计"
    assert (
        text.en == "From COV-02/COV-01 = 1234/-5: Band at least 50; no evidence, scored at 33.33%"
    )


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


# --- against the previous year ---------------------------------------------------------------

# One rule per way a gap can stand against last year (then → now).
_TRACK_RULES: list[dict[str, Any]] = [
    {"id": "NEW", "points": 4, "severity": "major"},  # pass → fail
    {"id": "KEPT", "points": 4, "severity": "critical"},  # fail → fail
    {
        "id": "WORSE",  # partial → fail
        "points": 6,
        "severity": "major",
        "answer": {"type": "count", "unit": "次"},
        "bands": {">=2": 1.0, ">=1": 0.5},
    },
    {"id": "BETTER", "points": 2, "severity": "minor", "area": "cover"},  # fail → pass
    {
        "id": "HALF",  # fail → partial: still a gap, but no worse
        "points": 2,
        "severity": "minor",
        "area": "cover",
        "answer": {"type": "count", "unit": "次"},
        "bands": {">=2": 1.0, ">=1": 0.5},
    },
]
_THEN = {"NEW": True, "KEPT": False, "WORSE": 1, "BETTER": False, "HALF": 0}
_NOW = {"NEW": False, "KEPT": False, "WORSE": 0, "BETTER": True, "HALF": 1}


def _two_years(tmp_path: Path) -> tuple[RulePack, Result, Result]:
    pack = load_pack(write_pack(tmp_path / "pack", _TRACK_RULES))

    def year(value: int, answers: dict[str, Any]) -> Result:
        given = {rule_id: Answer.of(v) for rule_id, v in answers.items()}
        return score(Assessment(UnitInfo("测试村", "village", value), given), pack)

    return pack, year(2023, _THEN), year(2024, _NOW)


def test_gaps_are_marked_new_persistent_or_regressed(tmp_path: Path) -> None:
    pack, then, now = _two_years(tmp_path)
    comparison = compare(then, now)
    # A new gap that is worse than last year (pass → fail) is marked regressed, so
    # the marks count exactly the rules compare and trend call regressed.
    assert gap_tracks(comparison) == {
        "NEW": Track.regressed,
        "KEPT": Track.persistent,
        "WORSE": Track.regressed,
        "HALF": Track.persistent,
    }
    analysis = analyse(now, pack, comparison=comparison)
    plain = analyse(now, pack)
    # Marking never re-sorts: the gap order is still severity, then points lost.
    assert [g.rule.id for g in analysis.gaps] == [g.rule.id for g in plain.gaps]
    assert [g.rule.id for g in analysis.gaps] == ["KEPT", "WORSE", "NEW", "HALF"]
    assert [g.track for g in analysis.gaps] == [
        Track.persistent,
        Track.regressed,
        Track.regressed,
        Track.persistent,
    ]
    assert all(g.track is None for g in plain.gaps) and plain.previous is None
    assert [a.gap.rule.id for a in analysis.actions] == [a.gap.rule.id for a in plain.actions]
    assert {t: TRACK_TEXT[t].zh for t in Track} == {
        Track.new: "新增",
        Track.persistent: "持续",
        Track.regressed: "退步",
    }


def test_previous_year_headline_and_area_changes(tmp_path: Path) -> None:
    pack, then, now = _two_years(tmp_path)
    analysis = analyse(now, pack, comparison=compare(then, now))
    previous = analysis.previous
    assert previous is not None
    # Then: NEW 4 + WORSE 3 of 18 = 38.89; now: BETTER 2 + HALF 1 = 16.67.
    assert (previous.total_then, previous.total_now, previous.delta) == (38.89, 16.67, -22.22)
    assert (previous.grade_then.zh, previous.grade_now.zh, previous.grade_move) == (
        "不合格",
        "不合格",
        0,
    )
    assert previous.year == 2023 and previous.same_pack and str(previous.pack) == "mini 1.0"
    assert previous.closed == ("BETTER",)
    assert previous.new_gaps == ("NEW",)
    assert previous.persistent == ("KEPT", "WORSE", "HALF")
    # The regressed are some of the new and persistent gaps.
    assert previous.regressed == ("NEW", "WORSE")
    rows = {row.area.id: row for row in analysis.areas}
    # lead: 7 of 14 → 0 of 14; cover: 0 of 4 → 3 of 4.
    assert (rows["lead"].score_then, rows["lead"].delta) == (50.0, -50.0)
    assert (rows["cover"].score_then, rows["cover"].delta) == (0.0, 75.0)


def test_grade_move_follows_the_grade_bands(tmp_path: Path) -> None:
    pack, then, now = _two_years(tmp_path)
    up = analyse(then, pack, comparison=compare(now, then)).previous
    assert up is not None and up.delta == 22.22 and up.grade_move == 0
    rules = [{"id": "A", "points": 10}, {"id": "B", "points": 10}]
    loaded = load_pack(write_pack(tmp_path / "two", rules))

    def year(value: int, a: bool, b: bool) -> Result:
        answers = {"A": Answer.of(a), "B": Answer.of(b)}
        return score(Assessment(UnitInfo("测试村", "village", value), answers), loaded)

    low, high = year(2023, True, False), year(2024, True, True)
    rose = analyse(high, loaded, comparison=compare(low, high)).previous
    fell = analyse(low, loaded, comparison=compare(high, low)).previous
    assert rose is not None and fell is not None
    assert (rose.grade_then.zh, rose.grade_now.zh, rose.grade_move) == ("不合格", "优秀", 1)
    assert (fell.grade_move, fell.delta) == (-1, -50.0)


def test_tracks_across_pack_versions(tmp_path: Path) -> None:
    v1, v2 = make_packs(tmp_path)
    then, now = compare_result_for(2023, v1), compare_result_for(2024, v2)
    analysis = analyse(now, v2, comparison=compare(then, now))
    tracks = {g.rule.id: g.track for g in analysis.gaps}
    # NEW1 is a rule 2.0 added, L4 now applies to villages: both new gaps.
    # L1 was met in 2023 and failed in 2024: new, and marked so as regressed.
    assert tracks == {
        "L1": Track.regressed,
        "L3": Track.persistent,
        "L4": Track.new,
        "NEW1": Track.new,
        "C1": Track.persistent,
    }
    previous = analysis.previous
    assert previous is not None and not previous.same_pack
    assert (str(previous.pack), previous.year) == ("mini 1.0", 2023)


def test_a_grade_the_pack_no_longer_has_is_shown_by_id(tmp_path: Path) -> None:
    pack, then, now = _two_years(tmp_path)
    old = replace(then, score=replace(then.score, grade="bronze"))
    previous = analyse(now, pack, comparison=compare(old, now)).previous
    assert previous is not None
    assert (previous.grade_then.zh, previous.grade_then.en, previous.grade_move) == (
        "bronze",
        "bronze",
        0,
    )


# --- fair findings: the finding asks for what is missing ----------------------------------------------------------


def _one_gap(tmp_path: Path, rule: dict[str, Any], value: Any, evidence: str = "") -> Any:
    loaded = load_pack(write_pack(tmp_path / "pack", [rule, {"id": "OK", "points": 1}]))
    answers = {"OK": Answer.of(True)}
    if value is not None:
        answers[rule["id"]] = replace(Answer.of(value), evidence=evidence)
    result = score(Assessment(UnitInfo("测试村", "village", 2024), answers), loaded)
    return next(g for g in find_gaps(result, loaded) if g.rule.id == rule["id"])


def test_a_met_answer_without_evidence_asks_for_the_evidence_one_severity_lower(
    tmp_path: Path,
) -> None:
    rule = {
        "id": "R",
        "points": 4,
        "severity": "critical",
        "evidence": "required",
        "guidance": {
            "zh": "填“是”或“否”；佐证材料填会议纪要。",
            "en": "Name the minutes as evidence.",
        },
    }
    gap = _one_gap(tmp_path, rule, True)
    assert gap.kind is FindingKind.evidence
    assert gap.severity is Severity.major
    assert gap.finding.zh == "请补充佐证材料：会议纪要。"
    assert gap.finding.en == "Please add the supporting evidence: the minutes."
    assert "问题R" not in gap.finding.zh


def test_a_blank_answer_asks_for_the_answer(tmp_path: Path) -> None:
    gap = _one_gap(tmp_path, {"id": "R", "points": 4, "severity": "major"}, None)
    assert gap.kind is FindingKind.blank
    assert gap.finding.zh == "未填报，请补填。"
    assert gap.severity is Severity.major


def test_the_failure_finding_only_where_the_answer_falls_short(tmp_path: Path) -> None:
    counted = {
        "id": "R",
        "points": 4,
        "evidence": "required",
        "answer": {"type": "count"},
        "bands": {">=2": 1.0, ">=1": 0.5},
    }
    # One meeting of two, no evidence: the answer itself falls short.
    short = _one_gap(tmp_path / "a", counted, 1)
    assert (short.kind, short.finding.zh) == (FindingKind.failed, "问题R")
    failed = _one_gap(tmp_path / "b", {"id": "R", "points": 4}, False)
    assert (failed.kind, failed.finding.zh) == (FindingKind.failed, "问题R")


def test_priority_actions_never_rank_blank_or_evidence_rows_above_failures(tmp_path: Path) -> None:
    rules = [
        {"id": "BIG", "points": 20, "severity": "critical", "veto": True},
        {"id": "EVI", "points": 20, "severity": "critical", "evidence": "required"},
        {"id": "SMALL", "points": 1, "severity": "minor"},
    ]
    pack, result = _scored(tmp_path, rules, {"EVI": True, "SMALL": False})
    actions = priority_actions(find_gaps(result, pack))
    # A claim without evidence (EVI) and a blank veto (BIG) each lose more, yet the one real
    # failure (SMALL) comes first; a claim to document goes before a blank.
    assert [a.gap.rule.id for a in actions] == ["SMALL", "EVI", "BIG"]
    assert actions[1].recommendation.zh.startswith("请补充佐证材料：")
    assert actions[2].recommendation.zh == "未填报，请补填。"
