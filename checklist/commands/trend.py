"""``checklist trend UNIT``: one unit over all its saved years, re-scored under one pack."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from checklist.commands.options import (
    DbOption,
    JsonOption,
    LangOption,
    OutputOption,
    RulesOption,
    console,
    echo_json,
    load_rules,
    user_errors,
)
from checklist.text import Lang, Text


@user_errors
def trend(
    unit: Annotated[
        str, typer.Argument(help="Unit name, in any spelling (东林村, 城厢镇东林村村委会 …).")
    ],
    output: OutputOption = None,
    db: DbOption = None,
    rules: RulesOption = None,
    json_out: JsonOption = False,
    lang: LangOption = Lang.zh,
) -> None:
    """Show a unit's scores over all its saved years, every year re-scored under one pack.

    Persistent gaps (a gap two or more saved years running) come first, then
    regressions. With -o, also writes the trend workbook (scores per year with
    a line chart, and a colour-coded rule × year status grid).
    """
    from checklist.history import open_history
    from checklist.trend import build_trend, trend_to_dict

    pack = load_rules(rules)
    with open_history(db, create=False) as history:
        found = history.unit_history(unit)
    result = build_trend(found.unit, found.assessments, pack)
    if output is not None:
        from checklist.report.trend_report import write_trend_report

        written = write_trend_report(result, pack, output, lang)
    if json_out:
        echo_json(trend_to_dict(result))
    else:
        _print_summary(result, pack, lang)
    if output is not None:
        typer.echo(Text(f"已写入 {written}", f"Wrote {written}").get(lang), err=json_out)


def _print_summary(trend: Any, pack: Any, lang: Lang) -> None:
    from rich.markup import escape
    from rich.table import Table

    from checklist.display import STATUS_TEXT, number

    out = console()
    title = Text(
        f"{trend.unit_name}：{len(trend.years)} 个年度，均按规则包 {pack.title.zh} "
        f"{trend.pack.id} {trend.pack.version} 重新评分",
        f"{trend.unit_name}: {len(trend.years)} years, all re-scored under {pack.title.en} "
        f"{trend.pack.id} {trend.pack.version}",
    )
    out.print(f"[bold]{escape(title.get(lang))}[/bold]")
    heads = {
        Lang.zh: ["年度", "总分", "变化", "等次", "问题数"],
        Lang.en: ["Year", "Total", "Change", "Grade", "Gaps"],
    }[lang]
    heads += [pack.area(a).title.get(lang) for a in trend.areas]
    heads.append({Lang.zh: "当年评分规则包（得分）", Lang.en: "Scored when saved by"}[lang])
    table = Table()
    for index, head in enumerate(heads):
        table.add_column(
            escape(head), justify="left" if index in (0, 3, len(heads) - 1) else "right"
        )
    for year in trend.years:
        delta = "-" if year.delta is None else ("+" if year.delta > 0 else "") + number(year.delta)
        table.add_row(
            str(year.year),
            number(year.total),
            delta,
            escape(pack.grade(year.grade).title.get(lang)),
            str(year.gaps),
            *("-" if s is None else number(s) for s in year.areas),
            escape(f"{year.scored_pack} ({number(year.scored_total)})"),
        )
    out.print(table)

    def statuses(row: Any) -> str:
        return " → ".join(STATUS_TEXT[s].get(lang) for s in row.statuses)

    persistent = [r for r in trend.rows if r.persistent]
    label = Text("持续存在的问题（连续两年及以上）", "Persistent gaps (two or more years running)")
    out.print(f"[bold]{escape(label.get(lang))}[/bold] ({len(persistent)})")
    for row in persistent:
        still = Text("仍未整改", "still open") if row.open_run else Text("已整改", "closed")
        out.print(
            f"  {row.rule_id} {pack.rule(row.rule_id).indicator.get(lang)}  "
            f"[{statuses(row)}; {still.get(lang)}]",
            markup=False,
        )
    regressed = [r for r in trend.rows if r.regressed]
    label = Text("退步", "Regressions")
    out.print(f"[bold]{escape(label.get(lang))}[/bold] ({len(regressed)})")
    for row in regressed:
        years = "、".join(str(y) for y in row.regressed_in)
        out.print(
            f"  {row.rule_id} {pack.rule(row.rule_id).indicator.get(lang)}  [{statuses(row)}; {years}]",
            markup=False,
        )
