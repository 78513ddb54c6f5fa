"""Usage errors (unknown option, bad value, missing argument) as one line in the user's language.

Typer reports them in English over three lines (usage, hint, error). The
people who run checklist read Chinese, so the CLI catches the error and says
it here instead: what is wrong, which command, and where to look. Typer's
exception classes are reached by duck typing (their module moved between
releases): a usage error is any exception with ``exit_code == 2`` and
``format_message``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

from checklist.text import Lang, Text


def is_usage_error(error: BaseException) -> bool:
    """Whether ``error`` is Typer's (Click's) usage error."""
    return getattr(error, "exit_code", None) == 2 and callable(
        getattr(error, "format_message", None)
    )


def language_of(argv: Sequence[str]) -> Lang:
    """The language the user asked for on the command line or in CHECKLIST_LANG; zh otherwise.

    Read by hand because the usage error may be in ``--lang`` itself.
    """
    chosen = os.environ.get("CHECKLIST_LANG", "")
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            chosen = argv[index + 1]
        elif arg.startswith("--lang="):
            chosen = arg.partition("=")[2]
    return Lang.en if chosen.strip().lower() == "en" else Lang.zh


def _quoted(text: str) -> list[str]:
    return re.findall(r"'([^']*)'", text)


def _command(error: BaseException) -> str:
    context = getattr(error, "ctx", None)
    path = getattr(context, "command_path", "") if context is not None else ""
    return str(path or "checklist")


def _param_name(error: BaseException) -> str:
    param = getattr(error, "param", None)
    if param is None:
        return ""
    opts = [str(opt) for opt in getattr(param, "opts", ()) or ()]
    long_opts = [opt for opt in opts if opt.startswith("--")]
    if long_opts:
        return long_opts[0]
    if opts and opts[0].startswith("-"):
        return opts[0]
    return str(getattr(param, "name", "") or "").upper()


def _expected(detail: str) -> Text | None:
    """What the value should have been, from Typer's English detail."""
    if "one of" in detail:
        choices = _quoted(detail.split("one of", 1)[1])
        if choices:
            return Text(" " + "、".join(choices) + " 之一", " or ".join(choices))
    if "valid integer" in detail:
        return Text("整数（如 2024）", "a whole number (such as 2024)")
    if "valid number" in detail or "valid float" in detail:
        return Text("数字", "a number")
    if "does not exist" in detail:
        return Text("已存在的文件或文件夹", "a file or folder that exists")
    if "is a directory" in detail:
        return Text("文件（不是文件夹）", "a file (not a folder)")
    if "is a file" in detail:
        return Text("文件夹（不是文件）", "a folder (not a file)")
    return None


def usage_message(error: BaseException, argv: Sequence[str]) -> Text:
    """One line naming the problem, the command and where to read its help."""
    command = _command(error)
    help_hint = Text(f"用“{command} --help”查看用法。", f"See '{command} --help'.")
    kind = type(error).__name__
    message = str(getattr(error, "message", "") or "")
    name = _param_name(error)

    if kind == "NoSuchOption":
        option = str(getattr(error, "option_name", "") or "")
        possible = sorted(getattr(error, "possibilities", None) or ())
        maybe = Text(
            f"（是否想用 {'、'.join(possible)}？）" if possible else "",
            f" (did you mean {' or '.join(possible)}?)" if possible else "",
        )
        said = Text(
            f"{command} 没有选项 {option}{maybe.zh}。",
            f"{command} has no option {option}{maybe.en}.",
        )
    elif kind == "MissingParameter":
        said = Text(f"{command} 缺少参数 {name}。", f"{command} needs the argument {name}.")
    elif kind == "BadOptionUsage" and "requires an argument" in message:
        option = str(getattr(error, "option_name", "") or name)
        said = Text(f"选项 {option} 后面需要一个值。", f"The option {option} needs a value.")
    elif kind == "BadParameter":
        value = next(iter(_quoted(message)), "")
        if not value:
            value = _value_in_argv(argv, name)
        shown = Text(f"“{value}”" if value else "", f" '{value}'" if value else "")
        expected = _expected(message)
        if expected is not None:
            said = Text(
                f"{name} 的值{shown.zh}无效，应为{expected.zh}。",
                f"Invalid value{shown.en} for {name}: expected {expected.en}.",
            )
        else:
            said = Text(
                f"{name} 的值{shown.zh}无效（{message}）。",
                f"Invalid value{shown.en} for {name}: {message}.",
            )
    elif message.startswith("No such command"):
        quoted = _quoted(message)
        typed = quoted[0] if quoted else ""
        maybe = Text(
            f"（是否想用 {quoted[1]}？）" if len(quoted) > 1 else "",
            f" (did you mean {quoted[1]}?)" if len(quoted) > 1 else "",
        )
        said = Text(f"没有命令 {typed}{maybe.zh}。", f"There is no command {typed}{maybe.en}.")
    elif message.startswith("Got unexpected extra argument"):
        extra = message.rpartition("(")[2].rstrip(")")
        said = Text(
            f"{command} 收到多余的参数：{extra}。", f"{command} got an extra argument: {extra}."
        )
    else:
        said = Text(f"{command} 用法有误：{message}。", f"Wrong use of {command}: {message}.")
    return Text(f"{said.zh}{help_hint.zh}", f"{said.en} {help_hint.en}")


def _value_in_argv(argv: Sequence[str], name: str) -> str:
    """The value the user gave for option ``name`` (empty for a positional argument)."""
    if not name.startswith("-"):
        return ""
    for index, arg in enumerate(argv):
        if arg == name and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith(name + "="):
            return arg.partition("=")[2]
    return ""
