"""Options and helpers shared by every command."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from checklist.errors import ChecklistError
from checklist.text import Lang

F = TypeVar("F", bound=Callable[..., Any])

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
        help="Rule pack: a built-in pack id (default grassroots) or a pack folder.",
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


def user_errors(command: F) -> F:
    """Turn a ChecklistError into one message on stderr and exit code 2."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ChecklistError as error:
            lang = kwargs.get("lang") or Lang.zh
            typer.echo(error.render(lang), err=True)
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


def console() -> Any:
    """A rich console for terminal output."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def echo_json(data: object) -> None:
    """Print ``data`` as UTF-8 JSON."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def load_rules(rules: str | Path | None) -> Any:
    """Load and validate a rule pack (imports pydantic only now)."""
    from checklist.rulepack import load_pack

    return load_pack(rules)
