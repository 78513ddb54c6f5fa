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
from typing import Any

# Zero-width and other invisible characters that survive NFKC.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_PINYIN = re.compile(
    r"[(（]\s*[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]+\s*[)）]",
)
_LEADING_NUMBERING = re.compile(
    r"^\s*(?:[0-9]+(?:\.[0-9]+)+\s*|第?[0-9一二三四五六七八九十百]+[、.．:：)）]|[(（][0-9一二三四五六七八九十]+[)）])"
)
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def clean(text: object) -> str:
    """NFKC, invisible characters removed, whitespace collapsed and trimmed."""
    if text is None:
        return ""
    value = unicodedata.normalize("NFKC", str(text)).translate(_INVISIBLE)
    return " ".join(value.split())


@cache
def _converter() -> Any:
    # OpenCC's pure-Python port takes ~60 ms to load its dictionaries, so it is
    # built once, and only when a text actually contains a traditional character.
    from opencc import OpenCC

    return OpenCC("t2s")


@cache
def _traditional_chars() -> frozenset[str]:
    """Single characters OpenCC's t2s tables would change; text without any is left alone.

    Read from the tables themselves (a few milliseconds), so that a text with
    no traditional character never pays for building the converter.
    """
    chars = _traditional_chars_from_tables()
    return chars if chars else _traditional_chars_of(_converter())


def _traditional_chars_from_tables() -> frozenset[str]:
    """The t2s conversion chain's single-character keys with another value, read as
    OpenCC reads them (``key<TAB>value`` lines); empty when the files are not as expected."""
    import json
    from importlib.util import find_spec

    spec = find_spec("opencc")
    if spec is None or spec.origin is None:
        return frozenset()
    root = os.path.dirname(spec.origin)
    chars: set[str] = set()
    try:
        with open(os.path.join(root, "config", "t2s.json"), encoding="utf-8") as config:
            chain = json.load(config)["conversion_chain"]
        files = [
            item["file"] for step in chain for item in step["dict"].get("dicts", [step["dict"]])
        ]
        for name in files:
            with open(os.path.join(root, "dictionary", name), encoding="utf-8") as table:
                for line in table:
                    key, value = line.strip().split("\t")
                    if len(key) == 1 and value != key:
                        chars.add(key)
    except (OSError, ValueError, KeyError, TypeError):
        return frozenset()
    return frozenset(chars)


def _traditional_chars_of(converter: Any) -> frozenset[str]:
    """The same set, from a built converter's loaded tables."""
    chars: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, tuple) and len(node) == 3 and isinstance(node[2], dict):
            chars.update(k for k, v in node[2].items() if len(k) == 1 and v != k)

    walk(getattr(converter, "_dict_chain_data", None))
    return frozenset(chars)


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def has_cjk(text: str) -> bool:
    """Whether ``text`` contains a CJK ideograph."""
    return _CJK.search(text) is not None


def to_simplified(text: str) -> str:
    """Traditional → simplified Chinese (unchanged when there is nothing to convert)."""
    if not has_cjk(text):
        return text
    traditional = _traditional_chars()
    # An empty set means OpenCC's internals changed: convert everything then.
    if traditional and traditional.isdisjoint(text):
        return text
    return str(_converter().convert(text))


def strip_pinyin(text: str) -> str:
    """Remove pinyin annotations such as ``(zǔ)`` after characters."""
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
