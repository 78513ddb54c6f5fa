"""Write the bundled example assessments into ``checklist/examples/``, deterministically.

Six fictional Taicang units (two villages, a community, two non-public
enterprises and a school) each send a self-assessment for 2022, 2023 and
2024, in the shapes real units send: retyped forms with other header words,
the official template filled in, title rows and merged category cells, √/×,
full-width numbers, traditional characters, one cell holding all the unit
details, a legacy ``.xls``, a GBK ``.csv`` export and an ``.ods``.

The answers are not typed out by hand. Each unit-year has a maturity (0..1)
and each (unit, rule) a fixed difficulty; a rule passes when the maturity
reaches its difficulty, is partly met just below it, and fails further below.
The value written for a level is taken from the rule's own bands,
deductions or choices and checked with the scoring engine's ``credit_for``,
so the examples follow the pack rather than hard-coded points. Because a
difficulty never changes from year to year, gaps close as a unit matures and
persist while it does not; explicit overrides carry each unit's story (a
missing League branch, an unpaid union levy, a seconded cadre …).

Everything is seeded by strings and every writer pins its timestamps, so two
runs give byte-identical files::

    .venv/bin/python scripts/make_examples.py [OUTPUT_FOLDER]
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import random
import sys
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    # Run as a script, only scripts/ is on the path; the shapes live in tests/forms.py.
    sys.path.insert(0, str(ROOT))

from checklist.model import (  # noqa: E402
    AnswerSpec,
    AnswerType,
    Org,
    Rule,
    RulePack,
    Severity,
    Value,
)
from checklist.rulepack import load_pack  # noqa: E402
from checklist.scoring import credit_for  # noqa: E402
from checklist.template import build_template, resolve_unit_type  # noqa: E402
from checklist.text import Lang, Text  # noqa: E402
from checklist.xlsx import save_workbook  # noqa: E402
from tests import forms  # noqa: E402
from tests.forms import Cell, Filled, Form  # noqa: E402

EXAMPLES_DIR = ROOT / "checklist" / "examples"
"""Where the examples ship: inside the package, so ``checklist demo`` finds them installed."""

EXAMPLE_SUFFIXES = (".xlsx", ".xls", ".csv", ".ods")


# --- what a file says ----------------------------------------------------------------


class Level(enum.Enum):
    """How well a unit meets one rule in one year."""

    passed = "pass"
    partial = "partial"
    failed = "fail"


@dataclass(frozen=True)
class Raw:
    """A cell written exactly as given (an answer intake has to cope with)."""

    text: Cell
    """What the unit typed."""
    meant: Value | None = None
    """What the unit meant by it, for its own self-score and for consistency."""


NA = Raw("不适用")
BLANK = Raw(None)

Override = Value | Raw | Level
"""A story answer: a value (spelled in the file's style), a literal cell, or a level."""


@dataclass(frozen=True)
class Unit:
    """A fictional unit and what stays the same about it from year to year."""

    key: str
    """Seed for its rule difficulties (ASCII, stable)."""
    name: str
    """Its name in the README."""
    type_id: str
    """Unit type id of the pack."""
    town: str
    """所属镇（街道）."""
    leader: str
    """Who the Party organisation put in charge of mass-organisation work (LEAD-03)."""
    elections: tuple[dt.date, ...]
    """Dates of the elections of its organisations (LIFE-08/09/10: the latest one so far)."""
    filled_by: str
    """填报人."""
    phone: str
    """联系电话."""
    story: str
    """The unit's three years, for the README."""
    founded: dt.date = dt.date(2008, 3, 20)
    """When its union was founded (COV-20; never after its first election)."""


@dataclass(frozen=True)
class Example:
    """One file a unit sent for one year."""

    unit: Unit
    year: int
    file: str
    """File name as the unit sent it."""
    name: str
    """Unit name as written in the form this year."""
    type_zh: str
    """Unit type as written in the form this year."""
    shape: str
    """Key of :data:`SHAPES`."""
    maturity: float
    """0..1: how far the unit has got this year."""
    sizes: Mapping[str, int]
    """Headcounts the ratios are built on: COV-01 staff, COV-08 League members, STAF-01 cadres."""
    shows: str
    """What mess the file shows, for the README."""
    spelling: str = "plain"
    """How answers are typed: plain, units (有/无, 2次), marks (√/×)."""
    evidence: float = 1.0
    """Share of evidence-required positive answers that name their evidence."""
    claims: str = "none"
    """自评得分: none, honest (by the band, to one decimal) or full (full points unless failed)."""
    states_rates: bool = False
    """Whether the unit types the rates (入会率 …) instead of leaving them to be computed."""
    answers: Mapping[str, Override] = field(default_factory=dict)
    """Story answers by rule id."""
    evidence_text: Mapping[str, str] = field(default_factory=dict)
    """Evidence by rule id; an empty string leaves a positive answer unsupported."""
    remarks: Mapping[str, str] = field(default_factory=dict)
    """备注 by rule id (template files only)."""
    reworded: tuple[str, ...] = ()
    """Rules retyped with another wording (the rule's first alias)."""
    retyped: Mapping[str, str] = field(default_factory=dict)
    """Rules retyped in the unit's own shorter words, by rule id."""
    dropped: tuple[str, ...] = ()
    """Rules whose row the unit left out when retyping the form."""
    local_rows: tuple[tuple[str, str, Cell], ...] = ()
    """Indicators the town added locally: (area id, indicator, answer)."""
    all_rules: bool = False
    """The county-wide form listing every rule (rows for other unit types left blank)."""


# --- the six units -----------------------------------------------------------------------

DONGLIN = Unit(
    key="donglin",
    name="城厢镇东林村",
    type_id="village",
    town="城厢镇",
    leader="陆建华 党总支副书记",
    elections=(dt.date(2016, 11, 15), dt.date(2023, 5, 18)),
    filled_by="朱晓燕（妇联主席）",
    phone="0512-53561208",
    story=(
        "Gaps that close. In 2022 the village's mass-organisation work is patchy: the "
        "League and women's federation were last elected in 2016 (their terms have run "
        "out), and most claims name no evidence (two Party meetings on the work, but no "
        "minutes), so it scores in the mid 60s. The 2023 re-election starts a turnaround; "
        "by 2024 the village sends the official template with evidence for every claim, "
        "most 2022 gaps are closed and it scores in the mid 90s. This is the unit to use "
        "for `checklist compare` and `checklist trend`."
    ),
)
XINHU = Unit(
    key="xinhu",
    name="璜泾镇新湖村",
    type_id="village",
    town="璜泾镇",
    leader="",
    elections=(dt.date(2016, 10, 12),),
    filled_by="顾建新（村委会委员）",
    phone="13962615307",
    story=(
        "Gaps that persist: the essay's point that problems stay because nobody follows "
        "up. The village has about 20 League members but no League branch in any of the "
        "three years (COV-10, a veto rule), its organisations were last elected in 2016, "
        "most cadres never go to training and the Party organisation never discusses the work. "
        "In 2023 it answers the League-branch question 不适用; the rule applies to every "
        "village, so that scores as unanswered and the veto still caps the grade."
    ),
)
XIYUAN = Unit(
    key="xiyuan",
    name="娄东街道西园社区",
    type_id="community",
    town="娄东街道",
    leader="沈丽 社区党委副书记",
    elections=(dt.date(2018, 11, 20), dt.date(2021, 12, 10)),
    filled_by="王婷（社区团委书记）",
    phone="0512-53378816",
    story=(
        "A regression, and self-scores nobody checked. The community fills in the "
        "official template every year and writes full points in 自评得分 on almost every "
        "row, so each year has over-claimed self-scores. It improves from 2022 to 2023; "
        "in 2024 its full-time cadre is seconded to the old-town redevelopment office "
        "(STAF-04), League lessons lapse and the WeChat account goes quiet, and the "
        "score falls back."
    ),
)
HUADONG = Unit(
    key="huadong",
    name="太仓市华东精密机械有限公司",
    type_id="enterprise",
    town="娄东街道",
    leader="顾志明 党支部书记、行政副总",
    elections=(dt.date(2017, 5, 10), dt.date(2022, 9, 16)),
    filled_by="陈佳（人事行政部）",
    phone="0512-53209876",
    story=(
        "A 260-person private machining firm whose forms are retyped by its HR office "
        "each year. 2022 states a 98% membership rate that its own counts put at 77% "
        "(ratio mismatch) and has no full-time union chair despite 262 staff "
        "(STAF-03 applies from 200 staff, and fails). 2023 was retyped from a web page in traditional "
        "characters with pinyin readings, and answers the 2% levy question with "
        "稅務代收 (the levy is collected by the tax office). 2024 uses √/×, full-width "
        "numbers and one cell for all unit details, and counts more cadres aged 35 or "
        "under than it has cadres (CHK-02)."
    ),
)
GANGCHENG = Unit(
    key="gangcheng",
    name="港城物流股份有限公司",
    type_id="enterprise",
    town="浮桥镇",
    leader="周敏 党支部副书记",
    elections=(dt.date(2019, 5, 20), dt.date(2023, 4, 12)),
    filled_by="刘洋（综合办公室）",
    phone="0512-53687720",
    story=(
        "Veto failures that lift one at a time. A port logistics company of about 180 "
        "drivers and warehouse staff: in 2022 it has no union at all (COV-04) and pays "
        "no union formation fund (FUND-01), two veto failures; the union is founded in "
        "April 2023 but the 2% levy is still not paid; in 2024 the levy is paid, with "
        "the tax office's receipts as evidence, and the veto lifts."
    ),
    founded=dt.date(2023, 4, 12),
)
SHAXI = Unit(
    key="shaxi",
    name="沙溪镇第一中学",
    type_id="school",
    town="沙溪镇",
    leader="钱卫东 党总支副书记、副校长",
    elections=(dt.date(2019, 9, 10), dt.date(2024, 9, 6)),
    filled_by="孙蕾（校工会）",
    phone="0512-53221045",
    story=(
        "A strong unit and a veto that bites. The town's middle school scores from the "
        "low 80s to the mid 90s with honest self-scores and evidence for nearly every "
        "claim, and answers the full-time-chair question 不适用 each year; with fewer than 200 "
        "staff the rule is left out by its own condition anyway. In 2024 the staff congress "
        "is postponed to January "
        "2025 after a change of principal: LIFE-03 is a veto rule, so an otherwise "
        "excellent score is capped at 合格."
    ),
)

UNITS = (DONGLIN, XINHU, XIYUAN, HUADONG, GANGCHENG, SHAXI)

EXAMPLES: tuple[Example, ...] = (
    # 东林村: gaps close.
    Example(
        DONGLIN,
        2022,
        "东林村2022年群团工作自评表.xlsx",
        "东林村",
        "村",
        "other_header_words",
        0.74,
        {"COV-08": 38, "STAF-01": 8},
        "Retyped into Sheet1 with other header words (序号 | 考核项目 | 考核内容 | 自评情况 | "
        "证明材料 | 自评分), no rule ids, some indicators in other wordings, 有/无 and "
        "“2次”; blanks; most evidence left out (unsupported claims).",
        spelling="units",
        evidence=0.3,
        answers={"LEAD-01": 2, "LEAD-05": Level.partial},
        evidence_text={"LEAD-01": ""},
        reworded=("LEAD-01", "LEAD-05", "COV-12", "STAF-06", "SITE-02"),
    ),
    Example(
        DONGLIN,
        2023,
        "东林村2023年群团工作自评表.xlsx",
        "城厢镇东林村村委会",
        "行政村",
        "titles_and_merged_areas",
        0.8,
        {"COV-08": 41, "STAF-01": 9},
        "Title and stamp lines above the header, the category column merged down each "
        "area and spaced out (领 导 重 视), a 合计 row and a note; two rows left out "
        "when retyping; a town-level extra indicator that matches no rule.",
        evidence=0.6,
        dropped=("LEAD-12", "INNO-11"),
        local_rows=(("innovation", "垃圾分类督导员人数", 12),),
    ),
    Example(
        DONGLIN,
        2024,
        "城厢镇东林村-2024年度群团自评表.xlsx",
        "太仓市城厢镇东林村",
        "村",
        "template",
        0.86,
        {"COV-08": 44, "STAF-01": 10},
        "The official template filled in, honest self-scores, evidence throughout; the "
        "ledger question (SITE-05, how many record books are missing) answered 齐全.",
        claims="honest",
        answers={"SITE-05": Raw("齐全", 0)},
        remarks={"SITE-05": "六簿六册已按镇妇联要求建立"},
    ),
    # 新湖村: gaps persist.
    Example(
        XINHU,
        2022,
        "新湖村2022年度群团工作自查表.xls",
        "新湖村",
        "村",
        "xls",
        0.55,
        {"COV-08": 21, "STAF-01": 6},
        "Legacy .xls (Excel 97-2003) of the county-wide form listing every rule, rows for "
        "other unit types left blank; √/×; the leader in charge answered 暂无.",
        spelling="marks",
        evidence=0.2,
        all_rules=True,
        answers={
            "COV-10": False,
            "COV-09": False,
            "LEAD-01": 0,
            "LEAD-05": Level.failed,
            "LEAD-03": Raw("暂无"),
            "STAF-11": Level.failed,
            "STAF-12": Level.failed,
        },
    ),
    Example(
        XINHU,
        2023,
        "新湖村2023年度自查表.xlsx",
        "璜泾镇新湖村",
        "村",
        "area_heading_rows",
        0.55,
        {"COV-08": 19, "STAF-01": 6},
        "Area headings as rows of their own (一、领导重视（20分）) and blank rows between "
        "areas; numbered indicators; 有/无; the League-branch veto answered 不适用; "
        "things done for residents (RGHT-12) answered 很多; one row left out.",
        spelling="units",
        evidence=0.2,
        dropped=("COV-13",),
        answers={
            "COV-10": NA,
            "COV-09": False,
            "LEAD-01": 0,
            "LEAD-05": Level.failed,
            "LEAD-03": BLANK,
            "RGHT-12": Raw("很多"),
            "STAF-11": Level.failed,
            "STAF-12": Level.failed,
        },
    ),
    Example(
        XINHU,
        2024,
        "新湖村2024自评.csv",
        "璜泾镇新湖村村民委员会",
        "村委会",
        "csv",
        0.58,
        {"COV-08": 18, "STAF-01": 6},
        "Saved from WPS as CSV in the Windows code page (GBK/GB18030): one sheet, unit "
        "details above the header, dates as 2016/10/12.",
        evidence=0.3,
        all_rules=True,
        answers={
            "COV-10": False,
            "COV-09": False,
            "LEAD-01": 0,
            "LEAD-05": Level.failed,
            "LEAD-03": "村党总支书记兼",
            "STAF-11": Level.failed,
            "STAF-12": Level.failed,
        },
    ),
    # 西园社区: over-claims, then a regression.
    Example(
        XIYUAN,
        2022,
        "西园社区-2022-自评.xlsx",
        "娄东街道西园社区",
        "社区",
        "template",
        0.7,
        {"COV-08": 56, "STAF-01": 11},
        "The official template; full points written in 自评得分 on nearly every row.",
        evidence=0.8,
        claims="full",
        answers={"STAF-04": False},
    ),
    Example(
        XIYUAN,
        2023,
        "西园社区-2023-自评(修改稿).xlsx",
        "娄东街道西园社区居委会",
        "社区",
        "template",
        0.9,
        {"COV-08": 61, "STAF-01": 12},
        "The official template, second draft; full points claimed again.",
        evidence=0.9,
        claims="full",
        answers={"STAF-04": False},
    ),
    Example(
        XIYUAN,
        2024,
        "西园社区-2024-自评(终稿).xlsx",
        "娄东街道西园社区",
        "社区",
        "template",
        0.76,
        {"COV-08": 58, "STAF-01": 11},
        "The official template, final version; the seconded cadre explained in 备注; "
        "full points claimed although the score fell.",
        evidence=0.7,
        claims="full",
        answers={
            "STAF-02": 1,
            "STAF-04": True,
            "LIFE-04": 1,
            "INNO-02": "rarely",
            "INNO-07": Level.failed,
        },
        remarks={
            "STAF-04": "专职社工2024年3月起抽调至西园片区旧城改造征收指挥部",
            "LIFE-04": "下半年未开展团课",
        },
    ),
    # 华东精密: ratio mismatch, consistency, traditional script.
    Example(
        HUADONG,
        2022,
        "华东精密2022年度群团工作考核自评表.xlsx",
        "太仓市华东精密机械有限公司",
        "非公企业",
        "two_level_header",
        0.45,
        {"COV-01": 262, "COV-08": 34, "STAF-01": 11},
        "A two-row header (自评 over 情况 | 佐证, 得分 over 自评分 | 考评分) with merged "
        "cells; the membership rate typed in as 98%.",
        evidence=0.6,
        claims="honest",
        answers={"COV-02": 203, "COV-03": Raw("98%", 98.0), "STAF-03": False},
    ),
    Example(
        HUADONG,
        2023,
        "華東精密2023自評表.xlsx",
        "太倉市華東精密機械有限公司",
        "民營企業",
        "traditional",
        0.6,
        {"COV-01": 275, "COV-08": 31, "STAF-01": 11},
        "Traditional characters throughout, indicators copied with pinyin readings "
        "(組(zǔ)織); the 2% levy answered 税务代收 (written 稅務代收).",
        evidence=0.8,
        answers={"FUND-01": Raw("税务代收", True)},
    ),
    Example(
        HUADONG,
        2024,
        "太仓市华东精密机械有限公司-2024群团自评.xlsx",
        "太仓市华东精密机械有限公司",
        "民营企业",
        "respelled",
        0.68,
        {"COV-01": 268, "COV-08": 36, "STAF-01": 12},
        "All unit details in one cell; √, ☑, Y/N, 是的, full-width numbers (１２人), "
        "Chinese numerals, 95％, dates as 2022.9.16, English choice labels; self-scores "
        "written as “3分”.",
        evidence=0.9,
        claims="honest",
        answers={"STAF-07": 14},
    ),
    # 港城物流: veto failures lifting.
    Example(
        GANGCHENG,
        2022,
        "港城物流2022自评表.xlsx",
        "港城物流股份有限公司",
        "企业",
        "shuffled_without_ids",
        0.65,
        {"COV-01": 176, "COV-08": 12, "STAF-01": 3},
        "Retyped with the rows in another order, numbered 1..n, no ids, a 填报情况 "
        "column, several indicators shortened in the unit's own words (职代会召开次数, "
        "微信公众号更新情况 …); no union yet, so the union rows are 否, 0 or blank.",
        evidence=0.4,
        retyped={
            "LEAD-04": "工青妇负责人列席党支部会议次数",
            "COV-13": "应建未建群团组织数量",
            "STAF-02": "专职工青妇干部人数",
            "STAF-11": "干部培训人均学时",
            "INNO-02": "微信公众号更新情况",
            "SITE-01": "有无职工之家",
            "LIFE-03": "职代会召开次数",
            "LIFE-07": "工会委员会每季度召开会议次数",
        },
        answers={"COV-04": False, "FUND-01": False, "STAF-02": 0},
    ),
    Example(
        GANGCHENG,
        2023,
        "港城物流-2023年度自评.ods",
        "太仓港城物流股份有限公司",
        "非公企业",
        "ods",
        0.7,
        {"COV-01": 183, "COV-08": 14, "STAF-01": 8},
        "OpenDocument (.ods) from LibreOffice; the union founded in April 2023 but the "
        "levy not yet paid; the committees question answered in words "
        "(经审会已建，女职委未建).",
        evidence=0.7,
        answers={
            "FUND-01": False,
            "COV-07": Raw("经审会已建，女职委未建", False),
            "STAF-02": 1,
            "STAF-03": NA,
        },
        evidence_text={"COV-04": "建会批复（浮桥镇总工会〔2023〕12号）"},
    ),
    Example(
        GANGCHENG,
        2024,
        "港城物流股份有限公司2024年群团工作自评表.xlsx",
        "港城物流股份有限公司",
        "非公企业",
        "other_header_words",
        0.82,
        {"COV-01": 190, "COV-08": 15, "STAF-01": 9},
        "Retyped with other header words and several indicators in other wordings; the "
        "full-time-chair question answered 不适用（职工不足200人）; honest self-scores.",
        evidence=0.9,
        claims="honest",
        reworded=("COV-04", "FUND-01", "LIFE-03", "COV-03", "STAF-11"),
        answers={"FUND-01": True, "STAF-02": 2, "STAF-03": Raw("不适用（职工不足200人）")},
        evidence_text={"FUND-01": "2024年工会经费税务代收完税凭证"},
    ),
    # 沙溪镇第一中学: strong, then a veto that caps the grade.
    Example(
        SHAXI,
        2022,
        "沙溪一中2022年群团工作自评.xlsx",
        "沙溪镇第一中学",
        "学校",
        "shuffled_with_ids",
        0.8,
        {"COV-01": 148, "COV-08": 186, "STAF-01": 12},
        "Columns in another order and rows shuffled with blank rows between, rule ids "
        "kept; 不适用 for the full-time chair.",
        evidence=0.95,
        claims="honest",
        answers={"STAF-03": NA},
    ),
    Example(
        SHAXI,
        2023,
        "沙溪镇第一中学2023年度群团工作自评表.xlsx",
        "太仓市沙溪镇第一中学",
        "学校",
        "template",
        0.9,
        {"COV-01": 151, "COV-08": 179, "STAF-01": 12},
        "The official template for schools, fully evidenced, honest self-scores.",
        claims="honest",
        answers={"STAF-03": NA},
    ),
    Example(
        SHAXI,
        2024,
        "沙溪镇第一中学2024年度群团工作自评表(定稿).xlsx",
        "太仓市沙溪镇第一中学",
        "初级中学",
        "template",
        0.92,
        {"COV-01": 156, "COV-08": 192, "STAF-01": 13},
        "The official template; the staff congress count answered "
        "0（推迟至2025年1月召开） with the reason in 备注.",
        claims="honest",
        answers={"STAF-03": NA, "LIFE-03": Raw("0（推迟至2025年1月召开）", 0)},
        remarks={"LIFE-03": "原校长2024年8月调任，第七届教代会第四次会议推迟至2025年1月召开"},
    ),
)


# --- choosing values from the rule's own bands -----------------------------------------------


def _rng(*parts: object) -> random.Random:
    # String seeds are hashed with SHA-512, so they do not depend on PYTHONHASHSEED.
    return random.Random("|".join(str(p) for p in parts))


def _share(rule: Rule, value: Value, year: int) -> float:
    decision = credit_for(rule, value, year)
    if decision is None:
        raise ValueError(f"{rule.id}: {value!r} has the wrong type for a {rule.answer.type}")
    return decision.credit


def _level_of(share: float) -> Level:
    if share >= 1:
        return Level.passed
    return Level.failed if share <= 0 else Level.partial


def _thresholds(rule: Rule) -> list[float]:
    values = [band.condition.threshold for band in rule.bands]
    if rule.deduction is not None:
        values.append(rule.deduction.target.threshold)
    return values


def _upper_bounds(pack: RulePack) -> dict[str, float]:
    """Caps the pack's own checks put on single answers (``SITE-03 <= 6``)."""
    caps: dict[str, float] = {}
    for check in pack.checks:
        left, right = check.assertion.left, check.assertion.right
        bounded = check.assertion.op.value in ("<=", "<", "==")
        if check.when is None and left.rule_id and right.constant is not None and bounded:
            caps[left.rule_id] = right.constant
    return caps


def _numeric_candidates(rule: Rule, cap: float | None = None) -> list[int | float]:
    """Values around every threshold of the rule: the answers units actually give."""
    found: set[float] = {0.0}
    for t in _thresholds(rule):
        for step in (0, 1, 2, 3, 4, 5, 6, 8, 10):
            found.update((t + step, t - step))
        found.update(t * k for k in (0.25, 0.5, 0.75, 1.25, 1.5))
    kind = rule.answer.type
    out: list[int | float] = []
    for value in sorted(found):
        if value < 0 or (kind is AnswerType.percent and value > 100):
            continue
        if cap is not None and value > cap:
            continue
        number = round(value, 1)
        out.append(int(number) if kind is AnswerType.count or number == int(number) else number)
    return sorted(set(out))


def _near(rule: Rule, value: float) -> float:
    return min((abs(value - t) for t in _thresholds(rule)), default=value)


def _pick(
    rule: Rule, level: Level, year: int, rng: random.Random, cap: float | None = None
) -> Value:
    """A value of ``rule``'s type that earns ``level`` under its bands (verified by the engine)."""
    spec = rule.answer
    if spec.type is AnswerType.yesno:
        good = spec.expect
        return good if level is Level.passed else not good
    if spec.type is AnswerType.choice:
        ids = [c.id for c in spec.choices if _level_of(_share(rule, c.id, year)) is level]
        return rng.choice(ids)
    if spec.type is AnswerType.date:
        ages = [a for a in range(10) if _level_of(_share(rule, _years_ago(year, a), year)) is level]
        return _years_ago(year, rng.choice(ages[:4] if level is not Level.failed else ages[1:4]))
    if spec.type is AnswerType.text:
        return "已明确"
    fitting = [
        v for v in _numeric_candidates(rule, cap) if _level_of(_share(rule, v, year)) is level
    ]
    # Units answer close to the line they are measured against, not at the extremes.
    fitting.sort(key=lambda v: (_near(rule, v), v))
    # Headcounts stay small: a unit with 2 full-time cadres does not write 4.
    nearest = fitting[: 2 if spec.unit == "人" else 3]
    return rng.choices(nearest, weights=(6, 3, 1)[: len(nearest)])[0]


def _years_ago(year: int, age: int) -> dt.date:
    return dt.date(year - age, 6, 18)


def _levels_possible(rule: Rule, year: int) -> set[Level]:
    spec = rule.answer
    if spec.type is AnswerType.yesno:
        return {Level.passed, Level.failed}
    if spec.type is AnswerType.choice:
        return {_level_of(_share(rule, c.id, year)) for c in spec.choices}
    if spec.type in (AnswerType.count, AnswerType.number, AnswerType.percent, AnswerType.ratio):
        return {_level_of(_share(rule, v, year)) for v in _numeric_candidates(rule)}
    return {Level.passed, Level.failed}


# Yes/no questions a unit plausibly answers with 基本落实 / 部分落实.
_HEDGEABLE = frozenset(
    {"LEAD-02", "LEAD-07", "LEAD-08", "SITE-04", "LIFE-06", "INNO-09", "FUND-05"}
)

# Rules a unit without a union leaves blank or answers no.
_UNION_ROWS = (
    "COV-05",
    "COV-06",
    "COV-07",
    "COV-20",
    "FUND-02",
    "FUND-03",
    "LIFE-05",
    "LIFE-07",
    "LIFE-08",
    "STAF-03",
    "RGHT-02",
    "RGHT-08",
    "RGHT-09",
)

# When each organisation's current term started: answered from the unit's elections.
_ELECTIONS = frozenset({"LIFE-08", "LIFE-09", "LIFE-10"})


@dataclass(frozen=True)
class Planned:
    """What one row of one file says."""

    value: Value | None
    """What the unit means (None: left blank)."""
    cell: Cell | None = None
    """A literal cell to write instead of spelling ``value``."""
    literal: bool = False
    """Whether ``cell`` is to be written as is."""
    evidence: str = ""
    claimed: float | None = None


def _level(example: Example, rule: Rule) -> Level:
    """Pass once the unit's maturity reaches the rule's difficulty for this unit."""
    difficulty = _rng(example.unit.key, rule.id, "difficulty").random()
    if rule.bonus:
        # Bonus items reward what only well-run units do.
        difficulty = 0.65 + 0.35 * difficulty
    maturity = example.maturity
    possible = _levels_possible(rule, example.year)
    if maturity >= difficulty:
        return Level.passed
    # The respelled shape rewrites every yes/no answer as a yes or no word.
    hedge = (
        rule.answer.type is AnswerType.yesno
        and rule.id in _HEDGEABLE
        and example.shape != "respelled"
    )
    if maturity >= difficulty - 0.25 and (Level.partial in possible or hedge):
        return Level.partial
    return Level.failed


def _numerator(ratio: Rule, level: Level, denominator: int, year: int, rng: random.Random) -> int:
    """A count over ``denominator`` whose rate lands in ``level`` of the ratio rule's bands."""
    fitting = [
        n
        for n in range(denominator + 1)
        if _level_of(_share(ratio, round(n / denominator * 100, 2), year)) is level
    ]
    if level is Level.failed:
        # Just short of the lowest band, as real shortfalls are.
        return fitting[-1 - rng.randrange(min(len(fitting), max(1, denominator // 8)))]
    return rng.choice(fitting[: max(1, len(fitting) // 2 + 1)])


def plan(example: Example, pack: RulePack) -> dict[str, Planned]:
    """Every applicable rule's answer in ``example`` (the form decides which rows exist)."""
    year = example.year
    unit = example.unit
    rules = [r for r in pack.rules if r.applies(unit.type_id, year)]
    levels = {r.id: _level(example, r) for r in rules}
    values: dict[str, Value | None] = {}
    literal: dict[str, Cell] = {}
    story = dict(example.answers)
    caps = _upper_bounds(pack)

    def rng(rule_id: str) -> random.Random:
        # Seeded without the year: a unit whose level on a rule has not changed
        # writes last year's answer again.
        return _rng(unit.key, rule_id, levels.get(rule_id))

    levels.update({rule_id: o for rule_id, o in story.items() if isinstance(o, Level)})
    for rule in rules:
        override = story.get(rule.id)
        if isinstance(override, Raw):
            literal[rule.id] = override.text
            values[rule.id] = override.meant
        elif override is not None and not isinstance(override, Level):
            values[rule.id] = override
        elif rule.veto and not isinstance(override, Level):
            # A veto failure is always part of a unit's story, never a random draw.
            values[rule.id] = _pick(rule, Level.passed, year, rng(rule.id), caps.get(rule.id))
        elif rule.id in _ELECTIONS:
            # The unit's organisations are elected together (the village's 2016 and
            # 2023 elections), so each body's current term starts at the latest one.
            values[rule.id] = max(d for d in unit.elections if d.year <= year)
        elif rule.id == "COV-20":
            values[rule.id] = unit.founded
        elif rule.id == "LEAD-03":
            values[rule.id] = unit.leader if levels[rule.id] is not Level.failed else None
        elif rule.answer.type is AnswerType.ratio or rule.points == 0:
            continue  # headcounts, below
        elif levels[rule.id] is Level.partial and rule.answer.type is AnswerType.yesno:
            values[rule.id] = "partial"
        else:
            values[rule.id] = _pick(rule, levels[rule.id], year, rng(rule.id), caps.get(rule.id))

    _headcounts(example, rules, levels, values)
    _make_consistent(example, rules, values, literal)

    planned: dict[str, Planned] = {}
    for rule in rules:
        value = values.get(rule.id)
        blank_draw = rng(rule.id + "/blank").random()
        if (
            rule.id not in story
            and not rule.veto
            and rule.points > 0
            and rule.answer.type is not AnswerType.ratio
            and blank_draw < 0.12 * (1 - example.maturity)
        ):
            value = None  # left blank: it counts as missing, never as "no"
        if rule.id in literal:
            planned[rule.id] = Planned(
                value,
                literal[rule.id],
                literal=True,
                evidence=_evidence(example, rule, value),
                claimed=_claim(example, rule, value),
            )
            continue
        if rule.answer.type is AnswerType.ratio and value is not None and not example.states_rates:
            value = None  # left for intake to compute from its counts
        planned[rule.id] = Planned(
            value,
            evidence=_evidence(example, rule, value),
            claimed=_claim(example, rule, value),
        )
    return planned


def _headcounts(
    example: Example,
    rules: Sequence[Rule],
    levels: Mapping[str, Level],
    values: dict[str, Value | None],
) -> None:
    """Data-only counts, sized to the unit, with numerators that give each ratio its level."""
    ids = {r.id for r in rules}
    year = example.year
    for rule_id, size in example.sizes.items():
        values.setdefault(rule_id, size)
    for ratio in (r for r in rules if r.answer.type is AnswerType.ratio):
        top, bottom = ratio.answer.numerator, ratio.answer.denominator
        assert top is not None and bottom is not None
        denominator = values.get(bottom)
        if top not in ids or not isinstance(denominator, int):
            continue
        if top not in values:
            rng = _rng(example.unit.key, year, top)
            values[top] = _numerator(ratio, levels[ratio.id], denominator, year, rng)
        numerator = values[top]
        if ratio.id not in values and isinstance(numerator, int) and denominator:
            values[ratio.id] = round(numerator / denominator * 100, 1)
    _data_rows(example, ids, levels, values)
    missing = [r.id for r in rules if r.points == 0 and r.id not in values]
    if missing:
        raise ValueError(f"{example.file}: no size or ratio gives {missing}")


def _data_rows(
    example: Example,
    ids: set[str],
    levels: Mapping[str, Level],
    values: dict[str, Value | None],
) -> None:
    """Unscored counts, drawn to fit the unit and the answers they go with."""
    rng = _rng(example.unit.key, example.year, "data")
    cadres, trained = values.get("STAF-01"), values.get("STAF-17")
    if isinstance(cadres, int) and isinstance(trained, int):
        values.setdefault("STAF-12", cadres - trained)
    values.setdefault("STAF-02", 1)
    if "RGHT-03" in ids:
        members = values.get("COV-02")
        covered = members if isinstance(members, int) else 40 + rng.randrange(30)
        values.setdefault("RGHT-03", covered if values.get("RGHT-01") is True else 0)
    values.setdefault("RGHT-09", rng.randrange(4))
    # Visits grow with how well the unit works: a handful at first, dozens later.
    values.setdefault("RGHT-13", round(6 + 30 * example.maturity) + rng.randrange(6))
    mediates = values.get("SERV-06") is True or levels.get("SERV-06") is Level.passed
    values.setdefault("SERV-07", 1 + rng.randrange(6) if mediates else 0)


def _make_consistent(
    example: Example,
    rules: Sequence[Rule],
    values: dict[str, Value | None],
    literal: dict[str, Cell],
) -> None:
    """Answers that follow from others, unless the story says otherwise."""
    ids = {r.id for r in rules}
    fixed = set(example.answers)

    def put(rule_id: str, value: Value | None) -> None:
        if rule_id in ids and rule_id not in fixed:
            values[rule_id] = value

    if values.get("COV-04") is False:
        put("COV-02", 0)
        put("LIFE-02", 0)
        for rule_id in _UNION_ROWS:
            put(rule_id, None)
    staff = values.get("COV-01")
    if isinstance(staff, int) and values.get("COV-04") is not False:
        put("STAF-03", True if staff >= 200 else None)
        if staff < 200 and "STAF-03" in ids and "STAF-03" not in fixed:
            literal["STAF-03"] = NA.text  # as the rule's guidance tells small units to
    members = values.get("COV-02")
    if isinstance(members, int) and members >= 25:
        put("COV-05", True)
    if values.get("STAF-02") == 0:
        put("STAF-04", False)
    if values.get("SITE-01") is False:
        put("SITE-02", False)
        put("SITE-04", False)
    if values.get("SITE-02") is False:
        put("SITE-03", 0)
    if values.get("COV-10") is True:
        put("COV-09", True)  # a League branch means the League is organised
    if values.get("LIFE-02") == 0:
        put("FUND-03", False)  # no members' congress, so no audit report to it
    if values.get("SERV-06") is not True:
        put("SERV-07", 0)
    if values.get("RGHT-01") is not True:
        put("RGHT-03", 0)


# --- evidence and self-scores ---------------------------------------------------------------

_EVIDENCE: dict[str, str] = {
    "LEAD-01": "党组织会议记录（{y}年3月、9月）",
    "LEAD-02": "《{y}年度党建工作目标考核办法》",
    "LEAD-05": "党建带群建联席会议纪要（{y}年）",
    "LEAD-07": "党组织会议记录（审议{y}年群团工作计划）",
    "LEAD-11": "联席会议纪要、问题销号清单",
    "COV-04": "建会批复文件",
    "COV-06": "工会法人资格证书",
    "COV-10": "团支部成立批复",
    "STAF-11": "{y}年培训通知、签到表",
    "FUND-01": "{y}年工会经费拨缴凭证",
    "FUND-03": "{y}年度工会经费审查报告",
    "SITE-03": "妇女之家照片、制度、活动记录",
    "SITE-05": "台账目录",
    "SITE-06": "命名文件",
    "LIFE-08": "选举结果批复",
    "LIFE-09": "选举结果批复",
    "LIFE-10": "选举结果批复",
    "LIFE-03": "{y}年职代会决议",
    "INNO-10": "表彰文件",
    "INNO-11": "《太仓群团》{y}年第3期",
    "INNO-12": "政府购买服务合同",
}


def _evidence(example: Example, rule: Rule, value: Value | None) -> str:
    if rule.id in example.evidence_text:
        return example.evidence_text[rule.id]
    if not rule.evidence_required or value is None:
        return ""
    if _share(rule, value, example.year) <= 0:
        return ""
    if _rng(example.unit.key, example.year, rule.id, "evidence").random() >= example.evidence:
        return ""  # a positive claim with nothing to show for it
    return _EVIDENCE.get(rule.id, "工作台账").format(y=example.year)


def _claim(example: Example, rule: Rule, value: Value | None) -> float | None:
    if example.claims == "none" or value is None or rule.points == 0:
        return None
    share = _share(rule, value, example.year) if rule.answer.type is not AnswerType.text else 1.0
    if example.claims == "full":
        return rule.points if share > 0 else 0.0
    # Honest units score by the band, to one decimal, rounding down.
    return math.floor(rule.points * share * 10 + 1e-9) / 10


# --- spelling ---------------------------------------------------------------------------


def _spell(rule: Rule, value: Value | None, style: str, n: int) -> Cell:
    """``value`` typed the way this file's unit types answers."""
    if value is None:
        return None
    spec = rule.answer
    if spec.type is AnswerType.yesno:
        if value == "partial":
            return ("基本落实", "部分落实")[n % 2]
        yes = bool(value)
        if style == "marks":
            return "√" if yes else "×"
        if style == "units" and n % 2:
            return "有" if yes else "无"
        return "是" if yes else "否"
    if spec.type is AnswerType.choice:
        return next(c.label.zh for c in spec.choices if c.id == value)
    if isinstance(value, dt.date):
        if style == "units":
            return f"{value.year}年{value.month}月"
        if style == "marks":
            return f"{value.year}.{value.month}"
        return value
    if spec.type in (AnswerType.percent, AnswerType.ratio) and isinstance(value, int | float):
        return f"{value:g}%"
    if spec.type in (AnswerType.count, AnswerType.number) and isinstance(value, int | float):
        if style == "units" and spec.unit:
            return f"{value:g}{spec.unit}"
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def _claimed_cell(claimed: float | None) -> Cell:
    if claimed is None:
        return None
    return int(claimed) if claimed == int(claimed) else claimed


# --- the form a unit fills in -----------------------------------------------------------


def _local_rule(area: str, indicator: str, n: int) -> Rule:
    """A town's own extra indicator: not in the pack, so intake should list it as unmatched."""
    return Rule(
        id=f"附{n}",
        area=area,
        org=Org.all,
        indicator=Text(indicator, indicator),
        answer=AnswerSpec(AnswerType.count),
        points=0,
        severity=Severity.minor,
        finding=Text("", ""),
        recommendation=Text("", ""),
        source="town",
    )


def form_of(example: Example, pack: RulePack) -> tuple[RulePack, Form]:
    """The rows of this unit's form (as a pack for the shared builders) and its answers."""
    planned = plan(example, pack)
    unit = example.unit
    listed = [
        r
        for r in pack.rules
        if (example.all_rules or r.applies(unit.type_id, example.year))
        and r.id not in example.dropped
    ]
    rows: list[Rule] = []
    for rule in listed:
        if rule.id in example.retyped:
            rule = replace(rule, indicator=Text(example.retyped[rule.id], rule.indicator.en))
        elif rule.id in example.reworded and rule.aliases:
            rule = replace(rule, indicator=Text(rule.aliases[0], rule.indicator.en))
        rows.append(rule)
    answers: dict[str, Filled] = {}
    for n, rule in enumerate(rows):
        row = planned.get(rule.id)
        if row is None:
            continue  # a row for another unit type, left blank
        cell = row.cell if row.literal else _spell(rule, row.value, example.spelling, n)
        answers[rule.id] = Filled(cell, row.evidence, _claimed_cell(row.claimed))
    for n, (area, indicator, answer) in enumerate(example.local_rows, start=1):
        local = _local_rule(area, indicator, n)
        last = max(i for i, r in enumerate(rows) if r.area == area)
        rows.insert(last + 1, local)
        answers[local.id] = Filled(answer)
    form = Form(example.name, example.type_zh, example.year, unit.town, answers)
    return replace(pack, rules=tuple(rows)), form


# --- writers ------------------------------------------------------------------------------


def _saved_at(example: Example) -> dt.datetime:
    # Units send the form in January after the year they assess.
    return dt.datetime(example.year + 1, 1, 6 + 2 * UNITS.index(example.unit), 9, 30)


@contextmanager
def _pinned_openpyxl_saves(when: dt.datetime) -> Iterator[None]:
    """Route the shared builders' ``Workbook.save`` through the pinned-timestamp writer.

    tests/forms.py saves with openpyxl's own ``save``, which stamps the clock
    into docProps/core.xml and every zip entry; shipped examples must come out
    byte-identical on every run.
    """
    from openpyxl.workbook.workbook import Workbook

    original = Workbook.save

    def save(self: Workbook, filename: object) -> None:
        if not isinstance(filename, str | Path):
            raise TypeError(f"the example builders save to a path, not {filename!r}")
        save_workbook(self, Path(filename), when)

    Workbook.save = save  # type: ignore[method-assign]
    try:
        yield
    finally:
        Workbook.save = original  # type: ignore[method-assign]


_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _pin_zip_times(path: Path) -> None:
    """Rewrite a zip (odfpy's .ods) with fixed entry times, keeping order and compression."""
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w") as target:
        for info, data in entries:
            pinned = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            pinned.compress_type = info.compress_type
            pinned.external_attr = 0o644 << 16
            target.writestr(pinned, data)


def _fill_template(pack: RulePack, example: Example, form: Form, path: Path) -> Path:
    """The official template, filled in the way a unit fills it in Excel."""
    from checklist import layout

    # The workbook `checklist template --type …` writes, filled before it is saved
    # (writing it out and reading it back in would only double the time).
    book = build_template(pack, Lang.zh, resolve_unit_type(pack, example.unit.type_id))
    info = book[layout.UNIT_SHEET.zh]
    unit_values: dict[str, Cell] = {
        "name": form.name,
        "type": form.unit_type_zh,
        "town": form.town,
        "year": form.year,
        "filled_by": example.unit.filled_by,
        "phone": example.unit.phone,
    }
    for row, (key, _) in enumerate(layout.UNIT_FIELDS, start=1):
        info.cell(row=row, column=2).value = unit_values[key]
    sheet = book[layout.ASSESSMENT_SHEET.zh]
    column = {key: index for index, (key, _) in enumerate(layout.COLUMNS, start=1)}
    for row in range(2, sheet.max_row + 1):
        rule_id = sheet.cell(row=row, column=column["id"]).value
        if not isinstance(rule_id, str) or rule_id not in form.answers:
            continue
        filled = form.answers[rule_id]
        sheet.cell(row=row, column=column["answer"]).value = filled.answer
        sheet.cell(row=row, column=column["evidence"]).value = filled.evidence or None
        sheet.cell(row=row, column=column["claimed"]).value = filled.claimed
        sheet.cell(row=row, column=column["remarks"]).value = example.remarks.get(rule_id)
    save_workbook(book, path, _saved_at(example))
    return path


Shape = Callable[[RulePack, Form, Path], Path]

SHAPES: dict[str, Shape] = {
    "other_header_words": forms.other_header_words,
    "shuffled_with_ids": forms.shuffled_with_ids,
    "shuffled_without_ids": forms.shuffled_without_ids,
    "titles_and_merged_areas": forms.titles_and_merged_areas,
    "area_heading_rows": forms.area_heading_rows,
    "traditional": forms.traditional_and_pinyin,
    "respelled": forms.respelled_answers,
    "two_level_header": forms.two_level_header,
    "xls": forms.xls_copy,
    "ods": forms.ods_copy,
    "csv": forms.csv_export,
}
"""The shared builders of tests/forms.py by example shape (``template`` is filled here)."""


def write_example(example: Example, pack: RulePack, out: Path) -> Path:
    """Write one example file into ``out``."""
    rows, form = form_of(example, pack)
    path = out / example.file
    if example.shape == "template":
        return _fill_template(pack, example, form, path)
    if example.shape == "ods":
        from odf.element import Element

        # odfpy declares, in every file, each namespace any document in the
        # process has used so far (a class-level dict); start from none, as a
        # fresh process does, so the bytes do not depend on what ran before.
        Element.namespaces.clear()
    with _pinned_openpyxl_saves(_saved_at(example)):
        written = SHAPES[example.shape](rows, form, path)
    if written != path:
        raise ValueError(f"{example.file}: the {example.shape} shape wrote {written.name}")
    if example.shape == "ods":
        _pin_zip_times(written)
    return written


# --- README ---------------------------------------------------------------------------------

_README_HEAD = """\
# Example assessments

Eighteen self-assessment files from six fictional units in Taicang (太仓), each
for 2022, 2023 and 2024. `checklist demo` scores them and writes their gap
reports; they are also the test bed for intake (`tests/test_examples.py`).

The units, names, people and numbers are invented. The files are written the
way units really send them: retyped forms with other header words, the official
template filled in, title rows and merged category cells, √/×, full-width
numbers, traditional characters, all unit details in one cell, blanks, a legacy
`.xls`, a GBK `.csv` export and an `.ods`.

**Do not edit these files by hand.** They are generated by
`scripts/make_examples.py` (`.venv/bin/python scripts/make_examples.py`), which
picks every answer from the rule pack's own bands for the unit's maturity that
year and pins all timestamps, so regenerating gives byte-identical files. Change
the generator and rerun it instead.

The units filled these forms against the current rule pack (grassroots
2026.2), so every rule that applies to them has a row and an answer, and the
table below describes them under that pack. Two of 东林村's forms as they were
filled against 2026.1 are kept, unchanged, in `tests/data/pack-2026.1/` (with the
frozen pack in `scripts/packs/grassroots-2026.1/`) for the tests of forms filled
against an older pack.

## What the set contains for the audit

| Finding | Where |
| --- | --- |
| Veto rule failed (grade at most 合格) | 沙溪镇第一中学 2024 (LIFE-03, 优秀 lowered to 合格); 港城物流 2022 (COV-04, FUND-01) and 2023 (FUND-01); 新湖村 every year (COV-10) |
| Over-claimed self-score (自评得分 above what the rules give) | 西园社区, every year; 华东精密 2022 (the membership rate); wherever an honest self-score ignored missing evidence |
| Unsupported claim (evidence required, none named) | 东林村 2022 (LEAD-01 and others), 新湖村, 港城物流 2022 |
| Stated rate far from its counts | 华东精密 2022 (入会率 98% stated, 203 of 262 members) |
| Failed consistency check | 华东精密 2024 (CHK-02: 14 cadres aged 35 or under of 12) |
| 不适用 declared on a rule that applies (scores as unanswered) | 新湖村 2023 (COV-10, the League-branch veto, which still caps the grade) |
| Rule left out by its condition, not by the unit | STAF-03 (full-time union chair) for units under 200 staff: 沙溪镇第一中学 every year, 港城物流 2023 and 2024 (`applies_if: "COV-01 >= 200"`) |
| Answer intake cannot read | 新湖村 2023 (RGHT-12 很多) |
| Answers read by the rule's own words or the general reading | 东林村 2024 (SITE-05 齐全 → 0 ledgers missing); 华东精密 2023 (FUND-01 稅務代收 → paid); 港城物流 2023 (COV-07 经审会已建，女职委未建 → partly); 港城物流 2024 (STAF-03 不适用（职工不足200人） → N/A); 新湖村 2022 (LEAD-03 暂无 → no leader named) |
| Row matching no rule | 东林村 2023 (a town's extra indicator 垃圾分类督导员人数); 港城物流 2022's own wording 微信公众号更新情况 matches INNO-02 through the rule's alias |

For `checklist compare` and `checklist trend`, use 东林村 (gaps closing) or
西园社区 (a regression).
"""


def readme() -> str:
    """The README of the examples folder, from the same specs that write the files."""
    lines = [_README_HEAD, "## Units and files", ""]
    for unit in UNITS:
        lines.append(f"### {unit.name} ({unit.type_id}, {unit.town})")
        lines.append("")
        lines.append(unit.story)
        lines.append("")
        lines.append("| Year | File | Shape and mess |")
        lines.append("| --- | --- | --- |")
        for example in (e for e in EXAMPLES if e.unit is unit):
            shows = example.shows.replace("|", "\\|")  # a pipe would end the table cell
            lines.append(f"| {example.year} | `{example.file}` | {shows} |")
        lines.append("")
    return "\n".join(lines)


# --- entry points -----------------------------------------------------------------------------


PACK_2026_1 = ROOT / "scripts" / "packs" / "grassroots-2026.1"
"""A frozen copy of pack 2026.1, the version the examples were first filled against.

The examples now answer the current pack (a demo whose forms leave the new
rules blank shows every unit as failing). Two 东林村 forms filled against
2026.1 stay, unchanged, in :data:`FORMS_2026_1` for the tests of older forms
(reading under a newer pack, comparing across versions, saved results)."""

FORMS_2026_1 = ROOT / "tests" / "data" / "pack-2026.1"
"""东林村 2023 and 2024 as filled against 2026.1 (not regenerated: they stand for sent files)."""


def generate(out: Path = EXAMPLES_DIR, pack: RulePack | None = None) -> list[Path]:
    """Write every example and the README into ``out``; return the example files in order."""
    pack = pack if pack is not None else load_pack("grassroots")
    out.mkdir(parents=True, exist_ok=True)
    written = [write_example(example, pack, out) for example in EXAMPLES]
    (out / "README.md").write_bytes(readme().encode("utf-8"))
    return written


def prune(out: Path, keep: Sequence[Path]) -> list[Path]:
    """Remove example files in ``out`` that the generator no longer writes (renamed ones)."""
    kept = {p.name for p in keep}
    stale = [
        p for p in sorted(out.iterdir()) if p.suffix in EXAMPLE_SUFFIXES and p.name not in kept
    ]
    for path in stale:
        path.unlink()
    return stale


def main(argv: Sequence[str] | None = None) -> int:
    """Write the examples into the folder given (default: checklist/examples/)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) > 1 or any(a.startswith("-") for a in args):
        print("usage: make_examples.py [OUTPUT_FOLDER]", file=sys.stderr)
        return 2
    out = Path(args[0]) if args else EXAMPLES_DIR
    written = generate(out)
    for path in prune(out, written):
        print(f"removed stale {path.name}")
    print(f"wrote {len(written)} example files and README.md to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
