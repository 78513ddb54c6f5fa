"""``checklist trend UNIT``: one unit over all its saved years, re-scored under one pack."""

from __future__ import annotations

from typing import Annotated

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
    say,
    user_errors,
)
from checklist.commands.waivers import WaiversOption, load_waiver_list
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
    waivers: WaiversOption = None,
    lang: LangOption = Lang.zh,
) -> None:
    """Show a unit's scores over all its saved years, every year re-scored under one pack.

    Persistent gaps (a gap two or more saved years running) come first, then
    regressions. With -o, also writes the trend workbook (scores per year with
    a line chart, and a colour-coded rule × year status grid).
    """
    from checklist.commands.history import report_damage
    from checklist.history import open_history
    from checklist.trend import build_trend, trend_to_dict

    if output is not None:
        from checklist.output import require_suffix

        require_suffix(output)
    pack = load_rules(rules)
    chosen = load_waiver_list(waivers)
    with open_history(db, create=False) as history:
        found = history.unit_history(unit)
        report_damage(history, lang)
    result = build_trend(found.unit, found.assessments, pack, chosen)
    if output is not None and output.suffix.lower() == ".json":
        from checklist.output import write_json_file

        written = write_json_file(output, trend_to_dict(result))
    elif output is not None:
        from checklist.report.trend_report import write_trend_report

        written = write_trend_report(result, pack, output, lang)
    if json_out:
        echo_json(trend_to_dict(result))
    else:
        from checklist.report.terminal_trend import print_trend

        print_trend(result, pack, lang, console())
    if output is not None:
        say(Text(f"已写入 {written}", f"Wrote {written}"), lang, err=json_out)
