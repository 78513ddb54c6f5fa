"""Answer normalisation: one raw cell and the rule's answer spec in, one value out.

Units fill in forms by hand, in Excel or WPS, sometimes retyping them: ``√``,
``１２人``, ``约30``, ``九成``, ``每季度``, ``已建立，见附件3``, traditional
characters, Excel date serials. :func:`normalize_answer` reads all of these
(see ``docs/error-codes.md`` for the notes it writes), records every guess as
an info note and every answer it cannot read as an error note, and never
raises: one odd cell must not cost a unit its whole file.

The notes leave ``sheet``, ``cell`` and ``rule_id`` empty; intake fills them in
with :func:`dataclasses.replace`.

This module dispatches; each answer type is read by its own module
(:mod:`.yesno`, :mod:`.number` for counts and numbers, :mod:`.percent` for
percentages and ratios, :mod:`.choice`, :mod:`.date`, :mod:`.text`), registered
below by :class:`~checklist.model.AnswerType`. They share the clean-up and
notes of :mod:`.common`, the numerals of :mod:`.numerals`, the units and
qualifiers of :mod:`.quantity` and the sentence reading of :mod:`.sentences`.

Speed matters: intake calls this for every answer of every file (a batch is a
county's worth of files), so the clean answers a template produces (``是``,
``12``, ``0.95``, ``95%``) go through a few dictionary look-ups and module-level
regexes. The three slow dependencies are imported only when an answer needs
them: OpenCC (traditional characters), cn2an (Chinese numerals beyond the
simple ones) and rapidfuzz (choices not written exactly).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace
from typing import cast

from checklist.codes import NoteCode
from checklist.model import AnswerSpec, AnswerState, AnswerType
from checklist.normalize import choice, date, number, percent, text, yesno
from checklist.normalize.common import (
    CJK,
    MISSING,
    NOT_FINITE,
    Normalized,
    Reader,
    Written,
    is_na,
    lookup_key,
    make_note,
    not_applicable,
    quoted,
    raw_text,
    t2s,
    tidy,
    unreadable,
)
from checklist.normalize.date import parse_year
from checklist.normalize.meaning import rate_from_named_counts
from checklist.normalize.numerals import to_decimal
from checklist.text import Text
from checklist.workbook import CellValue

__all__ = ["Normalized", "normalize_answer", "parse_year", "raw_text"]

READERS: dict[AnswerType, Reader] = {
    AnswerType.yesno: yesno.READER,
    AnswerType.count: number.READER,
    AnswerType.number: number.READER,
    AnswerType.percent: percent.READER,
    AnswerType.ratio: percent.READER,
    AnswerType.choice: choice.READER,
    AnswerType.date: date.READER,
    AnswerType.text: text.READER,
}
"""The reader of each answer type (``tests/test_normalize_readers.py`` checks every type has one)."""

# Guesses made from the first word only: '已撤銷' starts like a yes but means no,
# so such answers are read again in simplified characters.
_WEAK_GUESSES = frozenset(
    {
        NoteCode.yes_with_text,
        NoteCode.no_with_text,
        NoteCode.hedged_answer,
        NoteCode.number_with_text,
    }
)


def normalize_answer(
    raw: CellValue, spec: AnswerSpec, indicator: str = "", counts: tuple[str, str] | None = None
) -> Normalized:
    """What ``raw`` means as an answer of type ``spec.type``.

    Blank cells are missing (never "no"); 不适用 and its kin are N/A; every
    guess is an info note; anything unreadable is missing with an error note
    that quotes what was written and says what to type instead. Never raises.

    ``indicator`` is what the row asks (the rule's wordings): an answer written
    as a sentence with several numbers (职工56人，会员54人) is read by the number
    whose words match it, and a yes/no answer that restates it (单独设立账户)
    counts as yes. Without it such answers are unreadable, never guessed.

    ``counts`` are the wordings of the two rules a ratio divides (numerator,
    denominator): a sentence that states both counts and no rate (职工56人，
    会员54人) is then read as their quotient.
    """
    try:
        if spec.words and isinstance(raw, str):
            worded = _rule_word(raw, spec)
            if worded is not None:
                return worded
        result = _normalize(raw, spec, indicator)
        if counts and result.state is AnswerState.missing and isinstance(raw, str):
            return rate_from_named_counts(raw, *counts) or result
        return result
    except Exception:
        # Unreachable by design (the property tests drive _normalize with
        # arbitrary input); kept so that a bug costs one answer, not a file.
        return unreadable(quoted(_safe_raw_text(raw)), READERS[spec.type].hint(spec))


def _rule_word(raw: str, spec: AnswerSpec) -> Normalized | None:
    """A word the rule itself defines (齐全 → 0 missing ledgers), matched on normalised text."""
    from checklist.textnorm import match_key

    key = match_key(raw)
    for word, value in spec.words:
        if match_key(word) == key:
            state = AnswerState.na if value is None else AnswerState.given
            shown = _word_meaning(value, spec)
            note = make_note(
                NoteCode.rule_word,
                f"“{raw.strip()}”按本指标的约定，按“{shown.zh}”计。",
                f"'{raw.strip()}' counts as {shown.en}, as this rule defines.",
            )
            return Normalized(state, value, (note,))
    return None


def _word_meaning(value: object, spec: AnswerSpec) -> Text:
    """What a rule's own word stands for, as people read it (是, 0项, 不适用), never a Python value."""
    if value is None:
        return Text("不适用", "N/A")
    if value is True or value is False or value == "partial":
        return {True: Text("是", "yes"), False: Text("否", "no")}.get(
            cast(bool, value), Text("部分", "partly")
        )
    choice_ = next((c for c in spec.choices if c.id == value), None)
    if choice_ is not None:
        return choice_.label
    amount = f"{value:g}" if isinstance(value, int | float) else str(value)
    return Text(amount + (spec.unit or ""), amount)


def _safe_raw_text(raw: CellValue) -> str:
    try:
        return raw_text(raw)
    except Exception:
        return "?"


def _normalize(raw: CellValue, spec: AnswerSpec, indicator: str = "") -> Normalized:
    if raw is None:
        return MISSING
    reader = READERS[spec.type]
    if isinstance(raw, str):
        return _from_text(raw, spec, indicator)
    if reader.number is None:
        # Free text and choices make sense of any cell as it reads.
        return _from_text(raw_text(raw), spec)
    if isinstance(raw, bool):
        return (
            Normalized(AnswerState.given, raw) if reader.yes_no else _from_text(raw_text(raw), spec)
        )
    shown = quoted(raw_text(raw))
    if isinstance(raw, int | float):
        if isinstance(raw, float) and not math.isfinite(raw):
            return unreadable(shown, reader.hint(spec), NOT_FINITE)
        return reader.number(to_decimal(raw), raw_text(raw), spec, shown)
    if isinstance(raw, dt.date) and reader.date is not None:
        return reader.date(raw.date() if isinstance(raw, dt.datetime) else raw, shown)
    # A date for a quantity, or a time or duration: no answer of this type.
    return unreadable(shown, reader.hint(spec))


def _from_text(raw: str, spec: AnswerSpec, indicator: str = "") -> Normalized:
    tidied = tidy(raw)
    if not tidied:
        return MISSING
    reader = READERS[spec.type]
    written = Written(raw, tidied, lookup_key(tidied), quoted(raw_text(raw)))
    result = _parse(written, spec, reader)
    # Traditional characters are converted only when the text was not read, or
    # read only by its first word: '已撤銷' starts like a yes but means no.
    weak = result is not None and any(n.code in _WEAK_GUESSES for n in result.notes)
    if (result is None or weak) and CJK.search(tidied):
        simplified = t2s()(tidied[:200]) + tidied[200:]
        if simplified != tidied:
            converted = replace(written, text=simplified, key=lookup_key(simplified))
            again = _parse(converted, spec, reader)
            if again is not None or result is None:
                written, result = converted, again
            if again is not None:
                note = make_note(
                    NoteCode.traditional_chars,
                    f"“{written.shown}”含繁体字，已按简体识别",
                    f"'{written.shown}' contains traditional characters; read as simplified",
                )
                result = Normalized(again.state, again.value, (note, *again.notes))
    if result is None and reader.sentence is not None:
        result = reader.sentence(written, spec, indicator)
    if result is None and reader.loose is not None:
        result = reader.loose(written, spec)
    return result if result is not None else unreadable(written.shown, reader.hint(spec))


def _parse(written: Written, spec: AnswerSpec, reader: Reader) -> Normalized | None:
    """``written`` read strictly as ``spec.type``; None when not understood."""
    if reader.named is not None and (named := reader.named(written, spec)) is not None:
        return named  # a choice may itself read like N/A ('不涉及')
    if is_na(written.key, written.text):
        return not_applicable(written.shown)
    return None if reader.text is None else reader.text(written, spec)
