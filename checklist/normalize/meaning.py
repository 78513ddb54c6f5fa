"""Sentences read by what the rule asks, where their numbers alone would mislead.

Published forms get answers such as "召开三届二次职代会" (a session's number:
one meeting, not two), "班子成员4人均已建立联系点" (for "how many have not":
none), "在岗52人已全部入会" (a rate of 100%), "专职1名、兼职委员2名" (for a rule
that counts the whole: 3) or "兼职" (for "is the chair full-time": no). The
readers of :mod:`.number`, :mod:`.percent` and :mod:`.yesno` ask here first in
their sentence step; each reading is an info note quoting what was written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

from checklist.codes import NoteCode
from checklist.model import AnswerSpec, AnswerType
from checklist.normalize.common import (
    Normalized,
    Written,
    given,
    lookup_key,
    make_note,
    note_value,
    quoted,
    tidy,
)
from checklist.normalize.numerals import CN_DIGIT
from checklist.normalize.quantity import PERCENT_UNITS
from checklist.normalize.sentences import (
    COUNTS_A_WHOLE,
    EACH,
    PART,
    SENTENCE_NEGATION,
    Mention,
    bigrams,
    mentions,
    same_unit,
)
from checklist.patterns import lazy_compile

_NUM = r"[\d零〇一二两三四五六七八九十]+"
# 三届二次, 第六届第三次, 第3次, 第二期: which meeting, not how many.
_ORDINAL = lazy_compile(rf"第?{_NUM}届(?:第?{_NUM}[次期])?|第{_NUM}[次期届]")
_HELD = lazy_compile(r"召开|举行|举办|开会|召集|开了")
# Every one of them: 全部入会, 4人均已建立, 都参加了, 全员参训.
_ALL = lazy_compile(r"全部|全员|全体|均|都|悉数|无一例外")
# A rule counting those who have not (未建立联系点的班子成员人数, 未参训干部数).
_COUNTS_THE_MISSING = lazy_compile(r"未[^，,。；;]{0,24}(?:人数|个数|项数|件数|数)|缺项数")
# A sentence saying its numbers make one whole: 执委会由主席1名、副主席2名、执委8名组成.
_COMPOSED = lazy_compile(r"由.+(?:组成|构成)|共由")
# The events a rule counts, when it counts a kind (会议次数, 活动次数) rather than one event.
_KIND_COUNTED = lazy_compile(r"(会议|活动)(?:的)?(?:次数|场次)")
_MEETING = lazy_compile(r"会|议")
# Verbs and fillers around an event's name: they say nothing about which event it is.
_EVENT_VERBS = lazy_compile(
    r"召开|开展|举办|举行|组织|进行|参加|联合|全年|年内|共|先后|累计|其他|[\d\"“”‘’]"
)
_EVENT_UNIT = "次"
# The size of a standard the rule counts against: “七有”达标项数, “六有”, 五必访.
_STANDARD_SIZE = lazy_compile(r"[“\"]?([一二三四五六七八九十])(?:有|必访|到位|个有)")
_COMPLETE = lazy_compile(r"齐全|齐备|无缺项|没有缺项|无遗漏|完整")
_TOTAL_WORD = lazy_compile(r"共|合计|总计|总数|总共")
_BRACKETED = lazy_compile(r"[（(][^）)]*[）)]")
_DUE_WHOLE = lazy_compile(r"应")
_DONE_PART = lazy_compile(r"实际?|已")
_NEW_THIS_YEAR = lazy_compile(r"新增|新入|新发展|新吸收|新招|新进|本年新|当年新|年内新")
_INCOMPLETE = lazy_compile(r"不(?:齐|完整)|未|尚|缺(?!项)")
# A date with its month: 3月5日, 2024年6月 (a year alone names no meeting).
_DATED = lazy_compile(
    r"(?:(?:19|20)\d\d年)?\d{1,2}月(?:\d{1,2}[日号])?|(?:19|20)\d\d[./-]\d{1,2}(?:[./-]\d{1,2})?"
)
_CLAUSE = lazy_compile(r"[,，;；。:：]")
_KINDS_OF_ITEMS = frozenset("项条个件")
# A name in quotes and the word after it: “望江青年夜校”项目, “红色驿站”品牌.
_NAMED = lazy_compile(r"[“\"]([^”\"]{2,20})[”\"]([\u4e00-\u9fff]{2})")
# A yes/no rule asking for one of a pair, answered with the other.
_SHORT = 10
_OPPOSITES = (("专职", "兼职"), ("单独", "联合"), ("独立", "合并"), ("固定", "临时"))


def read_by_meaning(
    written: Written,
    spec: AnswerSpec,
    indicator: str,
    reread: Callable[[Written], Normalized | None],
) -> Normalized | None:
    """The answer ``written`` gives for the rule by meaning, or None to read it as usual.

    ``reread`` reads a sentence the usual way; it reads what is left once the
    session numbers are taken out.
    """
    key = written.key
    if spec.type is AnswerType.yesno:
        return _opposite(written, indicator)
    if spec.type not in (AnswerType.count, AnswerType.number, AnswerType.percent, AnswerType.ratio):
        return None
    negated = SENTENCE_NEGATION.search(key) is not None
    missing_rule = _COUNTS_THE_MISSING.search(indicator) is not None
    if spec.type is AnswerType.count and missing_rule and _all_complete(key):
        return _noted(
            given(0),
            NoteCode.all_of_them,
            f"“{written.shown}”说明齐全，缺项按 0 计",
            f"'{written.shown}' says nothing is missing; counted as 0",
        )
    if spec.type in (AnswerType.percent, AnswerType.ratio):
        rate = _rate_from_counts(written, indicator)
        if rate is not None:
            return rate
    if not negated and _ALL.search(key):
        if spec.type is AnswerType.count and missing_rule:
            return _noted(
                given(0),
                NoteCode.all_of_them,
                f"“{written.shown}”说明全部做到，未做到的按 0 计",
                f"'{written.shown}' says every one has; counted as 0 who have not",
            )
        size = _STANDARD_SIZE.search(indicator)
        if spec.type is AnswerType.count and size is not None and not _counts(key, spec):
            n = CN_DIGIT.get(size.group(1), 10)
            return _noted(
                given(n),
                NoteCode.all_of_them,
                f"“{written.shown}”说明全部达标，按标准的 {n} 项计",
                f"'{written.shown}' says every item is met; counted as all {n} of the standard",
            )
        if spec.type in (AnswerType.percent, AnswerType.ratio) and not any(
            m.unit in PERCENT_UNITS for m in mentions(key)
        ):
            return _noted(
                given(100),
                NoteCode.all_of_them,
                f"“{written.shown}”说明全部做到，按 100% 计",
                f"'{written.shown}' says every one has; read as 100%",
            )
    if spec.type is not AnswerType.count:
        return None
    if _ORDINAL.search(key):
        stripped = _ORDINAL.sub("/", key)
        again = reread(replace(written, text=stripped, key=lookup_key(stripped)))
        if again is None and _HELD.search(key) and not negated:
            again = given(1)
        if again is not None:
            return _noted(
                again,
                NoteCode.session_number,
                f"“{written.shown}”中的届次是会议的序号，不是次数",
                f"'{written.shown}': the session number names the meeting, it is no count",
            )
    if missing_rule:
        missing = _missing_from_parts(written)
        if missing is not None:
            return missing
    if not negated and (COUNTS_A_WHOLE.search(indicator) or _COMPOSED.search(key)):
        summed = _sum_of_parts(written, spec, indicator)
        if summed is not None:
            return summed
    if not negated and spec.unit and same_unit(spec.unit, _EVENT_UNIT):
        events = _events_added(written, spec, indicator) or _meetings_by_date(written, spec)
        if events is not None:
            return events
    if spec.unit and not _counts(key, spec):
        return _items_listed(written, spec, indicator, missing_rule) or _named_items(
            written, indicator
        )
    return None


def _counts(key: str, spec: AnswerSpec) -> list[Mention]:
    """The numbers a sentence states in the rule's unit (or any unit, when the rule has none)."""
    return [
        m
        for m in mentions(key)
        if m.unit not in PERCENT_UNITS and (not spec.unit or same_unit(m.unit, spec.unit))
    ]


def _all_complete(key: str) -> bool:
    """台账齐全，无缺项: nothing is missing (but not 不齐全, 缺2项, 尚未完整)."""
    return _COMPLETE.search(key) is not None and _INCOMPLETE.search(key) is None


def _as_value(total: Decimal) -> int | float:
    return int(total) if total == total.to_integral_value() else float(total)


def _one_decimal(rate: Decimal) -> Decimal:
    """A worked-out rate as forms write it: one decimal, halves rounded up (61.25 → 61.3)."""
    return rate.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _shown(number: Decimal) -> str:
    return note_value(_as_value(number))


def _sum_of_parts(written: Written, spec: AnswerSpec, indicator: str) -> Normalized | None:
    """专职1名、兼职委员2名 → 3 for a rule that counts them all (a part 其中… is no addend)."""
    found = [
        m
        for m in mentions(_BRACKETED.sub("/", written.key))
        if m.unit not in PERCENT_UNITS and not PART.search(m.label)
    ]
    if spec.unit and any(same_unit(m.unit, spec.unit) for m in found):
        found = [m for m in found if same_unit(m.unit, spec.unit)]
    if len(found) < 2 or any(not same_unit(m.unit, found[0].unit) for m in found):
        return None
    if any(_TOTAL_WORD.search(m.label) for m in found):
        return None  # the sentence states its total: read as usual
    total = sum((m.number.value for m in found), Decimal(0))
    return _noted(
        given(_as_value(total)),
        NoteCode.sum_of_parts,
        f"“{written.shown}”各项相加，按 {_shown(total)} 计",
        f"'{written.shown}': the parts added up to {_shown(total)}",
    )


def _missing_from_parts(written: Written) -> Normalized | None:
    """班子成员5人，其中3人参加培训 → 2 have not; 其中2人未参加 → 2, for a "how many have not" rule."""
    key = written.key
    found = [m for m in mentions(key) if m.unit not in PERCENT_UNITS]
    if len(found) != 2:
        return None
    whole, part = found
    # 应到45人，实到42人: those due and those who came are a whole and its part too.
    due = _DUE_WHOLE.match(whole.label) is not None and _DONE_PART.match(part.label) is not None
    if (
        PART.search(whole.label)
        or not (PART.search(part.label) or due)
        or not same_unit(whole.unit, part.unit)
    ):
        return None
    if part.number.value > whole.number.value:
        return None
    after = _after(key, whole, part)
    if SENTENCE_NEGATION.search(part.label + after):
        value = part.number.value
    else:
        value = whole.number.value - part.number.value
    return _noted(
        given(_as_value(value)),
        NoteCode.part_of_whole,
        f"“{written.shown}”中未做到的按 {_shown(value)} 计",
        f"'{written.shown}': {_shown(value)} have not",
    )


def _after(key: str, whole: Mention, part: Mention) -> str:
    """What a sentence says from its part on (其中2人未报到): where a part is done or not."""
    start = key.find(whole.written)
    at = key.find(part.written, start + len(whole.written) if start >= 0 else 0)
    return key[at:] if at >= 0 else part.label


def _events_added(written: Written, spec: AnswerSpec, indicator: str) -> Normalized | None:
    """技能比武3场，劳动竞赛2次 → 5 for 劳动竞赛（技能比武）次数: every event the rule counts.

    Added only when each event listed is of the kind the rule counts: it names
    words of the rule, or the rule counts meetings (活动) in general and the
    event is one (召开执委会议4次、妇女大会1次 → 5 for 会议次数).
    """
    events = [
        m
        for m in mentions(_BRACKETED.sub("/", written.key))
        if same_unit(m.unit, _EVENT_UNIT) and not PART.search(m.label)
    ]
    if len(events) < 2 or any(_TOTAL_WORD.search(m.label) or EACH.search(m.label) for m in events):
        return None
    kind = _KIND_COUNTED.search(indicator)
    wanted = bigrams(lookup_key(tidy(indicator)))
    for m in events:
        name = _EVENT_VERBS.sub("", m.label)
        if kind is not None and (kind.group(1) == "活动" or _MEETING.search(name)):
            continue
        if len(bigrams(name) & wanted) < 2:
            return None
    total = sum((m.number.value for m in events), Decimal(0))
    listed = "、".join(f"{m.label}{m.written}" for m in events)
    return _noted(
        given(_as_value(total)),
        NoteCode.sum_of_parts,
        f"“{written.shown}”中{listed}都是本项所计的活动，相加按 {_shown(total)} 次计",
        f"'{written.shown}': every event listed is of the kind counted; added up to {_shown(total)}",
    )


def _meetings_by_date(written: Written, spec: AnswerSpec) -> Normalized | None:
    """3月5日、6月12日、9月20日召开 → 3 meetings: one a date, when no count is written."""
    key = written.key
    if not _HELD.search(key) or _counts(key, spec) or re.search(r"各|每", key):
        return None
    dates = [d.group() for d in _DATED.finditer(key)]
    if not dates:
        return None
    n = len(dict.fromkeys(dates))
    return _noted(
        given(n),
        NoteCode.meetings_by_date,
        f"“{written.shown}”列出 {n} 个日期，按 {n} 次计",
        f"'{written.shown}' lists {n} dates; counted as {n} times",
    )


def _items_listed(
    written: Written, spec: AnswerSpec, indicator: str, missing_rule: bool
) -> Normalized | None:
    """有场所、有人员、有制度，帮扶项目尚未落实 → 3 items met (for 缺项数: the ones not met).

    Only lists count (two or more items joined by 、); a clause is met unless
    it says not (未, 尚未, 缺 …). A rule against a standard of N items never
    gets more than N.
    """
    if _KINDS_OF_ITEMS.isdisjoint(spec.unit or ""):
        return None
    counted: list[str] = []
    for clause in _CLAUSE.split(written.key):
        items = [i for i in clause.split("、") if i]
        if len(items) < 2:
            continue
        if (SENTENCE_NEGATION.search(clause) is not None) == missing_rule:
            counted.extend(items)
    if not counted:
        return None
    size = _STANDARD_SIZE.search(indicator)
    if size is not None and len(counted) > CN_DIGIT.get(size.group(1), 10):
        return None
    n = len(counted)
    return _noted(
        given(n),
        NoteCode.items_counted,
        f"“{written.shown}”列出 {n} 项（{'、'.join(counted)}），按 {n} 计",
        f"'{written.shown}' lists {n} items; counted as {n}",
    )


def _named_items(written: Written, indicator: str) -> Normalized | None:
    """“望江青年夜校”项目 → 1 for a count of 品牌（项目）: each named one the rule's word follows."""
    wanted = lookup_key(tidy(indicator))
    names = [m.group(1) for m in _NAMED.finditer(written.key) if m.group(2) in wanted]
    if not names or SENTENCE_NEGATION.search(written.key):
        return None
    n = len(dict.fromkeys(names))
    return _noted(
        given(n),
        NoteCode.items_counted,
        f"“{written.shown}”列出 {n} 个（{'、'.join(names)}），按 {n} 计",
        f"'{written.shown}' names {n}; counted as {n}",
    )


def _rate_from_counts(written: Written, indicator: str) -> Normalized | None:
    """居民代表45名，其中女性16名 → 35.6%; 18名团员中已有16人报到 → 88.9%; 应到45人，实到42人 → 93.3%.

    Only a whole and one part of it, in the same unit, with no rate written;
    a part that has not (其中2人未报到) leaves the rest.
    """
    key = written.key
    found = mentions(key)
    if any(m.unit in PERCENT_UNITS for m in found) or len(found) != 2:
        return None
    whole, part = found
    # 应到45人，实到42人: those due and those who came are a whole and its part too.
    due = _DUE_WHOLE.match(whole.label) is not None and _DONE_PART.match(part.label) is not None
    if (
        PART.search(whole.label)
        or not (PART.search(part.label) or due)
        or not same_unit(whole.unit, part.unit)
        or whole.number.value <= 0
        or part.number.value > whole.number.value
    ):
        return None
    share = part.number.value
    rest = _after(key, whole, part)
    if SENTENCE_NEGATION.search(part.label + rest):
        share = whole.number.value - share
    rate = _one_decimal(share / whole.number.value * 100)
    value = _as_value(rate)
    return _noted(
        given(value),
        NoteCode.rate_from_counts,
        f"“{written.shown}”按 {_shown(share)}/{_shown(whole.number.value)} 计算，记为 {value}%",
        f"'{written.shown}' computed as {_shown(share)}/{_shown(whole.number.value)}: {value}%",
    )


def _opposite(written: Written, indicator: str) -> Normalized | None:
    """兼职 for 是否配备专职工会主席: the answer names the other of the pair (and 李明（专职）, the one asked)."""
    key = written.key
    for asked, other in _OPPOSITES:
        if asked not in indicator:
            continue
        if other in key and asked not in key:
            return _noted(
                given(False),
                NoteCode.opposite_word,
                f"指标问“{asked}”，“{written.shown}”答的是“{other}”，记为“否”",
                f"The rule asks for {asked}; '{written.shown}' says {other}, recorded as no",
            )
        # Only a short answer or a bracketed remark (李建国（专职）) says it of the one
        # asked about; in a sentence 专职 may be another's (专职副主席1名).
        named = len(key) <= _SHORT or f"({asked})" in key
        if named and asked in key and other not in key and not SENTENCE_NEGATION.search(key):
            return _noted(
                given(True),
                NoteCode.restates_indicator,
                f"指标问“{asked}”，“{written.shown}”答的正是“{asked}”，记为“是”",
                f"The rule asks for {asked}; '{written.shown}' says {asked}, recorded as yes",
            )
    return None


def _noted(result: Normalized, code: NoteCode, zh: str, en: str) -> Normalized:
    return Normalized(result.state, result.value, (make_note(code, zh, en), *result.notes))


def rate_from_named_counts(raw: str, numerator: str, denominator: str) -> Normalized | None:
    """职工56人，会员54人 → 96.4% for 入会率: the counts a ratio rule divides, told by their words.

    ``numerator`` and ``denominator`` are the wordings of the rules the ratio
    divides (工会会员人数 / 职工总数). Each must be the one number whose words
    match its rule more than the other's, in the same unit as the other; none
    may be a rate.
    """
    key = lookup_key(tidy(raw))
    found = mentions(key)
    if len(found) < 2 or any(m.unit in PERCENT_UNITS for m in found):
        return None
    # Those new this year (新入会会员5人) are a flow, not the stock a ratio divides.
    found = [m for m in found if not _NEW_THIS_YEAR.search(m.label)]
    top = _best_named(found, numerator, denominator)
    bottom = _best_named(found, denominator, numerator)
    if top is None or bottom is None or top is bottom or not same_unit(top.unit, bottom.unit):
        return None
    if bottom.number.value <= 0 or top.number.value > bottom.number.value:
        return None
    rate = _one_decimal(top.number.value / bottom.number.value * 100)
    value = _as_value(rate)
    shown = quoted(raw.strip())
    a, b = _shown(top.number.value), _shown(bottom.number.value)
    return _noted(
        given(value),
        NoteCode.rate_from_counts,
        f"“{shown}”按“{top.label}{top.written}”÷“{bottom.label}{bottom.written}”计算，记为 {value}%",
        f"'{shown}' computed as {a}/{b}: {value}%",
    )


def _best_named(found: list[Mention], words: str, others: str) -> Mention | None:
    """The one mention whose words are more like ``words`` than ``others``, most so (or None).

    In 在岗职工120人，工会会员115人 the members are told from the workers by the
    words only the members' rule uses; in 职工56人，会员54人 职工 is in both rules'
    wordings (入会职工人数), so the workers cannot be told and nothing is read.
    """
    wanted = bigrams(_BRACKETED.sub("", lookup_key(tidy(words))))
    unwanted = bigrams(_BRACKETED.sub("", lookup_key(tidy(others))))
    scored = sorted(
        (
            (len(bigrams(m.label) & wanted) - len(bigrams(m.label) & unwanted), i)
            for i, m in enumerate(found)
        ),
        reverse=True,
    )
    if not scored or scored[0][0] <= 0 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return found[scored[0][1]]
