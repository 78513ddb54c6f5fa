"""The trend workbook: 概览 Summary (scores per year, line chart), 状态矩阵 Status grid, 重点问题 Flags.

Lays out a finished :class:`~checklist.trend.Trend`; nothing here scores,
re-scores or reads the database. Every year was re-scored under one pack
(``trend.pack``); the workbook says which, and also shows the pack that
scored each year when it was saved, with the score it gave then. Written
through :mod:`checklist.report.kit`, as every workbook is.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from checklist.display import STATUS_TEXT, signed
from checklist.model import RulePack, Status, based_on
from checklist.origin import Made
from checklist.report import kit
from checklist.report.labels import Labels
from checklist.text import Text
from checklist.trend import Trend, TrendRow

SHEETS: dict[str, Text] = {
    "summary": Text("概览", "Summary"),
    "grid": Text("状态矩阵", "Status grid"),
    "flags": Text("重点问题", "Flags"),
}
"""Sheet names, in workbook order."""

_L: dict[str, Text] = {
    "title": Text("{name}　历年群团工作趋势（{first}—{last}）", "{name} — trend {first} to {last}"),
    "title_one": Text("{name}　群团工作趋势（{first}）", "{name} — trend ({first})"),
    "subtitle": Text(
        "各年度均按规则包“{title}”{id} {version} 由原始填报重新评分，可直接比较；"
        "“当年评分”列为保存时所用的规则包及当时得分。",
        "Every year re-scored from the unit's original answers under rule pack '{title}' "
        "{id} {version}, so the years compare like for like; 'Scored when saved' shows the "
        "pack used at the time and the score it gave.",
    ),
    "names": Text("曾用名称：{names}", "Names seen: {names}"),
    "pack_change": Text(
        "{years}年保存时按规则包 {pack} 评分；与 {now} 相比，新增规则 {added} 项{added_ids}，"
        "已取消规则 {retired} 项{retired_ids}。新增规则在这些年度按未填报计。",
        "{years} saved under rule pack {pack}; against {now}, {added} rules added{added_ids} "
        "and {retired} retired{retired_ids}. Added rules count as unanswered in those years.",
    ),
    "scores": Text("一、各年度得分", "1. Scores by year"),
    "year": Text("年度", "Year"),
    "total": Text("总分", "Total"),
    "change": Text("较上年", "Change"),
    "grade": Text("等次", "Grade"),
    "base": Text("基础得分", "Base"),
    "bonus": Text("加分", "Bonus"),
    "gaps": Text("问题数", "Gaps"),
    "closed_count": Text("已整改", "Closed"),
    "new_count": Text("新问题", "New"),
    "regressed_count": Text("退步", "Regressed"),
    "answered": Text("已填报/适用", "Answered"),
    "scored_pack": Text("当年评分规则包", "Scored when saved by"),
    "scored_total": Text("当年得分", "Score then"),
    "unit_name": Text("当年单位名称", "Name that year"),
    "source": Text("来源文件", "Source file"),
    "areas": Text("二、各领域得分率", "2. Scores by area"),
    "area": Text("领域", "Area"),
    "chart": Text("历年得分走势（满分100）", "Scores over the years (out of 100)"),
    "id": Text("编号", "Id"),
    "indicator": Text("指标", "Indicator"),
    "flag": Text("标记", "Flag"),
    "persistent_open": Text(
        "持续问题：连续{run}年，仍未整改", "Persistent: {run} years running, still open"
    ),
    "persistent_closed": Text(
        "持续问题：曾连续{run}年，已整改", "Persistent: {run} years running, now closed"
    ),
    "regressed_in": Text("退步：{years}", "Regressed: {years}"),
    "legend": Text(
        "排序：持续问题（连续两年及以上未达标）在前，其次为退步，其余按规则顺序。"
        "颜色：绿=达标，黄=部分达标，紫=缺佐证，红=未达标，橙=未填报，灰=不适用。",
        "Order: persistent gaps (a gap two or more years running) first, then regressions, "
        "then the rest in pack order. Colours: green pass, yellow partial, purple "
        "unsupported, red fail, orange missing, grey N/A.",
    ),
    "persistent_note": Text(
        "持续问题：连续两年及以上未达标，说明没有跟进整改；仍未整改的排在前面。",
        "Persistent: a gap two or more years running, not followed up; those still open "
        "come first.",
    ),
    "kind": Text("问题类型", "Kind"),
    "persistent_kind": Text("持续问题", "Persistent"),
    "regressed_kind": Text("退步", "Regressed"),
    "regressions_note": Text(
        "退步：较上一个年度状态或得分变差（同一规则包下比较）。",
        "Regressed: worse than the year before (under the same rule pack).",
    ),
    "run": Text("连续年数", "Years running"),
    "open": Text("现状", "Now"),
    "still_open": Text("仍未整改", "Still open"),
    "closed": Text("已整改", "Closed"),
    "history": Text("历年状态", "Status by year"),
    "when": Text("退步年度", "Regressed in"),
    "recommendation": Text("整改建议", "Recommendation"),
    "none": Text("无", "None"),
}

_PERSISTENT_OPEN = kit.ORANGE
_PERSISTENT_CLOSED = kit.YELLOW
_REGRESSED = kit.RED
_SERIES_COLOURS = ("#ED7D31", "#70AD47", "#5B9BD5", "#FFC000", "#A5A5A5", "#9E480E", "#7030A0")


def _header(trend: Trend) -> str:
    years = trend.year_numbers
    span = f"{years[0]}—{years[-1]}" if len(years) > 1 else str(years[0]) if years else ""
    return f"{trend.unit_name} {span}".strip()


def _summary(sheet: kit.Sheet, trend: Trend, pack: RulePack, labels: Labels) -> None:
    lang = sheet.lang
    columns = [
        kit.Column(_L["year"], 8, kit.CENTRE),
        kit.Column(_L["total"], 9, kit.CENTRE, num_format="0.00"),
        kit.Column(_L["change"], 9, kit.CENTRE),
        kit.Column(_L["grade"], 10, kit.CENTRE),
        kit.Column(_L["base"], 9, kit.CENTRE, num_format="0.00"),
        kit.Column(_L["bonus"], 8, kit.CENTRE, num_format="0.##"),
        kit.Column(_L["gaps"], 8, kit.CENTRE),
        kit.Column(_L["closed_count"], 8, kit.CENTRE),
        kit.Column(_L["new_count"], 8, kit.CENTRE),
        kit.Column(_L["regressed_count"], 8, kit.CENTRE),
        kit.Column(_L["answered"], 10, kit.CENTRE),
        kit.Column(_L["scored_pack"], 20, kit.CENTRE),
        kit.Column(_L["scored_total"], 10, kit.CENTRE, num_format="0.00"),
        kit.Column(_L["unit_name"], 20),
        kit.Column(_L["source"], 24),
    ]
    sheet.widths(columns)
    years = trend.year_numbers
    name = trend.unit_name
    heading = (
        _L["title"].format(name=name, first=years[0], last=years[-1])
        if len(years) > 1
        else _L["title_one"].format(name=name, first=years[0] if years else "")
    )
    subtitle = _L["subtitle"].format(
        title=pack.title.get(lang),
        id=trend.pack.id,
        version=trend.pack.version + based_on(pack.base, lang),
    )
    row = sheet.title(heading.get(lang), subtitle.get(lang), len(columns) - 1)
    if len(trend.names) > 1:
        joiner = "、" if lang == "zh" else ", "
        row = (
            sheet.note(
                row - 1,
                _L["names"].format(names=joiner.join(trend.names)).get(lang),
                len(columns) - 1,
            )
            + 1
        )

    joiner = "、" if lang == "zh" else ", "
    for change in trend.pack_changes:

        def ids(rule_ids: tuple[str, ...]) -> str:
            listed = joiner.join(rule_ids[:8]) + ("…" if len(rule_ids) > 8 else "")
            return (
                f"（{listed}）" if lang == "zh" and rule_ids else f" ({listed})" if rule_ids else ""
            )

        text = _L["pack_change"].format(
            years=joiner.join(str(y) for y in change.years),
            pack=str(change.pack),
            now=str(trend.pack),
            added=len(change.added),
            added_ids=ids(change.added),
            retired=len(change.retired),
            retired_ids=ids(change.retired),
        )
        row = sheet.note(row - 1, text.get(lang), len(columns)) + 1

    row = sheet.section(row, _L["scores"].get(lang))
    rows: list[list[object]] = []
    styles: dict[tuple[int, int], kit.Style] = {}
    for index, year in enumerate(trend.years):
        moved = year.since_counts
        rows.append(
            [
                str(year.year),
                year.total,
                signed(year.delta),
                labels.grade(year.grade),
                year.base,
                year.bonus,
                year.gaps,
                *(("-", "-", "-") if moved is None else moved),
                f"{year.answered}/{year.applicable}",
                str(year.scored_pack),
                year.scored_total,
                year.unit_name,
                year.source,
            ]
        )
        styles[(index, 1)] = {**kit.CENTRE, "bold": True, "num_format": "0.00"}
        styles[(index, 2)] = kit.delta_style(year.delta)
        if moved is not None:
            for offset, (count, colours) in enumerate(
                zip(moved, (kit.GREEN, kit.RED, kit.RED), strict=True)
            ):
                if count:
                    styles[(index, 7 + offset)] = kit.coloured(kit.CENTRE, colours)
        if year.scored_pack != trend.pack:
            # Scored under another pack when saved: the score then is not like for like.
            styles[(index, 11)] = kit.coloured(kit.CENTRE, kit.GREY, bold=False)
    row = sheet.table(row, columns, rows, styles) + 2

    row = sheet.section(row, _L["areas"].get(lang))
    area_top = row
    area_columns = [kit.Column(_L["area"], 8 + 9 + 9 + 10)] + [
        kit.Column(Text(str(y), str(y)), 9, kit.CENTRE, num_format="0.0") for y in years
    ]
    # The area table shares the sheet's columns: its first column spans the
    # width of year..grade above, so it is written merged over A:D.
    area_rows: list[list[object]] = [[_L["total"].get(lang), *[y.total for y in trend.years]]]
    area_rows += [
        [labels.area(area_id), *[y.areas[index] for y in trend.years]]
        for index, area_id in enumerate(trend.areas)
    ]
    last = _area_table(sheet, area_top, area_columns, area_rows)
    if trend.years:
        _line_chart(sheet, area_top, last, len(years), len(trend.areas), len(columns))
    sheet.finish(_header(trend))


def _area_table(
    sheet: kit.Sheet, top: int, columns: Sequence[kit.Column], rows: Sequence[Sequence[object]]
) -> int:
    """Areas × years, the label column merged over the first four sheet columns."""
    sheet.span(top, 0, 3, columns[0].head.get(sheet.lang), kit.HEADER)
    for offset, column in enumerate(columns[1:]):
        sheet.put(top, 4 + offset, column.head.get(sheet.lang), kit.HEADER)
    row = top
    for index, values in enumerate(rows):
        row += 1
        sheet.span(row, 0, 3, values[0], kit.LABEL if index == 0 else kit.BODY)
        for offset, value in enumerate(values[1:]):
            style: kit.Style = {**kit.CENTRE, "num_format": "0.0"}
            if index == 0:
                style = {**style, "bold": True, "num_format": "0.00"}
            sheet.put(row, 4 + offset, value, style)
    return row


def _line_chart(sheet: kit.Sheet, top: int, last: int, years: int, areas: int, span: int) -> None:
    """Total and area scores per year: one line each, years along the bottom.

    Beside the area table while there is room in the sheet's printed width
    (so the summary fits one page), below it for long histories.
    """
    chart = sheet.book.chart("line")
    name = sheet.ws.get_name()
    categories = [name, top, 4, top, 4 + years - 1]
    for index in range(areas + 1):
        row = top + 1 + index
        total = index == 0
        colour = kit.HEAD if total else _SERIES_COLOURS[(index - 1) % len(_SERIES_COLOURS)]
        chart.add_series(
            {
                "name": [name, row, 0],
                "categories": categories,
                "values": [name, row, 4, row, 4 + years - 1],
                "line": {"color": colour, "width": 3.0 if total else 1.5},
                "marker": {
                    "type": "circle" if total else "diamond",
                    "size": 7 if total else 5,
                    "fill": {"color": colour},
                    "border": {"color": colour},
                },
                "data_labels": {"value": True, "position": "above", "num_format": "0.0"}
                if total
                else {},
            }
        )
    font = sheet.book.chart_font()
    chart.set_title({"name": _L["chart"].get(sheet.lang), "name_font": {**font, "size": 11}})
    chart.set_y_axis(
        {
            "min": 0,
            "max": 100,
            "major_unit": 20,
            "num_font": font,
            "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
        }
    )
    chart.set_x_axis({"num_font": font})
    chart.set_legend({"position": "bottom", "font": font})
    first_free = 4 + years + 1
    room = sheet.width(first_free, span - 1)
    # English area names are long: the legend takes one line per series.
    height = 250 + 15 * (areas + 1) if sheet.lang == "en" else 300
    if room >= 55:
        sheet.chart(
            chart, top, first_free, (int(room * 7 + 5), int(height)), x_offset=4, y_offset=0
        )
    else:
        sheet.chart(chart, last + 2, 0, (820, 340), x_offset=2, y_offset=4)
        # A long history: the area table and the chart below it get a page of
        # their own instead of the chart breaking across two.
        sheet.ws.set_h_pagebreaks([top - 1])


def _flag(row: TrendRow, lang: str) -> tuple[str, tuple[str, str] | None]:
    parts: list[str] = []
    colours: tuple[str, str] | None = None
    if row.persistent:
        key = "persistent_open" if row.open_run else "persistent_closed"
        run = row.open_run if row.open_run >= 2 else row.longest_run
        parts.append(_L[key].format(run=run).get(lang))
        colours = _PERSISTENT_OPEN if key == "persistent_open" else _PERSISTENT_CLOSED
    if row.regressed:
        joiner = "、" if lang == "zh" else ", "
        years = joiner.join(str(y) for y in row.regressed_in)
        parts.append(_L["regressed_in"].format(years=years).get(lang))
        colours = colours or _REGRESSED
    return ("；" if lang == "zh" else "; ").join(parts), colours


def _grid(sheet: kit.Sheet, trend: Trend, labels: Labels) -> None:
    lang = sheet.lang
    columns = [
        kit.Column(_L["id"], 10),
        # English area names and status words run longer than Chinese ones.
        kit.Column(_L["area"], 20 if lang == "en" else 12),
        kit.Column(_L["indicator"], 44),
        kit.Column(_L["flag"], 40 if lang == "en" else 36),
        *[
            kit.Column(Text(str(y), str(y)), 12 if lang == "en" else 10, kit.CENTRE)
            for y in trend.year_numbers
        ],
    ]
    sheet.widths(columns)
    rows: list[list[object]] = []
    styles: dict[tuple[int, int], kit.Style] = {}
    for index, row in enumerate(trend.rows):
        flag, colours = _flag(row, lang)
        rows.append(
            [
                row.rule_id,
                labels.area(row.area),
                labels.indicator(row.rule_id),
                flag,
                *[STATUS_TEXT[s].get(lang) for s in row.statuses],
            ]
        )
        if colours is not None:
            styles[(index, 3)] = kit.coloured(kit.BODY, colours)
        for offset, status in enumerate(row.statuses):
            styles[(index, 4 + offset)] = kit.coloured(kit.CENTRE, kit.STATUS_COLOURS[status])
    last = sheet.table(0, columns, rows, styles)
    sheet.ws.freeze_panes(1, 3)
    sheet.ws.autofilter(0, 0, max(last, 1), len(columns) - 1)
    sheet.note(last + 2, _L["legend"].get(lang), len(columns) - 1)
    sheet.finish(_header(trend), repeat=(0, 0))


def _history_text(row: TrendRow, years: Sequence[int], lang: str) -> str:
    return " → ".join(
        f"{year} {STATUS_TEXT[s].get(lang)}" for year, s in zip(years, row.statuses, strict=True)
    )


def _flags(sheet: kit.Sheet, trend: Trend, labels: Labels) -> None:
    """The persistent gaps and the regressions as one table, its header atop every printed page."""
    lang = sheet.lang
    years = trend.year_numbers
    columns = [
        kit.Column(_L["id"], 10),
        kit.Column(_L["indicator"], 40),
        kit.Column(_L["kind"], 12 if lang == "zh" else 16, kit.CENTRE),
        kit.Column(_L["run"], 9, kit.CENTRE),
        kit.Column(_L["when"], 9, kit.CENTRE),
        kit.Column(_L["open"], 10, kit.CENTRE),
        kit.Column(_L["history"], 40),
        kit.Column(_L["recommendation"], 40),
    ]
    sheet.widths(columns)
    joiner = "、" if lang == "zh" else ", "
    # trend.rows is ranked: persistent gaps (still open first), then regressions.
    flagged = [r for r in trend.rows if r.persistent or r.regressed]
    rows: list[list[object]] = []
    styles: dict[tuple[int, int], kit.Style] = {}
    for index, item in enumerate(flagged):
        kinds = [
            _L[k].get(lang)
            for k, on in (("persistent_kind", item.persistent), ("regressed_kind", item.regressed))
            if on
        ]
        still = item.open_run >= 1
        rows.append(
            [
                item.rule_id,
                labels.indicator(item.rule_id),
                joiner.join(kinds),
                item.longest_run if item.persistent else "",
                joiner.join(str(y) for y in item.regressed_in),
                (_L["still_open"] if still else _L["closed"]).get(lang),
                _history_text(item, years, lang),
                labels.recommendation(item.rule_id) if still else "",
            ]
        )
        kind_colours = (
            (_PERSISTENT_OPEN if still else _PERSISTENT_CLOSED) if item.persistent else _REGRESSED
        )
        styles[(index, 2)] = kit.coloured(kit.CENTRE, kind_colours)
        if item.regressed:
            styles[(index, 4)] = kit.coloured(kit.CENTRE, _REGRESSED)
        styles[(index, 5)] = kit.coloured(
            kit.CENTRE, _PERSISTENT_OPEN if still else kit.STATUS_COLOURS[Status.passed]
        )
    last = sheet.table(0, columns, rows, styles, empty=_L["none"])
    sheet.ws.freeze_panes(1, 2)
    if flagged:
        sheet.ws.autofilter(0, 0, last, len(columns) - 1)
    note = f"{_L['persistent_note'].get(lang)} {_L['regressions_note'].get(lang)}"
    sheet.note(last + 2, note, len(columns) - 1)
    sheet.finish(_header(trend), repeat=(0, 0))


def write_trend_report(trend: Trend, pack: RulePack, path: Path, lang: str = "zh") -> Path:
    """Write the trend workbook to ``path`` atomically.

    ``pack`` must be the pack the trend was re-scored under (it supplies the
    texts); a different pack is a programming error.
    """
    if (pack.id, pack.version) != (trend.pack.id, trend.pack.version):
        raise ValueError(f"trend was re-scored under {trend.pack}, not {pack.id} {pack.version}")
    labels = Labels(pack, lang)

    def fill(book: kit.Book) -> None:
        _summary(book.sheet(SHEETS["summary"]), trend, pack, labels)
        _grid(book.sheet(SHEETS["grid"]), trend, labels)
        _flags(book.sheet(SHEETS["flags"]), trend, labels)

    return kit.write_book(path, lang, _header(trend), fill, made=Made.trend)
