"""``checklist batch PATH...``: score a season's submissions and write the county roll-up."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from checklist.commands.options import (
    DbOption,
    LangOption,
    OutputOption,
    RulesOption,
    console,
    load_rules,
    user_errors,
)
from checklist.commands.waivers import WaiversOption, load_waiver_list
from checklist.text import Lang, Text, json_printable

if TYPE_CHECKING:
    from rich.console import Console

    from checklist.batch.rollup import SurveyCount
    from checklist.batch.run import BatchRun
    from checklist.model import RulePack


_TABLE_ROWS = 30
"""Most units listed on screen."""


@user_errors
def batch(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Folders (searched recursively), files or .zip archives of submissions."
        ),
    ],
    roster: Annotated[
        Path | None,
        typer.Option(
            "--roster",
            help="The units expected to submit (.xlsx/.xls/.ods/.csv with a 单位名称 column).",
            show_default=False,
        ),
    ] = None,
    year: Annotated[
        int | None,
        typer.Option(
            "--year", help="The season (default: the year most forms carry).", show_default=False
        ),
    ] = None,
    output: OutputOption = None,
    reports: Annotated[
        Path | None,
        typer.Option(
            "--reports", help="Folder for every scored unit's gap report.", show_default=False
        ),
    ] = None,
    save: Annotated[
        bool, typer.Option("--save", help="Save every scored unit in the history database.")
    ] = False,
    replace: Annotated[
        bool, typer.Option("--replace", help="With --save: replace unit-years already saved.")
    ] = False,
    db: DbOption = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            min=1,
            help="Files read at once (default: the number of CPUs).",
            show_default=False,
        ),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option("--timeout", min=1, help="Seconds one file may take before it is given up."),
    ] = 60.0,
    json_out: Annotated[
        bool,
        typer.Option("--json", help="Print the roll-up as JSON (the workbook is still written)."),
    ] = False,
    lang: LangOption = Lang.zh,
    rules: RulesOption = None,
    waivers: WaiversOption = None,
) -> None:
    """Score every unit's form in a season's folder and write the county roll-up.

    Lists who has not submitted, every unit's score, coverage, the gaps most
    units share, averages per town and unit type, and what to check (failed
    and skipped files, superseded versions, unmatched names, copied answers).
    Exit code 0 when every file was read, 1 when some could not be.
    """
    from checklist.batch.export import rollup_json
    from checklist.batch.run import BatchOptions, run_batch
    from checklist.history import DB_ENV_VAR

    pack = load_rules(rules)
    options = BatchOptions(
        paths=tuple(paths),
        roster=roster,
        year=year,
        output=output,
        reports=reports,
        save=save,
        replace=replace,
        db=db,
        history=save or db is not None or bool(os.environ.get(DB_ENV_VAR)),
        jobs=jobs or os.cpu_count() or 1,
        timeout=timeout,
        lang=lang.value,
        waivers=load_waiver_list(waivers),
    )
    try:
        if sys.stderr.isatty():
            from rich.progress import Progress

            with Progress(console=_stderr(), transient=True) as bar:
                task = bar.add_task(Text("读取", "Reading").get(lang), total=None)
                run = run_batch(
                    options, pack, lambda done, total: bar.update(task, completed=done, total=total)
                )
        else:
            run = run_batch(options, pack)
    except KeyboardInterrupt:
        typer.echo(
            Text("已中止，未写入任何文件。", "Stopped; nothing was written.").get(lang), err=True
        )
        raise typer.Exit(130) from None
    if json_out:
        saved = {
            "saved": list(run.saved),
            "not_saved": [{"unit": name, "reason": why.get(lang)} for name, why in run.not_saved],
        }
        # Unit by unit: a province's JSON is never held whole (batch.export.rollup_json).
        for piece in rollup_json(run.rollup, run.output, lang, saved if save else None):
            typer.echo(json_printable(piece), nl=False)
        typer.echo("")
    else:
        _print(run, pack, lang)
    if run.rollup.failed:
        raise typer.Exit(1)


def _print(run: BatchRun, pack: RulePack, lang: Lang) -> None:
    from rich.markup import escape
    from rich.table import Table

    from checklist.display import number

    rollup = run.rollup
    stats = rollup.stats
    table = Table(title=Text(f"{rollup.year or ''} 汇总", f"Roll-up {rollup.year or ''}").get(lang))
    heads = {
        Lang.zh: ("单位", "镇（街道）", "总分", "等次", "缺项"),
        Lang.en: ("Unit", "Town", "Total", "Grade", "Gaps"),
    }[lang]
    for head in heads:
        table.add_column(head, overflow="fold")
    shown = sorted(rollup.scored, key=lambda r: r.chosen.total if r.chosen else 0.0)
    if len(shown) > _TABLE_ROWS:
        # A county of hundreds: the lowest scores on screen, everything in the roll-up.
        table.caption = Text(
            f"得分最低的 {_TABLE_ROWS} 个单位（共 {len(shown)} 个，见汇总表）",
            f"The {_TABLE_ROWS} lowest of {len(shown)} units (all in the roll-up)",
        ).get(lang)
        shown = shown[:_TABLE_ROWS]
    else:
        shown = list(rollup.scored)
    for row in shown:
        assert row.chosen is not None
        table.add_row(
            escape(row.name),
            escape(row.town),
            number(row.chosen.total),
            escape(pack.grade(row.chosen.grade).title.get(lang)),
            str(len(row.chosen.gaps)),
        )
    out = console()
    out.print(table)
    lines = [
        Text(
            f"名单 {stats.expected} 个单位：已评分 {stats.scored}，未报送 {stats.missing}；"
            f"无法读取的文件 {stats.failed}，跳过 {len(rollup.skipped)}，"
            f"不在名单 {len(rollup.unmatched)}，疑似雷同 {len(rollup.copied)} 对。",
            f"{stats.expected} units: {stats.scored} scored, {stats.missing} missing; "
            f"{stats.failed} unreadable files, {len(rollup.skipped)} skipped, "
            f"{len(rollup.unmatched)} not on the roster, {len(rollup.copied)} copied pairs.",
        ),
        *(_survey_line(s) for s in rollup.surveys),
        Text(f"汇总表已写入 {run.output}", f"Roll-up written to {run.output}"),
    ]
    if run.saved:
        lines.append(
            Text(
                f"已保存 {len(run.saved)} 个单位到历史数据库。",
                f"Saved {len(run.saved)} units to history.",
            )
        )
    for name, why in run.not_saved:
        lines.append(Text(f"未保存 {name}：{why.zh}", f"Not saved {name}: {why.en}"))
    for line in lines:
        out.print(line.get(lang), markup=False)


def _survey_line(survey: SurveyCount) -> Text:
    """How many units one survey file gave: one file, many submissions."""
    zh = f"其中 1 个文件是调查表（每行一个单位）：{survey.file}，{survey.units} 个单位"
    en = f"1 file is a survey (one unit per row): {survey.file}, {survey.units} units"
    if survey.unnamed:
        zh += f"；另有 {survey.unnamed} 行没有单位名称，未评分（见汇总表“核查”）"
        rows = "1 row" if survey.unnamed == 1 else f"{survey.unnamed} rows"
        en += f"; {rows} without a unit name not scored (see Checks)"
    return Text(zh + "。", en + ".")


def _stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True)
