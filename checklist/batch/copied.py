"""Copied answers: pairs of units whose free text agrees beyond chance and boilerplate.

Units copy each other's forms (or one secretary fills in three), changing the
unit's name and little else. Agreement is only evidence when the text is
rare: the template's own examples and stock phrases ("会议记录、台账") are
shared by many units and never count. A text counts as distinctive when at
most ``max(3, 5 %)`` of the units wrote it; a pair is flagged when at least
three rules carry the same distinctive free text and that is at least half
of the distinctive free text the sparser unit wrote. Equal numbers (members, meetings)
are reported alongside but never flag on their own: they agree by chance.
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
MIN_SHARE = 0.5
"""Least share of the sparser unit's free text that must be shared."""


@dataclass(frozen=True, slots=True)
class Example:
    """One rule both units answered with the same distinctive text."""

    rule_id: str
    """The rule."""
    cells: tuple[str, str]
    """Where each unit typed it."""
    text: str
    """The shared text (normalised)."""


@dataclass(frozen=True, slots=True)
class CopiedPair:
    """Two units whose answers look copied."""

    units: tuple[int, int]
    """Indexes of the two units in the list given."""
    rules: int
    """Rules on which their answers agree (free text or value)."""
    shared_text: int
    """Rules with the same distinctive free text."""
    similarity: float
    """Share of the sparser unit's free text that the other has too (0..1)."""
    examples: tuple[Example, ...]
    """Up to three example cells."""


def find_copied(units: Sequence[tuple[Clue, ...]]) -> tuple[CopiedPair, ...]:
    """Every flagged pair among ``units`` (each unit's clues), strongest first."""
    count = len(units)
    limit = max(3, math.floor(0.05 * count))
    holders: dict[tuple[str, str, bool], list[int]] = defaultdict(list)
    for index, clues in enumerate(units):
        for key in {(c.rule_id, c.text, c.free) for c in clues}:
            holders[key].append(index)
    # The denominator leaves boilerplate out too: a unit that wrote "会议记录、台账"
    # under half its rules and copied the rest has copied all it could.
    free_rules = [
        len(
            {
                c.rule_id
                for c in clues
                if c.free and len(holders[(c.rule_id, c.text, True)]) <= limit
            }
        )
        for clues in units
    ]

    shared: dict[tuple[int, int], set[str]] = defaultdict(set)
    for (rule_id, _text, free), who in holders.items():
        if free and 2 <= len(who) <= limit:
            for pair in combinations(who, 2):
                shared[pair].add(rule_id)

    pairs: list[CopiedPair] = []
    for (a, b), rule_ids in shared.items():
        sparser = min(free_rules[a], free_rules[b])
        if len(rule_ids) < MIN_RULES or len(rule_ids) < MIN_SHARE * sparser:
            continue
        by_rule_a = _by_rule(units[a])
        by_rule_b = _by_rule(units[b])
        agreeing = sum(
            1 for r in by_rule_a.keys() & by_rule_b.keys() if by_rule_a[r] == by_rule_b[r]
        )
        examples = []
        for rule_id in sorted(rule_ids)[:3]:
            first = next(c for c in units[a] if c.rule_id == rule_id and c.free)
            second = next(c for c in units[b] if c.rule_id == rule_id and c.free)
            examples.append(Example(rule_id, (first.cell, second.cell), first.text))
        pairs.append(
            CopiedPair(
                (a, b),
                max(agreeing, len(rule_ids)),
                len(rule_ids),
                round(len(rule_ids) / max(sparser, 1), 2),
                tuple(examples),
            )
        )
    pairs.sort(key=lambda p: (-p.similarity, -p.shared_text, p.units))
    return tuple(pairs)


def _by_rule(clues: tuple[Clue, ...]) -> dict[str, frozenset[tuple[str, bool]]]:
    found: dict[str, set[tuple[str, bool]]] = defaultdict(set)
    for clue in clues:
        found[clue.rule_id].add((clue.text, clue.free))
    return {rule_id: frozenset(values) for rule_id, values in found.items()}
