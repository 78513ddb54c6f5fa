"""Answers read by meaning once a row is tied to its rule (issue 11, "answers by meaning").

Each class of sentence a published form's 完成情况 / 履职情况 column holds is
checked with made-up rows: which number the rule asks for (a whole or its
part, each person's, all events of the kind counted), a rate worked out from
counts, items listed, meetings given by their dates, and the numbers that are
never counts (dates, document, certificate and phone numbers). Every guess is
a note; the intake tests at the end check the note names its cell.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checklist.errors import ChecklistError
from checklist.intake import assessment_from_workbook
from checklist.model import AnswerSpec, AnswerState, AnswerType, Assessment, Choice, RulePack
from checklist.normalize import _normalize, normalize_answer
from checklist.normalize.meaning import rate_from_named_counts
from checklist.rulepack import load_pack
from checklist.text import Text
from checklist.workbook import Sheet, Workbook
from tests.properties import examples

PEOPLE = AnswerSpec(AnswerType.count, unit="人")
TIMES = AnswerSpec(AnswerType.count, unit="次")
ITEMS = AnswerSpec(AnswerType.count, unit="项")
THINGS = AnswerSpec(AnswerType.count, unit="个")
PER_HEAD = AnswerSpec(AnswerType.number, unit="人")
RATE = AnswerSpec(AnswerType.percent)
RATIO = AnswerSpec(AnswerType.ratio, numerator="A", denominator="B")


@pytest.mark.parametrize(
    ("raw", "spec", "indicator", "value", "code"),
    [
        # A part (其中, 含) is inside its whole: the whole is the answer, never the sum.
        ("会员40人，其中女会员15人", PEOPLE, "工会会员人数", 40, "part_of_whole"),
        ("会员40人，其中女会员15人", PEOPLE, "会员总数", 40, "part_of_whole"),
        ("委员7名（含兼职3名）", PEOPLE, "工会委员人数", 7, "part_of_whole"),
        # … unless the part is what the rule asks (35岁以下 are 青年).
        ("志愿者30人，其中35周岁以下22人", PEOPLE, "青年志愿者人数", 22, "part_of_whole"),
        ("职工80人，其中女职工35人", PEOPLE, "女职工人数", 35, "part_of_whole"),
        # Examples in the rule's brackets do not make a part what it asks.
        ("办实事6件，其中送温暖2件", ITEMS, "办实事项数（送温暖、走访等）", 6, "part_of_whole"),
        # "How many have not": the part that has not, or the rest of the whole.
        ("委员6人，其中4人参加培训", PEOPLE, "未参加培训的委员人数", 2, "part_of_whole"),
        ("委员6人，其中1人未参加培训", PEOPLE, "未参加培训的委员人数", 1, "part_of_whole"),
        ("在岗52人已全部入会", PEOPLE, "工会会员人数", 52, "number_in_text"),
        ("在岗52人已全部入会", RATIO, "职工入会率", 100, "all_of_them"),
        # A whole said to be made of its parts adds them up.
        ("委员会由主任1名、副主任1名、委员5名组成", PEOPLE, "委员会人数", 7, "sum_of_parts"),
        # Each person's number for a rule that asks per person.
        ("驻村干部4人，每人联系群众30名", PER_HEAD, "干部人均联系群众数", 30, "per_person"),
        # All events of the kind the rule counts add up.
        ("召开委员会议3次、会员大会1次", TIMES, "工会年内召开会议次数", 4, "sum_of_parts"),
        ("开展读书会2次、亲子活动3场", TIMES, "年内开展活动次数", 5, "sum_of_parts"),
        ("岗位练兵4次，技术比武2场", TIMES, "岗位练兵、技术比武次数", 6, "sum_of_parts"),
        # Meetings named by their dates, with no count written: one a date.
        ("3月8日、7月2日、11月15日召开", TIMES, "联席会议召开次数", 3, "meetings_by_date"),
        ("分别于2024年4月、10月召开委员会", TIMES, "委员会召开次数", 2, "meetings_by_date"),
        # Items listed: the ones met, or for a 缺项数 rule the ones not met.
        ("有牌子、有场地、有制度，经费尚未到位", ITEMS, "站点“五有”达标项数", 3, "items_counted"),
        ("缺少会议记录、活动照片", ITEMS, "工作台账缺项数", 2, "items_counted"),
        ("“职工夜校”项目运行良好", THINGS, "特色品牌（创新项目）个数", 1, "items_counted"),
        # Everything met against a standard of N items is N; nothing missing is 0.
        ("“五有”均已达标", ITEMS, "站点“五有”达标项数", 5, "all_of_them"),
        ("台账齐全", ITEMS, "台账缺项数", 0, "all_of_them"),
        # A rate from a whole and its part.
        ("代表60名，其中女性21名", RATE, "女性代表占比", 35, "rate_from_counts"),
        ("40名会员中已有38人参加体检", RATIO, "会员体检率", 95, "rate_from_counts"),
        ("团员20人，其中5人未报到", RATIO, "团员报到率", 75, "rate_from_counts"),
        ("应到会员代表40人，实到38人", RATE, "会员代表到会率", 95, "rate_from_counts"),
    ],
)
def test_sentences_read_by_meaning(
    raw: str, spec: AnswerSpec, indicator: str, value: object, code: str
) -> None:
    got = normalize_answer(raw, spec, indicator)
    assert (got.state, got.value) == (AnswerState.given, value), got.notes
    assert code in {n.code for n in got.notes}, got.notes


@pytest.mark.parametrize(
    ("raw", "spec", "indicator"),
    [
        # Another kind of thing than the rule counts: visits for items, households for events.
        ("慰问困难职工25人次", ITEMS, "为职工办实事项数"),
        ("评出五好家庭8户", TIMES, "家庭文明活动次数"),
        # Each of two months once: more than the 1 written, not guessed.
        ("4月、9月各召开1次", TIMES, "联席会议召开次数"),
        # A rate of completion is no yes.
        ("完成率60%", AnswerSpec(AnswerType.yesno), "是否足额拨缴工会经费"),
        # A part with no whole to be part of, or more than the whole: no rate.
        ("其中女性16名", RATE, "女性代表占比"),
        ("代表10名，其中女性16名", RATE, "女性代表占比"),
    ],
)
def test_meaning_is_not_guessed_without_grounds(raw: str, spec: AnswerSpec, indicator: str) -> None:
    got = normalize_answer(raw, spec, indicator)
    assert got.state is AnswerState.missing, got.notes


def test_events_of_another_kind_are_not_added() -> None:
    got = normalize_answer("召开职代会1次、趣味运动会2次", TIMES, "职代会召开次数")
    assert got.value == 1
    assert "sum_of_parts" not in {n.code for n in got.notes}


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("职工50人，联系电话0512-66881234", 50),
        ("职工50人，联系电话13912345678", 50),
        ("职工50人（见区总工会〔2024〕12号文）", 50),
        ("2023年5月选举产生，职工50人", 50),
    ],
)
def test_dates_document_and_phone_numbers_are_no_counts(raw: str, value: int) -> None:
    got = normalize_answer(raw, PEOPLE, "职工人数")
    assert got.value == value, got.notes


# --- properties ---------------------------------------------------------------------

_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_CN = "零一二三四五六七八九"


def _chinese(n: int) -> str:
    """1..99 as written in Chinese numerals (十二, 三十, 四十五)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN[tens] + "十")
    return head + (_CN[ones] if ones or not tens else "")


@settings(max_examples=examples(200), deadline=None)
@given(
    whole=st.integers(min_value=1, max_value=99),
    part=st.integers(min_value=0, max_value=99),
    writing=st.sampled_from(["ascii", "full", "chinese"]),
)
def test_digits_read_the_same_however_written(whole: int, part: int, writing: str) -> None:
    def written(n: int) -> str:
        if writing == "full":
            return str(n).translate(_FULL_WIDTH)
        return _chinese(n) if writing == "chinese" and n else str(n)

    raw = f"在册会员{written(whole)}人，其中女会员{written(part)}人"
    ascii_raw = f"在册会员{whole}人，其中女会员{part}人"
    got, want = (
        normalize_answer(raw, PEOPLE, "会员人数"),
        normalize_answer(ascii_raw, PEOPLE, "会员人数"),
    )
    assert (got.state, got.value) == (want.state, want.value) == (AnswerState.given, whole)
    rate = normalize_answer(raw, RATE, "女会员占比")
    if part <= whole:
        assert rate.value == pytest.approx(part / whole * 100, abs=0.051)


@settings(max_examples=examples(200), deadline=None)
@given(
    year=st.integers(min_value=2000, max_value=2030),
    month=st.integers(min_value=1, max_value=12),
    day=st.integers(min_value=1, max_value=28),
    serial=st.integers(min_value=1, max_value=999),
    digits=st.from_regex(r"[1-9][0-9]{7,11}", fullmatch=True),
    shape=st.sampled_from(
        [
            "{year}年{month}月{day}日",
            "{year}年{month}月",
            "{year}.{month}.{day}",
            "区总工会〔{year}〕{serial}号",
            "工法证字第{digits}号",
            "第{serial}号",
            "电话0512-{digits8}",
            "联系电话13{digits9}",
        ]
    ),
    spec=st.sampled_from([PEOPLE, TIMES, ITEMS]),
)
def test_a_date_or_document_number_never_becomes_a_count(
    year: int, month: int, day: int, serial: int, digits: str, shape: str, spec: AnswerSpec
) -> None:
    raw = shape.format(
        year=year,
        month=month,
        day=day,
        serial=serial,
        digits=digits,
        digits8=digits[:8].ljust(8, "1"),
        digits9=digits[:9].ljust(9, "1"),
    )
    got = normalize_answer(raw, spec, "年内召开会议次数，会员人数，台账项数")
    assert got.state is AnswerState.missing, (raw, got.value, got.notes)


_SENTENCES = st.sampled_from(
    [
        ("会员{a}人，其中女会员{b}人", PEOPLE, "会员人数"),
        ("召开委员会议{a}次、会员大会{b}次", TIMES, "工会年内召开会议次数"),
        ("代表{a}名，其中女性{b}名", RATE, "女性代表占比"),
        ("委员{a}人，其中{b}人未参加培训", PEOPLE, "未参加培训的委员人数"),
    ]
)
_ASIDES = st.sampled_from(
    [
        "，联系电话0512-6688{n:04d}",
        "，联系人手机139{n:08d}",
        "（见区总工会〔2024〕{n}号文）",
        "，证书编号工法证字第4403{n:06d}号",
        "，2024年{m}月{d}日填报",
    ]
)


@settings(max_examples=examples(200), deadline=None)
@given(
    sentence=_SENTENCES,
    a=st.integers(min_value=1, max_value=60),
    b=st.integers(min_value=0, max_value=60),
    aside=_ASIDES,
    n=st.integers(min_value=1, max_value=9999),
    m=st.integers(min_value=1, max_value=12),
    d=st.integers(min_value=1, max_value=28),
    full_width=st.booleans(),
)
def test_an_aside_with_dates_or_numbers_never_changes_the_reading(
    sentence: tuple[str, AnswerSpec, str],
    a: int,
    b: int,
    aside: str,
    n: int,
    m: int,
    d: int,
    full_width: bool,
) -> None:
    shape, spec, indicator = sentence
    plain = shape.format(a=max(a, b), b=min(a, b))
    noisy = plain + aside.format(n=n, m=m, d=d)
    if full_width:
        noisy = noisy.translate(_FULL_WIDTH)
    want = normalize_answer(plain, spec, indicator)
    got = normalize_answer(noisy, spec, indicator)
    assert want.state is AnswerState.given
    assert (got.state, got.value) == (want.state, want.value), (noisy, got.notes)


# --- in a form: every guess is a note naming its cell --------------------------------


@pytest.fixture(scope="module")
def pack() -> RulePack:
    return load_pack("grassroots")


def _read(pack: RulePack, *rows: tuple[object, ...]) -> Assessment:
    sheet = Sheet("Sheet1", tuple(tuple(r) for r in rows))  # type: ignore[arg-type]
    return assessment_from_workbook(Workbook("form.xlsx", "xlsx", (sheet,)), pack)


def test_readings_by_meaning_in_a_form_note_their_cells(pack: RulePack) -> None:
    assessment = _read(
        pack,
        ("序号", "考核要求", "完成情况"),
        (1, "团员总数", "在册团员26人，其中流动团员9人"),
        (2, "团员“智慧团建”在线报到率", "26名团员中已有13人报到"),
        (3, "妇联执委会年内召开会议次数", "召开执委会议2次、妇女议事会1次"),
    )
    answers = assessment.answers
    assert answers["COV-08"].value == 26
    assert answers["INNO-04"].value == 50
    assert answers["LIFE-11"].value == 3
    cells = {(n.code, n.cell, n.rule_id) for n in assessment.notes}
    assert {
        ("part_of_whole", "C2", "COV-08"),
        ("rate_from_counts", "C3", "INNO-04"),
        ("sum_of_parts", "C4", "LIFE-11"),
    } <= cells


# --- yes/no and choices stated in sentences -------------------------------------------

YESNO = AnswerSpec(AnswerType.yesno)


@pytest.mark.parametrize(
    ("raw", "indicator", "value", "code"),
    [
        # A dated event is done.
        ("2022年9月当选", "是否配备专职工会主席", True, "yes_with_text"),
        ("2020年11月完成换届", "是否按期换届", True, "yes_with_text"),
        # A certificate or document number is the proof that it was done.
        ("工法证字第440300009876号", "工会是否取得法人资格", True, "yes_with_text"),
        ("见镇总工会〔2024〕7号批复", "是否经上级工会批准成立", True, "yes_with_text"),
        # An amount paid for "paid in full".
        ("委托税务代收，全年拨缴12.5万元", "是否足额拨缴工会经费", True, "yes_with_text"),
        # The quality asked for, named in the answer.
        ("王芳（专职）", "是否配备专职工会主席", True, "restates_indicator"),
        ("张华（兼职）", "是否配备专职工会主席", False, "opposite_word"),
    ],
)
def test_yes_no_stated_in_sentences(raw: str, indicator: str, value: object, code: str) -> None:
    got = normalize_answer(raw, YESNO, indicator)
    assert (got.state, got.value) == (AnswerState.given, value), got.notes
    assert code in {n.code for n in got.notes}


@pytest.mark.parametrize("raw", ["计划2025年换届", "拟于明年办理法人证", "尚未拨缴", "无专职主席"])
def test_undone_events_are_no_yes(raw: str) -> None:
    got = normalize_answer(
        raw, YESNO, "是否按期换届，是否取得法人资格，是否足额拨缴工会经费，是否配备专职工会主席"
    )
    assert got.value is not True


LEVELS = AnswerSpec(
    AnswerType.choice,
    choices=(
        Choice("top", Text("省级及以上", "Province or higher"), 1.0, ("省级", "国家级")),
        Choice("city", Text("设区市级", "City"), 0.5, ("市级",)),
        Choice("county", Text("县（市、区）级", "County"), 0.25, ("县级", "区级")),
        Choice("none", Text("未获表彰", "None"), 0.0, ("无",)),
    ),
)
HOW_OFTEN = AnswerSpec(
    AnswerType.choice,
    choices=(
        Choice("monthly", Text("每月至少一次", "Monthly"), 1.0, ("每月", "每周")),
        Choice("quarterly", Text("每季度", "Quarterly"), 0.5, ("季度",)),
        Choice("rarely", Text("偶尔", "Rarely"), 0.2),
    ),
)


@pytest.mark.parametrize(
    ("raw", "spec", "value"),
    [
        ("获县总工会“工人先锋号”称号", LEVELS, "county"),
        ("获区级表彰、市妇联“巾帼文明岗”", LEVELS, "city"),  # the highest named
        ("获全国模范职工之家", LEVELS, "top"),
        ("群里按季度发布通知", HOW_OFTEN, "quarterly"),
        ("公众号每周推送3篇", HOW_OFTEN, "monthly"),  # at least monthly
    ],
)
def test_a_choice_stated_in_a_sentence(raw: str, spec: AnswerSpec, value: str) -> None:
    got = normalize_answer(raw, spec, "")
    assert (got.state, got.value) == (AnswerState.given, value), got.notes
    assert "choice_in_text" in {n.code for n in got.notes}


@pytest.mark.parametrize("raw", ["社区妇联获表彰", "每年更新一次", "区级表彰未获得"])
def test_a_sentence_naming_no_choice_is_not_guessed(raw: str) -> None:
    spec = HOW_OFTEN if "更新" in raw else LEVELS
    got = normalize_answer(raw, spec, "")
    assert "choice_in_text" not in {n.code for n in got.notes}


def test_the_forms_scoring_rules_are_never_answers(pack: RulePack) -> None:
    # 备注 holds what units did on most rows (so it is read as the answers), but
    # a few rows carry the form's own scoring rule there.
    assessment = _read(
        pack,
        ("序号", "考核内容", "分值", "自评分", "备注"),
        (1, "工会经费按规定足额拨缴", 5, 5, "已足额拨缴"),
        (2, "群团工作纳入党建目标考核", 3, 3, "已纳入"),
        (3, "群团工作或品牌获上级表彰", 5, 3, "获区、市、省级表彰分别加2、4、6分"),
        (4, "工会委员会每季度召开1次例会", 4, 3, "少1次扣1分"),
        (5, "工会经费单独设账、独立核算", 3, 0, "未单独建账不得分"),
        (6, "职工入会率", 5, 5, "入会率97%"),
    )
    answers = assessment.answers
    assert answers["INNO-10"].state is AnswerState.missing
    assert answers["LIFE-07"].state is AnswerState.missing
    # A yes/no with a self-score is still inferred from it, and says so.
    assert answers["FUND-02"].value is False
    assert answers["COV-03"].value == 97
    scoring = {n.cell for n in assessment.notes if n.code == "scoring_note"}
    assert scoring == {"E4", "E5", "E6"}
    assert "answer_from_self_score" in {
        n.code for n in assessment.notes if n.rule_id == "FUND-02" or n.cell == "D6"
    }


# --- headers: a 评分标准 column that holds the standards -------------------------------


def test_standards_under_a_criteria_header_beside_short_labels_are_the_indicators(
    pack: RulePack,
) -> None:
    assessment = _read(
        pack,
        ("项目", "评分标准", "分值", "完成情况"),
        ("经费", "工会经费按规定足额拨缴", 5, "已足额拨缴"),
        ("入会", "职工入会率达到90%以上", 5, "入会率95%"),
        ("会议", "工会委员会每季度召开1次会议", 5, "全年召开4次"),
        ("阵地", "建有职工之家等活动阵地", 5, "已建成职工之家"),
    )
    answers = assessment.answers
    assert answers["FUND-01"].value is True
    assert answers["COV-03"].value == 95
    assert answers["LIFE-07"].value == 4
    moved = [n.cell for n in assessment.notes if n.code == "columns_from_content"]
    assert moved == ["B1"]


def test_a_criteria_column_that_scores_stays_the_criteria(pack: RulePack) -> None:
    assessment = _read(
        pack,
        ("考核内容", "评分标准", "分值", "完成情况"),
        ("工会经费按规定足额拨缴", "未足额拨缴扣3分", 5, "已足额拨缴"),
        ("职工入会率达到90%以上", "低于90%不得分", 5, "入会率95%"),
        ("工会委员会每季度召开1次会议", "少1次扣1分", 5, "全年召开4次"),
    )
    assert assessment.answers["COV-03"].value == 95
    assert "columns_from_content" not in {n.code for n in assessment.notes}


@pytest.mark.parametrize(
    ("answer", "value"),
    [
        ("在岗职工80人，工会会员76人", 95),
        ("工会会员76人，在岗职工80人", 95),
        # 职工 is in both rules' wordings (入会职工人数): the workers cannot be told.
        ("职工80人，会员76人", None),
        # Those new this year are no stock to divide.
        ("在岗职工80人，新入会会员4人", None),
    ],
)
def test_a_ratio_from_the_counts_it_divides(pack: RulePack, answer: str, value: object) -> None:
    assessment = _read(pack, ("序号", "考核要求", "完成情况"), (1, "职工入会率达到90%以上", answer))
    read = assessment.answers["COV-03"]
    assert read.value == value
    if value is not None:
        notes = [n.code for n in assessment.notes if n.cell == "C2"]
        assert "rate_from_counts" in notes


@pytest.mark.parametrize("label", ["填表单位", "报送单位", "参评单位"])
def test_unit_lines_with_other_labels(pack: RulePack, label: str) -> None:
    assessment = _read(
        pack,
        ("二〇二四年度基层工会考核表",),
        (f"{label}：石桥镇总工会", None, "填表日期：2025年1月10日"),
        ("序号", "考核要求", "完成情况"),
        (1, "工会经费按规定足额拨缴", "是"),
    )
    unit = assessment.unit
    assert (unit.name, unit.year, unit.type) == ("石桥镇总工会", 2024, "town")


_BODY = (
    ("工会经费按规定足额拨缴", 5, "已足额拨缴", 5),
    ("群团工作纳入党建目标考核", 3, "已纳入", 2),
    ("职工入会率达到90%以上", 5, "入会率96%", 5),
    ("工会委员会每季度召开1次会议", 4, "全年召开4次", 4),
)


@pytest.mark.parametrize(
    "header",
    [
        # One word for the indicator that no synonym knows, the others known.
        ("评价要点", "分数", "工作开展情况", "自评"),
        ("工作任务", "分值", "推进情况", "得分"),
        ("考评细则", "赋分", "完成情况及佐证", "单位自评"),
        ("任务清单", "分", "进展", "自评分"),
    ],
)
def test_one_unknown_header_word_does_not_cost_the_table(
    pack: RulePack, header: tuple[str, ...]
) -> None:
    rows = (("序号", *header), *((i + 1, *body) for i, body in enumerate(_BODY)))
    assessment = _read(pack, *rows)
    answers = assessment.answers
    assert (answers["FUND-01"].value, answers["COV-03"].value, answers["LIFE-07"].value) == (
        True,
        96,
        4,
    )
    assert answers["LEAD-02"].claimed == 2
    assert [n.cell for n in assessment.notes if n.code == "columns_from_content"] == ["B1"]


def test_a_survey_of_several_units_is_no_table_told_by_content(pack: RulePack) -> None:
    rows = (
        ("企业名称", "职工人数", "是否建立工会", "会员人数", "团员人数"),
        ("恒达精密机械有限公司", 186, "是", 180, "14人"),
        ("新宇电子科技有限公司", 95, "否", 0, "3人"),
        ("江南纺织有限公司", 240, "是", 230, "20人"),
        ("宏图物流有限公司", 45, "是", 40, "2人"),
    )
    with pytest.raises(ChecklistError) as caught:
        _read(pack, *rows)
    assert caught.value.code == "survey"


@pytest.mark.parametrize(
    "header",
    [
        ("考核内容", "分值", "推进情况", "自评分"),
        ("考核内容", "分值", "做法与成效", "得分"),
        ("考核内容", "标准分", "落实举措", "自查得分"),
        # 自评 over numbers is the self-score; the text beside it the answers.
        ("考核内容", "分值", "举措及成效", "自评"),
    ],
)
def test_an_answer_column_with_an_unknown_word_is_told_by_content(
    pack: RulePack, header: tuple[str, ...]
) -> None:
    rows = (("序号", *header), *((i + 1, *body) for i, body in enumerate(_BODY)))
    assessment = _read(pack, *rows)
    answers = assessment.answers
    assert (answers["COV-03"].value, answers["LIFE-07"].value) == (96, 4)
    assert answers["LEAD-02"].claimed == 2
    assert "D1" in [n.cell for n in assessment.notes if n.code == "columns_from_content"]


def test_a_column_of_repeated_methods_is_no_answer_column(pack: RulePack) -> None:
    rows = (
        ("序号", "考核内容", "分值", "考核方式", "自评分"),
        (1, "工会经费按规定足额拨缴", 5, "查阅资料", 5),
        (2, "群团工作纳入党建目标考核", 3, "查阅资料", 2),
        (3, "职工入会率达到90%以上", 5, "实地查看", 5),
        (4, "工会委员会每季度召开1次会议", 4, "查阅资料", 4),
    )
    assessment = _read(pack, *rows)
    assert assessment.answers["COV-03"].state is AnswerState.missing
    assert assessment.answers["FUND-01"].value is True  # from the self-score


@pytest.mark.parametrize("points_word", ["权重", "赋分", "基础分"])
def test_a_points_column_with_an_unknown_word_is_told_by_its_numbers(
    pack: RulePack, points_word: str
) -> None:
    rows = (
        ("序号", "考核内容", points_word, "自评分"),
        (1, "工会经费按规定足额拨缴", 5, 5),
        (2, "群团工作纳入党建目标考核", 3, 2),
        (3, "工会经费单独设账、独立核算", 4, 0),
    )
    assessment = _read(pack, *rows)
    answers = assessment.answers
    assert (answers["FUND-01"].value, answers["LEAD-02"].value, answers["FUND-02"].value) == (
        True,
        "partial",
        False,
    )
    assert "C1" in [n.cell for n in assessment.notes if n.code == "columns_from_content"]


_MEANING_ALPHABET = st.sampled_from(
    [
        *"0123456789，、（）“”：%人名次个项户年月日号第届",
        "其中",
        "由",
        "组成",
        "应到",
        "实到",
        "每人",
        "人均",
        "均已",
        "全部",
        "未",
        "召开",
        "有场所",
        "齐全",
        "〔2024〕",
        "0512-66881234",
        "区妇联",
        "按季度",
    ]
)


@settings(max_examples=examples(300), deadline=None)
@given(
    parts=st.lists(_MEANING_ALPHABET, max_size=14),
    spec=st.sampled_from([PEOPLE, TIMES, ITEMS, THINGS, PER_HEAD, RATE, RATIO, YESNO, LEVELS]),
    indicator=st.sampled_from(
        [
            "",
            "会员总数",
            "未参加培训的人数",
            "“六有”达标项数",
            "人均联系人数",
            "会议次数",
            "女性占比",
        ]
    ),
)
def test_reading_by_meaning_never_raises_and_every_reading_is_noted(
    parts: list[str], spec: AnswerSpec, indicator: str
) -> None:
    raw = "".join(parts)
    # _normalize and rate_from_named_counts run without normalize_answer's
    # last-resort guard: this proves the readers by meaning never raise.
    got = _normalize(raw, spec, indicator)
    rate_from_named_counts(raw, "会员人数", "职工人数")
    assert (got.value is None) == (got.state is not AnswerState.given)
    if got.state is AnswerState.missing and raw.strip():
        assert [n.code for n in got.notes] == ["unreadable"]
    for note in got.notes:
        assert note.message.zh and note.message.en


def test_a_row_asking_about_the_failure_reads_the_answer_the_other_way(pack: RulePack) -> None:
    assessment = _read(
        pack,
        ("序号", "考核要求", "完成情况"),
        (1, "群团年度计划活动被其他工作挤占", "未发生"),
        (2, "工会经费按规定足额拨缴", "是"),
    )
    assert assessment.answers["LEAD-12"].value is True
    assert assessment.answers["FUND-01"].value is True
    inverted = [(n.cell, n.rule_id) for n in assessment.notes if n.code == "question_inverted"]
    assert inverted == [("C2", "LEAD-12")]


def test_a_column_of_checking_methods_is_no_answer_column(pack: RulePack) -> None:
    rows = (
        ("序号", "考核内容", "分值", "检查方式", "自评分"),
        (1, "工会经费按规定足额拨缴", 5, "查阅财务凭证", 5),
        (2, "群团工作纳入党建目标考核", 3, "查看考核文件", 2),
        (3, "工会经费单独设账、独立核算", 4, "查阅账簿", 0),
        (4, "工会委员会每季度召开1次会议", 4, "查看会议记录", 4),
    )
    assessment = _read(pack, *rows)
    answers = assessment.answers
    # The yes/no answers still come from the self-score against the points.
    assert (answers["FUND-01"].value, answers["LEAD-02"].value, answers["FUND-02"].value) == (
        True,
        "partial",
        False,
    )
    assert answers["LIFE-07"].state is AnswerState.missing
