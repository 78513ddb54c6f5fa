"""Answers written as sentences, not values.

Forms with a 工作情况和数字说明 column get sentences: "职工56人，会员54人，入会率96.4%",
"2024年3月召开会员代表大会1次", "2021年11月按期换届", "单独设立账户，由财务科代管".
The strict readers refuse them; the readers' ``sentence`` step reads the one
value such a sentence holds for the rule (with the helpers here), and refuses
again when it holds several the rule's wording cannot tell apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from checklist.codes import NoteCode
from checklist.model import AnswerSpec, AnswerState, NoteLevel
from checklist.normalize.common import (
    Normalized,
    Written,
    lookup_key,
    make_note,
    note_value,
    tidy,
    word_set,
)
from checklist.normalize.numerals import NUMTOK, Number, number_token
from checklist.normalize.quantity import COUNT_UNITS, PERCENT_UNITS, Quantity, alternation

# Dates inside a sentence are no counts: 2024年3月召开…1次, 2次（3月、9月）.
_DATE_IN_SENTENCE = re.compile(
    r"(?:19|20)\d\d(?:年(?:\d{1,2}月(?:\d{1,2}[日号])?)?|[./-]\d{1,2}(?:[./-]\d{1,2})?)"
    r"|\d{1,2}月(?:\d{1,2}[日号]|份|底|初)?"
)
_SENTENCE_UNITS = sorted(
    (COUNT_UNITS - {"年", "月", "周", "岁", "日"}) | set(PERCENT_UNITS), key=len, reverse=True
)
_NUMBER_IN_SENTENCE = re.compile(
    rf"百分之(?P<pct>{NUMTOK})"
    rf"|(?P<n>\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万廿]+)(?P<u>{alternation(_SENTENCE_UNITS)})"
)
_LABEL_END = re.compile(r"[,;:()、。/，；：（）\s]")
_UNIT_GROUPS = (
    word_set("人 名 位 人次"),
    word_set("次 场 期 回 批次"),
    word_set("个 家 支 所 处 队 组"),
    word_set("天 日"),
    word_set("学时 课时 小时"),
    word_set("篇 份 本 册"),
    word_set("项 条 件"),
)
# Words that undo or postpone what a sentence says: 未建, 没有, 计划明年建立.
SENTENCE_NEGATION = re.compile(r"未|没|无|不|否|缺|尚|暂|待|拟|计划|准备|正在")

_EACH = re.compile(r"各|分别|每")


@dataclass(frozen=True, slots=True)
class _Mention:
    """A number a sentence states, with the words before it."""

    label: str
    """The words since the last separator (会员 in 职工56人，会员54人)."""
    number: Number
    """The number."""
    unit: str
    """The unit after it (人, 次, %)."""
    written: str
    """The number and unit as written (54人)."""


def _same_unit(a: str, b: str) -> bool:
    return a == b or any(a in group and b in group for group in _UNIT_GROUPS)


def mentions(key: str) -> list[_Mention]:
    text = _DATE_IN_SENTENCE.sub("/", key)
    found: list[_Mention] = []
    start = 0
    for m in _NUMBER_IN_SENTENCE.finditer(text):
        before = text[start : m.start()]
        cut = [b.end() for b in _LABEL_END.finditer(before)]
        label = before[cut[-1] :] if cut else before
        start = m.end()
        if m.group("pct") is not None:
            number = number_token(m.group("pct"))
            unit = "%"
        else:
            number = number_token(m.group("n"))
            unit = m.group("u")
        if number is not None:
            found.append(_Mention(label, number, unit, m.group()))
    return found


def bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _by_label(found: list[_Mention], indicator: str) -> _Mention | None:
    """The one mention whose words the indicator shares most, if one does."""
    if not indicator:
        return None
    wanted = bigrams(lookup_key(tidy(indicator)))
    scored = sorted(
        ((len(bigrams(m.label) & wanted), i) for i, m in enumerate(found)), reverse=True
    )
    if not scored or scored[0][0] == 0 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return found[scored[0][1]]


def number_in_sentence(
    written: Written,
    spec: AnswerSpec,
    indicator: str,
    percent: bool,
    finish: Callable[[Quantity, bool], Normalized],
) -> Normalized | None:
    """The count, number or rate a sentence states for the rule, noting the words it took.

    ``finish`` turns the chosen number into the answer; its flag says whether a
    unit was written after it (95% is explicit, 0.95 is not).
    """
    shown = written.shown
    found = [m for m in mentions(written.key) if (m.unit in PERCENT_UNITS) == percent]
    if not percent and spec.unit and any(_same_unit(m.unit, spec.unit) for m in found):
        found = [m for m in found if _same_unit(m.unit, spec.unit)]
    if not found:
        return None
    chosen = found[0] if len(found) == 1 else _by_label(found, indicator)
    if chosen is None or _EACH.search(chosen.label):
        return None  # '3月、12月各召开1次': once each time, more than the number says
    q = Quantity(chosen.number.value, chosen.unit, (), chosen.number.chinese, chosen.number.scaled)
    result = finish(q, chosen.unit != "")
    if result.state is not AnswerState.given:
        return result
    value = note_value(result.value)
    taken = f"{chosen.label}{chosen.written}"
    level = NoteLevel.info if len(found) == 1 else NoteLevel.warning
    note = make_note(
        NoteCode.number_in_text,
        f"“{shown}”中取“{taken}”，按 {value} 计",
        f"'{shown}': took '{taken}' as {value}",
        level,
    )
    return Normalized(result.state, result.value, (note, *result.notes))
