"""Numbers as units write them: Arabic with separators and 万/亿, and Chinese numerals."""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Callable
from decimal import Decimal
from typing import cast

from checklist.patterns import lazy_compile
from checklist.records import record

CN_DIGIT = {
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
CN_NUM_CHARS = "".join(CN_DIGIT) + "十拾百佰千仟万亿廿卅参点"
NUMTOK = rf"[0-9.,{CN_NUM_CHARS}]+"
CJK_OR_DIGIT = lazy_compile(rf"[0-9{CN_NUM_CHARS}]")
# Longer digit strings are no answer anyone typed (and would pass Python's
# int-to-str limit in a note); they fall through to the token cap below.
PLAIN_NUMBER = lazy_compile(r"^\d{1,20}(?:\.\d{1,20})?$")
_ARABIC = lazy_compile(
    r"^(?P<int>\d{1,3}(?:,\d{3})+|\d*)(?:\.(?P<frac>\d+))?(?P<mult>[十百千万亿]*)$"
)
_MULT = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
_CN_TENS = lazy_compile(
    r"^([一二两三四五六七八九壹贰叁肆伍陆柒捌玖])?[十拾]([一二三四五六七八九壹贰叁肆伍陆柒捌玖])?$"
)
CN_PAIR = lazy_compile(r"^([一二两三四五六七八九])([二三四五六七八九])$")
_MAX_TOKEN = 24


@functools.cache
def _cn2an() -> Callable[[str, str], object]:
    # cn2an reads the long tail of Chinese numerals correctly (formal 壹佰贰拾,
    # 一万零五, decimals with 点, mixed '1百23' in 'smart' mode), but importing it
    # compiles huge regexes: 140-330 ms measured (warm/cold). The simple forms
    # that make up nearly all answers (一 … 九十九, 二〇二四) are read by cn_fast.
    import cn2an

    return cast(Callable[[str, str], object], cn2an.cn2an)


def cn_fast(token: str) -> int | None:
    """Single digits, 十 … 九十九, 廿/卅 forms and digit strings such as 二〇二四."""
    if not token:
        return None
    if all(c in CN_DIGIT for c in token):
        return int("".join(str(CN_DIGIT[c]) for c in token))
    if m := _CN_TENS.match(token):
        tens, ones = m.groups()
        return (CN_DIGIT[tens] if tens else 1) * 10 + (CN_DIGIT[ones] if ones else 0)
    if token[0] in "廿卅" and (len(token) == 1 or (len(token) == 2 and token[1] in CN_DIGIT)):
        return (20 if token[0] == "廿" else 30) + (CN_DIGIT[token[1]] if len(token) == 2 else 0)
    return None


def _cn_number(token: str) -> Decimal | None:
    """A Chinese (or mixed) numeral, or None."""
    # cn2an knows neither 卅 (30) nor 参, the common form of 叁 (OpenCC turns 參 into 参).
    token = token.replace("卅", "三十").replace("参", "叁")
    fast = cn_fast(token)
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


@record
class Number:
    """A number token as written."""

    value: Decimal
    """Its value, exactly."""
    chinese: bool
    """Written (partly) in Chinese numerals."""
    scaled: bool
    """Written with 万/亿 (or, in Arabic, 十/百/千) as a multiplier."""


def number_token(token: str) -> Number | None:
    if len(token) > _MAX_TOKEN:
        return None
    if (m := _ARABIC.match(token)) and (m.group("int") or m.group("frac")):
        whole, frac, mult = m.group("int"), m.group("frac"), m.group("mult")
        value = Decimal(f"{whole.replace(',', '') or '0'}.{frac or '0'}")
        for c in mult:
            value *= _MULT[c]
        return Number(value, False, bool(mult))
    if "," in token or "." in token:
        return None
    value_cn = _cn_number(token)
    if value_cn is None:
        return None
    return Number(value_cn, True, any(c in "万亿" for c in token))


def to_number(value: Decimal) -> int | float | None:
    """An exact Decimal as an int where whole, else a float; None when not finite."""
    if not value.is_finite():
        return None
    if value == value.to_integral_value():
        return int(value)
    result = float(value)
    return result if math.isfinite(result) else None


def to_decimal(raw: int | float) -> Decimal:
    # repr() gives the shortest text that round-trips, so 0.57 stays 0.57 (not
    # 0.56999…) and 0.57 x 100 is exactly 57.
    return Decimal(raw) if isinstance(raw, int) else Decimal(repr(raw))
