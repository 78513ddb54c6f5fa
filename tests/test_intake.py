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
from checklist.workbook import Sheet, Workbook
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
        ("LIFE-01", "去年年底"),  # date
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
    rule = pack.rule("LIFE-01")
    workbook = Workbook(
        "x.xlsx",
        "xlsx",
        (
            _grid(
                ("编号", "指标", "自评填报"),
                ("LIFE-01", rule.indicator.zh, dt.datetime(2022, 5, 1)),
            ),
        ),
    )
    assert assessment_from_workbook(workbook, pack).answers["LIFE-01"].value == dt.date(2022, 5, 1)


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
    assert assessment.answers["LEAD-02"].state is AnswerState.missing
    assert assessment.answers["LEAD-02"].claimed == 3
    assert [n.cell for n in assessment.notes if n.code == "no_answer_column"] == ["D1"]
