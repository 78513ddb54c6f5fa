"""The light conversion of command-line values gives what Typer's own gives, or defers to it.

checklist.commands.coercion converts well-formed values without pydantic and
hands everything else to Typer; every parameter of every command is checked
here against Typer's own conversion, value by value, results and messages.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer._click import Context
from typer._click.exceptions import BadParameter

from checklist.cli import COMMANDS, app, build_command
from checklist.commands.coercion import Light, converter
from checklist.text import Lang

SAMPLES: list[object] = [
    "",
    " ",
    "0",
    "7",
    "007",
    "-3",
    "+5",
    " 42 ",
    "1_000",
    "1.5",
    ".5",
    "5.",
    "-0.25",
    "1e3",
    "nan",
    "٣",
    "0x10",
    "zh",
    "en",
    "EN",
    "Zh",
    "fr",
    "a\x00b",
    "~/x.xlsx",
    "reports",
    "表.xlsx",
    Lang.en,
    Path("reports"),
    3,
    2.5,
    True,
]


def _commands() -> list[tuple[str, Any]]:
    """Every command and subcommand, built as a run builds it."""
    found: list[tuple[str, Any]] = []

    def walk(name: str, command: Any) -> None:
        found.append((name, command))
        for sub_name, sub in (getattr(command, "commands", None) or {}).items():
            walk(f"{name} {sub_name}", sub)

    for name in COMMANDS:
        walk(name, build_command(name))
    return found


def _params() -> list[tuple[str, Any, Any]]:
    """(label, parameter, its command's context) for every parameter Click parses."""
    out = []
    for name, command in _commands():
        ctx = Context(command, info_name=name)
        out.extend((f"{name} {param.name}", param, ctx) for param in command.get_params(ctx))
    return out


ALL = _params()
PARAMS = [
    (label, param, ctx) for label, param, ctx in ALL if isinstance(param._runtime_param, Light)
]


def _outcome(convert: Any, value: object, param: Any, ctx: Any) -> tuple[str, object]:
    try:
        got = convert.coerce(value, param=param, ctx=ctx)
    except BadParameter as error:
        return "refused", error.format_message()
    return "value", (type(got), got)


def _same(value: object) -> None:
    for label, param, ctx in PARAMS:
        light = param._runtime_param
        assert _outcome(light, value, param, ctx) == _outcome(
            light.typer_conversion(), value, param, ctx
        ), (label, value)


def test_every_plain_parameter_is_converted_without_pydantic() -> None:
    names = {label for label, _, _ in PARAMS}
    # Each kind the commands use: a path argument, optional path and text options,
    # flags, the language, whole numbers with a floor, a decimal with a floor, a list of paths.
    for label in (
        "score file",
        "score output",
        "score rules",
        "score json_out",
        "score lang",
        "score help",
        "batch paths",
        "batch jobs",
        "batch timeout",
        "history show year",
        "demo output",
    ):
        assert label in names, label
    typers = [label for label, param, _ in ALL if not isinstance(param._runtime_param, Light)]
    assert typers == [], "these fell back to Typer's conversion: add their kind"


@pytest.mark.parametrize("value", SAMPLES, ids=repr)
def test_samples_convert_as_typer_converts_them(value: object) -> None:
    _same(value)


@given(st.text(alphabet=st.sampled_from("0123456789+-._ eEnNzh表\x00/"), max_size=8))
def test_any_text_converts_as_typer_converts_it(value: str) -> None:
    _same(value)


def test_paths_that_exist_convert_as_typer_converts_them(tmp_path: Path) -> None:
    (tmp_path / "form.xlsx").write_bytes(b"")
    for value in (str(tmp_path), str(tmp_path / "form.xlsx"), tmp_path / "form.xlsx"):
        _same(value)


def test_several_values_convert_as_typer_converts_them(tmp_path: Path) -> None:
    for value in ((str(tmp_path), "b"), [], ("x",), ("a", Path("b"))):
        _same(value)


def test_unreadable_path_is_refused_in_typers_words(tmp_path: Path) -> None:
    hidden = tmp_path / "hidden.xlsx"
    hidden.write_bytes(b"")
    hidden.chmod(0)
    try:
        if os.access(hidden, os.R_OK):
            pytest.skip("this user reads every file (root)")
        _same(str(hidden))
        _, param, ctx = next(p for p in PARAMS if p[0] == "score file")
        assert _outcome(param._runtime_param, str(hidden), param, ctx)[0] == "refused"
    finally:
        hidden.chmod(0o600)


def test_unknown_kinds_are_left_to_typer() -> None:
    from typer.models import OptionInfo

    assert converter(dict, OptionInfo()) is None
    assert converter(list[tuple[int, int]], OptionInfo()) is None
    assert converter(Path, OptionInfo(exists=True)) is None
    assert converter(int, OptionInfo(clamp=True)) is None
    assert converter(str, OptionInfo(parser=str.upper)) is None


def test_bad_language_gives_the_usual_message(cli: Any) -> None:
    result = cli(["score", "x.xlsx", "--lang", "fr"], code=2)
    assert "fr" in result.stderr
    assert app.info.name == "checklist"
