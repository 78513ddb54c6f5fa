"""Choices: an option's id, label (zh or en) or alias, else the closest spelling."""

from __future__ import annotations

import functools
from dataclasses import dataclass

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
from checklist.text import Text


@dataclass(frozen=True, slots=True)
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


def hint(spec: AnswerSpec) -> Text:
    """What to type instead: the options."""
    return Text(
        "请从以下选项中选择：" + "、".join(c.label.zh for c in spec.choices),
        "choose one of: " + ", ".join(c.label.en for c in spec.choices),
    )


# An option is looked up before the N/A words (an option may be called 不涉及);
# text that names none goes on to the closest spelling.
READER = Reader(hint, named=_exact, loose=_closest)
