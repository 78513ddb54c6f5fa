"""Intake against forms shaped like the ones county offices actually receive.

Each builder writes one realistic workbook (the layouts of docs/domain-research.md §3.1
and the messy entry of §4) and says what a careful human reads from it: the
unit, which row is which rule, each answer's value, what belongs to no rule.
Few rows use the pack's own wording: indicators are retyped, shortened, carry
their scoring criterion, or sit next to it. Where intake is known to read a
form otherwise, the form says so in a ``Gap`` with the reason, and the test
checks that intake does exactly that (a fix shows up as a failing gap).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from checklist.intake import read_assessment
from checklist.model import AnswerState, Assessment, RulePack, Value
from checklist.rulepack import load_pack

Cell = str | int | float | dt.date | None


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


class _NotApplicable:
    def __repr__(self) -> str:
        return "N/A"


MISSING = _Missing()
NA = _NotApplicable()
Expected = Value | _Missing | _NotApplicable


@dataclass(frozen=True)
class Reading:
    """What a careful human reads from a form."""

    name: str
    unit_type: str | None
    year: int | None
    answers: dict[str, Expected]
    """Rule id → value; exactly these rules have a row in the form."""
    claimed: dict[str, float] = field(default_factory=dict)
    unmatched: tuple[str, ...] = ()
    """Start of the text of each row that belongs to no rule, in form order."""
    notes: frozenset[str] = frozenset()
    """Note codes the reader must see."""
    gaps: tuple[Gap, ...] = ()
    """Where intake is known to read the form otherwise, and why."""


@dataclass(frozen=True)
class Gap:
    """A known difference between intake and a careful human, kept visible by the test."""

    why: str
    answers: dict[str, Expected | None] = field(default_factory=dict)
    """What intake reads instead, by rule; None: intake has no answer for the rule."""
    unmatched: tuple[str, ...] = ()
    """Rows intake leaves unmatched that a human ties to a rule."""
    claimed: dict[str, float] = field(default_factory=dict)
    """Self-scores intake reads instead, by rule."""


@pytest.fixture(scope="module")
def pack() -> RulePack:
    return load_pack("grassroots")


def _append(sheet: Worksheet, rows: Sequence[Sequence[Cell]]) -> None:
    for row in rows:
        sheet.append(list(row))


def _merge_down(sheet: Worksheet, column: int, first_row: int, groups: Sequence[int]) -> None:
    """Merge ``column`` (1-based) down each group of rows, starting at ``first_row``."""
    row = first_row
    for size in groups:
        if size > 1:
            sheet.merge_cells(
                start_row=row, start_column=column, end_row=row + size - 1, end_column=column
            )
        row += size


# --- 1. 昆山 school union: 工作类别 | 序号 | 考核内容指标 | 分值 | 注 | 自评分 | 考评分 ----


def kunshan_school_union(folder: Path) -> tuple[Path, Reading]:
    """S9's layout: vertical category text with its subtotal, scoring notes in 注, no answers."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    _append(
        sheet,
        [
            ["2024年度昆山市基层教育工会工作考核自评表"],
            ["单位：昆山市玉峰实验学校工会（盖章）", None, None, None, None, "2024年12月29日"],
            ["工作类别", "序号", "考核内容指标", "分值", "注", "自评分", "考评分"],
            [
                "工\n会\n组\n织\n15",
                1,
                "教职工全部加入工会，入会率达98%以上",
                3,
                "每低1个百分点扣0.5分",
                3,
            ],
            [None, 2, "工会依法取得社团法人资格证书", 1, "未办理不得分", 1],
            [None, 3, "经审会、女职委与工会同步建立", 1, "缺一项扣0.5分", 1],
            [None, 4, "新调入教职工当年全部入会", 1, None, 1],
            [
                "民\n主\n管\n理\n20",
                5,
                "每学年召开教代会不少于1次，审议学校重大事项",
                2,
                "未召开不得分",
                2,
            ],
            [None, 6, "工会委员会每季度至少召开1次会议", 1, "少1次扣0.5分", 0.5],
            [None, 7, "会员民主评议工会主席，满意率达80%以上", 1, None, 1],
            ["经\n费\n管\n理\n10", 8, "按时足额拨缴工会经费", 3, "未足额拨缴不得分", 3],
            [None, 9, "工会经费单独建账、独立核算", 2, None, 2],
            [None, 10, "经费收支每年向教代会报告，接受经审会审查", 1, None, 1],
            ["建\n家\n工\n作\n15", 11, "教工之家阵地建设（活动室、图书室等）", 2, None, 2],
            [None, 12, "开展教职工文体活动每学期不少于2次", 2, "少1次扣1分", 2],
            [None, 13, "做好困难教职工帮扶慰问工作", 2, None, 2],
            ["加\n分\n项", 14, "获昆山市、苏州市、省级模范教工之家分别加1、3、5分", None, None, 3],
            ["合计", None, None, 100, None, 96.5],
        ],
    )
    sheet.merge_cells("A1:G1")
    _merge_down(sheet, 1, 4, [4, 3, 3, 3, 1])
    path = folder / "玉峰实验学校工会考核表.xlsx"
    book.save(path)
    rules = "COV-03 COV-06 COV-07 COV-14 LIFE-03 LIFE-07 LIFE-05 FUND-01 FUND-02 FUND-03 SITE-01 RGHT-10"
    claimed = dict(zip(rules.split(), [3, 1, 1, 1, 2, 0.5, 1, 3, 2, 1, 2, 2], strict=True))
    # Yes/no rules read from the self-score against the row's points (all full
    # here); counts and rates cannot be, and the bonus row has no points.
    answers: dict[str, Expected] = {r: MISSING for r in (*rules.split(), "SITE-06")}
    answers.update(
        dict.fromkeys(
            ["COV-06", "COV-07", "FUND-01", "FUND-02", "FUND-03", "SITE-01", "RGHT-10"], True
        )
    )
    return path, Reading(
        "昆山市玉峰实验学校工会",
        "school",
        2024,
        answers,
        claimed={**claimed, "SITE-06": 3},
        # 困难教职工帮扶 is RGHT-10 from pack 2026.2 (维权: help for workers in hardship).
        unmatched=("开展教职工文体活动",),
        notes=frozenset({"no_answer_column"}),
        gaps=(
            Gap(
                "Row 1 names two indicators (全部加入工会 and 入会率达98%); its first clause is "
                "COV-14's wording almost word for word, so it takes COV-14, and row 4 (新调入"
                "教职工当年全部入会, COV-14 for a human) is left unmatched. A human reads row 1 "
                "by the rate it sets.",
                answers={"COV-03": None, "COV-14": True},
                unmatched=("新调入教职工当年全部入会",),
                claimed={"COV-14": 3},
            ),
        ),
    )


# --- 2. 党建带团建: 项目 | 序号 | 考核内容 | 分值 | 考评办法 | 自评分 | 群众评分 | 上级党组织评分


def party_builds_league(folder: Path) -> tuple[Path, Reading]:
    """S4's layout: three raters' score columns, the method column, no answers."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "考核表"
    _append(
        sheet,
        [
            ["城厢镇2024年度村级党建带团建工作考核表"],
            ["被考核单位：东林村党总支", None, None, None, "考核时间：2025年1月"],
            [
                "项目",
                "序号",
                "考核内容",
                "分值",
                "考评办法",
                "自评分",
                "群众评分",
                "上级党组织评分",
            ],
            [
                "组织领导（8分）",
                1,
                "党组织每年专题研究共青团工作不少于2次",
                2,
                "查阅会议记录，少1次扣1分",
                2,
                2,
                None,
            ],
            [None, 2, "团组织负责人列席党组织有关会议", 2, "查阅会议记录", 2, 1.5, None],
            [
                None,
                3,
                "建立党建带团建联席会议制度，每年至少召开2次联席会议",
                2,
                "查阅纪要",
                1,
                1,
                None,
            ],
            [None, 4, "党组织书记年度述职报告中包含带团建工作内容", 2, "查述职报告", 2, 2, None],
            ["团的建设（8分）", 5, "按团员人数规范设置团组织", 2, "现场查看", 2, 2, None],
            [None, 6, "村团支部组织健全", 2, "现场查看", 2, 2, None],
            [None, 7, "按时完成团员教育评议和团籍注册", 2, "查智慧团建系统", 2, 2, None],
            [None, 8, "每季度上一次团课", 2, "查阅记录", 1.5, 1, None],
            ["工作保障（4分）", 9, "团的工作经费列入村级预算并足额拨付", 2, "查账目", 2, 2, None],
            [None, 10, "有固定的青年之家活动场所", 2, "现场查看", 2, 2, None],
            ["加分", 11, "帮助团组织解决实际问题，每解决1个加1分", None, "查资料", 1, None, None],
            ["合计", None, None, 20, None, 19.5, 18.5, None],
        ],
    )
    sheet.merge_cells("A1:H1")
    _merge_down(sheet, 1, 4, [4, 4, 2, 1])
    path = folder / "党建带团建考核表.xlsx"
    book.save(path)
    rules = "LEAD-01 LEAD-04 LEAD-05 LEAD-08 COV-09 COV-10 LIFE-06 LIFE-04 FUND-04 SITE-01 LEAD-11"
    points = [2, 2, 1, 2, 2, 2, 2, 1.5, 2, 2, 1]
    return path, Reading(
        "东林村党总支",
        "village",
        2024,
        # Yes/no rules with full self-scores read as met; counts stay missing.
        {
            r: True if r in ("LEAD-08", "COV-09", "COV-10", "LIFE-06", "SITE-01") else MISSING
            for r in rules.split()
        },
        claimed=dict(zip(rules.split(), points, strict=True)),
        notes=frozenset({"no_answer_column"}),
    )


# --- 3. 职工之家验收: 次序 | 验收标准 | 工作情况和数字说明 | 应得分 | 自评分 | 验收分 ------


def staff_home_acceptance(folder: Path) -> tuple[Path, Reading]:
    """S8's layout: the answers are sentences with numbers in 工作情况和数字说明."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    _append(
        sheet,
        [
            ["机关事业工会合格职工之家达标验收评分表"],
            ["单位名称：太仓市第一人民医院工会", None, None, None, "验收时间：2024年11月"],
            ["次序", "验收标准", "工作情况和数字说明", "应得分", "自评分", "验收分"],
            ["一", "依法建立工会，职工入会率达到95%以上", "职工56人，会员54人，入会率96.4%", 10, 8],
            [
                "二",
                "工会委员会健全，经审会、女职工委员会同步建立",
                "工会委员5人，经审委员3人，女职委委员3人，均已建立",
                10,
                10,
            ],
            ["三", "每年召开会员（代表）大会", "2024年3月召开会员代表大会1次", 10, 10],
            ["四", "按工资总额2%足额拨缴工会经费", "已足额拨缴，全年拨缴12.6万元", 10, 10],
            ["五", "工会经费独立核算、单独设账", "单独设立账户，由财务科代管", 10, 8],
            ["六", "建有职工之家活动阵地", "有职工活动室120平方米、职工书屋1个", 10, 10],
            ["七", "每年召开职代会一次以上", "每年召开一次", 10, 10],
            ["八", "会员评议工会主席满意率达90%以上", "测评满意率92%", 10, 10],
            ["合计", None, None, 80, 76],
            ["验收组意见：同意通过验收。", None, None, None, None, None],
            ["验收组成员（签字）：", None, None, "日期：", None, None],
        ],
    )
    sheet.merge_cells("A1:F1")
    sheet.merge_cells("A15:F15")
    path = folder / "职工之家验收评分表.xlsx"
    book.save(path)
    return path, Reading(
        "太仓市第一人民医院工会",
        "institution",
        2024,
        {
            "COV-03": 96.4,
            "COV-07": True,
            "LIFE-02": 1,
            "FUND-01": True,
            "FUND-02": True,
            "SITE-01": True,
            "LIFE-03": 1,
            "LIFE-05": 92,
        },
        claimed={"COV-03": 8, "COV-07": 10, "LIFE-02": 10, "FUND-02": 8},
    )


# --- 4. 团委目标管理: 一级指标 (vertical, merged, subtotal) | 二级指标 | 评分标准 | … -------


def league_target_management(folder: Path) -> tuple[Path, Reading]:
    """S41's layout with a 完成情况 column: short 二级指标 next to the real requirement,
    一级指标 written vertically with its subtotal and merged down, 得分 over two columns."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    _append(
        sheet,
        [
            ["2024年度村（社区）团组织工作目标管理考核细则"],
            ["团组织名称：共青团东林村支部委员会"],
            ["一级指标", "二级指标", "评分标准", "完成情况", "分值", "得分", None],
            [None, None, None, None, None, "自评得分", "考评得分"],
            [
                "组\n织\n建\n设\n\n16",
                "团组织设置",
                "团员3人以上建立团支部，设置不规范扣2分",
                "符合",
                4,
                4,
            ],
            [None, "团员队伍", "准确掌握团员人数，在册团员与实有团员一致", "在册团员18名", 4, 4],
            [None, "智慧团建", "团员在“智慧团建”系统报到率达100%", "16人已报到，报到率88.9%", 4, 3],
            [None, "团课", "每季度至少上1次团课", "全年4次", 4, 4],
            [
                "工\n作\n保\n障\n\n12",
                "经费保障",
                "团的工作经费纳入预算，按标准足额到位",
                "到位率100%",
                4,
                4,
            ],
            [None, "活动阵地", "建有“青年之家”等团员青年活动阵地", "√", 4, 4],
            [None, "教育评议", "按时完成年度团员教育评议和团籍注册", "已完成", 4, 4],
        ],
    )
    for cells in ("A1:G1", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:E4", "F3:G3"):
        sheet.merge_cells(cells)
    _merge_down(sheet, 1, 5, [4, 3])
    path = folder / "团组织目标管理考核.xlsx"
    book.save(path)
    return path, Reading(
        "共青团东林村支部委员会",
        "village",
        2024,
        {
            "COV-09": True,
            "COV-08": 18,
            "INNO-04": 88.9,
            "LIFE-04": 4,
            "FUND-04": 100,
            "SITE-01": True,
            "LIFE-06": True,
        },
        claimed={"COV-09": 4, "INNO-04": 3, "FUND-04": 4},
    )


# --- 5. header on row 8 under a title block, a 填报说明 row under the header ----------


def title_block_and_note_row(folder: Path) -> tuple[Path, Reading]:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    _append(
        sheet,
        [
            ["附件2"],
            ["2024年度村（社区）基层群团组织建设自评表"],
            ["（村、社区适用）"],
            ["填报单位（盖章）：沙溪镇涂松村村民委员会"],
            ["填报人：王芳", None, None, "联系电话：13812345678"],
            ["填报日期：2025年1月6日"],
            [],
            ["序号", "考核内容", "自评情况", "佐证材料", "自评分", "备注"],
            ["填报说明：“自评情况”栏请填写实际数字或“是/否”，不涉及的填“不适用”。"],
            [1, "党组织专题研究群团工作（次）", "3", "党委会议记录", 3],
            [2, "群团工作纳入村党建考核", "是", "考核办法", 3],
            [3, "分管群团工作的负责人", "陈建华 村党委副书记", None, 1],
            [4, "村团支部建立情况", "已建立", None, 2],
            [5, "妇代会改建妇联", "已完成", None, 2],
            [6, "村妇联执委人数", "9人", None, 2],
            [7, "妇联主席进村两委班子", "是", None, 2],
            [8, "村级妇联工作经费列入预算", "未列入", None, 0],
            [9, "妇女之家挂牌运行", "有，每周六开放", None, 1],
            [10, "妇女之家“六有”达标情况", "六有齐全", None, 2],
            [11, "最近一次换届时间", "2021年9月", None, 2],
            [12, "网上群团阵地更新频次", "每周更新", None, 2],
            [13, "群团干部（含兼职）总数", "7", None, None],
        ],
    )
    sheet.merge_cells("A2:F2")
    sheet.merge_cells("A9:F9")
    path = folder / "涂松村自评表.xlsx"
    book.save(path)
    return path, Reading(
        "沙溪镇涂松村村民委员会",
        "village",
        2024,
        {
            "LEAD-01": 3,
            "LEAD-02": True,
            "LEAD-03": "陈建华 村党委副书记",
            "COV-10": True,
            "COV-11": True,
            "COV-12": 9,
            "STAF-06": True,
            "FUND-05": False,
            "SITE-02": True,
            "SITE-03": 6,
            "INNO-02": "monthly",
            "STAF-01": 7,
        },
        # Whose election? From pack 2026.2 each organisation has its own term rule.
        unmatched=("最近一次换届时间",),
    )


# --- 6. one sheet per organisation, a cover and a summary sheet ---------------------------


def sheet_per_organisation(folder: Path) -> tuple[Path, Reading]:
    book = openpyxl.Workbook()
    cover = book.active
    assert cover is not None
    cover.title = "封面"
    _append(
        cover,
        [
            ["2024年度基层群团工作自评材料"],
            [],
            ["单位名称：太仓市沙溪第一中学"],
            ["填报日期：2025年1月8日"],
        ],
    )
    sheets: dict[str, list[list[Cell]]] = {
        "工会": [
            ["沙溪一中工会工作自评表"],
            ["序号", "考核内容", "自评情况", "自评分"],
            [1, "教职工总数", "126人", None],
            [2, "工会会员数", "124人", None],
            [3, "教代会召开次数", "1次", 1],
            [4, "工会委员会会议次数", "每季度一次", 1],
            [5, "工会经费按2%足额拨缴", "是", 3],
            [6, "新入职教师入会", "全部入会", 1],
        ],
        "团委": [
            ["沙溪一中团委工作自评表"],
            ["序号", "考核内容", "自评情况", "自评分"],
            [1, "团员人数", "312", None],
            [2, "团组织设置", "团委1个，下设团支部18个", 2],
            [3, "智慧团建报到人数", "305人", None],
            [4, "团课开展次数", "每月1次", 1],
            [5, "团籍注册", "已完成", 1],
        ],
        "党建带群建": [
            ["党建带群建工作自评表"],
            ["序号", "考核内容", "自评情况", "自评分"],
            [1, "党组织专题研究群团工作次数", "2次（3月、9月）", 3],
            [2, "群团负责人列席党组织会议", "6次", 2],
            [3, "党建带群建联席会议", "2", 2],
            [4, "书记述职涉及群团工作", "是", 2],
        ],
        "汇总": [
            ["自评得分汇总"],
            ["序号", "项目", "分值", "自评分"],
            [1, "工会工作", 40, 36],
            [2, "团委工作", 30, 28],
            [3, "党建带群建", 30, 27],
            [None, "合计", 100, 91],
        ],
    }
    for title, rows in sheets.items():
        _append(book.create_sheet(title), rows)
    path = folder / "沙溪一中2024群团自评.xlsx"
    book.save(path)
    return path, Reading(
        "太仓市沙溪第一中学",
        "school",
        2024,
        {
            "COV-01": 126,
            "COV-02": 124,
            "LIFE-03": 1,
            "LIFE-07": 4,
            "FUND-01": True,
            "COV-14": True,
            "COV-08": 312,
            "COV-09": True,
            "INNO-03": 305,
            "LIFE-04": 12,
            "LIFE-06": True,
            "LEAD-01": 2,
            "LEAD-04": 6,
            "LEAD-05": 2,
            "LEAD-08": True,
        },
        claimed={"LIFE-03": 1, "FUND-01": 3, "LEAD-01": 3},
        unmatched=("工会工作", "团委工作", "党建带群建"),
    )


# --- 7. no answer column: the unit wrote its answers into 备注 ----------------------------


def answers_in_remarks(folder: Path) -> tuple[Path, Reading]:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    _append(
        sheet,
        [
            ["金仓湖社区2024年度群团工作自评表"],
            ["单位名称：金仓湖社区居委会"],
            ["序号", "考核内容", "分值", "自评分", "备注"],
            [1, "社区党组织专题研究群团工作", 3, 3, "全年研究4次"],
            [2, "群团工作纳入社区党建考核", 3, 3, "已纳入"],
            [3, "社区团组织建立", 2, 2, "已建立，见附件2"],
            [4, "妇联执委人数", 2, 2, "11人"],
            [5, "妇女之家建设", 1, 1, "√（见附件3）"],
            [6, "群团工作台账缺项数", 2, 2, "无缺项"],
            [7, "应建未建群团组织个数", 3, 3, "无"],
            [8, "群团干部培训人均学时", 2, 1, "约12学时"],
            [9, "承接政府购买服务项目", 2, 0, None],
        ],
    )
    path = folder / "金仓湖社区.xlsx"
    book.save(path)
    return path, Reading(
        "金仓湖社区居委会",
        "community",
        2024,
        {
            "LEAD-01": 4,
            "LEAD-02": True,
            "COV-10": True,
            "COV-12": 11,
            "SITE-02": True,
            "SITE-05": 0,
            "COV-13": 0,
            "STAF-11": 12,
            "INNO-12": MISSING,
        },
        claimed={"LEAD-01": 3, "STAF-11": 1, "INNO-12": 0},
        notes=frozenset({"answers_from_remarks"}),
    )


# --- 8. blank spacer columns, an example row, apostrophe-text numbers, a hidden row -----


def spacer_columns_and_text_numbers(folder: Path) -> tuple[Path, Reading]:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    _append(
        sheet,
        [
            ["单位名称", None, "太仓市华东精密机械有限公司", None, "年度", None, "2024"],
            ["编号", None, "指标", None, "自评填报", None, "自评得分"],
            ["例", None, "职工入会率", None, "95%", None, None],
            [1, None, "职工总数", None, "'236", None, None],
            [2, None, "工会会员人数", None, "'229", None, None],
            [3, None, "工会组建情况", None, "已建立（2019年）", None, 2],
            [4, None, "工会法人资格证书", None, "有", None, 1],
            [5, None, "专职工会主席（职工200人以上）", None, "是", None, 3],
            [None, None, "安全生产责任制落实", None, "是", None, None],
            [6, None, "工会经费拨缴", None, "税务代收", None, 3],
            [7, None, "经费独立核算", None, "是", None, 2],
            [8, None, "职代会召开次数", None, "\u20191", None, 1],
            [9, None, "会员代表大会召开次数", None, "1次", None, 1],
            [10, None, "工会委员会会议", None, "每季度一次", None, 1],
            [11, None, "主席满意率", None, "95%以上", None, 1],
        ],
    )
    sheet.row_dimensions[9].hidden = True
    for letter in "BDF":
        sheet.column_dimensions[letter].width = 1
    path = folder / "华东精密2024.xlsx"
    book.save(path)
    return path, Reading(
        "太仓市华东精密机械有限公司",
        "enterprise",
        2024,
        {
            "COV-01": 236,
            "COV-02": 229,
            "COV-04": True,
            "COV-06": True,
            "STAF-03": True,
            "FUND-01": True,
            "FUND-02": True,
            "LIFE-03": 1,
            "LIFE-02": 1,
            "LIFE-07": 4,
            "LIFE-05": 95,
        },
        claimed={"COV-04": 2, "FUND-01": 3, "LIFE-05": 1},
        # The hidden row is read: the reader does not know which rows are hidden.
        unmatched=("安全生产责任制落实",),
    )


# --- 9. retyped indicators carrying their points, answers as people write them ----------


def retyped_with_criteria(folder: Path) -> tuple[Path, Reading]:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    _append(
        sheet,
        [
            ["东林村2024年度群团工作自评表"],
            ["单位名称：东林村", None, "单位类型：行政村", None, "年度：2024"],
            ["序号", "考核内容", "自评情况", "佐证材料", "自评分"],
            [1, "党组织每年专题研究群团工作不少于2次（3分）", "2次（3月、9月）", "会议记录", 3],
            [2, "群团工作列入党建目标考核，与评先评优挂钩（3分）", "是", "考核办法", 3],
            [3, "群团负责人列席党组织会议每年不少于4次（2分）", "十二", None, 2],
            [4, "每年召开党建带群建联席会议不少于2次（2分）", "每季度一次", "会议纪要", 2],
            [5, "村团支部组织健全（2分）", "已建立（2019年）", None, 2],
            [6, "完成妇代会改建妇联（2分）", "√（见附件2）", None, 2],
            [7, "妇联主席进入村“两委”班子（2分）", "否（下届换届时进入）", None, 0],
            [8, "妇联执委联系服务妇女群众，每人不少于10户（2分）", "基本落实", None, 1],
            [9, "网上群团阵地建设（微信公众号、工作群）（2分）", "有，每月更新", None, 2],
            [10, "团组织工作经费足额到位（2分）", "95%以上", None, 2],
            [11, "村团员人数", "约30人", None, None],
            [12, "妇女之家建设（1分）", "有", None, 1],
            [13, "群团组织按期换届（2分）", "2021年11月按期换届", None, 2],
            [14, "党组织书记抓群团工作述职（2分）", "是", None, 2],
        ],
    )
    path = folder / "东林村2024.xlsx"
    book.save(path)
    return path, Reading(
        "东林村",
        "village",
        2024,
        {
            "LEAD-01": 2,
            "LEAD-02": True,
            "LEAD-04": 12,
            "LEAD-05": 4,
            "COV-10": True,
            "COV-11": True,
            "STAF-06": False,
            "INNO-09": "partial",
            "INNO-02": "monthly",
            "FUND-04": 95,
            "COV-08": 30,
            "SITE-02": True,
            "LEAD-08": True,
        },
        claimed={"LEAD-01": 3, "STAF-06": 0, "INNO-09": 1},
        unmatched=("群团组织按期换届",),
    )


# --- 10. English unit details and headers ---------------------------------------------------


def english_unit_details(folder: Path) -> tuple[Path, Reading]:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Self-assessment"
    _append(
        sheet,
        [
            ["Unit name: Suzhou Bright Precision Co., Ltd."],
            ["Unit type: Private enterprise", None, "Year: 2024"],
            ["Town: Chengxiang"],
            ["No.", "Indicator", "Answer", "Evidence", "Self-score", "Remarks"],
            [1, "Number of employees", 320, None, None],
            [2, "Number of union members", 301, None, None],
            [3, "Trade union established?", "Yes", "Registration 2018", 2],
            [4, "Union has legal person status", "Yes", None, 1],
            [5, "Union dues paid in full at 2% of payroll", "Y", None, 3],
            [6, "Workers' congress meetings this year", "1", None, 1],
            [7, "Youth League members", "12", None, None],
            [8, "Full-time union chair (200+ employees)", "yes", None, 3],
            [9, "Employee satisfaction with the canteen", "90%", None, None],
        ],
    )
    path = folder / "bright-precision.xlsx"
    book.save(path)
    return path, Reading(
        "Suzhou Bright Precision Co., Ltd.",
        "enterprise",
        2024,
        {
            "COV-01": 320,
            "COV-02": 301,
            "COV-04": True,
            "COV-06": True,
            "FUND-01": True,
            "LIFE-03": 1,
            "COV-08": 12,
            "STAF-03": True,
        },
        claimed={"COV-04": 2},
        unmatched=("Employee satisfaction",),
        gaps=(
            Gap(
                "English rows are compared word by word: 'Trade union established?' shares only "
                "'union' with COV-04's 'Does the unit have a union, its own or a joint one?'.",
                answers={"COV-04": None},
                unmatched=("Trade union established?",),
            ),
        ),
    )


# --- 11. the unit named only in the title ----------------------------------------------------


def name_only_in_title(folder: Path) -> tuple[Path, Reading]:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    _append(
        sheet,
        [
            ["东林村2024年度群团工作自评表"],
            ["序号", "指标", "自评填报", "佐证材料"],
            [1, "党组织每年专题研究群团工作次数", 2, "会议记录"],
            [2, "村（社区）是否建立团组织", "是", None],
            [3, "村（社区）妇联执委人数", 9, None],
        ],
    )
    path = folder / "附件1.xlsx"
    book.save(path)
    return path, Reading("东林村", "village", 2024, {"LEAD-01": 2, "COV-10": True, "COV-12": 9})


# --- 12. a .xls saved by WPS: 温州-style 项目 | 考核内容 | 标准分 | 完成情况 | 考核得分 ---------


def wps_xls(folder: Path) -> tuple[Path, Reading]:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    wrap = xlwt.easyxf("align: wrap on, vert centre")
    sheet.write_merge(0, 0, 0, 4, "太仓港华能纸业有限公司2024年度先进职工之家考核表")
    sheet.write(1, 0, "企业名称：太仓港华能纸业有限公司（盖章）")
    for c, head in enumerate(["项目", "考核内容", "标准分", "完成情况", "考核得分"]):
        sheet.write(2, c, head)
    rows: list[tuple[str, Cell, Cell, Cell]] = [
        ("企业依法建立工会", 5, "已建", 5),
        ("会员25人以上单独建立工会委员会", 5, "是", 5),
        ("职工入会率90%以上", 5, 0.93, 5),
        ("每年召开职代会", 5, 1, 5),
        ("工会委员会会议", 5, "每季度", 5),
        ("按规定拨缴工会经费", 5, "税务代收", 5),
        ("工会经费收支向会员大会报告", 5, "是", 4),
    ]
    for r, values in enumerate(rows, start=3):
        for c, value in enumerate(values, start=1):
            if value is not None:
                sheet.write(r, c, value)
    sheet.write_merge(3, 5, 0, 0, "组织\n建设\n15", wrap)
    sheet.write_merge(6, 7, 0, 0, "民主\n管理\n10", wrap)
    sheet.write_merge(8, 9, 0, 0, "经费\n管理\n10", wrap)
    path = folder / "华能纸业考核表.xls"
    book.save(str(path))
    return path, Reading(
        "太仓港华能纸业有限公司",
        "enterprise",
        2024,
        {
            "COV-04": True,
            "COV-05": True,
            "COV-03": 93,
            "LIFE-03": 1,
            "LIFE-07": 4,
            "FUND-01": True,
            "FUND-03": True,
        },
        claimed={"COV-04": 5, "FUND-03": 4},
        notes=frozenset({"score_column_as_claimed"}),
    )


# --- 13. a CSV saved from WPS in GBK: categories only on their first row ------------------


def gbk_csv_export(folder: Path) -> tuple[Path, Reading]:
    rows: list[list[Cell]] = [
        ["太仓市永盛纺织有限公司2024年度工会工作考核自评表", "", "", "", "", ""],
        ["单位：太仓市永盛纺织有限公司工会（盖章）", "", "", "", "", ""],
        ["工作类别", "序号", "考核内容指标", "分值", "自评情况", "自评分"],
        ["工会组织建设\n20", 1, "企业依法建立工会组织", 5, "已建立（2015年）", 5],
        ["", 2, "职工人数", "", "职工312人", ""],
        ["", 3, "会员人数", "", "305", ""],
        ["", 4, "取得工会法人资格", 5, "已取得", 5],
        ["", 5, "工会经审会、女职委同步建立", 5, "经审会已建，女职委未建", 2],
        ["民主管理\n15", 6, "职代会年内召开次数", 5, "2次（3月、12月）", 5],
        ["", 7, "会员代表大会", 5, "1次", 5],
        ["", 8, "会员评议工会主席满意率", 5, "九成以上", 5],
        ["加分项", 9, "工会工作获上级表彰", "", "县级", 1],
        ["合计", "", "", 45, "", 38],
    ]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row] + ["", ""])
    path = folder / "永盛纺织自评.csv"
    path.write_bytes(buffer.getvalue().encode("gbk"))
    return path, Reading(
        "太仓市永盛纺织有限公司工会",
        "enterprise",
        2024,
        {
            "COV-04": True,
            "COV-01": 312,
            "COV-02": 305,
            "COV-06": True,
            "COV-07": "partial",
            "LIFE-03": 2,
            "LIFE-02": 1,
            "LIFE-05": 90,
            "INNO-10": "county",
        },
        claimed={"COV-07": 2, "INNO-10": 1},
    )


# --- 14. a table pasted from Word: criteria on a second line, full-width text -----------


def pasted_from_word(folder: Path) -> tuple[Path, Reading]:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    _append(
        sheet,
        [
            ["城厢镇卫生院2024年度群团工作自查表"],
            ["单位名称：城厢镇卫生院\u3000\u3000年度：2024年"],
            ["序号", "考核内容及评分标准", "自评情况说明", "分值", "自评得分"],
            [1, "党组织每年专题研究群团工作\n（每年不少于2次，少1次扣1.5分）", "２次\n", 3, 3],
            [2, "单位依法建立工会组织\n（未建立不得分）", "已建立\u3000", 2, 2],
            [3, "工会设立独立经费账户\n（未单独设账扣2分）", "已单独设账", 2, 2],
            [4, "职代会每年召开1次以上\n（未召开不得分）", "１次", 1, 1],
            [5, "未参加业务培训的群团干部人数\n（每人扣1分）", "0", 3, 3],
            [6, "专职群团干部被抽调从事其他工作\n（被抽调扣2分）", "否", 2, 2],
        ],
    )
    path = folder / "卫生院自查表.xlsx"
    book.save(path)
    return path, Reading(
        "城厢镇卫生院",
        "institution",
        2024,
        {
            "LEAD-01": 2,
            "COV-04": True,
            "FUND-02": True,
            "LIFE-03": 1,
            "STAF-12": 0,
            "STAF-04": False,
        },
        claimed={"LEAD-01": 3, "STAF-12": 3},
    )


# --- 15. two tables stacked in one sheet, the second with its columns in another order ----


def stacked_tables(folder: Path) -> tuple[Path, Reading]:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    _append(
        sheet,
        [
            ["太仓市恒通物流有限公司2024年度群团工作自评表"],
            ["单位类型：非公企业"],
            ["一、工会工作"],
            ["序号", "考核内容", "自评情况", "佐证材料", "自评分"],
            [1, "职工总数", "186人", "花名册", None],
            [2, "工会会员人数", "180人", "会员名册", None],
            [3, "是否建立工会", "是", "建会批复", 2],
            [4, "工会经费拨缴", "税务代收", "完税凭证", 3],
            [],
            ["二、共青团工作"],
            ["序号", "考核内容", "分值", "自评情况", "自评分"],
            [1, "团员人数", None, "14人", None],
            [2, "团组织设置", 2, "已建团支部", 2],
            [3, "团课次数", 1, "4次", 1],
            [4, "团籍注册", 1, "已完成", 1],
        ],
    )
    for cells in ("A1:E1", "A3:E3", "A10:E10"):
        sheet.merge_cells(cells)
    path = folder / "恒通物流2024.xlsx"
    book.save(path)
    return path, Reading(
        "太仓市恒通物流有限公司",
        "enterprise",
        2024,
        {
            "COV-01": 186,
            "COV-02": 180,
            "COV-04": True,
            "FUND-01": True,
            "COV-08": 14,
            "COV-09": True,
            "LIFE-04": 4,
            "LIFE-06": True,
        },
        claimed={"COV-04": 2, "FUND-01": 3, "COV-09": 2, "LIFE-04": 1},
    )


# --- 16. a 自查表 with 是 | 否 check-box columns ------------------------------------------


def tick_box_checklist(folder: Path) -> tuple[Path, Reading]:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    _append(
        sheet,
        [
            ["2024年度社区妇联组织建设自查表"],
            ["社区名称：金仓湖社区", None, None, "填表日期：2025年1月"],
            ["序号", "检查内容", "是", "否", "备注"],
            [1, "社区是否完成妇代会改建妇联", "√", None, None],
            [2, "社区妇联主席是否进入社区“两委”班子", "√", None, None],
            [3, "妇联工作经费是否列入社区年度预算", None, "√", "正在申请"],
            [4, "是否建有妇女之家并挂牌", "√", None, "2019年建成"],
            [5, "妇联执委是否落实联系服务妇女群众（每人10户以上）", "✓", None, None],
            [6, "阵地是否统一挂牌、制度上墙", "√", "√", None],
            [7, "社区妇联执委人数", None, None, "11人"],
        ],
    )
    path = folder / "金仓湖社区妇联自查表.xlsx"
    book.save(path)
    return path, Reading(
        "金仓湖社区",
        "community",
        2024,
        {
            "COV-11": True,
            "STAF-06": True,
            "FUND-05": False,
            "SITE-02": True,
            "INNO-09": True,
            "SITE-04": MISSING,  # both boxes ticked: no answer
            "COV-12": 11,
        },
    )


# --- 17. 一级 | 二级 | 三级指标 with 完成情况（数量） and 情况说明 -------------------------


def nested_indicators(folder: Path) -> tuple[Path, Reading]:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    _append(
        sheet,
        [
            ["企业名称：苏州瑞泰电子有限公司", None, None, "2024年度"],
            [
                "一级指标",
                "二级指标",
                "三级指标",
                "完成情况（数量）",
                "情况说明",
                "分值",
                "自评得分",
            ],
            ["组织建设", "建会", "企业依法建立工会组织", None, "2016年建会，批复见附件", 5, 5],
            [None, "会员", "职工人数", 248, None, None, None],
            [None, "会员", "会员人数", "240人", None, None, None],
            [None, "建家", "职工之家阵地", "有", "职工活动中心300平方米", 5, 5],
            ["民主管理", "职代会", "职代会年内召开次数", 2, "3月、12月各召开1次", 5, 5],
            [None, "厂务公开", "厂务公开栏定期更新", "是", None, 5, 5],
            ["经费", "经费", "工会经费按2%拨缴", None, "由税务部门代收", 5, 5],
        ],
    )
    _merge_down(sheet, 1, 3, [4, 2, 1])
    path = folder / "瑞泰电子.xlsx"
    book.save(path)
    return path, Reading(
        "苏州瑞泰电子有限公司",
        "enterprise",
        2024,
        {
            "COV-04": True,
            "COV-01": 248,
            "COV-02": 240,
            "SITE-01": True,
            "LIFE-03": 2,
            "RGHT-05": True,
            "FUND-01": True,
        },
        # 厂务公开 is RGHT-05 from pack 2026.2 (维权); its self-score cell is the table's.
        claimed={"COV-04": 5, "LIFE-03": 5},
    )


FORMS: dict[str, Callable[[Path], tuple[Path, Reading]]] = {
    f.__name__: f
    for f in (
        kunshan_school_union,
        party_builds_league,
        staff_home_acceptance,
        league_target_management,
        title_block_and_note_row,
        sheet_per_organisation,
        answers_in_remarks,
        spacer_columns_and_text_numbers,
        retyped_with_criteria,
        english_unit_details,
        name_only_in_title,
        wps_xls,
        gbk_csv_export,
        pasted_from_word,
        stacked_tables,
        tick_box_checklist,
        nested_indicators,
    )
}


def _read(assessment: Assessment) -> dict[str, Expected]:
    out: dict[str, Expected] = {}
    for rule_id, answer in assessment.answers.items():
        if answer.state is AnswerState.missing:
            out[rule_id] = MISSING
        elif answer.state is AnswerState.na:
            out[rule_id] = NA
        else:
            assert answer.value is not None
            out[rule_id] = answer.value
    return out


def describe(assessment: Assessment) -> str:
    """Everything intake read, for a failing test's message."""
    lines = [f"unit: {assessment.unit}"]
    for rule_id, answer in assessment.answers.items():
        lines.append(
            f"  {rule_id}: {answer.state.value} {answer.value!r} raw={answer.raw!r} "
            f"cell={answer.cell} {answer.match_method} {answer.match_confidence} "
            f"claimed={answer.claimed}"
        )
    for row in assessment.unmatched:
        lines.append(
            f"  unmatched {row.sheet}!{row.row}: {row.text} ({row.best_rule} {row.best_score})"
        )
    for n in assessment.notes:
        lines.append(f"  note {n.level.value} {n.code} {n.sheet}!{n.cell} {n.message.zh}")
    return "\n".join(lines)


@pytest.mark.parametrize("name", sorted(FORMS))
def test_realistic_form_reads_like_a_careful_human(
    name: str, pack: RulePack, tmp_path: Path
) -> None:
    path, expected = FORMS[name](tmp_path)
    assessment = read_assessment(path, pack)
    shown = describe(assessment)

    unit = assessment.unit
    assert (unit.name, unit.type, unit.year) == (
        expected.name,
        expected.unit_type,
        expected.year,
    ), shown
    answers: dict[str, Expected | None] = dict(expected.answers)
    unmatched = list(expected.unmatched)
    want_claimed = dict(expected.claimed)
    for gap in expected.gaps:
        answers.update(gap.answers)
        unmatched.extend(gap.unmatched)
        want_claimed.update(gap.claimed)
    assert _read(assessment) == {r: v for r, v in answers.items() if v is not None}, shown
    claimed = {r: a.claimed for r, a in assessment.answers.items() if a.claimed is not None}
    want_claimed = {r: v for r, v in want_claimed.items() if answers.get(r) is not None}
    assert {r: claimed.get(r) for r in want_claimed} == want_claimed, shown
    texts = sorted(row.text for row in assessment.unmatched)
    assert len(texts) == len(unmatched), shown
    assert all(t.startswith(e) for t, e in zip(texts, sorted(unmatched), strict=True)), shown
    assert expected.notes <= {n.code for n in assessment.notes}, shown
    # Every row left out is said so, with the sheet and cell to look at.
    located = {(n.sheet, n.cell) for n in assessment.notes if n.code == "unmatched_row"}
    assert len(located) == len(assessment.unmatched), shown


def test_known_gaps_are_few_and_explained(tmp_path: Path) -> None:
    gaps = [gap for build in FORMS.values() for gap in build(tmp_path)[1].gaps]
    assert len(gaps) <= 3
    assert all(len(gap.why) > 40 for gap in gaps)
