"""A realistic village result built in code, shared by the report tests and benchmarks.

The pack mirrors the grassroots areas (leadership, coverage, staffing,
innovation) at a smaller scale; the answers carry the mess real forms have:
blanks, an unsupported claim, an over-claimed self-score, a failed veto, a
stated rate that disagrees with its counts, formula-looking text typed by the
unit, intake notes and unmatched rows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from checklist.model import (
    Answer,
    AnswerState,
    Assessment,
    IntakeNote,
    NoteLevel,
    Result,
    RulePack,
    UnitInfo,
    UnmatchedRow,
)
from checklist.rulepack import load_pack
from checklist.scoring import score
from checklist.text import Text
from tests.packs import write_pack

INJECTIONS = (
    '=HYPERLINK("http://x","y")',
    "=1+1",
    "+cmd",
    "-2+3",
    "@SUM(A1)",
    "#N/A",
)
"""Formula-looking text a unit may type; the report must show each as typed."""

AREAS = [
    {"id": "lead", "title": {"zh": "领导重视", "en": "Leadership attention"}},
    {"id": "cover", "title": {"zh": "组织覆盖", "en": "Organisational coverage"}},
    {"id": "staff", "title": {"zh": "队伍建设与干部素质", "en": "Staffing and cadre quality"}},
    {"id": "innov", "title": {"zh": "改革创新", "en": "Innovation"}},
]


def _rule(
    rule_id: str,
    area: str,
    zh: str,
    en: str,
    points: float,
    severity: str,
    finding: tuple[str, str],
    recommendation: tuple[str, str],
    **extra: Any,
) -> dict[str, Any]:
    return {
        "id": rule_id,
        "area": area,
        "indicator": {"zh": zh, "en": en},
        "points": points,
        "severity": severity,
        "finding": {"zh": finding[0], "en": finding[1]},
        "recommendation": {"zh": recommendation[0], "en": recommendation[1]},
        "source": "domain-research §1",
        **extra,
    }


RULES: list[dict[str, Any]] = [
    _rule(
        "LEAD-01",
        "lead",
        "党组织每年专题听取、研究群团工作汇报的次数",
        "Times a year the Party organisation formally studies mass-organisation work",
        6,
        "critical",
        (
            "党组织对群团工作研究少、指导少，把群团工作当作“软任务”。",
            "The Party organisation rarely studies or guides the work and treats it as a soft task.",
        ),
        (
            "每半年至少召开一次党组织会议专题研究群团工作，形成会议纪要并跟踪落实。",
            "Hold a Party meeting on mass-organisation work at least every six months, "
            "minute it and follow up.",
        ),
        answer={"type": "count", "unit": "次"},
        bands={">=2": 1.0, ">=1": 0.5},
        evidence="required",
    ),
    _rule(
        "LEAD-02",
        "lead",
        "是否明确党组织负责人分管群团工作",
        "Is a named Party leader responsible for mass-organisation work?",
        4,
        "critical",
        ("群团工作无人分管，责任悬空。", "Nobody in the Party leadership is responsible."),
        (
            "由党组织书记或副书记分管群团工作，并在班子分工文件中写明。",
            "Name the Party secretary or deputy as responsible, in writing.",
        ),
        veto=True,
    ),
    _rule(
        "LEAD-03",
        "lead",
        "群团年度工作计划是否报党组织审议",
        "Is the annual work plan reviewed by the Party organisation?",
        3,
        "major",
        ("年度计划未经党组织审议，群团工作游离于中心工作之外。", "The plan is not reviewed."),
        (
            "年初将群团工作计划提交党组织会议审议。",
            "Submit the plan to the Party meeting early in the year.",
        ),
    ),
    _rule(
        "LEAD-04",
        "lead",
        "党建带群建联席会议召开次数",
        "Joint Party–mass-organisation meetings held",
        4,
        "major",
        ("党建带群建机制未落实。", "The joint meeting mechanism is not working."),
        ("每半年召开一次联席会议，协调解决群团组织的实际困难。", "Meet every six months."),
        answer={"type": "count", "unit": "次"},
        deduct={"target": ">=2", "per": 1, "points": 2},
    ),
    _rule(
        "COV-01",
        "cover",
        "职工（从业人员）总数",
        "Employees",
        0,
        "minor",
        ("基础数据缺失。", "Base data missing."),
        ("填写职工总数。", "Give the number of employees."),
        answer={"type": "count", "unit": "人"},
    ),
    _rule(
        "COV-02",
        "cover",
        "工会会员人数",
        "Union members",
        0,
        "minor",
        ("基础数据缺失。", "Base data missing."),
        ("填写会员人数。", "Give the number of members."),
        answer={"type": "count", "unit": "人"},
    ),
    _rule(
        "COV-03",
        "cover",
        "职工入会率",
        "Union membership rate",
        6,
        "critical",
        ("职工应入未入，工会覆盖存在空白点。", "Workers who should be members are not."),
        (
            "逐一排查未入会职工，开展集中入会活动，新入职职工当月入会。",
            "Find every non-member, run a joining drive, enrol new hires in their first month.",
        ),
        answer={"type": "ratio", "numerator": "COV-02", "denominator": "COV-01"},
        bands={">=95": 1.0, ">=90": 0.6},
    ),
    _rule(
        "COV-04",
        "cover",
        "是否建立妇联组织（村、社区“会改联”）",
        "Is there a women's federation (reformed from the women's congress)?",
        4,
        "major",
        ("妇女组织覆盖不到位。", "No women's organisation."),
        ("按“会改联”要求建立村妇联，选齐执委。", "Set up the village women's federation."),
        applies_to=["village", "community"],
    ),
    _rule(
        "COV-05",
        "cover",
        "团组织设置是否符合团员人数要求",
        "Is the League unit sized by membership?",
        3,
        "minor",
        ("团组织设置不规范。", "League units are not set up by the rules."),
        ("团员3人以上单独建支部，不足3人建联合支部。", "Three members or more: own branch."),
        na_allowed=True,
    ),
    _rule(
        "COV-06",
        "cover",
        "辖区内应建未建群团组织的单位数",
        "Units in the area that should have an organisation but do not",
        4,
        "major",
        ("辖区内仍有群团组织覆盖空白点。", "Coverage blind spots remain."),
        (
            "建立空白点台账，逐家上门指导组建，年内清零。",
            "List the blind spots and help each unit set up within the year.",
        ),
        answer={"type": "count", "unit": "家"},
        deduct={"target": "<=0", "per": 1, "points": 2},
    ),
    _rule(
        "STAF-01",
        "staff",
        "群团干部总人数",
        "Mass-organisation cadres",
        0,
        "minor",
        ("基础数据缺失。", "Base data missing."),
        ("填写干部人数。", "Give the number of cadres."),
        answer={"type": "count", "unit": "人"},
    ),
    _rule(
        "STAF-02",
        "staff",
        "专职群团干部人数",
        "Full-time cadres",
        4,
        "major",
        ("编制偏少，专职群团干部更少。", "Too few posts; fewer full-time cadres."),
        ("至少配备1名专职群团干部，专职专用，不得长期抽调。", "Have at least one full-time cadre."),
        answer={"type": "count", "unit": "人"},
        bands={">=1": 1.0},
    ),
    _rule(
        "STAF-03",
        "staff",
        "群团干部平均年龄",
        "Average age of cadres",
        3,
        "minor",
        ("干部年龄结构偏大。", "Cadres are too old on average."),
        ("吸收35岁以下青年骨干进入群团干部队伍。", "Recruit cadres under 35."),
        answer={"type": "number", "unit": "岁"},
        bands={"<=35": 1.0, "<=40": 0.5},
    ),
    _rule(
        "STAF-04",
        "staff",
        "年度参加上级业务培训人次",
        "Training places attended this year",
        3,
        "minor",
        ("业务熟练程度不到位。", "Skills are weak."),
        ("每名群团干部每年至少参加一次上级组织的业务培训。", "Train every cadre once a year."),
        answer={"type": "count", "unit": "人次"},
        bands={">=4": 1.0, ">=2": 0.5},
        evidence="required",
    ),
    _rule(
        "STAF-05",
        "staff",
        "工会主席是否经培训持证上岗",
        "Is the union chair trained and certified?",
        3,
        "major",
        ("工会主席未经系统培训。", "The chair is untrained."),
        ("报名参加县总工会组织的工会主席任职培训。", "Enrol the chair in the county course."),
        answer={
            "type": "choice",
            "choices": [
                {"id": "certified", "zh": "已持证", "en": "Certified", "credit": 1.0},
                {"id": "trained", "zh": "已培训未持证", "en": "Trained", "credit": 0.5},
                {"id": "none", "zh": "未培训", "en": "Not trained", "credit": 0.0},
            ],
        },
    ),
    _rule(
        "INNO-01",
        "innov",
        "年度特色工作品牌或创新项目数",
        "Signature projects or innovations this year",
        4,
        "major",
        ("工作方式陈旧，缺乏特色品牌。", "No signature projects; methods unchanged."),
        (
            "结合本村产业和群众需求，打造至少一个群团特色品牌项目。",
            "Build at least one signature project around local needs.",
        ),
        answer={"type": "count", "unit": "个"},
        bands={">=1": 1.0},
    ),
    _rule(
        "INNO-02",
        "innov",
        "网上群团阵地是否建立并经常更新",
        "Is there an online presence that is kept up?",
        3,
        "minor",
        ("网上群团工作滞后。", "No online presence."),
        ("开设公众号或微信群，每月至少更新一次。", "Open an account and post monthly."),
    ),
    _rule(
        "INNO-03",
        "innov",
        "年度调研报告篇数",
        "Research reports this year",
        2,
        "minor",
        ("调查研究不够。", "Little research."),
        ("每年围绕群众关切撰写至少一篇调研报告。", "Write one report a year."),
        answer={"type": "count", "unit": "篇"},
        bands={">=1": 1.0},
    ),
    _rule(
        "INNO-04",
        "innov",
        "工作创新做法简述",
        "Describe an innovation in working methods",
        2,
        "minor",
        ("缺少创新做法。", "No innovation described."),
        ("总结一项创新做法。", "Describe one innovation."),
        answer={"type": "text"},
    ),
    _rule(
        "BON-01",
        "innov",
        "获县级以上表彰项数",
        "County-level or higher awards",
        3,
        "minor",
        ("未获表彰。", "No awards."),
        ("争创先进。", "Aim for awards."),
        answer={"type": "count", "unit": "项"},
        bands={">=1": 1.0},
        bonus=True,
    ),
]

CHECKS = [
    {
        "id": "CHK-01",
        "assert": "STAF-02 <= STAF-01",
        "message": {
            "zh": "专职群团干部人数不应多于群团干部总人数",
            "en": "Full-time cadres cannot exceed all cadres",
        },
    },
    {
        "id": "CHK-02",
        "assert": "COV-02 <= COV-01",
        "message": {"zh": "会员人数不应多于职工总数", "en": "Members cannot exceed employees"},
    },
]


def village_pack(folder: Path) -> RulePack:
    """The sample pack, written under ``folder`` and loaded."""
    return load_pack(write_pack(folder, RULES, CHECKS, {"areas": AREAS}))


def _given(value: Any, raw: str, cell: str, **extra: Any) -> Answer:
    return Answer(
        AnswerState.given,
        value,
        raw,
        cell=f"自评表!E{cell}",
        match_method=extra.pop("method", "id"),
        match_confidence=extra.pop("confidence", 100.0),
        **extra,
    )


def village_assessment(name: str = "城厢镇新华村") -> Assessment:
    """A village's messy answers: every audit kind and every formula-looking text occurs."""
    answers = {
        # Unsupported: a positive count without evidence, and an over-claim.
        "LEAD-01": _given(2, "2次", "4", claimed=6.0),
        # Failed veto.
        "LEAD-02": _given(False, "否", "5", evidence=INJECTIONS[0]),
        "LEAD-03": _given(True, "√", "6", evidence="2024年1月党总支会议纪要"),
        "LEAD-04": _given(1, "=1+1", "7", method="fuzzy", confidence=87.5),
        "COV-01": _given(60, "60人", "8"),
        "COV-02": _given(50, "约50", "9"),
        # A stated rate that disagrees with the counts (50/60 = 83.3%).
        "COV-03": _given(98, "98%", "10", claimed=6.0),
        "COV-04": _given(True, "已建", "11", evidence="+cmd"),
        "COV-05": Answer(AnswerState.na, None, "不适用", cell="自评表!E12", match_method="id"),
        "COV-06": _given(2, "-2+3", "13"),
        "STAF-01": _given(2, "2", "14"),
        "STAF-02": _given(3, "3人", "15", method="text", confidence=100.0),
        "STAF-03": _given(47.5, "47.5岁", "16"),
        "STAF-04": _given(2, "2", "17", evidence="@SUM(A1)"),
        "STAF-05": _given("trained", "培训过", "18", method="fuzzy", confidence=71.0),
        # INNO-01 blank: missing.
        "INNO-02": _given(True, "有", "20"),
        "INNO-03": _given(0, "#N/A", "21"),
        "INNO-04": _given('=HYPERLINK("http://x","y")', '=HYPERLINK("http://x","y")', "22"),
        "BON-01": _given(0, "0", "23"),
    }
    notes = (
        IntakeNote(
            NoteLevel.info,
            "approximate_number",
            Text("“约50”按 50 计。", "'约50' read as 50."),
            sheet="自评表",
            cell="E9",
            rule_id="COV-02",
        ),
        IntakeNote(
            NoteLevel.warning,
            "indicator_edited",
            Text(
                "第7行指标文字与模板不同：“=1+1联席会议”，已按近似匹配对应 LEAD-04。",
                "Row 7's indicator differs from the template: '=1+1联席会议'; matched to LEAD-04.",
            ),
            sheet="自评表",
            cell="C7",
            rule_id="LEAD-04",
        ),
        IntakeNote(
            NoteLevel.error,
            "unreadable",
            Text("单元格 E19 无法识别。", "Cell E19 could not be read."),
            sheet="自评表",
            cell="E19",
            rule_id="INNO-01",
        ),
    )
    unmatched = (
        UnmatchedRow("自评表", 25, '=HYPERLINK("http://evil","点此")', "INNO-02", 41.0),
        UnmatchedRow("自评表", 26, "其他需要说明的情况"),
    )
    return Assessment(
        UnitInfo(name, "village", 2024, town="@城厢镇", filled_by="王芳", phone="0512-5351"),
        answers,
        notes,
        source="新华村2024自评表.xlsx",
        unmatched=unmatched,
    )


def village_result(pack: RulePack, name: str = "城厢镇新华村") -> Result:
    """The sample village scored against ``pack``."""
    return score(village_assessment(name), pack)
