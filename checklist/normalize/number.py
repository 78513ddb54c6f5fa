"""Counts and numbers: 12, １２人, 约30, 三十余名, 1-2个, 每季度 → 4, 2万元 in a 万元 rule."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

from checklist.codes import NoteCode
from checklist.model import AnswerSpec, AnswerType, IntakeNote, NoteLevel
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
from checklist.normalize.numerals import PLAIN_NUMBER, to_number
from checklist.normalize.quantity import (
    SPEC_UNIT_SCALE,
    Quantity,
    plain,
    qualifier_notes,
    read_quantity,
)
from checklist.normalize.sentences import number_in_sentence
from checklist.text import Text


def finish_amount(q: Quantity, spec: AnswerSpec, shown: str) -> Normalized:
    """A count or number from a quantity: units scaled, counts made whole."""
    value = q.value
    notes: list[IntakeNote] = []
    spec_unit = spec.unit or ""
    scale = SPEC_UNIT_SCALE.get(spec_unit[:1]) if len(spec_unit) > 1 else None
    base_unit = spec_unit[1:] if scale else ""
    if scale and (q.scaled or (q.unit and q.unit == base_unit)):
        # The rule counts in 万元: '2万元' and '2万' mean 2; '20000元' is 2 too.
        value = value / scale
        if not q.scaled:
            converted = to_number(value)
            notes.append(
                make_note(
                    NoteCode.scaled_unit,
                    f"“{shown}”换算为 {note_value(converted)}{spec_unit}",
                    f"'{shown}' converted to {note_value(converted)} {spec_unit}",
                )
            )
    elif q.scaled and not q.chinese:
        converted = to_number(value)
        notes.append(
            make_note(
                NoteCode.scaled_unit,
                f"“{shown}”换算为 {note_value(converted)}",
                f"'{shown}' converted to {note_value(converted)}",
            )
        )
    if value < 0 and spec.type is AnswerType.count:
        return unreadable(shown, hint(spec), NEGATIVE)
    if spec.type is AnswerType.count and value != value.to_integral_value():
        value = value.to_integral_value(rounding=ROUND_FLOOR)
        notes.append(
            make_note(
                NoteCode.rounded_down,
                f"“{shown}”不是整数，按 {value} 计",
                f"'{shown}' is not a whole number; counted as {value}",
                NoteLevel.warning,
            )
        )
    result = to_number(value)
    if result is None:
        return unreadable(shown, hint(spec), NOT_FINITE)
    return given(result, *qualifier_notes(q, shown, result), *notes)


def _text(written: Written, spec: AnswerSpec) -> Normalized | None:
    key = written.key
    if PLAIN_NUMBER.match(key):
        return finish_amount(plain(Decimal(key)), spec, written.shown)
    found = read_quantity(key, spec, percent=False)
    return None if found is None else finish_amount(found, spec, written.shown)


def _number(number: Decimal, as_text: str, spec: AnswerSpec, shown: str) -> Normalized:
    return finish_amount(plain(number), spec, shown)


def _sentence(written: Written, spec: AnswerSpec, indicator: str) -> Normalized | None:
    def usual(text: Written) -> Normalized | None:
        return number_in_sentence(
            text, spec, indicator, False, lambda q, _: finish_amount(q, spec, written.shown)
        )

    return read_by_meaning(written, spec, indicator, usual) or usual(written)


def hint(spec: AnswerSpec) -> Text:
    """What to type instead."""
    if spec.type is AnswerType.count:
        return Text("请填写整数，如 12", "enter a whole number, e.g. 12")
    return Text("请填写数字，如 12 或 33.5", "enter a number, e.g. 12 or 33.5")


READER = Reader(hint, _text, number=_number, sentence=_sentence)
