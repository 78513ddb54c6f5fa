"""The command line: a thin shell over the library.

Commands parse options, call the library and print. A :class:`ChecklistError`
becomes one message on stderr and exit code 2. Heavy modules (openpyxl,
rapidfuzz, pydantic) are imported inside commands so that ``--help`` stays fast.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from checklist import __version__
from checklist.errors import ChecklistError
from checklist.text import Lang

if TYPE_CHECKING:
    from checklist.model import RulePack

app = typer.Typer(
    name="checklist",
    help="Score grassroots 群团 self-assessment spreadsheets against rules and write gap reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
rules_app = typer.Typer(help="List, show and validate rule packs.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")

F = TypeVar("F", bound=Callable[..., Any])


def _default_lang() -> Lang:
    return Lang.en if os.environ.get("CHECKLIST_LANG", "").lower().startswith("en") else Lang.zh


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


def user_errors(command: F) -> F:
    """Turn a ChecklistError into one message on stderr and exit code 2."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ChecklistError as error:
            lang = kwargs.get("lang") or _default_lang()
            typer.echo(error.render(lang), err=True)
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


def _console() -> Any:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def _echo_json(data: object) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _load(rules: str | None) -> RulePack:
    from checklist.rulepack import load_pack

    return load_pack(rules)


# --- rules -------------------------------------------------------------------------


@rules_app.command("list")
@user_errors
def rules_list(
    rules: RulesOption = None, json_out: JsonOption = False, lang: LangOption = Lang.zh
) -> None:
    """List the rules of a pack (table, or JSON with --json)."""
    pack = _load(rules)
    if json_out:
        from checklist.catalog import pack_to_dict

        _echo_json(pack_to_dict(pack))
        return
    from checklist.catalog import print_pack_table

    print_pack_table(pack, lang, _console())


@rules_app.command("show")
@user_errors
def rules_show(
    rule_id: Annotated[str, typer.Argument(help="Rule id, e.g. LEAD-01.")],
    rules: RulesOption = None,
    json_out: JsonOption = False,
    lang: LangOption = Lang.zh,
) -> None:
    """Show one rule in full: question, answer, scoring, finding, recommendation, source."""
    from checklist.catalog import find_rule, print_rule, rule_to_dict

    pack = _load(rules)
    rule = find_rule(pack, rule_id)
    if json_out:
        _echo_json(rule_to_dict(rule))
        return
    print_rule(pack, rule, lang, _console())


@rules_app.command("validate")
@user_errors
def rules_validate(
    path: Annotated[str, typer.Argument(help="Rule pack folder (or built-in pack id).")],
    lang: LangOption = Lang.zh,
) -> None:
    """Check a rule pack and list every problem at once (exit 2 if any)."""
    pack = _load(path)
    bonus = sum(1 for r in pack.rules if r.bonus)
    message = {
        Lang.zh: f"规则包 {pack.id} {pack.version} 有效：{len(pack.rules)} 条规则"
        f"（{bonus} 条加分项），{len(pack.checks)} 项一致性检查，{len(pack.areas)} 个类别。",
        Lang.en: f"Rule pack {pack.id} {pack.version} is valid: {len(pack.rules)} rules "
        f"({bonus} bonus), {len(pack.checks)} consistency checks, {len(pack.areas)} areas.",
    }
    typer.echo(message[lang])


# --- demo --------------------------------------------------------------------------


@app.command("demo")
@user_errors
def demo(lang: LangOption = Lang.zh) -> None:
    """Run the main job on the bundled example data."""
    from checklist.catalog import print_pack_table

    pack = _load(None)
    print_pack_table(pack, lang, _console())


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"checklist {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version_callback, is_eager=True, help="Show the version."
        ),
    ] = False,
) -> None:
    """Score grassroots 群团 self-assessment spreadsheets against rules and write gap reports."""


def main() -> None:
    """Console-script entry point."""
    app(prog_name="checklist")
