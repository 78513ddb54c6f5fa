"""Which column holds what, when a published form's header words mislead or say nothing.

Made-up rows of each class: a 项目 column of merged categories beside the
standards, a 考核标准 column of deductions beside them, a self-score column
headed with words no synonym knows, and the header words of 规范化建设 细则
and 合格职工之家 自检表 layouts.
"""

from __future__ import annotations

import pytest

from checklist.errors import ChecklistError
from checklist.intake import assessment_from_workbook
from checklist.model import Assessment, RulePack
from checklist.rulepack import load_pack
from checklist.workbook import Sheet, Workbook


@pytest.fixture(scope="module")
def pack() -> RulePack:
    return load_pack("grassroots")


def _read(pack: RulePack, *rows: tuple[object, ...]) -> Assessment:
    sheet = Sheet("细则", tuple(tuple(r) for r in rows))  # type: ignore[arg-type]
    return assessment_from_workbook(Workbook("form.xlsx", "xlsx", (sheet,)), pack)


def _told(assessment: Assessment) -> list[str]:
    return [n.cell for n in assessment.notes if n.code == "columns_from_content"]


def test_merged_categories_under_xiangmu_are_no_indicators(pack: RulePack) -> None:
    # 项目 holds the category merged down its rows (filled into each); the
    # standards stand under a word no synonym knows.
    category = "一、经费管理（10分）"
    assessment = _read(
        pack,
        ("项目", "条文", "分值", "自评情况"),
        (category, "工会经费按规定足额拨缴", 5, "已足额拨缴"),
        (category, "工会经费独立核算、专款专用", 5, "单独建账"),
        ("二、领导重视（6分）", "群团工作纳入党建目标考核", 3, "已纳入"),
        ("二、领导重视（6分）", "党组织每年专题研究群团工作", 3, "研究2次"),
    )
    assert assessment.answers["FUND-01"].value is True
    assert assessment.answers["FUND-02"].value is True
    assert assessment.answers["LEAD-02"].value is True
    assert assessment.answers["LEAD-01"].value == 2
    assert _told(assessment) == ["B1"]


def test_a_standard_column_of_deductions_is_the_scoring_method(pack: RulePack) -> None:
    # 考核内容 | 考核标准: here 考核标准 holds how points are taken off, so the
    # standards are 考核内容's and the deductions are never read as answers.
    assessment = _read(
        pack,
        ("序号", "考核内容", "考核标准", "分值", "完成情况"),
        (1, "每年至少召开一次职工代表大会", "未召开扣5分", 5, "召开1次"),
        (2, "工会经费按规定足额拨缴", "未足额拨缴扣3分", 3, "足额拨缴"),
        (3, "党组织每年专题研究群团工作", "每少1次扣1分", 2, "研究3次"),
    )
    assert assessment.answers["LIFE-03"].value == 1
    assert assessment.answers["FUND-01"].value is True
    assert assessment.answers["LEAD-01"].value == 3
    assert assessment.answers["LEAD-01"].cell == "细则!E4"
    assert _told(assessment) == ["B1"]


def test_a_self_score_column_is_told_by_its_numbers(pack: RulePack) -> None:
    # Only points and the unit's own score are filled, under a word nobody lists.
    assessment = _read(
        pack,
        ("序号", "考核内容", "分值", "单位初评", "复核意见"),
        (1, "工会经费按规定足额拨缴", 4, 4, None),
        (2, "工会经费独立核算、专款专用", 3, 0, None),
        (3, "群团工作纳入党建目标考核", 3, 3, None),
    )
    assert assessment.answers["FUND-01"].claimed == 4
    assert assessment.answers["FUND-02"].claimed == 0
    assert _told(assessment) == ["D1"]


def test_numbers_above_the_points_are_no_self_score(pack: RulePack) -> None:
    # 会员人数 beside 分值 is a count, not a score: with nothing else to read,
    # the sheet is no self-assessment table.
    with pytest.raises(ChecklistError) as caught:
        _read(
            pack,
            ("序号", "考核内容", "分值", "人数"),
            (1, "工会经费按规定足额拨缴", 4, 120),
            (2, "工会经费独立核算、专款专用", 3, 86),
            (3, "群团工作纳入党建目标考核", 3, 40),
        )
    assert caught.value.code == "no_table"


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        (("项目", "考核内容", "标准分数", "自检分数", "考核分数"), "self-check"),
        (("项目", "序号", "考核标准", "分值", "扣分标准", "自查情况", "自查分"), "细则"),
    ],
)
def test_header_words_of_self_check_and_detailed_rules_forms(
    pack: RulePack, header: tuple[str, ...], kind: str
) -> None:
    if kind == "self-check":
        rows: tuple[tuple[object, ...], ...] = (
            ("一、经费", "依法按时足额拨缴工会经费", 4, 4, None),
            ("一、经费", "工会经费单独设立账户，独立核算", 3, 0, None),
            ("二、阵地", "工会牌子统一悬挂，主要工作制度上墙", 2, 2, None),
        )
    else:
        rows = (
            ("一、经费", 1, "依法按时足额拨缴工会经费", 4, "未足额扣4分", "已足额拨缴", 4),
            (
                "一、经费",
                2,
                "工会经费单独设立账户，独立核算",
                3,
                "未独立核算扣3分",
                "未单独设账",
                0,
            ),
            ("二、阵地", 3, "工会牌子统一悬挂，主要工作制度上墙", 2, "缺一项扣1分", "已悬挂", 2),
        )
    assessment = _read(pack, header, *rows)
    assert assessment.answers["FUND-01"].claimed == 4
    assert assessment.answers["FUND-02"].claimed == 0
    if kind == "细则":
        assert assessment.answers["FUND-01"].value is True
        assert assessment.answers["FUND-02"].value is False
    # The reviewer's 考核分数 and the deductions are never the unit's answers.
    assert _told(assessment) == []


@pytest.mark.parametrize(
    ("name", "unit_type"),
    [("石门镇总工会", "town"), ("城关街道总工会", "town"), ("华信电子有限公司工会", "enterprise")],
)
def test_unit_type_from_a_federation_of_unions_name(
    pack: RulePack, name: str, unit_type: str
) -> None:
    assessment = _read(
        pack,
        (f"考核对象：{name}",),
        ("序号", "考核内容", "分值", "自查情况"),
        (1, "工会经费按规定足额拨缴", 4, "已足额拨缴"),
        (2, "工会经费独立核算、专款专用", 3, "单独建账"),
    )
    assert assessment.unit.name == name
    assert assessment.unit.type == unit_type
