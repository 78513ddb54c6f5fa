"""``checklist history list|show|remove|rescore``: the saved assessments."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from checklist.codes import ErrorCode
from checklist.commands.options import (
    DbOption,
    JsonOption,
    LangOption,
    RulesOption,
    console,
    echo_json,
    load_rules,
    loadable_packs,
    say,
    user_errors,
)
from checklist.errors import ChecklistError
from checklist.text import Lang, Text, printable

if TYPE_CHECKING:
    from checklist.history import History
    from checklist.saved import Entry

app = typer.Typer(
    help="Saved assessments in the history database: list, show, remove, re-score.",
    no_args_is_help=True,
)

UnitArgument = Annotated[
    str, typer.Argument(help="Unit name, in any spelling (东林村, 城厢镇东林村村委会 …).")
]
YearArgument = Annotated[int, typer.Argument(help="Assessment year, e.g. 2024.")]


def report_damage(history: History, lang: Lang) -> None:
    """One line on stderr per damaged record met (the rest was used as usual)."""
    for message in history.damage:
        say(message, lang, err=True)


@app.command("list")
@user_errors
def history_list(
    unit: Annotated[
        str | None,
        typer.Option(
            "--unit", help="Only this unit (any spelling of its name).", show_default=False
        ),
    ] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
    lang: LangOption = Lang.zh,
) -> None:
    """List saved assessments, by unit and year."""
    from checklist.history import open_history

    with open_history(db, create=False) as history:
        entries = history.list_assessments(unit)
        path = history.path
        report_damage(history, lang)
    if json_out:
        from checklist.report.history_json import listing_to_dict

        echo_json(listing_to_dict(path, entries))
        return
    from checklist.report.terminal_history import print_entries

    print_entries(entries, path, loadable_packs(e.pack.id for e in entries), lang, console())


@app.command("show")
@user_errors
def history_show(
    unit: UnitArgument,
    year: YearArgument,
    db: DbOption = None,
    json_out: JsonOption = False,
    lang: LangOption = Lang.zh,
) -> None:
    """Show one saved assessment: unit, source, packs, scores and every raw answer."""
    from checklist.history import open_history

    with open_history(db, create=False) as history:
        stored = history.get(unit, year)
        report_damage(history, lang)
    if json_out:
        from checklist.report.history_json import stored_to_dict

        echo_json(stored_to_dict(stored, lang))
        return
    from checklist.report.terminal_history import print_stored

    packs = loadable_packs((stored.entry.pack.id, stored.entry.scored_pack.id))
    print_stored(stored, packs, lang, console())


@app.command("remove")
@user_errors
def history_remove(
    unit: UnitArgument,
    year: YearArgument,
    db: DbOption = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Remove without asking.")] = False,
    lang: LangOption = Lang.zh,
) -> None:
    """Delete one saved assessment (its answers and result), after asking unless --yes."""
    from checklist.history import open_history

    with open_history(db, create=False) as history:
        found = history.get(unit, year).entry
        path = history.path
        if not yes and not _confirmed(found, path, lang):
            say(Text("未删除。", "Nothing removed."), lang, err=True)
            raise typer.Exit(1)
        entry = history.remove(found.unit_name, found.year)
    message = Text(
        f"已从 {path} 删除“{entry.unit_name}” {entry.year} 年度的自评。",
        f"Removed the {entry.year} assessment of '{entry.unit_name}' from {path}.",
    )
    say(message, lang)


def _confirmed(entry: Entry, path: Path, lang: Lang) -> bool:
    """Ask on the terminal; with nobody to answer (no input), refuse with a hint."""
    question = Text(
        f"从 {path} 删除“{entry.unit_name}” {entry.year} 年度的自评（总分 {entry.total:g}）？",
        f"Remove the {entry.year} assessment of '{entry.unit_name}' (total {entry.total:g}) "
        f"from {path}?",
    )
    try:
        return typer.confirm(printable(question.get(lang)), default=False, err=True)
    except typer.Abort:
        typer.echo("", err=True)  # end the unanswered question's line
        raise ChecklistError(
            Text(
                "未删除：没有可回答确认的输入。确定要删除时请加 --yes。",
                "Nothing removed: there is no input to answer the confirmation. Add --yes to "
                "remove without asking.",
            ),
            code=ErrorCode.confirmation_needed,
        ) from None


@app.command("rescore")
@user_errors
def history_rescore(
    rules: RulesOption = None,
    unit: Annotated[
        str | None,
        typer.Option("--unit", help="Only this unit (default: every unit).", show_default=False),
    ] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
    lang: LangOption = Lang.zh,
) -> None:
    """Re-score every saved assessment from its raw answers under one pack, so years compare like for like.

    Raw answers are never changed; the result as first saved is kept beside
    the new one.
    """
    from checklist.history import open_history

    pack = load_rules(rules)
    with open_history(db, create=False) as history:
        report = history.rescore(pack, unit)
        report_damage(history, lang)
    if json_out:
        from checklist.report.history_json import rescore_to_dict

        echo_json(rescore_to_dict(report))
        return
    from checklist.report.terminal_history import print_rescore

    print_rescore(report, pack, lang, console())
