"""Copied answers: pairs of units whose answers agree beyond chance and boilerplate.

Units copy each other's forms (or one secretary fills in three), changing the
unit's name and little else. Agreement is only evidence when what agrees is
rare: the template's own examples and stock phrases ("会议记录、台账"), or a
count many units share, are written by many units and never count. A text or
value is rare when at most ``max(3, 5 %)`` of the units gave it. A pair is
flagged when at least three rules carry the same rare free text (evidence,
text answers) and at least 60 % of the rules both answered agree (common
answers left out); units that merely share document titles still differ in
their numbers and are not flagged. An answer the same as the unit's own
last saved year (``Clue.kept``) is left out of its pairs.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from checklist.batch.model import Clue

MIN_RULES = 3
"""Fewest rules with the same distinctive free text for a flag."""
MIN_SHARE = 0.6
"""Least share of the rules both answered (common answers left out) that must agree."""


@dataclass(frozen=True, slots=True)
class Example:
    """One rule both units answered with the same distinctive text."""

    rule_id: str
    """The rule."""
    cells: tuple[str, str]
    """Where each unit typed it."""
    text: str
    """The shared text, as the first unit typed it (its start)."""


@dataclass(frozen=True, slots=True)
class CopiedPair:
    """Two units whose answers look copied."""

    units: tuple[int, int]
    """Indexes of the two units in the list given."""
    rules: int
    """Rules on which they gave the same rare text or value."""
    shared_text: int
    """Of those, rules with the same rare free text."""
    similarity: float
    """Agreeing rules / compared rules (common answers left out), 0..1."""
    examples: tuple[Example, ...]
    """Up to three example cells."""


def find_copied(units: Sequence[tuple[Clue, ...]]) -> tuple[CopiedPair, ...]:
    """Every flagged pair among ``units`` (each unit's clues), strongest first.

    For each pair, every rule both answered is compared: the same rare text or
    value agrees, a different one disagrees, and the same common one (shared
    by more than ``limit`` units: boilerplate, or a count many units have) is
    left out. A pair is flagged when at least three rules agree on free text
    and at least 60 % of the compared rules agree.
    """
    count = len(units)
    limit = max(3, math.floor(0.05 * count))
    holders: dict[tuple[str, str, bool], list[int]] = defaultdict(list)
    for index, clues in enumerate(units):
        for key in {(c.rule_id, c.text, c.free) for c in clues}:
            holders[key].append(index)

    candidates: set[tuple[int, int]] = set()
    for (_rule, _text, free), who in holders.items():
        if free and 2 <= len(who) <= limit:
            candidates.update(combinations(who, 2))

    indexed = [_by_rule(clues) for clues in units]
    kept = [{(c.rule_id, c.free) for c in clues if c.kept} for clues in units]
    pairs: list[CopiedPair] = []
    for a, b in sorted(candidates):
        agree_free: list[str] = []
        agree = disagree = 0
        skipped = kept[a] | kept[b]
        for (rule_id, free), text in indexed[a].items():
            other = indexed[b].get((rule_id, free))
            if other is None or (rule_id, free) in skipped:
                # A unit's answer kept from its own last year is no sign of copying
                # (it still counts toward how common that answer is).
                continue
            if other != text:
                disagree += 1
            elif len(holders[(rule_id, text, free)]) <= limit:
                agree += 1
                if free:
                    agree_free.append(rule_id)
        similarity = agree / (agree + disagree) if agree + disagree else 0.0
        if len(agree_free) < MIN_RULES or similarity < MIN_SHARE:
            continue
        examples = []
        for rule_id in sorted(agree_free)[:3]:
            first = next(c for c in units[a] if c.rule_id == rule_id and c.free)
            second = next(c for c in units[b] if c.rule_id == rule_id and c.free)
            examples.append(Example(rule_id, (first.cell, second.cell), first.shown or first.text))
        pairs.append(
            CopiedPair((a, b), agree, len(agree_free), round(similarity, 2), tuple(examples))
        )
    pairs.sort(key=lambda p: (-p.similarity, -p.rules, p.units))
    return tuple(pairs)


def _by_rule(clues: tuple[Clue, ...]) -> dict[tuple[str, bool], str]:
    return {(clue.rule_id, clue.free): clue.text for clue in clues}
