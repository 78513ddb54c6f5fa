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
from decimal import Decimal

from checklist.codes import NoteCode
from checklist.model import AnswerSpec, AnswerType
from checklist.normalize.common import Normalized, Written, given, lookup_key, make_note
from checklist.normalize.quantity import PERCENT_UNITS
from checklist.normalize.sentences import SENTENCE_NEGATION, mentions

_NUM = r"[\d零〇一二两三四五六七八九十]+"
# 三届二次, 第六届第三次, 第3次, 第二期: which meeting, not how many.
_ORDINAL = re.compile(rf"第?{_NUM}届(?:第?{_NUM}[次期])?|第{_NUM}[次期届]")
_HELD = re.compile(r"召开|举行|举办|开会|召集|开了")
# Every one of them: 全部入会, 4人均已建立, 都参加了, 全员参训.
_ALL = re.compile(r"全部|全员|全体|均|都|悉数|无一例外")
# A rule counting those who have not (未建立联系点的班子成员人数, 未参训干部数).
_COUNTS_THE_MISSING = re.compile(r"未[^，,。；;]{0,24}(?:人数|个数|项数|件数|数)|缺项数")
# A rule counting a whole made of parts (群团干部总数（含专职、兼职）).
_COUNTS_A_WHOLE = re.compile(r"总数|总人数|合计|[（(]含")
_TOTAL_WORD = re.compile(r"共|合计|总计|总数|总共")
_BRACKETED = re.compile(r"[（(][^）)]*[）)]")
# A yes/no rule asking for one of a pair, answered with the other.
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
    if not negated and _ALL.search(key):
        if spec.type is AnswerType.count and _COUNTS_THE_MISSING.search(indicator):
            return _noted(
                given(0),
                NoteCode.all_of_them,
                f"“{written.shown}”说明全部做到，未做到的按 0 计",
                f"'{written.shown}' says every one has; counted as 0 who have not",
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
    if _COUNTS_A_WHOLE.search(indicator) and not negated:
        return _sum_of_parts(written, spec)
    return None


def _sum_of_parts(written: Written, spec: AnswerSpec) -> Normalized | None:
    """专职1名、兼职委员2名 → 3 for a rule that counts them all."""
    parts = [m for m in mentions(_BRACKETED.sub("/", written.key)) if m.unit not in PERCENT_UNITS]
    if len(parts) < 2 or len({m.unit for m in parts}) > 1:
        return None
    if any(_TOTAL_WORD.search(m.label) for m in parts):
        return None  # the sentence states its total: read as usual
    total = sum((m.number.value for m in parts), Decimal(0))
    return _noted(
        given(int(total) if total == total.to_integral_value() else float(total)),
        NoteCode.sum_of_parts,
        f"“{written.shown}”各项相加，按 {total:f} 计",
        f"'{written.shown}': the parts added up to {total:f}",
    )


def _opposite(written: Written, indicator: str) -> Normalized | None:
    """兼职 for 是否配备专职工会主席: the answer names the other of the pair."""
    key = written.key
    for asked, other in _OPPOSITES:
        if key.startswith(other) and asked in indicator and asked not in key:
            return _noted(
                given(False),
                NoteCode.opposite_word,
                f"指标问“{asked}”，“{written.shown}”答的是“{other}”，记为“否”",
                f"The rule asks for {asked}; '{written.shown}' says {other}, recorded as no",
            )
    return None


def _noted(result: Normalized, code: NoteCode, zh: str, en: str) -> Normalized:
    return Normalized(result.state, result.value, (make_note(code, zh, en), *result.notes))
