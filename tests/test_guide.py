"""The user guides cannot drift from the tool: every command, option, picture and link they name exists."""

from __future__ import annotations

import importlib.util
import re
import shlex
from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checklist.cli import app

ROOT = Path(__file__).resolve().parent.parent
GUIDES = (ROOT / "docs" / "使用指南.md", ROOT / "docs" / "guide.md")
LINKING = (*GUIDES, ROOT / "README.md")
# The render script keeps every picture under this size.
MAX_PICTURE_BYTES = 200 * 1024

FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
INLINE = re.compile(r"`([^`\n]+)`")
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z-]*")
LINK = re.compile(r"(!?)\[[^\]]*\]\(([^)\s]+)\)")


def command_lines(text: str) -> list[str]:
    """Every checklist command line the guide tells a reader to type."""
    lines = []
    for language, body in FENCE.findall(text):
        for line in body.splitlines():
            # Terminal transcripts show commands after "$ "; sh and bat blocks are commands.
            if language == "text" and not line.startswith("$ "):
                continue
            line = line.removeprefix("$ ").split(" #", 1)[0].strip()
            if language in {"sh", "bat", "text"} and line:
                lines.append(line)
    without_fences = FENCE.sub("", text)
    lines += [span for span in INLINE.findall(without_fences) if span.startswith("checklist ")]
    return lines


def checklist_words(line: str) -> list[str] | None:
    """The words after ``checklist`` (or ``py -m checklist``), or None for another program."""
    words = shlex.split(line)
    for launcher in (["checklist"], ["py", "-m", "checklist"], ["python", "-m", "checklist"]):
        if words[: len(launcher)] == launcher:
            return words[len(launcher) :]
    return None


@cache
def help_text(path: tuple[str, ...]) -> str:
    """``checklist PATH --help``, failing the test when the command does not exist."""
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, f"checklist {' '.join(path)} --help: {result.output}"
    return result.output


def subcommands(path: tuple[str, ...]) -> set[str]:
    """The commands a group's help lists (empty for a command)."""
    text = help_text(path)
    if "Commands" not in text:
        return set()
    listing = text.split("Commands", 1)[1]
    return set(re.findall(r"^\W*([a-z][a-z-]*)\s", listing, re.MULTILINE))


def command_path(words: list[str]) -> tuple[str, ...]:
    """The command a line runs: group names followed while the next word is a subcommand."""
    path: tuple[str, ...] = ()
    for word in words:
        names = subcommands(path)
        if not names or word.startswith("-"):
            break
        assert word in names, f"checklist {' '.join((*path, word))}: no such command ({names})"
        path = (*path, word)
    return path


def all_options() -> set[str]:
    """Every option any command's --help lists."""
    found: set[str] = set()
    pending: list[tuple[str, ...]] = [()]
    while pending:
        path = pending.pop()
        found.update(OPTION.findall(help_text(path)))
        pending += [(*path, name) for name in subcommands(path)]
    return found


@pytest.mark.parametrize("guide", GUIDES, ids=lambda path: path.name)
def test_every_command_in_the_guide_exists_with_its_options(guide: Path) -> None:
    text = guide.read_text(encoding="utf-8")
    lines = command_lines(text)
    checked = 0
    for line in lines:
        if line.startswith("python -m checklist."):
            module = line.split()[2]
            assert importlib.util.find_spec(module) is not None, line
            continue
        words = checklist_words(line)
        # `checklist …` stands for any command in the text around it.
        if words is None or words[:1] == ["…"]:
            continue
        path = command_path(words)
        help_output = help_text(path)
        for word in words[len(path) :]:
            if word.startswith("-") and word != "-":
                assert re.search(rf"(?<![\w-]){re.escape(word)}\b", help_output), (
                    f"{guide.name}: `{line}`: checklist {' '.join(path)} has no option {word}"
                )
        checked += 1
    # The guide walks the whole year: template, batch, score, compare, trend, rules.
    assert checked >= 15, f"{guide.name}: only {checked} commands found"


@pytest.mark.parametrize("guide", GUIDES, ids=lambda path: path.name)
def test_every_option_the_guide_names_exists(guide: Path) -> None:
    named = set(OPTION.findall(guide.read_text(encoding="utf-8")))
    assert named, guide.name
    unknown = named - all_options()
    assert not unknown, f"{guide.name} names options no command has: {sorted(unknown)}"


@pytest.mark.parametrize("document", LINKING, ids=lambda path: path.name)
def test_every_picture_and_page_linked_exists(document: Path) -> None:
    links = LINK.findall(document.read_text(encoding="utf-8"))
    pictures = [target for bang, target in links if bang]
    assert pictures, f"{document.name} shows no picture"
    for bang, target in links:
        if target.startswith(("http://", "https://", "#")):
            continue
        linked = document.parent / target.split("#", 1)[0]
        assert linked.is_file(), f"{document.name} links {target}, which does not exist"
        if bang:
            data = linked.read_bytes()
            assert data.startswith(b"\x89PNG\r\n\x1a\n"), f"{target} is not a PNG"
            assert len(data) <= MAX_PICTURE_BYTES, f"{target}: {len(data) // 1024} KB"


def test_both_guides_show_the_same_pictures() -> None:
    pictures = [
        {target for bang, target in LINK.findall(guide.read_text(encoding="utf-8")) if bang}
        for guide in GUIDES
    ]
    assert pictures[0] == pictures[1]
