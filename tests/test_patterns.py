"""lazy_compile: a pattern compiled on first use that answers as the compiled pattern does."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checklist.patterns import lazy_compile

SOURCE = r"(?P<n>[0-9]+)\s*(分|项)"


def test_nothing_is_compiled_before_first_use() -> None:
    broken = lazy_compile("(unclosed")  # re.compile would raise here
    with pytest.raises(re.error):
        broken.search("x")


@given(st.text(alphabet="0123 分项ab\n", max_size=20))
def test_answers_as_the_compiled_pattern(text: str) -> None:
    lazy, compiled = lazy_compile(SOURCE, re.MULTILINE), re.compile(SOURCE, re.MULTILINE)

    def spans(matches: object) -> object:
        return [m.span() for m in matches]  # type: ignore[attr-defined]

    found, expected = lazy.search(text), compiled.search(text)
    assert (found and found.span()) == (expected and expected.span())
    found, expected = lazy.match(text), compiled.match(text)
    assert (found and found.span()) == (expected and expected.span())
    found, expected = lazy.fullmatch(text), compiled.fullmatch(text)
    assert (found and found.span()) == (expected and expected.span())
    assert lazy.findall(text) == compiled.findall(text)
    assert spans(lazy.finditer(text)) == spans(compiled.finditer(text))
    assert lazy.split(text) == compiled.split(text)
    assert lazy.sub(r"<\g<n>>", text) == compiled.sub(r"<\g<n>>", text)
    assert lazy.subn(lambda m: "#", text, count=1) == compiled.subn(lambda m: "#", text, count=1)
    assert (lazy.pattern, lazy.flags, lazy.groups) == (SOURCE, compiled.flags, compiled.groups)
    assert dict(lazy.groupindex) == dict(compiled.groupindex)


def test_the_source_is_read_without_compiling() -> None:
    assert lazy_compile("(unclosed").pattern == "(unclosed"


def test_after_first_use_calls_go_to_the_compiled_pattern() -> None:
    lazy = lazy_compile("a+")
    assert lazy.flags == re.compile("a+").flags  # the first use, of any kind, compiles
    assert lazy.search.__self__ is re.compile("a+")  # type: ignore[attr-defined]


def test_bytes_and_flags() -> None:
    lazy = lazy_compile(rb"ab", re.IGNORECASE)
    match = lazy.search(b"xAB")
    assert match is not None and match.group() == b"AB"
    assert "lazy_compile" in repr(lazy_compile("x"))
    with pytest.raises(AttributeError):
        lazy_compile("x").not_a_pattern_method  # type: ignore[attr-defined]  # noqa: B018
