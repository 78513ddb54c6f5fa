"""The Excel gap report: 概览 Summary, 问题清单 Gaps, 明细 Details, 核查 Audit.

Lays out a finished :class:`~checklist.model.Result` and the numbers
:mod:`checklist.gaps` computed from it; nothing here scores, matches or
compares. Given the unit's previous year as a finished
:class:`~checklist.compare.Comparison`, the summary also shows the change
since that year and the gaps sheet marks each gap new, persistent or
regressed (marks computed in :mod:`checklist.gaps`).

Written with xlsxwriter (it fits the 60 ms budget for a 120-rule report where
openpyxl took about twice that) through :mod:`checklist.report.kit`, which
keeps unit text text, sizes rows and sets up the pages; the file is written
through :func:`checklist.output.write_atomically`, so an interrupted run leaves
nothing half-written.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from checklist.codes import MatchMethod
from checklist.display import SEVERITY_TEXT, STATUS_TEXT, bands_text, number, value_text
from checklist.gaps import (
    AUDIT_TEXT,
    LEVEL_TEXT,
    NOTE_LEVEL_TEXT,
    TRACK_TEXT,
    GapAnalysis,
    Level,
    PreviousYear,
    Track,
    analyse,
    decision_text,
    grade_text,
)
from checklist.model import Result, RulePack, Severity, Status, based_on
from checklist.origin import Made
from checklist.output import write_atomically
from checklist.report import kit
from checklist.text import Text

if TYPE_CHECKING:
    from checklist.compare import Comparison

SHEETS: dict[str, Text] = {
    "summary": Text("概览", "Summary"),
    "gaps": Text("问题清单", "Gaps"),
    "details": Text("明细", "Details"),
    "audit": Text("核查", "Audit"),
}
"""Sheet names, in workbook order."""

# --- words ---------------------------------------------------------------------------

_L: dict[str, Text] = {
    "title": Text(
        "{name}　{year}年度群团工作自评诊断报告", "{name} — {year} self-assessment report"
    ),
    "title_no_year": Text("{name}　群团工作自评诊断报告", "{name} — self-assessment report"),
    "subtitle": Text(
        "依据：{pack}（{id} 版本 {version}）", "Rules: {pack} ({id} version {version})"
    ),
    "unit": Text("单位名称", "Unit"),
    "type": Text("单位类型", "Unit type"),
    "town": Text("所属镇（街道）", "Town or subdistrict"),
    "year": Text("年度", "Year"),
    "pack": Text("规则包及版本", "Rule pack, version"),
    "pack_value": Text("{title}（{id} {version}）", "{title} ({id} {version})"),
    "source": Text("来源文件", "Source file"),
    "total": Text("总分", "Total score"),
    "base": Text("基础得分", "Base score"),
    "base_value": Text(
        "{base}（已得 {earned} 分 ÷ 应得 {possible} 分 × 100）",
        "{base} ({earned} ÷ {possible} points × 100)",
    ),
    "bonus": Text("加分", "Bonus"),
    "bonus_value": Text(
        "{bonus}（加分项合计 {raw}，上限 {cap}）", "{bonus} ({raw} earned, cap {cap})"
    ),
    "grade": Text("等次", "Grade"),
    "completeness": Text("填报完整度", "Completeness"),
    "completeness_value": Text(
        "已填 {answered} 项 / 适用 {applicable} 项（{share}%）",
        "{answered} of {applicable} applicable rules answered ({share}%)",
    ),
    "gap_total": Text("问题数", "Gaps"),
    "gap_total_value": Text(
        "{total} 项（其中未填报 {missing} 项，缺佐证 {unsupported} 项）",
        "{total} ({missing} not answered, {unsupported} without evidence)",
    ),
    "areas": Text("{n}、各领域得分", "{n}. Scores by area"),
    "area": Text("领域", "Area"),
    "score": Text("得分率", "Score"),
    "earned": Text("已得分", "Earned"),
    "possible": Text("应得分", "Possible"),
    "lost": Text("失分", "Lost"),
    "gap_count": Text("问题数", "Gaps"),
    "level": Text("状态", "Status"),
    "chart": Text("各领域得分率（满分100）", "Area scores (out of 100)"),
    "legend": Text(
        "得分率 = 已得分 ÷ 应得分 × 100。颜色：≥{good} 较好；{fair}–{good} 需提升；＜{fair} 薄弱。",
        "Score = earned ÷ possible × 100. Colours: ≥{good} good; {fair}–{good} needs work; "
        "<{fair} weak.",
    ),
    "severity_head": Text("{n}、问题数量（按严重程度）", "{n}. Gaps by severity"),
    "severity": Text("严重程度", "Severity"),
    "count": Text("问题数", "Gaps"),
    "all": Text("合计", "Total"),
    "actions": Text("{n}、优先整改事项", "{n}. Priority actions"),
    "waivers_head": Text("{n}、豁免事项", "{n}. Waivers"),
    "waivers_note": Text(
        "经批准豁免的指标不计入应得分，也不列为问题；否决项须在豁免清单中明确注明才予豁免。",
        "Waived rules leave the points possible and are no gaps; a veto rule is waived only "
        "when the waiver says so explicitly.",
    ),
    "waiver_reason": Text("豁免理由", "Reason"),
    "waiver_by": Text("批准人及日期", "Approved by, on"),
    "waiver_until": Text("有效期至", "Until"),
    "actions_note": Text(
        "按“失分 × 严重程度权重”排序（严重×3、重要×2、一般×1），否决项未达标者列首位；"
        "全部问题见“问题清单”。",
        "Ranked by points lost × severity weight (critical ×3, major ×2, minor ×1), failed "
        "veto rules first; every gap is on the Gaps sheet.",
    ),
    "no_actions": Text("无：所有适用指标均已达标。", "None: every applicable rule passed."),
    "rank": Text("序号", "No."),
    "id": Text("编号", "Id"),
    "indicator": Text("指标", "Indicator"),
    "recommendation": Text("整改建议", "Recommendation"),
    "answer": Text("单位填报", "Unit's answer"),
    "status": Text("状态", "Status"),
    "required": Text("要求（计分档）", "Required (bands)"),
    "finding": Text("问题", "Finding"),
    "cell": Text("来源单元格", "Source cell"),
    "value": Text("识别值", "Read as"),
    "decision": Text("计分依据", "Decided by"),
    "match": Text("匹配方式", "Matched by"),
    "confidence": Text("匹配度", "Match %"),
    "evidence": Text("佐证材料", "Evidence"),
    "claimed": Text("自评得分", "Self-score"),
    "category": Text("类别", "Kind"),
    "note_level": Text("级别", "Level"),
    "rules": Text("编号", "Rules"),
    "location": Text("位置", "Location"),
    "message": Text("说明", "Details"),
    "unit_text": Text("单位原文", "Unit's text"),
    "computed": Text("核定得分", "Computed"),
    "blank": Text("（空白）", "(blank)"),
    "veto_tag": Text("【一票否决】", "[Veto] "),
    "bonus_tag": Text("【加分项】", "[Bonus] "),
    "no_gaps": Text("无问题：所有适用指标均已达标。", "No gaps: every applicable rule passed."),
    "no_rules": Text("无规则。", "No rules."),
    "no_audit": Text("无核查事项。", "Nothing to check."),
    "footer": Text("第 &P 页，共 &N 页", "Page &P of &N"),
    # The change since the previous year.
    "change_head": Text("{n}、与上一年度比较（{then} → {now}）", "{n}. Change since {then}"),
    "change_item": Text("项目", "Item"),
    "year_col": Text("{year}", "{year}"),
    "change": Text("变化", "Change"),
    "closed": Text("已整改", "Closed"),
    "new_gaps": Text("新增问题", "New gaps"),
    "persistent": Text("持续问题", "Persistent"),
    "worse": Text("其中退步", "Regressed"),
    "grade_up": Text("↑ 提升", "↑ Up"),
    "grade_down": Text("↓ 下降", "↓ Down"),
    "grade_same": Text("持平", "Same"),
    "track_note": Text(
        "“问题清单”逐项标出新增、持续的问题；比上一年度更差的（新增或持续）标“退步”。",
        "The Gaps sheet marks each gap New or Persistent; one worse than last year "
        "(new or persistent) is marked Regressed.",
    ),
    "closed_list": Text("已整改的问题", "Gaps closed"),
    "none": Text("无", "None"),
    "same_pack": Text(
        "{then}与{now}均按本报告的规则包（{pack}）计分，两年可直接比较。",
        "{then} and {now} were both scored under this report's rule pack ({pack}), so they "
        "compare like for like.",
    ),
    "other_pack": Text(
        "注意：{then}按规则包 {old} 计分，{now}按 {new} 计分，部分变化可能来自规则调整。",
        "Note: {then} was scored under {old} and {now} under {new}; part of the change may "
        "come from the rules.",
    ),
    "renamed": Text("{then}的单位名称为“{name}”。", " Previously named '{name}'."),
    "area_delta": Text("较{year}", "vs {year}"),
    "track": Text("跟踪\n较{year}", "Since {year}"),
}

_NUMERALS = {"zh": "一二三四五六", "en": "123456"}


def _numeral(lang: str, n: int) -> str:
    """Section number ``n`` (1-based): 一、二、… or 1, 2, …"""
    return _NUMERALS.get(lang, _NUMERALS["zh"])[n - 1]


def _year_text(year: int | None, lang: str, now: bool = False) -> str:
    """A year as a noun in labels (``2023年`` / ``2023``); "last/this year" when unknown."""
    if year is not None:
        return f"{year}年" if lang != "en" else str(year)
    if now:
        return "本年度" if lang != "en" else "this year"
    return "上一年度" if lang != "en" else "last year"


_MATCH_TEXT = {
    MatchMethod.id: Text("编号", "Id"),
    MatchMethod.text: Text("原文", "Text"),
    MatchMethod.fuzzy: Text("近似", "Fuzzy"),
}

# --- look ------------------------------------------------------------------------

_SEVERITY_FILL = {Severity.critical: kit.RED, Severity.major: kit.YELLOW, Severity.minor: kit.BLUE}
_LEVEL_FILL = {
    Level.good: kit.GREEN,
    Level.fair: kit.YELLOW,
    Level.weak: kit.RED,
    Level.none: kit.GREY,
}
# Persistent gaps are what the essay says nobody follows up: darker than new ones.
_TRACK_FILL = {Track.new: kit.YELLOW, Track.persistent: kit.ORANGE, Track.regressed: kit.RED}

_BIG: kit.Style = {**kit.BODY, "font_size": 14, "bold": True, "font_color": kit.HEAD}
_BIG_SCORE: kit.Style = {**_BIG, "align": "left", "num_format": "0.0#"}
# The summary's sections are ruled off; the table sheets have none.
_SECTION: kit.Style = {**kit.SECTION, "bottom": 2, "bottom_color": kit.HEAD}


def _delta(value: float | None) -> kit.Style:
    """A change with its sign, green up, red down, grey flat."""
    colours = kit.delta_colours(value) or kit.GREY
    return {**kit.coloured(kit.CENTRE, colours), "num_format": kit.SIGNED_FORMAT}


def _level(level: Level) -> kit.Style:
    return kit.coloured(kit.CENTRE, _LEVEL_FILL[level])


def _status_rules(sheet: kit.Sheet, col: int, last: int, lang: str, waived: bool = False) -> None:
    # 豁免 is coloured only where a rule is waived, so reports without waivers stay as they were.
    sheet.text_colours(
        (1, col),
        (last, col),
        (
            (STATUS_TEXT[s].get(lang), c)
            for s, c in kit.STATUS_COLOURS.items()
            if waived or s is not Status.waived
        ),
    )


def _severity_rules(sheet: kit.Sheet, col: int, first: int, last: int, lang: str) -> None:
    sheet.text_colours(
        (first, col),
        (last, col),
        ((SEVERITY_TEXT[s].get(lang), c) for s, c in _SEVERITY_FILL.items()),
    )


def _score_rules(sheet: kit.Sheet, col: int, first: int, last: int, analysis: GapAnalysis) -> None:
    """Colour area scores by the pack's grade limits."""
    limits = analysis.thresholds
    sheet.number_colours(
        first,
        col,
        last,
        (
            ({"criteria": ">=", "value": limits.good}, _LEVEL_FILL[Level.good]),
            (
                {"criteria": "between", "minimum": limits.fair, "maximum": limits.good - 0.001},
                _LEVEL_FILL[Level.fair],
            ),
            ({"criteria": "<", "value": limits.fair}, _LEVEL_FILL[Level.weak]),
        ),
    )


# --- the sheets -------------------------------------------------------------------------

_GRID = 12
_GRID_WIDTH = 11.5


def _summary(
    sheet: kit.Sheet,
    result: Result,
    pack: RulePack,
    analysis: GapAnalysis,
    lang: str,
    header: str,
) -> None:
    ws = sheet.ws
    sheet.widths([_GRID_WIDTH] * _GRID)
    unit = result.unit
    score = result.score
    last_col = _GRID - 1

    title = (_L["title"] if unit.year else _L["title_no_year"]).get(lang)
    sheet.span(0, 0, last_col, title.format(name=unit.name, year=unit.year), kit.TITLE)
    sheet.height(0, 30)
    subtitle = (
        _L["subtitle"]
        .get(lang)
        .format(pack=pack.title.get(lang), id=result.pack_id, version=result.pack_version)
    ) + based_on(result.pack_base, lang)
    sheet.span(1, 0, last_col, subtitle, kit.SUBTITLE)

    missing = sum(1 for g in analysis.gaps if g.result.status is Status.missing)
    unsupported = sum(1 for g in analysis.gaps if g.result.status is Status.unsupported)
    complete = result.completeness
    share = (
        number(round(complete.answered / complete.applicable * 100, 1))
        if complete.applicable
        else "0"
    )
    unit_type = analysis.unit_type.get(lang) if analysis.unit_type else (unit.type or "")
    left: list[tuple[str, object]] = [
        ("unit", unit.name),
        ("type", unit_type),
        ("town", unit.town),
        ("year", str(unit.year) if unit.year else ""),
        (
            "pack",
            _L["pack_value"]
            .get(lang)
            .format(title=pack.title.get(lang), id=result.pack_id, version=result.pack_version)
            + based_on(result.pack_base, lang),
        ),
        ("source", result.source),
    ]
    right: list[tuple[str, object]] = [
        ("total", score.total),
        (
            "base",
            _L["base_value"]
            .get(lang)
            .format(
                base=number(score.base),
                earned=number(score.earned),
                possible=number(score.possible),
            ),
        ),
        (
            "bonus",
            _L["bonus_value"]
            .get(lang)
            .format(
                bonus=number(score.bonus), raw=number(score.bonus_raw), cap=number(pack.bonus_cap)
            ),
        ),
        ("grade", grade_text(analysis).get(lang)),
        (
            "completeness",
            _L["completeness_value"]
            .get(lang)
            .format(answered=complete.answered, applicable=complete.applicable, share=share),
        ),
        (
            "gap_total",
            _L["gap_total_value"]
            .get(lang)
            .format(total=len(analysis.gaps), missing=missing, unsupported=unsupported),
        ),
    ]
    row = 3
    for (lkey, lvalue), (rkey, rvalue) in zip(left, right, strict=True):
        sheet.span(row, 0, 1, _L[lkey].get(lang), kit.LABEL)
        sheet.span(row, 2, 5, lvalue, kit.BODY)
        sheet.span(row, 6, 7, _L[rkey].get(lang), kit.LABEL)
        if rkey == "total":
            sheet.span(row, 8, last_col, rvalue, _BIG_SCORE)
            sheet.fit(row, "0", _GRID_WIDTH, 14)
        elif rkey == "grade":
            sheet.span(row, 8, last_col, rvalue, _BIG)
        else:
            sheet.span(row, 8, last_col, rvalue, kit.BODY)
        row += 1

    section = 0

    def heading(at: int, key: str, **params: object) -> None:
        nonlocal section
        section += 1
        text = _L[key].get(lang).format(n=_numeral(lang, section), **params)
        sheet.span(at, 0, last_col, text, _SECTION)
        sheet.height(at, 24)

    previous = analysis.previous
    if previous is not None:
        row += 1
        then = _year_text(previous.year, lang)
        heading(row, "change_head", then=then, now=_year_text(unit.year, lang, now=True))
        row = _previous_block(sheet, row + 1, previous, pack, result, lang)

    # Areas: the table on the left, a chart of its score cells on the right.
    row += 1
    heading(row, "areas")
    row += 1
    head_row = row
    columns = [
        (0, 1, _L["area"].get(lang)),
        (2, 2, _L["score"].get(lang)),
        (3, 3, _L["earned"].get(lang)),
        (4, 4, _L["possible"].get(lang)),
        (5, 5, _L["gap_count"].get(lang)),
        (6, 6, _L["level"].get(lang)),
    ]
    if previous is not None:
        columns.append(
            (7, 7, _L["area_delta"].get(lang).format(year=_year_text(previous.year, lang)))
        )
    for first, last, head in columns:
        sheet.span(row, first, last, head, kit.HEADER)
    for area in analysis.areas:
        row += 1
        sheet.span(row, 0, 1, area.area.title.get(lang), kit.BODY)
        sheet.put(row, 2, area.result.score, kit.SCORE)
        sheet.put(row, 3, area.result.earned, kit.NUMBER)
        sheet.put(row, 4, area.result.possible, kit.NUMBER)
        sheet.put(row, 5, area.gaps, kit.NUMBER)
        sheet.span(row, 6, 6, LEVEL_TEXT[area.level].get(lang), _level(area.level))
        if previous is not None:
            # Blank, not 0, when the area did not apply in one of the years.
            sheet.put(row, 7, area.delta, _delta(area.delta))
    last_area = row
    table_last = columns[-1][1]
    if analysis.areas:
        _score_rules(sheet, 2, head_row + 1, last_area, analysis)
    row += 1
    limits = analysis.thresholds
    legend = _L["legend"].get(lang).format(good=number(limits.good), fair=number(limits.fair))
    sheet.span(row, 0, table_last, legend, kit.NOTE)
    table_end = row
    chart_end = table_end
    if analysis.areas:
        chart_end = _area_chart(
            sheet, analysis, lang, head_row, last_area, table_end, table_last + 1
        )
    row = max(table_end, chart_end) + 2

    # Gap counts by severity, as one small horizontal table.
    heading(row, "severity_head")
    row += 1
    sheet.span(row, 0, 1, _L["severity"].get(lang), kit.HEADER)
    col = 2
    for severity, _ in analysis.by_severity:
        sheet.span(row, col, col + 1, SEVERITY_TEXT[severity].get(lang), kit.HEADER)
        col += 2
    sheet.span(row, col, col + 1, _L["all"].get(lang), kit.HEADER)
    row += 1
    sheet.span(row, 0, 1, _L["count"].get(lang), kit.LABEL)
    col = 2
    for _, count in analysis.by_severity:
        sheet.span(row, col, col + 1, count, kit.NUMBER)
        col += 2
    sheet.span(row, col, col + 1, len(analysis.gaps), kit.NUMBER)

    # Priority actions.
    row += 2
    heading(row, "actions")
    row += 1
    sheet.span(row, 0, last_col, _L["actions_note"].get(lang), kit.NOTE)
    row += 1
    for first, last, key in (
        (0, 0, "rank"),
        (1, 1, "id"),
        (2, 4, "indicator"),
        (5, 5, "lost"),
        (6, 6, "severity"),
        (7, last_col, "recommendation"),
    ):
        sheet.span(row, first, last, _L[key].get(lang), kit.HEADER)
    if not analysis.actions:
        row += 1
        sheet.span(row, 0, last_col, _L["no_actions"].get(lang), kit.BODY)
    first_action = row + 1
    for action in analysis.actions:
        row += 1
        gap = action.gap
        sheet.put(row, 0, action.rank, kit.NUMBER)
        sheet.put(row, 1, gap.rule.id, kit.CENTRE)
        indicator = gap.rule.indicator.get(lang)
        if gap.vetoed:
            indicator = _L["veto_tag"].get(lang) + indicator
        sheet.span(row, 2, 4, indicator, kit.BODY)
        sheet.put(row, 5, gap.lost, kit.NUMBER)
        sheet.put(row, 6, SEVERITY_TEXT[gap.severity].get(lang), kit.CENTRE)
        sheet.span(row, 7, last_col, action.recommendation.get(lang), kit.BODY)
    if analysis.actions:
        _severity_rules(sheet, 6, first_action, row, lang)

    if result.waivers:
        row += 2
        heading(row, "waivers_head")
        row = _waivers_block(sheet, row + 1, result, pack, lang)

    ws.hide_gridlines(2)
    sheet.finish(header)
    # The summary is the page people take to the meeting: one sheet of paper.
    ws.fit_to_pages(1, 1)


def _waivers_block(sheet: kit.Sheet, row: int, result: Result, pack: RulePack, lang: str) -> int:
    """Each waiver applied: rule, indicator, reason, approver and expiry; returns the last row."""
    last_col = _GRID - 1
    sheet.span(row, 0, last_col, _L["waivers_note"].get(lang), kit.NOTE)
    row += 1
    for first, last, key in (
        (0, 0, "id"),
        (1, 3, "indicator"),
        (4, 7, "waiver_reason"),
        (8, 10, "waiver_by"),
        (11, 11, "waiver_until"),
    ):
        sheet.span(row, first, last, _L[key].get(lang), kit.HEADER)
    for waiver in result.waivers:
        row += 1
        rule = pack.rules_by_id.get(waiver.rule_id)
        indicator = rule.indicator.get(lang) if rule is not None else ""
        if rule is not None and rule.veto:
            indicator = _L["veto_tag"].get(lang) + indicator
        sheet.put(row, 0, waiver.rule_id, kit.CENTRE)
        sheet.span(row, 1, 3, indicator, kit.BODY)
        sheet.span(row, 4, 7, waiver.reason, kit.BODY)
        sheet.span(row, 8, 10, f"{waiver.approved_by} {waiver.approved_on.isoformat()}", kit.BODY)
        sheet.put(row, 11, waiver.expires_on.isoformat(), kit.CENTRE)
    return row


def _previous_block(
    sheet: kit.Sheet, row: int, previous: PreviousYear, pack: RulePack, result: Result, lang: str
) -> int:
    """The change since the previous year, from ``row``; returns the last row used.

    Left: total and grade then, now and the change. Right: how many gaps were
    closed, are new, persist or got worse. Below: the gaps closed (they are on
    no other sheet) and which pack scored the previous year.
    """
    last_col = _GRID - 1
    then = _year_text(previous.year, lang)
    now = _year_text(result.unit.year, lang, now=True)
    for first, last, text in (
        (0, 1, _L["change_item"].get(lang)),
        (2, 3, _L["year_col"].get(lang).format(year=then)),
        (4, 5, _L["year_col"].get(lang).format(year=now)),
        (6, 7, _L["change"].get(lang)),
        (8, 8, _L["closed"].get(lang)),
        (9, 9, _L["new_gaps"].get(lang)),
        (10, 10, _L["persistent"].get(lang)),
        (11, 11, _L["worse"].get(lang)),
    ):
        sheet.span(row, first, last, text, kit.HEADER)

    row += 1
    sheet.span(row, 0, 1, _L["total"].get(lang), kit.LABEL)
    sheet.span(row, 2, 3, previous.total_then, kit.TOTAL)
    sheet.span(row, 4, 5, previous.total_now, kit.TOTAL)
    sheet.span(row, 6, 7, previous.delta, _delta(previous.delta))
    # New + persistent are this year's gaps; the regressed are some of them.
    counts = (previous.closed, previous.new_gaps, previous.persistent, previous.regressed)
    for col, ids in enumerate(counts, start=8):
        sheet.put(row, col, len(ids), kit.NUMBER)

    row += 1
    sheet.span(row, 0, 1, _L["grade"].get(lang), kit.LABEL)
    sheet.span(row, 2, 3, previous.grade_then.get(lang), kit.CENTRE)
    sheet.span(row, 4, 5, previous.grade_now.get(lang), kit.CENTRE)
    move = {1: ("grade_up", "up"), -1: ("grade_down", "down"), 0: ("grade_same", "flat")}
    key, look = move[previous.grade_move]
    level = {"up": Level.good, "down": Level.weak, "flat": Level.none}[look]
    sheet.span(row, 6, 7, _L[key].get(lang), _level(level))
    sheet.span(row, 8, last_col, _L["track_note"].get(lang), kit.NOTE)

    row += 1
    sheet.span(row, 0, 1, _L["closed_list"].get(lang), kit.LABEL)
    closed = ("、" if lang != "en" else ", ").join(previous.closed) or _L["none"].get(lang)
    sheet.span(row, 2, last_col, closed, kit.BODY)

    row += 1
    if previous.same_pack:
        title = pack.title.get(lang)
        packs = (
            _L["same_pack"].get(lang).format(then=then, now=now, pack=f"{title} {previous.pack}")
        )
    else:
        packs = (
            _L["other_pack"]
            .get(lang)
            .format(
                then=then, now=now, old=previous.pack, new=f"{result.pack_id} {result.pack_version}"
            )
        )
    if previous.name and previous.name != result.unit.name:
        packs += _L["renamed"].get(lang).format(then=then, name=previous.name)
    sheet.span(row, 0, last_col, packs, kit.NOTE)
    return row


def _area_chart(
    sheet: kit.Sheet,
    analysis: GapAnalysis,
    lang: str,
    head_row: int,
    last_area: int,
    table_end: int,
    first_col: int = 7,
) -> int:
    """A bar chart of the area score cells (column C) by area title (column A).

    Placed right of the area table, from ``first_col`` to the last column;
    returns the last row it covers.
    """
    name = sheet.ws.get_name()
    font = sheet.book.chart_font()
    chart = sheet.book.chart("bar")
    chart.add_series(
        {
            "name": [name, head_row, 2],
            "categories": [name, head_row + 1, 0, last_area, 0],
            "values": [name, head_row + 1, 2, last_area, 2],
            "fill": {"color": kit.BAR_COLOURS[Level.good.value]},
            "points": [
                {"fill": {"color": kit.BAR_COLOURS[area.level.value]}} for area in analysis.areas
            ],
            "data_labels": {"value": True, "num_format": "0.0", "font": font},
            "gap": 60,
        }
    )
    chart.set_title(
        {"name": _L["chart"].get(lang), "name_font": {**font, "size": 11, "bold": True}}
    )
    chart.set_legend({"none": True})
    # Bar charts: x is the value axis, y the categories (reversed to read in table order).
    chart.set_x_axis(
        {
            # Room past 100 so a full score's label is not clipped by the plot edge.
            "min": 0,
            "max": 115,
            "major_unit": 20,
            "num_font": font,
            "major_gridlines": {"visible": True},
        }
    )
    chart.set_y_axis({"reverse": True, "num_font": font})
    rows = max(last_area - head_row + 3, 10)
    size = (sheet.columns_px(first_col, _GRID - first_col), sheet.rows_px(head_row, rows))
    sheet.chart(chart, head_row, first_col, size, x_offset=8, y_offset=0, object_position=1)
    return max(table_end, head_row + rows - 1)


def _area_title(pack: RulePack, area: str, lang: str) -> str:
    """``pack.title_of(area)`` in ``lang``, looked up once per pack (a report asks for each row)."""
    titles = _area_titles.get(id(pack))
    if titles is None or titles[0] is not pack:
        _area_titles.clear()  # a worker scores with one pack; keep none other alive
        titles = _area_titles[id(pack)] = (pack, {})
    key = (area, lang)
    found = titles[1].get(key)
    if found is None:
        found = titles[1][key] = pack.title_of(area).get(lang)
    return found


_area_titles: dict[int, tuple[RulePack, dict[tuple[str, str], str]]] = {}


_TRACK_COL = 8
"""Where the gaps sheet's since-last-year column goes: right after severity."""


def _gaps(sheet: kit.Sheet, pack: RulePack, analysis: GapAnalysis, lang: str, header: str) -> None:
    columns = [
        kit.Column(_L["id"], 10, kit.CENTRE, wrap=False),
        kit.Column(_L["area"], 11),
        kit.Column(_L["indicator"], 28),
        kit.Column(_L["answer"], 13),
        kit.Column(_L["status"], 8, kit.CENTRE, en_width=11),
        kit.Column(_L["required"], 15),
        kit.Column(_L["lost"], 6, kit.NUMBER, wrap=False),
        kit.Column(_L["severity"], 8, kit.CENTRE),
        kit.Column(_L["finding"], 27),
        kit.Column(_L["recommendation"], 30),
        kit.Column(_L["cell"], 11),
    ]
    previous = analysis.previous
    if previous is not None:
        year = _year_text(previous.year, "zh"), _year_text(previous.year, "en")
        head = Text(_L["track"].zh.format(year=year[0]), _L["track"].en.format(year=year[1]))
        columns.insert(_TRACK_COL, kit.Column(head, 10, kit.CENTRE))

    def rows() -> Iterable[Sequence[object]]:
        for gap in analysis.gaps:
            rule, result = gap.rule, gap.result
            finding = gap.finding.get(lang)
            if gap.vetoed:
                finding = _L["veto_tag"].get(lang) + finding
            elif result.bonus:
                finding = _L["bonus_tag"].get(lang) + finding
            values: list[object] = [
                rule.id,
                _area_title(pack, result.area, lang),
                rule.indicator.get(lang),
                result.answer.raw or _L["blank"].get(lang),
                STATUS_TEXT[result.status].get(lang),
                bands_text(rule).get(lang),
                gap.lost,
                SEVERITY_TEXT[gap.severity].get(lang),
                finding,
                rule.recommendation.get(lang),
                result.answer.cell,
            ]
            if previous is not None:
                values.insert(_TRACK_COL, TRACK_TEXT[gap.track].get(lang) if gap.track else "")
            yield values

    last = sheet.only_table(columns, rows(), _L["no_gaps"], header)
    if analysis.gaps:
        _status_rules(sheet, 4, last, lang)
        _severity_rules(sheet, 7, 1, last, lang)
        if previous is not None:
            sheet.text_colours(
                (1, _TRACK_COL),
                (last, _TRACK_COL),
                ((TRACK_TEXT[t].get(lang), fill) for t, fill in _TRACK_FILL.items()),
            )


def _details(sheet: kit.Sheet, result: Result, pack: RulePack, lang: str, header: str) -> None:
    columns = (
        kit.Column(_L["id"], 10, kit.CENTRE, wrap=False),
        kit.Column(_L["area"], 11),
        kit.Column(_L["indicator"], 28),
        kit.Column(_L["answer"], 13),
        kit.Column(_L["value"], 10),
        kit.Column(_L["status"], 8, kit.CENTRE, en_width=11),
        kit.Column(_L["earned"], 6, kit.NUMBER, wrap=False),
        kit.Column(_L["possible"], 6, kit.NUMBER, wrap=False),
        kit.Column(_L["decision"], 17),
        kit.Column(_L["match"], 7, kit.CENTRE),
        kit.Column(_L["confidence"], 7, kit.NUMBER, wrap=False),
        kit.Column(_L["cell"], 11),
        kit.Column(_L["evidence"], 16),
        kit.Column(_L["claimed"], 7, kit.NUMBER, wrap=False),
    )
    rules = pack.rules_by_id

    def rows() -> Iterable[Sequence[object]]:
        for r in result.rules:
            rule = rules.get(r.rule_id)
            answer = r.answer
            method = _MATCH_TEXT.get(answer.match_method)
            yield (
                r.rule_id,
                _area_title(pack, r.area, lang),
                rule.indicator.get(lang) if rule else "",
                answer.raw,
                value_text(answer.value, rule.answer).get(lang) if rule else "",
                STATUS_TEXT[r.status].get(lang),
                r.earned,
                r.possible,
                decision_text(r, rule).get(lang),
                method.get(lang) if method else answer.match_method,
                round(answer.match_confidence) if answer.match_method else None,
                answer.cell,
                answer.evidence,
                answer.claimed,
            )

    last = sheet.only_table(columns, rows(), _L["no_rules"], header)
    if result.rules:
        _status_rules(sheet, 5, last, lang, waived=bool(result.waivers))


def _audit(sheet: kit.Sheet, analysis: GapAnalysis, lang: str, header: str) -> None:
    columns = (
        kit.Column(_L["category"], 14),
        kit.Column(_L["note_level"], 6, kit.CENTRE),
        kit.Column(_L["rules"], 12),
        kit.Column(_L["location"], 14),
        kit.Column(_L["message"], 50),
        kit.Column(_L["unit_text"], 24),
        kit.Column(_L["claimed"], 7, kit.NUMBER, wrap=False, en_width=9),
        kit.Column(_L["computed"], 7, kit.NUMBER, wrap=False, en_width=9),
    )

    def rows() -> Iterable[Sequence[object]]:
        for item in analysis.audit:
            yield (
                AUDIT_TEXT[item.category].get(lang),
                NOTE_LEVEL_TEXT[item.level].get(lang) if item.level else "",
                "\n".join(item.rule_ids),
                item.location.get(lang),
                item.message.get(lang),
                item.unit_text,
                item.claimed,
                item.computed,
            )

    sheet.only_table(columns, rows(), _L["no_audit"], header)


# --- the workbook ---------------------------------------------------------------------


def _write(
    result: Result, pack: RulePack, lang: str, target: Path, comparison: Comparison | None
) -> None:
    analysis = analyse(result, pack, comparison=comparison)
    header = f"{result.unit.name} {result.unit.year or ''}".strip()
    book = kit.Book(target, lang, header, subject=pack.title.get(lang), made=Made.report)
    summary, gaps, details, audit = (book.sheet(SHEETS[key]) for key in SHEETS)
    _summary(summary, result, pack, analysis, lang, header)
    _gaps(gaps, pack, analysis, lang, header)
    _details(details, result, pack, lang, header)
    _audit(audit, analysis, lang, header)
    book.close()


def write_report(
    result: Result,
    pack: RulePack,
    path: Path,
    lang: str = "zh",
    inputs: Sequence[Path] = (),
    *,
    comparison: Comparison | None = None,
) -> Path:
    """Write the gap report for ``result`` (scored with ``pack``) to ``path``.

    Written atomically and never over one of ``inputs``; labels, sheet names
    and rule texts in ``lang`` (``zh`` or ``en``). With ``comparison`` (the
    unit's previous year against ``result``) the summary shows the change
    since that year and the gaps sheet marks each gap new, persistent or
    regressed. Returns the path written.
    """
    return write_atomically(
        Path(path), lambda temp: _write(result, pack, lang, temp, comparison), inputs
    )


def write_scratch_report(
    result: Result,
    pack: RulePack,
    path: Path,
    lang: str = "zh",
    *,
    comparison: Comparison | None = None,
) -> Path:
    """:func:`write_report` into a folder only this run writes (a batch's scratch folder).

    What :func:`~checklist.output.write_atomically` guards against (an input or
    a unit's file in the way, temporary files a killed run left) cannot be in
    such a folder, and its look at the folder grew with every report a batch
    wrote there. The report is still written under another name and renamed,
    so a killed worker leaves no half-written report under ``path``.
    """
    temp = path.with_name(f".{path.name}.part")
    try:
        _write(result, pack, lang, temp, comparison)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    os.replace(temp, path)
    return path
