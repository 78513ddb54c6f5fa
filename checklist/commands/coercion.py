"""Command-line values turned into Python values without importing pydantic.

Typer converts each parameter's text with a pydantic ``TypeAdapter`` it builds
the first time the parameter is used. Importing pydantic and building the
adapters of one command costs about 110 ms of CPU, more than all that
``checklist score FILE --json`` does before it opens the file, and a county
office runs that command once per unit in a shell loop.

The values our commands take are plain: text, paths, whole and decimal
numbers, flags and one enumeration. :func:`install` gives each such parameter a
conversion that handles the well-formed value directly. Anything else goes to
Typer's own conversion, built as Typer would build it: a value that does not
parse or is out of range, an annotation not listed here, a parameter option
this module does not model. So messages and edge cases stay exactly Typer's,
and only the common case is cheaper. A Typer whose internals differ (no
``type_descriptor`` or ``_runtime_param`` on its parameters) is left alone.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, get_origin

_MISS = object()
"""A converter's answer when the value is for Typer's own conversion."""

Converter = Callable[[Any, Any, Any], Any]
"""``(value, param, ctx)`` → the converted value, or :data:`_MISS`."""


def install(command: Any) -> None:
    """Give the parameters of ``command`` and of its subcommands the light conversion where
    it applies; the others keep Typer's.

    Hooked on ``get_params``, the list Click parses with, so that the ``--help`` option
    Click adds only then is included.
    """
    listed = getattr(command, "get_params", None)
    if listed is None:
        return

    def get_params(ctx: Any) -> Any:
        params = listed(ctx)
        for param in params:
            install_one(param)
        return params

    command.get_params = get_params
    commands = getattr(command, "commands", None)
    if isinstance(commands, dict):
        for sub in commands.values():
            install(sub)


def install_one(param: object) -> None:
    """Give ``param`` the light conversion if it applies (see the module docs)."""
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is None or getattr(param, "_runtime_param", _MISS) is not None:
        return  # not the Typer this module knows, or a conversion is already chosen
    convert = converter(descriptor.annotation, descriptor.parameter_info)
    if convert is not None:
        param._runtime_param = Light(convert, descriptor)  # type: ignore[attr-defined]


class Light:
    """A parameter's conversion: ``convert`` for the common case, else Typer's own.

    Duck-types Typer's ``RuntimeParam`` (its ``coerce`` is all Typer calls).
    """

    __slots__ = ("_convert", "_descriptor", "_typer")

    def __init__(self, convert: Converter, descriptor: Any) -> None:
        self._convert = convert
        self._descriptor = descriptor
        self._typer: Any = None

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        if value is None:
            return () if param.multiple or param.nargs == -1 else None
        if param.multiple or param.nargs == -1:
            if isinstance(value, (list, tuple)):
                items = [self._convert(item, param, ctx) for item in value]
                if not any(item is _MISS for item in items):
                    return items
        else:
            got = self._convert(value, param, ctx)
            if got is not _MISS:
                return got
        return self.typer_conversion().coerce(value, param=param, ctx=ctx)

    def typer_conversion(self) -> Any:
        """Typer's own conversion of this parameter (imports pydantic on first use)."""
        if self._typer is None:
            from typer._coercion import build_runtime_param

            self._typer = build_runtime_param(self._descriptor)
        return self._typer


def converter(annotation: Any, info: Any) -> Converter | None:
    """The light conversion for a parameter of type ``annotation``, or None for Typer's own."""
    if getattr(info, "parser", None) is not None:
        return None
    if get_origin(annotation) is list:
        (annotation,) = annotation.__args__
        if get_origin(annotation) is not None:
            return None
    if annotation is str:
        return _text
    if annotation is bool:
        return _flag
    if annotation is Path and _plain_path(info):
        return _path_converter(info)
    if annotation in (int, float) and not getattr(info, "clamp", True):
        return _number_converter(annotation, info.min, info.max)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return _choice_converter(annotation, info)
    return None


def _text(value: Any, param: Any, ctx: Any) -> Any:
    return value if type(value) is str else _MISS


def _flag(value: Any, param: Any, ctx: Any) -> Any:
    return value if type(value) is bool else _MISS


def _plain_path(info: Any) -> bool:
    """A path with Typer's default checks, the only ones modelled here."""
    return (
        getattr(info, "path_type", _MISS) is None
        and info.exists is False
        and info.file_okay is True
        and info.dir_okay is True
        and info.writable is False
        and info.resolve_path is False
        and info.allow_dash is False
    )


def _path_converter(info: Any) -> Converter:
    readable = bool(info.readable)

    def convert(value: Any, param: Any, ctx: Any) -> Any:
        if type(value) is str:
            path = Path(value)
        elif isinstance(value, Path):
            path = value  # a default: Typer keeps the very object
        else:
            return _MISS
        try:
            os.stat(path)
        except OSError:
            return path  # not there (yet): Typer checks nothing more
        except ValueError:
            return _MISS  # a NUL in the name: as Typer treats it
        if readable and not os.access(path, os.R_OK):
            return _MISS  # Typer's message says the path is not readable
        return path

    return convert


def _number_converter(kind: type, low: float | None, high: float | None) -> Converter:
    def convert(value: Any, param: Any, ctx: Any) -> Any:
        if type(value) is str:
            if not _plain_number(value, decimals=kind is float):
                return _MISS
            number = kind(value)
        elif type(value) is kind:
            number = value
        else:
            return _MISS
        if (low is not None and number < low) or (high is not None and number > high):
            return _MISS  # Typer words the range
        return number

    return convert


def _plain_number(text: str, *, decimals: bool) -> bool:
    """ASCII digits with an optional sign (and, for ``decimals``, one point between digits)."""
    digits = text[1:] if text[:1] in ("+", "-") else text
    if decimals and digits.count(".") == 1:
        whole, _, fraction = digits.partition(".")
        digits = whole + fraction
        if not whole or not fraction:
            return False
    return digits.isascii() and digits.isdigit()


def _choice_converter(kind: type[enum.Enum], info: Any) -> Converter:
    members = tuple(kind)
    case_sensitive = bool(info.case_sensitive)

    def convert(value: Any, param: Any, ctx: Any) -> Any:
        if isinstance(value, kind):
            return value
        if type(value) is not str or getattr(ctx, "token_normalize_func", None) is not None:
            return _MISS
        wanted = value if case_sensitive else value.casefold()
        for member in members:
            name = str(member.value)
            if (name if case_sensitive else name.casefold()) == wanted:
                return member
        return _MISS  # Typer lists the choices

    return convert
