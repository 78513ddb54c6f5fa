"""Options and helpers shared by every command."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer

from checklist.errors import ChecklistError
from checklist.text import Lang, Text, json_printable, printable

if TYPE_CHECKING:
    # Types only: rich and the pack loader (pydantic) are imported when a
    # command runs, so that --help stays fast.
    from rich.console import Console

    from checklist.model import RulePack

P = ParamSpec("P")
R = TypeVar("R")

LangOption = Annotated[
    Lang,
    typer.Option(
        "--lang",
        envvar="CHECKLIST_LANG",
        help="Language of messages and reports: zh (simplified Chinese) or en.",
    ),
]
RulesOption = Annotated[
    str | None,
    typer.Option(
        "--rules",
        help="Rule pack: a built-in pack id (default grassroots), a pack folder or a pack "
        "workbook (.xlsx).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="History database file (default: $CHECKLIST_DB, else checklist-history.db "
        "in the current folder).",
        show_default=False,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option("-o", "--output", help="Where to write the output file.", show_default=False),
]


def user_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn a ChecklistError into one message on stderr and exit code 2."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except ChecklistError as error:
            lang = kwargs.get("lang") or Lang.zh
            typer.echo(error.render(str(lang)), err=True)
            raise typer.Exit(2) from None

    return wrapper


def console() -> Console:
    """A rich console for terminal output that prints control characters as escapes."""
    from checklist.report.terminal_console import safe_console

    return safe_console()


def say(message: Text | str, lang: Lang | str = Lang.zh, *, err: bool = False) -> None:
    """Print one message (in ``lang``) with control characters shown as escapes."""
    text = message.get(lang) if isinstance(message, Text) else message
    typer.echo(printable(text), err=err)


def echo_json(data: object) -> None:
    """Print ``data`` as UTF-8 JSON; control and bidi characters as JSON escapes."""
    import json  # not at start-up: --help never needs it

    typer.echo(json_printable(json.dumps(data, ensure_ascii=False, indent=2)))


def load_rules(rules: str | Path | None) -> RulePack:
    """Load and validate a rule pack (imports pydantic only now)."""
    from checklist.rulepack import load_pack

    return load_pack(rules)


def loadable_packs(pack_ids: Iterable[str]) -> dict[str, RulePack]:
    """The packs among ``pack_ids`` that can be loaded by id (the built-in ones), by id.

    Saved and JSON results name the pack that scored them; its texts label
    them when it is at hand, and ids stand in when it is not.
    """
    packs: dict[str, RulePack] = {}
    for pack_id in dict.fromkeys(pack_ids):
        try:
            pack = load_rules(pack_id)
        except ChecklistError:
            continue
        if pack.id == pack_id:
            packs[pack_id] = pack
    return packs
