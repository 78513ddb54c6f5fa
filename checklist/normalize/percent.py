"""Percentages and ratios on the 0..100 scale: 95%, 0.95, 九成, 百分之九十五, 19/20, 95%以上."""

from __future__ import annotations

from decimal import Decimal

from checklist.codes import NoteCode
from checklist.model import AnswerSpec, IntakeNote, NoteLevel
from checklist.normalize.common import (
    NEGATIVE,
    NOT_FINITE,
    Normalized,
    Reader,
    Written,
    given,
    make_note,
    note_value,
    unreadable,
)
from checklist.normalize.meaning import read_by_meaning
from checklist.normalize.numerals import NUMTOK, PLAIN_NUMBER, cn_fast, to_number
from checklist.normalize.quantity import (
    Quantity,
    parse_quantity,
    plain,
    qualifier_notes,
    read_quantity,
)
from checklist.normalize.sentences import number_in_sentence
from checklist.patterns import lazy_compile
from checklist.text import Text

_PERCENT_OF = lazy_compile(rf"^(?P<pre>.*?)百分之(?P<n>{NUMTOK})(?P<post>.*)$")
_CHENG = lazy_compile(
    r"^(?P<a>[一二两三四五六七八九十]|\d{1,2})成(?P<b>[一二三四五六七八九]|\d)?(?P<post>.*)$"
)
_FRACTION = lazy_compile(r"^(?P<a>\d+(?:\.\d+)?)/(?P<b>\d+(?:\.\d+)?)$")


def finish_percent(
    q: Quantity, spec: AnswerSpec, shown: str, explicit: bool, extra: list[IntakeNote]
) -> Normalized:
    """A rate on the 0..100 scale from a quantity."""
    value = q.value
    notes = list(extra)
    if value < 0:
        return unreadable(shown, hint(spec), NEGATIVE)
    if q.unit == "‰":
        value = value / 10
    elif not explicit and not q.unit and 0 < value <= 1:
        value = value * 100
        notes.append(
            make_note(
                NoteCode.fraction_as_percent,
                f"“{shown}”按小数理解，记为 {note_value(to_number(value))}%",
                f"'{shown}' read as a fraction: {note_value(to_number(value))}%",
            )
        )
    result = to_number(value)
    if result is None:
        return unreadable(shown, hint(spec), NOT_FINITE)
    if result > 100:
        notes.append(
            make_note(
                NoteCode.over_100,
                f"“{shown}”超过 100%，请核实",
                f"'{shown}' is over 100%; please check",
                NoteLevel.warning,
            )
        )
    return given(result, *qualifier_notes(q, shown, result), *notes)


def _text(written: Written, spec: AnswerSpec) -> Normalized | None:
    key, shown = written.key, written.shown
    if PLAIN_NUMBER.match(key):
        return finish_percent(plain(Decimal(key)), spec, shown, False, [])
    if key.endswith("%") and PLAIN_NUMBER.match(key[:-1]):
        q = Quantity(Decimal(key[:-1]), "%", (), False, False)
        return finish_percent(q, spec, shown, True, [])
    # '百分之九十五', '百分之95以上': a percent sign in words.
    if m := _PERCENT_OF.match(key):
        inner = parse_quantity(f"{m.group('pre')}{m.group('n')}%{m.group('post')}", True)
        if inner is not None:
            return finish_percent(inner, spec, shown, True, [])
    # '九成' → 90, '九成五' → 95, '九成以上' → 90 (a lower bound).
    if m := _CHENG.match(key):
        a, b = m.group("a"), m.group("b")
        tens = int(a) if a.isdigit() else cn_fast(a)
        ones = 0 if b is None else int(b) if b.isdigit() else cn_fast(b)
        if tens is not None and ones is not None and tens <= 10:
            inner = parse_quantity(f"{tens * 10 + ones}%{m.group('post')}", True)
            if inner is not None:
                chinese = not (a.isdigit() and (b is None or b.isdigit()))
                q = Quantity(inner.value, inner.unit, inner.kinds, chinese, False)
                return finish_percent(q, spec, shown, True, [])
    # '19/20' — a rate written as the fraction it comes from.
    if m := _FRACTION.match(key):
        a, b = Decimal(m.group("a")), Decimal(m.group("b"))
        if b > 0:
            value = a / b * 100
            q = Quantity(value, "%", (), False, False)
            note = make_note(
                NoteCode.fraction_form,
                f"“{shown}”按分数计算为 {note_value(to_number(value))}%",
                f"'{shown}' computed as a fraction: {note_value(to_number(value))}%",
            )
            return finish_percent(q, spec, shown, True, [note])
    found = read_quantity(key, spec, percent=True)
    if found is None:
        return None
    explicit = found.unit in ("%", "‰", "百分点", "个百分点")
    return finish_percent(found, spec, shown, explicit, [])


def _number(number: Decimal, as_text: str, spec: AnswerSpec, shown: str) -> Normalized:
    return finish_percent(plain(number), spec, shown, False, [])


def _sentence(written: Written, spec: AnswerSpec, indicator: str) -> Normalized | None:
    def usual(text: Written) -> Normalized | None:
        return number_in_sentence(
            text,
            spec,
            indicator,
            True,
            lambda q, explicit: finish_percent(q, spec, written.shown, explicit, []),
        )

    return read_by_meaning(written, spec, indicator, usual) or usual(written)


def hint(spec: AnswerSpec) -> Text:
    """What to type instead (a ratio is checked against its counts, but typed as a rate)."""
    return Text("请填写百分比，如 95%", "enter a percentage, e.g. 95%")


READER = Reader(hint, _text, number=_number, sentence=_sentence)
