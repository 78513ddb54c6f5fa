"""Reading the forms units already use: the failure classes of real layouts and wording.

Each test builds made-up rows of one class (header words of published forms,
answers read by meaning, self-score-only forms, two-level headers, stock
phrases, unit lines, the pack's concepts) and checks what intake reads. The
figures over whole workbooks are in tests/test_corpus.py.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import yaml

from checklist.errors import ChecklistError
from checklist.intake import assessment_from_workbook, read_survey
from checklist.model import AnswerSpec, AnswerState, AnswerType, Assessment, RulePack
from checklist.normalize import normalize_answer
from checklist.rulepack import load_pack
from checklist.workbook import MergedRange, Sheet, Workbook
from tests.packs import write_pack


@pytest.fixture(scope="module")
def pack() -> RulePack:
    return load_pack("grassroots")


def _read(
    pack: RulePack, *rows: tuple[object, ...], merged: tuple[MergedRange, ...] = ()
) -> Assessment:
    sheet = Sheet("Sheet1", tuple(tuple(r) for r in rows), merged=merged)  # type: ignore[arg-type]
    return assessment_from_workbook(Workbook("form.xlsx", "xlsx", (sheet,)), pack)


def _codes(assessment: Assessment) -> set[str]:
    return {n.code for n in assessment.notes}


# --- 1. headers of published forms ------------------------------------------------


@pytest.mark.parametrize(
    ("indicator", "answer"),
    [
        ("评定标准", "履职情况"),
        ("考核要求", "落实情况"),
        ("内容标准", "完成情况"),
        ("验收标准", "工作情况和数字说明"),
        ("具体要求", "完成情况"),
    ],
)
def test_header_words_of_published_forms(pack: RulePack, indicator: str, answer: str) -> None:
    assessment = _read(
        pack,
        ("序号", indicator, "分值", answer),
        (1, "工会经费按规定足额拨缴", 5, "已足额拨缴"),
        (2, "群团工作纳入党建目标考核", 3, "已纳入"),
    )
    assert assessment.answers["FUND-01"].value is True
    assert assessment.answers["LEAD-02"].value is True


def test_a_category_beside_the_standard_is_its_heading(pack: RulePack) -> None:
    # 建设内容 | 验收标准: the right one is the indicator, the left its heading.
    assessment = _read(
        pack,
        ("建设内容", "验收标准", "落实情况"),
        ("经费", "工会经费独立核算、专款专用", "已单独建账"),
    )
    assert assessment.answers["FUND-02"].value is True
    assert assessment.answers["FUND-02"].cell == "Sheet1!C2"


def test_columns_are_told_by_content_when_no_header_word_is_known(pack: RulePack) -> None:
    assessment = _read(
        pack,
        ("条目", "标准条文", "分数", "本单位打分", "我们做了什么"),
        ("一", "按时足额拨缴工会经费", 4, 4, "按2%足额拨缴"),
        ("二", "党组织书记述职报告涉及群团工作", 3, 3, "述职报告有专门一节"),
        ("三", "每年至少召开一次职工代表大会", 5, 5, "召开三届二次职代会"),
    )
    assert assessment.answers["FUND-01"].value is True
    assert assessment.answers["LIFE-03"].value == 1
    assert assessment.answers["LIFE-03"].claimed == 5
    assert [n.cell for n in assessment.notes if n.code == "columns_from_content"] == ["B1"]


def test_a_list_of_short_words_is_no_table(pack: RulePack) -> None:
    with pytest.raises(ChecklistError):
        _read(
            pack,
            ("姓名", "职务", "电话"),
            ("张三", "主席", "138"),
            ("李四", "委员", "139"),
            ("王五", "委员", "137"),
        )


SURVEY = (
    ("2024年度非公企业群团组织覆盖情况调查表",),
    ("企业名称", "职工人数", "是否建立工会", "会员人数", "团员人数"),
    ("恒达精密机械有限公司", 186, "是", 180, "14人"),
)


def test_a_survey_of_one_unit_reads_that_unit(pack: RulePack) -> None:
    assessment = _read(pack, *SURVEY)
    assert assessment.unit.name == "恒达精密机械有限公司"
    assert (assessment.unit.type, assessment.unit.year) == ("enterprise", 2024)
    answers = {r: a.value for r, a in assessment.answers.items()}
    assert answers == {"COV-01": 186, "COV-04": True, "COV-02": 180, "COV-08": 14}
    assert assessment.answers["COV-04"].cell == "Sheet1!C3"
    assert "survey_row" in _codes(assessment)


def test_a_survey_of_several_units_says_so_and_reads_each(pack: RulePack, tmp_path: Path) -> None:
    rows = (*SURVEY, ("华信电子科技有限公司", 52, "否", 0, "3人"))
    with pytest.raises(ChecklistError) as caught:
        _read(pack, *rows)
    assert caught.value.code == "survey"
    assert "2" in caught.value.message.zh and "华信电子科技有限公司" in caught.value.message.zh
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    book.save(tmp_path / "survey.xlsx")
    units = read_survey(tmp_path / "survey.xlsx", pack)
    assert [u.unit.name for u in units] == ["恒达精密机械有限公司", "华信电子科技有限公司"]
    assert units[1].answers["COV-04"].value is False
    assert units[1].answers["COV-01"].cell == "Sheet!B4"


# --- 2. answers inside sentences, read by meaning ----------------------------------

COUNT = AnswerSpec(AnswerType.count, "次")
PEOPLE = AnswerSpec(AnswerType.count, "人")
RATE = AnswerSpec(AnswerType.percent)
YESNO = AnswerSpec(AnswerType.yesno)


@pytest.mark.parametrize(
    ("raw", "spec", "indicator", "value", "code"),
    [
        # A session's number names the meeting: one was held.
        ("召开二届五次教代会", COUNT, "职代会（教代会）年内召开次数", 1, "session_number"),
        ("举行第七届第二次会员代表大会", COUNT, "会员代表大会召开次数", 1, "session_number"),
        # The count left once the ordinal is out is the answer.
        ("本年上团课6次（第4次为主题团日）", COUNT, "团课次数", 6, "session_number"),
        # Everyone has: nobody has not; a rate of 100%.
        (
            "党组织委员5人均已建立联系点",
            PEOPLE,
            "未建立群团工作联系点的党组织班子成员人数",
            0,
            "all_of_them",
        ),
        ("在册38人全部报到", RATE, "团员智慧团建在线报到率", 100, "all_of_them"),
        # Parts add up for a rule that counts the whole.
        ("专职2人，兼职3人", PEOPLE, "群团干部总数（含专职、兼职）", 5, "sum_of_parts"),
        # The opposite of what is asked is a no.
        ("兼职", YESNO, "职工200人以上单位是否配备专职工会主席", False, "opposite_word"),
        # Done, or the proof cited.
        ("2021年取得", YESNO, "工会是否取得法人资格", True, "yes_with_text"),
        ("证号：工法证字第0417号", YESNO, "工会是否取得法人资格", True, "yes_with_text"),
        ("√，9月召开1次", COUNT, "联席会议召开次数", 1, "number_in_text"),
    ],
)
def test_answers_read_by_meaning(
    raw: str, spec: AnswerSpec, indicator: str, value: object, code: str
) -> None:
    got = normalize_answer(raw, spec, indicator)
    assert (got.state, got.value) == (AnswerState.given, value), got.notes
    assert code in {n.code for n in got.notes}


@pytest.mark.parametrize(
    ("raw", "spec", "indicator", "value"),
    [
        # A total with its breakdown in brackets is the total, not a sum.
        ("9人（主席1、副主席2）", PEOPLE, "村（社区）妇联执委人数", 9),
        # Not every one: the ordinary reading stands.
        ("班子成员4人中3人建立联系点", PEOPLE, "未建立联系点的班子成员人数", None),
    ],
)
def test_meaning_does_not_overreach(
    raw: str, spec: AnswerSpec, indicator: str, value: object
) -> None:
    got = normalize_answer(raw, spec, indicator)
    assert not {"sum_of_parts", "all_of_them"} & {n.code for n in got.notes}
    if value is not None:
        assert got.value == value


def test_a_sentence_answer_in_a_form_notes_its_cell(pack: RulePack) -> None:
    assessment = _read(
        pack,
        ("序号", "考核要求", "落实情况"),
        (1, "党组织班子成员联系指导团组织", "班子成员4人均已建立联系点"),
        (2, "每年至少召开一次职工代表大会", "召开三届二次职代会"),
    )
    assert assessment.answers["LEAD-06"].value == 0
    assert assessment.answers["LIFE-03"].value == 1
    cells = {(n.code, n.cell) for n in assessment.notes}
    assert {("all_of_them", "C2"), ("session_number", "C3")} <= cells


# --- 3. self-score-only forms ------------------------------------------------------


def test_yes_no_answers_come_from_the_self_score_against_the_points(pack: RulePack) -> None:
    assessment = _read(
        pack,
        ("项目", "考核要求", "分值", "自评得分", "说明"),
        ("经费", "按时足额拨缴工会经费", 4, 4, "未足额拨缴不得分"),
        (None, "工会经费单独设账、独立核算", 3, 0, None),
        (None, "经费收支定期公开，接受经审会审查", 2, 1, "未公开扣1分"),
        ("阵地", "获评县级以上模范职工之家", 2, 0, "获县、市、省级表彰分别加1、3、5分"),
        ("民主", "工会委员会每季度召开1次例会", 2, 2, "少1次扣0.5分"),
    )
    answers = assessment.answers
    assert answers["FUND-01"].value is True
    assert answers["FUND-02"].value is False
    assert answers["FUND-03"].value == "partial"
    # A count cannot be told from points, and the 说明 column is never an answer.
    assert answers["LIFE-07"].state is AnswerState.missing
    assert answers["SITE-06"].value is False
    inferred = [n.cell for n in assessment.notes if n.code == "answer_from_self_score"]
    assert inferred == ["D2", "D3", "D4", "D5"]
    assert "answers_from_remarks" not in _codes(assessment)


# --- 4. two-level headers and merged category columns ------------------------------


def test_a_short_second_level_label_is_read_with_its_standard(pack: RulePack) -> None:
    assessment = _read(
        pack,
        ("一级指标", "二级指标", "评定标准", "分值", "完成情况"),
        ("组织建设", "党建带团建", "党组织书记述职报告涉及团建内容", 2, "有"),
        (None, "会员评议", "民主评议工会主席", 2, "满意率91%"),
        merged=(MergedRange(1, 0, 2, 0),),
    )
    assert assessment.answers["LEAD-08"].value is True
    assert assessment.answers["LIFE-05"].value == 91


# --- 5. stock phrases of published forms -------------------------------------------


@pytest.mark.parametrize(
    ("text", "rule_id"),
    [
        ("依法取得工会法人资格证", "COV-06"),
        ("有固定的办公和活动场所", "SITE-01"),
        ("党组织每年听取妇联工作汇报", "LEAD-01"),
        ("团员3人以上的单位按规定建立团支部", "COV-09"),
    ],
)
def test_stock_phrases_reach_their_rule(pack: RulePack, text: str, rule_id: str) -> None:
    assessment = _read(pack, ("序号", "考核要求", "落实情况"), (1, text, "是"))
    assert list(assessment.answers) == [rule_id]


# --- 6. unit lines, year and type --------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "name", "year", "unit_type"),
    [
        (
            ("2024年度学校工会工作考核表", "单位：育才小学工会（盖章）　2024年12月30日"),
            "育才小学工会",
            2024,
            "school",
        ),
        (
            ("二〇二四年度党建带团建考核表", "考核对象：南湖社区党委"),
            "南湖社区党委",
            2024,
            "community",
        ),
        (
            (
                "二〇二三年度团支部“对标定级”自评表",
                "团支部名称：共青团西塘村支部委员会",
                "填表日期：2024年1月8日",
            ),
            "共青团西塘村支部委员会",
            2023,
            "village",
        ),
        (
            ("职工之家验收表", "申报单位：宏远机械有限公司工会", "2025年1月6日"),
            "宏远机械有限公司工会",
            2025,
            "enterprise",
        ),
        (
            ("社区工会规范化建设考核（2024年度）", "单位：东园社区工会联合会"),
            "东园社区工会联合会",
            2024,
            "community",
        ),
    ],
)
def test_unit_lines(
    pack: RulePack, lines: tuple[str, ...], name: str, year: int, unit_type: str
) -> None:
    assessment = _read(
        pack,
        *((line,) for line in lines),
        ("序号", "考核要求", "落实情况"),
        (1, "工会经费按规定足额拨缴", "是"),
    )
    unit = assessment.unit
    assert (unit.name, unit.year, unit.type) == (name, year, unit_type)


# --- 7. the pack's concepts --------------------------------------------------------


def test_concepts_fold_a_rows_words_into_the_rules(tmp_path: Path) -> None:
    rule = {
        "id": "R-01",
        "indicator": {"zh": "新入职职工是否加入工会", "en": "Newcomers join the union"},
        "answer": {"type": "yesno"},
        "points": 2,
    }
    folder = write_pack(tmp_path / "p", [rule])
    form = ("序号", "考核要求", "落实情况"), (1, "新调入人员当年加入工会", "是")
    assert not _read(load_pack(folder), *form).answers
    concepts = [{"id": "newcomers", "terms": ["新入职", "新调入"], "source": "test"}]
    (folder / "concepts.yaml").write_text(yaml.safe_dump(concepts, allow_unicode=True), "utf-8")
    assert list(_read(load_pack(folder), *form).answers) == ["R-01"]


@pytest.mark.parametrize(
    ("concepts", "said"),
    [
        ([{"id": "a", "terms": ["只有一个"], "source": "x"}], "terms"),
        (
            [
                {"id": "a", "terms": ["团委", "团支部"], "source": "x"},
                {"id": "b", "terms": ["团组织", "团委"], "source": "x"},
            ],
            "团委",
        ),
        ([{"id": "a", "terms": ["甲", "乙"]}], "source"),
    ],
)
def test_bad_concepts_are_refused_at_load(
    tmp_path: Path, concepts: list[dict[str, object]], said: str
) -> None:
    rule = {"id": "R-01", "answer": {"type": "yesno"}, "points": 2}
    folder = write_pack(tmp_path / "p", [rule])
    (folder / "concepts.yaml").write_text(yaml.safe_dump(concepts, allow_unicode=True), "utf-8")
    with pytest.raises(ChecklistError) as caught:
        load_pack(folder)
    assert any("concepts.yaml" in d.zh and said in d.zh for d in caught.value.details)
