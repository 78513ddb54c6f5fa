"""Matching rows of real-world forms to rules by meaning (issue 11, build item 1).

Each test is one class of failure seen on published forms, with rows made up
for it (not copied from the corpus): the many words of one term, a unit size
that scopes a rule, a date typed into the row, a category that only confirms,
rows worded as a problem, rows about all three organisations.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checklist.codes import NoteCode
from checklist.intake import read_assessment
from checklist.intake.matching import (
    RowText,
    concept_folds,
    indicator_key,
    match_rows,
    problem_worded,
)
from checklist.model import Concept, RulePack
from checklist.rulepack import load_pack
from tests.properties import examples


@pytest.fixture(scope="module")
def pack() -> RulePack:
    return load_pack("grassroots")


def _alone(pack: RulePack, text: str, context: str = "", hint: str = "") -> str | None:
    (match,) = match_rows([RowText(0, "", text, context, hint)], pack)
    return match.rule_id


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        # Synonyms and abbreviations of one term (concepts.yaml).
        ("组织职工开展岗位练兵和技术比武", "SERV-01"),
        ("推行政务公开，保障职工知情权", "RGHT-05"),
        ("妇联执行委员会换届时间", "LIFE-10"),
        ("妇联执委会议召开次数", "LIFE-11"),
        ("团员通过智慧团建系统报到率", "INNO-04"),
        ("工会依法取得法人资格证书", "COV-06"),
        ("镇妇联完成年度调查报告篇数", "INNO-05"),
        # The unit size that says which units a rule is about is kept.
        ("会员25人以上的企业单独建立工会委员会", "COV-05"),
        ("团员3人以上的企业建立团支部", "COV-09"),
        ("团员不少于3名的村建立团支部", "COV-09"),
        ("会员满25人的企业单独建立工会委员会", "COV-05"),
        # A headcount the standard sets says the row asks how many.
        ("村妇联执委不少于9名，吸纳致富能手、返乡女大学生进入执委会", "COV-12"),
        # A date is what the unit did, not what the row asks.
        ("2023年3月完成团支部换届", "LIFE-09"),
        ("团支部每年按期换届改选", "LIFE-09"),
        # Stock phrases of published forms (aliases).
        ("工会干部参加上级工会举办的业务培训", "STAF-16"),
        ("有固定的工会办公和活动场所", "SITE-01"),
        ("经费收支情况每年向职代会报告", "FUND-03"),
        ("职工之家常年开放", "SITE-01"),
        # What a threshold measures tells hours from a rate.
        ("工会干部每年参加业务培训人均不少于24学时", "STAF-11"),
    ],
)
def test_a_row_in_other_words_finds_its_rule(pack: RulePack, text: str, rule: str) -> None:
    assert _alone(pack, text) == rule


def test_a_long_row_holding_a_rules_wording_and_more_finds_it(pack: RulePack) -> None:
    text = "企业工会每年召开职工代表大会审议企业改革发展重大事项和职工切身利益问题"
    assert _alone(pack, text) == "LIFE-03"
    # What a long row holds must be a specific wording, not a word many rules share.
    assert _alone(pack, "食堂每周公开菜谱和采购价格，接受职工监督评议并整改") is None


def test_a_frequency_in_the_standard_does_not_make_the_row_a_count(pack: RulePack) -> None:
    # 每年改选一次 sets how often; the rule asks when (a date), and still fits.
    assert _alone(pack, "团支部按期换届，每年改选一次") == "LIFE-09"


def test_a_category_confirms_the_rows_own_rule_and_never_brings_in_another(
    pack: RulePack,
) -> None:
    # 组织设置 alone is near COV-09 (团组织设置); the row is about the election.
    assert _alone(pack, "团支部每年按期换届改选", context="组织设置") == "LIFE-09"
    # A row that says nothing of any rule is not tied by its category alone.
    assert _alone(pack, "按要求完成上级交办的各项任务", context="团课") is None
    # A short label says too little alone: there the category and criterion decide.
    assert _alone(pack, "经费保障", context="团的工作经费列入年度预算") == "FUND-04"


def test_a_row_worded_as_a_problem_goes_to_the_rule_worded_so(pack: RulePack) -> None:
    assert _alone(pack, "年内未参加业务培训的群团干部人数") == "STAF-12"
    assert _alone(pack, "年内已参加业务培训的群团干部人数") == "STAF-17"

    # A deduction states the standard: 未…扣分 is no problem wording; a
    # deduction in brackets beside a count of problems leaves it one.
    assert not problem_worded("团组织负责人未列席党组织会议的，一次扣2分")
    assert problem_worded("未参加培训的群团干部人数（每人扣1分）")
    assert problem_worded("群团计划活动被业务工作挤占")


def test_a_row_about_all_three_organisations_is_not_one_organisations_rule(
    pack: RulePack,
) -> None:
    assert _alone(pack, "群团组织最近一次换届时间") is None
    # A sheet title naming 群团 does not make every row all three organisations'.
    assert _alone(pack, "是否签订集体合同", hint="非公企业群团组织建设情况调查表") == "RGHT-01"


def test_a_word_holding_a_shorter_synonym_is_folded_whole() -> None:
    # 群团干部 holds 团干部: folded whole, it is not made 群群团干部.
    folds = concept_folds((Concept("cadres", ("群团干部", "团干部", "工会干部"), "test"),))
    assert indicator_key("群团干部培训学时", folds) == "群团干部培训学时"
    assert indicator_key("团干部培训学时", folds) == "群团干部培训学时"
    # Two words of one concept side by side are one word.
    assert indicator_key("工会干部、团干部培训", folds) == "群团干部培训"


def test_an_unmatched_rows_best_score_is_never_shown_at_the_threshold(pack: RulePack) -> None:
    from checklist.intake.matching import ACCEPT_SCORE

    for text in ("安全生产培训学时", "食堂卫生检查合格率", "职工文体活动场次"):
        (match,) = match_rows([RowText(0, "", text)], pack)
        if match.rule_id is None and not match.rival_rule:
            assert match.best_score < ACCEPT_SCORE


def test_a_short_label_beside_its_standard_is_read_by_the_standard(pack: RulePack) -> None:
    # 考评内容 | 评分标准: the label names a theme, the standard the indicator.
    assert _alone(pack, "党建带团建", context="镇党委每年听取团委工作汇报不少于3次") == "LEAD-01"
    # The label alone would name LEAD-05; it confirms, it does not decide.
    assert _alone(pack, "党建带团建") == "LEAD-05"
    # A standard no rule has is not tied by its label either.
    assert _alone(pack, "推优入党", context="推荐优秀团员作为入党积极分子") is None


@pytest.mark.parametrize(
    ("answer", "rule"),
    [
        ("报到率98%", "INNO-04"),
        ("22名团员全部报到", "INNO-04"),
        ("已报到22人", "INNO-03"),
    ],
)
def test_the_answers_shape_decides_between_near_tied_rules(
    pack: RulePack, answer: str, rule: str
) -> None:
    # 团员网上报到 fits the count (INNO-03) and the rate (INNO-04) about equally.
    (match,) = match_rows([RowText(0, "", "团员按时在智慧团建网上报到", answer=answer)], pack)
    assert match.rule_id == rule


def test_the_answers_shape_never_brings_in_a_rule(pack: RulePack) -> None:
    # A lone candidate stays; an unrelated row stays unmatched whatever its answer.
    assert _alone(pack, "妇女之家“六有”达标项数") == "SITE-03"
    (match,) = match_rows([RowText(0, "", "妇女之家“六有”达标项数", answer="六有均已达标")], pack)
    assert match.rule_id == "SITE-03"
    (match,) = match_rows([RowText(0, "", "食堂卫生检查", answer="合格率100%")], pack)
    assert match.rule_id is None


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("妇联执委会健全，按期改选", "LIFE-10"),
        ("工会委员会健全，按期换届", "LIFE-08"),
        # One of many clauses: the short term does not decide alone.
        ("工会班子健全，分工明确，制度完善，按期换届，运转规范", None),
    ],
)
def test_a_short_term_names_the_one_rule_of_the_organisation_the_row_names(
    pack: RulePack, text: str, rule: str | None
) -> None:
    # 换届 is three rules' (LIFE-08/09/10), one per organisation.
    assert _alone(pack, text) == rule


def test_a_wording_that_only_says_the_organisation_exists_is_not_a_row_that_says_more(
    pack: RulePack,
) -> None:
    (match,) = match_rows([RowText(0, "", "村团组织按期完成换届改选")], pack, "village")
    assert match.rule_id != "COV-10"
    (match,) = match_rows([RowText(0, "", "村是否建立团组织")], pack, "village")
    assert match.rule_id == "COV-10"


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("依法组建工会组织，会员25人以上的企业单独建立工会委员会", "COV-05"),
        ("团组织健全，团员3人以上的企业单独建立团支部", "COV-09"),
        # A row that is all preamble is the plain 是否建立 rule.
        ("依法建立工会组织，组织机构健全", "COV-04"),
    ],
)
def test_a_clause_saying_only_that_the_organisation_exists_is_a_preamble(
    pack: RulePack, text: str, rule: str
) -> None:
    assert _alone(pack, text) == rule


def test_a_quoted_name_the_pack_knows_counts_for_its_rule(pack: RulePack) -> None:
    assert _alone(pack, "组织“最美家庭”推选活动") == "SERV-03"
    assert _alone(pack, "组织家庭推选活动") is None  # the name is what told it


def test_a_units_own_quoted_name_counts_for_little(pack: RulePack) -> None:
    # The rest of the row is read without the name (清风工会 is not 工会's anything).
    assert _alone(pack, "“清风工会”微信公众号每月推送") == "INNO-02"
    # A row that is nothing but a name of its own is not tied to a rule.
    assert _alone(pack, "“红枫青年学堂”") is None


def test_a_party_branch_filling_the_form_does_not_make_rows_the_partys(pack: RulePack) -> None:
    hint = "二〇二四年度考核评价表 填报单位：白沙村党支部"
    (match,) = match_rows(
        [RowText(0, "", "建成儿童之家并每周开放", org_hint=hint)], pack, "village"
    )
    assert match.rule_id == "RGHT-15"
    # A row naming the Party itself still weighs the mass organisations' rules less.
    assert _alone(pack, "党支部委员会换届时间") is None


def test_a_row_asking_the_opposite_of_a_rule_is_read_the_other_way_round(
    pack: RulePack, tmp_path: Path
) -> None:
    # 被挤占 (a yes is bad) against LEAD-12 (按期开展, a yes is good): tied, marked opposite.
    (match,) = match_rows([RowText(0, "", "群团年度计划活动被业务工作挤占")], pack)
    assert (match.rule_id, match.opposite) == ("LEAD-12", True)
    # A row worded as a problem that a rule asks the same way is tied as usual.
    (match,) = match_rows([RowText(0, "", "未参加业务培训的群团干部人数")], pack)
    assert (match.rule_id, match.opposite) == ("STAF-12", False)

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["指标", "填报内容"])
    sheet.append(["群团工作纳入党建目标考核", "是"])
    sheet.append(["群团年度计划活动被业务工作挤占", "否"])
    path = tmp_path / "form.xlsx"
    book.save(path)
    assessment = read_assessment(path, pack)
    # "Not crowded out" is "held as planned"; the reversal is a warning on its cell.
    assert assessment.answers["LEAD-12"].value is True
    (note,) = [n for n in assessment.notes if n.code is NoteCode.question_inverted]
    assert note.cell == "B3" and note.rule_id == "LEAD-12"
    assert not [n for n in assessment.notes if n.code is NoteCode.unmatched_row]


# --- properties -------------------------------------------------------------------

# Rows the pack has a rule for, as units word them (made up, one per class above).
_KNOWN = (
    "组织职工开展岗位练兵和技术比武",
    "会员25人以上的企业单独建立工会委员会",
    "2023年3月完成团支部换届",
    "年内未参加业务培训的群团干部人数",
    "妇联执行委员会换届时间",
    "工会干部每年参加业务培训人均不少于24学时",
    "“清风工会”微信公众号每月推送",
    "团组织健全，团员3人以上的企业单独建立团支部",
)
# Words of a unit's other work: no row made of them is any rule's.
_UNRELATED = (
    "食堂",
    "卫生",
    "安全生产",
    "消防",
    "演练",
    "设备",
    "维修",
    "绿化",
    "停车",
    "考勤",
    "报销",
    "采购",
    "车辆",
    "检查",
    "合格",
    "台风",
    "防汛",
    "疫苗",
    "接种",
    "次数",
)


def _tied(pack: RulePack, text: str) -> str | None:
    (match,) = match_rows([RowText(0, "", text)], pack)
    return match.rule_id


@settings(max_examples=examples(200), deadline=None)
@given(
    text=st.sampled_from(_KNOWN),
    spaces=st.lists(st.tuples(st.integers(0, 40), st.sampled_from(" \u3000\t")), max_size=4),
)
def test_whitespace_anywhere_changes_no_match(text: str, spaces: list[tuple[int, str]]) -> None:
    pack = load_pack("grassroots")
    spaced = text
    for at, space in spaces:
        spaced = spaced[:at] + space + spaced[at:]
    assert _tied(pack, spaced) == _tied(pack, text)


@settings(max_examples=examples(100), deadline=None)
@given(text=st.sampled_from(_KNOWN), wide=st.booleans(), trad=st.booleans())
def test_full_width_forms_and_traditional_script_change_no_match(
    text: str, wide: bool, trad: bool
) -> None:
    from opencc import OpenCC

    pack = load_pack("grassroots")
    other = text
    if wide:  # ASCII digits and punctuation typed full width
        other = other.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
    if trad:
        other = OpenCC("s2t").convert(other)
    assert _tied(pack, other) == _tied(pack, text)


@settings(max_examples=examples(200), deadline=None)
@given(
    words=st.lists(st.sampled_from(_UNRELATED), min_size=1, max_size=5),
    asks=st.sampled_from(("", "是否", "情况", "（%）", "人数")),
)
def test_a_row_about_other_work_is_never_tied(words: list[str], asks: str) -> None:
    pack = load_pack("grassroots")
    text = "".join(words) + asks
    (match,) = match_rows([RowText(0, "", text, answer="100%")], pack)
    assert match.rule_id is None, (text, match)


@settings(max_examples=examples(100), deadline=None)
@given(rows=st.lists(st.sampled_from(_KNOWN + _UNRELATED), min_size=1, max_size=10))
def test_no_rule_is_given_two_rows(rows: list[str]) -> None:
    pack = load_pack("grassroots")
    matches = match_rows([RowText(i, "", t) for i, t in enumerate(rows)], pack)
    taken = [m.rule_id for m in matches if m.rule_id]
    assert len(taken) == len(set(taken))
