"""Free text: kept as written, unless it says 不适用 (in either script) or 无 (nothing named)."""

from __future__ import annotations

from checklist.codes import NoteCode
from checklist.model import AnswerSpec
from checklist.normalize.common import (
    CJK,
    Normalized,
    Reader,
    Written,
    given,
    is_na,
    lookup_key,
    make_note,
    not_applicable,
    raw_text,
    t2s,
)
from checklist.normalize.yesno import NO_WORDS
from checklist.text import Text

# N/A words are short; longer text is never converted (it is kept as written).
_MAX_NA_LENGTH = 8


def _text(written: Written, spec: AnswerSpec) -> Normalized:
    text, shown = written.text, written.shown
    # The N/A words in simplified characters are already refused; these are
    # the same in traditional ones (不適用), which the dispatcher does not
    # convert here because text is never re-read.
    if len(text) <= _MAX_NA_LENGTH and CJK.search(text):
        simplified = t2s()(text)
        if simplified != text and is_na(lookup_key(simplified), simplified):
            return not_applicable(shown)
    # A number typed as text reads as the number would (0 stays "0", not none).
    if written.key in NO_WORDS and not text.isdigit():
        # 暂无 / 无 / 未明确 for "name the responsible leader": nothing was named.
        return given(
            "",
            make_note(
                NoteCode.no_text,
                f"“{shown}”表示没有，记为未填写内容",
                f"'{shown}' means none; recorded as empty",
            ),
        )
    return given(raw_text(written.raw))


def hint(spec: AnswerSpec) -> Text:
    """What to type instead."""
    return Text("请填写文字说明", "enter some text")


READER = Reader(hint, _text)
