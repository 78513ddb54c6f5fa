"""``checklist compare OLD NEW``: one unit's two assessments side by side."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from checklist.codes import ErrorCode
from checklist.commands.options import (
    DbOption,
    JsonOption,
    LangOption,
    OutputOption,
    RulesOption,
    console,
    echo_json,
    load_rules,
    loadable_packs,
    say,
    user_errors,
)
from checklist.errors import ChecklistError
from checklist.text import Lang, Text

if TYPE_CHECKING:
    from checklist.model import Result, RulePack

InputArgument = Annotated[
    Path,
    typer.Argument(
        help="A unit's workbook (.xlsx, .xls, .ods, .et, .csv) or a JSON result from "
        "'checklist score --json'.",
    ),
]


def _is_json(path: Path) -> bool:
    return path.suffix.lower() == ".json"


def _display_pack(loaded: RulePack | None, then: Result, now: Result) -> RulePack | None:
    """The pack whose texts label the output: the one given, else the results' own if built in."""
    if loaded is not None:
        return loaded
    return next(iter(loadable_packs((now.pack_id, then.pack_id)).values()), None)


def _saved_as_one_unit(then: Result, now: Result, db: Path | None) -> str | None:
    """The name of the one saved unit both assessments' names fit, or None.

    Either name may be a short, traditional or former name of it; a name that
    fits several saved units is refused with them listed.
    """
    from checklist.history import open_history, resolve_db_path

    if not resolve_db_path(db).exists():
        return None
    found = []
    with open_history(db, create=False) as history:
        for result in (then, now):
            try:
                found.append(history.require_unit(result.unit.name))
            except ChecklistError as error:
                if error.code == "unit_not_found":
                    return None
                raise
    return found[0].name if found[0].id == found[1].id else None


@user_errors
def compare(
    old: InputArgument,
    new: InputArgument,
    output: OutputOption = None,
    json_out: JsonOption = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Compare even if the two files seem to be different units."),
    ] = False,
    rules: RulesOption = None,
    db: DbOption = None,
    lang: LangOption = Lang.zh,
) -> None:
    """Compare two assessments of one unit: closed, new, persistent and regressed gaps.

    OLD and NEW are workbooks (scored now under --rules) or JSON results (used
    as scored; with --rules they are re-scored from their answers under that
    pack, so both years are judged by the same rules). With -o, also writes
    the comparison workbook (or, for a .json name, the comparison as JSON).
    Names that differ (a short name, a former name) are taken as one unit when
    exactly one unit saved in the history database fits both.
    """
    from checklist.compare import compare as compare_results
    from checklist.compare import comparison_to_dict
    from checklist.output import require_suffix, same_file
    from checklist.pipeline import assess_file, load_result
    from checklist.rescore import rescore_result

    if output is not None:
        require_suffix(output)
    if same_file(old, new):
        raise ChecklistError(
            Text(
                f"OLD 与 NEW 是同一个文件（{old}），无从比较。请给出同一单位两个年度的文件。",
                f"OLD and NEW are the same file ({old}); there is nothing to compare. "
                "Give two years of one unit.",
            ),
            code=ErrorCode.same_input,
        )

    pack = load_rules(rules) if rules is not None or not all(map(_is_json, (old, new))) else None

    def read(path: Path) -> Result:
        if _is_json(path):
            result = load_result(path)
            return rescore_result(result, pack) if pack is not None and rules else result
        assert pack is not None  # loaded above whenever an input is a workbook
        return assess_file(path, pack)[1]

    results = (read(old), read(new))
    then, now = results
    if then.unit.year is not None and now.unit.year is not None and then.unit.year > now.unit.year:
        then, now = now, then
        say(
            Text(
                f"注意：{old.name} 是较新的年度（{now.unit.year}），"
                f"已按 {then.unit.year} → {now.unit.year} 比较。",
                f"Note: {old.name} is the later year; comparing {then.unit.year} → {now.unit.year}.",
            ),
            lang,
            err=True,
        )
    try:
        comparison = compare_results(then, now, force=force)
    except ChecklistError as error:
        saved = _saved_as_one_unit(then, now, db) if error.code == "different_unit" else None
        if saved is None:
            raise
        comparison = compare_results(then, now, force=True)
        say(
            Text(
                f"注意：两份自评的单位名称不同，历史数据库中都指“{saved}”，按同一单位比较。",
                f"Note: the two assessments name the unit differently; in the history "
                f"database both are '{saved}', so they are compared as one unit.",
            ),
            lang,
            err=True,
        )
    display = _display_pack(pack, then, now)

    if output is not None and output.suffix.lower() == ".json":
        from checklist.output import write_json_file

        written = write_json_file(output, comparison_to_dict(comparison), (old, new))
    elif output is not None:
        from checklist.report.compare_report import write_compare_report

        written = write_compare_report(comparison, display, output, lang, inputs=(old, new))
    if json_out:
        echo_json(comparison_to_dict(comparison))
    else:
        from checklist.report.terminal_compare import print_comparison

        print_comparison(comparison, display, lang, console())
    if output is not None:
        say(Text(f"已写入 {written}", f"Wrote {written}"), lang, err=json_out)
