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
        assert match.best_score < ACCEPT_SCORE


def test_rows_together_one_to_one(pack: RulePack) -> None:
    rows = [RowText(i, "", c["text"]) for i, c in enumerate(CASES)]
    matches = match_rows(rows, pack)
    assert [m.rule_id for m in matches] == [c["rule"] for c in CASES]
    taken = [m.rule_id for m in matches if m.rule_id]
    assert len(taken) == len(set(taken))


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
