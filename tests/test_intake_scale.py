"""Intake of long sheets: a header anywhere, rule rows among thousands of filler rows."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from checklist.intake import read_assessment
from checklist.model import Assessment, RulePack
from checklist.rulepack import load_pack
from tests.benchmarks.test_bench_process import write_form
from tests.forms import HEADER, Filled, Form, clean_form, sample_answers


@pytest.fixture(scope="module")
def pack() -> RulePack:
    return load_pack("grassroots")


@pytest.fixture(scope="module")
def village(pack: RulePack) -> Form:
    return Form("城厢镇新华村", "村", 2024, "城厢镇", sample_answers(pack, "village"))


def _answers(assessment: Assessment) -> dict[str, tuple[object, ...]]:
    """Each answer as read, wherever its cell."""
    return {
        rule_id: (a.state, a.value, a.raw, a.evidence, a.claimed, a.match_method)
        for rule_id, a in assessment.answers.items()
    }


def _preamble_form(pack: RulePack, form: Form, path: Path, lines: int) -> Path:
    """The clean layout on one sheet under ``lines`` lines of title, notes and blank rows."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([f"{form.year}年度基层群团组织建设自评表"])
    sheet.append(["单位名称", form.name, None, "单位类型", form.unit_type_zh])
    for n in range(lines - 2):
        sheet.append([f"{n + 1}. 本表依据县群团工作考核办法第{n + 1}条填写。"] if n % 3 else [])
    sheet.append(list(HEADER))
    for rule in pack.rules:
        filled = form.answers.get(rule.id, Filled(None))
        sheet.append(
            [rule.id, "", rule.indicator.zh, "", filled.answer, filled.evidence, filled.claimed]
        )
    book.save(path)
    return path


@pytest.mark.parametrize("lines", [25, 400])
def test_a_header_far_below_the_top_is_found(
    lines: int, pack: RulePack, village: Form, tmp_path: Path
) -> None:
    clean = read_assessment(clean_form(pack, village, tmp_path / "clean.xlsx"), pack)
    deep = read_assessment(_preamble_form(pack, village, tmp_path / "deep.xlsx", lines), pack)
    assert _answers(deep) == _answers(clean)
    assert not deep.unmatched
    cells = {a.cell for a in deep.answers.values()}
    assert f"Sheet!E{lines + 2}" in cells  # the first rule row, right under the header


def test_a_header_near_the_top_wins_over_one_further_down(pack: RulePack, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["编号", "指标", "自评填报"])
    sheet.append(["LEAD-02", "群团工作是否纳入党建目标考核并与评先评优挂钩", "是"])
    for _ in range(40):
        sheet.append([])
    # A second, wider table far below is read on from the first, not instead of it.
    sheet.append(["序号", "考核内容", "自评情况", "佐证材料", "自评得分", "备注"])
    sheet.append([1, "群团年度工作计划是否报党组织审议", "否", "", 0, ""])
    path = tmp_path / "two.xlsx"
    book.save(path)
    assessment = read_assessment(path, pack)
    assert set(assessment.answers) == {"LEAD-02", "LEAD-07"}
    assert assessment.answers["LEAD-02"].cell == "Sheet!C2"
    assert assessment.answers["LEAD-07"].cell == "Sheet!C44"


def test_rule_rows_among_twenty_thousand_filler_rows_read_like_the_form(
    pack: RulePack, tmp_path: Path
) -> None:
    small = read_assessment(write_form(pack, tmp_path / "small.xlsx", 67), pack)
    big = read_assessment(write_form(pack, tmp_path / "big.xlsx", 20_000), pack)
    assert _answers(big) == _answers(small)
    assert not big.unmatched
    assert [n.code for n in big.notes] == [n.code for n in small.notes]
