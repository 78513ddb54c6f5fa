"""``checklist score FILE``: read a unit's workbook, score it, write the gap report."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from checklist.commands.options import (
    DbOption,
    LangOption,
    OutputOption,
    RulesOption,
    console,
    echo_json,
    load_rules,
    user_errors,
)
from checklist.text import Lang


def default_report_path(source: Path, folder: Path | None = None) -> Path:
    """``<input name>-report.xlsx`` in ``folder`` (the current folder by default)."""
    return (folder or Path.cwd()) / f"{Path(source).stem}-report.xlsx"


@user_errors
def score(
    file: Annotated[
        Path,
        typer.Argument(
            help="The unit's self-assessment workbook (.xlsx, .xlsm, .xls, .ods, .et, .csv)."
        ),
    ],
    output: OutputOption = None,
    rules: RulesOption = None,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print the JSON result instead of the summary.")
    ] = False,
    save: Annotated[
        bool, typer.Option("--save", help="Save the assessment in the history database.")
    ] = False,
    replace: Annotated[
        bool, typer.Option("--replace", help="With --save: replace the unit's saved year.")
    ] = False,
    db: DbOption = None,
    lang: LangOption = Lang.zh,
) -> None:
    """Score one unit's self-assessment, write its gap report and print a summary.

    The report goes to <input name>-report.xlsx in the current folder unless
    -o names another file (.xlsx, or .json for the JSON result). With --save
    or --db, the report shows the change since the unit's previous saved year.
    """
    from checklist.history import DB_ENV_VAR
    from checklist.output import refuse_inputs
    from checklist.pipeline import assess_file, previous_comparison, save_assessment
    from checklist.report import ReportFormat, previous_to_dict, reporter
    from checklist.serialize import result_to_dict

    target = output if output is not None else default_report_path(file)
    # Refused before anything is saved, so a mistaken -o leaves no trace in history.
    refuse_inputs(target, (file,))
    pack = load_rules(rules)
    assessment, result = assess_file(file, pack)
    comparison = None
    if save or db is not None or os.environ.get(DB_ENV_VAR):
        comparison = previous_comparison(result, pack, db, required=db is not None and not save)

    fmt = ReportFormat.json if target.suffix.lower() == ".json" else ReportFormat.xlsx
    written = reporter(fmt)(result, pack, target, lang, inputs=(file,), comparison=comparison)
    # Saved only once the report is written: a failed write leaves history as it was.
    if save:
        save_assessment(assessment, result, db, source=file, replace=replace)
    if json_out:
        data = result_to_dict(result, lang)
        if comparison is not None:
            data["previous"] = previous_to_dict(comparison)
        echo_json({**data, "report": str(written)})
        return
    from checklist.report.terminal import print_summary

    print_summary(result, pack, lang, console(), written, comparison=comparison)
