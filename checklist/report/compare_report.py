"""The year-over-year workbook: 概览 Summary, 问题变化 Gap changes, 逐项对比 Rule by rule.

Lays out a finished :class:`~checklist.compare.Comparison`; nothing here
compares, scores or reads a database. The pack only supplies texts (area and
rule titles, grades, recommendations) and may be None when the results came
from a pack that cannot be loaded; ids are shown then.

Written through :mod:`checklist.report.kit` (unit text stays text, rows sized
to their text, pages set up as in every other workbook) and
:func:`checklist.output.write_atomically`. Only commands import this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from checklist.compare import CHANGE_TEXT, Change, Comparison, RuleChange
from checklist.display import number, signed
from checklist.model import RulePack
from checklist.origin import Made
from checklist.report import kit, paging
from checklist.report.labels import Labels
from checklist.text import Text

CHANGE_COLOURS: dict[Change, kit.Colours] = {
    Change.improved: kit.GREEN,
    Change.regressed: kit.RED,
    Change.bonus_lost: kit.YELLOW,
    Change.unchanged: kit.PLAIN,
    Change.new_rule: kit.BLUE,
    Change.retired_rule: kit.GREY,
    Change.now_applies: kit.BLUE,
    Change.no_longer_applies: kit.GREY,
    Change.waived: kit.GREY,
    Change.unwaived: kit.ORANGE,
}
"""Fill and text colour per change kind."""


# --- the compare workbook ----------------------------------------------------------------

SHEETS: dict[str, Text] = {
    "summary": Text("概览", "Summary"),
    "gaps": Text("问题变化", "Gap changes"),
    "rules": Text("逐项对比", "Rule by rule"),
}
"""Sheet names, in workbook order."""

_L: dict[str, Text] = {
    "title": Text("{name}　{then}—{now}年度群团工作对比", "{name} — {then} to {now} comparison"),
    "subtitle_same": Text(
        "两个年度均按规则包 {pack} 评分，可直接比较。",
        "Both years were scored under rule pack {pack}: like for like.",
    ),
    "subtitle_diff": Text(
        "注意：两个年度的规则包不同（{then} → {now}），部分变化可能来自规则调整；"
        "按同一规则包比较请用 checklist compare --rules 或 checklist trend。",
        "Note: the years were scored under different rule packs ({then} → {now}); part of the "
        "change may come from the rules. For like-for-like use checklist compare --rules or "
        "checklist trend.",
    ),
    "forced": Text(
        "注意：两份自评的单位名称不一致（{then} / {now}），按 --force 视为同一单位比较。",
        "Note: the two assessments name different units ({then} / {now}); compared as one "
        "unit because of --force.",
    ),
    "item": Text("项目", "Item"),
    "change": Text("变化", "Change"),
    "unit": Text("单位名称", "Unit"),
    "type": Text("单位类型", "Unit type"),
    "town": Text("所属镇（街道）", "Town or subdistrict"),
    "pack": Text("规则包及版本", "Rule pack"),
    "source": Text("来源文件", "Source file"),
    "total": Text("总分", "Total score"),
    "base": Text("基础得分", "Base score"),
    "bonus": Text("加分", "Bonus"),
    "grade": Text("等次", "Grade"),
    "answered": Text("已填报/适用项", "Answered / applicable"),
    "areas": Text("二、各领域得分率", "2. Scores by area"),
    "area": Text("领域", "Area"),
    "chart": Text("各领域得分率对比（满分100）", "Area scores, then and now (out of 100)"),
    "counts": Text("一、问题变化", "1. How the gaps moved"),
    "list": Text("类别", "List"),
    "count": Text("项数", "Rules"),
    "meaning": Text("含义", "Meaning"),
    "closed": Text("已整改", "Closed"),
    "closed_means": Text("上年为问题，本年达标", "A gap then, passed now"),
    "new": Text("新出现的问题", "New gaps"),
    "new_means": Text(
        "上年不是问题（达标、不适用或无此规则），本年为问题",
        "Not a gap then (passed, N/A or no such rule), a gap now",
    ),
    "persistent": Text("持续存在的问题", "Persistent gaps"),
    "persistent_means": Text("两个年度都是问题：需要跟进整改", "A gap in both years: follow it up"),
    "regressed": Text("退步", "Regressed"),
    "regressed_means": Text(
        "两年都有此规则，本年状态或得分更差", "In both years and worse now (status or points)"
    ),
    "added": Text("新增规则", "Rules added"),
    "added_means": Text("只有本年的规则包有此规则", "Only the new pack has the rule"),
    "retired": Text("已取消规则", "Rules retired"),
    "retired_means": Text(
        "只有上年的规则包有此规则（仍列出，不丢弃）",
        "Only the old pack had the rule (listed, not dropped)",
    ),
    "waived": Text("已豁免", "Waived"),
    "waived_means": Text(
        "本年经批准豁免（不是整改，也不计为问题）",
        "Waived this year by agreement (not closed, and no gap)",
    ),
    "unwaived": Text("不再豁免", "No longer waived"),
    "unwaived_means": Text(
        "上年经批准豁免，本年不再豁免，重新按规则评分",
        "Waived last year, scored by the rule again this year",
    ),
    "id": Text("编号", "Id"),
    "indicator": Text("指标", "Indicator"),
    "status_then": Text("{year}状态", "{year} status"),
    "status_now": Text("{year}状态", "{year} status"),
    "points_then": Text("{year}得分", "{year} points"),
    "points_now": Text("{year}得分", "{year} points"),
    "delta": Text("得分变化", "Points change"),
    "kind": Text("变化类型", "Change"),
    "answer_then": Text("{year}单位填报", "{year} answer"),
    "answer_now": Text("{year}单位填报", "{year} answer"),
    "lists": Text("所属清单", "Lists"),
    "recommendation": Text("整改建议", "Recommendation"),
    "none": Text("无", "None"),
    "not_in_pack": Text("（本规则包无此规则）", "(not in this rule pack)"),
    "legend": Text(
        "状态颜色：绿=达标，黄=部分达标，紫=缺佐证，红=未达标，橙=未填报，灰=不适用；“-”表示该年度的规则包没有此规则。",
        "Status colours: green pass, yellow partial, purple unsupported, red fail, orange "
        "missing, grey N/A; '-' means that year's pack had no such rule.",
    ),
}


def _year(value: int | None) -> str:
    return str(value) if value is not None else "?"


_LIST_COLOURS: dict[str, kit.Colours] = {
    "closed": kit.GREEN,
    "new": kit.RED,
    "persistent": kit.ORANGE,
    "regressed": kit.RED,
    "added": kit.BLUE,
    "retired": kit.GREY,
    "waived": kit.GREY,
    "unwaived": kit.ORANGE,
}


def _lists(comparison: Comparison) -> list[tuple[str, Text, Text, tuple[str, ...]]]:
    return [
        ("closed", _L["closed"], _L["closed_means"], comparison.closed),
        ("new", _L["new"], _L["new_means"], comparison.new_gaps),
        ("persistent", _L["persistent"], _L["persistent_means"], comparison.persistent),
        ("regressed", _L["regressed"], _L["regressed_means"], comparison.regressed),
        ("added", _L["added"], _L["added_means"], comparison.added_rules),
        ("retired", _L["retired"], _L["retired_means"], comparison.retired_rules),
        # Waivers are rare: their lists appear only when a rule is in one.
        *(
            (kind, _L[kind], _L[f"{kind}_means"], ids)
            for kind, ids in (("waived", comparison.waived), ("unwaived", comparison.unwaived))
            if ids
        ),
    ]


def _header_text(comparison: Comparison) -> str:
    return f"{comparison.unit_now.name} {_year(comparison.year_then)}—{_year(comparison.year_now)}"


def _summary(sheet: kit.Sheet, comparison: Comparison, labels: Labels) -> None:
    lang = sheet.lang
    then, now = _year(comparison.year_then), _year(comparison.year_now)
    # English labels and area names run longer than Chinese ones.
    first = 32 if lang == "en" else 22
    columns = [
        kit.Column(_L["item"], first),
        kit.Column(Text(then, then), 28, kit.CENTRE, num_format="0.00"),
        kit.Column(Text(now, now), 28, kit.CENTRE, num_format="0.00"),
        kit.Column(_L["change"], 14, kit.CENTRE),
    ]
    sheet.widths(columns)
    if comparison.same_pack:
        subtitle = _L["subtitle_same"].format(pack=comparison.pack_now)
    else:
        subtitle = _L["subtitle_diff"].format(then=comparison.pack_then, now=comparison.pack_now)
    name = comparison.unit_now.name
    row = sheet.title(
        _L["title"].format(name=name, then=then, now=now).get(lang), subtitle.get(lang), 3
    )
    if comparison.forced:
        forced = _L["forced"].format(then=comparison.unit_then.name, now=comparison.unit_now.name)
        row = sheet.note(row - 1, forced.get(lang), 3) + 1

    overall = comparison.overall
    unit_then, unit_now = comparison.unit_then, comparison.unit_now
    rows: list[list[object]] = [
        [_L["unit"].get(lang), unit_then.name, unit_now.name, ""],
        [
            _L["type"].get(lang),
            labels.unit_type(unit_then.type),
            labels.unit_type(unit_now.type),
            "",
        ],
        [_L["town"].get(lang), unit_then.town, unit_now.town, ""],
        [_L["pack"].get(lang), str(comparison.pack_then), str(comparison.pack_now), ""],
        [_L["total"].get(lang), overall.total_then, overall.total_now, signed(overall.total_delta)],
        [_L["base"].get(lang), overall.base_then, overall.base_now, signed(overall.base_delta)],
        [_L["bonus"].get(lang), overall.bonus_then, overall.bonus_now, signed(overall.bonus_delta)],
        [
            _L["grade"].get(lang),
            labels.grade(overall.grade_then),
            labels.grade(overall.grade_now),
            "",
        ],
        [
            _L["answered"].get(lang),
            f"{overall.answered_then} / {overall.applicable_then}",
            f"{overall.answered_now} / {overall.applicable_now}",
            "",
        ],
    ]
    styles: dict[tuple[int, int], kit.Style] = {(i, 0): kit.LABEL for i in range(len(rows))}
    for index, delta in (
        (4, overall.total_delta),
        (5, overall.base_delta),
        (6, overall.bonus_delta),
    ):
        styles[(index, 3)] = kit.delta_style(delta)
    styles[(4, 2)] = {**kit.CENTRE, "bold": True, "num_format": "0.00"}
    row = sheet.table(row, columns, rows, styles) + 2

    row = sheet.section(row, _L["counts"].get(lang))
    lists = _lists(comparison)
    count_columns = [
        kit.Column(_L["list"], first),
        kit.Column(_L["count"], 28, kit.CENTRE),
        kit.Column(_L["meaning"], 28),
    ]
    row = (
        sheet.table(
            row,
            count_columns,
            [[label.get(lang), len(ids), meaning.get(lang)] for _, label, meaning, ids in lists],
            {
                (i, 0): kit.coloured(kit.BODY, _LIST_COLOURS[kind])
                for i, (kind, *_) in enumerate(lists)
            },
        )
        + 2
    )

    # The area table and its chart go on a page of their own rather than
    # starting at the foot of the first one.
    pages = paging.Pages(sheet, len(columns))
    pages.new_page(row)
    row = sheet.section(row, _L["areas"].get(lang))
    area_top = row
    area_columns = [
        kit.Column(_L["area"], first),
        kit.Column(Text(then, then), 28, kit.CENTRE, num_format="0.0"),
        kit.Column(Text(now, now), 28, kit.CENTRE, num_format="0.0"),
        kit.Column(_L["change"], 14, kit.CENTRE),
    ]
    last = sheet.table(
        area_top,
        area_columns,
        [
            [labels.area(a.area), a.score_then, a.score_now, signed(a.delta)]
            for a in comparison.areas
        ],
        {(i, 3): kit.delta_style(a.delta) for i, a in enumerate(comparison.areas)},
    )
    if comparison.areas:
        count = len(comparison.areas)
        wanted, least = _chart_px(count), _chart_min_px(count)
        # The chart prints whole: below the table when the page has room for it
        # (a little smaller if need be), else at the top of the next page.
        room = pages.room(last + 2) - 8
        if room < least:
            pages.new_page(last + 2)
            room = pages.capacity - 8
        _area_chart(sheet, area_top, last, int(min(wanted, room)))
    pages.apply()
    sheet.finish(_header_text(comparison))


def _chart_px(count: int) -> int:
    """The area chart's height for ``count`` areas: room for each bar pair and its label."""
    return max(220, 36 * count + 110)


def _chart_min_px(count: int) -> int:
    """The least height at which every area's bars and label still read."""
    return 24 * count + 100


def _area_chart(sheet: kit.Sheet, top: int, last: int, height: int) -> None:
    """Then-and-now bars per area, below the area table, ``height`` pixels tall."""
    chart = sheet.book.chart("bar")
    name = sheet.ws.get_name()
    for col, colour in ((1, kit.BORDER), (2, kit.HEAD)):
        chart.add_series(
            {
                "name": [name, top, col],
                "categories": [name, top + 1, 0, last, 0],
                "values": [name, top + 1, col, last, col],
                "fill": {"color": colour},
                "border": {"none": True},
                "gap": 60,
            }
        )
    font = sheet.book.chart_font()
    chart.set_title({"name": _L["chart"].get(sheet.lang), "name_font": {**font, "size": 11}})
    chart.set_x_axis({"min": 0, "max": 100, "major_unit": 20, "num_font": font})
    # Bar charts draw the first category at the bottom; reversed, the areas
    # read top to bottom as in the table.
    chart.set_y_axis({"reverse": True, "num_font": font})
    chart.set_legend({"position": "bottom", "font": font})
    sheet.chart(chart, last + 2, 0, (640, height), x_offset=2, y_offset=4)


def _rule_columns(comparison: Comparison, with_recommendation: bool) -> list[kit.Column]:
    then, now = _year(comparison.year_then), _year(comparison.year_now)
    columns = [
        kit.Column(_L["id"], 10),
        kit.Column(_L["indicator"], 40),
        kit.Column(_L["status_then"].format(year=then), 11, kit.CENTRE),
        kit.Column(_L["status_now"].format(year=now), 11, kit.CENTRE),
        kit.Column(_L["points_then"].format(year=then), 9, kit.CENTRE),
        kit.Column(_L["points_now"].format(year=now), 9, kit.CENTRE),
        kit.Column(_L["kind"], 11, kit.CENTRE),
    ]
    if with_recommendation:
        columns.append(kit.Column(_L["recommendation"], 44))
    return columns


def _points(value: float | None, possible: float | None) -> str:
    if value is None or possible is None:
        return "-"
    return f"{number(value)}/{number(possible)}"


def _rule_cells(change: RuleChange, labels: Labels) -> list[object]:
    indicator = labels.indicator(change.rule_id)
    if not indicator and labels.pack is not None:
        indicator = _L["not_in_pack"].get(labels.lang)
    return [
        change.rule_id,
        indicator,
        labels.status(change.status_then),
        labels.status(change.status_now),
        _points(change.earned_then, change.possible_then),
        _points(change.earned_now, change.possible_now),
        CHANGE_TEXT[change.change].get(labels.lang),
    ]


def _rule_styles(change: RuleChange, row: int) -> dict[tuple[int, int], kit.Style]:
    styles: dict[tuple[int, int], kit.Style] = {}
    if change.status_then is not None:
        styles[(row, 2)] = kit.coloured(kit.CENTRE, kit.STATUS_COLOURS[change.status_then])
    if change.status_now is not None:
        styles[(row, 3)] = kit.coloured(kit.CENTRE, kit.STATUS_COLOURS[change.status_now])
    if change.change is not Change.unchanged:
        styles[(row, 6)] = kit.coloured(kit.CENTRE, CHANGE_COLOURS[change.change])
    return styles


def _gaps(sheet: kit.Sheet, comparison: Comparison, labels: Labels) -> None:
    lang = sheet.lang
    columns = _rule_columns(comparison, with_recommendation=True)
    sheet.widths(columns)
    row = 0
    pages = paging.Pages(sheet, len(columns))
    for kind, label, meaning, ids in _lists(comparison):
        count = f"（{len(ids)}）" if lang == "zh" else f" ({len(ids)})"
        heading = row
        row = sheet.section(row, label.get(lang) + count, _LIST_COLOURS[kind])
        row = sheet.note(row, meaning.get(lang), len(columns) - 1)
        rows: list[list[object]] = []
        styles: dict[tuple[int, int], kit.Style] = {}
        for index, rule_id in enumerate(ids):
            change = comparison.rule(rule_id)
            advice = labels.recommendation(rule_id) if change.gap_now else ""
            rows.append([*_rule_cells(change, labels), advice])
            styles.update(_rule_styles(change, index))
        last = sheet.table(row, columns, rows, styles, empty=_L["none"])
        # The heading, its note and the table's header print together with its first rows.
        pages.keep(heading, last)
        row = last + 2
    pages.apply()
    sheet.finish(_header_text(comparison))


def _rules(sheet: kit.Sheet, comparison: Comparison, labels: Labels) -> None:
    lang = sheet.lang
    then, now = _year(comparison.year_then), _year(comparison.year_now)
    columns = [
        *_rule_columns(comparison, with_recommendation=False),
        kit.Column(_L["delta"], 9, kit.CENTRE),
        kit.Column(_L["answer_then"].format(year=then), 18),
        kit.Column(_L["answer_now"].format(year=now), 18),
        kit.Column(_L["lists"], 22),
    ]
    sheet.widths(columns)
    member: dict[str, list[str]] = {}
    for _, label, _, ids in _lists(comparison):
        for rule_id in ids:
            member.setdefault(rule_id, []).append(label.get(lang))
    joiner = "、" if lang == "zh" else ", "
    rows: list[list[object]] = []
    styles: dict[tuple[int, int], kit.Style] = {}
    for index, change in enumerate(comparison.rules):
        rows.append(
            [
                *_rule_cells(change, labels),
                signed(change.delta),
                change.answer_then,
                change.answer_now,
                joiner.join(member.get(change.rule_id, ())),
            ]
        )
        styles.update(_rule_styles(change, index))
        styles[(index, 7)] = kit.delta_style(change.delta)
    last = sheet.table(0, columns, rows, styles)
    sheet.ws.freeze_panes(1, 2)
    sheet.ws.autofilter(0, 0, max(last, 1), len(columns) - 1)
    sheet.note(last + 2, _L["legend"].get(lang), len(columns) - 1)
    sheet.finish(_header_text(comparison), repeat=(0, 0))


def write_compare_report(
    comparison: Comparison,
    pack: RulePack | None,
    path: Path,
    lang: str = "zh",
    inputs: Sequence[Path] = (),
) -> Path:
    """Write the comparison workbook to ``path`` atomically (never over one of ``inputs``)."""
    labels = Labels(pack, lang)

    def fill(book: kit.Book) -> None:
        _summary(book.sheet(SHEETS["summary"]), comparison, labels)
        _gaps(book.sheet(SHEETS["gaps"]), comparison, labels)
        _rules(book.sheet(SHEETS["rules"]), comparison, labels)

    return kit.write_book(path, lang, _header_text(comparison), fill, inputs, made=Made.compare)
