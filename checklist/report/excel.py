"""The Excel gap report: 概览 Summary, 问题清单 Gaps, 明细 Details, 核查 Audit.

Lays out a finished :class:`~checklist.model.Result` and the numbers
:mod:`checklist.gaps` computed from it; nothing here scores, matches or
compares. Given the unit's previous year as a finished
:class:`~checklist.compare.Comparison`, the summary also shows the change
since that year and the gaps sheet marks each gap new, persistent or
regressed (marks computed in :mod:`checklist.gaps`).

Written with xlsxwriter, which fits the 60 ms budget for a 120-rule report
where openpyxl took about twice that. Every string goes in through
``write_string`` (never a formula, whatever the unit typed), the file is
written through :func:`checklist.output.write_atomically`, and the document
time is pinned (xlsxwriter already pins zip entry times when it builds the
file in memory), so two runs give the same bytes. Only commands import this
module, so xlsxwriter is imported at the top.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

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
from checklist.model import Result, RulePack, Severity, Status
from checklist.output import write_atomically
from checklist.text import Text

if TYPE_CHECKING:
    from checklist.compare import Comparison

FIXED_TIME = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
"""Created/modified time written into every report (the template uses the same)."""

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
    "town": Text("所属镇（街道）", "Town (street)"),
    "year": Text("年度", "Year"),
    "pack": Text("规则包及版本", "Rule pack, version"),
    "pack_value": Text("{title}（{id} {version}）", "{title} ({id} {version})"),
    "source": Text("来源文件", "Source file"),
    "total": Text("总分", "Total score"),
    "base": Text("基础得分", "Base score"),
    "base_value": Text(
        "{base}（已得 {earned} 分 ÷ 应得 {possible} 分 × 100）",
        "{base} ({earned} of {possible} points × 100)",
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
        "得分率 = 已得分 ÷ 应得分 × 100。颜色：≥{good} 较好；{fair}–{good} 需提升；<{fair} 薄弱。",
        "Score = earned ÷ possible × 100. Colours: ≥{good} good; {fair}–{good} needs work; "
        "<{fair} weak.",
    ),
    "severity_head": Text("{n}、问题数量（按严重程度）", "{n}. Gaps by severity"),
    "severity": Text("严重程度", "Severity"),
    "count": Text("问题数", "Gaps"),
    "all": Text("合计", "Total"),
    "actions": Text("{n}、优先整改事项", "{n}. Priority actions"),
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
        "“问题清单”逐项标出新增、持续的问题；持续且比上一年度更差的标“退步”。",
        "The Gaps sheet marks each gap New or Persistent; a persistent gap that got "
        "worse is marked Regressed.",
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

_FONT = {"zh": "微软雅黑", "en": "Calibri"}
_LATIN_WIDTH = {"zh": 1.0, "en": 0.75}
"""Width of an average Latin character of each language's font, in column units."""
_SIZE = 10
_LINE_PT = {"zh": 14.0, "en": 12.75}
"""Height of one line of 10 pt text in each language's font (微软雅黑 is taller than Calibri)."""
_HEAD = "#1F4E78"
_BORDER = "#A6A6A6"
_GREEN = ("#C6EFCE", "#006100")
_YELLOW = ("#FFEB9C", "#9C5700")
_RED = ("#FFC7CE", "#9C0006")
_ORANGE = ("#FCE4D6", "#833C0B")
_PURPLE = ("#E4DFEC", "#5B2C6F")
_GREY = ("#EDEDED", "#595959")
_BLUE = ("#DDEBF7", "#1F4E78")
_BAR = {Level.good: "#63BE7B", Level.fair: "#FFC000", Level.weak: "#F8696B", Level.none: "#BFBFBF"}

_SIGNED = "+0.0#;-0.0#;0.0"
"""A change is shown with its sign: +7.5, -2.25, 0.0."""

_STATUS_FILL = {
    Status.passed: _GREEN,
    Status.partial: _YELLOW,
    Status.fail: _RED,
    Status.missing: _ORANGE,
    Status.unsupported: _PURPLE,
    Status.na: _GREY,
}
_SEVERITY_FILL = {Severity.critical: _RED, Severity.major: _YELLOW, Severity.minor: _BLUE}
_LEVEL_FILL = {Level.good: _GREEN, Level.fair: _YELLOW, Level.weak: _RED, Level.none: _GREY}
# Persistent gaps are what the essay says nobody follows up: darker than new ones.
_TRACK_FILL = {Track.new: _YELLOW, Track.persistent: _ORANGE, Track.regressed: _RED}
_MOVE_FILL = {"up": _GREEN, "down": _RED, "flat": _GREY}


def _move(value: float | None) -> str:
    """``up``, ``down`` or ``flat``: the colour of a change."""
    if value is None or abs(value) < 0.005:
        return "flat"
    return "up" if value > 0 else "down"


_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")
_MAX_CELL = 32767
_RISKY_START = ("=", "+", "-", "@", "\t", "\r")


def _clean(text: str) -> str:
    """Text a cell can hold: no XML-illegal control characters, within Excel's length limit."""
    if not text.isprintable():  # cheap test first: control characters are rare
        text = _ILLEGAL.sub("", text)
    return text if len(text) <= _MAX_CELL else text[: _MAX_CELL - 1] + "…"


class _Formats:
    """Every cell look of the report, created once per workbook."""

    def __init__(self, workbook: Workbook, lang: str) -> None:
        self._workbook = workbook
        self.latin = _LATIN_WIDTH.get(lang, _LATIN_WIDTH["zh"])
        """Width of a Latin character in this workbook's font (for row heights)."""
        self.line = _LINE_PT.get(lang, _LINE_PT["zh"])
        """Height of one line of 10 pt text in this workbook's font."""
        font = _FONT.get(lang, _FONT["zh"])
        base = {"font_name": font, "font_size": _SIZE}
        box = {"border": 1, "border_color": _BORDER}
        top = {"valign": "top", "text_wrap": True}
        centre = {"align": "center", "valign": "top", "text_wrap": True}
        self._props: dict[str, dict[str, Any]] = {
            "text": {**base, **box, **top},
            "centre": {**base, **box, **centre},
            "number": {**base, **box, **centre, "num_format": "General"},
            "score": {**base, **box, **centre, "num_format": "0.0"},
            "total": {**base, **box, **centre, "num_format": "0.0#"},
            "head": {
                **base,
                **box,
                "bold": True,
                "font_color": "#FFFFFF",
                "bg_color": _HEAD,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
            },
            "label": {**base, **box, **top, "bold": True, "bg_color": "#F2F2F2"},
            "value": {**base, **box, **top},
            "big": {**base, **box, **top, "font_size": 14, "bold": True, "font_color": _HEAD},
            "big_score": {
                **base,
                **box,
                **top,
                "font_size": 14,
                "bold": True,
                "font_color": _HEAD,
                "align": "left",
                "num_format": "0.0#",
            },
            "title": {
                **base,
                "font_size": 16,
                "bold": True,
                "font_color": _HEAD,
                "valign": "vcenter",
            },
            "subtitle": {**base, "font_color": "#595959", "valign": "vcenter"},
            "section": {
                **base,
                "font_size": 12,
                "bold": True,
                "font_color": _HEAD,
                "bottom": 2,
                "bottom_color": _HEAD,
                "valign": "bottom",
            },
            "note": {**base, "font_size": 9, "italic": True, "font_color": "#595959", **top},
        }
        for move, (fill, colour) in _MOVE_FILL.items():
            self._props[f"delta:{move}"] = {
                **base,
                **box,
                **centre,
                "bold": True,
                "bg_color": fill,
                "font_color": colour,
                "num_format": _SIGNED,
            }
        for level, (fill, colour) in _LEVEL_FILL.items():
            self._props[f"level:{level.value}"] = {
                **base,
                **box,
                **centre,
                "bold": True,
                "bg_color": fill,
                "font_color": colour,
            }
        self._formats = {name: workbook.add_format(props) for name, props in self._props.items()}
        self._quoted: dict[str, Format] = {}

    def __getitem__(self, name: str) -> Format:
        return self._formats[name]

    def quoted(self, name: str) -> Format:
        """``name`` with Excel's quote prefix: the cell stays text even when edited."""
        if name not in self._quoted:
            self._quoted[name] = self._workbook.add_format(
                {**self._props[name], "quote_prefix": True}
            )
        return self._quoted[name]

    def highlight(self, fill: str, colour: str, bold: bool = False) -> Format:
        """A conditional-format look (fill and font colour only)."""
        return self._workbook.add_format({"bg_color": fill, "font_color": colour, "bold": bold})


# --- sizes -----------------------------------------------------------------------


def _width(text: str, latin: float = 1.05) -> float:
    """Display width in Excel column units: CJK and full-width characters count about double.

    Counted from the UTF-8 length (CJK takes three bytes, ASCII one), which is
    far cheaper than a per-character lookup; the few narrow characters above
    U+0800 (curly quotes, dashes) count as wide, erring toward taller rows.
    """
    extra = len(text.encode("utf-8")) - len(text)
    return len(text) * latin + extra * (1.9 - latin) / 2


def _lines(text: str, width: float, latin: float = 1.05) -> int:
    """Lines ``text`` wraps to in a column ``width`` units wide (a slight overestimate).

    ``latin`` is the width of a Latin character in column units, which depends
    on the font: 微软雅黑's Latin letters are wider than Calibri's.
    """
    room = max(width - 0.8, 1.0)
    return sum(max(1, math.ceil(_width(part, latin) / room)) for part in text.split("\n"))


def _height(lines: int, line: float, size: float = _SIZE) -> float:
    """Row height in points for ``lines`` lines of ``size`` pt text, ``line`` pt per 10 pt line."""
    # LibreOffice does not fit row heights on open, so every row carries one.
    return round(lines * line * size / _SIZE + 4, 1)


# --- one sheet ------------------------------------------------------------------------


class _Sheet:
    """A worksheet with the report's writing rules: text stays text, rows sized to fit."""

    def __init__(
        self, ws: Worksheet, formats: _Formats, wraps: dict[tuple[str, float, float], float]
    ) -> None:
        self.ws = ws
        self.formats = formats
        self.widths: list[float] = []
        self.heights: dict[int, float] = {}
        self._wraps = wraps

    def set_widths(self, widths: Sequence[float]) -> None:
        """Column widths in Excel units, from column A."""
        self.widths = list(widths)
        for col, width in enumerate(widths):
            self.ws.set_column(col, col, width)

    def lines(self, text: str, width: float) -> int:
        """:func:`_lines` in this workbook's font."""
        return _lines(text, width, self.formats.latin)

    def put(self, row: int, col: int, value: object, style: str) -> None:
        """Write one value (0-based row and column)."""
        ws = self.ws
        fmt = self.formats[style]
        if value is None or value == "":
            ws.write_blank(row, col, None, fmt)
        elif isinstance(value, str):
            text = _clean(value)
            # A unit may type =HYPERLINK(...), =1+1 or @SUM(A1): write_string never
            # makes a formula, and the quote prefix keeps Excel from turning the
            # text into one when someone edits the cell.
            if text.startswith(_RISKY_START):
                fmt = self.formats.quoted(style)
            ws.write_string(row, col, text, fmt)
        elif isinstance(value, bool):
            ws.write_string(row, col, str(value), fmt)
        elif isinstance(value, int | float):
            ws.write_number(row, col, value, fmt)
        else:
            ws.write_string(row, col, _clean(str(value)), fmt)

    def span(self, row: int, first: int, last: int, value: object, style: str) -> None:
        """Write ``value`` across columns ``first..last``, merged, and size the row for it."""
        if last > first:
            self.ws.merge_range(row, first, row, last, None, self.formats[style])
        self.put(row, first, value, style)
        if isinstance(value, str) and value:
            self.fit(row, value, sum(self.widths[first : last + 1]))

    def height(self, lines: int, size: float = _SIZE, text: str = "") -> float:
        """Row height for ``lines`` lines of ``size`` pt ``text`` in this workbook's font."""
        line = self.formats.line
        if not text.isascii():
            # Chinese in an English report falls back to a CJK font with taller lines.
            line = max(line, _LINE_PT["zh"])
        return _height(lines, line, size)

    def text_height(self, text: str, width: float, size: float = _SIZE) -> float:
        """Row height that shows ``text`` wrapped in ``width`` whole.

        Remembered for the report: rule texts recur across the sheets.
        """
        key = (text, width, size)
        found = self._wraps.get(key)
        if found is None:
            lines = self.lines(text, width * _SIZE / size)
            found = self._wraps[key] = self.height(lines, size, text)
        return found

    def fit(self, row: int, text: str, width: float, size: float = _SIZE) -> None:
        """Make ``row`` tall enough for ``text`` wrapped in ``width``."""
        height = self.text_height(text, width, size)
        self.heights[row] = max(self.heights.get(row, 0.0), height)

    def finish(self, header: str, lang: str, title_rows: int | None) -> None:
        """Row heights, print setup, header and footer."""
        ws = self.ws
        for row, height in self.heights.items():
            ws.set_row(row, height)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        ws.center_horizontally()
        if title_rows is not None:
            ws.repeat_rows(0, title_rows)
        # "&" starts a header code; a unit name containing one must print as itself.
        safe = _clean(header).replace("&", "&&")[:100]
        ws.set_header(f"&L&9{safe}&R&9&A", {"margin": 0.3})
        ws.set_footer(f"&C&9{_L['footer'].get(lang)}", {"margin": 0.3})


@dataclass(frozen=True, slots=True)
class _Column:
    head: Text
    """Header text."""
    width: float
    """Column width in Excel units."""
    style: str = "text"
    """Look of the body cells."""
    wrap: bool = True
    """Whether long text wraps (and so counts toward the row height)."""
    en_width: float | None = None
    """Width with English labels, where those are longer (status: "Unsupported")."""

    def width_in(self, lang: str) -> float:
        """The width for ``lang``."""
        return self.en_width if lang == "en" and self.en_width else self.width


def _table(
    sheet: _Sheet,
    columns: Sequence[_Column],
    rows: Iterable[Sequence[object]],
    lang: str,
    empty: Text,
    header: str,
) -> int:
    """A sheet holding one table, header in row 0; returns the last row (0-based)."""
    widths = [column.width_in(lang) for column in columns]
    sheet.set_widths(widths)
    for col, column in enumerate(columns):
        sheet.put(0, col, column.head.get(lang), "head")
        sheet.fit(0, column.head.get(lang), widths[col])
    row = 0
    for values in rows:
        row += 1
        height = sheet.height(1)
        for col, (column, value) in enumerate(zip(columns, values, strict=True)):
            sheet.put(row, col, value, column.style)
            if column.wrap and isinstance(value, str) and value:
                height = max(height, sheet.text_height(value, widths[col]))
        sheet.heights[row] = height
    if row == 0:
        row = 1
        sheet.span(1, 0, len(columns) - 1, empty.get(lang), "text")
    sheet.ws.freeze_panes(1, 1)
    sheet.ws.autofilter(0, 0, row, len(columns) - 1)
    sheet.finish(header, lang, title_rows=0)
    return row


def _text_rules(
    sheet: _Sheet,
    first: tuple[int, int],
    last: tuple[int, int],
    labels: Iterable[tuple[str, tuple[str, str]]],
) -> None:
    """Colour cells whose text equals a label (status, severity), via conditional formatting."""
    for label, (fill, colour) in labels:
        sheet.ws.conditional_format(
            first[0],
            first[1],
            last[0],
            last[1],
            {
                "type": "cell",
                "criteria": "==",
                "value": '"' + label.replace('"', '""') + '"',
                "format": sheet.formats.highlight(fill, colour),
            },
        )


def _status_rules(sheet: _Sheet, col: int, last: int, lang: str) -> None:
    _text_rules(
        sheet,
        (1, col),
        (last, col),
        ((STATUS_TEXT[s].get(lang), fill) for s, fill in _STATUS_FILL.items()),
    )


def _severity_rules(sheet: _Sheet, col: int, first: int, last: int, lang: str) -> None:
    _text_rules(
        sheet,
        (first, col),
        (last, col),
        ((SEVERITY_TEXT[s].get(lang), fill) for s, fill in _SEVERITY_FILL.items()),
    )


def _score_rules(sheet: _Sheet, col: int, first: int, last: int, analysis: GapAnalysis) -> None:
    """Colour area scores by the pack's grade limits."""
    limits = analysis.thresholds
    fmt = sheet.formats.highlight
    for options in (
        {"criteria": ">=", "value": limits.good, "format": fmt(*_LEVEL_FILL[Level.good], True)},
        {
            "criteria": "between",
            "minimum": limits.fair,
            "maximum": limits.good - 0.001,
            "format": fmt(*_LEVEL_FILL[Level.fair], True),
        },
        {"criteria": "<", "value": limits.fair, "format": fmt(*_LEVEL_FILL[Level.weak], True)},
    ):
        sheet.ws.conditional_format(first, col, last, col, {"type": "cell", **options})


# --- the sheets -------------------------------------------------------------------------

_GRID = 12
_GRID_WIDTH = 11.5


def _summary(
    workbook: Workbook,
    sheet: _Sheet,
    result: Result,
    pack: RulePack,
    analysis: GapAnalysis,
    lang: str,
    header: str,
) -> None:
    ws = sheet.ws
    sheet.set_widths([_GRID_WIDTH] * _GRID)
    unit = result.unit
    score = result.score
    last_col = _GRID - 1

    title = (_L["title"] if unit.year else _L["title_no_year"]).get(lang)
    sheet.span(0, 0, last_col, title.format(name=unit.name, year=unit.year), "title")
    sheet.heights[0] = 30
    subtitle = (
        _L["subtitle"]
        .get(lang)
        .format(pack=pack.title.get(lang), id=result.pack_id, version=result.pack_version)
    )
    sheet.span(1, 0, last_col, subtitle, "subtitle")

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
            .format(title=pack.title.get(lang), id=result.pack_id, version=result.pack_version),
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
        sheet.span(row, 0, 1, _L[lkey].get(lang), "label")
        sheet.span(row, 2, 5, lvalue, "value")
        sheet.span(row, 6, 7, _L[rkey].get(lang), "label")
        if rkey == "total":
            sheet.span(row, 8, last_col, rvalue, "big_score")
            sheet.fit(row, "0", _GRID_WIDTH, 14)
        elif rkey == "grade":
            sheet.span(row, 8, last_col, rvalue, "big")
            sheet.fit(row, str(rvalue), _GRID_WIDTH * 4, 14)
        else:
            sheet.span(row, 8, last_col, rvalue, "value")
        row += 1

    section = 0

    def heading(at: int, key: str, **params: object) -> None:
        nonlocal section
        section += 1
        text = _L[key].get(lang).format(n=_numeral(lang, section), **params)
        sheet.span(at, 0, last_col, text, "section")
        sheet.heights[at] = 24

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
        sheet.span(row, first, last, head, "head")
    for area in analysis.areas:
        row += 1
        sheet.span(row, 0, 1, area.area.title.get(lang), "text")
        sheet.put(row, 2, area.result.score, "score")
        sheet.put(row, 3, area.result.earned, "number")
        sheet.put(row, 4, area.result.possible, "number")
        sheet.put(row, 5, area.gaps, "number")
        sheet.span(row, 6, 6, LEVEL_TEXT[area.level].get(lang), f"level:{area.level.value}")
        if previous is not None:
            # Blank, not 0, when the area did not apply in one of the years.
            sheet.put(row, 7, area.delta, f"delta:{_move(area.delta)}")
    last_area = row
    table_last = columns[-1][1]
    if analysis.areas:
        _score_rules(sheet, 2, head_row + 1, last_area, analysis)
    row += 1
    limits = analysis.thresholds
    legend = _L["legend"].get(lang).format(good=number(limits.good), fair=number(limits.fair))
    sheet.span(row, 0, table_last, legend, "note")
    table_end = row
    chart_end = table_end
    if analysis.areas:
        chart_end = _area_chart(
            workbook, sheet, analysis, lang, head_row, last_area, table_end, table_last + 1
        )
    row = max(table_end, chart_end) + 2

    # Gap counts by severity, as one small horizontal table.
    heading(row, "severity_head")
    row += 1
    sheet.span(row, 0, 1, _L["severity"].get(lang), "head")
    col = 2
    for severity, _ in analysis.by_severity:
        sheet.span(row, col, col + 1, SEVERITY_TEXT[severity].get(lang), "head")
        col += 2
    sheet.span(row, col, col + 1, _L["all"].get(lang), "head")
    row += 1
    sheet.span(row, 0, 1, _L["count"].get(lang), "label")
    col = 2
    for _, count in analysis.by_severity:
        sheet.span(row, col, col + 1, count, "number")
        col += 2
    sheet.span(row, col, col + 1, len(analysis.gaps), "number")

    # Priority actions.
    row += 2
    heading(row, "actions")
    row += 1
    sheet.span(row, 0, last_col, _L["actions_note"].get(lang), "note")
    row += 1
    for first, last, key in (
        (0, 0, "rank"),
        (1, 1, "id"),
        (2, 4, "indicator"),
        (5, 5, "lost"),
        (6, 6, "severity"),
        (7, last_col, "recommendation"),
    ):
        sheet.span(row, first, last, _L[key].get(lang), "head")
    if not analysis.actions:
        row += 1
        sheet.span(row, 0, last_col, _L["no_actions"].get(lang), "text")
    first_action = row + 1
    for action in analysis.actions:
        row += 1
        gap = action.gap
        sheet.put(row, 0, action.rank, "number")
        sheet.put(row, 1, gap.rule.id, "centre")
        indicator = gap.rule.indicator.get(lang)
        if gap.vetoed:
            indicator = _L["veto_tag"].get(lang) + indicator
        sheet.span(row, 2, 4, indicator, "text")
        sheet.put(row, 5, gap.lost, "number")
        sheet.put(row, 6, SEVERITY_TEXT[gap.severity].get(lang), "centre")
        sheet.span(row, 7, last_col, action.recommendation.get(lang), "text")
    if analysis.actions:
        _severity_rules(sheet, 6, first_action, row, lang)

    for number_row in range(row + 1):
        sheet.heights.setdefault(number_row, sheet.height(1))
    ws.hide_gridlines(2)
    sheet.finish(header, lang, title_rows=None)
    # The summary is the page people take to the meeting: one sheet of paper.
    ws.fit_to_pages(1, 1)


def _previous_block(
    sheet: _Sheet, row: int, previous: PreviousYear, pack: RulePack, result: Result, lang: str
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
        sheet.span(row, first, last, text, "head")

    row += 1
    sheet.span(row, 0, 1, _L["total"].get(lang), "label")
    sheet.span(row, 2, 3, previous.total_then, "total")
    sheet.span(row, 4, 5, previous.total_now, "total")
    sheet.span(row, 6, 7, previous.delta, f"delta:{_move(previous.delta)}")
    # New + persistent are this year's gaps; "regressed" counts the persistent
    # ones marked so on the gaps sheet, not every rule that lost points.
    counts = (previous.closed, previous.new_gaps, previous.persistent, previous.worse)
    for col, ids in enumerate(counts, start=8):
        sheet.put(row, col, len(ids), "number")

    row += 1
    sheet.span(row, 0, 1, _L["grade"].get(lang), "label")
    sheet.span(row, 2, 3, previous.grade_then.get(lang), "centre")
    sheet.span(row, 4, 5, previous.grade_now.get(lang), "centre")
    move = {1: ("grade_up", "up"), -1: ("grade_down", "down"), 0: ("grade_same", "flat")}
    key, look = move[previous.grade_move]
    level = {"up": Level.good, "down": Level.weak, "flat": Level.none}[look]
    sheet.span(row, 6, 7, _L[key].get(lang), f"level:{level.value}")
    sheet.span(row, 8, last_col, _L["track_note"].get(lang), "note")

    row += 1
    sheet.span(row, 0, 1, _L["closed_list"].get(lang), "label")
    closed = ("、" if lang != "en" else ", ").join(previous.closed) or _L["none"].get(lang)
    sheet.span(row, 2, last_col, closed, "value")

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
    sheet.span(row, 0, last_col, packs, "note")
    return row


def _area_chart(
    workbook: Workbook,
    sheet: _Sheet,
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
    font = {"name": _FONT.get(lang, _FONT["zh"]), "size": 9}
    chart = workbook.add_chart({"type": "bar"})
    chart.add_series(
        {
            "name": [name, head_row, 2],
            "categories": [name, head_row + 1, 0, last_area, 0],
            "values": [name, head_row + 1, 2, last_area, 2],
            "fill": {"color": _BAR[Level.good]},
            "points": [{"fill": {"color": _BAR[area.level]}} for area in analysis.areas],
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
    columns = _GRID - first_col
    heights = [sheet.heights.get(r, sheet.height(1)) for r in range(head_row, head_row + rows)]
    chart.set_size(
        {
            "width": round(_GRID_WIDTH * columns * 7 + columns * 5),
            "height": round(sum(heights) * 96 / 72),
        }
    )
    sheet.ws.insert_chart(
        head_row, first_col, chart, {"x_offset": 8, "y_offset": 0, "object_position": 1}
    )
    return max(table_end, head_row + rows - 1)


_TRACK_COL = 8
"""Where the gaps sheet's since-last-year column goes: right after severity."""


def _gaps(sheet: _Sheet, pack: RulePack, analysis: GapAnalysis, lang: str, header: str) -> None:
    columns = [
        _Column(_L["id"], 10, "centre", wrap=False),
        _Column(_L["area"], 11),
        _Column(_L["indicator"], 28),
        _Column(_L["answer"], 13),
        _Column(_L["status"], 8, "centre", en_width=11),
        _Column(_L["required"], 15),
        _Column(_L["lost"], 6, "number", wrap=False),
        _Column(_L["severity"], 8, "centre"),
        _Column(_L["finding"], 27),
        _Column(_L["recommendation"], 30),
        _Column(_L["cell"], 11),
    ]
    previous = analysis.previous
    if previous is not None:
        year = _year_text(previous.year, "zh"), _year_text(previous.year, "en")
        head = Text(_L["track"].zh.format(year=year[0]), _L["track"].en.format(year=year[1]))
        columns.insert(_TRACK_COL, _Column(head, 10, "centre"))

    def rows() -> Iterable[Sequence[object]]:
        for gap in analysis.gaps:
            rule, result = gap.rule, gap.result
            finding = rule.finding.get(lang)
            if gap.vetoed:
                finding = _L["veto_tag"].get(lang) + finding
            elif result.bonus:
                finding = _L["bonus_tag"].get(lang) + finding
            values: list[object] = [
                rule.id,
                pack.title_of(result.area).get(lang),
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

    last = _table(sheet, columns, rows(), lang, _L["no_gaps"], header)
    if analysis.gaps:
        _status_rules(sheet, 4, last, lang)
        _severity_rules(sheet, 7, 1, last, lang)
        if previous is not None:
            _text_rules(
                sheet,
                (1, _TRACK_COL),
                (last, _TRACK_COL),
                ((TRACK_TEXT[t].get(lang), fill) for t, fill in _TRACK_FILL.items()),
            )


def _details(sheet: _Sheet, result: Result, pack: RulePack, lang: str, header: str) -> None:
    columns = (
        _Column(_L["id"], 10, "centre", wrap=False),
        _Column(_L["area"], 11),
        _Column(_L["indicator"], 28),
        _Column(_L["answer"], 13),
        _Column(_L["value"], 10),
        _Column(_L["status"], 8, "centre", en_width=11),
        _Column(_L["earned"], 6, "number", wrap=False),
        _Column(_L["possible"], 6, "number", wrap=False),
        _Column(_L["decision"], 17),
        _Column(_L["match"], 7, "centre"),
        _Column(_L["confidence"], 7, "number", wrap=False),
        _Column(_L["cell"], 11),
        _Column(_L["evidence"], 16),
        _Column(_L["claimed"], 7, "number", wrap=False),
    )
    rules = pack.rules_by_id

    def rows() -> Iterable[Sequence[object]]:
        for r in result.rules:
            rule = rules.get(r.rule_id)
            answer = r.answer
            method = _MATCH_TEXT.get(answer.match_method)
            yield (
                r.rule_id,
                pack.title_of(r.area).get(lang),
                rule.indicator.get(lang) if rule else "",
                answer.raw,
                value_text(answer.value, rule.answer).get(lang) if rule else "",
                STATUS_TEXT[r.status].get(lang),
                r.earned,
                r.possible,
                decision_text(r, rule).get(lang) if rule else r.band,
                method.get(lang) if method else answer.match_method,
                round(answer.match_confidence) if answer.match_method else None,
                answer.cell,
                answer.evidence,
                answer.claimed,
            )

    last = _table(sheet, columns, rows(), lang, _L["no_rules"], header)
    if result.rules:
        _status_rules(sheet, 5, last, lang)


def _audit(sheet: _Sheet, analysis: GapAnalysis, lang: str, header: str) -> None:
    columns = (
        _Column(_L["category"], 14),
        _Column(_L["note_level"], 6, "centre"),
        _Column(_L["rules"], 12),
        _Column(_L["location"], 14),
        _Column(_L["message"], 50),
        _Column(_L["unit_text"], 24),
        _Column(_L["claimed"], 7, "number", wrap=False, en_width=9),
        _Column(_L["computed"], 7, "number", wrap=False, en_width=9),
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

    _table(sheet, columns, rows(), lang, _L["no_audit"], header)


# --- the workbook ---------------------------------------------------------------------


def _write(
    result: Result, pack: RulePack, lang: str, target: Path, comparison: Comparison | None
) -> None:
    analysis = analyse(result, pack, comparison=comparison)
    workbook = Workbook(
        str(target),
        {
            # Unit text must never become a formula, a number or a link.
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            # In memory: no temporary files, and zip entry times pinned to 1980.
            "in_memory": True,
        },
    )
    header = f"{result.unit.name} {result.unit.year or ''}".strip()
    workbook.set_properties(
        {
            "title": _clean(header),
            "subject": _clean(pack.title.get(lang)),
            "author": "checklist",
            "created": FIXED_TIME,
        }
    )
    formats = _Formats(workbook, lang)

    wraps: dict[tuple[str, float, float], float] = {}

    def sheet(key: str) -> _Sheet:
        return _Sheet(workbook.add_worksheet(SHEETS[key].get(lang)), formats, wraps)

    summary, gaps, details, audit = (sheet(key) for key in SHEETS)
    _summary(workbook, summary, result, pack, analysis, lang, header)
    _gaps(gaps, pack, analysis, lang, header)
    _details(details, result, pack, lang, header)
    _audit(audit, analysis, lang, header)
    workbook.close()


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
