"""Answer normalisation by example: each table row is what a unit wrote and what it must mean.

Rows are ``(raw, value, *note codes)``; the state follows from the value (None:
missing). N/A, blanks and unreadable answers have their own tables because
they hold for every answer type.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checklist.model import AnswerSpec, AnswerState, AnswerType, Choice, NoteLevel
from checklist.normalize import Normalized, normalize_answer, parse_year, raw_text
from checklist.text import Text
from checklist.workbook import CellValue
from tests.properties import examples

YESNO = AnswerSpec(AnswerType.yesno)
COUNT = AnswerSpec(AnswerType.count, unit="人")
NUMBER = AnswerSpec(AnswerType.number)
WAN = AnswerSpec(AnswerType.number, unit="万元")
PERCENT = AnswerSpec(AnswerType.percent)
RATIO = AnswerSpec(AnswerType.ratio, numerator="A", denominator="B")
DATE = AnswerSpec(AnswerType.date)
TEXT = AnswerSpec(AnswerType.text)
CHOICE = AnswerSpec(
    AnswerType.choice,
    choices=(
        Choice("standalone", Text("独立建会", "Standalone union"), 1.0, ("单独建会",)),
        Choice("joint", Text("联合建会", "Joint union"), 0.5, ("区域性联合工会",)),
        Choice("none", Text("未建会", "No union"), 0.0),
    ),
)
ALL_SPECS = (YESNO, COUNT, NUMBER, WAN, PERCENT, RATIO, DATE, TEXT, CHOICE)


def _id(spec: AnswerSpec) -> str:
    return spec.type.value + (f"[{spec.unit}]" if spec.unit else "")


def check(spec: AnswerSpec, raw: CellValue, value: Any, codes: tuple[str, ...]) -> Normalized:
    """Normalise ``raw`` and assert its value, state and note codes (in any order)."""
    got = normalize_answer(raw, spec)
    assert got.value == value, f"{raw!r}: value {got.value!r} != {value!r} ({got.notes})"
    assert type(got.value) is type(value), f"{raw!r}: {type(got.value)} != {type(value)}"
    expected_state = AnswerState.missing if value is None else AnswerState.given
    assert got.state is expected_state
    assert sorted(n.code for n in got.notes) == sorted(codes), f"{raw!r}: {got.notes}"
    for note in got.notes:
        assert (note.sheet, note.cell, note.rule_id) == ("", "", "")
        assert note.message.zh and note.message.en
    return got


def words(text: str) -> list[str]:
    return text.split()


def rows(spec: AnswerSpec, table: list[tuple[Any, ...]]) -> list[Any]:
    return [
        pytest.param(spec, row[0], row[1], row[2:], id=f"{_id(spec)}:{row[0]!r}") for row in table
    ]


# --- yes / no -------------------------------------------------------------------

YESNO_ROWS: list[tuple[Any, ...]] = [
    *[
        (word, True)
        for word in words(
            "是 有 已 已建 已建立 已落实 已完成 已开展 达标 符合 √ ✓ ✔ ☑ ■ Y y yes YES "
            "true TRUE 1 对 建立 是的 已建立了"
        )
    ],
    *[
        (word, False)
        for word in words(
            "否 无 没有 没 未 未建 未建立 暂无 未落实 不达标 不符合 × ✗ ✘ ☐ □ N n no No false FALSE 0"
        )
    ],
    # Full-width, invisible characters, quotes, Excel's text apostrophe, punctuation.
    ("１", True),
    ("０", False),
    ("\u3000是\u3000", True),
    ("\u00a0否", False),
    ("是\u200b", True),
    ("“是”", True),
    ('"否"', False),
    ("'是", True),
    ("是。", True),
    ("Yes.", True),
    # A yes or no followed by more text.
    ("已建立，见附件3", True, "yes_with_text"),
    ("有，3次", True, "yes_with_text"),
    ("是（见台账）", True, "yes_with_text"),
    ("√ 见附件", True, "yes_with_text"),
    ("有专人负责", True, "yes_with_text"),
    ("已于2023年5月建立", True, "yes_with_text"),
    ("无，计划明年建立", False, "no_with_text"),
    ("未建立工会组织", False, "no_with_text"),
    ("没有专职人员", False, "no_with_text"),
    ("已撤销", False, "no_with_text"),
    # One part done and one not (缺一项 is not a yes).
    ("经审会已建，女职委未建", "partial", "mixed_answer"),
    ("团支部已成立，尚无活动场所", "partial", "mixed_answer"),
    # Hedges.
    *[
        (word, "partial", "hedged_answer")
        for word in words(
            "基本落实 基本 部分 部分落实 正在推进 推进中 筹建中 有待加强 未完全落实 △"
        )
    ],
    # Numbers and cell types.
    (True, True),
    (False, False),
    (0, False),
    (1, True),
    (1.0, True),
    (3, True, "number_as_yesno"),
    (2.5, True, "number_as_yesno"),
    ("2", True, "number_as_yesno"),
    ("3次", True, "number_as_yesno"),
    ("0次", False, "number_as_yesno"),
    # Traditional characters.
    ("無", False, "traditional_chars"),
    ("沒有", False, "traditional_chars"),
    ("達標", True, "traditional_chars"),
    ("已設立", True, "traditional_chars"),
    ("基本落實", "partial", "traditional_chars", "hedged_answer"),
]

# --- counts and numbers ---------------------------------------------------------

COUNT_ROWS: list[tuple[Any, ...]] = [
    (12, 12),
    (12.0, 12),
    (0, 0),
    ("12", 12),
    ("12.0", 12),
    ("'12", 12),
    ("１２", 12),
    ("１２人", 12),
    ("12 人", 12),
    ("12名", 12),
    ("3个", 3),
    ("4次", 4),
    ("2项", 2),
    ("5篇", 5),
    ("3家", 3),
    ("2支", 2),
    ("20天", 20),
    ("16学时", 16),
    ("300元", 300),
    ("30平方米", 30),
    ("30㎡", 30),
    ("45人次", 45),
    ("12(人)", 12),
    ("12（人）", 12),
    ("共12人", 12),
    ("1,234", 1234),
    ("1，234", 1234),
    ("1,234人", 1234),
    ("¥20,000", 20000),
    # Chinese numerals (the small ones by hand, the rest through cn2an).
    ("十", 10, "chinese_numeral"),
    ("十二", 12, "chinese_numeral"),
    ("十万", 100_000, "chinese_numeral"),
    ("一千", 1000, "chinese_numeral"),
    ("十二人", 12, "chinese_numeral"),
    ("二十一", 21, "chinese_numeral"),
    ("一百二十", 120, "chinese_numeral"),
    ("一百零五", 105, "chinese_numeral"),
    ("两", 2, "chinese_numeral"),
    ("两个", 2, "chinese_numeral"),
    ("两千三", 2300, "chinese_numeral"),
    ("零", 0, "chinese_numeral"),
    ("〇", 0, "chinese_numeral"),
    ("一〇五", 105, "chinese_numeral"),
    ("廿", 20, "chinese_numeral"),
    ("廿六", 26, "chinese_numeral"),
    ("卅", 30, "chinese_numeral"),
    ("卅五", 35, "chinese_numeral"),
    ("壹贰叁", 123, "chinese_numeral"),
    ("壹佰贰拾叁", 123, "chinese_numeral"),
    ("叁拾", 30, "chinese_numeral"),
    ("参拾", 30, "chinese_numeral"),
    ("1百23", 123, "chinese_numeral"),
    ("一万二", 12000, "chinese_numeral"),
    ("兩次", 2, "chinese_numeral", "traditional_chars"),
    ("貳拾", 20, "chinese_numeral", "traditional_chars"),
    ("參拾人", 30, "chinese_numeral", "traditional_chars"),
    # Approximations.
    ("约30", 30, "approximate_number"),
    ("大约30", 30, "approximate_number"),
    ("30余", 30, "approximate_number"),
    ("30余人", 30, "approximate_number"),
    ("30多", 30, "approximate_number"),
    ("30多人", 30, "approximate_number"),
    ("30左右", 30, "approximate_number"),
    ("30人左右", 30, "approximate_number"),
    ("近30", 30, "approximate_number"),
    ("30来", 30, "approximate_number"),
    ("三十余名", 30, "approximate_number", "chinese_numeral"),
    ("約30人", 30, "approximate_number", "traditional_chars"),
    # Lower bounds.
    ("不少于2次", 2, "lower_bound"),
    ("2次以上", 2, "lower_bound"),
    ("≥2", 2, "lower_bound"),
    (">=2", 2, "lower_bound"),
    ("至少2", 2, "lower_bound"),
    ("至少2次", 2, "lower_bound"),
    ("30+", 30, "lower_bound"),
    # Ranges: the lower bound.
    ("1–2", 1, "range_lower_bound"),
    ("1-2", 1, "range_lower_bound"),
    ("1—2", 1, "range_lower_bound"),
    ("1~2", 1, "range_lower_bound"),
    ("1～2", 1, "range_lower_bound"),
    ("1〜2", 1, "range_lower_bound"),
    ("1至2", 1, "range_lower_bound"),
    ("1到2", 1, "range_lower_bound"),
    ("1–2个", 1, "range_lower_bound"),
    ("1个-2个", 1, "range_lower_bound"),
    ("两三个", 2, "range_lower_bound", "chinese_numeral"),
    ("一至两次", 1, "range_lower_bound", "chinese_numeral"),
    # None at all.
    ("无", 0, "none_as_zero"),
    ("没有", 0, "none_as_zero"),
    ("暂无", 0, "none_as_zero"),
    ("未召开", 0, "none_as_zero"),
    ("没有开展过", 0, "none_as_zero"),
    ("尚未举办", 0, "none_as_zero"),
    # Frequencies: times a year.
    ("每月", 12, "frequency"),
    ("每月1次", 12, "frequency"),
    ("每月一次", 12, "frequency", "chinese_numeral"),
    ("月度", 12, "frequency"),
    ("每月2次", 24, "frequency"),
    ("每季度", 4, "frequency"),
    ("每季", 4, "frequency"),
    ("每季度1次", 4, "frequency"),
    ("每半年", 2, "frequency"),
    ("半年一次", 2, "frequency", "chinese_numeral"),
    ("每年", 1, "frequency"),
    ("每年1次", 1, "frequency"),
    ("一年一次", 1, "frequency", "chinese_numeral"),
    ("每年2次", 2, "frequency"),
    ("2次/年", 2, "frequency"),
    ("一年两次", 2, "frequency", "chinese_numeral"),
    ("每学期", 2, "frequency"),
    ("每周", 52, "frequency"),
    ("每两个月", 6, "frequency", "chinese_numeral"),
    ("每月2次以上", 24, "frequency", "lower_bound"),
    # 万 and 亿.
    ("2万", 20000, "scaled_unit"),
    ("1.5万", 15000, "scaled_unit"),
    ("2万人", 20000, "scaled_unit"),
    ("1亿", 100_000_000, "scaled_unit"),
    ("一点五万", 15000, "chinese_numeral"),
    # Not whole.
    (12.5, 12, "rounded_down"),
    ("12.5", 12, "rounded_down"),
    ("约12.5", 12, "approximate_number", "rounded_down"),
    # A number followed by an explanation.
    ("12人，其中专职3人", 12, "number_with_text"),
    ("3次(含线上1次)", 3, "number_with_text"),
]

NUMBER_ROWS: list[tuple[Any, ...]] = [
    ("33.5岁", 33.5),
    ("47.4", 47.4),
    (47.4, 47.4),
    (12.0, 12),
    ("12", 12),
    ("-3.5", -3.5),
    ("约33.5", 33.5, "approximate_number"),
    ("2万", 20000, "scaled_unit"),
    ("三点五", 3.5, "chinese_numeral"),
    ("十五点五", 15.5, "chinese_numeral"),
]

WAN_ROWS: list[tuple[Any, ...]] = [
    ("2万元", 2),
    ("2万", 2),
    ("1.5万元", 1.5),
    ("20000元", 2, "scaled_unit"),
    ("15000元", 1.5, "scaled_unit"),
    ("2亿元", 20000),
    ("二十万元", 20, "chinese_numeral"),
    ("20000", 20000),
    (3.5, 3.5),
    ("3.5", 3.5),
]

# --- rates ----------------------------------------------------------------------

PERCENT_ROWS: list[tuple[Any, ...]] = [
    ("95%", 95),
    ("95％", 95),
    ("９５％", 95),
    ("95 %", 95),
    ("95(%)", 95),
    ("95", 95),
    ("95.5", 95.5),
    ("95.5%", 95.5),
    (95, 95),
    (95.5, 95.5),
    ("100%", 100),
    ("0", 0),
    (0, 0),
    ("0.95", 95, "fraction_as_percent"),
    (0.95, 95, "fraction_as_percent"),
    (0.57, 57, "fraction_as_percent"),
    (1, 100, "fraction_as_percent"),
    ("0.955", 95.5, "fraction_as_percent"),
    ("0.5%", 0.5),
    ("百分之九十五", 95, "chinese_numeral"),
    ("百分之95", 95),
    ("九成", 90, "chinese_numeral"),
    ("九成五", 95, "chinese_numeral"),
    ("两成", 20, "chinese_numeral"),
    ("十成", 100, "chinese_numeral"),
    ("9成", 90),
    ("九成以上", 90, "chinese_numeral", "lower_bound"),
    ("95%以上", 95, "lower_bound"),
    ("≥95%", 95, "lower_bound"),
    ("不低于95%", 95, "lower_bound"),
    ("约95%", 95, "approximate_number"),
    ("95%左右", 95, "approximate_number"),
    ("90%-95%", 90, "range_lower_bound"),
    ("90～95%", 90, "range_lower_bound"),
    ("3‰", 0.3),
    ("19/20", 95, "fraction_form"),
    ("150%", 150, "over_100"),
    (150, 150, "over_100"),
    ("无", 0, "none_as_zero"),
]

RATIO_ROWS: list[tuple[Any, ...]] = [
    ("80%", 80),
    (0.8, 80, "fraction_as_percent"),
    ("八成", 80, "chinese_numeral"),
]

# --- choices, dates, text -------------------------------------------------------

CHOICE_ROWS: list[tuple[Any, ...]] = [
    ("独立建会", "standalone"),
    ("Standalone union", "standalone"),
    ("standalone union", "standalone"),
    ("standalone", "standalone"),
    ("单独建会", "standalone"),
    ("  独立建会。", "standalone"),
    ("独立建会", "standalone"),
    ("联合建会", "joint"),
    ("区域性联合工会", "joint"),
    ("未建会", "none"),
    ("獨立建會", "standalone", "traditional_chars"),
    ("聯合建會", "joint", "traditional_chars"),
    ("联合", "joint", "fuzzy_choice"),
    ("Joint", "joint"),
    ("joint unions", "joint", "fuzzy_choice"),
    ("区域联合工会", "joint", "fuzzy_choice"),
]

DATE_ROWS: list[tuple[Any, ...]] = [
    (dt.date(2024, 3, 15), dt.date(2024, 3, 15)),
    (dt.datetime(2024, 3, 15, 10, 30), dt.date(2024, 3, 15)),
    ("2024年3月15日", dt.date(2024, 3, 15)),
    ("2024 年 3 月 15 日", dt.date(2024, 3, 15)),
    ("2024年3月15号", dt.date(2024, 3, 15)),
    ("２０２４年３月１５日", dt.date(2024, 3, 15)),
    ("2024.3.15", dt.date(2024, 3, 15)),
    ("2024-03-15", dt.date(2024, 3, 15)),
    ("2024/3/15", dt.date(2024, 3, 15)),
    ("20240315", dt.date(2024, 3, 15)),
    ("2024-03-15 10:30:00", dt.date(2024, 3, 15)),
    (20240315, dt.date(2024, 3, 15)),
    ("二〇二四年三月十五日", dt.date(2024, 3, 15), "chinese_numeral"),
    ("二零二四年十二月一日", dt.date(2024, 12, 1), "chinese_numeral"),
    ("2024年3月", dt.date(2024, 3, 1), "partial_date"),
    ("2024.03", dt.date(2024, 3, 1), "partial_date"),
    ("2024-3", dt.date(2024, 3, 1), "partial_date"),
    ("202403", dt.date(2024, 3, 1), "partial_date"),
    ("2024年", dt.date(2024, 1, 1), "partial_date"),
    ("2024年度", dt.date(2024, 1, 1), "partial_date"),
    (2024, dt.date(2024, 1, 1), "partial_date"),
    (2024.03, dt.date(2024, 3, 1), "partial_date"),
    ("二〇二四年", dt.date(2024, 1, 1), "chinese_numeral", "partial_date"),
    # Excel serials (1900 date system with its fake 1900-02-29 at serial 60).
    (45292, dt.date(2024, 1, 1), "excel_serial_date"),
    (45292.75, dt.date(2024, 1, 1), "excel_serial_date"),
    ("45292", dt.date(2024, 1, 1), "excel_serial_date"),
    (1, dt.date(1900, 1, 1), "excel_serial_date"),
    (59, dt.date(1900, 2, 28), "excel_serial_date"),
    (61, dt.date(1900, 3, 1), "excel_serial_date"),
    (2_958_465, dt.date(9999, 12, 31), "excel_serial_date", "implausible_date"),
    # Unlikely years are kept but flagged (a typo such as 1024 for 2024).
    ("1024年3月1日", dt.date(1024, 3, 1), "implausible_date"),
    (dt.date(2124, 3, 1), dt.date(2124, 3, 1), "implausible_date"),
]

TEXT_ROWS: list[tuple[Any, ...]] = [
    ("  见附件3  ", "见附件3"),
    ("Ｆｕｌｌ ｗｉｄｔｈ", "Ｆｕｌｌ ｗｉｄｔｈ"),
    (12.0, "12"),
    (0.95, "0.95"),
    (dt.date(2024, 3, 15), "2024-03-15"),
    (True, "TRUE"),
    # "Name the responsible leader: 暂无" names nobody.
    ("暂无", "", "no_text"),
    ("无", "", "no_text"),
]


@pytest.mark.parametrize(
    ("spec", "raw", "value", "codes"),
    [
        *rows(YESNO, YESNO_ROWS),
        *rows(COUNT, COUNT_ROWS),
        *rows(NUMBER, NUMBER_ROWS),
        *rows(WAN, WAN_ROWS),
        *rows(PERCENT, PERCENT_ROWS),
        *rows(RATIO, RATIO_ROWS),
        *rows(CHOICE, CHOICE_ROWS),
        *rows(DATE, DATE_ROWS),
        *rows(TEXT, TEXT_ROWS),
    ],
)
def test_normalizes(spec: AnswerSpec, raw: CellValue, value: Any, codes: tuple[str, ...]) -> None:
    check(spec, raw, value, codes)


def test_guesses_are_info_and_doubts_are_warnings() -> None:
    assert check(COUNT, "约30", 30, ("approximate_number",)).notes[0].level is NoteLevel.info
    assert check(COUNT, 12.5, 12, ("rounded_down",)).notes[0].level is NoteLevel.warning
    assert check(PERCENT, "150%", 150, ("over_100",)).notes[0].level is NoteLevel.warning


def test_notes_quote_the_raw_text_in_both_languages() -> None:
    note = normalize_answer("约30", COUNT).notes[0]
    assert note.message == Text("“约30”是约数，按 30 计", "'约30' is approximate; counted as 30")
    note = normalize_answer("联合", CHOICE).notes[0]
    assert "联合建会" in note.message.zh and "Joint union" in note.message.en


# --- not applicable and blank, for every type -------------------------------------

NA_WORDS = [
    "不适用",
    "无此项",
    "不涉及",
    "本单位无此项",
    "—",
    "——",
    "－",
    "–",
    "／",
    "/",
    "-",
    "N/A",
    "n/a",
    "NA",
    "not applicable",
    "Not Applicable",
    "不适用。",
    " 不适用 ",
    "不适用（职工不足200人）",
    "不涉及，本校无新进教师",
]
TRADITIONAL_NA_WORDS = ["不適用", "無此項", "本單位無此項"]


@pytest.mark.parametrize("spec", ALL_SPECS, ids=_id)
@pytest.mark.parametrize("word", NA_WORDS)
def test_not_applicable(spec: AnswerSpec, word: str) -> None:
    got = normalize_answer(word, spec)
    assert (got.state, got.value) == (AnswerState.na, None)
    assert [(n.level, n.code) for n in got.notes] == [(NoteLevel.info, "not_applicable")]


@pytest.mark.parametrize("spec", ALL_SPECS, ids=_id)
@pytest.mark.parametrize("word", TRADITIONAL_NA_WORDS)
def test_not_applicable_in_traditional_characters(spec: AnswerSpec, word: str) -> None:
    got = normalize_answer(word, spec)
    assert got.state is AnswerState.na
    expected = (
        ["not_applicable"]
        if spec.type is AnswerType.text
        else ["traditional_chars", "not_applicable"]
    )
    assert [n.code for n in got.notes] == expected


@pytest.mark.parametrize("spec", ALL_SPECS, ids=_id)
@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000", "\u00a0\u00a0", "\u200b", "\n\t", "'"])
def test_blank_is_missing_without_a_note_never_no(spec: AnswerSpec, raw: CellValue) -> None:
    assert normalize_answer(raw, spec) == Normalized(AnswerState.missing, None, ())


def test_a_choice_that_reads_like_na_is_still_a_choice() -> None:
    spec = AnswerSpec(
        AnswerType.choice,
        choices=(
            Choice("yes", Text("有", "Yes"), 1.0),
            Choice("nothing", Text("不涉及", "None"), 0),
        ),
    )
    assert normalize_answer("不涉及", spec) == Normalized(AnswerState.given, "nothing", ())


# --- unreadable -------------------------------------------------------------------

UNREADABLE: list[Any] = [
    pytest.param(COUNT, "很多", "", id="count-lots-zh"),
    pytest.param(COUNT, "lots", "", id="count-lots-en"),
    pytest.param(COUNT, "见附件", "", id="count-evidence-only"),
    pytest.param(COUNT, "已建立，见附件3", "", id="count-yes-with-text"),
    pytest.param(COUNT, "十几", "", id="count-vague-numeral"),
    pytest.param(COUNT, "95%", "", id="count-percent"),
    pytest.param(COUNT, "-5", "不能为负数", id="count-negative-text"),
    pytest.param(COUNT, -5, "不能为负数", id="count-negative-cell"),
    pytest.param(COUNT, "负五", "不能为负数", id="count-negative-chinese"),
    pytest.param(COUNT, float("nan"), "不是有效的数字", id="count-nan"),
    pytest.param(NUMBER, float("inf"), "不是有效的数字", id="number-inf"),
    pytest.param(COUNT, dt.date(2024, 1, 2), "", id="count-date-cell"),
    pytest.param(COUNT, dt.time(9, 30), "", id="count-time-cell"),
    pytest.param(COUNT, True, "", id="count-boolean-cell"),
    pytest.param(PERCENT, "很高", "", id="percent-words"),
    pytest.param(PERCENT, "-5%", "不能为负数", id="percent-negative"),
    pytest.param(YESNO, "是否", "", id="yesno-question-copied"),
    pytest.param(YESNO, "很多", "", id="yesno-lots"),
    pytest.param(YESNO, -1, "不能为负数", id="yesno-negative"),
    pytest.param(YESNO, dt.date(2024, 1, 1), "", id="yesno-date"),
    pytest.param(DATE, "abc", "", id="date-letters"),
    pytest.param(DATE, "2024年2月30日", "没有这一天", id="date-impossible-day"),
    pytest.param(DATE, "2024-13-01", "没有这一天", id="date-impossible-month"),
    pytest.param(DATE, 60, "", id="date-excel-fake-leap-day"),
    pytest.param(DATE, 0, "", id="date-serial-zero"),
    pytest.param(DATE, 3_000_000, "", id="date-serial-too-big"),
    pytest.param(DATE, True, "", id="date-boolean"),
    pytest.param(CHOICE, "xyz", "", id="choice-unknown"),
    pytest.param(CHOICE, "独立见会", "", id="choice-typo-below-cutoff"),
]


@pytest.mark.parametrize(("spec", "raw", "reason"), UNREADABLE)
def test_unreadable_is_missing_with_an_error_note(
    spec: AnswerSpec, raw: CellValue, reason: str
) -> None:
    got = normalize_answer(raw, spec)
    assert (got.state, got.value) == (AnswerState.missing, None)
    assert [(n.level, n.code) for n in got.notes] == [(NoteLevel.error, "unreadable")]
    message = got.notes[0].message
    shown = raw_text(raw)
    assert f"无法识别“{shown}”" in message.zh
    assert f"Could not read '{shown}'" in message.en
    assert reason in message.zh


def test_unreadable_messages_say_what_to_type() -> None:
    assert normalize_answer("很多", COUNT).notes[0].message == Text(
        "无法识别“很多”：请填写整数，如 12", "Could not read '很多': enter a whole number, e.g. 12"
    )
    assert normalize_answer("lots", COUNT).notes[0].message.en == (
        "Could not read 'lots': enter a whole number, e.g. 12"
    )
    assert "95%" in normalize_answer("很高", PERCENT).notes[0].message.zh
    assert "是" in normalize_answer("是否", YESNO).notes[0].message.en
    assert "2024-03-15" in normalize_answer("abc", DATE).notes[0].message.en


def test_unknown_choice_lists_the_choices_in_both_languages() -> None:
    message = normalize_answer("xyz", CHOICE).notes[0].message
    assert "独立建会、联合建会、未建会" in message.zh
    assert "Standalone union, Joint union, No union" in message.en


def test_a_choice_equally_close_to_two_choices_is_not_guessed() -> None:
    spec = AnswerSpec(
        AnswerType.choice,
        choices=(Choice("a", Text("联合建会", "A"), 1.0), Choice("b", Text("联合建站", "B"), 0.5)),
    )
    got = normalize_answer("联合建", spec)
    assert got.state is AnswerState.missing
    assert "与多个选项同样接近" in got.notes[0].message.zh


def test_long_unreadable_text_is_quoted_short() -> None:
    got = normalize_answer("很" * 200, COUNT)
    assert got.state is AnswerState.missing
    assert len(got.notes[0].message.zh) < 80


# --- raw_text and parse_year ----------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (None, ""),
        ("", ""),
        ("  是 \n", "是"),
        ("\u200b是\u200b", "是"),
        (12, "12"),
        (12.0, "12"),
        (-3.0, "-3"),
        (0.95, "0.95"),
        (47.4, "47.4"),
        (1e20, "1e+20"),
        (float("nan"), "nan"),
        (True, "TRUE"),
        (False, "FALSE"),
        (dt.date(2024, 3, 15), "2024-03-15"),
        (dt.datetime(2024, 3, 15), "2024-03-15"),
        (dt.datetime(2024, 3, 15, 9, 30), "2024-03-15 09:30:00"),
        (dt.time(9, 30), "09:30:00"),
        (dt.timedelta(hours=2), "2:00:00"),
    ],
)
def test_raw_text(raw: CellValue, text: str) -> None:
    assert raw_text(raw) == text


def test_raw_text_of_an_enormous_integer_does_not_raise() -> None:
    assert raw_text(10**5000).startswith("1.000000e+5000")


@pytest.mark.parametrize(
    ("raw", "year"),
    [
        ("2024", 2024),
        ("2024年", 2024),
        ("2024年度", 2024),
        ("２０２４年度", 2024),
        (" 2024 年 ", 2024),
        (2024, 2024),
        (2024.0, 2024),
        (dt.date(2024, 5, 1), 2024),
        (dt.datetime(2024, 5, 1, 8, 0), 2024),
        ("二〇二四年", 2024),
        ("二零二四年度", 2024),
        ("东林村2024年自评表", 2024),
        ("2024-03-15", 2024),
        ("1990", 1990),
        ("2100", 2100),
        ("1989", None),
        ("2101", None),
        (1900, None),
        (2024.5, None),
        ("2023-2024", None),
        ("20240315", None),
        ("二〇二四", 2024),
        ("今年", None),
        ("", None),
        (None, None),
        (True, None),
        (float("nan"), None),
    ],
)
def test_parse_year(raw: CellValue, year: int | None) -> None:
    assert parse_year(raw) == year


# --- cost ---------------------------------------------------------------------------


def test_clean_answers_load_no_slow_library() -> None:
    # OpenCC, cn2an and rapidfuzz each cost milliseconds to hundreds of
    # milliseconds to import; template answers must not pull them in.
    code = """
import datetime as dt, sys
from checklist.model import AnswerSpec, AnswerType, Choice
from checklist.normalize import normalize_answer
from checklist.text import Text
from tests.properties import examples
choice = AnswerSpec(AnswerType.choice, choices=(Choice("a", Text("独立建会", "A"), 1.0),))
for raw, kind in [("是", "yesno"), ("否", "yesno"), (True, "yesno"), (12, "count"), ("12人", "count"),
                  ("十二", "count"), ("约30", "count"), ("每季度", "count"), (0.95, "percent"),
                  ("95%", "percent"), ("九成", "percent"), (dt.date(2024, 1, 1), "date"),
                  ("2024年3月", "date"), ("不适用", "yesno"), ("", "count")]:
    normalize_answer(raw, AnswerSpec(AnswerType(kind)))
normalize_answer("独立建会", choice)
print(sorted(m for m in ("opencc", "cn2an", "rapidfuzz") if m in sys.modules))
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_rule_words_come_first() -> None:
    ledgers = AnswerSpec(AnswerType.count, unit="项", words=(("齐全", 0), ("无缺项", 0)))
    got = normalize_answer("齐全", ledgers)
    assert (got.state, got.value, [n.code for n in got.notes]) == (
        AnswerState.given,
        0,
        ["rule_word"],
    )
    levy = AnswerSpec(AnswerType.yesno, words=(("税务代收", True), ("本单位不适用", None)))
    assert normalize_answer("稅務代收", levy).value is True  # traditional characters too
    assert normalize_answer("本单位不适用", levy).state is AnswerState.na
    assert normalize_answer("是", levy).value is True  # everything else as usual


# --- answers written as sentences (工作情况和数字说明) ------------------------------

TIMES = AnswerSpec(AnswerType.count, unit="次")
MEMBERS = "工会会员人数，在册会员人数"
SEPARATE_BOOKS = "工会是否设立独立经费账户、单独建账核算"


@pytest.mark.parametrize(
    ("spec", "raw", "indicator", "value", "codes"),
    [
        (COUNT, "在册团员18名", "", 18, ("number_in_text",)),
        (COUNT, "职工312人", "", 312, ("number_in_text",)),
        # Several numbers: the one whose words the row's indicator shares.
        (COUNT, "职工56人，会员54人", MEMBERS, 54, ("number_in_text",)),
        (TIMES, "2024年3月召开会员代表大会1次", "", 1, ("number_in_text",)),
        (TIMES, "全年研究4次", "", 4, ("number_in_text",)),
        (TIMES, "2次（3月、9月）", "", 2, ("number_with_text",)),
        (TIMES, "每年召开一次", "", 1, ("frequency", "chinese_numeral")),
        (TIMES, "每季度开展1次", "", 4, ("frequency",)),
        (TIMES, "3月召开1次", "", 1, ("number_in_text",)),
        (PERCENT, "测评满意率92%", "", 92, ("number_in_text",)),
        (PERCENT, "到位率100%", "", 100, ("number_in_text",)),
        (RATIO, "职工56人，会员54人，入会率96.4%", "", 96.4, ("number_in_text",)),
        (RATIO, "16人已报到，报到率88.9%", "", 88.9, ("number_in_text",)),
        (YESNO, "团委1个，下设团支部18个", "", True, ("number_as_yesno",)),
        (YESNO, "工会委员5人，经审委员3人，均已建立", "", True, ("number_as_yesno",)),
        (YESNO, "全部入会", "", True, ("yes_with_text",)),
        (YESNO, "专职工会主席0人", "", False, ("number_as_yesno",)),
        (YESNO, "单独设立账户，由财务科代管", SEPARATE_BOOKS, True, ("restates_indicator",)),
        (DATE, "2021年11月按期换届", "", dt.date(2021, 11, 1), ("date_in_text", "partial_date")),
        (COUNT, "’236", "", 236, ()),
        (COUNT, "‘12", "", 12, ()),
        (TEXT, "0", "", "0", ()),
    ],
)
def test_sentences_give_the_one_value_they_hold(
    spec: AnswerSpec, raw: str, indicator: str, value: Any, codes: tuple[str, ...]
) -> None:
    got = normalize_answer(raw, spec, indicator)
    assert (got.state, got.value) == (AnswerState.given, value), got.notes
    assert type(got.value) is type(value)
    assert sorted(n.code for n in got.notes) == sorted(codes), got.notes


@pytest.mark.parametrize(
    ("spec", "raw", "indicator"),
    [
        # Two numbers and nothing to tell them apart: not a guess.
        (COUNT, "职工56人，会员54人", ""),
        (COUNT, "职工56人，会员54人", "团员人数"),
        # A restatement counts only with the indicator, and never when undone.
        (YESNO, "单独设立账户，由财务科代管", ""),
        (YESNO, "计划明年单独设立账户", SEPARATE_BOOKS),
        (YESNO, "团支部2个尚未换届", ""),
        (DATE, "2019年、2022年各换届一次", ""),
        # Once in each of two months is two, not the 1 written: not guessed.
        (TIMES, "3月、12月各召开1次", ""),
        # A month is no number of times.
        (TIMES, "12月", ""),
        (PERCENT, "入会率96.4%，新会员入会率100%", ""),
    ],
)
def test_sentences_that_hold_no_one_value_stay_unreadable(
    spec: AnswerSpec, raw: str, indicator: str
) -> None:
    got = normalize_answer(raw, spec, indicator)
    assert got.state is AnswerState.missing
    assert [n.code for n in got.notes] == ["unreadable"]


def test_a_number_picked_among_several_is_a_warning() -> None:
    picked = normalize_answer("职工56人，会员54人", COUNT, MEMBERS).notes[0]
    alone = normalize_answer("在册团员18名", COUNT).notes[0]
    assert (picked.level, alone.level) == (NoteLevel.warning, NoteLevel.info)
    assert "会员54人" in picked.message.zh and "54" in picked.message.en


SENTENCE_ALPHABET = (
    "0123456789.,，、：（）%人名次个年月日各每已未无不是否有团员会员职工入会率约以上 "
)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=examples(300))
@given(
    raw=st.text(alphabet=SENTENCE_ALPHABET, max_size=30),
    indicator=st.text(alphabet=SENTENCE_ALPHABET, max_size=30),
    spec=st.sampled_from(ALL_SPECS),
)
def test_sentences_never_raise_and_notes_are_complete(
    raw: str, indicator: str, spec: AnswerSpec
) -> None:
    got = normalize_answer(raw, spec, indicator)
    assert (got.value is None) == (got.state is not AnswerState.given)
    if got.state is AnswerState.missing and raw.strip():
        assert [n.code for n in got.notes] == ["unreadable"]
    for note in got.notes:
        assert note.message.zh and note.message.en
