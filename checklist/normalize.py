"""Answer normalisation: one raw cell and the rule's answer spec in, one value out.

Units fill in forms by hand, in Excel or WPS, sometimes retyping them: ``√``,
``１２人``, ``约30``, ``九成``, ``每季度``, ``已建立，见附件3``, traditional
characters, Excel date serials. :func:`normalize_answer` reads all of these
(see ``reference/domain-research.md`` §4), records every guess as an info note
and every answer it cannot read as an error note, and never raises: one odd
cell must not cost a unit its whole file.

The notes leave ``sheet``, ``cell`` and ``rule_id`` empty; intake fills them in
with :func:`dataclasses.replace`.

Speed matters: intake calls this for every answer of every file (a batch is a
county's worth of files), so the clean answers a template produces (``是``,
``12``, ``0.95``, ``95%``) go through a few dictionary look-ups and module-level
regexes. The three slow dependencies are imported only when an answer needs
them: OpenCC (traditional characters), cn2an (Chinese numerals beyond the
simple ones) and rapidfuzz (choices not written exactly).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import cast

from checklist.codes import NoteCode
from checklist.model import (
    AnswerSpec,
    AnswerState,
    AnswerType,
    Choice,
    IntakeNote,
    NoteLevel,
    Value,
)
from checklist.text import Text
from checklist.workbook import CellValue

__all__ = ["Normalized", "normalize_answer", "parse_year", "raw_text"]


@dataclass(frozen=True, slots=True)
class Normalized:
    """What one raw answer cell means for one rule."""

    state: AnswerState
    """given (``value`` is set), missing (blank or unreadable) or na (不适用)."""
    value: Value | None
    """The normalised value when ``state`` is given, else None: a bool or
    ``"partial"`` for yes/no, an int or float for counts, numbers and rates (rates
    on the 0..100 scale), a choice id, a ``datetime.date`` or free text."""
    notes: tuple[IntakeNote, ...] = ()
    """Every guess (info), doubt (warning) and unreadable value (error), with
    ``sheet``, ``cell`` and ``rule_id`` still empty."""


_MISSING = Normalized(AnswerState.missing, None)

# --- text clean-up ------------------------------------------------------------

# Zero-width characters survive NFKC and make '是' look different from '是'.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_QUOTES = {'"': '"', "'": "'", "“": "”", "‘": "’", "「": "」", "『": "』"}
# Stripped from the end only: a leading '.' belongs to '.5'.
_TRAILING_PUNCT = "。.,;!?、"
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_MAX_SHOWN = 40


def _clean(text: str) -> str:
    """NFKC, invisible characters, quotes and Excel's text apostrophe removed.

    NFKC folds full-width digits, letters and signs (``１２％`` → ``12%``) and
    turns U+3000 and U+00A0 into plain spaces, which are then collapsed.
    """
    text = unicodedata.normalize("NFKC", text.translate(_INVISIBLE))
    text = " ".join(text.split())
    while len(text) >= 2 and _QUOTES.get(text[0]) == text[-1]:
        text = text[1:-1].strip()
    # Excel's text apostrophe, also as typed by a Chinese input method (‘12, ’12, `12).
    if text[:1] in ("'", "\u2018", "\u2019", "`") and not (
        len(text) >= 2 and _QUOTES.get(text[0]) == text[-1]
    ):
        text = text[1:].strip()
    stripped = text.rstrip(_TRAILING_PUNCT).rstrip()
    # Keep a lone '.' or '?' so that it is reported as unreadable, not as blank.
    return stripped or text


def _key(text: str) -> str:
    """A cleaned text as looked up in the word tables: no spaces, case-folded."""
    return text.replace(" ", "").casefold()


def _shown(text: str) -> str:
    """Raw text as quoted in a message (long answers cut short)."""
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"


@functools.cache
def _t2s() -> Callable[[str], str]:
    # Measured on this project's machine: importing opencc costs ~18 ms and
    # OpenCC('t2s') ~6 ms, under the ~50 ms at which a hand-made word map for
    # answers would pay for itself, so OpenCC is the only converter. It is still
    # loaded lazily because most files never contain a traditional character.
    from opencc import OpenCC

    return cast(Callable[[str], str], OpenCC("t2s").convert)


# --- public helpers -------------------------------------------------------------


def raw_text(raw: CellValue) -> str:
    """How a raw cell is shown and stored: ``''`` for blank, ``12.0`` → ``12``,
    dates in ISO form, booleans as ``TRUE``/``FALSE``, text stripped."""
    if raw is None:
        return ""
    if isinstance(raw, str):
        return raw.strip().strip("\u200b\u200c\u200d\u2060\ufeff").strip()
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, int):
        try:
            return str(raw)
        except ValueError:  # beyond Python's int-to-str digit limit
            return f"{Decimal(raw):.6e}"
    if isinstance(raw, float):
        if math.isfinite(raw) and raw == int(raw) and abs(raw) < 1e16:
            return str(int(raw))
        return repr(raw)
    if isinstance(raw, dt.datetime):
        if raw.time() == dt.time(0) and raw.tzinfo is None:
            return raw.date().isoformat()
        return raw.isoformat(sep=" ")
    if isinstance(raw, dt.date | dt.time):
        return raw.isoformat()
    return str(raw)


_YEAR_MIN, _YEAR_MAX = 1990, 2100
_YEAR_EXACT = re.compile(r"^(\d{4})(?:\.0+)?(?:年度?|年)?$")
_YEAR_ANYWHERE = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_CN_DIGIT_RUN = re.compile(r"[〇零一二三四五六七八九]{4}")


def parse_year(raw: CellValue) -> int | None:
    """The assessment year a cell or file name states, if plausible (1990..2100).

    Reads ``2024``, ``2024年``, ``2024年度``, ``2024.0``, dates, ``二〇二四年``
    and, in longer text such as a file name, a single four-digit year.
    """
    year: int | None = None
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, dt.date):
        year = raw.year
    elif isinstance(raw, int):
        year = raw
    elif isinstance(raw, float):
        year = int(raw) if math.isfinite(raw) and raw == int(raw) else None
    elif isinstance(raw, str):
        year = _year_from_text(raw)
    return year if year is not None and _YEAR_MIN <= year <= _YEAR_MAX else None


def _year_from_text(text: str) -> int | None:
    key = _key(_clean(text))
    key = _CN_DIGIT_RUN.sub(lambda m: "".join(str(_CN_DIGIT[c]) for c in m.group()), key)
    if m := _YEAR_EXACT.match(key):
        return int(m.group(1))
    candidates = {
        int(found) for found in _YEAR_ANYWHERE.findall(key) if _YEAR_MIN <= int(found) <= _YEAR_MAX
    }
    # Two different years ('2023-2024') are ambiguous: better none than a guess.
    return candidates.pop() if len(candidates) == 1 else None


# --- notes --------------------------------------------------------------------


def _note(code: NoteCode, zh: str, en: str, level: NoteLevel = NoteLevel.info) -> IntakeNote:
    return IntakeNote(level, code, Text(zh, en))


def _fmt(value: object) -> str:
    """A value as a note shows it."""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return raw_text(value)  # safe beyond Python's int-to-str digit limit
    return str(value)


def _given(value: Value, *notes: IntakeNote) -> Normalized:
    return Normalized(AnswerState.given, value, notes)


def _not_applicable(shown: str) -> Normalized:
    return Normalized(
        AnswerState.na,
        None,
        (
            _note(
                NoteCode.not_applicable,
                f"“{shown}”记为不适用",
                f"'{shown}' recorded as not applicable",
            ),
        ),
    )


def _hint(spec: AnswerSpec) -> Text:
    """What to type instead, by answer type."""
    match spec.type:
        case AnswerType.yesno:
            return Text(
                "请填写“是”或“否”，不适用的填“不适用”",
                "enter 是 (yes) or 否 (no), or 不适用 if it does not apply",
            )
        case AnswerType.count:
            return Text("请填写整数，如 12", "enter a whole number, e.g. 12")
        case AnswerType.number:
            return Text("请填写数字，如 12 或 33.5", "enter a number, e.g. 12 or 33.5")
        case AnswerType.percent | AnswerType.ratio:
            return Text("请填写百分比，如 95%", "enter a percentage, e.g. 95%")
        case AnswerType.choice:
            return Text(
                "请从以下选项中选择：" + "、".join(c.label.zh for c in spec.choices),
                "choose one of: " + ", ".join(c.label.en for c in spec.choices),
            )
        case AnswerType.date:
            return Text(
                "请填写日期，如 2024-03-15 或 2024年3月15日",
                "enter a date, e.g. 2024-03-15 or 2024年3月15日",
            )
        case AnswerType.text:
            return Text("请填写文字说明", "enter some text")


def _unreadable(shown: str, spec: AnswerSpec, reason: Text | None = None) -> Normalized:
    hint = _hint(spec)
    why_zh = f"{reason.zh}；" if reason else ""
    why_en = f"{reason.en}; " if reason else ""
    note = _note(
        NoteCode.unreadable,
        f"无法识别“{shown}”：{why_zh}{hint.zh}",
        f"Could not read '{shown}': {why_en}{hint.en}",
        NoteLevel.error,
    )
    return Normalized(AnswerState.missing, None, (note,))


_NEGATIVE = Text("不能为负数", "it cannot be negative")
_NOT_FINITE = Text("不是有效的数字", "it is not a finite number")

# --- word tables --------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    """A word table written as one space-separated string (easier to read and extend)."""
    return frozenset(text.split())


# Keys are as _key() leaves them: NFKC, no spaces, case-folded.
_NA_WORDS = _words(
    "不适用 无此项 无此项目 不涉及 本单位无此项 我单位无此项 本单位不涉及 本单位不适用 此项不适用 不适用本单位 没有此项 无该项 "
    "无此类情况 n/a na n.a n.a. notapplicable"
)
# '—', '－' (NFKC: '-'), '–', '／' (NFKC: '/'), '/' and runs of them.
_NA_MARKS = re.compile(r"^(?:[-—–―‐‑‒─━]+|/+|\\)$")

_YES = _words(
    "是 是的 有 有的 已 已经 已建 已建立 已设立 已成立 已组建 已落实 已完成 已开展 已配备 已制定 已召开 已实现 已覆盖 已达标 "
    "建立 完成 落实 开展 具备 达标 符合 合格 通过 满足 符合要求 达到要求 满足要求 对 好 √ ✓ ✔ ☑ ■ v y yes "
    "true ok done 1"
)
_NO = _words(
    "否 无 没有 没 未 未建 未建立 未设立 未成立 未落实 未完成 未开展 未配备 未制定 未召开 未达标 暂无 暂未 尚未 尚未建立 不是 "
    "不 不达标 不符合 不合格 不具备 × ✗ ✘ ☐ □ x n no false none 0"
)
_PARTIAL = _words("基本 部分 一般 半 △ partial partly partially inprogress")
# Hedges lead: 基本落实, 部分完成, 正在推进, 筹建中, 未完全落实, 有待加强 …
_PARTIAL_LEAD = re.compile(
    r"^(?:基本|部分|正在|筹建|筹备|在建|初步|逐步|有待|有所|有些|有时|尚待|待完善|待建"
    r"|不完全|未完全|不够|不太|不健全|建设中|推进中|进行中|partial|partly|inprogress)"
)
_SEP = r"[,;:()\[\]、。.!?/\-—~·]"
# A yes followed by more text: '已建立，见附件3', '有，3次', '√(见台账)', '有专人负责'.
# '已' and '有' lead almost any phrase, except those that undo them (已撤销,
# 有待…, and the question itself, 有无 / 是否).
_YES_LEAD = re.compile(
    r"^(?:[√✓✔☑■]"
    r"|(?:全部|均已|都已|已全部|全员|按时|按期|按规定|按要求)(?!未|没|不|无)"
    r"|已(?!撤销|取消|解散|注销|停止|停办|失效|过期|废止|无|不|未)"
    r"|有(?!待|所|些|时|无|限|一定|点|否)"
    rf"|(?:是|对|达标|符合|合格|建立|完成|落实|yes|y|ok|true)(?:{_SEP}|\d|$))"
)
_NO_LEAD = re.compile(
    r"^(?:[×✗✘☐□]"
    r"|未|尚未|暂未|暂无|没有|没|从未|还没"
    r"|已(?:撤销|取消|解散|注销|停止|停办|失效|废止)"
    r"|无(?!需|法|此|该|论)"
    rf"|(?:否|不是|不符合|不达标|不合格|no|n|x|false)(?:{_SEP}|\d|$))"
)

_ZERO_WORDS = frozenset({"无", "没有", "没", "暂无", "无人", "none", "nil"})
# 未召开 / 没有开展 / 尚未举办 for "how many times": it did not happen.
_NOT_HELD = re.compile(
    r"^(?:未|没有?|尚未|暂未|从未)(?:召开|开展|举办|组织|参加|发表|进行|建立|承接|落实)(?:过)?$"
)

# --- numbers ------------------------------------------------------------------

_CN_DIGIT = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "壹": 1,
    "幺": 1,
    "二": 2,
    "两": 2,
    "贰": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
_CN_NUM_CHARS = "".join(_CN_DIGIT) + "十拾百佰千仟万亿廿卅参点"
_NUMTOK = rf"[0-9.,{_CN_NUM_CHARS}]+"
_CJK_OR_DIGIT = re.compile(rf"[0-9{_CN_NUM_CHARS}]")
# Longer digit strings are no answer anyone typed (and would pass Python's
# int-to-str limit in a note); they fall through to the token cap below.
_PLAIN_NUMBER = re.compile(r"^\d{1,20}(?:\.\d{1,20})?$")
_ARABIC = re.compile(
    r"^(?P<int>\d{1,3}(?:,\d{3})+|\d*)(?:\.(?P<frac>\d+))?(?P<mult>[十百千万亿]*)$"
)
_MULT = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
_CN_TENS = re.compile(
    r"^([一二两三四五六七八九壹贰叁肆伍陆柒捌玖])?[十拾]([一二三四五六七八九壹贰叁肆伍陆柒捌玖])?$"
)
_CN_PAIR = re.compile(r"^([一二两三四五六七八九])([二三四五六七八九])$")
_MAX_TOKEN = 24


@functools.cache
def _cn2an() -> Callable[[str, str], object]:
    # cn2an reads the long tail of Chinese numerals correctly (formal 壹佰贰拾,
    # 一万零五, decimals with 点, mixed '1百23' in 'smart' mode), but importing it
    # compiles huge regexes: 140-330 ms measured (warm/cold). The simple forms
    # that make up nearly all answers (一 … 九十九, 二〇二四) are read by _cn_fast.
    import cn2an

    return cast(Callable[[str, str], object], cn2an.cn2an)


def _cn_fast(token: str) -> int | None:
    """Single digits, 十 … 九十九, 廿/卅 forms and digit strings such as 二〇二四."""
    if not token:
        return None
    if all(c in _CN_DIGIT for c in token):
        return int("".join(str(_CN_DIGIT[c]) for c in token))
    if m := _CN_TENS.match(token):
        tens, ones = m.groups()
        return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[ones] if ones else 0)
    if token[0] in "廿卅" and (len(token) == 1 or (len(token) == 2 and token[1] in _CN_DIGIT)):
        return (20 if token[0] == "廿" else 30) + (_CN_DIGIT[token[1]] if len(token) == 2 else 0)
    return None


def _cn_number(token: str) -> Decimal | None:
    """A Chinese (or mixed) numeral, or None."""
    # cn2an knows neither 卅 (30) nor 参, the common form of 叁 (OpenCC turns 參 into 参).
    token = token.replace("卅", "三十").replace("参", "叁")
    fast = _cn_fast(token)
    if fast is not None:
        return Decimal(fast)
    result = _cn2an_safe(token)
    if result is None and token[-1] in "万亿" and "点" in token:
        # cn2an refuses '一点五万'; read the decimal and scale it ourselves.
        base = token.rstrip("万亿")
        scale = math.prod(_MULT[c] for c in token[len(base) :])
        inner = _cn2an_safe(base) if base else None
        result = None if inner is None else inner * scale
    return result


def _cn2an_safe(token: str) -> Decimal | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # it warns about long decimals
            result = _cn2an()(token, "smart")
    except Exception:  # cn2an signals every unreadable form with a bare ValueError (or worse)
        return None
    if isinstance(result, bool) or not isinstance(result, int | float):
        return None
    if isinstance(result, float) and not math.isfinite(result):
        return None
    return Decimal(result) if isinstance(result, int) else Decimal(repr(result))


@dataclass(frozen=True, slots=True)
class _Number:
    """A number token as written."""

    value: Decimal
    chinese: bool
    """Written (partly) in Chinese numerals."""
    scaled: bool
    """Written with 万/亿 (or, in Arabic, 十/百/千) as a multiplier."""


def _number_token(token: str) -> _Number | None:
    if len(token) > _MAX_TOKEN:
        return None
    if (m := _ARABIC.match(token)) and (m.group("int") or m.group("frac")):
        whole, frac, mult = m.group("int"), m.group("frac"), m.group("mult")
        value = Decimal(f"{whole.replace(',', '') or '0'}.{frac or '0'}")
        for c in mult:
            value *= _MULT[c]
        return _Number(value, False, bool(mult))
    if "," in token or "." in token:
        return None
    value_cn = _cn_number(token)
    if value_cn is None:
        return None
    return _Number(value_cn, True, any(c in "万亿" for c in token))


# Words around a number, longest first so that '大约' wins over '约'.
_PREFIX_KIND = {
    **dict.fromkeys(
        _words("不少于 不低于 不小于 至少 最少 最低 起码 ≥ >= > 大于 超过 高于 多于 逾"), "lower"
    ),
    **dict.fromkeys(
        _words("不超过 不高于 不大于 不多于 最多 至多 不足 ≤ <= < 小于 低于 少于"), "upper"
    ),
    **dict.fromkeys(_words("约 大约 大概 约为 近 将近 接近 差不多 估计 预计 ~"), "approx"),
    **dict.fromkeys(
        _words(
            "共 共计 共有 合计 总计 累计 全年 年均 平均 实有 现有 计 有 为 是 达 达到 ¥ $ rmb 人民币"
        ),
        "",
    ),
}
_SUFFIX_KIND = {
    **dict.fromkeys(_words("以上 及以上 或以上 +"), "lower"),
    **dict.fromkeys(_words("以下 及以下 以内 之内"), "upper"),
    **dict.fromkeys(_words("左右 上下 余 多 来 许"), "approx"),
}
_COUNT_UNITS = _words(
    "人次 户次 批次 平方米 平米 学时 课时 小时 分钟 m2 人 名 位 个 次 项 篇 家 支 天 日 元 场 期 份 "
    "条 所 处 间 本 套 台 户 岁 年 月 周 届 批 件 张 册 节 堂 组 队 座 块 面 辆"
)
_PERCENT_UNITS = ["个百分点", "百分点", "%", "‰"]


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_PREFIX_RE = re.compile(rf"^(?:{_alternation(_PREFIX_KIND)})")
_COUNT_SUFFIX_RE = re.compile(rf"(?:{_alternation([*_SUFFIX_KIND, *_COUNT_UNITS])})$")
_PERCENT_SUFFIX_RE = re.compile(rf"(?:{_alternation([*_SUFFIX_KIND, *_PERCENT_UNITS])})$")
_RANGE_SEP = r"(?:-|–|—|~|〜|至|到)"
_COUNT_RANGE = re.compile(
    rf"^(?P<a>{_NUMTOK})(?:{_alternation(_COUNT_UNITS)})?{_RANGE_SEP}(?P<b>{_NUMTOK})$"
)
_PERCENT_RANGE = re.compile(
    rf"^(?P<a>{_NUMTOK})(?P<unit>{_alternation(_PERCENT_UNITS)})?{_RANGE_SEP}(?P<b>{_NUMTOK})$"
)
_SIGNED = re.compile(rf"^(?P<sign>-|负)?(?P<n>{_NUMTOK})$")
_BRACKETED = re.compile(r"\(([^()]{1,4})\)$")
_TEXT_SEP = re.compile(r"[,;:(、。]")


@dataclass(frozen=True, slots=True)
class _Quantity:
    """A number with what was written around it."""

    value: Decimal
    unit: str
    """The unit written after the number ('' when none)."""
    kinds: tuple[str, ...]
    """Qualifiers seen: approx, lower, upper, range, with_text, frequency, zero_word."""
    chinese: bool
    scaled: bool


def _quantity(key: str, percent: bool, extra_unit: str | None = None) -> _Quantity | None:
    """Read '约30人', '≥95%', '1-2个', '2万元', '三十余名' …; None when it is no number."""
    kinds: list[str] = []
    unit = ""
    text = key
    # '12(人)', '95(%)': a unit in brackets, as in a header copied into the cell.
    if (m := _BRACKETED.search(text)) and (
        m.group(1) in (_PERCENT_UNITS if percent else _COUNT_UNITS) or m.group(1) == extra_unit
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
    if not text or not _CJK_OR_DIGIT.search(text):
        return None
    range_re = _PERCENT_RANGE if percent else _COUNT_RANGE
    if m := range_re.match(text):
        a, b = _number_token(m.group("a")), _number_token(m.group("b"))
        if a is None or b is None:
            return None
        if percent and m.group("unit") and not unit:
            unit = m.group("unit")
        kinds.append("range")
        low = min(a.value, b.value)
        return _Quantity(low, unit, tuple(kinds), a.chinese or b.chinese, a.scaled or b.scaled)
    if m := _CN_PAIR.match(text):
        first, second = (_CN_DIGIT[c] for c in m.groups())
        if second == first + 1:  # 两三个, 三四次: 'two or three'
            kinds.append("range")
            return _Quantity(Decimal(first), unit, tuple(kinds), True, False)
    if m := _SIGNED.match(text):
        number = _number_token(m.group("n"))
        if number is None:
            return None
        value = -number.value if m.group("sign") else number.value
        chinese = number.chinese or m.group("sign") == "负"
        return _Quantity(value, unit, tuple(kinds), chinese, number.scaled)
    return None


# Frequencies: how often a year. 每月 → 12, 每季度 → 4, 每半年 → 2, 每两个月 → 6.
_PERIOD_PER_YEAR = {
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
_PERIOD = _alternation(_PERIOD_PER_YEAR)
_TIMES = r"(?:次|回|场|期)"
# 每年召开一次, 每季度开展1次, 每月更新: the verb between period and count says nothing more.
_FREQ_VERB = r"(?:召开|开展|举办|举行|组织|进行|研究|听取|更新|上|开|办|至少|不少于)?"
_FREQ_EVERY = re.compile(
    rf"^(?:每|按)(?P<k>{_NUMTOK})?(?P<p>{_PERIOD}){_FREQ_VERB}(?:(?P<n>{_NUMTOK}){_TIMES}?)?"
    r"(?P<lb>以上|及以上)?$"
)
_FREQ_N_PER = re.compile(rf"^(?P<k>{_NUMTOK})?(?P<p>{_PERIOD})(?P<n>{_NUMTOK}){_TIMES}$")
_FREQ_SLASH = re.compile(rf"^(?P<n>{_NUMTOK}){_TIMES}?(?:/|每)(?P<k>{_NUMTOK})?(?P<p>{_PERIOD})$")
_FREQ_WORD = re.compile(r"^(?P<p>月度|季度|半年度)$")


def _frequency(key: str) -> _Quantity | None:
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
    k = _number_token(groups["k"]) if groups.get("k") else None
    n = _number_token(groups["n"]) if groups.get("n") else None
    if (groups.get("k") and k is None) or (groups.get("n") and n is None):
        return None
    every = k.value if k else Decimal(1)
    if every <= 0:
        return None
    times = n.value if n else Decimal(1)
    per_year = Decimal(_PERIOD_PER_YEAR[groups["p"]]) / every * times
    kinds = ("frequency", "lower") if groups.get("lb") else ("frequency",)
    chinese = bool((k and k.chinese) or (n and n.chinese))
    return _Quantity(per_year, "次", kinds, chinese, False)


def _to_number(value: Decimal) -> int | float | None:
    """An exact Decimal as an int where whole, else a float; None when not finite."""
    if not value.is_finite():
        return None
    if value == value.to_integral_value():
        return int(value)
    result = float(value)
    return result if math.isfinite(result) else None


def _decimal(raw: int | float) -> Decimal:
    # repr() gives the shortest text that round-trips, so 0.57 stays 0.57 (not
    # 0.56999…) and 0.57 x 100 is exactly 57.
    return Decimal(raw) if isinstance(raw, int) else Decimal(repr(raw))


_SPEC_UNIT_SCALE = {"万": 10_000, "亿": 100_000_000, "千": 1000}


# Units that say when, not how many: a count that leads with one is a date.
_WHEN_UNITS = frozenset({"年", "月", "日", "号"})


def _read_quantity(key: str, spec: AnswerSpec, percent: bool) -> _Quantity | None:
    """The quantity in ``key`` (also after text following it), or None."""
    if key in _ZERO_WORDS or _NOT_HELD.match(key):
        return _Quantity(Decimal(0), "", ("zero_word",), False, False)
    if not percent and (freq := _frequency(key)) is not None:
        return freq
    extra = spec.unit if spec.unit and spec.unit[0] not in _SPEC_UNIT_SCALE else None
    quantity = _quantity(key, percent, extra)
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
        quantity = _quantity(head, percent, extra) or (None if percent else _frequency(head))
        if quantity is not None and quantity.unit in _WHEN_UNITS and spec.unit not in _WHEN_UNITS:
            return None  # '3月、12月各召开1次' starts with a month, not a count
        if quantity is not None:
            kinds = (*quantity.kinds, "with_text")
            return _Quantity(
                quantity.value, quantity.unit, kinds, quantity.chinese, quantity.scaled
            )
        break
    return None


def _qualifier_notes(q: _Quantity, shown: str, value: object) -> list[IntakeNote]:
    notes: list[IntakeNote] = []
    if not q.kinds and not q.chinese:
        return notes  # the common case: a plain number
    v = _fmt(value)
    if "zero_word" in q.kinds:
        notes.append(_note(NoteCode.none_as_zero, f"“{shown}”记为 0", f"'{shown}' recorded as 0"))
    if "frequency" in q.kinds:
        notes.append(
            _note(
                NoteCode.frequency,
                f"“{shown}”按每年 {v} 次计",
                f"'{shown}' counted as {v} times a year",
            )
        )
    if "range" in q.kinds:
        notes.append(
            _note(
                NoteCode.range_lower_bound,
                f"“{shown}”是一个范围，按下限 {v} 计",
                f"'{shown}' is a range; counted as its lower bound {v}",
            )
        )
    if "approx" in q.kinds:
        notes.append(
            _note(
                NoteCode.approximate_number,
                f"“{shown}”是约数，按 {v} 计",
                f"'{shown}' is approximate; counted as {v}",
            )
        )
    if "lower" in q.kinds:
        notes.append(
            _note(
                NoteCode.lower_bound,
                f"“{shown}”是下限，按 {v} 计",
                f"'{shown}' is a lower bound; counted as {v}",
            )
        )
    if "upper" in q.kinds:
        notes.append(
            _note(
                NoteCode.upper_bound,
                f"“{shown}”是上限，按 {v} 计，请核实",
                f"'{shown}' is an upper bound; counted as {v}, please check",
                NoteLevel.warning,
            )
        )
    if "with_text" in q.kinds:
        notes.append(
            _note(
                NoteCode.number_with_text,
                f"“{shown}”取开头的数字 {v}，其余文字未计入",
                f"'{shown}': took the leading number {v}; the rest was not counted",
            )
        )
    if q.chinese:
        notes.append(
            _note(
                NoteCode.chinese_numeral,
                f"“{shown}”中的中文数字按 {v} 计",
                f"'{shown}': Chinese numerals read as {v}",
            )
        )
    return notes


def _finish_amount(q: _Quantity, spec: AnswerSpec, shown: str) -> Normalized:
    """A count or number from a quantity: units scaled, counts made whole."""
    value = q.value
    notes: list[IntakeNote] = []
    spec_unit = spec.unit or ""
    scale = _SPEC_UNIT_SCALE.get(spec_unit[:1]) if len(spec_unit) > 1 else None
    base_unit = spec_unit[1:] if scale else ""
    if scale and (q.scaled or (q.unit and q.unit == base_unit)):
        # The rule counts in 万元: '2万元' and '2万' mean 2; '20000元' is 2 too.
        value = value / scale
        if not q.scaled:
            converted = _to_number(value)
            notes.append(
                _note(
                    NoteCode.scaled_unit,
                    f"“{shown}”换算为 {_fmt(converted)}{spec_unit}",
                    f"'{shown}' converted to {_fmt(converted)} {spec_unit}",
                )
            )
    elif q.scaled and not q.chinese:
        converted = _to_number(value)
        notes.append(
            _note(
                NoteCode.scaled_unit,
                f"“{shown}”换算为 {_fmt(converted)}",
                f"'{shown}' converted to {_fmt(converted)}",
            )
        )
    if value < 0 and spec.type is AnswerType.count:
        return _unreadable(shown, spec, _NEGATIVE)
    if spec.type is AnswerType.count and value != value.to_integral_value():
        value = value.to_integral_value(rounding=ROUND_FLOOR)
        notes.append(
            _note(
                NoteCode.rounded_down,
                f"“{shown}”不是整数，按 {value} 计",
                f"'{shown}' is not a whole number; counted as {value}",
                NoteLevel.warning,
            )
        )
    result = _to_number(value)
    if result is None:
        return _unreadable(shown, spec, _NOT_FINITE)
    return _given(result, *_qualifier_notes(q, shown, result), *notes)


_PERCENT_OF = re.compile(rf"^(?P<pre>.*?)百分之(?P<n>{_NUMTOK})(?P<post>.*)$")
_CHENG = re.compile(
    r"^(?P<a>[一二两三四五六七八九十]|\d{1,2})成(?P<b>[一二三四五六七八九]|\d)?(?P<post>.*)$"
)
_FRACTION = re.compile(r"^(?P<a>\d+(?:\.\d+)?)/(?P<b>\d+(?:\.\d+)?)$")


def _finish_percent(
    q: _Quantity, spec: AnswerSpec, shown: str, explicit: bool, extra: list[IntakeNote]
) -> Normalized:
    """A rate on the 0..100 scale from a quantity."""
    value = q.value
    notes = list(extra)
    if value < 0:
        return _unreadable(shown, spec, _NEGATIVE)
    if q.unit == "‰":
        value = value / 10
    elif not explicit and not q.unit and 0 < value <= 1:
        value = value * 100
        notes.append(
            _note(
                NoteCode.fraction_as_percent,
                f"“{shown}”按小数理解，记为 {_fmt(_to_number(value))}%",
                f"'{shown}' read as a fraction: {_fmt(_to_number(value))}%",
            )
        )
    result = _to_number(value)
    if result is None:
        return _unreadable(shown, spec, _NOT_FINITE)
    if result > 100:
        notes.append(
            _note(
                NoteCode.over_100,
                f"“{shown}”超过 100%，请核实",
                f"'{shown}' is over 100%; please check",
                NoteLevel.warning,
            )
        )
    return _given(result, *_qualifier_notes(q, shown, result), *notes)


def _percent_text(key: str, spec: AnswerSpec, shown: str) -> Normalized | None:
    if _PLAIN_NUMBER.match(key):
        return _finish_percent(
            _Quantity(Decimal(key), "", (), False, False), spec, shown, False, []
        )
    if key.endswith("%") and _PLAIN_NUMBER.match(key[:-1]):
        q = _Quantity(Decimal(key[:-1]), "%", (), False, False)
        return _finish_percent(q, spec, shown, True, [])
    # '百分之九十五', '百分之95以上': a percent sign in words.
    if m := _PERCENT_OF.match(key):
        inner = _quantity(f"{m.group('pre')}{m.group('n')}%{m.group('post')}", True)
        if inner is not None:
            return _finish_percent(inner, spec, shown, True, [])
    # '九成' → 90, '九成五' → 95, '九成以上' → 90 (a lower bound).
    if m := _CHENG.match(key):
        a, b = m.group("a"), m.group("b")
        tens = int(a) if a.isdigit() else _cn_fast(a)
        ones = 0 if b is None else int(b) if b.isdigit() else _cn_fast(b)
        if tens is not None and ones is not None and tens <= 10:
            inner = _quantity(f"{tens * 10 + ones}%{m.group('post')}", True)
            if inner is not None:
                chinese = not (a.isdigit() and (b is None or b.isdigit()))
                q = _Quantity(inner.value, inner.unit, inner.kinds, chinese, False)
                return _finish_percent(q, spec, shown, True, [])
    # '19/20' — a rate written as the fraction it comes from.
    if m := _FRACTION.match(key):
        a, b = Decimal(m.group("a")), Decimal(m.group("b"))
        if b > 0:
            value = a / b * 100
            q = _Quantity(value, "%", (), False, False)
            note = _note(
                NoteCode.fraction_form,
                f"“{shown}”按分数计算为 {_fmt(_to_number(value))}%",
                f"'{shown}' computed as a fraction: {_fmt(_to_number(value))}%",
            )
            return _finish_percent(q, spec, shown, True, [note])
    found = _read_quantity(key, spec, percent=True)
    if found is None:
        return None
    explicit = found.unit in ("%", "‰", "百分点", "个百分点")
    return _finish_percent(found, spec, shown, explicit, [])


# --- yes/no ---------------------------------------------------------------------


def _yesno_text(key: str, spec: AnswerSpec, shown: str) -> Normalized | None:
    if key.endswith("了") and len(key) > 1:  # 已建立了, 有了
        key = key[:-1]
    if key in _YES:
        return _given(True)
    if key in _NO:
        return _given(False)
    if key in _PARTIAL or _PARTIAL_LEAD.match(key):
        return _given(
            "partial",
            _note(
                NoteCode.hedged_answer,
                f"“{shown}”表示部分做到，记为“部分”",
                f"'{shown}' is a hedged answer; recorded as partial",
            ),
        )
    found = _read_quantity(key, spec, percent=False)
    if found is not None:
        if found.value < 0:
            return _unreadable(shown, spec, _NEGATIVE)
        yes = found.value > 0
        return _given(
            yes,
            _note(
                NoteCode.number_as_yesno,
                f"“{shown}”按数量理解，记为“{'是' if yes else '否'}”",
                f"'{shown}' read as a quantity; recorded as {'yes' if yes else 'no'}",
            ),
        )
    if _NO_LEAD.match(key):
        return _given(
            False,
            _note(
                NoteCode.no_with_text,
                f"“{shown}”以否定词开头，记为“否”",
                f"'{shown}' starts with a no; recorded as no",
            ),
        )
    if _YES_LEAD.match(key):
        return _given(
            True,
            _note(
                NoteCode.yes_with_text,
                f"“{shown}”以肯定词开头，记为“是”",
                f"'{shown}' starts with a yes; recorded as yes",
            ),
        )
    if _MIXED_YES.search(key) and _MIXED_NO.search(key):
        # 经审会已建，女职委未建: one part done, one not.
        return _given(
            "partial",
            _note(
                NoteCode.mixed_answer,
                f"“{shown}”部分已做、部分未做，记为“部分”；请核实",
                f"'{shown}' says part is done and part is not; recorded as partial. Please check",
                NoteLevel.warning,
            ),
        )
    return None


_MIXED_YES = re.compile(r"已(?:建|设|成立|组建|开展|落实|完成|配备|召开|制定|实现)")
_MIXED_NO = re.compile(r"未|没有|尚无|暂无|缺")


# --- choices --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _ChoiceIndex:
    exact: dict[str, Choice]
    """Every spelling of every choice, as _key(_clean()) leaves it."""
    spellings: tuple[str, ...]
    """Spellings for fuzzy matching …"""
    owners: tuple[Choice, ...]
    """… and the choice each belongs to."""


@functools.lru_cache(maxsize=256)
def _choice_index(choices: tuple[Choice, ...]) -> _ChoiceIndex:
    exact: dict[str, Choice] = {}
    spellings: list[str] = []
    owners: list[Choice] = []
    for choice in choices:
        for spelling in (choice.id, choice.label.zh, choice.label.en, *choice.aliases):
            cleaned = _clean(spelling)
            if not cleaned:
                continue
            exact.setdefault(_key(cleaned), choice)
            spellings.append(cleaned)
            owners.append(choice)
    return _ChoiceIndex(exact, tuple(spellings), tuple(owners))


def _choice_exact(key: str, spec: AnswerSpec) -> Normalized | None:
    choice = _choice_index(spec.choices).exact.get(key)
    return None if choice is None else _given(choice.id)


_AMBIGUOUS = Text("与多个选项同样接近", "it is equally close to several choices")
_FUZZY_CUTOFF = 80.0


def _choice_fuzzy(text: str, spec: AnswerSpec, shown: str) -> Normalized | None:
    index = _choice_index(spec.choices)
    if not index.spellings:
        return None
    from rapidfuzz import fuzz, process, utils

    best: dict[str, tuple[float, Choice]] = {}
    for _, score, i in process.extract(
        text,
        index.spellings,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=None,
        score_cutoff=_FUZZY_CUTOFF,
    ):
        choice = index.owners[i]
        if choice.id not in best or score > best[choice.id][0]:
            best[choice.id] = (score, choice)
    if not best:
        return None
    ranked = sorted(best.values(), key=lambda pair: pair[0], reverse=True)
    if len(ranked) > 1 and ranked[1][0] == ranked[0][0]:
        return _unreadable(shown, spec, _AMBIGUOUS)
    choice = ranked[0][1]
    return _given(
        choice.id,
        _note(
            NoteCode.fuzzy_choice,
            f"“{shown}”按最接近的选项“{choice.label.zh}”计",
            f"'{shown}' matched to the closest choice '{choice.label.en}'",
        ),
    )


# --- dates ----------------------------------------------------------------------

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EXCEL_MAX_SERIAL = 2_958_465  # 9999-12-31
_TIME_TAIL = re.compile(r"[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_DATE_YMD = re.compile(r"^(\d{4})(?:年|[./-])(\d{1,2})(?:月|[./-])(\d{1,2})(?:日|号)?$")
_DATE_YM = re.compile(r"^(\d{4})(?:年|[./-])(\d{1,2})(?:月份?|月)?$")
_DATE_Y = re.compile(r"^(\d{4})年度?$")
_DATE_CN_RUN = re.compile(r"[〇零一二三四五六七八九十两廿卅]+")
_DIGITS = re.compile(r"^\d+(?:\.\d+)?$")
_NO_SUCH_DATE = Text("没有这一天", "there is no such date")


def _serial_date(serial: int) -> dt.date | None:
    """An Excel (1900 date system) serial number as a date.

    Excel counts 1900 as a leap year (a Lotus 1-2-3 bug it kept): serial 60 is
    the non-existent 1900-02-29 and every later serial is one day ahead, hence
    the epoch of 1899-12-30 for serials above 60 and 1899-12-31 below.
    """
    if serial < 1 or serial > _EXCEL_MAX_SERIAL or serial == 60:
        return None
    if serial < 60:
        return _EXCEL_EPOCH + dt.timedelta(days=serial + 1)
    return _EXCEL_EPOCH + dt.timedelta(days=serial)


def _date_value(date: dt.date, shown: str, *notes: IntakeNote) -> Normalized:
    """A date as given, with a warning when its year is unlikely (a typo such as 1024)."""
    if 1900 <= date.year <= 2100:
        return _given(date, *notes)
    doubt = _note(
        NoteCode.implausible_date,
        f"“{shown}”的年份 {date.year} 不太可能，请核实",
        f"'{shown}': the year {date.year} is unlikely; please check",
        NoteLevel.warning,
    )
    return _given(date, *notes, doubt)


def _make_date(
    shown: str, spec: AnswerSpec, year: int, month: int, day: int, *notes: IntakeNote
) -> Normalized:
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return _unreadable(shown, spec, _NO_SUCH_DATE)
    return _date_value(date, shown, *notes)


def _partial_date_note(shown: str, date: dt.date) -> IntakeNote:
    return _note(
        NoteCode.partial_date,
        f"“{shown}”没有写明具体日期，按 {date.isoformat()} 计",
        f"'{shown}' gives no full date; taken as {date.isoformat()}",
    )


def _partial_date(shown: str, spec: AnswerSpec, year: int, month: int = 1) -> Normalized:
    result = _make_date(shown, spec, year, month, 1)
    if isinstance(result.value, dt.date):
        note = _partial_date_note(shown, result.value)
        return Normalized(result.state, result.value, (note, *result.notes))
    return result


def _date_from_number(number: Decimal, shown: str, spec: AnswerSpec, text: str) -> Normalized:
    """A number in a date cell: a year, 2024.03, 20240315, 202403 or an Excel serial."""
    whole = int(number)
    # A date cell holding 2024 or 2024.03 was typed as a year (month); read as
    # Excel serials they would be days in 1905, which nobody means.
    if _YEAR_MIN <= number < _YEAR_MAX + 1:
        if number == whole:
            return _partial_date(shown, spec, whole)
        month_text = text.partition(".")[2]
        if month_text.isdigit() and len(month_text) <= 2:
            return _partial_date(shown, spec, whole, int(month_text))
        return _unreadable(shown, spec)
    if number == whole and 19_000_101 <= whole <= 21_001_231:
        year, rest = divmod(whole, 10_000)
        return _make_date(shown, spec, year, rest // 100, rest % 100)
    if number == whole and 190_001 <= whole <= 210_012 and 1 <= whole % 100 <= 12:
        return _partial_date(shown, spec, whole // 100, whole % 100)
    date = _serial_date(whole) if number >= 1 else None
    if date is None:
        return _unreadable(shown, spec)
    return _date_value(
        date,
        shown,
        _note(
            NoteCode.excel_serial_date,
            f"“{shown}”按 Excel 日期序号读作 {date.isoformat()}",
            f"'{shown}' read as an Excel date serial: {date.isoformat()}",
        ),
    )


def _cn_date_digits(m: re.Match[str]) -> str:
    run = m.group()
    value = _cn_fast(run.replace("卅", "三十"))
    return str(value) if value is not None else run


def _date_text(text: str, spec: AnswerSpec, shown: str) -> Normalized | None:
    text = _TIME_TAIL.sub("", text).replace(" ", "")
    notes: list[IntakeNote] = []
    if _DATE_CN_RUN.search(text):
        converted = _DATE_CN_RUN.sub(_cn_date_digits, text)
        if converted != text:
            text = converted
            notes.append(
                _note(
                    NoteCode.chinese_numeral,
                    f"“{shown}”中的中文数字按 {text} 计",
                    f"'{shown}': Chinese numerals read as {text}",
                )
            )
    if m := _DATE_YMD.match(text):
        y, mo, d = (int(g) for g in m.groups())
        return _make_date(shown, spec, y, mo, d, *notes)
    result: Normalized | None = None
    if _DIGITS.match(text):
        # Digits alone read exactly as the same number in a cell would (2024,
        # 2024.03, 20240315, 202403, 45292), so that stored raw text re-reads alike.
        result = _date_from_number(Decimal(text), shown, spec, text)
    elif m := _DATE_YM.match(text):
        result = _partial_date(shown, spec, int(m.group(1)), int(m.group(2)))
    elif m := _DATE_Y.match(text):
        result = _partial_date(shown, spec, int(m.group(1)))
    if result is not None and notes and result.state is AnswerState.given:
        return Normalized(result.state, result.value, (*notes, *result.notes))
    return result


# --- dispatch -------------------------------------------------------------------


def normalize_answer(raw: CellValue, spec: AnswerSpec, indicator: str = "") -> Normalized:
    """What ``raw`` means as an answer of type ``spec.type``.

    Blank cells are missing (never "no"); 不适用 and its kin are N/A; every
    guess is an info note; anything unreadable is missing with an error note
    that quotes what was written and says what to type instead. Never raises.

    ``indicator`` is what the row asks (the rule's wordings): an answer written
    as a sentence with several numbers (职工56人，会员54人) is read by the number
    whose words match it, and a yes/no answer that restates it (单独设立账户)
    counts as yes. Without it such answers are unreadable, never guessed.
    """
    try:
        if spec.words and isinstance(raw, str):
            worded = _rule_word(raw, spec)
            if worded is not None:
                return worded
        return _normalize(raw, spec, indicator)
    except Exception:
        # Unreachable by design (the property tests drive _normalize with
        # arbitrary input); kept so that a bug costs one answer, not a file.
        return _unreadable(_shown(_safe_raw_text(raw)), spec)


def _rule_word(raw: str, spec: AnswerSpec) -> Normalized | None:
    """A word the rule itself defines (齐全 → 0 missing ledgers), matched on normalised text."""
    from checklist.textnorm import match_key

    key = match_key(raw)
    for word, value in spec.words:
        if match_key(word) == key:
            state = AnswerState.na if value is None else AnswerState.given
            shown = "不适用" if value is None else str(value)
            shown_en = "N/A" if value is None else str(value)
            note = IntakeNote(
                NoteLevel.info,
                NoteCode.rule_word,
                Text(
                    f"“{raw.strip()}”按本指标的约定读作 {shown}。",
                    f"'{raw.strip()}' read as {shown_en}, as this rule defines.",
                ),
            )
            return Normalized(state, value, (note,))
    return None


def _safe_raw_text(raw: CellValue) -> str:
    try:
        return raw_text(raw)
    except Exception:
        return "?"


def _normalize(raw: CellValue, spec: AnswerSpec, indicator: str = "") -> Normalized:
    if raw is None:
        return _MISSING
    kind = spec.type
    if isinstance(raw, str):
        return _from_text(raw, spec, indicator)
    if isinstance(raw, bool):
        return _given(raw) if kind is AnswerType.yesno else _from_text(raw_text(raw), spec)
    if isinstance(raw, int | float):
        return _from_number(raw, spec)
    if isinstance(raw, dt.date):
        if kind is AnswerType.date:
            date = raw.date() if isinstance(raw, dt.datetime) else raw
            return _date_value(date, _shown(raw_text(raw)))
        if kind in (AnswerType.text, AnswerType.choice):
            return _from_text(raw_text(raw), spec)
        return _unreadable(_shown(raw_text(raw)), spec)
    # A time or duration: only free text or a choice can make sense of it.
    if kind in (AnswerType.text, AnswerType.choice):
        return _from_text(raw_text(raw), spec)
    return _unreadable(_shown(raw_text(raw)), spec)


def _from_number(raw: int | float, spec: AnswerSpec) -> Normalized:
    kind = spec.type
    shown = _shown(raw_text(raw))
    if kind is AnswerType.text:
        return _given(raw_text(raw))
    if kind is AnswerType.choice:
        return _from_text(raw_text(raw), spec)
    if isinstance(raw, float) and not math.isfinite(raw):
        return _unreadable(shown, spec, _NOT_FINITE)
    number = _decimal(raw)
    match kind:
        case AnswerType.yesno:
            if number < 0:
                return _unreadable(shown, spec, _NEGATIVE)
            if number in (0, 1):
                return _given(number == 1)
            return _given(
                True,
                _note(
                    NoteCode.number_as_yesno,
                    f"“{shown}”按数量理解，记为“是”",
                    f"'{shown}' read as a quantity; recorded as yes",
                ),
            )
        case AnswerType.count | AnswerType.number:
            return _finish_amount(_Quantity(number, "", (), False, False), spec, shown)
        case AnswerType.percent | AnswerType.ratio:
            return _finish_percent(_Quantity(number, "", (), False, False), spec, shown, False, [])
        case AnswerType.date:
            return _date_from_number(number, shown, spec, raw_text(raw))


def _from_text(raw: str, spec: AnswerSpec, indicator: str = "") -> Normalized:
    text = _clean(raw)
    if not text:
        return _MISSING
    shown = _shown(raw_text(raw))
    if spec.type is AnswerType.text:
        return _text_answer(raw, text, shown)
    result = _parse(text, spec, shown)
    # Traditional characters are converted only when the text was not read, or
    # read only by its first word: '已撤銷' starts like a yes but means no.
    weak = result is not None and any(n.code in _WEAK_GUESSES for n in result.notes)
    if (result is None or weak) and _CJK.search(text):
        simplified = _t2s()(text[:200]) + text[200:]
        if simplified != text:
            again = _parse(simplified, spec, shown)
            if again is not None or result is None:
                text, result = simplified, again
            if again is not None:
                note = _note(
                    NoteCode.traditional_chars,
                    f"“{shown}”含繁体字，已按简体识别",
                    f"'{shown}' contains traditional characters; read as simplified",
                )
                result = Normalized(again.state, again.value, (note, *again.notes))
    if result is None:
        result = _in_sentence(text, spec, shown, indicator)
    if result is None and spec.type is AnswerType.choice:
        result = _choice_fuzzy(text, spec, shown)
    return result if result is not None else _unreadable(shown, spec)


# --- answers written as sentences ------------------------------------------------------
#
# Forms with a 工作情况和数字说明 column get sentences, not values:
# "职工56人，会员54人，入会率96.4%", "2024年3月召开会员代表大会1次",
# "2021年11月按期换届", "单独设立账户，由财务科代管". The strict readers above
# refuse them; these read the one value such a sentence holds for the rule, and
# refuse again when it holds several the rule's wording cannot tell apart.

# Dates inside a sentence are no counts: 2024年3月召开…1次, 2次（3月、9月）.
_DATE_IN_SENTENCE = re.compile(
    r"(?:19|20)\d\d(?:年(?:\d{1,2}月(?:\d{1,2}[日号])?)?|[./-]\d{1,2}(?:[./-]\d{1,2})?)"
    r"|\d{1,2}月(?:\d{1,2}[日号]|份|底|初)?"
)
_SENTENCE_UNITS = sorted(
    (_COUNT_UNITS - {"年", "月", "周", "岁", "日"}) | set(_PERCENT_UNITS), key=len, reverse=True
)
_NUMBER_IN_SENTENCE = re.compile(
    rf"百分之(?P<pct>{_NUMTOK})"
    rf"|(?P<n>\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万廿]+)(?P<u>{_alternation(_SENTENCE_UNITS)})"
)
_LABEL_END = re.compile(r"[,;:()、。/，；：（）\s]")
_UNIT_GROUPS = (
    _words("人 名 位 人次"),
    _words("次 场 期 回 批次"),
    _words("个 家 支 所 处 队 组"),
    _words("天 日"),
    _words("学时 课时 小时"),
    _words("篇 份 本 册"),
    _words("项 条 件"),
)
# Words that undo or postpone what a sentence says: 未建, 没有, 计划明年建立.
_SENTENCE_NEGATION = re.compile(r"未|没|无|不|否|缺|尚|暂|待|拟|计划|准备|正在")
_FULL_DATE_IN_SENTENCE = re.compile(
    r"(?:19|20)\d\d(?:年\d{1,2}月(?:\d{1,2}[日号])?|[./-]\d{1,2}(?:[./-]\d{1,2})?|年)"
)


_EACH = re.compile(r"各|分别|每")


@dataclass(frozen=True, slots=True)
class _Mention:
    """A number a sentence states, with the words before it."""

    label: str
    number: _Number
    unit: str
    written: str


def _same_unit(a: str, b: str) -> bool:
    return a == b or any(a in group and b in group for group in _UNIT_GROUPS)


def _mentions(key: str) -> list[_Mention]:
    text = _DATE_IN_SENTENCE.sub("/", key)
    found: list[_Mention] = []
    start = 0
    for m in _NUMBER_IN_SENTENCE.finditer(text):
        before = text[start : m.start()]
        cut = [b.end() for b in _LABEL_END.finditer(before)]
        label = before[cut[-1] :] if cut else before
        start = m.end()
        if m.group("pct") is not None:
            number = _number_token(m.group("pct"))
            unit = "%"
        else:
            number = _number_token(m.group("n"))
            unit = m.group("u")
        if number is not None:
            found.append(_Mention(label, number, unit, m.group()))
    return found


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _by_label(mentions: list[_Mention], indicator: str) -> _Mention | None:
    """The one mention whose words the indicator shares most, if one does."""
    if not indicator:
        return None
    wanted = _bigrams(_key(_clean(indicator)))
    scored = sorted(
        ((len(_bigrams(m.label) & wanted), i) for i, m in enumerate(mentions)), reverse=True
    )
    if not scored or scored[0][0] == 0 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return mentions[scored[0][1]]


def _in_sentence(text: str, spec: AnswerSpec, shown: str, indicator: str) -> Normalized | None:
    key = _key(text)
    kind = spec.type
    if kind is AnswerType.date:
        return _date_in_sentence(text, spec, shown)
    if kind is AnswerType.yesno:
        return _yes_in_sentence(key, shown, indicator)
    if kind not in (AnswerType.count, AnswerType.number, AnswerType.percent, AnswerType.ratio):
        return None
    percent = kind in (AnswerType.percent, AnswerType.ratio)
    mentions = [m for m in _mentions(key) if (m.unit in _PERCENT_UNITS) == percent]
    if not percent and spec.unit and any(_same_unit(m.unit, spec.unit) for m in mentions):
        mentions = [m for m in mentions if _same_unit(m.unit, spec.unit)]
    if not mentions:
        return None
    chosen = mentions[0] if len(mentions) == 1 else _by_label(mentions, indicator)
    if chosen is None or _EACH.search(chosen.label):
        return None  # '3月、12月各召开1次': once each time, more than the number says
    q = _Quantity(chosen.number.value, chosen.unit, (), chosen.number.chinese, chosen.number.scaled)
    result = (
        _finish_percent(q, spec, shown, chosen.unit != "", [])
        if percent
        else _finish_amount(q, spec, shown)
    )
    if result.state is not AnswerState.given:
        return result
    value = _fmt(result.value)
    written = f"{chosen.label}{chosen.written}"
    level = NoteLevel.info if len(mentions) == 1 else NoteLevel.warning
    note = _note(
        NoteCode.number_in_text,
        f"“{shown}”中取“{written}”，按 {value} 计",
        f"'{shown}': took '{written}' as {value}",
        level,
    )
    return Normalized(result.state, result.value, (note, *result.notes))


def _yes_in_sentence(key: str, shown: str, indicator: str) -> Normalized | None:
    """'团委1个，下设团支部18个', '单独设立账户' for a yes/no rule: yes, unless undone."""
    if _SENTENCE_NEGATION.search(key):
        return None
    counts = [m for m in _mentions(key) if m.unit not in _PERCENT_UNITS]
    if counts and (
        all(m.number.value > 0 for m in counts) or all(m.number.value == 0 for m in counts)
    ):
        yes = counts[0].number.value > 0
        return _given(
            yes,
            _note(
                NoteCode.number_as_yesno,
                f"“{shown}”按数量理解，记为“{'是' if yes else '否'}”",
                f"'{shown}' read as a quantity; recorded as {'yes' if yes else 'no'}",
            ),
        )
    if indicator and len(_bigrams(key) & _bigrams(_key(_clean(indicator)))) >= 2:
        return _given(
            True,
            _note(
                NoteCode.restates_indicator,
                f"“{shown}”复述了指标要求，记为“是”，请核实",
                f"'{shown}' restates what the indicator asks; recorded as yes, please check",
                NoteLevel.warning,
            ),
        )
    return None


def _date_in_sentence(text: str, spec: AnswerSpec, shown: str) -> Normalized | None:
    """'2021年11月按期换届': the one date a sentence names."""
    found = set(_FULL_DATE_IN_SENTENCE.findall(text.replace(" ", "")))
    if len(found) != 1:
        return None
    (written,) = found
    result = _date_text(written, spec, shown)
    if result is None or result.state is not AnswerState.given:
        return None
    note = _note(
        NoteCode.date_in_text,
        f"“{shown}”中取日期“{written}”",
        f"'{shown}': took the date '{written}'",
    )
    return Normalized(result.state, result.value, (note, *result.notes))


def _text_answer(raw: str, text: str, shown: str) -> Normalized:
    """Free text as written, unless it says 不适用 (in either script)."""
    if _is_na(_key(text), text):
        return _not_applicable(shown)
    # N/A words are short; longer text is never converted (it is kept as written).
    if len(text) <= _MAX_NA_LENGTH and _CJK.search(text):
        simplified = _t2s()(text)
        if simplified != text and _is_na(_key(simplified), simplified):
            return _not_applicable(shown)
    # A number typed as text reads as the number would (0 stays "0", not none).
    if _key(text) in _NO and not text.isdigit():
        # 暂无 / 无 / 未明确 for "name the responsible leader": nothing was named.
        return _given(
            "",
            _note(
                NoteCode.no_text,
                f"“{shown}”表示没有，记为未填写内容",
                f"'{shown}' means none; recorded as empty",
            ),
        )
    return _given(raw_text(raw))


_MAX_NA_LENGTH = 8
_WEAK_GUESSES = frozenset(
    {
        NoteCode.yes_with_text,
        NoteCode.no_with_text,
        NoteCode.hedged_answer,
        NoteCode.number_with_text,
    }
)


# 不适用（职工不足200人）, 不涉及，本校无此项: an N/A word followed by its reason.
_NA_WITH_REASON = re.compile(r"^([^(（,，;；:：]+)(?:[(（].*[)）]|[,，;；:：].+)$")


def _is_na(key: str, text: str) -> bool:
    if key in _NA_WORDS or _NA_MARKS.match(text):
        return True
    reason = _NA_WITH_REASON.match(key)
    return reason is not None and reason.group(1) in _NA_WORDS


def _parse(text: str, spec: AnswerSpec, shown: str) -> Normalized | None:
    """``text`` (cleaned) read strictly as ``spec.type``; None when not understood."""
    key = _key(text)
    kind = spec.type
    if kind is AnswerType.choice and (exact := _choice_exact(key, spec)) is not None:
        return exact  # a choice may itself read like N/A ('不涉及')
    if _is_na(key, text):
        return _not_applicable(shown)
    match kind:
        case AnswerType.yesno:
            return _yesno_text(key, spec, shown)
        case AnswerType.count | AnswerType.number:
            if _PLAIN_NUMBER.match(key):
                return _finish_amount(_Quantity(Decimal(key), "", (), False, False), spec, shown)
            found = _read_quantity(key, spec, percent=False)
            return None if found is None else _finish_amount(found, spec, shown)
        case AnswerType.percent | AnswerType.ratio:
            return _percent_text(key, spec, shown)
        case AnswerType.date:
            return _date_text(text, spec, shown)
        case AnswerType.choice | AnswerType.text:
            # Choices go on to fuzzy matching; text never gets here (_text_answer).
            return None
