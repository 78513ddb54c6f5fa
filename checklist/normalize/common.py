"""What every answer reader shares: the result type, text clean-up, notes and N/A words.

Also the contract each answer type's module fulfils (:class:`Reader`), so that
the dispatcher in :mod:`checklist.normalize` can stay free of per-type cases.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from typing import cast

from checklist.codes import NoteCode
from checklist.model import AnswerSpec, AnswerState, IntakeNote, NoteLevel, Value
from checklist.patterns import lazy_compile
from checklist.records import record
from checklist.text import Text
from checklist.workbook import CellValue


@record
class Normalized:
    """What one raw answer cell means for one rule."""

    state: AnswerState
    """given (``value`` is set), missing (blank or unreadable) or na (不适用)."""
    value: Value | None
    """The normalised value when ``state`` is given, else None: a bool or
    ``"partial"`` for yes/no, an int or float for counts, numbers and rates (rates
    on the 0..100 scale), a choice id, a ``datetime.date`` or free text."""
    notes: tuple[IntakeNote, ...] = ()
    """Every guess (info), doubt (warning) and unreadable value (error), with
    ``sheet``, ``cell`` and ``rule_id`` still empty."""


MISSING = Normalized(AnswerState.missing, None)

# --- text clean-up ------------------------------------------------------------

# Zero-width characters survive NFKC and make '是' look different from '是'.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_QUOTES = {'"': '"', "'": "'", "“": "”", "‘": "’", "「": "」", "『": "』"}
# Stripped from the end only: a leading '.' belongs to '.5'.
_TRAILING_PUNCT = "。.,;!?、"
CJK = lazy_compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_MAX_SHOWN = 40


def tidy(text: str) -> str:
    """NFKC, invisible characters, quotes and Excel's text apostrophe removed.

    NFKC folds full-width digits, letters and signs (``１２％`` → ``12%``) and
    turns U+3000 and U+00A0 into plain spaces, which are then collapsed.
    """
    text = unicodedata.normalize("NFKC", text.translate(_INVISIBLE))
    text = " ".join(text.split())
    while len(text) >= 2 and _QUOTES.get(text[0]) == text[-1]:
        text = text[1:-1].strip()
    # Excel's text apostrophe, also as typed by a Chinese input method (‘12, ’12, `12).
    if text[:1] in ("'", "\u2018", "\u2019", "`") and not (
        len(text) >= 2 and _QUOTES.get(text[0]) == text[-1]
    ):
        text = text[1:].strip()
    stripped = text.rstrip(_TRAILING_PUNCT).rstrip()
    # Keep a lone '.' or '?' so that it is reported as unreadable, not as blank.
    return stripped or text


def lookup_key(text: str) -> str:
    """A cleaned text as looked up in the word tables: no spaces, case-folded."""
    return text.replace(" ", "").casefold()


def quoted(text: str) -> str:
    """Raw text as quoted in a message (long answers cut short)."""
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"


@functools.cache
def t2s() -> Callable[[str], str]:
    # Measured on this project's machine: importing opencc costs ~18 ms and
    # OpenCC('t2s') ~6 ms, under the ~50 ms at which a hand-made word map for
    # answers would pay for itself, so OpenCC is the only converter. It is still
    # loaded lazily because most files never contain a traditional character.
    from opencc import OpenCC

    return cast(Callable[[str], str], OpenCC("t2s").convert)


# --- cell text -------------------------------------------------------------


def raw_text(raw: CellValue) -> str:
    """How a raw cell is shown and stored: ``''`` for blank, ``12.0`` → ``12``,
    dates in ISO form, booleans as ``TRUE``/``FALSE``, text stripped."""
    if raw is None:
        return ""
    if isinstance(raw, str):
        return raw.strip().strip("\u200b\u200c\u200d\u2060\ufeff").strip()
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, int):
        try:
            return str(raw)
        except ValueError:  # beyond Python's int-to-str digit limit
            return f"{Decimal(raw):.6e}"
    if isinstance(raw, float):
        if math.isfinite(raw) and raw == int(raw) and abs(raw) < 1e16:
            return str(int(raw))
        return repr(raw)
    if isinstance(raw, dt.datetime):
        if raw.time() == dt.time(0) and raw.tzinfo is None:
            return raw.date().isoformat()
        return raw.isoformat(sep=" ")
    if isinstance(raw, dt.date | dt.time):
        return raw.isoformat()
    return str(raw)


# --- notes --------------------------------------------------------------------


def make_note(code: NoteCode, zh: str, en: str, level: NoteLevel = NoteLevel.info) -> IntakeNote:
    return IntakeNote(level, code, Text(zh, en))


def note_value(value: object) -> str:
    """A value as a note shows it."""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return raw_text(value)  # safe beyond Python's int-to-str digit limit
    return str(value)


def given(value: Value, *notes: IntakeNote) -> Normalized:
    return Normalized(AnswerState.given, value, notes)


def not_applicable(shown: str) -> Normalized:
    return Normalized(
        AnswerState.na,
        None,
        (
            make_note(
                NoteCode.not_applicable,
                f"“{shown}”记为不适用",
                f"'{shown}' recorded as not applicable",
            ),
        ),
    )


def unreadable(shown: str, hint: Text, reason: Text | None = None) -> Normalized:
    """Missing, with an error note quoting ``shown``, saying why and what to type instead."""
    why_zh = f"{reason.zh}；" if reason else ""
    why_en = f"{reason.en}; " if reason else ""
    note = make_note(
        NoteCode.unreadable,
        f"无法识别“{shown}”：{why_zh}{hint.zh}",
        f"Could not read '{shown}': {why_en}{hint.en}",
        NoteLevel.error,
    )
    return Normalized(AnswerState.missing, None, (note,))


NEGATIVE = Text("不能为负数", "it cannot be negative")
NOT_FINITE = Text("不是有效的数字", "it is not a finite number")

# --- word tables --------------------------------------------------------------


def word_set(text: str) -> frozenset[str]:
    """A word table written as one space-separated string (easier to read and extend)."""
    return frozenset(text.split())


# Keys are as lookup_key() leaves them: NFKC, no spaces, case-folded.
_NA_WORDS = word_set(
    "不适用 无此项 无此项目 不涉及 本单位无此项 我单位无此项 本单位不涉及 本单位不适用 此项不适用 不适用本单位 没有此项 无该项 "
    "无此类情况 n/a na n.a n.a. notapplicable"
)
# '—', '－' (NFKC: '-'), '–', '／' (NFKC: '/'), '/' and runs of them.
_NA_MARKS = lazy_compile(r"^(?:[-—–―‐‑‒─━]+|/+|\\)$")

# 不适用（职工不足200人）, 不涉及，本校无此项: an N/A word followed by its reason.
_NA_WITH_REASON = lazy_compile(r"^([^(（,，;；:：]+)(?:[(（].*[)）]|[,，;；:：].+)$")


def is_na(key: str, text: str) -> bool:
    if key in _NA_WORDS or _NA_MARKS.match(text):
        return True
    reason = _NA_WITH_REASON.match(key)
    return reason is not None and reason.group(1) in _NA_WORDS


# --- the contract of an answer type ---------------------------------------------


@record
class Written:
    """An answer typed as text, in the forms the readers look at."""

    raw: str
    """As typed."""
    text: str
    """Tidied (:func:`tidy`): NFKC, no invisible characters, quotes or trailing punctuation."""
    key: str
    """``text`` as looked up in the word tables (:func:`lookup_key`)."""
    shown: str
    """As a note quotes it (:func:`quoted`)."""


@record
class Reader:
    """How the answers of one type are read; registered by type in :mod:`checklist.normalize`.

    The dispatcher does what all types share: blanks, N/A words, words the rule
    defines, a second reading in simplified characters, the error note.
    """

    hint: Callable[[AnswerSpec], Text]
    """What to type instead, quoted in the note for an unreadable answer."""
    text: Callable[[Written, AnswerSpec], Normalized | None] | None = None
    """Text read strictly, after the N/A words; None when not understood."""
    named: Callable[[Written, AnswerSpec], Normalized | None] | None = None
    """Text that names an answer exactly, read before the N/A words (a choice may be
    called 不涉及)."""
    number: Callable[[Decimal, str, AnswerSpec, str], Normalized] | None = None
    """A finite number typed in a cell: (value, as text, spec, as quoted). None: every
    cell that is not text (number, date, time, TRUE/FALSE) is read as its text."""
    yes_no: bool = False
    """A TRUE/FALSE cell is the answer itself (otherwise it is read as its text)."""
    date: Callable[[dt.date, str], Normalized] | None = None
    """A date cell (date, as quoted); None: a date cell is unreadable."""
    sentence: Callable[[Written, AnswerSpec, str], Normalized | None] | None = None
    """The one value a sentence holds for the rule (written, spec, the rule's wording)."""
    loose: Callable[[Written, AnswerSpec], Normalized | None] | None = None
    """A last, looser reading (the closest choice)."""
