"""``checklist history list|show|remove|rescore``: the saved assessments."""

from __future__ import annotations

from typing import Annotated

import typer

from checklist.commands.options import (
    DbOption,
    JsonOption,
    LangOption,
    RulesOption,
    console,
    echo_json,
    load_rules,
    loadable_packs,
    user_errors,
)
from checklist.text import Lang, Text

app = typer.Typer(
    help="Saved assessments in the history database: list, show, remove, re-score.",
    no_args_is_help=True,
)

UnitArgument = Annotated[
    str, typer.Argument(help="Unit name, in any spelling (东林村, 城厢镇东林村村委会 …).")
]
YearArgument = Annotated[int, typer.Argument(help="Assessment year, e.g. 2024.")]


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
    lang: LangOption = Lang.zh,
) -> None:
    """Delete one saved assessment (its answers and result)."""
    from checklist.history import open_history

    with open_history(db, create=False) as history:
        entry = history.remove(unit, year)
        path = history.path
    message = Text(
        f"已从 {path} 删除“{entry.unit_name}” {entry.year} 年度的自评。",
        f"Removed the {entry.year} assessment of '{entry.unit_name}' from {path}.",
    )
    typer.echo(message.get(lang))


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
    if json_out:
        from checklist.report.history_json import rescore_to_dict

        echo_json(rescore_to_dict(report))
        return
    from checklist.report.terminal_history import print_rescore

    print_rescore(report, pack, lang, console())
