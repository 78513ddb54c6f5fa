"""The CLI's command table: `checklist --help` lists every command, each as its own help says."""

from __future__ import annotations

import importlib
import pkgutil

import typer
from typer.testing import CliRunner

import checklist.commands
from checklist.cli import COMMANDS, app, build_command

NOT_COMMANDS = {"options", "usage_errors", "coercion"}
"""Modules of checklist.commands that hold shared pieces, not a command."""


def _commands_section(help_text: str) -> list[str]:
    lines = help_text.splitlines()
    return lines[lines.index("Commands:") + 1 :]


def _eager_app() -> typer.Typer:
    """The app as Typer registers it when every command is imported up front."""
    eager = typer.Typer(add_completion=False, rich_markup_mode=None)
    eager.callback()(lambda: None)
    for name, (where, _) in COMMANDS.items():
        module, _, attribute = where.partition(":")
        target = getattr(importlib.import_module(module), attribute)
        if isinstance(target, typer.Typer):
            eager.add_typer(target, name=name)
        else:
            eager.command(name)(target)
    return eager


def test_help_lists_the_commands_as_registering_them_all_would() -> None:
    ours = CliRunner().invoke(app, ["--help"], terminal_width=100)
    eager = CliRunner().invoke(_eager_app(), ["--help"], terminal_width=100)
    assert ours.exit_code == 0
    listed = [line.split()[0] for line in _commands_section(ours.output) if line.strip()]
    assert listed == list(COMMANDS)
    assert _commands_section(ours.output) == _commands_section(eager.output)


def test_each_listed_line_is_the_first_paragraph_of_the_commands_help() -> None:
    for name, (_, line) in COMMANDS.items():
        command = build_command(name)
        assert command.name == name
        first_paragraph = (command.help or "").split("\n\n")[0]
        assert " ".join(first_paragraph.split()) == line, name


def test_every_command_module_is_registered() -> None:
    modules = {
        info.name
        for info in pkgutil.iter_modules(checklist.commands.__path__)
        if info.name not in NOT_COMMANDS
    }
    registered = {where.partition(":")[0].rpartition(".")[2] for where, _ in COMMANDS.values()}
    assert registered == modules


def test_an_unknown_command_is_refused_with_the_nearest_names() -> None:
    result = CliRunner().invoke(app, ["histry"])
    assert result.exit_code == 2
    assert "history" in result.output
