"""Tying retyped row texts to rules: right when the meaning is clear, unmatched otherwise."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from checklist.intake.matching import ACCEPT_SCORE, RowText, match_rows
from checklist.model import RulePack
from checklist.rulepack import load_pack

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "cases" / "matching.yaml").read_text("utf-8")
)


@pytest.fixture(scope="module")
def pack() -> RulePack:
    return load_pack("grassroots")


@pytest.mark.parametrize("case", CASES, ids=[c["text"] for c in CASES])
def test_row_alone(case: dict[str, Any], pack: RulePack) -> None:
    (match,) = match_rows([RowText(0, "", case["text"])], pack)
    assert match.rule_id == case["rule"], (match.best_rule, match.best_score, match.confidence)
    if match.rule_id is not None:
        assert match.method in ("fuzzy", "text") and match.confidence >= ACCEPT_SCORE
    else:
        # Below the threshold, or refused because another rule fits as well.
        assert match.best_score < ACCEPT_SCORE or match.rival_rule


def test_rows_together_one_to_one(pack: RulePack) -> None:
    together = [c for c in CASES if not c.get("alone")]
    rows = [RowText(i, "", c["text"]) for i, c in enumerate(together)]
    matches = match_rows(rows, pack)
    assert [m.rule_id for m in matches] == [c["rule"] for c in together]
    taken = [m.rule_id for m in matches if m.rule_id]
    assert len(taken) == len(set(taken))


def test_two_rows_for_one_rule_tie_one_and_leave_the_other(pack: RulePack) -> None:
    rows = [
        RowText(0, "", "工会委员会每季度至少召开1次会议"),
        RowText(1, "", "工会委员会例会次数"),
    ]
    first, second = match_rows(rows, pack)
    # One of them is LIFE-07; the other is not pushed onto some other rule.
    assert {first.rule_id, second.rule_id} == {"LIFE-07", None}


def test_a_row_two_rules_fit_equally_names_both(pack: RulePack) -> None:
    (match,) = match_rows([RowText(0, "", "智慧团建")], pack)
    assert match.rule_id is None
    assert {match.best_rule, match.rival_rule} == {"INNO-03", "INNO-04"}


def test_a_tie_resolves_once_another_row_takes_one_of_the_rules(pack: RulePack) -> None:
    rows = [RowText(0, "", "智慧团建"), RowText(1, "", "在“智慧团建”系统报到的团员人数")]
    first, second = match_rows(rows, pack)
    assert (first.rule_id, second.rule_id) == ("INNO-04", "INNO-03")


def test_the_criterion_tells_a_short_indicator_apart(pack: RulePack) -> None:
    alone, with_criterion = match_rows(
        [
            RowText(0, "", "经费保障"),
            RowText(1, "", "经费保障", context="团的工作经费纳入预算，按标准足额到位"),
        ],
        pack,
    )
    assert alone.rule_id is None
    assert with_criterion.rule_id == "FUND-04"


def test_a_row_is_not_given_another_organisations_rule(pack: RulePack) -> None:
    # FUND-04 (the League's) is taken by id; the League's budget row must not
    # fall to FUND-05, the women's federation's budget rule.
    rows = [RowText(0, "FUND-04", "团组织工作经费到位率"), RowText(1, "", "团的工作经费列入预算")]
    _, league = match_rows(rows, pack)
    assert league.rule_id is None
    # The sheet's title names the organisation when the row does not.
    (row,) = match_rows([RowText(0, "", "经费列入年度预算", org_hint="共青团工作自评表")], pack)
    assert row.rule_id != "FUND-05"


def test_ids_beat_text_and_are_not_reused(pack: RulePack) -> None:
    rows = [
        RowText(0, "lead-02", "随便写的文字"),
        RowText(1, "ＬＥＡＤ－０２", pack.rule("LEAD-02").indicator.zh),
        RowText(2, "7", pack.rule("LEAD-01").indicator.zh),
    ]
    first, second, third = match_rows(rows, pack)
    assert (first.rule_id, first.method) == ("LEAD-02", "id")
    assert second.rule_id is None  # its rule is taken by the row with the id
    assert (third.rule_id, third.method) == ("LEAD-01", "text")
