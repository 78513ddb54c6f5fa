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
from checklist.patterns import lazy_compile
from checklist.records import record

# Dates inside a sentence are no counts: 2024年3月召开…1次, 2次（3月、9月）.
_DATE_IN_SENTENCE = lazy_compile(
    r"(?:19|20)\d\d(?:年(?:\d{1,2}月(?:\d{1,2}[日号])?)?|[./-]\d{1,2}(?:[./-]\d{1,2})?)"
    r"|\d{1,2}月(?:\d{1,2}[日号]|份|底|初)?"
)
_SENTENCE_UNITS = sorted(
    (COUNT_UNITS - {"年", "月", "周", "岁", "日"}) | set(PERCENT_UNITS), key=len, reverse=True
)
_NUMBER_IN_SENTENCE = lazy_compile(
    rf"百分之(?P<pct>{NUMTOK})"
    rf"|(?P<n>\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万廿]+)(?P<u>{alternation(_SENTENCE_UNITS)})"
)
# Document, certificate and phone numbers are no counts either: 开工批〔2023〕9号,
# 工法证字第320581000123号, 0571-86123456, 13812345678.
_NOT_A_COUNT = lazy_compile(
    r"[〔\[(（【]\d{4}[〕\])）】]\d+号|第\d+号|字第?\d+号"
    r"|(?<!\d)0\d{2,3}-\d{7,8}(?!\d)|(?<!\d)1[3-9]\d{9}(?!\d)"
)
_LABEL_END = lazy_compile(r"[,;:()、。/，；：（）\s]")
_UNIT_GROUPS = (
    word_set("人 名 位 人次"),
    word_set("次 场 期 回 批次"),
    word_set("个 家 支 所 处 队 组"),
    word_set("天 日"),
    word_set("学时 课时 小时"),
    word_set("篇 份 本 册"),
    word_set("项 条 件"),
    word_set("户 户次"),
    word_set("元"),
)
# 个 counts any thing (3个活动, 2个阵地), never people.
_ANY_THING = "个"
# Words that undo or postpone what a sentence says: 未建, 没有, 计划明年建立.
SENTENCE_NEGATION = lazy_compile(r"未|没|无|不|否|缺|尚|暂|待|拟|计划|准备|正在")

# Each of several (各2人, 分别加1、3分, 每人): a number said once per member, not a total.
EACH = lazy_compile(r"各|分别|每")
_PER_PERSON = lazy_compile(r"人均|每人|每名|平均")
# A number that is part of one stated before: 团员18人，其中流动团员5人; 18名团员中已有16人.
PART = lazy_compile(r"^(?:其中|内含|含有?|包括)|中(?:已经?|共|只|仅)?有")
# What a part's words stand for, when the rule says it another way (青年 are under 35).
_IN_BRACKETS = lazy_compile(r"\([^()]*\)")
_QUALIFIERS = ((lazy_compile(r"(?:35|三十五)周?岁(?:及?以下)"), "青年"),)
# A rule counting a whole made of parts (群团干部总数（含专职、兼职）).
COUNTS_A_WHOLE = lazy_compile(r"总数|总人数|合计|[（(]含")


def parts_or_wholes(found: list[Mention], indicator: str) -> list[Mention]:
    """The numbers a sentence states for the rule: wholes, or the part the rule asks for.

    团员18人，其中流动团员5人 is 18 members, never 23 and never 5 for 团员总数; but
    志愿者12人（其中35岁以下10人） is 10 for 青年志愿者人数 and 职工80人，其中女职工
    35人 is 35 for 女职工人数: the rule puts the part's word (35岁以下 are 青年)
    right before what the whole counts.
    """
    parts = [m for m in found if PART.search(m.label)]
    wholes = [m for m in found if not PART.search(m.label)]
    if not parts or not wholes:
        return found
    if len(wholes) == 1 and indicator and not COUNTS_A_WHOLE.search(indicator):
        asked = [m for m in parts if _qualifies(m.label, wholes[0].label, indicator)]
        if len(asked) == 1:
            return asked
    return wholes


def _qualifies(part: str, whole: str, indicator: str) -> bool:
    """Whether the rule's words name the part: its qualifier, then the whole's noun."""
    noun = whole[-2:]
    if len(noun) < 2:
        return False
    own = PART.sub("", part)
    shared = 0
    while shared < min(len(own), len(whole)) and own[-1 - shared] == whole[-1 - shared]:
        shared += 1
    own = own[: len(own) - shared]  # 其中女职工 beside 职工: the qualifier is 女
    words = [w for pattern, w in _QUALIFIERS if pattern.search(part)] + ([own] if own else [])
    # Examples in brackets (办实事项数（送温暖、“五必访”等）) qualify nothing.
    said = _IN_BRACKETS.sub("", lookup_key(tidy(indicator)))
    return any(re.search(f"{re.escape(w)}.{{0,2}}{re.escape(noun)}", said) for w in words if w)


@record
class Mention:
    """A number a sentence states, with the words before it."""

    label: str
    """The words since the last separator (会员 in 职工56人，会员54人)."""
    number: Number
    """The number."""
    unit: str
    """The unit after it (人, 次, %)."""
    written: str
    """The number and unit as written (54人)."""


def same_unit(a: str, b: str) -> bool:
    return a == b or any(a in group and b in group for group in _UNIT_GROUPS)


def _unit_group(unit: str) -> int | None:
    return next((i for i, group in enumerate(_UNIT_GROUPS) if unit in group), None)


def other_kind(unit: str, asked: str) -> bool:
    """Whether ``unit`` counts another kind of thing than the rule's unit ``asked``.

    32人次 for 办实事项数 (项) counts visits, not items; 3户 for 活动次数 counts
    households. Units not in a known group (or 个, which counts any thing but
    people) are not told apart.
    """
    mine, theirs = _unit_group(unit), _unit_group(asked)
    if mine is None or theirs is None or mine == theirs:
        return False
    if _ANY_THING in (unit, asked):
        return 0 not in (mine, theirs)
    return True


def mentions(key: str) -> list[Mention]:
    text = _NOT_A_COUNT.sub("/", _DATE_IN_SENTENCE.sub("/", key))
    found: list[Mention] = []
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
            found.append(Mention(label, number, unit, m.group()))
    return found


def bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _by_label(found: list[Mention], indicator: str) -> Mention | None:
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
    if not percent and spec.unit and any(same_unit(m.unit, spec.unit) for m in found):
        found = [m for m in found if same_unit(m.unit, spec.unit)]
    elif not percent and spec.unit and all(other_kind(m.unit, spec.unit) for m in found):
        return None  # '走访32人次' for a count of items: visits are no items
    stated = found
    found = parts_or_wholes(found, indicator)
    if not found:
        return None
    per_person = [m for m in found if _PER_PERSON.search(m.label)]
    code = NoteCode.number_in_text
    if _PER_PERSON.search(indicator) and len(per_person) == 1:
        chosen: Mention | None = per_person[0]  # 干部5人，每人联系职工120名: 120 each
        code = NoteCode.per_person
    else:
        chosen = found[0] if len(found) == 1 else _by_label(found, indicator)
        if chosen is None or EACH.search(chosen.label):
            return None  # '3月、12月各召开1次': once each time, more than the number says
        if len(found) < len(stated):
            code = NoteCode.part_of_whole
    assert chosen is not None
    q = Quantity(chosen.number.value, chosen.unit, (), chosen.number.chinese, chosen.number.scaled)
    result = finish(q, chosen.unit != "")
    if result.state is not AnswerState.given:
        return result
    value = note_value(result.value)
    taken = f"{chosen.label}{chosen.written}"
    level = NoteLevel.info if len(stated) == 1 else NoteLevel.warning
    # Why this number: each person's (人均), or a whole rather than its part (其中).
    zh, en = {
        NoteCode.per_person: ("按每人的数", "the number for each person: "),
        NoteCode.part_of_whole: (
            "其中/含所列是总数的一部分，",
            "a part (其中, 含) is within its whole; ",
        ),
    }.get(code, ("", ""))
    note = make_note(
        code,
        f"“{shown}”中{zh}取“{taken}”，按 {value} 计",
        f"'{shown}': {en}took '{taken}' as {value}",
        level,
    )
    return Normalized(result.state, result.value, (note, *result.notes))
