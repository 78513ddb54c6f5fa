"""``checklist score FILE``: read a unit's workbook, score it, write the gap report."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Annotated

import typer

from checklist.codes import ErrorCode
from checklist.commands.options import (
    DbOption,
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
from checklist.errors import ChecklistError
from checklist.text import Lang, Text


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
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Leave out the intake notes after the summary.")
    ] = False,
    waivers: WaiversOption = None,
    lang: LangOption = Lang.zh,
) -> None:
    """Score one unit's self-assessment, write its gap report and print a summary.

    The report goes to <input name>-report.xlsx in the current folder unless
    -o names another file (.xlsx, or .json for the JSON result). With --save
    or --db, the report shows the change since the unit's previous saved year.
    """
    from checklist.envvars import DB_ENV_VAR
    from checklist.intake import not_a_filled_form
    from checklist.output import refuse_inputs, require_suffix
    from checklist.pipeline import assess_file, previous_comparison
    from checklist.report import ReportFormat, previous_to_dict, reporter
    from checklist.serialize import result_to_dict
    from checklist.waivers import note_other_units

    if replace and not save:
        raise ChecklistError(
            Text(
                "--replace 只能与 --save 一起使用（替换已保存的年度）。请加上 --save，或去掉 --replace。",
                "--replace only works with --save (it replaces a saved year). Add --save or "
                "drop --replace.",
            ),
            code=ErrorCode.replace_without_save,
        )
    target = output if output is not None else default_report_path(file)
    # Refused before anything is saved, so a mistaken -o leaves no trace in history.
    if output is not None:
        require_suffix(output)
    refuse_inputs(target, (file, *([waivers] if waivers else [])))
    pack = load_rules(rules)
    waiver_list = load_waiver_list(waivers)
    assessment, result = assess_file(file, pack, waiver_list)
    result = note_other_units(result, waiver_list)
    doubt = not_a_filled_form(assessment)
    if doubt is not None and save:
        raise ChecklistError(
            Text(
                f"{file.name}：{doubt.zh}，不能保存到历史数据库。请填写单位名称和各项答案后再保存。",
                f"{file.name}: {doubt.en}; it cannot be saved in the history database. Fill in "
                "the unit name and the answers, then save it.",
            ),
            code=ErrorCode.not_a_filled_form,
        )
    comparison = None
    if save or db is not None or os.environ.get(DB_ENV_VAR):
        comparison = previous_comparison(result, pack, db, required=db is not None and not save)

    fmt = ReportFormat.json if target.suffix.lower() == ".json" else ReportFormat.xlsx
    with contextlib.ExitStack() as stack:
        saved = None
        if save:
            from checklist.history import open_history

            # Whether the save can happen (year known, not saved yet, database
            # writable and free) is settled here, before the report is written;
            # the save commits only once the report is written.
            history = stack.enter_context(open_history(db))
            saved = stack.enter_context(
                history.saving(assessment, result, source=file, replace=replace)
            )
        written = reporter(fmt)(result, pack, target, lang, inputs=(file,), comparison=comparison)
    if json_out:
        data = result_to_dict(result, lang)
        if comparison is not None:
            data["previous"] = previous_to_dict(comparison)
        echo_json({**data, "report": str(written)})
    else:
        from checklist.report.terminal import print_summary

        print_summary(
            result, pack, lang, console(), written, comparison=comparison, notes=not quiet
        )
    if doubt is not None:
        say(Text(f"注意：{doubt.zh}。", f"Warning: {doubt.en}."), lang, err=True)
    if saved is not None:
        say(
            Text(
                f"已保存到历史数据库 {history.path}：“{saved.unit_name}” {saved.year} 年度"
                f"（总分 {saved.total:g}）。",
                f"Saved '{saved.unit_name}' {saved.year} (total {saved.total:g}) in the "
                f"history database {history.path}.",
            ),
            lang,
            err=json_out,
        )
