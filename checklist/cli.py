"""The command line: a thin shell over the library.

Each command lives in :mod:`checklist.commands`; this module only registers
them (an explicit table, no discovery), and builds only the command a run
invokes. A :class:`ChecklistError` becomes one
message on stderr and exit code 2 (see ``commands.options.user_errors``).
"""

from __future__ import annotations

import contextlib
import gc
import importlib
from collections.abc import Callable, Iterator, MutableMapping
from typing import TYPE_CHECKING, Annotated, Any

# Set before Typer and the commands are imported: a run allocates many objects
# that live to its end (modules, the pack, the rows, the result), and collecting
# every 700 allocations only re-walks them, about 15 ms CPU of one score run.
# Cycles are still collected, a hundred times less often.
gc.set_threshold(70_000, *gc.get_threshold()[1:])

import typer  # noqa: E402
import typer.main  # noqa: E402
from typer.core import TyperCommand, TyperGroup  # noqa: E402

from checklist import __version__  # noqa: E402
from checklist.commands.coercion import install as install_light_conversion  # noqa: E402
from checklist.commands.coercion import install_one as install_light_param  # noqa: E402

if TYPE_CHECKING:
    from typer._click import Command, Context, HelpFormatter, Parameter

# In the order a county office works: hand out, score, follow up, maintain
# (Typer lists command groups after single commands, and so does this table).
# Each command's module is imported only when that command runs: a run pays
# for its own command, not for all of them. `--help` lists every command from
# the one line kept here, which tests/test_cli_commands.py holds to the
# command's own help.
COMMANDS: dict[str, tuple[str, str]] = {
    "template": (
        "checklist.commands.template:template",
        "Write the blank self-assessment workbook (.xlsx) that units fill in.",
    ),
    "score": (
        "checklist.commands.score:score",
        "Score one unit's self-assessment, write its gap report and print a summary.",
    ),
    "compare": (
        "checklist.commands.compare:compare",
        "Compare two assessments of one unit: closed, new, persistent and regressed gaps.",
    ),
    "trend": (
        "checklist.commands.trend:trend",
        "Show a unit's scores over all its saved years, every year re-scored under one pack.",
    ),
    "batch": (
        "checklist.commands.batch:batch",
        "Score every unit's form in a season's folder and write the county roll-up.",
    ),
    "demo": (
        "checklist.commands.demo:demo",
        "Score the bundled example assessments and write their reports (into ./reports).",
    ),
    "history": (
        "checklist.commands.history:app",
        "Saved assessments in the history database: list, show, remove, re-score.",
    ),
    "rules": (
        "checklist.commands.rules:app",
        "List, show, validate, export, import and compare rule packs.",
    ),
    "waivers": (
        "checklist.commands.waivers:app",
        "Waivers (豁免): agreed exceptions for a unit and rule.",
    ),
}
"""Command name: (``module:function`` or ``module:Typer app``, its line in ``checklist --help``)."""

_LOOK: dict[str, Any] = {
    "add_completion": False,
    "pretty_exceptions_enable": False,
    # Plain help: rich-formatted help costs more start-up time than all of typer.
    "rich_markup_mode": None,
}


def build_command(name: str) -> Command:
    """The Typer (Click) command ``name``, built as registering it on the app would build it."""
    module, _, attribute = COMMANDS[name][0].partition(":")
    target = getattr(importlib.import_module(module), attribute)
    holder = typer.Typer(**_LOOK)
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=name)
    else:
        holder.command(name)(target)
    holder.callback()(_nothing)  # a group even around one command, so it keeps its name
    command = typer.main.get_group(holder).commands[name]
    # Plain values converted without pydantic: see checklist.commands.coercion.
    install_light_conversion(command)
    return command


def _nothing() -> None:
    """Stands in for the root callback in a command's holder app; never called."""


class _OnDemand(MutableMapping[str, "Command"]):
    """Every command's name; a command is built the first time it is looked up."""

    def __init__(self, build: Callable[[str], Command]) -> None:
        self._build = build
        self._built: dict[str, Command] = {}

    def __getitem__(self, name: str) -> Command:
        if name not in self._built:
            if name not in COMMANDS:
                raise KeyError(name)
            self._built[name] = self._build(name)
        return self._built[name]

    def __setitem__(self, name: str, command: Command) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._built[name]

    def __iter__(self) -> Iterator[str]:
        yield from COMMANDS
        yield from (name for name in self._built if name not in COMMANDS)

    def __len__(self) -> int:
        return len(set(COMMANDS) | set(self._built))


class _Commands(TyperGroup):
    """The root group: its commands come from :data:`COMMANDS`, each built on first use."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = _OnDemand(build_command)

    def get_params(self, ctx: Context) -> list[Parameter]:
        params = super().get_params(ctx)
        # The root's own options (--version, --help) converted without pydantic too.
        for param in params:
            install_light_param(param)
        return params

    def list_commands(self, ctx: Context) -> list[str]:
        return list(self.commands)

    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        # The listing shows one line per command: listed from the table, nothing imported.
        listing = TyperGroup(
            commands=[TyperCommand(name=name, help=line) for name, (_, line) in COMMANDS.items()]
        )
        listing.format_commands(ctx, formatter)


app = typer.Typer(
    name="checklist",
    help="Score grassroots 群团 self-assessment spreadsheets against rules and write gap reports.",
    no_args_is_help=True,
    cls=_Commands,
    **_LOOK,
)


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
    """Console-script entry point: usage errors in the user's language, no traceback on a bad stdout.

    It ends the process (and sets its garbage collection for a run that ends).
    """
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
    # The process ends here. The collections Python runs while shutting down
    # would walk every object the run made (about 20 ms CPU for one form) to
    # free memory the OS takes back anyway; frozen, they are skipped. Reference
    # counting still frees what it frees, files are still flushed and closed.
    gc.freeze()
    sys.exit(code if isinstance(code, int) else 0)


def run() -> None:
    """The ``checklist`` program: :func:`main`, and then the process ends at once.

    Once a command is done, its output flushed, and nothing is left for
    Python's shutdown to do (no exit handlers registered, no other thread
    running), the process ends with ``os._exit``: the shutdown would only free
    every module and object of the run one by one (about 4 ms of a ``score``)
    for memory the OS takes back anyway. Anything else ends the usual way.
    Tests call :func:`main`, which raises SystemExit as usual.
    """
    import atexit
    import os
    import sys
    import threading

    try:
        main()
    except SystemExit as end:
        if not isinstance(end.code, int) or atexit._ncallbacks() or threading.active_count() > 1:
            raise
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            raise end from None  # the usual shutdown reports what it reports
        os._exit(end.code)


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
