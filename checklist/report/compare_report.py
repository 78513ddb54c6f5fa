"""The year-over-year workbook: 概览 Summary, 问题变化 Gap changes, 逐项对比 Rule by rule.

Lays out a finished :class:`~checklist.compare.Comparison`; nothing here
compares, scores or reads a database. The pack only supplies texts (area and
rule titles, grades, recommendations) and may be None when the results came
from a pack that cannot be loaded; ids are shown then.

The small writing helpers in the first half are shared with
:mod:`checklist.report.trend_report`. They follow the look of the score
report (xlsxwriter, same fonts and status colours) but live here because that
report's helpers are private to it. Every string goes in through
``write_string`` (never a formula, a number or a link, whatever the unit
typed), files are written through :func:`checklist.output.write_atomically`,
and the document time is pinned (xlsxwriter pins zip entry times when it
builds in memory), so the same comparison gives the same bytes. Only commands
import this module.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from checklist.compare import CHANGE_TEXT, Change, Comparison, RuleChange
from checklist.display import STATUS_TEXT, number, signed
from checklist.model import RulePack, Status
from checklist.output import write_atomically
from checklist.text import Text

# --- shared look and writing helpers ---------------------------------------------------

FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)
"""Document time written into every workbook, so reruns give the same bytes."""
FONT = {"zh": "微软雅黑", "en": "Calibri"}
SIZE = 10
LINE_PT = 14.0
"""Height of one line of 10 pt text; CJK fonts need more room than Latin ones."""
HEAD = "1F4E78"
GREEN, GREEN_TEXT = "C6EFCE", "006100"
YELLOW, YELLOW_TEXT = "FFEB9C", "9C5700"
RED, RED_TEXT = "FFC7CE", "9C0006"
ORANGE, ORANGE_TEXT = "FCE4D6", "833C0B"
PURPLE, PURPLE_TEXT = "E4DFEC", "5B2C6F"
GREY, GREY_TEXT = "EDEDED", "595959"
BLUE, BLUE_TEXT = "DDEBF7", "1F4E78"
WHITE, BLACK = "FFFFFF", "000000"

STATUS_COLOURS: dict[Status, tuple[str, str]] = {
    Status.passed: (GREEN, GREEN_TEXT),
    Status.partial: (YELLOW, YELLOW_TEXT),
    Status.fail: (RED, RED_TEXT),
    Status.missing: (ORANGE, ORANGE_TEXT),
    Status.unsupported: (PURPLE, PURPLE_TEXT),
    Status.na: (GREY, GREY_TEXT),
}
"""Fill and text colour per status, as in the score report."""

CHANGE_COLOURS: dict[Change, tuple[str, str]] = {
    Change.improved: (GREEN, GREEN_TEXT),
    Change.regressed: (RED, RED_TEXT),
    Change.unchanged: (WHITE, BLACK),
    Change.new_rule: (BLUE, BLUE_TEXT),
    Change.retired_rule: (GREY, GREY_TEXT),
    Change.now_applies: (BLUE, BLUE_TEXT),
    Change.no_longer_applies: (GREY, GREY_TEXT),
}
"""Fill and text colour per change kind."""

_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")
_MAX_CELL = 32767
_RISKY_START = ("=", "+", "-", "@", "\t", "\r")

Style = dict[str, Any]
"""xlsxwriter format properties."""

_BOX: Style = {"border": 1, "border_color": "#A6A6A6", "valign": "top", "text_wrap": True}
BODY: Style = dict(_BOX)
CENTRE: Style = {**_BOX, "align": "center"}
LABEL: Style = {**_BOX, "bold": True, "bg_color": "#F2F2F2"}
HEADER: Style = {
    **_BOX,
    "bold": True,
    "font_color": "#FFFFFF",
    "bg_color": f"#{HEAD}",
    "align": "center",
    "valign": "vcenter",
}
TITLE: Style = {"bold": True, "font_size": 16, "font_color": f"#{HEAD}", "valign": "vcenter"}
SUBTITLE: Style = {"font_color": "#595959", "valign": "vcenter", "text_wrap": True}
SECTION: Style = {"bold": True, "font_size": 12, "font_color": f"#{HEAD}", "valign": "bottom"}
NOTE: Style = {
    "italic": True,
    "font_size": 9,
    "font_color": "#595959",
    "text_wrap": True,
    "valign": "top",
}


def coloured(style: Style, colours: tuple[str, str], bold: bool = True) -> Style:
    """``style`` with a fill and a text colour."""
    fill, text = colours
    return {**style, "bg_color": f"#{fill}", "font_color": f"#{text}", "bold": bold}


def clean(text: str) -> str:
    """Text Excel accepts: no control characters, at most 32767 characters."""
    text = _ILLEGAL.sub("", text)
    return text if len(text) <= _MAX_CELL else text[: _MAX_CELL - 1] + "…"


def text_width(text: str) -> float:
    """Display width in Excel column units: CJK and full-width characters count double.

    Latin text at 10 pt runs narrower than the unit (the width of a "0" in
    the 11 pt default font), so it counts a little under one.
    """
    return sum(2.0 if unicodedata.east_asian_width(ch) in "WF" else 0.95 for ch in text)


def line_count(text: str, width: float) -> int:
    """Lines ``text`` wraps to in a column ``width`` units wide (a slight overestimate)."""
    room = max(width - 1.5, 1.0)
    return sum(max(1, math.ceil(text_width(part) / room)) for part in text.split("\n"))


def row_height(lines: int, size: float = SIZE) -> float:
    """Row height for ``lines`` lines (LibreOffice does not fit heights on open)."""
    return round(lines * LINE_PT * size / SIZE + 4, 1)


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a table."""

    head: Text
    """Header text."""
    width: float
    """Width in Excel units."""
    centre: bool = False
    """Centre the body cells (numbers, statuses)."""
    num_format: str = ""
    """Number format of numeric body cells, e.g. ``0.0``."""


class Book:
    """An xlsxwriter workbook with its formats built once per distinct style."""

    def __init__(self, target: Path, lang: str, title: str) -> None:
        self.lang = lang
        """Language of the texts."""
        self.workbook = Workbook(
            str(target),
            {
                # Unit text must never become a formula, a number or a link.
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
                "in_memory": True,
            },
        )
        self.workbook.set_properties(
            {"title": clean(title), "author": "checklist", "created": FIXED_TIME}
        )
        self._font = FONT.get(lang, FONT["zh"])
        self._formats: dict[tuple[tuple[str, Any], ...], Format] = {}

    def format(self, style: Style) -> Format:
        """The format for ``style`` (font and size added), built once."""
        props = {"font_name": self._font, "font_size": SIZE, **style}
        key = tuple(sorted(props.items()))
        if key not in self._formats:
            self._formats[key] = self.workbook.add_format(props)
        return self._formats[key]

    def sheet(self, name: Text) -> Sheet:
        """A new worksheet named in the book's language."""
        return Sheet(self, self.workbook.add_worksheet(clean(name.get(self.lang))[:31]))

    def close(self) -> None:
        """Write the file."""
        self.workbook.close()


class Sheet:
    """One worksheet; rows and columns are 0-based as in xlsxwriter."""

    def __init__(self, book: Book, worksheet: Worksheet) -> None:
        self.book = book
        """The workbook."""
        self.ws = worksheet
        """The xlsxwriter worksheet."""
        self.lang = book.lang
        """Language of the texts."""
        self._widths: dict[int, float] = {}

    def put(self, row: int, col: int, value: object, style: Style) -> None:
        """Write one value; strings always as text, never as a formula or an error code."""
        if value is None or value == "":
            self.ws.write_blank(row, col, None, self.book.format(style))
        elif isinstance(value, str):
            text = clean(value)
            if text.startswith(_RISKY_START):
                # Keeps Excel from re-reading =1+1 as a formula when someone edits the cell.
                style = {**style, "quote_prefix": True}
            self.ws.write_string(row, col, text, self.book.format(style))
        elif isinstance(value, bool):
            self.ws.write_string(row, col, str(value), self.book.format(style))
        elif isinstance(value, int | float):
            self.ws.write_number(row, col, value, self.book.format(style))
        else:
            self.ws.write_string(row, col, clean(str(value)), self.book.format(style))

    def widths(self, columns: Sequence[Column], first: int = 0) -> None:
        """Set column widths from ``columns``, starting at column ``first``."""
        for index, column in enumerate(columns, start=first):
            self.ws.set_column(index, index, column.width)
            self._widths[index] = column.width

    def column_width(self, col: int) -> float:
        """Width of column ``col`` as set (Excel's default when unset)."""
        return self._widths.get(col, 8.43)

    def span_width(self, span: int) -> float:
        """Total width of the first ``span`` columns."""
        return sum(self._widths.get(c, 8.43) for c in range(span))

    def merged(self, row: int, span: int, text: str, style: Style, size: float = SIZE) -> None:
        """``text`` across the first ``span`` columns of ``row``, the row tall enough for it."""
        text = clean(text)
        if text.startswith(_RISKY_START):
            style = {**style, "quote_prefix": True}
        if span > 1:
            self.ws.merge_range(row, 0, row, span - 1, "", self.book.format(style))
        self.ws.write_string(row, 0, text, self.book.format(style))
        lines = line_count(text, self.span_width(span)) if style.get("text_wrap") else 1
        self.ws.set_row(row, row_height(lines, size))

    def title(self, text: str, subtitle: str, span: int) -> int:
        """A title and a subtitle line; returns the next free row."""
        self.merged(0, span, text, TITLE)
        self.ws.set_row(0, 28)
        self.merged(1, span, subtitle, SUBTITLE)
        return 3

    def section(self, row: int, text: str, colours: tuple[str, str] | None = None) -> int:
        """A section heading; returns the next row."""
        style = SECTION if colours is None else {**SECTION, "bg_color": f"#{colours[0]}"}
        self.put(row, 0, text, style)
        self.ws.set_row(row, 22)
        return row + 1

    def note(self, row: int, text: str, span: int) -> int:
        """An explanatory note across ``span`` columns; returns the next row."""
        self.merged(row, span, text, NOTE, size=9)
        return row + 1

    def table(
        self,
        top: int,
        columns: Sequence[Column],
        rows: Sequence[Sequence[object]],
        styles: dict[tuple[int, int], Style] | None = None,
        empty: Text | None = None,
    ) -> int:
        """A table with its header at row ``top``; returns the last row written.

        ``styles`` maps (row index within ``rows``, column index) to the style
        of that cell (e.g. a status colour); other cells get the column's.
        """
        styles = styles or {}
        lines = 1
        for index, column in enumerate(columns):
            label = column.head.get(self.lang)
            self.put(top, index, label, HEADER)
            lines = max(lines, line_count(label, column.width))
        self.ws.set_row(top, row_height(lines))
        row = top
        for row_index, values in enumerate(rows):
            row += 1
            lines = 1
            for col_index, (column, value) in enumerate(zip(columns, values, strict=True)):
                style = styles.get((row_index, col_index)) or (CENTRE if column.centre else BODY)
                if column.num_format and isinstance(value, int | float):
                    style = {**style, "num_format": column.num_format}
                self.put(row, col_index, value, style)
                if isinstance(value, str) and value:
                    lines = max(lines, line_count(value, column.width))
            self.ws.set_row(row, row_height(lines))
        if not rows and empty is not None:
            row += 1
            self.ws.merge_range(row, 0, row, len(columns) - 1, "", self.book.format(BODY))
            self.put(row, 0, empty.get(self.lang), BODY)
            self.ws.set_row(row, row_height(1))
        return row

    def print_setup(self, header: str, repeat_row: int | None = None) -> None:
        """A4 landscape, one page wide, page header with the unit and the sheet, page numbers."""
        ws = self.ws
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        ws.center_horizontally()
        if repeat_row is not None:
            ws.repeat_rows(repeat_row)
        # "&" starts a header code; a unit name containing one must print as itself.
        safe = clean(header).replace("&", "&&")[:120]
        ws.set_header(f"&L&9{safe}&R&9&A", {"margin": 0.3})
        ws.set_footer(f"&C&9{FOOTER.get(self.lang)}", {"margin": 0.3})


FOOTER = Text("第 &P 页，共 &N 页", "Page &P of &N")


def write_book(
    path: Path, lang: str, title: str, fill: Callable[[Book], None], inputs: Sequence[Path] = ()
) -> Path:
    """Build a workbook with ``fill`` and write it to ``path`` atomically (never over an input)."""

    def write(temp: Path) -> None:
        book = Book(temp, lang, title)
        fill(book)
        book.close()

    return write_atomically(Path(path), write, inputs)


class Labels:
    """Pack texts, falling back to ids when the pack lacks them (or there is no pack)."""

    def __init__(self, pack: RulePack | None, lang: str) -> None:
        self.pack = pack
        """The pack supplying texts, if any."""
        self.lang = lang
        """Language of the texts."""

    def grade(self, grade_id: str) -> str:
        """Grade title."""
        return self.pack.title_of(grade_id).get(self.lang) if self.pack is not None else grade_id

    def area(self, area_id: str) -> str:
        """Area title."""
        return self.pack.title_of(area_id).get(self.lang) if self.pack is not None else area_id

    def indicator(self, rule_id: str) -> str:
        """The rule's question, or '' when the pack does not have the rule."""
        if self.pack is not None and rule_id in self.pack.rules_by_id:
            return self.pack.rule(rule_id).indicator.get(self.lang)
        return ""

    def recommendation(self, rule_id: str) -> str:
        """What to do about a gap on the rule, or ''."""
        if self.pack is not None and rule_id in self.pack.rules_by_id:
            return self.pack.rule(rule_id).recommendation.get(self.lang)
        return ""

    def unit_type(self, type_id: str | None) -> str:
        """Unit type title."""
        if not type_id:
            return ""
        if self.pack is not None:
            known = self.pack.unit_type(type_id)
            if known is not None:
                return known.title.get(self.lang)
        return type_id

    def status(self, status: Status | None) -> str:
        """Status word, or '-' when that side lacks the rule."""
        return STATUS_TEXT[status].get(self.lang) if status is not None else "-"


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
    "town": Text("所属镇（街道）", "Town (street)"),
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


_LIST_COLOURS: dict[str, tuple[str, str]] = {
    "closed": (GREEN, GREEN_TEXT),
    "new": (RED, RED_TEXT),
    "persistent": (ORANGE, ORANGE_TEXT),
    "regressed": (RED, RED_TEXT),
    "added": (BLUE, BLUE_TEXT),
    "retired": (GREY, GREY_TEXT),
}


def _lists(comparison: Comparison) -> list[tuple[str, Text, Text, tuple[str, ...]]]:
    return [
        ("closed", _L["closed"], _L["closed_means"], comparison.closed),
        ("new", _L["new"], _L["new_means"], comparison.new_gaps),
        ("persistent", _L["persistent"], _L["persistent_means"], comparison.persistent),
        ("regressed", _L["regressed"], _L["regressed_means"], comparison.regressed),
        ("added", _L["added"], _L["added_means"], comparison.added_rules),
        ("retired", _L["retired"], _L["retired_means"], comparison.retired_rules),
    ]


def delta_style(delta: float | None, base: Style = CENTRE) -> Style:
    """Green for a rise, red for a fall, plain otherwise."""
    if delta is None or abs(delta) < 0.005:
        return base
    return coloured(base, (GREEN, GREEN_TEXT) if delta > 0 else (RED, RED_TEXT))


def _header_text(comparison: Comparison) -> str:
    return f"{comparison.unit_now.name} {_year(comparison.year_then)}—{_year(comparison.year_now)}"


def _summary(sheet: Sheet, comparison: Comparison, labels: Labels) -> None:
    lang = sheet.lang
    then, now = _year(comparison.year_then), _year(comparison.year_now)
    # English labels and area names run longer than Chinese ones.
    first = 32 if lang == "en" else 22
    columns = [
        Column(_L["item"], first),
        Column(Text(then, then), 28, centre=True, num_format="0.00"),
        Column(Text(now, now), 28, centre=True, num_format="0.00"),
        Column(_L["change"], 14, centre=True),
    ]
    sheet.widths(columns)
    if comparison.same_pack:
        subtitle = _L["subtitle_same"].format(pack=comparison.pack_now)
    else:
        subtitle = _L["subtitle_diff"].format(then=comparison.pack_then, now=comparison.pack_now)
    name = comparison.unit_now.name
    row = sheet.title(
        _L["title"].format(name=name, then=then, now=now).get(lang), subtitle.get(lang), 4
    )
    if comparison.forced:
        forced = _L["forced"].format(then=comparison.unit_then.name, now=comparison.unit_now.name)
        row = sheet.note(row - 1, forced.get(lang), 4) + 1

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
    styles: dict[tuple[int, int], Style] = {(i, 0): LABEL for i in range(len(rows))}
    for index, delta in (
        (4, overall.total_delta),
        (5, overall.base_delta),
        (6, overall.bonus_delta),
    ):
        styles[(index, 3)] = delta_style(delta)
    styles[(4, 2)] = {**CENTRE, "bold": True, "num_format": "0.00"}
    row = sheet.table(row, columns, rows, styles) + 2

    row = sheet.section(row, _L["counts"].get(lang))
    lists = _lists(comparison)
    count_columns = [
        Column(_L["list"], first),
        Column(_L["count"], 28, centre=True),
        Column(_L["meaning"], 28),
    ]
    row = (
        sheet.table(
            row,
            count_columns,
            [[label.get(lang), len(ids), meaning.get(lang)] for _, label, meaning, ids in lists],
            {(i, 0): coloured(BODY, _LIST_COLOURS[kind]) for i, (kind, *_) in enumerate(lists)},
        )
        + 2
    )

    # The area table and its chart go on a page of their own rather than
    # starting at the foot of the first one.
    sheet.ws.set_h_pagebreaks([row])
    row = sheet.section(row, _L["areas"].get(lang))
    area_top = row
    area_columns = [
        Column(_L["area"], first),
        Column(Text(then, then), 28, centre=True, num_format="0.0"),
        Column(Text(now, now), 28, centre=True, num_format="0.0"),
        Column(_L["change"], 14, centre=True),
    ]
    last = sheet.table(
        area_top,
        area_columns,
        [
            [labels.area(a.area), a.score_then, a.score_now, signed(a.delta)]
            for a in comparison.areas
        ],
        {(i, 3): delta_style(a.delta) for i, a in enumerate(comparison.areas)},
    )
    if comparison.areas:
        _area_chart(sheet, area_top, last, len(comparison.areas))
    sheet.print_setup(_header_text(comparison))


def _area_chart(sheet: Sheet, top: int, last: int, count: int) -> None:
    """Then-and-now bars per area, below the area table."""
    chart = sheet.book.workbook.add_chart({"type": "bar"})
    assert chart is not None
    name = sheet.ws.get_name()
    for col, colour in ((1, "#A6A6A6"), (2, f"#{HEAD}")):
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
    font = {"name": FONT.get(sheet.lang, FONT["zh"]), "size": 9}
    chart.set_title({"name": _L["chart"].get(sheet.lang), "name_font": {**font, "size": 11}})
    chart.set_x_axis({"min": 0, "max": 100, "major_unit": 20, "num_font": font})
    # Bar charts draw the first category at the bottom; reversed, the areas
    # read top to bottom as in the table.
    chart.set_y_axis({"reverse": True, "num_font": font})
    chart.set_legend({"position": "bottom", "font": font})
    height = max(220, 36 * count + 110)
    chart.set_size({"width": 640, "height": height})
    sheet.ws.insert_chart(last + 2, 0, chart, {"x_offset": 2, "y_offset": 4})


def _rule_columns(comparison: Comparison, with_recommendation: bool) -> list[Column]:
    then, now = _year(comparison.year_then), _year(comparison.year_now)
    columns = [
        Column(_L["id"], 10),
        Column(_L["indicator"], 40),
        Column(_L["status_then"].format(year=then), 11, centre=True),
        Column(_L["status_now"].format(year=now), 11, centre=True),
        Column(_L["points_then"].format(year=then), 9, centre=True),
        Column(_L["points_now"].format(year=now), 9, centre=True),
        Column(_L["kind"], 11, centre=True),
    ]
    if with_recommendation:
        columns.append(Column(_L["recommendation"], 44))
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


def _rule_styles(change: RuleChange, row: int) -> dict[tuple[int, int], Style]:
    styles: dict[tuple[int, int], Style] = {}
    if change.status_then is not None:
        styles[(row, 2)] = coloured(CENTRE, STATUS_COLOURS[change.status_then])
    if change.status_now is not None:
        styles[(row, 3)] = coloured(CENTRE, STATUS_COLOURS[change.status_now])
    if change.change is not Change.unchanged:
        styles[(row, 6)] = coloured(CENTRE, CHANGE_COLOURS[change.change])
    return styles


def _gaps(sheet: Sheet, comparison: Comparison, labels: Labels) -> None:
    lang = sheet.lang
    columns = _rule_columns(comparison, with_recommendation=True)
    sheet.widths(columns)
    row = 0
    for kind, label, meaning, ids in _lists(comparison):
        count = f"（{len(ids)}）" if lang == "zh" else f" ({len(ids)})"
        row = sheet.section(row, label.get(lang) + count, _LIST_COLOURS[kind])
        row = sheet.note(row, meaning.get(lang), len(columns))
        rows: list[list[object]] = []
        styles: dict[tuple[int, int], Style] = {}
        for index, rule_id in enumerate(ids):
            change = comparison.rule(rule_id)
            advice = labels.recommendation(rule_id) if change.gap_now else ""
            rows.append([*_rule_cells(change, labels), advice])
            styles.update(_rule_styles(change, index))
        row = sheet.table(row, columns, rows, styles, empty=_L["none"]) + 2
    sheet.print_setup(_header_text(comparison))


def _rules(sheet: Sheet, comparison: Comparison, labels: Labels) -> None:
    lang = sheet.lang
    then, now = _year(comparison.year_then), _year(comparison.year_now)
    columns = [
        *_rule_columns(comparison, with_recommendation=False),
        Column(_L["delta"], 9, centre=True),
        Column(_L["answer_then"].format(year=then), 18),
        Column(_L["answer_now"].format(year=now), 18),
        Column(_L["lists"], 22),
    ]
    sheet.widths(columns)
    member: dict[str, list[str]] = {}
    for _, label, _, ids in _lists(comparison):
        for rule_id in ids:
            member.setdefault(rule_id, []).append(label.get(lang))
    joiner = "、" if lang == "zh" else ", "
    rows: list[list[object]] = []
    styles: dict[tuple[int, int], Style] = {}
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
        styles[(index, 7)] = delta_style(change.delta)
    last = sheet.table(0, columns, rows, styles)
    sheet.ws.freeze_panes(1, 2)
    sheet.ws.autofilter(0, 0, max(last, 1), len(columns) - 1)
    sheet.note(last + 2, _L["legend"].get(lang), len(columns))
    sheet.print_setup(_header_text(comparison), repeat_row=0)


def write_compare_report(
    comparison: Comparison,
    pack: RulePack | None,
    path: Path,
    lang: str = "zh",
    inputs: Sequence[Path] = (),
) -> Path:
    """Write the comparison workbook to ``path`` atomically (never over one of ``inputs``)."""
    labels = Labels(pack, lang)

    def fill(book: Book) -> None:
        _summary(book.sheet(SHEETS["summary"]), comparison, labels)
        _gaps(book.sheet(SHEETS["gaps"]), comparison, labels)
        _rules(book.sheet(SHEETS["rules"]), comparison, labels)

    return write_book(path, lang, _header_text(comparison), fill, inputs)
