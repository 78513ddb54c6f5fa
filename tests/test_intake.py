"""Intake: template files, retyped and mangled forms, unit details, unreadable answers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from checklist.errors import ChecklistError
from checklist.intake import assessment_from_workbook, read_assessment
from checklist.model import AnswerState, Assessment, Result, RulePack, Status
from checklist.rulepack import load_pack
from checklist.scoring import score
from checklist.template import write_template
from checklist.workbook import MergedRange, Sheet, Workbook
from tests.forms import MANGLED, Form, clean_form, sample_answers


@pytest.fixture(scope="module")
def pack() -> RulePack:
    return load_pack("grassroots")


@pytest.fixture(scope="module")
def village(pack: RulePack) -> Form:
    return Form("东林村", "村", 2024, "城厢镇", sample_answers(pack, "village"))


@pytest.fixture(scope="module")
def enterprise(pack: RulePack) -> Form:
    return Form(
        "太仓市华东精密机械有限公司",
        "非公企业",
        2023,
        "城厢镇",
        sample_answers(pack, "enterprise", seed=3),
    )


def _scored(path: Path, pack: RulePack) -> tuple[Assessment, Result]:
    assessment = read_assessment(path, pack)
    return assessment, score(assessment, pack)


def _signature(result: Result) -> list[tuple[str, str, float]]:
    return [(r.rule_id, r.status.value, r.earned) for r in result.rules]


def fill_template(pack: RulePack, form: Form, unit_type: str | None, path: Path) -> Path:
    """The real template, filled in the way a unit would, with openpyxl."""
    blank = write_template(pack, path.with_name("blank-" + path.name), "zh", unit_type)
    book = openpyxl.load_workbook(blank)
    info = book["单位信息"]
    values = {
        "单位名称": form.name,
        "单位类型": form.unit_type_zh,
        "所属镇（街道）": form.town,
        "年度": form.year,
    }
    for row in info.iter_rows(min_col=1, max_col=2):
        if row[0].value in values:
            row[1].value = values[row[0].value]
    sheet = book["自评表"]
    for row in sheet.iter_rows(min_row=2):
        filled = form.answers.get(str(row[0].value))
        if filled is None:
            continue
        row[4].value = filled.answer
        row[5].value = filled.evidence or None
        row[6].value = filled.claimed
    book.save(path)
    return path


# --- metamorphic: every shape scores like the clean file ------------------------------


@pytest.mark.parametrize("shape", sorted(MANGLED))
@pytest.mark.parametrize("who", ["village", "enterprise"])
def test_mangled_forms_score_like_the_clean_file(
    shape: str, who: str, pack: RulePack, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    form: Form = request.getfixturevalue(who)
    _, clean = _scored(clean_form(pack, form, tmp_path / "clean.xlsx"), pack)
    mangled_path = MANGLED[shape](pack, form, tmp_path / f"{shape}.xlsx")
    assessment, mangled = _scored(mangled_path, pack)

    assert not assessment.unmatched, assessment.unmatched
    assert _signature(mangled) == _signature(clean)
    assert mangled.score == clean.score
    assert mangled.unit.type == clean.unit.type
    assert mangled.unit.year == form.year


def test_filled_template_scores_like_the_clean_file(
    pack: RulePack, village: Form, tmp_path: Path
) -> None:
    _, clean = _scored(clean_form(pack, village, tmp_path / "clean.xlsx"), pack)
    assessment, filled = _scored(
        fill_template(pack, village, "village", tmp_path / "filled.xlsx"), pack
    )
    assert _signature(filled) == [
        s for s in _signature(clean) if s[0] in {r.rule_id for r in filled.rules}
    ]
    assert filled.score == clean.score
    assert filled.unit.name == "东林村" and filled.unit.town == "城厢镇"
    assert all(a.match_method == "id" for a in assessment.answers.values())
    assert not [n for n in assessment.notes if n.level.value != "info"]


def test_answers_keep_their_cell(pack: RulePack, village: Form, tmp_path: Path) -> None:
    assessment, _ = _scored(clean_form(pack, village, tmp_path / "clean.xlsx"), pack)
    first = pack.rules[0]
    assert assessment.answers[first.id].cell == "自评表!E2"


# --- rows that do not belong -----------------------------------------------------------


def test_unknown_rows_are_reported_never_forced(
    pack: RulePack, village: Form, tmp_path: Path
) -> None:
    path = clean_form(pack, village, tmp_path / "extra.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["自评表"]
    sheet.append(
        [None, "特色工作", "组织村民广场舞比赛并获得镇级一等奖", None, "是", None, 2, None]
    )
    sheet.append([None, "其他", "食堂卫生检查合格率", None, "100%", None, None, None])
    book.save(path)
    assessment, result = _scored(path, pack)
    texts = [u.text for u in assessment.unmatched]
    assert texts == ["组织村民广场舞比赛并获得镇级一等奖", "食堂卫生检查合格率"]
    assert all(u.row > 1 for u in assessment.unmatched)
    assert sum(1 for n in assessment.notes if n.code == "unmatched_row") == 2
    assert _signature(result) == _signature(
        _scored(clean_form(pack, village, tmp_path / "c.xlsx"), pack)[1]
    )


def test_edited_indicator_text_is_a_warning(pack: RulePack, village: Form, tmp_path: Path) -> None:
    path = clean_form(pack, village, tmp_path / "edited.xlsx")
    book = openpyxl.load_workbook(path)
    book["自评表"]["C3"] = "我村党组织研究工作的情况"
    book.save(path)
    assessment, _ = _scored(path, pack)
    edited = [n for n in assessment.notes if n.code == "indicator_edited"]
    assert len(edited) == 1 and edited[0].rule_id == pack.rules[1].id and edited[0].cell == "C3"


def test_a_workbook_without_a_table_is_refused(tmp_path: Path, pack: RulePack) -> None:
    book = openpyxl.Workbook()
    book.active.append(["会议记录", "2024年3月"])  # type: ignore[union-attr]
    path = tmp_path / "notes.xlsx"
    book.save(path)
    with pytest.raises(ChecklistError) as caught:
        read_assessment(path, pack)
    assert caught.value.code == "no_table"
    assert "notes.xlsx" in caught.value.render("en")


# --- unit details --------------------------------------------------------------------


def _grid(*rows: tuple[object, ...], name: str = "Sheet1") -> Sheet:
    return Sheet(name, tuple(tuple(r) for r in rows))  # type: ignore[arg-type]


TABLE = (
    ("编号", "指标", "自评填报"),
    ("LEAD-02", "群团工作是否纳入党建目标考核并与评先评优挂钩", "是"),
)


@pytest.mark.parametrize(
    ("above", "source", "expected"),
    [
        (
            (("单位名称", "东林村"), ("单位类型", "行政村"), ("年度", "2024年")),
            "x.xlsx",
            ("东林村", "village", 2024),
        ),
        (
            (("单位名称", None, "年度"), ("西园社区", None, "2023年度")),
            "x.xlsx",
            ("西园社区", "community", 2023),
        ),
        (
            (("单位：太仓港华能纸业有限公司（盖章）",), ("2022年度群团工作自评表",)),
            "x.xlsx",
            ("太仓港华能纸业有限公司", "enterprise", 2022),
        ),
        (
            (("填报单位：城厢镇第一中学  年度：二〇二四年",),),
            "x.xlsx",
            ("城厢镇第一中学", "school", 2024),
        ),
        ((), "东林村2021年自评表.xlsx", ("东林村", "village", 2021)),
        (
            (("單位名稱", "東林村"), ("單位類型", "村委會")),
            "x-2020.xlsx",
            ("東林村", "village", 2020),
        ),
        # A label carrying the stamp instruction; the year from the title, not
        # from the filing date in January of the next year.
        (
            (
                ("2024年度村（社区）基层群团组织建设自评表",),
                ("填报单位（盖章）：沙溪镇涂松村村民委员会",),
                ("填报日期：2025年1月6日",),
            ),
            "x.xlsx",
            ("沙溪镇涂松村村民委员会", "village", 2024),
        ),
        # English labels with spaces, inline.
        (
            (
                ("Unit name: Suzhou Bright Precision Co., Ltd.",),
                ("Unit type: Private enterprise", "Year: 2024"),
            ),
            "x.xlsx",
            ("Suzhou Bright Precision Co., Ltd.", "enterprise", 2024),
        ),
        # Named only in the title; a file name that names nothing.
        ((("东林村2024年度群团工作自评表",),), "附件1.xlsx", ("东林村", "village", 2024)),
        # The body after the unit's name does not hide its type.
        (
            (("单位名称：太仓市第一人民医院工会 年度：2024",),),
            "x.xlsx",
            ("太仓市第一人民医院工会", "institution", 2024),
        ),
        (
            (("团组织名称：共青团东林村支部委员会",), ("2023年度",)),
            "x.xlsx",
            ("共青团东林村支部委员会", "village", 2023),
        ),
        # Only a date: its year, with a warning.
        (
            (("单位名称：城厢镇第一中学", "验收时间：2024年11月"),),
            "x.xlsx",
            ("城厢镇第一中学", "school", 2024),
        ),
    ],
)
def test_unit_details_are_found_wherever_they_are(
    above: tuple[tuple[object, ...], ...],
    source: str,
    expected: tuple[str, str, int],
    pack: RulePack,
) -> None:
    workbook = Workbook(source, "xlsx", (_grid(*above, *TABLE),))
    unit = assessment_from_workbook(workbook, pack).unit
    assert (unit.name, unit.type, unit.year) == expected


def test_unknown_unit_type_is_a_note(pack: RulePack) -> None:
    workbook = Workbook(
        "x.xlsx",
        "xlsx",
        (_grid(("单位名称", "某某"), ("单位类型", "外星基地"), ("年度", 2024), *TABLE),),
    )
    assessment = assessment_from_workbook(workbook, pack)
    assert assessment.unit.type is None
    codes = {n.code for n in assessment.notes}
    assert {"unknown_unit_type", "unit_type_missing"} <= codes


# --- unreadable answers -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule_id", "typed"),
    [
        ("LEAD-01", "很多"),  # count
        ("LEAD-01", "-5"),
        ("LEAD-01", "详见台账"),
        ("LEAD-02", "也许吧"),  # yes/no
        ("LIFE-10", "去年年底"),  # date
        ("INNO-02", "看领导安排"),  # choice
    ],
)
def test_unreadable_answers_are_noted_and_missing(rule_id: str, typed: str, pack: RulePack) -> None:
    rule = pack.rule(rule_id)
    workbook = Workbook(
        "x.xlsx",
        "xlsx",
        (
            _grid(
                ("单位名称", "东林村"),
                ("年度", 2024),
                ("编号", "指标", "自评填报"),
                (rule_id, rule.indicator.zh, typed),
            ),
        ),
    )
    assessment = assessment_from_workbook(workbook, pack)
    answer = assessment.answers[rule_id]
    assert (
        answer.state is AnswerState.missing and answer.raw == typed and answer.cell == "Sheet1!C4"
    )
    notes = [n for n in assessment.notes if n.rule_id == rule_id]
    assert [n.code for n in notes] == ["unreadable"] and notes[0].cell == "C4"
    assert typed in notes[0].message.zh and typed in notes[0].message.en
    assert score(assessment, pack).rule(rule_id).status is Status.missing


def test_blank_answer_is_missing_not_no(pack: RulePack) -> None:
    workbook = Workbook(
        "x.xlsx",
        "xlsx",
        (
            _grid(
                ("编号", "指标", "自评填报"), ("LEAD-02", pack.rule("LEAD-02").indicator.zh, None)
            ),
        ),
    )
    assessment = assessment_from_workbook(workbook, pack)
    assert assessment.answers["LEAD-02"].state is AnswerState.missing
    assert not [n for n in assessment.notes if n.rule_id == "LEAD-02"]


def test_claimed_scores_in_words(pack: RulePack) -> None:
    rule = pack.rule("LEAD-02")
    rows = [("编号", "指标", "自评填报", "自评得分")]
    workbook = Workbook(
        "x.xlsx", "xlsx", (_grid(*rows, ("LEAD-02", rule.indicator.zh, "是", "满分")),)
    )
    assert assessment_from_workbook(workbook, pack).answers["LEAD-02"].claimed == rule.points
    workbook = Workbook(
        "x.xlsx", "xlsx", (_grid(*rows, ("LEAD-02", rule.indicator.zh, "是", "扣1分")),)
    )
    assert assessment_from_workbook(workbook, pack).answers["LEAD-02"].claimed == rule.points - 1


def test_dates_from_cells(pack: RulePack) -> None:
    rule = pack.rule("LIFE-10")
    workbook = Workbook(
        "x.xlsx",
        "xlsx",
        (
            _grid(
                ("编号", "指标", "自评填报"),
                ("LIFE-10", rule.indicator.zh, dt.datetime(2022, 5, 1)),
            ),
        ),
    )
    assert assessment_from_workbook(workbook, pack).answers["LIFE-10"].value == dt.date(2022, 5, 1)


def test_file_level_notes_reach_the_assessment(pack: RulePack, tmp_path: Path) -> None:
    rule = pack.rule("LEAD-02")
    path = tmp_path / "东林村2024.csv"
    path.write_bytes(f"编号,指标,自评填报\r\nLEAD-02,{rule.indicator.zh},是\r\n".encode("gb18030"))
    assessment = read_assessment(path, pack)
    assert assessment.answers["LEAD-02"].value is True
    assert [n.code for n in assessment.notes if n.code == "file"] == ["file"]


def test_a_form_with_only_self_scores_says_so(pack: RulePack) -> None:
    rule = pack.rule("LEAD-02")
    workbook = Workbook(
        "x.xlsx",
        "xlsx",
        (
            _grid(
                ("序号", "考核内容指标", "分值", "自评分", "考评分"),
                (1, rule.indicator.zh, 3, 3, None),
            ),
        ),
    )
    assessment = assessment_from_workbook(workbook, pack)
    # Full points for a yes/no standard: met, said in a note at the self-score.
    assert assessment.answers["LEAD-02"].value is True
    assert assessment.answers["LEAD-02"].claimed == 3
    assert [n.cell for n in assessment.notes if n.code == "no_answer_column"] == ["D1"]
    assert [n.cell for n in assessment.notes if n.code == "answer_from_self_score"] == ["D2"]


def test_a_year_taken_from_a_date_is_a_warning(pack: RulePack) -> None:
    workbook = Workbook(
        "x.xlsx", "xlsx", (_grid(("单位名称：东林村", "验收时间：2024年11月"), *TABLE),)
    )
    notes = [
        n for n in assessment_from_workbook(workbook, pack).notes if n.code == "year_from_date"
    ]
    assert [(n.level.value, n.cell) for n in notes] == [("warning", "B1")]


def test_a_file_name_that_names_nothing_gives_no_name(pack: RulePack) -> None:
    assessment = assessment_from_workbook(Workbook("附件1.xlsx", "xlsx", (_grid(*TABLE),)), pack)
    assert assessment.unit.name == ""
    assert "unit_name_missing" in {n.code for n in assessment.notes}


# --- lines that are not indicators ---------------------------------------------------------


def test_notes_sign_offs_and_examples_are_not_rows(pack: RulePack) -> None:
    rule = pack.rule("LEAD-02")
    workbook = Workbook(
        "x.xlsx",
        "xlsx",
        (
            _grid(
                ("序号", "考核内容", "自评情况"),
                ("填报说明：请填写实际数字或“是/否”。", None, None),
                ("例", "职工入会率", "95%"),
                (None, "示例：党组织研究群团工作次数", "2"),
                (1, rule.indicator.zh, "是"),
                ("验收组意见：同意。", "验收组意见：同意。", None),
                (None, "考核组成员（签字）：", None),
                (None, "填表人：王芳", None),
            ),
        ),
    )
    assessment = assessment_from_workbook(workbook, pack)
    assert list(assessment.answers) == ["LEAD-02"]
    assert not assessment.unmatched


def test_a_line_merged_across_the_table_is_not_a_row(pack: RulePack) -> None:
    note = "“自评情况”栏请填写实际数字或“是/否”，不涉及的填“不适用”。"
    sheet = Sheet(
        "Sheet1",
        (
            ("序号", "考核内容", "自评情况"),
            (note, note, note),
            (1, pack.rule("LEAD-02").indicator.zh, "是"),
        ),
        merged=(MergedRange(1, 0, 1, 2),),
    )
    assessment = assessment_from_workbook(Workbook("x.xlsx", "xlsx", (sheet,)), pack)
    assert list(assessment.answers) == ["LEAD-02"] and not assessment.unmatched


def test_an_indicator_merged_with_its_criterion_is_still_a_row(pack: RulePack) -> None:
    rule = pack.rule("LEAD-02")
    sheet = Sheet(
        "Sheet1",
        (
            ("序号", "考核内容指标", None, "分值", "自评分"),
            (1, rule.indicator.zh, rule.indicator.zh, 3, 3),
        ),
        merged=(MergedRange(0, 1, 0, 2), MergedRange(1, 1, 1, 2)),
    )
    assessment = assessment_from_workbook(Workbook("x.xlsx", "xlsx", (sheet,)), pack)
    assert assessment.answers["LEAD-02"].claimed == 3


# --- columns ---------------------------------------------------------------------------------


def test_answers_written_under_remarks_are_read(pack: RulePack) -> None:
    workbook = Workbook(
        "x.xlsx",
        "xlsx",
        (
            _grid(
                ("序号", "考核内容", "分值", "自评分", "备注"),
                (1, pack.rule("LEAD-02").indicator.zh, 3, 3, "已纳入"),
                (2, pack.rule("LEAD-01").indicator.zh, 3, 3, "全年研究4次"),
            ),
        ),
    )
    assessment = assessment_from_workbook(workbook, pack)
    assert assessment.answers["LEAD-02"].value is True
    assert assessment.answers["LEAD-01"].value == 4
    assert assessment.answers["LEAD-01"].cell == "Sheet1!E3"
    codes = [n.code for n in assessment.notes]
    assert "answers_from_remarks" in codes and "no_answer_column" not in codes


def test_scoring_notes_under_remarks_are_not_answers(pack: RulePack) -> None:
    workbook = Workbook(
        "x.xlsx",
        "xlsx",
        (
            _grid(
                ("序号", "考核内容指标", "分值", "注", "自评分"),
                (1, pack.rule("LEAD-01").indicator.zh, 3, "每少1次扣1.5分", 3),
                (2, pack.rule("LEAD-05").indicator.zh, 2, "未召开不得分", 2),
            ),
        ),
    )
    assessment = assessment_from_workbook(workbook, pack)
    assert all(a.state is AnswerState.missing for a in assessment.answers.values())
    assert "no_answer_column" in {n.code for n in assessment.notes}


def test_a_bare_score_column_is_the_self_score_when_there_is_no_other(pack: RulePack) -> None:
    rule = pack.rule("LEAD-02")
    workbook = Workbook(
        "x.xlsx",
        "xlsx",
        (
            _grid(
                ("项目", "考核内容", "标准分", "完成情况", "考核得分"),
                ("组织", rule.indicator.zh, 3, "是", 2),
            ),
        ),
    )
    assessment = assessment_from_workbook(workbook, pack)
    assert assessment.answers["LEAD-02"].claimed == 2
    assert [n.cell for n in assessment.notes if n.code == "score_column_as_claimed"] == ["E1"]


def test_a_summary_sheet_without_indicators_draws_no_answer_column_warning(
    pack: RulePack,
) -> None:
    rule = pack.rule("LEAD-02")
    workbook = Workbook(
        "x.xlsx",
        "xlsx",
        (
            _grid(
                ("编号", "指标", "自评填报"), ("LEAD-02", rule.indicator.zh, "是"), name="自评表"
            ),
            _grid(("序号", "项目", "分值", "自评分"), (1, "工会工作", 40, 36), name="汇总"),
        ),
    )
    assessment = assessment_from_workbook(workbook, pack)
    assert "no_answer_column" not in {n.code for n in assessment.notes}
    assert [u.text for u in assessment.unmatched] == ["工会工作"]


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("东林村2024年度群团工作自评表", "东林村"),
        ("城厢镇卫生院2024年度群团工作自查表", "城厢镇卫生院"),
        ("玉峰实验学校工会2024年度考核表", "玉峰实验学校工会"),
        # Titles for a kind of unit, or the issuing body's: no unit's name.
        ("沙溪镇2024年度村（社区）群团工作考核表", ""),
        ("2024年度村级群团工作自评表", ""),
        ("沙溪镇社区2024自评表", ""),
        ("2024年度昆山市基层教育工会工作考核自评表", ""),
    ],
)
def test_a_name_is_taken_from_a_title_only_when_it_names_a_unit(
    title: str, name: str, pack: RulePack
) -> None:
    workbook = Workbook("附件1.xlsx", "xlsx", (_grid((title,), *TABLE),))
    assert assessment_from_workbook(workbook, pack).unit.name == name


def test_no_remarks_down_the_column_are_not_answers(pack: RulePack) -> None:
    workbook = Workbook(
        "x.xlsx",
        "xlsx",
        (
            _grid(
                ("序号", "考核内容", "分值", "自评分", "备注"),
                (1, pack.rule("LEAD-02").indicator.zh, 3, 3, "无"),
                (2, pack.rule("COV-13").indicator.zh, 3, 3, "无"),
            ),
        ),
    )
    assessment = assessment_from_workbook(workbook, pack)
    # Nothing is read from 无: the yes/no row's answer comes from its self-score.
    assert assessment.answers["COV-13"].state is AnswerState.missing
    assert assessment.answers["LEAD-02"].raw == "是"
    assert assessment.answers["LEAD-02"].cell == "Sheet1!D2"
