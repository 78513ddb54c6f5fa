"""Tying rows of a unit's table to the pack's rules.

A row whose id cell holds a rule id is tied by id. Every other row is tied by
its indicator text: rapidfuzz scores each row against each rule's wordings
(indicator in both languages and the aliases) on normalised text, and the
pairs are assigned one to one over the whole table, best first, so no rule
takes two rows. A row whose best free rule scores below the threshold is
reported as unmatched, never forced onto a rule.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from checklist.model import RulePack
from checklist.textnorm import match_key, quick_key

ACCEPT_SCORE = 72.0
"""Lowest fuzzy score at which a row is tied to a rule.

Calibrated on the shipped pack against retyped, shortened, traditional-script
and numbered wordings (tests/cases/matching.yaml): the right rule scores 74–100
there, while rows that belong to no rule (党员发展人数, 是否建立党支部) reach at
most 68 against any rule once filler words are set aside.
"""


# Words nearly every indicator carries; left in, they let unrelated short rows
# ("是否建立党支部") reach the threshold on shared filler alone.
_FILLER = re.compile("是否|情况|工作|年度|年内|本单位|有无|村社区|等|的")


def indicator_key(text: str) -> str:
    """The match key of an indicator text without filler words (unchanged if nothing remains)."""
    key = match_key(text)
    return _FILLER.sub("", key) or key


@dataclass(frozen=True, slots=True)
class RowText:
    """A data row to be matched."""

    index: int
    """Position in the caller's list of rows."""
    rule_id: str
    """Text of the row's id cell (may be a plain number such as 3)."""
    text: str
    """The row's indicator text."""


@dataclass(frozen=True, slots=True)
class RowMatch:
    """The outcome for one row."""

    index: int
    """Position in the caller's list of rows."""
    rule_id: str | None
    """Rule the row was tied to, or None when unmatched."""
    method: str
    """``id``, ``text`` (normalised text equal) or ``fuzzy``; empty when unmatched."""
    confidence: float
    """0..100."""
    best_rule: str = ""
    """For unmatched rows: the closest rule, even below the threshold."""
    best_score: float = 0.0
    """For unmatched rows: its score."""


@dataclass(frozen=True, slots=True)
class PackKeys:
    """Normalised texts of a pack, computed once per pack and process."""

    wordings: tuple[tuple[str, tuple[str, ...]], ...]
    """(rule id, match keys of its indicator in both languages and its aliases)."""
    indicators: dict[str, frozenset[str]]
    """Rule id → quick and match keys of its indicator texts (to spot edited texts)."""
    areas: tuple[str, ...]
    """Match keys of the area titles (to skip area heading rows)."""
    ids: dict[str, str]
    """Typed id in canonical form → rule id."""


_KEYS: dict[tuple[str, str, str], PackKeys] = {}


def pack_keys(pack: RulePack) -> PackKeys:
    """The normalised texts of ``pack`` (cached per pack id, version and folder)."""
    cache_key = (pack.id, pack.version, pack.path)
    keys = _KEYS.get(cache_key)
    if keys is None:
        wordings = tuple(
            (
                rule.id,
                tuple(
                    dict.fromkeys(
                        k
                        for k in (
                            indicator_key(rule.indicator.zh),
                            indicator_key(rule.indicator.en),
                            *(indicator_key(a) for a in rule.aliases),
                        )
                        if k
                    )
                ),
            )
            for rule in pack.rules
        )
        indicators = {
            rule.id: frozenset(
                f(t) for t in (rule.indicator.zh, rule.indicator.en) for f in (quick_key, match_key)
            )
            for rule in pack.rules
        }
        areas = tuple(
            k for a in pack.areas for k in (match_key(a.title.zh), match_key(a.title.en)) if k
        )
        ids = {rule.id.upper(): rule.id for rule in pack.rules}
        ids.update({normalise_id(rule.id): rule.id for rule in pack.rules})
        keys = PackKeys(wordings, indicators, areas, ids)
        _KEYS[cache_key] = keys
    return keys


def normalise_id(text: str) -> str:
    """A typed rule id in canonical form: upper case, full-width folded, no spaces."""
    return match_key(text).upper().replace("_", "-") if text else ""


def match_rows(rows: Sequence[RowText], pack: RulePack) -> list[RowMatch]:
    """Tie each row to at most one rule, each rule to at most one row."""
    ids = pack_keys(pack).ids
    taken: set[str] = set()
    results: dict[int, RowMatch] = {}

    fuzzy_rows: list[RowText] = []
    for row in rows:
        typed = row.rule_id.strip().upper()
        rule_id = ids.get(typed) or (ids.get(normalise_id(typed)) if typed else None)
        if rule_id is not None and rule_id not in taken:
            taken.add(rule_id)
            results[row.index] = RowMatch(row.index, rule_id, "id", 100.0)
        else:
            fuzzy_rows.append(row)

    if fuzzy_rows:
        _match_by_text(fuzzy_rows, pack, taken, results)
    return [results[row.index] for row in rows]


def _match_by_text(
    rows: list[RowText], pack: RulePack, taken: set[str], results: dict[int, RowMatch]
) -> None:
    from rapidfuzz import fuzz

    keys = [
        (rule_id, wordings)
        for rule_id, wordings in pack_keys(pack).wordings
        if rule_id not in taken
    ]
    pairs: list[tuple[float, int, int, str]] = []
    best: dict[int, tuple[float, str]] = {}
    for position, row in enumerate(rows):
        text = indicator_key(row.text)
        if not text:
            continue
        for rule_id, wordings in keys:
            score = 0.0
            for wording in wordings:
                if text == wording:
                    score = 101.0  # exact beats any fuzzy 100
                    break
                score = max(score, fuzz.WRatio(text, wording))
            if score > best.get(position, (-1.0, ""))[0]:
                best[position] = (score, rule_id)
            if score >= ACCEPT_SCORE:
                pairs.append((score, -position, position, rule_id))

    assigned_rows: set[int] = set()
    for score, _, position, rule_id in sorted(pairs, reverse=True):
        if position in assigned_rows or rule_id in taken:
            continue
        assigned_rows.add(position)
        taken.add(rule_id)
        method = "text" if score > 100 else "fuzzy"
        row = rows[position]
        results[row.index] = RowMatch(row.index, rule_id, method, round(min(score, 100.0), 1))

    for position, row in enumerate(rows):
        if row.index in results:
            continue
        score, rule_id = best.get(position, (0.0, ""))
        results[row.index] = RowMatch(
            row.index, None, "", 0.0, best_rule=rule_id, best_score=round(min(score, 100.0), 1)
        )
