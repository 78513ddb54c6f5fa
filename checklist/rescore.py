"""Re-scoring: answers already read, judged again under another pack. Pure; no I/O.

The history keeps raw answers exactly as intake read them, so an old year can
be scored under today's rules (``history rescore``, ``trend``, ``compare
--rules``): each raw answer is normalised again under the new pack's answer
spec, then scored. Rules are matched by id.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from checklist.model import Answer, Assessment, IntakeNote, Result, RulePack, UnitInfo, Waiver
from checklist.saved import StoredAssessment


def _renormalise(answer: Answer, pack: RulePack, rule_id: str) -> tuple[Answer, list[IntakeNote]]:
    if not answer.raw.strip():
        # Nothing typed: a blank stays missing, and an answer given in code
        # without raw text has nothing to re-read, so it is kept as it is.
        return answer, []
    # Imported on first use: the history imports this module, and listing it
    # should not load the normaliser and its spreadsheet readers.
    from checklist.normalize import normalize_answer

    rule = pack.rule(rule_id)
    # The rule's wordings tell a sentence answer which of its numbers is meant, as
    # at intake (the row's own text is not stored).
    indicator = "，".join((rule.indicator.zh, *rule.aliases))
    normalized = normalize_answer(answer.raw, rule.answer, indicator)
    sheet, _, cell = answer.cell.rpartition("!")
    notes = [
        dataclasses.replace(n, sheet=sheet, cell=cell, rule_id=rule_id) for n in normalized.notes
    ]
    return dataclasses.replace(answer, state=normalized.state, value=normalized.value), notes


def reassess(
    unit: UnitInfo,
    answers: Mapping[str, Answer],
    pack: RulePack,
    *,
    source: str = "",
    notes: Sequence[IntakeNote] = (),
) -> Assessment:
    """Stored raw answers re-read under ``pack``'s answer specs (rules matched by id).

    Answers to rules ``pack`` does not have are left out; rules only ``pack``
    has get no answer (missing). ``notes`` not about a rule (unit-level
    intake notes) are kept; answer notes are made afresh.
    """
    rules = pack.rules_by_id
    fresh: dict[str, Answer] = {}
    kept = [n for n in notes if not n.rule_id]
    for rule_id, answer in answers.items():
        if rule_id not in rules:
            continue
        fresh[rule_id], answer_notes = _renormalise(answer, pack, rule_id)
        kept.extend(answer_notes)
    return Assessment(unit=unit, answers=fresh, notes=tuple(kept), source=source)


def _rescore(
    unit: UnitInfo,
    answers: Mapping[str, Answer],
    pack: RulePack,
    source: str,
    earlier: Result,
    waivers: Sequence[Waiver] = (),
) -> Result:
    """``answers`` re-read and scored under ``pack``, keeping what ``earlier`` knew beyond them.

    The unit-level intake notes and the unmatched rows come from reading the
    file, which is not read again. The waivers ``earlier`` applied are applied
    again (checked afresh against ``pack``), except where one of ``waivers``
    names the same rule: a newer waivers file wins.
    """
    from checklist.waivers import names_unit, score_waived

    assessment = reassess(unit, answers, pack, source=source, notes=earlier.notes)
    given = {w.rule_id for w in waivers if names_unit(w, unit)}
    kept = (*waivers, *(w for w in earlier.waivers if w.rule_id not in given))
    return dataclasses.replace(
        score_waived(assessment, pack, None, kept), unmatched=earlier.unmatched
    )


def rescored(stored: StoredAssessment, pack: RulePack, waivers: Sequence[Waiver] = ()) -> Result:
    """``stored`` re-scored under ``pack`` from its raw answers, with the waivers it was saved
    with and ``waivers`` (the database is not touched)."""
    return _rescore(
        stored.unit, stored.answers, pack, stored.entry.source_name, stored.scored_result, waivers
    )


def rescore_result(result: Result, pack: RulePack) -> Result:
    """A finished result (e.g. read from JSON) re-scored under ``pack`` from the answers it holds.

    For ratio rules a result holds the computed rate rather than what was
    typed; the rate is recomputed from its counts anyway, so this only
    matters when ``pack`` no longer treats the rule as a ratio.
    """
    answers = {r.rule_id: r.answer for r in result.rules}
    return _rescore(result.unit, answers, pack, result.source, result)
