"""Bilingual text: every user-facing string exists in simplified Chinese and English."""

from __future__ import annotations

import re
from enum import StrEnum

from checklist.patterns import lazy_compile
from checklist.records import record


class Lang(StrEnum):
    """Languages of user-facing output."""

    zh = "zh"
    en = "en"


@record
class Text:
    """One piece of user-facing text in both languages."""

    zh: str
    """Simplified Chinese (the default language)."""
    en: str
    """English (``--lang en``)."""

    def get(self, lang: str) -> str:
        """The text in ``lang`` (``zh`` or ``en``)."""
        return self.en if lang == Lang.en else self.zh

    def as_dict(self) -> dict[str, str]:
        """The JSON form ``{"zh": …, "en": …}``."""
        return {"zh": self.zh, "en": self.en}

    def format(self, **params: object) -> Text:
        """Both languages with ``str.format`` placeholders filled in."""
        return Text(self.zh.format(**params), self.en.format(**params))


# C0 controls except tab and newline, DEL, C1 controls, and the bidi controls
# (embeddings, overrides, isolates, marks): printed raw they let a unit name
# move the cursor, clear the screen, open a hyperlink or reorder what follows.
CONTROL_AND_BIDI = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
"""C0 (but tab and line feed) and C1 controls, DEL and bidi controls, as a regex class body."""
_UNSAFE = lazy_compile(f"[{CONTROL_AND_BIDI}]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    r"""``text`` with control and bidi characters shown as escapes (ESC → ``\x1b``).

    Safe to print on a terminal or put in a cell: nothing the unit typed can act
    on the screen, and the escape still shows that something was there.
    """
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_escape, text)


def json_printable(text: str) -> str:
    r"""JSON text with the same characters as JSON escapes (``\u202e``), still valid JSON.

    ``json.dumps(..., ensure_ascii=False)`` escapes C0 controls but leaves DEL,
    C1 and bidi controls raw; outside strings JSON has none of them.
    """
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
