"""The county roll-up workbook: 概览, 单位得分, 未报送, 覆盖情况, 共性问题, 分镇分类, 核查.

Lays out a finished :class:`~checklist.batch.rollup.RollUp`; nothing here
reads a unit's file, scores or matches. Written through the workbook kit
(:mod:`checklist.report.kit`: text stays text, rows sized to their wrapped
text, A4 landscape, header rows repeated, written atomically with the
document time pinned, so two runs give the same bytes).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from checklist.batch.model import Failure, Skipped
from checklist.batch.rollup import MISSING_TEXT, CommonGap, Group, RollUp, UnitRow
from checklist.display import ORG_TEXT, number
from checklist.model import RulePack, based_on
from checklist.origin import Made
from checklist.report import kit
from checklist.text import Text

SHEETS: dict[str, Text] = {
    "summary": Text("概览", "Summary"),
    "units": Text("单位得分", "Units"),
    "missing": Text("未报送", "Missing"),
    "coverage": Text("覆盖情况", "Coverage"),
    "gaps": Text("共性问题", "Common gaps"),
    "groups": Text("分镇分类", "By town and type"),
    "checks": Text("核查", "Checks"),
    "waivers": Text("豁免", "Waivers"),
}

_L: dict[str, Text] = {
    "title": Text(
        "{year}年度基层群团组织建设自评汇总", "Grassroots self-assessment roll-up {year}"
    ),
    "title_no_year": Text("基层群团组织建设自评汇总", "Grassroots self-assessment roll-up"),
    "subtitle": Text(
        "规则包：{pack}（{id} {version}）{base}；名单：{roster}",
        "Rule pack: {pack} ({id} {version}){base}; roster: {roster}",
    ),
    "no_roster": Text("未提供（按报送材料统计）", "none (counted from the submissions)"),
    "figures": Text("一、报送与得分", "1. Submissions and scores"),
    "grades": Text("二、等次分布", "2. Grades"),
    "areas": Text("三、各领域平均得分", "3. Average score per area"),
    "expected": Text("名单单位", "Units on the roster"),
    "expected_found": Text("报送单位", "Units found"),
    "submitted": Text("已报送", "Submitted"),
    "missing": Text("未报送（含无法读取）", "Missing (incl. unreadable)"),
    "failed": Text("无法读取的文件", "Unreadable files"),
    "scored": Text("已评分（单位）", "Units scored"),
    "surveys": Text("其中来自调查表（每行一个单位）", "Of which from surveys (a unit per row)"),
    "surveys_value": Text("{files} 个文件，{units} 个单位", "{files}, {units} units"),
    "not_listed_count": Text("不在名单中的报送单位", "Submitting units not on the roster"),
    "mean": Text("平均分", "Mean"),
    "median": Text("中位数", "Median"),
    "lowest": Text("最低分", "Lowest"),
    "highest": Text("最高分", "Highest"),
    "change": Text("较上年", "Since last year"),
    "change_value": Text(
        "{n} 个单位两年均有数据：{then} → {now}（{delta}）",
        "{n} units with both years: {then} → {now} ({delta})",
    ),
    "no_change": Text("历史数据库中没有上一年度的数据", "no previous year in the history database"),
    "grade": Text("等次", "Grade"),
    "units_count": Text("单位数", "Units"),
    "area": Text("领域", "Area"),
    "average": Text("平均得分", "Average"),
    "unit": Text("单位", "Unit"),
    "town": Text("镇（街道）", "Town"),
    "type": Text("类型", "Type"),
    "status": Text("报送情况", "Status"),
    "file": Text("文件", "File"),
    "total": Text("总分", "Total"),
    "gaps_count": Text("缺项数", "Gaps"),
    "veto": Text("否决项未达标", "Failed veto"),
    "flags": Text("核查提示", "Audit flags"),
    "report": Text("评估报告", "Gap report"),
    "scored_status": Text("已评分", "scored"),
    "not_listed": Text("（不在名单中）", " (not on the roster)"),
    "over_claim": Text("自评分偏高 {n} 项", "{n} over-claimed"),
    "waived": Text("豁免 {ids}（见“豁免”表）", "waived {ids} (see Waivers)"),
    "unsupported": Text("缺佐证 {n} 项", "{n} unsupported"),
    "copied": Text("疑似与{names}雷同", "looks copied with {names}"),
    "unreadable": Text("无法识别的答案 {n} 处", "{n} unreadable answers"),
    "contact": Text("联系人", "Contact"),
    "phone": Text("联系电话", "Phone"),
    "reason": Text("原因", "Reason"),
    "files": Text("相关文件", "Files"),
    "none_missing": Text("名单上的单位均已报送。", "Every unit on the roster submitted."),
    "established": Text("已建立", "established"),
    "not_established": Text("未建立", "not established"),
    "unknown": Text("不明", "unknown"),
    "by_town": Text("分镇（街道）统计", "Per town"),
    "by_type": Text("分单位类型统计", "Per unit type"),
    "count_cell": Text("已建{yes}／未建{no}／不明{unknown}", "{yes} yes / {no} no / {unknown} ?"),
    "rule": Text("编号", "Rule"),
    "indicator": Text("指标", "Indicator"),
    "gap_units": Text("缺项单位", "Units with the gap"),
    "applicable": Text("适用单位", "Units it applies to"),
    "share": Text("占比", "Share"),
    "per_type": Text("分类型", "Per type"),
    "per_town": Text("分镇（街道）", "Per town"),
    "recommendation": Text(
        "建议（一项措施可解决多个单位的问题）", "Recommendation (one county action)"
    ),
    "no_common": Text("没有两个以上单位共有的问题。", "No gap is shared by two or more units."),
    "group_expected": Text("应报", "Expected"),
    "group_scored": Text("已评分", "Scored"),
    "kind": Text("类别", "Kind"),
    "what": Text("文件或单位", "File or unit"),
    "detail": Text("说明", "Detail"),
    "no_checks": Text("没有需要核查的事项。", "Nothing to check."),
    "k_failed": Text("无法读取", "Unreadable"),
    "k_skipped": Text("已跳过", "Skipped"),
    "k_superseded": Text("被替代的版本", "Superseded version"),
    "k_identical": Text("重复的相同文件", "Identical copy"),
    "k_ambiguous": Text("名称不明确", "Ambiguous name"),
    "k_unmatched": Text("不在名单中", "Not on the roster"),
    "k_copied": Text("疑似雷同", "Copied answers"),
    "k_over_claim": Text("自评分偏高", "Over-claimed self-score"),
    "k_unreadable": Text("较多答案无法识别", "Many unreadable answers"),
    "superseded_by": Text("以“{chosen}”为准", "{chosen} counts instead"),
    "identical_to": Text("与“{chosen}”内容完全相同", "byte-identical to {chosen}"),
    "candidates": Text("可能是：{names}", "could be: {names}"),
    "no_candidates": Text("名单中没有相近的单位", "no similar unit on the roster"),
    "copied_detail": Text(
        "{rules} 项答案相同（两者都填且不属常见答案的项目中 {share}% 相同），其中 {shared} 项佐证或文字说明相同，例如 {examples}",
        "{rules} answers agree ({share}% of the uncommon answers both gave), {shared} of them "
        "with the same evidence or text, e.g. {examples}",
    ),
    "over_claim_detail": Text(
        "{n} 项自评得分高于按规则计算的得分", "self-scores above what the rules give: {n}"
    ),
    "unreadable_detail": Text(
        "{n} 处答案无法识别，按未填报计", "{n} answers could not be read and count as missing"
    ),
    "footer": Text("第 &P 页，共 &N 页", "Page &P of &N"),
}

_UNREADABLE_MANY = 5
"""Unreadable answers from which a unit is listed for checking."""


def write_rollup(
    rollup: RollUp, pack: RulePack, path: Path, lang: str = "zh", inputs: Iterable[Path] = ()
) -> Path:
    """Write the roll-up workbook to ``path`` atomically (never over one of ``inputs``)."""
    title = _title(rollup, lang)
    final = Path(path)

    def fill(book: kit.Book) -> None:
        def sheet(key: str) -> kit.Sheet:
            return book.sheet(SHEETS[key])

        _summary(book, sheet("summary"), rollup, pack, lang, title)
        _units(sheet("units"), rollup, pack, lang, title, final)
        _missing(sheet("missing"), rollup, pack, lang, title)
        _coverage(sheet("coverage"), rollup, pack, lang, title)
        _gaps(sheet("gaps"), rollup, pack, lang, title)
        _groups(sheet("groups"), rollup, pack, lang, title)
        _checks(sheet("checks"), rollup, lang, title)
        # Only a batch run with --waivers has this sheet; other roll-ups stay as they were.
        if rollup.waivers or rollup.unused_waivers:
            _waivers(sheet("waivers"), rollup, pack, lang, title)

    return kit.write_book(
        final, lang, title, fill, inputs, subject=pack.title.get(lang), made=Made.rollup
    )


def _title(rollup: RollUp, lang: str) -> str:
    if rollup.year is None:
        return _L["title_no_year"].get(lang)
    return _L["title"].get(lang).format(year=rollup.year)


def _type_text(pack: RulePack, type_id: str | None, lang: str) -> str:
    if not type_id:
        return ""
    found = pack.unit_type(type_id)
    return found.title.get(lang) if found else type_id


def _grade_text(pack: RulePack, grade: str, lang: str) -> str:
    try:
        return pack.grade(grade).title.get(lang)
    except KeyError:
        return grade


def _l(key: str, lang: str, **params: object) -> str:
    text = _L[key].get(lang)
    return text.format(**params) if params else text


# --- 概览 -----------------------------------------------------------------------------


def _summary(
    book: kit.Book, sheet: kit.Sheet, rollup: RollUp, pack: RulePack, lang: str, title: str
) -> None:
    ws = sheet.ws
    sheet.widths([24, 14, 4, 22, 12, 4, 22, 12])
    stats = rollup.stats
    sheet.span(0, 0, 7, title, kit.TITLE)
    sheet.height(0, 30)
    roster = rollup.roster or _l("no_roster", lang)
    subtitle = _l(
        "subtitle",
        lang,
        pack=pack.title.get(lang),
        id=rollup.pack_id,
        version=rollup.pack_version,
        base=based_on(rollup.pack_base, lang),
        roster=roster,
    )
    sheet.span(1, 0, 7, subtitle, kit.SUBTITLE)

    row = 3
    sheet.span(row, 0, 7, _l("figures", lang), kit.SECTION)
    sheet.height(row, 22)
    expected_label = "expected" if rollup.roster else "expected_found"
    left: list[tuple[str, object]] = [
        (expected_label, stats.expected),
        ("submitted", stats.submitted),
        ("missing", stats.missing),
        ("failed", stats.failed),
        ("scored", stats.scored),
    ]
    if rollup.roster:
        left.insert(4, ("not_listed_count", stats.not_listed))
    if rollup.surveys:
        # Submissions are counted by unit; a survey is one file of many.
        units = sum(s.units for s in rollup.surveys)
        files = len(rollup.surveys)
        shown = files if lang != "en" else ("1 file" if files == 1 else f"{files} files")
        left.append(("surveys", _l("surveys_value", lang, files=shown, units=units)))
    right: list[tuple[str, object]] = [
        ("mean", stats.mean),
        ("median", stats.median),
        ("lowest", stats.lowest),
        ("highest", stats.highest),
    ]
    for offset, (key, value) in enumerate(left):
        sheet.put(row + 1 + offset, 0, _l(key, lang), kit.LABEL)
        sheet.fit(row + 1 + offset, _l(key, lang), sheet.width(0))
        sheet.put(row + 1 + offset, 1, value, kit.NUMBER)
    for offset, (key, value) in enumerate(right):
        sheet.put(row + 1 + offset, 3, _l(key, lang), kit.LABEL)
        sheet.fit(row + 1 + offset, _l(key, lang), sheet.width(3))
        sheet.put(row + 1 + offset, 4, value if value is not None else "", kit.TOTAL)
    change_row = row + 1 + len(right)
    sheet.put(change_row, 3, _l("change", lang), kit.LABEL)
    if stats.previous_mean is not None and stats.current_mean is not None:
        delta = round(stats.current_mean - stats.previous_mean, 2)
        text = _l(
            "change_value",
            lang,
            n=stats.compared,
            then=number(stats.previous_mean),
            now=number(stats.current_mean),
            delta=f"{delta:+.2f}",
        )
    else:
        text = _l("no_change", lang)
    sheet.ws.merge_range(change_row, 4, change_row, 7, None, sheet.book.format(kit.BODY))
    sheet.put(change_row, 4, text, kit.BODY)
    sheet.fit(change_row, text, 12 + 4 + 22 + 12)

    # Grades and areas: a small table each, with its chart beside it.
    row = row + 2 + len(left)
    sheet.span(row, 0, 7, _l("grades", lang), kit.SECTION)
    sheet.height(row, 22)
    head = row + 1
    sheet.put(head, 0, _l("grade", lang), kit.HEADER)
    sheet.put(head, 1, _l("units_count", lang), kit.HEADER)
    for offset, (grade, count) in enumerate(stats.grades):
        sheet.put(head + 1 + offset, 0, _grade_text(pack, grade, lang), kit.BODY)
        sheet.fit(head + 1 + offset, _grade_text(pack, grade, lang), sheet.width(0))
        sheet.put(head + 1 + offset, 1, count, kit.NUMBER)
    last = head + len(stats.grades)
    name = SHEETS["summary"].get(lang)
    chart = book.chart("column")
    chart.add_series(
        {
            "name": _l("units_count", lang),
            "categories": [name, head + 1, 0, last, 0],
            "values": [name, head + 1, 1, last, 1],
            "fill": {"color": "#5B9BD5"},
            "data_labels": {"value": True},
        }
    )
    _style_chart(chart, lang)
    chart_rows = max(len(stats.grades) + 1, 9)
    sheet.chart(chart, head, 3, (410, 180))
    row = head + chart_rows + 1

    sheet.span(row, 0, 7, _l("areas", lang), kit.SECTION)
    sheet.height(row, 22)
    head = row + 1
    sheet.put(head, 0, _l("area", lang), kit.HEADER)
    sheet.put(head, 1, _l("average", lang), kit.HEADER)
    for offset, (area, mean) in enumerate(stats.areas):
        sheet.put(head + 1 + offset, 0, pack.area(area).title.get(lang), kit.BODY)
        sheet.fit(head + 1 + offset, pack.area(area).title.get(lang), sheet.width(0))
        sheet.put(head + 1 + offset, 1, mean if mean is not None else "", kit.SCORE)
    last = head + len(stats.areas)
    chart = book.chart("bar")
    chart.add_series(
        {
            "name": _l("average", lang),
            "categories": [name, head + 1, 0, last, 0],
            "values": [name, head + 1, 1, last, 1],
            "fill": {"color": "#70AD47"},
            "data_labels": {"value": True, "num_format": "0.0"},
        }
    )
    _style_chart(chart, lang, maximum=100, reverse=True)
    sheet.chart(chart, head, 3, (410, 200))
    for r in range(head, head + max(len(stats.areas) + 1, 10)):
        sheet.height(r, sheet.face.height(1))
    sheet.finish(title)
    # The overview is one page: figures, both tables and both charts together.
    ws.fit_to_pages(1, 1)
    ws.hide_gridlines(2)


def _style_chart(
    chart: object, lang: str, maximum: float | None = None, reverse: bool = False
) -> None:
    font = {"name": "微软雅黑" if lang != "en" else "Calibri", "size": 9}
    chart.set_legend({"none": True})  # type: ignore[attr-defined]
    # The section heading above says what the chart shows.
    chart.set_title({"none": True})  # type: ignore[attr-defined]
    value_axis = {
        "num_font": font,
        "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
    }
    if maximum is not None:
        value_axis.update({"min": 0, "max": maximum})
    category_axis: dict[str, object] = {"num_font": font}
    if reverse:
        category_axis["reverse"] = True
    chart.set_y_axis(value_axis if not reverse else category_axis)  # type: ignore[attr-defined]
    chart.set_x_axis(category_axis if not reverse else value_axis)  # type: ignore[attr-defined]
    chart.set_chartarea({"border": {"none": True}})  # type: ignore[attr-defined]


# --- 单位得分 -----------------------------------------------------------------------------


def _flags(row: UnitRow, lang: str) -> str:
    score = row.chosen
    if score is None:
        return ""
    parts = []
    if score.over_claims:
        parts.append(_l("over_claim", lang, n=score.over_claims))
    if score.unsupported:
        parts.append(_l("unsupported", lang, n=score.unsupported))
    if row.copied_with:
        parts.append(
            _l(
                "copied",
                lang,
                names="、".join(row.copied_with) if lang != "en" else ", ".join(row.copied_with),
            )
        )
    if score.unreadable:
        parts.append(_l("unreadable", lang, n=score.unreadable))
    if score.waivers:
        ids = ("、" if lang != "en" else ", ").join(w.rule_id for w in score.waivers)
        parts.append(_l("waived", lang, ids=ids))
    parts.extend(note.get(lang) for note in score.record_notes)
    return "；".join(parts) if lang != "en" else "; ".join(parts)


def _status(row: UnitRow, lang: str) -> str:
    missing = row.missing
    if missing is not None:
        return MISSING_TEXT[missing].get(lang)
    text = _l("scored_status", lang)
    if row.roster is None:
        text += _l("not_listed", lang)
    return text


def _units(
    sheet: kit.Sheet, rollup: RollUp, pack: RulePack, lang: str, title: str, final: Path
) -> None:
    areas = [pack.area(a.id).title.get(lang) for a in pack.areas]
    columns = [
        kit.Column(_L["unit"], 24),
        kit.Column(_L["town"], 11),
        kit.Column(_L["type"], 9, kit.CENTRE, en_width=13),
        kit.Column(_L["status"], 11, kit.CENTRE, en_width=14),
        kit.Column(_L["file"], 24),
        kit.Column(_L["total"], 8, kit.TOTAL),
        kit.Column(_L["grade"], 8, kit.CENTRE, en_width=11),
        *[kit.Column(Text(a, a), 8 if lang != "en" else 13, kit.SCORE) for a in areas],
        kit.Column(_L["gaps_count"], 7, kit.NUMBER),
        kit.Column(_L["veto"], 10, kit.CENTRE),
        kit.Column(_L["flags"], 22),
        kit.Column(_L["change"], 8, kit.CENTRE, num_format=kit.SIGNED_FORMAT),
    ]
    links = any(row.report is not None for row in rollup.rows)
    if links:
        columns.append(kit.Column(_L["report"], 26))
    change_col = 7 + len(areas) + 3
    link_col = change_col + 1

    def values() -> Iterator[list[object]]:
        # One row at a time: a county's rows are read back from disk (batch.spool).
        for row in rollup.rows:
            score = row.chosen
            change: object = ""
            if score is not None and score.previous is not None:
                change = round(score.total - score.previous[1], 2)
            yield [
                row.name,
                row.town,
                _type_text(pack, row.type, lang),
                _status(row, lang),
                score.submission.shown.rsplit("/", 1)[-1] if score else "",
                score.total if score else "",
                _grade_text(pack, score.grade, lang) if score else "",
                *(
                    [(s if s is not None else "") for _, s in score.areas]
                    if score
                    else [""] * len(areas)
                ),
                len(score.gaps) if score else "",
                "、".join(score.vetoed_by) if score else "",
                _flags(row, lang),
                change,
                *([""] if links else []),
            ]

    last = sheet.only_table(columns, values(), _L["none_missing"], title)
    ws = sheet.ws
    if rollup.rows:
        first_area = 7
        sheet.score_scale(1, first_area, last, first_area + len(areas) - 1)
        for text in dict.fromkeys(t.get(lang) for t in MISSING_TEXT.values()):
            ws.conditional_format(
                1,
                3,
                last,
                3,
                {
                    "type": "cell",
                    "criteria": "==",
                    "value": f'"{text}"',
                    "format": _look(sheet, kit.RED),
                },
            )
        for fmt, criteria in (("delta:up", ">"), ("delta:down", "<")):
            ws.conditional_format(
                1,
                change_col,
                last,
                change_col,
                {
                    "type": "cell",
                    "criteria": criteria,
                    "value": 0,
                    "format": _highlight(sheet, fmt),
                },
            )
    base = final.parent.resolve()
    for index, row in enumerate(rollup.rows, start=1):
        if row.report is None:
            continue
        # Relative, so the link still works once the folder is copied elsewhere.
        relative = os.path.relpath(row.report.resolve(), base).replace(os.sep, "/")
        ws.write_url(
            index,
            link_col,
            f"external:{relative}",
            sheet.book.format(kit.BODY),
            kit.safe_text(row.report.name),
        )


def _highlight(sheet: kit.Sheet, fmt: str) -> object:
    colours = {"delta:up": ("#C6EFCE", "#006100"), "delta:down": ("#FFC7CE", "#9C0006")}
    fill, colour = colours[fmt]
    return _look(sheet, (fill, colour), bold=True)


def _look(sheet: kit.Sheet, colours: tuple[str, str], bold: bool = False) -> object:
    """A conditional-format look: fill and text colour only."""
    fill, colour = colours
    return sheet.book.workbook.add_format({"bg_color": fill, "font_color": colour, "bold": bold})


# --- 未报送 -------------------------------------------------------------------------------


def _missing(sheet: kit.Sheet, rollup: RollUp, pack: RulePack, lang: str, title: str) -> None:
    columns = [
        kit.Column(_L["unit"], 26),
        kit.Column(_L["town"], 12),
        kit.Column(_L["type"], 10, kit.CENTRE, en_width=14),
        kit.Column(_L["contact"], 12),
        kit.Column(_L["phone"], 15),
        kit.Column(_L["reason"], 18),
        kit.Column(_L["files"], 40),
    ]
    rows = []
    for row in rollup.rows:
        missing = row.missing
        if missing is None:
            continue
        files = [f.submission.shown.rsplit("/", 1)[-1] for f in row.failures]
        files += [
            f"{f.submission.shown.rsplit('/', 1)[-1]}（{f.unit.year}）"
            if lang != "en"
            else f"{f.submission.shown.rsplit('/', 1)[-1]} ({f.unit.year})"
            for f in row.other_years
        ]
        rows.append(
            [
                row.name,
                row.town,
                _type_text(pack, row.type, lang),
                row.roster.contact if row.roster else "",
                row.roster.phone if row.roster else "",
                MISSING_TEXT[missing].get(lang),
                "\n".join(files),
            ]
        )
    sheet.only_table(columns, rows, _L["none_missing"], title)


# --- 覆盖情况 -----------------------------------------------------------------------------


def _state(value: bool | None, lang: str) -> str:
    if value is None:
        return _l("unknown", lang)
    return _l("established" if value else "not_established", lang)


def _coverage(sheet: kit.Sheet, rollup: RollUp, pack: RulePack, lang: str, title: str) -> None:
    orgs = rollup.coverage.orgs
    org_names = [ORG_TEXT[o].get(lang) for o in orgs]
    widths = [26, 12, 10 if lang != "en" else 14] + [18 if lang != "en" else 20] * len(orgs)
    sheet.widths(widths)
    ws = sheet.ws
    heads = [_l("unit", lang), _l("town", lang), _l("type", lang), *org_names]
    for col, head in enumerate(heads):
        sheet.put(0, col, head, kit.HEADER)
    row = 0
    for unit in rollup.rows:
        if unit.chosen is None:
            continue
        row += 1
        sheet.put(row, 0, unit.name, kit.BODY)
        sheet.put(row, 1, unit.town, kit.BODY)
        sheet.put(row, 2, _type_text(pack, unit.type, lang), kit.CENTRE)
        for col, (_, state) in enumerate(unit.chosen.coverage, start=3):
            sheet.put(row, col, _state(state, lang), kit.CENTRE)
        sheet.height(
            row,
            max(
                sheet.face.fit(unit.name, widths[0]),
                sheet.face.fit(_type_text(pack, unit.type, lang), widths[2]),
            ),
        )
    last_unit_row = row
    for text, fill in (
        (_l("established", lang), ("#C6EFCE", "#006100")),
        (_l("not_established", lang), ("#FFC7CE", "#9C0006")),
        (_l("unknown", lang), ("#EDEDED", "#595959")),
    ):
        if last_unit_row:
            ws.conditional_format(
                1,
                3,
                last_unit_row,
                2 + len(orgs),
                {
                    "type": "cell",
                    "criteria": "==",
                    "value": f'"{text}"',
                    "format": _look(sheet, fill),
                },
            )
    for key, groups, label in (
        ("by_town", rollup.coverage.by_town, lambda k: k),
        ("by_type", rollup.coverage.by_type, lambda k: _type_text(pack, k, lang)),
    ):
        row += 2
        sheet.span(row, 0, 2 + len(orgs), _l(key, lang), kit.SECTION)
        sheet.height(row, 22)
        row += 1
        head_labels = [_l("town" if key == "by_town" else "type", lang), "", "", *org_names]
        for col, head in enumerate(head_labels):
            sheet.put(row, col, head, kit.HEADER)
        ws.merge_range(row, 0, row, 2, None, sheet.book.format(kit.HEADER))
        sheet.put(row, 0, head_labels[0], kit.HEADER)
        for group_key, counts in groups:
            row += 1
            ws.merge_range(row, 0, row, 2, None, sheet.book.format(kit.BODY))
            sheet.put(row, 0, label(group_key) or "—", kit.BODY)
            for col, (yes, no, unknown) in enumerate(counts, start=3):
                sheet.put(
                    row, col, _l("count_cell", lang, yes=yes, no=no, unknown=unknown), kit.CENTRE
                )
            sheet.height(row, sheet.face.height(1))
    ws.freeze_panes(1, 1)
    sheet.finish(title, repeat=(0, 0))


# --- 共性问题 -----------------------------------------------------------------------------


def _split_text(parts: tuple[tuple[str, int, int], ...], name: object, lang: str) -> str:
    sep = "；" if lang != "en" else "; "
    shown = [f"{name(key) or '—'} {n}/{of}" for key, n, of in parts if n]  # type: ignore[operator]
    return sep.join(shown)


def _gaps(sheet: kit.Sheet, rollup: RollUp, pack: RulePack, lang: str, title: str) -> None:
    columns = [
        kit.Column(_L["rule"], 9, kit.CENTRE),
        kit.Column(_L["indicator"], 34),
        kit.Column(_L["area"], 10),
        kit.Column(_L["gap_units"], 8, kit.NUMBER),
        kit.Column(_L["applicable"], 8, kit.NUMBER),
        kit.Column(_L["share"], 8, kit.CENTRE),
        kit.Column(_L["per_type"], 20),
        kit.Column(_L["per_town"], 24),
        kit.Column(_L["recommendation"], 44),
    ]

    def values(gap: CommonGap) -> list[object]:
        rule = pack.rules_by_id.get(gap.rule_id)
        return [
            gap.rule_id,
            rule.indicator.get(lang) if rule else "",
            pack.area(rule.area).title.get(lang) if rule else "",
            gap.units,
            gap.applicable,
            f"{gap.share * 100:.0f}%",
            _split_text(gap.by_type, lambda k: _type_text(pack, k, lang), lang),
            _split_text(gap.by_town, lambda k: k, lang),
            rule.recommendation.get(lang) if rule else "",
        ]

    last = sheet.only_table(
        columns, [values(g) for g in rollup.common_gaps], _L["no_common"], title
    )
    if rollup.common_gaps:
        sheet.ws.conditional_format(
            1,
            3,
            last,
            3,
            {
                "type": "data_bar",
                "bar_color": "#F8696B",
                "bar_solid": True,
                "min_type": "num",
                "min_value": 0,
            },
        )


# --- 分镇分类 -----------------------------------------------------------------------------


def _groups(sheet: kit.Sheet, rollup: RollUp, pack: RulePack, lang: str, title: str) -> None:
    areas = [a.title.get(lang) for a in pack.areas]
    widths = [16, 8, 8, 9] + [9 if lang != "en" else 12] * len(areas)
    sheet.widths(widths)
    last_col = len(widths) - 1
    row = -1
    spans = []
    for key, groups, label in (
        ("by_town", rollup.towns, lambda k: k),
        ("by_type", rollup.types, lambda k: _type_text(pack, k, lang)),
    ):
        row += 1 if row < 0 else 2
        sheet.span(row, 0, last_col, _l(key, lang), kit.SECTION)
        sheet.height(row, 22)
        row += 1
        heads = [
            _l("town" if key == "by_town" else "type", lang),
            _l("group_expected", lang),
            _l("group_scored", lang),
            _l("mean", lang),
            *areas,
        ]
        for col, head in enumerate(heads):
            sheet.put(row, col, head, kit.HEADER)
            sheet.fit(row, head, widths[col])
        first = row + 1
        for group in groups:
            row += 1
            _group_row(sheet, row, group, label(group.key) or "—")
        spans.append((first, row))
    for first, last in spans:
        if last >= first:
            sheet.score_scale(first, 3, last, last_col)
    sheet.finish(title)


def _group_row(sheet: kit.Sheet, row: int, group: Group, label: str) -> None:
    sheet.put(row, 0, label, kit.BODY)
    sheet.put(row, 1, group.expected, kit.NUMBER)
    sheet.put(row, 2, group.units, kit.NUMBER)
    sheet.put(row, 3, group.total if group.total is not None else "", kit.SCORE)
    for col, mean in enumerate(group.areas, start=4):
        sheet.put(row, col, mean if mean is not None else "", kit.SCORE)
    sheet.height(row, sheet.face.height(1))


# --- 核查 ---------------------------------------------------------------------------------


def _checks(sheet: kit.Sheet, rollup: RollUp, lang: str, title: str) -> None:
    columns = [
        kit.Column(_L["kind"], 16, en_width=24),
        kit.Column(_L["what"], 36),
        kit.Column(_L["detail"], 70, en_width=62),
    ]
    sep = "、" if lang != "en" else ", "

    def label(row: UnitRow) -> str:
        if not row.town:
            return row.name
        return f"{row.name}（{row.town}）" if lang != "en" else f"{row.name} ({row.town})"

    def items() -> Iterator[list[object]]:
        # One row at a time: a county's units are read back from disk (batch.spool).
        for failure in rollup.failed:
            yield [_l("k_failed", lang), failure.submission.shown, _failure_text(failure, lang)]
        for row in rollup.rows:
            if row.chosen is None:
                continue
            chosen = row.chosen.submission.shown.rsplit("/", 1)[-1]
            for other in row.superseded:
                yield [
                    _l("k_superseded", lang),
                    other.submission.shown,
                    f"{row.name}：" + _l("superseded_by", lang, chosen=chosen),
                ]
            for other in row.identical:
                yield [
                    _l("k_identical", lang),
                    other.submission.shown,
                    _l("identical_to", lang, chosen=chosen),
                ]
        for item in rollup.unmatched:
            names = sep.join(f"{u.town}{u.name}" if u.town else u.name for u in item.candidates)
            detail = (
                _l("candidates", lang, names=names)
                if item.candidates
                else _l("no_candidates", lang)
            )
            kind = "k_ambiguous" if item.ambiguous else "k_unmatched"
            unit = item.score.unit
            yield [
                _l(kind, lang),
                item.score.submission.shown,
                f"{unit.name or '?'}（{unit.town or '—'}）：{detail}"
                if lang != "en"
                else f"{unit.name or '?'} ({unit.town or '—'}): {detail}",
            ]
        for first, second, pair in rollup.copied:
            examples = sep.join(
                f"{e.rule_id} {e.cells[0]}/{e.cells[1]}“{e.text[:20]}”" for e in pair.examples
            )
            detail = _l(
                "copied_detail",
                lang,
                rules=pair.rules,
                shared=pair.shared_text,
                share=f"{pair.similarity * 100:.0f}",
                examples=examples,
            )
            yield [_l("k_copied", lang), f"{label(first)} ↔ {label(second)}", detail]
        for row in rollup.rows:
            if row.chosen is None:
                continue
            if row.chosen.over_claims:
                yield [
                    _l("k_over_claim", lang),
                    label(row),
                    _l("over_claim_detail", lang, n=row.chosen.over_claims),
                ]
            if row.chosen.unreadable >= _UNREADABLE_MANY:
                yield [
                    _l("k_unreadable", lang),
                    label(row),
                    _l("unreadable_detail", lang, n=row.chosen.unreadable),
                ]
        for skipped in rollup.skipped:
            yield [_l("k_skipped", lang), skipped.shown, _skip_text(skipped, lang)]

    sheet.only_table(columns, items(), _L["no_checks"], title)


# --- 豁免 ------------------------------------------------------------------------------

_W: dict[str, Text] = {
    "rule": Text("规则", "Rule"),
    "indicator": Text("指标", "Indicator"),
    "reason": Text("豁免理由", "Reason"),
    "approved_by": Text("批准人", "Approved by"),
    "approved_on": Text("批准日期", "Approved on"),
    "expires_on": Text("有效期至", "Until"),
    "veto": Text("否决项", "Veto"),
    "none": Text("没有采用任何豁免", "No waiver applied"),
    "unused": Text("未采用的豁免", "Waivers not used"),
    "yes": Text("是（已明确豁免）", "yes (named explicitly)"),
}


def _waivers(sheet: kit.Sheet, rollup: RollUp, pack: RulePack, lang: str, title: str) -> None:
    """Every waiver applied (unit, rule, reason, approver, dates), then those not used and why."""
    columns = [
        kit.Column(_L["unit"], 20),
        kit.Column(_L["town"], 10),
        kit.Column(_W["rule"], 9, kit.CENTRE, wrap=False),
        kit.Column(_W["indicator"], 26),
        kit.Column(_W["reason"], 30),
        kit.Column(_W["approved_by"], 16),
        kit.Column(_W["approved_on"], 11, kit.CENTRE, wrap=False),
        kit.Column(_W["expires_on"], 11, kit.CENTRE, wrap=False),
        kit.Column(_W["veto"], 15, kit.CENTRE),
    ]
    rows = []
    for row, waiver in rollup.waivers:
        rule = pack.rules_by_id.get(waiver.rule_id)
        rows.append(
            [
                row.name,
                row.town,
                waiver.rule_id,
                rule.indicator.get(lang) if rule is not None else "",
                waiver.reason,
                waiver.approved_by,
                waiver.approved_on.isoformat(),
                waiver.expires_on.isoformat(),
                _W["yes"].get(lang) if rule is not None and rule.veto else "",
            ]
        )
    sheet.widths(columns)
    last = sheet.table(0, columns, rows, empty=_W["none"])
    sheet.ws.freeze_panes(1, 1)
    if rollup.unused_waivers:
        at = last + 2
        sheet.span(at, 0, len(columns) - 1, _W["unused"].get(lang), kit.SECTION)
        for note in rollup.unused_waivers:
            at += 1
            sheet.span(at, 0, len(columns) - 1, note.message.get(lang), kit.BODY)
    sheet.finish(title, repeat=(0, 0))


def _failure_text(failure: Failure, lang: str) -> str:
    return failure.error.get(lang)


def _skip_text(skipped: Skipped, lang: str) -> str:
    return skipped.text().get(lang)
