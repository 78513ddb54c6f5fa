"""Dates (2024-03-15, 2024年3月15日, 二〇二四年三月, Excel serials) and the assessment year."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal

from checklist.codes import NoteCode
from checklist.model import AnswerSpec, AnswerState, IntakeNote, NoteLevel
from checklist.normalize.common import (
    Normalized,
    Reader,
    Written,
    given,
    lookup_key,
    make_note,
    tidy,
    unreadable,
)
from checklist.normalize.numerals import CN_DIGIT, cn_fast
from checklist.patterns import lazy_compile
from checklist.text import Text
from checklist.workbook import CellValue

_YEAR_MIN, _YEAR_MAX = 1990, 2100
_YEAR_EXACT = lazy_compile(r"^(\d{4})(?:\.0+)?(?:年度?|年)?$")
_YEAR_ANYWHERE = lazy_compile(r"(?<!\d)(\d{4})(?!\d)")
_CN_DIGIT_RUN = lazy_compile(r"[〇零一二三四五六七八九]{4}")


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
    key = lookup_key(tidy(text))
    key = _CN_DIGIT_RUN.sub(lambda m: "".join(str(CN_DIGIT[c]) for c in m.group()), key)
    if m := _YEAR_EXACT.match(key):
        return int(m.group(1))
    candidates = {
        int(found) for found in _YEAR_ANYWHERE.findall(key) if _YEAR_MIN <= int(found) <= _YEAR_MAX
    }
    # Two different years ('2023-2024') are ambiguous: better none than a guess.
    return candidates.pop() if len(candidates) == 1 else None


_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EXCEL_MAX_SERIAL = 2_958_465  # 9999-12-31
_TIME_TAIL = lazy_compile(r"[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_DATE_YMD = lazy_compile(r"^(\d{4})(?:年|[./-])(\d{1,2})(?:月|[./-])(\d{1,2})(?:日|号)?$")
_DATE_YM = lazy_compile(r"^(\d{4})(?:年|[./-])(\d{1,2})(?:月份?|月)?$")
_DATE_Y = lazy_compile(r"^(\d{4})年度?$")
_DATE_CN_RUN = lazy_compile(r"[〇零一二三四五六七八九十两廿卅]+")
_DIGITS = lazy_compile(r"^\d+(?:\.\d+)?$")
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
        return given(date, *notes)
    doubt = make_note(
        NoteCode.implausible_date,
        f"“{shown}”的年份 {date.year} 不太可能，请核实",
        f"'{shown}': the year {date.year} is unlikely; please check",
        NoteLevel.warning,
    )
    return given(date, *notes, doubt)


def _make_date(
    shown: str, spec: AnswerSpec, year: int, month: int, day: int, *notes: IntakeNote
) -> Normalized:
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return unreadable(shown, hint(spec), _NO_SUCH_DATE)
    return _date_value(date, shown, *notes)


def _partial_date_note(shown: str, date: dt.date) -> IntakeNote:
    return make_note(
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


def _from_number(number: Decimal, shown: str, spec: AnswerSpec, text: str) -> Normalized:
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
        return unreadable(shown, hint(spec))
    if number == whole and 19_000_101 <= whole <= 21_001_231:
        year, rest = divmod(whole, 10_000)
        return _make_date(shown, spec, year, rest // 100, rest % 100)
    if number == whole and 190_001 <= whole <= 210_012 and 1 <= whole % 100 <= 12:
        return _partial_date(shown, spec, whole // 100, whole % 100)
    date = _serial_date(whole) if number >= 1 else None
    if date is None:
        return unreadable(shown, hint(spec))
    return _date_value(
        date,
        shown,
        make_note(
            NoteCode.excel_serial_date,
            f"“{shown}”按 Excel 日期序号读作 {date.isoformat()}",
            f"'{shown}' read as an Excel date serial: {date.isoformat()}",
        ),
    )


def _cn_date_digits(m: re.Match[str]) -> str:
    run = m.group()
    value = cn_fast(run.replace("卅", "三十"))
    return str(value) if value is not None else run


def _date_text(text: str, spec: AnswerSpec, shown: str) -> Normalized | None:
    text = _TIME_TAIL.sub("", text).replace(" ", "")
    notes: list[IntakeNote] = []
    if _DATE_CN_RUN.search(text):
        converted = _DATE_CN_RUN.sub(_cn_date_digits, text)
        if converted != text:
            text = converted
            notes.append(
                make_note(
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
        result = _from_number(Decimal(text), shown, spec, text)
    elif m := _DATE_YM.match(text):
        result = _partial_date(shown, spec, int(m.group(1)), int(m.group(2)))
    elif m := _DATE_Y.match(text):
        result = _partial_date(shown, spec, int(m.group(1)))
    if result is not None and notes and result.state is AnswerState.given:
        return Normalized(result.state, result.value, (*notes, *result.notes))
    return result


_FULL_DATE_IN_SENTENCE = lazy_compile(
    r"(?:19|20)\d\d(?:年\d{1,2}月(?:\d{1,2}[日号])?|[./-]\d{1,2}(?:[./-]\d{1,2})?|年)"
)


def _sentence(written: Written, spec: AnswerSpec, indicator: str) -> Normalized | None:
    """'2021年11月按期换届': the one date a sentence names."""
    text, shown = written.text, written.shown
    found = set(_FULL_DATE_IN_SENTENCE.findall(text.replace(" ", "")))
    if len(found) != 1:
        return None
    (named,) = found
    result = _date_text(named, spec, shown)
    if result is None or result.state is not AnswerState.given:
        return None
    note = make_note(
        NoteCode.date_in_text,
        f"“{shown}”中取日期“{named}”",
        f"'{shown}': took the date '{named}'",
    )
    return Normalized(result.state, result.value, (note, *result.notes))


def _text(written: Written, spec: AnswerSpec) -> Normalized | None:
    return _date_text(written.text, spec, written.shown)


def _number(number: Decimal, as_text: str, spec: AnswerSpec, shown: str) -> Normalized:
    return _from_number(number, shown, spec, as_text)


def hint(spec: AnswerSpec) -> Text:
    """What to type instead."""
    return Text(
        "请填写日期，如 2024-03-15 或 2024年3月15日",
        "enter a date, e.g. 2024-03-15 or 2024年3月15日",
    )


READER = Reader(hint, _text, number=_number, date=_date_value, sentence=_sentence)
