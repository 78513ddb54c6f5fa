"""The command line: a thin shell over the library.

Each command lives in :mod:`checklist.commands`; this module only registers
them (an explicit list, no discovery). A :class:`ChecklistError` becomes one
message on stderr and exit code 2 (see ``commands.options.user_errors``).
"""

from __future__ import annotations

import contextlib
from typing import Annotated

import typer

from checklist import __version__
from checklist.commands import (
    batch,
    compare,
    demo,
    history,
    rules,
    score,
    template,
    trend,
    waivers,
)

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
app.command("batch")(batch.batch)
app.add_typer(history.app, name="history")
app.add_typer(rules.app, name="rules")
app.add_typer(waivers.app, name="waivers")
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
    """Console-script entry point: usage errors in the user's language, no traceback on a bad stdout."""
    import sys

    from checklist.output import exit_cleanly_on_terminate

    exit_cleanly_on_terminate()
    _tolerate_any_encoding()
    argv = sys.argv[1:]
    try:
        code = app(prog_name="checklist", args=argv, standalone_mode=False)
        sys.stdout.flush()
    except typer.Abort:
        code = 1
    except OSError as error:
        code = _output_failed(error)
    except Exception as error:
        from checklist.commands.usage_errors import is_usage_error, language_of, usage_message

        if not is_usage_error(error):
            raise
        if type(error).__name__ == "NoArgsIsHelpError":
            # `checklist` alone: the help, as Typer would show it.
            typer.echo(error.format_message())  # type: ignore[attr-defined]
        else:
            from checklist.text import printable

            # The message may quote what was typed: escaped like everything printed.
            typer.echo(printable(usage_message(error, argv).get(language_of(argv))), err=True)
        code = 2
    sys.exit(code if isinstance(code, int) else 0)


def _tolerate_any_encoding() -> None:
    """Characters the terminal cannot show come out escaped instead of ending the run."""
    import io
    import sys

    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")


def _output_failed(error: OSError) -> int:
    """Standard output could not be written (a full disk, a closed pipe): one line, exit 2."""
    import errno
    import os
    import sys

    # Whatever is still buffered would fail again when Python exits.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    if error.errno == errno.EPIPE:
        return 1
    with contextlib.suppress(OSError):
        sys.stderr.write(
            f"checklist: 无法写出结果 / cannot write the output ({error.strerror or error})\n"
        )
        sys.stderr.flush()
    return 2
