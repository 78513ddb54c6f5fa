"""Comparisons as people read them: ≥ ≤ ＞ ＜ in reports, yes/no conditions in words."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest
from openpyxl import load_workbook

from checklist.model import Comparison
from checklist.rulepack import load_pack, parse_comparison
from checklist.wording import comparison_text, yes_no_rules
from scripts.make_examples import EXAMPLES, EXAMPLES_DIR
from tests.conftest import Cli


def _parsed(text: str) -> Comparison:
    found = parse_comparison(text)
    assert found is not None, text
    return found


@pytest.mark.parametrize(
    ("typed", "zh", "en"),
    [
        ("STAF-07 <= STAF-01", "STAF-07 ≤ STAF-01", "STAF-07 ≤ STAF-01"),
        ("COV-01 >= 200", "COV-01 ≥ 200", "COV-01 ≥ 200"),
        ("COV-02 > 0", "COV-02 ＞ 0", "COV-02 > 0"),
        ("SITE-03 < 6", "SITE-03 ＜ 6", "SITE-03 < 6"),
        ("STAF-17 == STAF-01", "STAF-17 ＝ STAF-01", "STAF-17 = STAF-01"),
        ("SITE-03 != 0", "SITE-03 ≠ 0", "SITE-03 ≠ 0"),
    ],
)
def test_operators_read_as_signs_not_as_typed(typed: str, zh: str, en: str) -> None:
    text = comparison_text(_parsed(typed))
    assert (text.zh, text.en) == (zh, en)


def test_a_yes_no_rule_compared_with_yes_or_no_reads_in_words() -> None:
    yesno = yes_no_rules(load_pack("grassroots").rules)
    assert "COV-09" in yesno and "COV-01" not in yesno
    said = {
        typed: comparison_text(_parsed(typed), yesno)
        for typed in ("COV-09 == yes", "COV-09 == no", "COV-09 != yes", "FUND-03 == 0")
    }
    assert [(t.zh, t.en) for t in said.values()] == [
        ("COV-09为“是”", "COV-09 is yes"),
        ("COV-09为“否”", "COV-09 is no"),
        ("COV-09为“否”", "COV-09 is no"),
        ("FUND-03为“否”", "FUND-03 is no"),
    ]
    # Without knowing the rule is yes/no, the sign is all that can be said.
    assert comparison_text(_parsed("COV-09 == yes")).zh == "COV-09 ＝ 1"


def _example(unit: str, year: int) -> Path:
    return EXAMPLES_DIR / next(e.file for e in EXAMPLES if e.unit.key == unit and e.year == year)


_TYPED_OPERATOR = re.compile(r"[A-Z]{3,4}-\d{2} *(>=|<=|==|!=|>|<) *\S")


@pytest.mark.parametrize(("unit", "year"), [("huadong", 2024), ("gangcheng", 2024)])
def test_reports_never_show_an_operator_as_a_rule_file_types_it(
    cli: Cli, tmp_path: Path, unit: str, year: int
) -> None:
    """华东精密 2024 fails a consistency check, 港城物流 2024 has a rule left out by its condition."""
    for lang in ("zh", "en"):
        target = tmp_path / f"{unit}-{lang}.xlsx"
        out = cli(["score", str(_example(unit, year)), "-o", str(target), "--lang", lang]).stdout
        assert not _TYPED_OPERATOR.search(out), out
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = load_workbook(target)
        texts = [
            str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value
        ]
        assert not [t for t in texts if _TYPED_OPERATOR.search(t)]
        signs = "≤" if unit == "huadong" else "≥"
        assert any(signs in t for t in texts), unit
