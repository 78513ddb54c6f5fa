"""The registry of answer readers behind normalize_answer."""

from __future__ import annotations

import datetime as dt

import pytest

from checklist.codes import NoteCode
from checklist.model import AnswerSpec, AnswerState, AnswerType, Choice, NoteLevel
from checklist.normalize import READERS, normalize_answer
from checklist.text import Text

CHOICES = (
    Choice("standalone", Text("独立建会", "Standalone union"), 1.0),
    Choice("joint", Text("联合建会", "Joint union"), 0.5),
)


def test_every_answer_type_has_a_reader() -> None:
    assert set(READERS) == set(AnswerType)


@pytest.mark.parametrize("kind", [t for t in AnswerType if t is not AnswerType.text])
def test_an_unreadable_answer_says_what_to_type_for_its_type(kind: AnswerType) -> None:
    spec = AnswerSpec(kind, choices=CHOICES if kind is AnswerType.choice else ())
    result = normalize_answer("@@@", spec)
    assert result.state is AnswerState.missing
    (note,) = result.notes
    assert (note.level, note.code) == (NoteLevel.error, NoteCode.unreadable)
    hint = READERS[kind].hint(spec)
    assert note.message.zh.endswith(hint.zh)
    assert note.message.en.endswith(hint.en)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (AnswerType.yesno, AnswerState.missing),
        (AnswerType.count, AnswerState.missing),
        (AnswerType.percent, AnswerState.missing),
        (AnswerType.date, AnswerState.given),
        (AnswerType.text, AnswerState.given),
    ],
)
def test_a_date_cell_is_read_only_where_a_date_can_answer(
    kind: AnswerType, expected: AnswerState
) -> None:
    result = normalize_answer(dt.date(2024, 3, 15), AnswerSpec(kind))
    assert result.state is expected
    if kind is AnswerType.text:
        assert result.value == "2024-03-15"


@pytest.mark.parametrize(
    ("kind", "value"),
    [(AnswerType.yesno, True), (AnswerType.text, "TRUE"), (AnswerType.count, None)],
)
def test_a_true_cell_is_yes_only_for_a_yes_no_rule(kind: AnswerType, value: object) -> None:
    assert normalize_answer(True, AnswerSpec(kind)).value == value
