"""Results as JSON-ready dictionaries, and back.

The JSON keeps stable rule ids and every number needed to trace a score, so
later stages (history, compare) can store and read results without the
workbook. ``message`` fields hold the text in the chosen language and ``text``
holds both.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from checklist.codes import MatchMethod, NoteCode
from checklist.model import (
    Answer,
    AnswerState,
    AreaResult,
    AuditFinding,
    AuditKind,
    Comparison,
    Completeness,
    Condition,
    Decision,
    DecisionKind,
    IntakeNote,
    NoteLevel,
    Op,
    Operand,
    RatioCounts,
    Result,
    RuleResult,
    Score,
    Status,
    UnitInfo,
    UnmatchedRow,
    Value,
    Waiver,
)
from checklist.patterns import lazy_compile
from checklist.text import Text

FORMAT_VERSION = 2
"""2: each rule's ``decision`` is a record (kind and numbers); 1 wrote a ``band`` string."""


def _value_to_json(value: Value | None) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _text_json(text: Text, lang: str) -> dict[str, Any]:
    return {"message": text.get(lang), "text": text.as_dict()}


def answer_to_dict(answer: Answer) -> dict[str, Any]:
    """One answer as JSON."""
    return {
        "state": answer.state.value,
        "raw": answer.raw,
        "value": _value_to_json(answer.value),
        "cell": answer.cell,
        "evidence": answer.evidence,
        "claimed": answer.claimed,
    }


def note_to_dict(note: IntakeNote, lang: str) -> dict[str, Any]:
    """One intake note as JSON."""
    return {
        "level": note.level.value,
        "code": note.code,
        "sheet": note.sheet,
        "cell": note.cell,
        "rule": note.rule_id,
        **_text_json(note.message, lang),
    }


def result_to_dict(result: Result, lang: str = "zh") -> dict[str, Any]:
    """The whole result as JSON, messages in ``lang``."""
    unit = result.unit
    score = result.score
    return {
        "format": FORMAT_VERSION,
        "source": result.source,
        "unit": {
            "name": unit.name,
            "type": unit.type,
            "year": unit.year,
            "town": unit.town,
            "filled_by": unit.filled_by,
            "phone": unit.phone,
        },
        "pack": {
            "id": result.pack_id,
            "version": result.pack_version,
            **({"base": result.pack_base} if result.pack_base else {}),
        },
        "score": {
            "base": score.base,
            "bonus": score.bonus,
            "total": score.total,
            "grade": score.grade,
            "uncapped_grade": score.uncapped_grade,
            "vetoed_by": list(score.vetoed_by),
            "earned": score.earned,
            "possible": score.possible,
            "bonus_raw": score.bonus_raw,
        },
        "waivers": [waiver_to_dict(w) for w in result.waivers],
        "completeness": {
            "answered": result.completeness.answered,
            "applicable": result.completeness.applicable,
        },
        "areas": [
            {"id": a.area, "score": a.score, "earned": a.earned, "possible": a.possible}
            for a in result.areas
        ],
        "rules": [
            {
                "id": r.rule_id,
                "area": r.area,
                "status": r.status.value,
                "earned": r.earned,
                "possible": r.possible,
                "decision": decision_to_dict(r.decision),
                "bonus": r.bonus,
                "veto": r.veto,
                "answer": answer_to_dict(r.answer),
                "match": {
                    "method": r.answer.match_method,
                    "confidence": r.answer.match_confidence,
                },
            }
            for r in result.rules
        ],
        "audit": [
            {
                "kind": f.kind.value,
                "rules": list(f.rule_ids),
                "check": f.check_id,
                "cells": list(f.cells),
                **_text_json(f.message, lang),
            }
            for f in result.audit
        ],
        "intake": [note_to_dict(n, lang) for n in result.notes],
        "unmatched": [
            {
                "sheet": u.sheet,
                "row": u.row,
                "text": u.text,
                "best_rule": u.best_rule,
                "best_score": u.best_score,
            }
            for u in result.unmatched
        ],
    }


# --- decisions ------------------------------------------------------------------------


def _condition_json(condition: Condition) -> dict[str, object]:
    return {"op": condition.op.value, "threshold": condition.threshold}


def _operand_json(operand: Operand) -> str | float | None:
    return operand.rule_id if operand.rule_id is not None else operand.constant


def decision_to_dict(decision: Decision) -> dict[str, object]:
    """A decision as JSON: its kind and every number, null where the kind has none."""
    condition, applies_if, ratio = decision.condition, decision.applies_if, decision.ratio
    return {
        "kind": decision.kind.value,
        "credit": decision.credit,
        "condition": None if condition is None else _condition_json(condition),
        "steps": decision.steps,
        "deducted": decision.deducted,
        "choice": decision.choice,
        "since": decision.since,
        "applies_if": None
        if applies_if is None
        else {
            "left": _operand_json(applies_if.left),
            "op": applies_if.op.value,
            "right": _operand_json(applies_if.right),
        },
        "ratio": None
        if ratio is None
        else {
            "numerator": ratio.numerator,
            "denominator": ratio.denominator,
            "top": ratio.top,
            "bottom": ratio.bottom,
        },
        "evidence_credit": decision.evidence_credit,
        "waiver": None if decision.waiver is None else waiver_to_dict(decision.waiver),
    }


def waiver_to_dict(waiver: Waiver) -> dict[str, object]:
    """A waiver as JSON (dates as ISO text)."""
    return {
        "unit": waiver.unit,
        "town": waiver.town,
        "rule": waiver.rule_id,
        "reason": waiver.reason,
        "approved_by": waiver.approved_by,
        "approved_on": waiver.approved_on.isoformat(),
        "expires_on": waiver.expires_on.isoformat(),
        "veto": waiver.veto,
        "where": waiver.where,
    }


def waiver_from_dict(data: object) -> Waiver:
    """A waiver read back from :func:`waiver_to_dict` output (ValueError if malformed)."""
    if not isinstance(data, dict):
        raise ValueError("decision.waiver")
    return Waiver(
        unit=str(data["unit"]),
        rule_id=str(data["rule"]),
        reason=str(data["reason"]),
        approved_by=str(data["approved_by"]),
        approved_on=dt.date.fromisoformat(str(data["approved_on"])),
        expires_on=dt.date.fromisoformat(str(data["expires_on"])),
        veto=bool(data.get("veto", False)),
        town=str(data.get("town", "")),
        where=str(data.get("where", "")),
    )


def _number(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(what)
    return float(value)


def _condition_from(data: object, what: str) -> Condition:
    if not isinstance(data, dict):
        raise ValueError(what)
    return Condition(Op(str(data.get("op"))), _number(data.get("threshold"), what))


def _operand_from(value: object, what: str) -> Operand:
    if isinstance(value, str):
        return Operand(rule_id=value)
    return Operand(constant=_number(value, what))


def decision_from_dict(data: dict[str, Any]) -> Decision:
    """A decision read back from :func:`decision_to_dict` output (ValueError if malformed)."""
    kind = DecisionKind(str(data.get("kind")))
    condition, applies_if, ratio = data.get("condition"), data.get("applies_if"), data.get("ratio")
    evidence = data.get("evidence_credit")
    since = data.get("since")
    decision = Decision(
        kind,
        credit=_number(data.get("credit", 0.0), "decision.credit"),
        condition=None if condition is None else _condition_from(condition, "decision.condition"),
        steps=int(_number(data.get("steps", 0), "decision.steps")),
        deducted=_number(data.get("deducted", 0.0), "decision.deducted"),
        choice=str(data.get("choice", "")),
        since=None if since is None else int(_number(since, "decision.since")),
        applies_if=None
        if applies_if is None
        else Comparison(
            _operand_from(applies_if.get("left"), "decision.applies_if"),
            Op(str(applies_if.get("op"))),
            _operand_from(applies_if.get("right"), "decision.applies_if"),
        ),
        ratio=None
        if ratio is None
        else RatioCounts(
            str(ratio["numerator"]),
            str(ratio["denominator"]),
            _number(ratio.get("top"), "decision.ratio"),
            _number(ratio.get("bottom"), "decision.ratio"),
        ),
        evidence_credit=None if evidence is None else _number(evidence, "decision.evidence"),
        waiver=None if data.get("waiver") is None else waiver_from_dict(data["waiver"]),
    )
    _check_decision(decision)
    return decision


def _check_decision(decision: Decision) -> None:
    """Refuse a decision without the numbers its kind is worded with."""
    needs = {
        DecisionKind.band_met: decision.condition,
        DecisionKind.deduction: decision.condition,
        DecisionKind.na_by_year: decision.since,
        DecisionKind.na_by_condition: decision.applies_if,
        DecisionKind.waived: decision.waiver,
    }
    if decision.kind in needs and needs[decision.kind] is None:
        raise ValueError(f"decision {decision.kind.value} without its numbers")


def _rule_decision(data: dict[str, Any]) -> Decision:
    """A rule's decision from format 2, or re-derived from format 1's ``band`` string."""
    decision = data.get("decision")
    if isinstance(decision, dict):
        return decision_from_dict(decision)
    return decision_from_band(
        str(data.get("band", "")),
        Status(data["status"]),
        float(data["earned"]),
        float(data["possible"]),
    )


# Format 1's band strings: ``COV-02/COV-01 = 54/56; >=50``, ``>=4: -2; evidence missing x0.5``.
_FORMULA = lazy_compile(r"^([A-Za-z0-9_-]+)/([A-Za-z0-9_-]+) = (-?[0-9.]+)/(-?[0-9.]+)(?:; |$)")
_EVIDENCE_SUFFIX = lazy_compile(r"; evidence missing x(\d+(?:\.\d+)?)$")
_DEDUCTED = lazy_compile(r"^(.+): -(\d+(?:\.\d+)?)$")
_SINCE = lazy_compile(r"^since (\d+)$")
_LEGACY_FIXED = {
    "declared": DecisionKind.declared_na,
    "zero denominator": DecisionKind.nothing_to_count,
    "rate above 100%": DecisionKind.rate_impossible,
    "type": DecisionKind.na_by_type,
    "below all bands": DecisionKind.band_missed,
    "partial": DecisionKind.partly,
    "text": DecisionKind.text,
    "data": DecisionKind.data,
    "yes": DecisionKind.yes,
    "no": DecisionKind.no,
}
_LEGACY_MISSING = {
    "unreadable": DecisionKind.unreadable,
    "declared N/A not accepted": DecisionKind.na_refused,
}


def decision_from_band(band: str, status: Status, earned: float, possible: float) -> Decision:
    """The decision a format-1 result (or history saved before schema 0003) wrote as ``band``.

    The string keeps everything but two numbers, re-derived here: ``credit``
    from the points (before the evidence cut, as exact as the points were
    saved: two decimals) and, for a deduction, ``steps``
    (left 0: the points deducted are what the string kept).
    """
    from checklist.rulepack import parse_comparison, parse_condition

    ratio = None
    formula = _FORMULA.match(band)
    if formula:
        numerator, denominator, top, bottom = formula.groups()
        ratio = RatioCounts(numerator, denominator, float(top), float(bottom))
        band = band[formula.end() :]
    evidence = None
    suffix = _EVIDENCE_SUFFIX.search(band)
    if suffix:
        evidence = float(suffix.group(1))
        band = band[: suffix.start()]
    # Nothing at stake: a headcount that passed earned all it could, an N/A nothing.
    credit = 1.0 if status is Status.passed else 0.0
    if possible > 0:
        credit = round(earned / possible / (evidence or 1.0), 4)
    decision = Decision(DecisionKind.missing)
    condition = parse_condition(band)
    deducted = _DEDUCTED.match(band)
    since = _SINCE.match(band)
    if status is Status.missing:
        decision = Decision(_LEGACY_MISSING.get(band, DecisionKind.missing))
    elif band in _LEGACY_FIXED:
        decision = Decision(_LEGACY_FIXED[band], credit)
    elif band.startswith("condition "):
        applies_if = parse_comparison(band.removeprefix("condition "))
        if applies_if is None:
            raise ValueError(f"band {band!r}")
        decision = Decision(DecisionKind.na_by_condition, applies_if=applies_if)
    elif since:
        decision = Decision(DecisionKind.na_by_year, since=int(since.group(1)))
    elif condition is not None:
        decision = Decision(DecisionKind.band_met, credit, condition=condition)
    elif deducted and (target := parse_condition(deducted.group(1))) is not None:
        decision = Decision(
            DecisionKind.deduction, credit, condition=target, deducted=float(deducted.group(2))
        )
    elif band:
        decision = Decision(DecisionKind.choice, credit, choice=band)
    else:
        raise ValueError("rule without a band")
    return replace(decision, ratio=ratio, evidence_credit=evidence)


def _text_from(data: dict[str, Any]) -> Text:
    text = data.get("text") or {}
    message = data.get("message", "")
    return Text(text.get("zh", message), text.get("en", message))


def _value_from_json(value: object) -> Value | None:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value) if len(value) == 10 and value[4] == "-" else value
        except ValueError:
            return value
    return str(value)


def answer_from_dict(data: dict[str, Any], match: dict[str, Any] | None = None) -> Answer:
    """One answer from JSON."""
    match = match or {}
    return Answer(
        state=AnswerState(data.get("state", "given")),
        value=_value_from_json(data.get("value")),
        raw=str(data.get("raw", "")),
        cell=str(data.get("cell", "")),
        evidence=str(data.get("evidence", "")),
        claimed=data.get("claimed"),
        match_method=MatchMethod(match.get("method", "")),
        match_confidence=float(match.get("confidence", 100.0)),
    )


def _check_shape(data: object) -> None:
    """Refuse a hand-edited or partial result before anything relies on its types."""

    def need(ok: bool, what: str) -> None:
        if not ok:
            raise ValueError(what)

    need(isinstance(data, dict), "not an object")
    assert isinstance(data, dict)
    unit, pack, score = data.get("unit"), data.get("pack"), data.get("score")
    need(isinstance(unit, dict) and isinstance(unit.get("name"), str), "unit.name")
    assert isinstance(unit, dict)
    year = unit.get("year")
    need(year is None or (isinstance(year, int) and not isinstance(year, bool)), "unit.year")
    need(unit.get("type") is None or isinstance(unit.get("type"), str), "unit.type")
    need(
        isinstance(pack, dict) and all(isinstance(pack.get(k), str) for k in ("id", "version")),
        "pack",
    )
    need(isinstance(score, dict) and isinstance(score.get("grade"), str), "score")
    for key in ("rules", "areas"):
        items = data.get(key)
        need(isinstance(items, list) and all(isinstance(i, dict) for i in items), key)
    for rule in data["rules"]:
        need(isinstance(rule.get("id"), str) and isinstance(rule.get("area"), str), "rules.id")
        need(isinstance(rule.get("answer", {}), dict), f"rules.{rule.get('id')}.answer")
        need(isinstance(rule.get("match", {}), dict | type(None)), f"rules.{rule.get('id')}.match")
    for key in ("audit", "intake", "unmatched"):
        items = data.get(key, [])
        need(isinstance(items, list) and all(isinstance(i, dict) for i in items), key)


def result_from_dict(data: dict[str, Any]) -> Result:
    """A result read back from :func:`result_to_dict` output (KeyError/ValueError if malformed)."""
    _check_shape(data)
    unit = data["unit"]
    score = data["score"]
    result = Result(
        unit=UnitInfo(
            name=unit["name"],
            type=unit.get("type"),
            year=unit.get("year"),
            town=unit.get("town", ""),
            filled_by=unit.get("filled_by", ""),
            phone=unit.get("phone", ""),
        ),
        pack_id=data["pack"]["id"],
        pack_version=data["pack"]["version"],
        pack_base=data["pack"].get("base", ""),
        rules=tuple(
            RuleResult(
                rule_id=r["id"],
                area=r["area"],
                status=Status(r["status"]),
                earned=float(r["earned"]),
                possible=float(r["possible"]),
                answer=answer_from_dict(r.get("answer", {}), r.get("match")),
                decision=_rule_decision(r),
                bonus=bool(r.get("bonus", False)),
                veto=bool(r.get("veto", False)),
            )
            for r in data["rules"]
        ),
        areas=tuple(
            AreaResult(a["id"], float(a["earned"]), float(a["possible"]), a.get("score"))
            for a in data["areas"]
        ),
        score=Score(
            base=float(score["base"]),
            bonus=float(score["bonus"]),
            total=float(score["total"]),
            grade=score["grade"],
            uncapped_grade=score.get("uncapped_grade", score["grade"]),
            vetoed_by=tuple(score.get("vetoed_by", ())),
            earned=float(score.get("earned", 0.0)),
            possible=float(score.get("possible", 0.0)),
            bonus_raw=float(score.get("bonus_raw", score["bonus"])),
        ),
        audit=tuple(
            AuditFinding(
                kind=AuditKind(f["kind"]),
                rule_ids=tuple(f.get("rules", ())),
                message=_text_from(f),
                check_id=f.get("check", ""),
                cells=tuple(f.get("cells", ())),
            )
            for f in data.get("audit", ())
        ),
        completeness=Completeness(
            answered=int(data.get("completeness", {}).get("answered", 0)),
            applicable=int(data.get("completeness", {}).get("applicable", 0)),
        ),
        notes=tuple(
            IntakeNote(
                level=NoteLevel(n["level"]),
                code=NoteCode(n["code"]),
                message=_text_from(n),
                sheet=n.get("sheet", ""),
                cell=n.get("cell", ""),
                rule_id=n.get("rule", ""),
            )
            for n in data.get("intake", ())
        ),
        unmatched=tuple(
            UnmatchedRow(
                sheet=u["sheet"],
                row=int(u["row"]),
                text=u["text"],
                best_rule=u.get("best_rule", ""),
                best_score=float(u.get("best_score", 0.0)),
            )
            for u in data.get("unmatched", ())
        ),
        source=data.get("source", ""),
    )
    # The waivers applied are those on the rules' decisions (the top-level list repeats them).
    waivers = tuple(r.decision.waiver for r in result.rules if r.decision.waiver is not None)
    return replace(result, waivers=waivers)
