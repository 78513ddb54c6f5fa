"""compare(): two known years of one unit, unit identity, JSON.

The years and packs come from :mod:`tests.years`.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from rich.console import Console

from checklist.compare import (
    Change,
    Comparison,
    change_between,
    compare,
    comparison_to_dict,
    status_rank,
)
from checklist.display import signed
from checklist.errors import ChecklistError
from checklist.gaps import decision_text
from checklist.identity import same_unit, unit_key
from checklist.intake import read_assessment
from checklist.model import (
    Answer,
    AnswerState,
    Decision,
    DecisionKind,
    Result,
    RulePack,
    RuleResult,
    Status,
    UnitInfo,
)
from checklist.pipeline import assess_file, load_result
from checklist.report.terminal_compare import print_comparison
from checklist.rulepack import load_pack
from checklist.serialize import result_to_dict
from checklist.text import Lang, Text
from scripts.make_examples import EXAMPLES, EXAMPLES_DIR, FORMS_2026_1, PACK_2026_1
from tests.conftest import Cli
from tests.years import make_packs, result_for

# --- the comparison ------------------------------------------------------------------------


@pytest.fixture
def packs(tmp_path: Path) -> tuple[RulePack, RulePack]:
    return make_packs(tmp_path)


def test_two_known_years_give_the_exact_gap_lists_and_deltas(
    packs: tuple[RulePack, RulePack],
) -> None:
    v1, v2 = packs
    old, new = result_for(2023, v1), result_for(2024, v2)
    comparison = compare(old, new)

    assert comparison.closed == ("L2", "C3")
    assert comparison.new_gaps == ("L1", "L4", "NEW1")
    assert comparison.persistent == ("L3", "C1")
    assert comparison.regressed == ("L1",)
    assert comparison.added_rules == ("NEW1", "NEW2")
    assert comparison.retired_rules == ("OLD1",)

    # 2023 under 1.0: 6 of 14 points; 2024 under 2.0: 9 of 18 points.
    overall = comparison.overall
    assert (overall.total_then, overall.total_now, overall.total_delta) == (42.86, 50.0, 7.14)
    assert (overall.base_then, overall.base_now, overall.base_delta) == (42.86, 50.0, 7.14)
    assert (overall.grade_then, overall.grade_now) == ("fail", "fail")
    areas = {a.area: (a.score_then, a.score_now, a.delta) for a in comparison.areas}
    assert areas == {"lead": (50.0, 30.0, -20.0), "cover": (37.5, 75.0, 37.5)}

    kinds = {r.rule_id: r.change for r in comparison.rules}
    assert kinds == {
        "L1": Change.regressed,
        "L2": Change.improved,
        "L3": Change.unchanged,
        "L4": Change.now_applies,
        "NEW1": Change.new_rule,
        "C1": Change.unchanged,
        "C2": Change.unchanged,
        "C3": Change.improved,
        "NEW2": Change.new_rule,
        "OLD1": Change.retired_rule,
    }
    c3 = comparison.rule("C3")
    assert (c3.status_then, c3.status_now) == (Status.unsupported, Status.passed)
    assert (c3.earned_then, c3.earned_now, c3.delta) == (1.0, 2.0, 1.0)
    retired = comparison.rule("OLD1")
    assert (retired.status_then, retired.status_now, retired.delta) == (Status.fail, None, None)
    assert retired.answer_then == "否"
    assert comparison.rule("C1").status_now is Status.missing
    assert str(comparison.pack_then) == "mini 1.0" and str(comparison.pack_now) == "mini 2.0"
    assert not comparison.same_pack


def test_rules_added_and_removed_between_pack_versions_are_listed_not_dropped(
    packs: tuple[RulePack, RulePack],
) -> None:
    v1, v2 = packs
    comparison = compare(result_for(2023, v1), result_for(2024, v2))
    ids = [r.rule_id for r in comparison.rules]
    assert set(ids) == {r.id for r in v1.rules} | {r.id for r in v2.rules}
    assert ids[-1] == "OLD1"
    new1 = comparison.rule("NEW1")
    assert (new1.status_then, new1.status_now, new1.earned_then) == (None, Status.fail, None)
    # Backwards: what 2.0 added is now retired, and the other way round.
    back = compare(result_for(2024, v2), result_for(2023, v1))
    assert back.added_rules == ("OLD1",)
    assert back.retired_rules == ("NEW1", "NEW2")


def test_same_pack_comparison_is_like_for_like(packs: tuple[RulePack, RulePack]) -> None:
    _, v2 = packs
    comparison = compare(result_for(2023, v2), result_for(2024, v2))
    assert comparison.same_pack
    assert comparison.added_rules == () and comparison.retired_rules == ()
    # NEW1 is a gap in both years under 2.0 (no answer in 2023): persistent, not new.
    assert "NEW1" in comparison.persistent and "NEW1" not in comparison.new_gaps


def test_comparing_a_result_with_itself_changes_nothing(packs: tuple[RulePack, RulePack]) -> None:
    _, v2 = packs
    result = result_for(2024, v2)
    comparison = compare(result, result)
    assert {r.change for r in comparison.rules} == {Change.unchanged}
    assert comparison.closed == comparison.new_gaps == comparison.regressed == ()
    assert comparison.persistent == ("L1", "L3", "L4", "NEW1", "C1")
    assert comparison.overall.total_delta == 0


def _rr(status: Status, earned: float, possible: float = 2.0) -> RuleResult:
    answer = Answer(AnswerState.given)
    # How the points were decided does not matter to the change between years.
    return RuleResult("X", "lead", status, earned, possible, answer, Decision(DecisionKind.data))


@pytest.mark.parametrize(
    ("then", "now", "expected"),
    [
        (_rr(Status.fail, 0), _rr(Status.passed, 2), Change.improved),
        (_rr(Status.missing, 0), _rr(Status.partial, 1), Change.improved),
        (_rr(Status.partial, 1), _rr(Status.unsupported, 1), Change.unchanged),
        (_rr(Status.partial, 0.5), _rr(Status.partial, 1.5), Change.improved),
        (_rr(Status.passed, 2), _rr(Status.unsupported, 1), Change.regressed),
        (_rr(Status.fail, 0), _rr(Status.missing, 0), Change.unchanged),
        (_rr(Status.na, 0, 0), _rr(Status.fail, 0), Change.now_applies),
        (_rr(Status.passed, 2), _rr(Status.na, 0, 0), Change.no_longer_applies),
        (_rr(Status.na, 0, 0), _rr(Status.na, 0, 0), Change.unchanged),
        (None, _rr(Status.passed, 2), Change.new_rule),
        (_rr(Status.passed, 2), None, Change.retired_rule),
        # A waiver is an agreed exception: not closed when granted, no regression when it lapses.
        (_rr(Status.fail, 0), _rr(Status.waived, 0, 0), Change.waived),
        (_rr(Status.passed, 2), _rr(Status.waived, 0, 0), Change.waived),
        (_rr(Status.waived, 0, 0), _rr(Status.fail, 0), Change.unwaived),
        (_rr(Status.waived, 0, 0), _rr(Status.passed, 2), Change.unwaived),
        (_rr(Status.waived, 0, 0), _rr(Status.na, 0, 0), Change.no_longer_applies),
        (_rr(Status.waived, 0, 0), _rr(Status.waived, 0, 0), Change.unchanged),
    ],
)
def test_change_kinds(then: RuleResult | None, now: RuleResult | None, expected: Change) -> None:
    assert change_between(then, now) is expected


def test_status_ranking() -> None:
    assert status_rank(Status.passed) == 3
    assert status_rank(Status.partial) == status_rank(Status.unsupported) == 2
    assert status_rank(Status.fail) == status_rank(Status.missing) == 1
    assert status_rank(Status.na) is None


# --- unit identity -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "东林村",
        "城厢镇东林村村委会",
        "東林村",
        "江苏省太仓市城厢镇东林村",
        "东林村（盖章）",
        "东林村委会",
        "东林村村民委员会",
        "东林村党支部",
        " 东 林 村 ",
        "城厢镇 东林村",
    ],
)
def test_unit_key_sees_one_village_behind_many_spellings(name: str) -> None:
    assert unit_key(name) == "东林村"


def test_unit_key_keeps_names_that_only_look_like_divisions() -> None:
    assert unit_key("集市村") == "集市村"
    assert unit_key("东区村") == "东区村"
    assert unit_key("东门居委会") == unit_key("东门社区居委会") == "东门社区"


def _unit(name: str, type_: str | None = "village", town: str = "") -> UnitInfo:
    return UnitInfo(name, type_, 2024, town=town)


def test_same_unit() -> None:
    assert same_unit(_unit("东林村"), _unit("城厢镇东林村村委会"))
    assert same_unit(_unit("东林村", None), _unit("东林村村委会", "village"))
    assert not same_unit(_unit("东林村"), _unit("西林村"))
    assert not same_unit(_unit("东林村", "village"), _unit("东林村", "community"))
    assert not same_unit(_unit("东林村", town="城厢镇"), _unit("东林村", town="浏河镇"))
    assert not same_unit(_unit("城厢镇东林村"), _unit("浏河镇东林村"))
    assert same_unit(_unit("东林村", town="城厢镇"), _unit("城厢镇东林村"))
    # Enterprises: company forms and a city written without 市.
    company = _unit("太仓华东精密机械有限公司", "enterprise")
    assert same_unit(company, _unit("太仓市华东精密机械有限责任公司", "enterprise"))
    # A town's office named as the town; a county-level place is no town.
    assert same_unit(_unit("东林村", town="城厢镇人民政府"), _unit("东林村", town="城厢镇"))
    assert not same_unit(
        _unit("东林村", town="城厢镇人民政府"), _unit("东林村", town="浮桥镇人民政府")
    )
    assert same_unit(_unit("东林村", town="太仓市"), _unit("东林村", town="城厢镇"))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # One character apart is another unit (a typo needs --force, never a silent merge).
        ("苏州华东精密机械制造有限公司", "苏州华西精密机械制造有限公司"),
        ("江苏港城国际物流一分公司", "江苏港城国际物流二分公司"),
        ("城市花园社区", "江南水乡花园社区"),
        ("北区第一小学", "南区第一小学"),
        ("沙溪镇第一中学", "浏河第一中学"),
    ],
)
def test_different_units_are_never_merged(a: str, b: str) -> None:
    assert not same_unit(_unit(a, None), _unit(b, None))


def test_a_different_unit_is_refused_naming_both(packs: tuple[RulePack, RulePack]) -> None:
    _, v2 = packs
    old = result_for(2023, v2)
    other = result_for(2024, v2, name="西林村")
    with pytest.raises(ChecklistError) as caught:
        compare(old, other)
    assert caught.value.code == "different_unit"
    message = caught.value.message
    assert "东林村" in message.zh and "西林村" in message.zh and "--force" in message.zh
    assert "东林村" in message.en and "西林村" in message.en and "--force" in message.en

    forced = compare(old, other, force=True)
    assert forced.forced
    assert not compare(old, result_for(2024, v2)).forced


def test_comparison_json(packs: tuple[RulePack, RulePack]) -> None:
    v1, v2 = packs
    data = comparison_to_dict(compare(result_for(2023, v1), result_for(2024, v2)))
    assert data["gaps"] == {
        "closed": ["L2", "C3"],
        "new": ["L1", "L4", "NEW1"],
        "persistent": ["L3", "C1"],
        "regressed": ["L1"],
    }
    assert data["rules_added"] == ["NEW1", "NEW2"]
    assert data["rules_retired"] == ["OLD1"]
    assert data["overall"]["total"] == {"then": 42.86, "now": 50.0, "delta": 7.14}
    assert data["pack"] == {
        "then": {"id": "mini", "version": "1.0"},
        "now": {"id": "mini", "version": "2.0"},
        "same": False,
    }
    old1 = next(r for r in data["rules"] if r["id"] == "OLD1")
    assert old1["status"] == {"then": "fail", "now": None}
    assert data["unit_key"] == "东林村"


def test_titles_of_areas_and_grades_come_from_the_pack_else_the_id(
    packs: tuple[RulePack, RulePack],
) -> None:
    pack = packs[1]
    assert pack.title_of("lead") == Text("领导重视", "Leadership")
    assert pack.title_of("excellent") == Text("优秀", "Excellent")
    # An area or grade of another pack version is shown by its id, not refused.
    assert pack.title_of("innovation") == Text("innovation", "innovation")


def test_signed_changes() -> None:
    assert [signed(v) for v in (7.14, -2.0, 0.0, None)] == ["+7.14", "-2", "0", "-"]
    assert signed(None, "—") == "—"


def test_the_terminal_summary_uses_the_packs_titles_or_else_ids(
    packs: tuple[RulePack, RulePack],
) -> None:
    v1, v2 = packs
    comparison = compare(result_for(2023, v1), result_for(2024, v2))

    def printed(pack: RulePack | None) -> str:
        console = Console(record=True, width=200)
        print_comparison(comparison, pack, Lang.en, console)
        return console.export_text()

    titled = printed(v2)
    assert "Total 42.86 → 50 (+7.14), grade Fail → Fail" in titled
    assert "Leadership" in titled and "Coverage" in titled
    assert "L1 Indicator L1  [Pass → Fail, Regressed]" in titled
    # OLD1 is only in v1: no indicator to show, but the rule is still listed.
    assert "  OLD1  [Fail → -, Retired rule]" in titled
    bare = printed(None)
    assert "grade fail → fail" in bare
    assert "│ lead" in bare and "Leadership" not in bare
    assert "L1  [Pass → Fail, Regressed]" in bare


def test_a_hand_edited_result_is_refused_in_one_line(tmp_path: Path) -> None:
    import json

    from checklist.errors import ChecklistError
    from checklist.pipeline import load_result

    for field, value in (("name", None), ("year", "2022")):
        data = {"unit": {"name": "东林村", "year": 2022}, "pack": {"id": "p", "version": "1"}}
        data["unit"][field] = value
        data.update({"score": {"grade": "pass"}, "rules": [], "areas": []})
        path = tmp_path / f"{field}.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        with pytest.raises(ChecklistError) as caught:
            load_result(path)
        assert f"unit.{field}" in caught.value.render("en")


# --- results written before decisions were typed (JSON format 1) --------------------------

_DATA = Path(__file__).parent / "data"
_EXAMPLES = FORMS_2026_1  # the forms those results were scored from, filled against 2026.1
# Written by `score --json` of the version that kept a `band` string per rule.
_FORMAT_1 = {
    "东林村2023年群团工作自评表.xlsx": _DATA / "donglin-2023-format1.json",
    "城厢镇东林村-2024年度群团自评表.xlsx": _DATA / "donglin-2024-format1.json",
}


@pytest.fixture(scope="module")
def grassroots() -> RulePack:
    """The pack those results were scored under (2026.1, kept frozen for the examples)."""
    return load_pack(PACK_2026_1)


def test_a_format_1_result_reads_back_to_the_decisions_scoring_makes(grassroots: RulePack) -> None:
    for workbook, saved in _FORMAT_1.items():
        assert '"band"' in saved.read_text(encoding="utf-8")
        old = load_result(saved)
        fresh = assess_file(_EXAMPLES / workbook, grassroots)[1]
        for then, now in zip(old.rules, fresh.rules, strict=True):
            # The string kept neither the steps a deduction was short nor the exact share:
            # the share comes back from points saved to two decimals.
            expected = replace(
                now.decision, steps=0, credit=pytest.approx(now.decision.credit, abs=0.005)
            )
            assert then.decision == expected, then.rule_id
            rule = grassroots.rule(then.rule_id)
            assert decision_text(then, rule) == decision_text(now, rule), then.rule_id
        assert old.score == fresh.score


def test_compare_reads_format_1_results_as_it_reads_todays(
    cli: Cli, grassroots: RulePack, tmp_path: Path
) -> None:
    today = []
    for workbook in _FORMAT_1:
        result = assess_file(_EXAMPLES / workbook, grassroots)[1]
        path = tmp_path / f"{result.unit.year}.json"
        path.write_text(json.dumps(result_to_dict(result), ensure_ascii=False), encoding="utf-8")
        today.append(str(path))
    old_files = [str(path) for path in _FORMAT_1.values()]
    # As saved, re-scored under the pack they were written with, and under the live pack.
    for rules in ([], ["--rules", str(PACK_2026_1)], ["--rules", "grassroots"]):
        from_old = json.loads(cli(["compare", *old_files, "--json", *rules]).stdout)
        from_today = json.loads(cli(["compare", *today, "--json", *rules]).stdout)
        assert from_old == from_today
        assert from_old["gaps"]["closed"] and from_old["overall"]["total"]["delta"]


# --- waivers between the years --------------------------------------------------------------


def _school_2024(waived: bool, year: int) -> Result:
    """沙溪镇第一中学 2024 (staff congress postponed: LIFE-03 fails), as if sent for ``year``."""
    from checklist.waivers import load_waivers, score_waived

    pack = load_pack("grassroots")
    example = next(e for e in EXAMPLES if e.unit.key == "shaxi" and e.year == 2024)
    assessment = read_assessment(EXAMPLES_DIR / example.file, pack)
    assessment = replace(assessment, unit=replace(assessment.unit, year=year))
    waivers = load_waivers(EXAMPLES_DIR / "county" / "waivers.yaml").waivers if waived else ()
    # The county's waiver reaches back to 2024 only: pinned there, whatever the form's year.
    return score_waived(assessment, pack, year, waivers if year == 2024 else ())


def test_a_gap_waived_reads_waived_not_closed_and_a_lapsed_waiver_is_no_regression(
    tmp_path: Path,
) -> None:
    from openpyxl import load_workbook

    from checklist.report.compare_report import write_compare_report

    failed, waived = _school_2024(False, 2023), _school_2024(True, 2024)
    assert failed.rule("LIFE-03").status is Status.fail
    assert waived.rule("LIFE-03").status is Status.waived
    forward = compare(failed, waived)
    assert forward.rule("LIFE-03").change is Change.waived
    assert forward.waived == ("LIFE-03",)
    assert "LIFE-03" not in forward.closed + forward.regressed + forward.new_gaps
    assert compare_to_dict_lists(forward) == (["LIFE-03"], [])

    target = write_compare_report(forward, load_pack("grassroots"), tmp_path / "对比.xlsx")
    book = load_workbook(target)
    rows = {r[0].value: r for r in book["逐项对比"].iter_rows(min_row=2) if r[0].value}
    assert rows["LIFE-03"][6].value == "已豁免"
    gaps = [c.value for row in book["问题变化"].iter_rows() for c in row if c.value]
    assert "已豁免（1）" in gaps and "已整改（0）" in gaps

    # The other way round (waived in one year, not in the next): 不再豁免, not 退步.
    back = compare(replace(waived, unit=replace(waived.unit, year=2023)), _school_2024(False, 2024))
    assert back.rule("LIFE-03").change is Change.unwaived
    assert back.unwaived == ("LIFE-03",) and "LIFE-03" not in back.regressed
    assert "LIFE-03" in back.new_gaps  # a gap again, and said so


def compare_to_dict_lists(comparison: Comparison) -> tuple[list[str], list[str]]:
    data = comparison_to_dict(comparison)
    return data["rules_waived"], data["rules_unwaived"]
