"""Choices: an option's id, label (zh or en) or alias, else the closest spelling."""

from __future__ import annotations

import functools

from checklist.codes import NoteCode
from checklist.model import AnswerSpec, Choice
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
from checklist.normalize.numerals import NUMTOK, number_token
from checklist.normalize.quantity import PERIOD_PER_YEAR, frequency
from checklist.normalize.sentences import SENTENCE_NEGATION
from checklist.patterns import lazy_compile
from checklist.records import record
from checklist.text import Text


@record
class _ChoiceIndex:
    """A choice list's spellings, built once per list."""

    exact: dict[str, Choice]
    """Every spelling of every choice, as lookup_key(tidy()) leaves it."""
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
            cleaned = tidy(spelling)
            if not cleaned:
                continue
            exact.setdefault(lookup_key(cleaned), choice)
            spellings.append(cleaned)
            owners.append(choice)
    return _ChoiceIndex(exact, tuple(spellings), tuple(owners))


def _exact(written: Written, spec: AnswerSpec) -> Normalized | None:
    choice = _choice_index(spec.choices).exact.get(written.key)
    return None if choice is None else given(choice.id)


_AMBIGUOUS = Text("与多个选项同样接近", "it is equally close to several choices")
_FUZZY_CUTOFF = 80.0


def _closest(written: Written, spec: AnswerSpec) -> Normalized | None:
    text, shown = written.text, written.shown
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
        return unreadable(shown, hint(spec), _AMBIGUOUS)
    choice = ranked[0][1]
    return given(
        choice.id,
        make_note(
            NoteCode.fuzzy_choice,
            f"“{shown}”按最接近的选项“{choice.label.zh}”计",
            f"'{shown}' matched to the closest choice '{choice.label.en}'",
        ),
    )


# Levels of government an honour comes from, highest first: the words that name
# one in a sentence (区妇联, 市总工会, 获评省级) and the spellings of a choice for it.
_LEVELS = (
    (
        lazy_compile(r"全国|国家级|中央|省(?:级|总工会|妇联|团委|委|政府|人民政府|文明办)"),
        ("省级", "国家级", "全国"),
    ),
    (
        lazy_compile(r"(?<![县区社])市(?:级|总工会|妇联|团委|委|政府|人民政府|文明办|教育工会)"),
        ("市级", "地级市", "地市级"),
    ),
    (
        lazy_compile(
            r"(?<![社街园小校])区(?:级|总工会|妇联|团委|委|政府|人民政府|文明办|教育工会)"
            r"|县(?:级|总工会|妇联|团委|委|政府|人民政府|文明办|教育工会)"
        ),
        ("县级", "区级", "县级市"),
    ),
)
_PERIOD = "|".join(sorted(PERIOD_PER_YEAR, key=len, reverse=True))
# 按季度发布, 每周推送2期, 每两个月更新一次: how often, inside a sentence.
_HOW_OFTEN = lazy_compile(
    rf"(?:每|按)(?P<k>{NUMTOK})?(?P<p>{_PERIOD})(?:[^，,。；;\d]{{0,6}}?(?P<n>{NUMTOK})[次期回篇条])?"
)


@functools.lru_cache(maxsize=256)
def _choice_levels(choices: tuple[Choice, ...]) -> tuple[Choice | None, ...]:
    """The choice that stands for each of :data:`_LEVELS` (None where no choice does)."""
    found: list[Choice | None] = []
    for _, spellings in _LEVELS:
        owner = None
        for choice in choices:
            names = (choice.label.zh, *choice.aliases)
            if any(s in name for s in spellings for name in names):
                owner = choice
                break
        found.append(owner)
    return tuple(found)


@functools.lru_cache(maxsize=256)
def _choice_frequencies(choices: tuple[Choice, ...]) -> tuple[tuple[float, Choice], ...]:
    """Choices that name how often (每月, 每季度), as (times a year, choice), most often first."""
    found = []
    for choice in choices:
        per_year = [
            q.value
            for name in (choice.label.zh, *choice.aliases)
            if (q := frequency(lookup_key(tidy(name)))) is not None
        ]
        if per_year:
            found.append((float(min(per_year)), choice))
    return tuple(sorted(found, key=lambda pair: pair[0], reverse=True))


def _sentence(written: Written, spec: AnswerSpec, indicator: str) -> Normalized | None:
    """获区妇联“巾帼文明岗”称号 → 县（市、区）级; 按季度发布通知 → 每季度: a choice a sentence states."""
    key = written.key
    if SENTENCE_NEGATION.search(key):
        return None
    levels = _choice_levels(spec.choices)
    for (words, _), choice in zip(_LEVELS, levels, strict=True):
        named = words.search(key)
        if choice is not None and named is not None:
            return _in_text(written, choice, named.group())
    frequencies = _choice_frequencies(spec.choices)
    how_often = _HOW_OFTEN.search(key)
    if len(frequencies) < 2 or how_often is None:
        return None
    k = number_token(how_often.group("k")) if how_often.group("k") else None
    n = number_token(how_often.group("n")) if how_often.group("n") else None
    every = float(k.value) if k is not None else 1.0
    times = float(n.value) if n is not None else 1.0
    if every <= 0:
        return None
    per_year = PERIOD_PER_YEAR[how_often.group("p")] / every * times
    # The most often that what was written reaches: 每周 is at least monthly.
    reached = next((c for f, c in frequencies if f <= per_year), None)
    return None if reached is None else _in_text(written, reached, how_often.group())


def _in_text(written: Written, choice: Choice, words: str) -> Normalized:
    return given(
        choice.id,
        make_note(
            NoteCode.choice_in_text,
            f"“{written.shown}”中的“{words}”按选项“{choice.label.zh}”计",
            f"'{written.shown}': '{words}' read as the choice '{choice.label.en}'",
        ),
    )


def hint(spec: AnswerSpec) -> Text:
    """What to type instead: the options."""
    return Text(
        "请从以下选项中选择：" + "、".join(c.label.zh for c in spec.choices),
        "choose one of: " + ", ".join(c.label.en for c in spec.choices),
    )


# An option is looked up before the N/A words (an option may be called 不涉及);
# text that names none goes on to the closest spelling.
READER = Reader(hint, named=_exact, sentence=_sentence, loose=_closest)
