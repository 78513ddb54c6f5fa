"""``checklist demo``: the main job on the bundled example data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from checklist.commands.options import LangOption, RulesOption, console, load_rules, user_errors
from checklist.text import Lang, Text


@user_errors
def demo(
    output: Annotated[
        Path,
        typer.Option("-o", "--output", help="Folder for the reports."),
    ] = Path("reports"),
    rules: RulesOption = None,
    lang: LangOption = Lang.zh,
) -> None:
    """Score the bundled example assessments and write their reports (into ./reports).

    Six units over three years, in the mess real forms arrive in. Each report
    shows the change since the unit's previous year; one unit also gets a
    comparison of its last two years and a trend workbook over all three.
    """
    from rich.markup import escape
    from rich.table import Table

    from checklist.demo import run_demo
    from checklist.display import number

    pack = load_rules(rules)
    run = run_demo(pack, output, lang)
    heads = {
        Lang.zh: ("单位", "年度", "总分", "等次", "问题", "报告"),
        Lang.en: ("Unit", "Year", "Total", "Grade", "Gaps", "Report"),
    }[lang]
    table = Table(title=Text("示例评分", "Example scores").get(lang))
    for head in heads:
        table.add_column(head, overflow="fold")
    for item in run.reports:
        result = item.result
        gaps = sum(1 for r in result.rules if r.is_gap)
        table.add_row(
            escape(result.unit.name),
            str(result.unit.year or ""),
            number(result.score.total),
            escape(pack.grade(result.score.grade).title.get(lang)),
            str(gaps),
            escape(item.report.name),
        )
    out = console()
    out.print(table)
    out.print(
        Text(f"报告已写入 {output}/", f"Reports written to {output}/").get(lang), markup=False
    )
    for label, path in (
        (Text("年度对比", "Year-over-year comparison"), run.compare_report),
        (Text("历年趋势", "Trend"), run.trend_report),
    ):
        if path is not None:
            out.print(f"{label.get(lang)}: {path}", markup=False)
    for path in run.rollups:
        out.print(f"{Text('县级汇总', 'County roll-up').get(lang)}: {path}", markup=False)
