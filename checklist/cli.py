"""The command line: a thin shell over the library.

Each command lives in :mod:`checklist.commands`; this module only registers
them (an explicit list, no discovery). A :class:`ChecklistError` becomes one
message on stderr and exit code 2 (see ``commands.options.user_errors``).
"""

from __future__ import annotations

from typing import Annotated

import typer

from checklist import __version__
from checklist.commands import compare, demo, history, rules, score, template, trend

app = typer.Typer(
    name="checklist",
    help="Score grassroots 群团 self-assessment spreadsheets against rules and write gap reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help: rich-formatted help costs more start-up time than all of typer.
    rich_markup_mode=None,
)
# In the order a county office works: hand out, score, follow up, maintain.
app.command("template")(template.template)
app.command("score")(score.score)
app.command("compare")(compare.compare)
app.command("trend")(trend.trend)
app.add_typer(history.app, name="history")
app.add_typer(rules.app, name="rules")
app.command("demo")(demo.demo)


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
    from checklist.output import exit_cleanly_on_terminate

    exit_cleanly_on_terminate()
    app(prog_name="checklist")
