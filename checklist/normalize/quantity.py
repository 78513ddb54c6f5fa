"""A number with what is written around it: units, 约/以上/以下, ranges, frequencies.

Shared by the count, number, percent and yes/no readers; the notes that say
how such a number was counted are written here too (:func:`qualifier_notes`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from checklist.codes import NoteCode
from checklist.model import AnswerSpec, IntakeNote, NoteLevel
from checklist.normalize.common import make_note, note_value, word_set
from checklist.normalize.numerals import (
    CJK_OR_DIGIT,
    CN_DIGIT,
    CN_PAIR,
    NUMTOK,
    number_token,
)
from checklist.patterns import lazy_compile
from checklist.records import record

_ZERO_WORDS = frozenset({"无", "没有", "没", "暂无", "无人", "none", "nil"})
# 未召开 / 没有开展 / 尚未举办 for "how many times": it did not happen.
_NOT_HELD = lazy_compile(
    r"^(?:未|没有?|尚未|暂未|从未)(?:召开|开展|举办|组织|参加|发表|进行|建立|承接|落实)(?:过)?$"
)

# Words around a number, longest first so that '大约' wins over '约'.
_PREFIX_KIND = {
    **dict.fromkeys(
        word_set("不少于 不低于 不小于 至少 最少 最低 起码 ≥ >= > 大于 超过 高于 多于 逾"), "lower"
    ),
    **dict.fromkeys(
        word_set("不超过 不高于 不大于 不多于 最多 至多 不足 ≤ <= < 小于 低于 少于"), "upper"
    ),
    **dict.fromkeys(word_set("约 大约 大概 约为 近 将近 接近 差不多 估计 预计 ~"), "approx"),
    **dict.fromkeys(
        word_set(
            "共 共计 共有 合计 总计 累计 全年 年均 平均 实有 现有 计 有 为 是 达 达到 ¥ $ rmb 人民币"
        ),
        "",
    ),
}
_SUFFIX_KIND = {
    **dict.fromkeys(word_set("以上 及以上 或以上 +"), "lower"),
    **dict.fromkeys(word_set("以下 及以下 以内 之内"), "upper"),
    **dict.fromkeys(word_set("左右 上下 余 多 来 许"), "approx"),
}
COUNT_UNITS = word_set(
    "人次 户次 批次 平方米 平米 学时 课时 小时 分钟 m2 人 名 位 个 次 项 篇 家 支 天 日 元 场 期 份 "
    "条 所 处 间 本 套 台 户 岁 年 月 周 届 批 件 张 册 节 堂 组 队 座 块 面 辆"
)
PERCENT_UNITS = ["个百分点", "百分点", "%", "‰"]


def alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_PREFIX_RE = lazy_compile(rf"^(?:{alternation(_PREFIX_KIND)})")
_COUNT_SUFFIX_RE = lazy_compile(rf"(?:{alternation([*_SUFFIX_KIND, *COUNT_UNITS])})$")
_PERCENT_SUFFIX_RE = lazy_compile(rf"(?:{alternation([*_SUFFIX_KIND, *PERCENT_UNITS])})$")
_RANGE_SEP = r"(?:-|–|—|~|〜|至|到)"
_COUNT_RANGE = lazy_compile(
    rf"^(?P<a>{NUMTOK})(?:{alternation(COUNT_UNITS)})?{_RANGE_SEP}(?P<b>{NUMTOK})$"
)
_PERCENT_RANGE = lazy_compile(
    rf"^(?P<a>{NUMTOK})(?P<unit>{alternation(PERCENT_UNITS)})?{_RANGE_SEP}(?P<b>{NUMTOK})$"
)
_SIGNED = lazy_compile(rf"^(?P<sign>-|负)?(?P<n>{NUMTOK})$")
_BRACKETED = lazy_compile(r"\(([^()]{1,4})\)$")
_TEXT_SEP = lazy_compile(r"[,;:(、。]")


@record
class Quantity:
    """A number with what was written around it."""

    value: Decimal
    """The number (a range's lower bound, a frequency's times a year)."""
    unit: str
    """The unit written after the number ('' when none)."""
    kinds: tuple[str, ...]
    """Qualifiers seen: approx, lower, upper, range, with_text, frequency, zero_word."""
    chinese: bool
    """Written (partly) in Chinese numerals."""
    scaled: bool
    """Written with a multiplier (万, 亿)."""


def parse_quantity(key: str, percent: bool, extra_unit: str | None = None) -> Quantity | None:
    """Read '约30人', '≥95%', '1-2个', '2万元', '三十余名' …; None when it is no number."""
    kinds: list[str] = []
    unit = ""
    text = key
    # '12(人)', '95(%)': a unit in brackets, as in a header copied into the cell.
    if (m := _BRACKETED.search(text)) and (
        m.group(1) in (PERCENT_UNITS if percent else COUNT_UNITS) or m.group(1) == extra_unit
    ):
        text = text[: m.start()] + m.group(1)
    while m := _PREFIX_RE.match(text):
        kinds.append(_PREFIX_KIND[m.group()])
        text = text[m.end() :]
    suffix_re = _PERCENT_SUFFIX_RE if percent else _COUNT_SUFFIX_RE
    while text:
        if extra_unit and text.endswith(extra_unit) and len(text) > len(extra_unit):
            unit = unit or extra_unit
            text = text[: -len(extra_unit)]
            continue
        m = suffix_re.search(text)
        if m is None or m.start() == 0:
            break
        word = m.group()
        if word in _SUFFIX_KIND:
            kinds.append(_SUFFIX_KIND[word])
        else:
            unit = unit or word
        text = text[: m.start()]
    if not text or not CJK_OR_DIGIT.search(text):
        return None
    range_re = _PERCENT_RANGE if percent else _COUNT_RANGE
    if m := range_re.match(text):
        a, b = number_token(m.group("a")), number_token(m.group("b"))
        if a is None or b is None:
            return None
        if percent and m.group("unit") and not unit:
            unit = m.group("unit")
        kinds.append("range")
        low = min(a.value, b.value)
        return Quantity(low, unit, tuple(kinds), a.chinese or b.chinese, a.scaled or b.scaled)
    if m := CN_PAIR.match(text):
        first, second = (CN_DIGIT[c] for c in m.groups())
        if second == first + 1:  # 两三个, 三四次: 'two or three'
            kinds.append("range")
            return Quantity(Decimal(first), unit, tuple(kinds), True, False)
    if m := _SIGNED.match(text):
        number = number_token(m.group("n"))
        if number is None:
            return None
        value = -number.value if m.group("sign") else number.value
        chinese = number.chinese or m.group("sign") == "负"
        return Quantity(value, unit, tuple(kinds), chinese, number.scaled)
    return None


def plain(value: Decimal) -> Quantity:
    """A number written plainly, with nothing around it."""
    return Quantity(value, "", (), False, False)


# Frequencies: how often a year. 每月 → 12, 每季度 → 4, 每半年 → 2, 每两个月 → 6.
PERIOD_PER_YEAR = {
    "月": 12,
    "月度": 12,
    "个月": 12,
    "季度": 4,
    "季": 4,
    "半年": 2,
    "半年度": 2,
    "年": 1,
    "年度": 1,
    "学期": 2,
    "周": 52,
    "星期": 52,
    "半月": 24,
    "双月": 6,
}
_PERIOD = alternation(PERIOD_PER_YEAR)
_TIMES = r"(?:次|回|场|期)"
# 每年召开一次, 每季度开展1次, 每月更新: the verb between period and count says nothing more.
_FREQ_VERB = r"(?:召开|开展|举办|举行|组织|进行|研究|听取|更新|上|开|办|至少|不少于)?"
_FREQ_EVERY = lazy_compile(
    rf"^(?:每|按)(?P<k>{NUMTOK})?(?P<p>{_PERIOD}){_FREQ_VERB}(?:(?P<n>{NUMTOK}){_TIMES}?)?"
    r"(?P<lb>以上|及以上)?$"
)
_FREQ_N_PER = lazy_compile(rf"^(?P<k>{NUMTOK})?(?P<p>{_PERIOD})(?P<n>{NUMTOK}){_TIMES}$")
_FREQ_SLASH = lazy_compile(rf"^(?P<n>{NUMTOK}){_TIMES}?(?:/|每)(?P<k>{NUMTOK})?(?P<p>{_PERIOD})$")
_FREQ_WORD = lazy_compile(r"^(?P<p>月度|季度|半年度)$")


def frequency(key: str) -> Quantity | None:
    """'每季度' → 4, '每月2次' → 24, '2次/年' → 2, '一年两次' → 2 (times a year)."""
    m = (
        _FREQ_EVERY.match(key)
        or _FREQ_N_PER.match(key)
        or _FREQ_SLASH.match(key)
        or _FREQ_WORD.match(key)
    )
    if m is None:
        return None
    groups = m.groupdict()
    k = number_token(groups["k"]) if groups.get("k") else None
    n = number_token(groups["n"]) if groups.get("n") else None
    if (groups.get("k") and k is None) or (groups.get("n") and n is None):
        return None
    every = k.value if k else Decimal(1)
    if every <= 0:
        return None
    times = n.value if n else Decimal(1)
    per_year = Decimal(PERIOD_PER_YEAR[groups["p"]]) / every * times
    kinds = ("frequency", "lower") if groups.get("lb") else ("frequency",)
    chinese = bool((k and k.chinese) or (n and n.chinese))
    return Quantity(per_year, "次", kinds, chinese, False)


SPEC_UNIT_SCALE = {"万": 10_000, "亿": 100_000_000, "千": 1000}


# Units that say when, not how many: a count that leads with one is a date.
_WHEN_UNITS = frozenset({"年", "月", "日", "号"})


def read_quantity(key: str, spec: AnswerSpec, percent: bool) -> Quantity | None:
    """The quantity in ``key`` (also after text following it), or None."""
    if key in _ZERO_WORDS or _NOT_HELD.match(key):
        return Quantity(Decimal(0), "", ("zero_word",), False, False)
    if not percent and (freq := frequency(key)) is not None:
        return freq
    extra = spec.unit if spec.unit and spec.unit[0] not in SPEC_UNIT_SCALE else None
    quantity = parse_quantity(key, percent, extra)
    if quantity is not None and quantity.unit in _WHEN_UNITS and spec.unit not in _WHEN_UNITS:
        return None  # '12月' for how many times: a month, not a count
    if quantity is not None:
        return quantity
    # '12人，其中专职3人', '3次(含线上1次)': take the number that leads.
    for m in _TEXT_SEP.finditer(key):
        head, tail = key[: m.start()], key[m.end() :]
        # '1,200' is one number; '2次(3月、9月)' is a number and a remark.
        if not head or not tail or (tail[0].isdigit() and m.group() in ",:"):
            continue
        quantity = parse_quantity(head, percent, extra) or (None if percent else frequency(head))
        if quantity is not None and quantity.unit in _WHEN_UNITS and spec.unit not in _WHEN_UNITS:
            return None  # '3月、12月各召开1次' starts with a month, not a count
        if quantity is not None:
            kinds = (*quantity.kinds, "with_text")
            return Quantity(quantity.value, quantity.unit, kinds, quantity.chinese, quantity.scaled)
        break
    return None


def qualifier_notes(q: Quantity, shown: str, value: object) -> list[IntakeNote]:
    notes: list[IntakeNote] = []
    if not q.kinds and not q.chinese:
        return notes  # the common case: a plain number
    v = note_value(value)
    if "zero_word" in q.kinds:
        notes.append(
            make_note(NoteCode.none_as_zero, f"“{shown}”记为 0", f"'{shown}' recorded as 0")
        )
    if "frequency" in q.kinds:
        notes.append(
            make_note(
                NoteCode.frequency,
                f"“{shown}”按每年 {v} 次计",
                f"'{shown}' counted as {v} times a year",
            )
        )
    if "range" in q.kinds:
        notes.append(
            make_note(
                NoteCode.range_lower_bound,
                f"“{shown}”是一个范围，按下限 {v} 计",
                f"'{shown}' is a range; counted as its lower bound {v}",
            )
        )
    if "approx" in q.kinds:
        notes.append(
            make_note(
                NoteCode.approximate_number,
                f"“{shown}”是约数，按 {v} 计",
                f"'{shown}' is approximate; counted as {v}",
            )
        )
    if "lower" in q.kinds:
        notes.append(
            make_note(
                NoteCode.lower_bound,
                f"“{shown}”是下限，按 {v} 计",
                f"'{shown}' is a lower bound; counted as {v}",
            )
        )
    if "upper" in q.kinds:
        notes.append(
            make_note(
                NoteCode.upper_bound,
                f"“{shown}”是上限，按 {v} 计，请核实",
                f"'{shown}' is an upper bound; counted as {v}, please check",
                NoteLevel.warning,
            )
        )
    if "with_text" in q.kinds:
        notes.append(
            make_note(
                NoteCode.number_with_text,
                f"“{shown}”取开头的数字 {v}，其余文字未计入",
                f"'{shown}': took the leading number {v}; the rest was not counted",
            )
        )
    if q.chinese:
        notes.append(
            make_note(
                NoteCode.chinese_numeral,
                f"“{shown}”中的中文数字按 {v} 计",
                f"'{shown}': Chinese numerals read as {v}",
            )
        )
    return notes
