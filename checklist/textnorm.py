"""Text normalisation for matching what units typed against what the pack says.

Units retype forms: full-width characters, traditional script pasted from
other documents, pinyin annotations such as 組(zǔ)織(zhī), numbering such as
"1、" or "（三）", stray spaces inside words (编 号). Everything here turns such
text into a comparison key; nothing is shown to users in this form.
"""

from __future__ import annotations

import os
import re
import unicodedata
from functools import cache
from typing import Any, NamedTuple

from checklist.patterns import lazy_compile

# Zero-width and other invisible characters that survive NFKC.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# One scan for any of them: a set's isdisjoint() makes a string of each character it looks at.
_ANY_INVISIBLE = lazy_compile("[" + "".join(map(chr, _INVISIBLE)) + "]")
_PINYIN = lazy_compile(
    r"[(（]\s*[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]+\s*[)）]",
)
_LEADING_NUMBERING = lazy_compile(
    r"^\s*(?:[0-9]+(?:\.[0-9]+)+\s*|第?[0-9一二三四五六七八九十百]+[、.．:：)）]|[(（][0-9一二三四五六七八九十]+[)）])"
)
_NOT_WORD = lazy_compile(r"[\W_]+", re.UNICODE)


def clean(text: object) -> str:
    """NFKC, invisible characters removed, whitespace collapsed and trimmed."""
    if text is None:
        return ""
    value = unicodedata.normalize("NFKC", str(text))
    if _ANY_INVISIBLE.search(value):  # rare: translate() costs more than the test
        value = value.translate(_INVISIBLE)
    return " ".join(value.split())


@cache
def _converter() -> Any:
    # OpenCC's pure-Python port takes ~60 ms to load its dictionaries, so it is
    # built once, and only when a text actually contains a traditional character.
    from opencc import OpenCC

    return OpenCC("t2s")


class _Changes(NamedTuple):
    """What in a text makes OpenCC's t2s conversion change it."""

    chars: frozenset[str]
    """Characters converted wherever they stand (their first candidate is another)."""
    phrases: dict[str, tuple[str, ...]]
    """For a character converted only inside some phrases (覆 in 反覆, not in 覆盖),
    those phrases."""


@cache
def _changes() -> _Changes | None:
    """What t2s changes (kept in the cache folder beside the packs, keyed by OpenCC's files),
    or None when OpenCC's tables are not as expected."""
    from checklist import packcache

    fingerprint = conversion_fingerprint()
    if not fingerprint:
        return None
    key = packcache.code_tables_key("t2s changes", ("textnorm.py",), fingerprint)
    stored = packcache.load_tables(key)
    if stored is not None:
        try:
            return _changes_from(stored)
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # not what was written: read from the tables and stored again
    changes = _read_changes()
    if changes is not None:
        data = {"chars": "".join(sorted(changes.chars)), "phrases": changes.phrases}
        packcache.store_tables(key, data, "OpenCC t2s")
    return changes


def _changes_from(data: Any) -> _Changes:
    chars, phrases = data["chars"], data["phrases"]
    if type(chars) is not str or not all(
        type(c) is str and len(c) == 1 and type(p) is list and all(type(x) is str for x in p)
        for c, p in phrases.items()
    ):
        raise TypeError("not the changes written")
    return _Changes(frozenset(chars), {c: tuple(p) for c, p in phrases.items()})


def _read_changes() -> _Changes | None:
    """What t2s changes, read from OpenCC's tables (a millisecond and a half, where building
    the converter takes about 20), or None when they are not as expected."""
    tables = _t2s_tables()
    if tables is None:
        return None
    chars: set[str] = set()
    phrases: dict[str, list[str]] = {}
    for table in tables:
        # Four thousand one-character lines: a character whose first candidate (what
        # OpenCC's convert() writes) is another is found by one search, not a loop.
        chars.update(_CHANGED_CHARACTER.findall(table))
        for line in _LONGER_KEY.findall(table):
            key, value = line.split("\t")
            first = value.split(" ")[0]
            if first == key:
                continue
            differing = (
                {a for a, b in zip(key, first, strict=True) if a != b}
                if len(first) == len(key)
                else set(key)
            )
            for char in differing:
                phrases.setdefault(char, []).append(key)
    return _Changes(
        frozenset(chars),
        {char: tuple(found) for char, found in phrases.items() if char not in chars},
    )


_CHANGED_CHARACTER = lazy_compile(r"^(\S)\t(?!\1(?: |$))", re.MULTILINE)
"""A one-character key whose first candidate is not itself."""
_LONGER_KEY = lazy_compile(r"^\S{2,}\t.*$", re.MULTILINE)
"""A line whose key is a phrase."""
_NO_TAB = lazy_compile(r"^[^\t\n]*$", re.MULTILINE)
"""A line without a tab (every line of OpenCC's text dictionaries is ``key<TAB>value``)."""


@cache
def conversion_fingerprint() -> str:
    """The name, size and time of each file of OpenCC's t2s conversion ('' when not found):
    what decides how :func:`to_simplified` converts, for keys of tables built with it."""
    files = _t2s_files()
    if files is None:
        return ""
    marks = []
    for path in files:
        try:
            stat = os.stat(path)
        except OSError:
            return ""
        marks.append(f"{path}|{stat.st_size}|{stat.st_mtime_ns}")
    return "\n".join(marks)


@cache
def _t2s_files() -> tuple[str, ...] | None:
    """The t2s configuration and the tables of its conversion chain, where OpenCC's own
    loader finds them; None when they are not there."""
    import json
    from importlib.util import find_spec

    spec = find_spec("opencc")
    if spec is None or spec.origin is None:
        return None
    root = os.path.dirname(spec.origin)
    config = os.path.join(root, "config", "t2s.json")
    try:
        with open(config, encoding="utf-8") as handle:
            chain = json.load(handle)["conversion_chain"]
        names = [
            item["file"] for step in chain for item in step["dict"].get("dicts", [step["dict"]])
        ]
        return (config, *(os.path.join(root, "dictionary", name) for name in names))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _t2s_tables() -> tuple[str, ...] | None:
    """The text of each table in the t2s conversion chain, as OpenCC reads them; None when
    the files are not where OpenCC's own loader expects them or a line is not ``key<TAB>value``."""
    files = _t2s_files()
    if files is None:
        return None
    tables = []
    try:
        for path in files[1:]:
            with open(path, encoding="utf-8") as table:
                text = table.read().replace("\r\n", "\n").strip("\n")
            if text.count("\t") != text.count("\n") + 1 or _NO_TAB.search(text):
                return None
            tables.append(text)
    except (OSError, ValueError):
        return None
    return tuple(tables)


def has_cjk(text: str) -> bool:
    """Whether ``text`` contains a CJK ideograph."""
    # Not a regex: compiling a class over these ranges costs 2 ms, a tenth of a run's
    # reading, and CJK text has an ideograph within its first few characters.
    # A plain loop: any() over a generator cost four times the scan on a CJK cell.
    if text.isascii():
        return False
    for char in text:  # noqa: SIM110
        if "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff":
            return True
    return False


@cache
def _touched() -> frozenset[str]:
    """Every character a change needs: converted ones and those converted inside phrases."""
    changes = _changes()
    return frozenset() if changes is None else changes.chars | frozenset(changes.phrases)


def to_simplified(text: str) -> str:
    """Traditional → simplified Chinese (unchanged when there is nothing to convert)."""
    if not has_cjk(text):
        return text
    changes = _changes()
    # OpenCC changes a text only where a character or phrase it holds maps to another:
    # a text with neither is returned without building the converter.
    if changes is not None and _touched().isdisjoint(text):
        return text  # most text: none of the characters either kind of change needs
    if (
        changes is not None
        and changes.chars.isdisjoint(text)
        and not any(
            char in text and any(phrase in text for phrase in phrases)
            for char, phrases in changes.phrases.items()
        )
    ):
        return text
    return str(_converter().convert(text))


def strip_pinyin(text: str) -> str:
    """Remove pinyin annotations such as ``(zǔ)`` after characters."""
    if "(" not in text and "（" not in text:
        return text  # no bracket for an annotation to stand in
    return _PINYIN.sub("", text)


def strip_numbering(text: str) -> str:
    """Remove a leading item number such as ``1、``, ``（三）`` or ``2.1``."""
    return _LEADING_NUMBERING.sub("", text, count=1)


def match_key(text: object) -> str:
    """The key indicator texts are compared by: simplified, no pinyin, numbering, spaces or punctuation."""
    value = clean(text)
    value = strip_pinyin(value)
    value = to_simplified(value)
    value = strip_numbering(value)
    return _NOT_WORD.sub("", value).lower()


def quick_key(text: object) -> str:
    """A cheap key (no script conversion) for telling whether a template text was edited."""
    return _NOT_WORD.sub("", strip_pinyin(clean(text))).lower()


# What units write in the evidence column when they have none.
_NO_EVIDENCE = frozenset(
    [
        "无",
        "暂无",
        "没有",
        "无此项",
        "不适用",
        "待补充",
        "待补",
        "后补",
        "待提供",
        "略",
        "缺",
        "未提供",
        "无佐证",
        "none",
        "na",
        "n/a",
    ]
)


def has_evidence(text: str) -> bool:
    """Whether an evidence cell names something (无, 暂无, 待补充, — and / do not)."""
    key = match_key(text)
    return bool(key) and key not in _NO_EVIDENCE
