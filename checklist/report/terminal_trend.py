"""The terminal summary printed by ``checklist trend``.

A table of every saved year re-scored under the trend's pack (with the pack
and score each year had when saved), then the persistent gaps and the
regressions, each with its statuses year by year.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from checklist.display import STATUS_TEXT, number, signed
from checklist.model import RulePack
from checklist.text import Lang, Text
from checklist.trend import Trend, TrendRow

if TYPE_CHECKING:
    from rich.console import Console


_AREA_WIDTH = 20
"""Cells given to an area's title in the area table (longer titles wrap)."""
_YEAR_WIDTH = 9
"""Cells one year's column takes in the area table, borders included."""


def print_trend(trend: Trend, pack: RulePack, lang: Lang, console: Console) -> None:
    """Print ``trend`` (re-scored under ``pack``) on a rich ``console``."""
    from rich.markup import escape
    from rich.table import Table

    heading = Text(
        f"{trend.unit_name}：{len(trend.years)} 个年度，均按规则包 {pack.name('zh')} 重新评分",
        f"{trend.unit_name}: {len(trend.years)} years, all re-scored under {pack.name('en')}",
    )
    console.print(f"[bold]{escape(heading.get(lang))}[/bold]")
    heads = {
        Lang.zh: [
            "年度",
            "总分",
            "变化",
            "等次",
            "问题数",
            "已整改",
            "新问题",
            "退步",
            "当年评分规则包（得分）",
        ],
        Lang.en: [
            "Year",
            "Total",
            "Change",
            "Grade",
            "Gaps",
            "Closed",
            "New",
            "Regressed",
            "Scored when saved by",
        ],
    }[lang]
    # The score each year had when saved says something only where it differs from the
    # re-scored one (another pack then, or a pack changed since); else the heading says it all.
    then_differs = any(
        y.scored_pack != trend.pack or y.scored_total != y.total for y in trend.years
    )
    if not then_differs:
        heads = heads[:-1]
    pack_column = len(heads) - 1 if then_differs else None
    table = Table()
    for index, head in enumerate(heads):
        table.add_column(
            escape(head),
            justify="left" if index in (0, 3) or index == pack_column else "right",
            no_wrap=index != pack_column,
            overflow="fold",
        )
    for year in trend.years:
        # Against the year before: what was closed, what is new, what got worse.
        moved = year.since_counts
        table.add_row(
            str(year.year),
            number(year.total),
            signed(year.delta),
            escape(pack.title_of(year.grade).get(lang)),
            str(year.gaps),
            *(("-", "-", "-") if moved is None else (str(n) for n in moved)),
            *(
                [escape(f"{year.scored_pack} ({number(year.scored_total)})")]
                if then_differs
                else []
            ),
        )
    console.print(table)
    # Areas down, years across: a column per area would not fit 80 columns.
    area_head = {Lang.zh: "领域得分率", Lang.en: "Area score"}[lang]
    per_table = max(1, (console.width - _AREA_WIDTH - 4) // _YEAR_WIDTH)
    for first in range(0, len(trend.years), per_table):
        shown = trend.years[first : first + per_table]
        areas = Table()
        areas.add_column(escape(area_head), overflow="fold", max_width=_AREA_WIDTH)
        for year in shown:
            areas.add_column(str(year.year), justify="right", no_wrap=True)
        for index, area in enumerate(trend.areas):
            scores = (y.areas[index] for y in shown)
            areas.add_row(
                escape(pack.title_of(area).get(lang)),
                *("-" if score is None else number(score) for score in scores),
            )
        console.print(areas)

    def statuses(row: TrendRow) -> str:
        return " → ".join(STATUS_TEXT[s].get(lang) for s in row.statuses)

    def indicator(row: TrendRow) -> str:
        return f"{row.rule_id} {pack.rule(row.rule_id).indicator.get(lang)}"

    persistent = [r for r in trend.rows if r.persistent]
    label = Text("持续存在的问题（连续两年及以上）", "Persistent gaps (two or more years running)")
    console.print(f"[bold]{escape(label.get(lang))}[/bold] ({len(persistent)})")
    for row in persistent:
        still = Text("仍未整改", "still open") if row.open_run else Text("已整改", "closed")
        console.print(f"  {indicator(row)}  [{statuses(row)}; {still.get(lang)}]", markup=False)
    regressed = [r for r in trend.rows if r.regressed]
    label = Text("退步", "Regressions")
    console.print(f"[bold]{escape(label.get(lang))}[/bold] ({len(regressed)})")
    for row in regressed:
        years = "、".join(str(y) for y in row.regressed_in)
        console.print(f"  {indicator(row)}  [{statuses(row)}; {years}]", markup=False)
