"""One file's job, run in a worker process: read, score, summarise, report.

The score is exactly what ``checklist score`` gives, through the same
:func:`checklist.pipeline.assess_file`; the gap report is written by the same
reporter with the same comparison. Only a compact :class:`FileScore` goes
back to the parent; the full assessment is pickled to disk when it is to be
saved, so the parent never holds thousands of results at once.
"""

from __future__ import annotations

import hashlib
import pickle
import signal
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from checklist.batch.model import (
    Clue,
    Failure,
    FileScore,
    More,
    Outcome,
    Skipped,
    SkipReason,
    Submission,
    survey_row,
)
from checklist.codes import ErrorCode, NoteCode
from checklist.errors import ChecklistError
from checklist.model import (
    AnswerState,
    AnswerType,
    Assessment,
    AuditKind,
    NoteLevel,
    Result,
    RulePack,
    Status,
    Waiver,
)
from checklist.records import record
from checklist.text import Text

if TYPE_CHECKING:
    from checklist.intake import SurveyUnits

_MIN_FREE_TEXT = 4
"""Normalised free text shorter than this (有, 见台账) says nothing about copying."""


@record
class JobSettings:
    """What every job of one batch shares (sent once to each worker)."""

    lang: str
    """Language of the gap reports."""
    reports: Path | None
    """Scratch folder for the gap reports (None: no reports)."""
    stash: Path | None
    """Scratch folder for pickled assessments to save (None: not saving)."""
    db: Path | None
    """History database for the previous year (None: none looked up)."""
    history: bool
    """Whether to look up the unit's previous saved year."""
    waivers: tuple[Waiver, ...] = ()
    """Waivers (豁免) for every unit; each job applies those that hold for its unit."""


_RECORD_NOTES = frozenset({NoteCode.record_overrides, NoteCode.record_other_form})
"""Intake notes of a personal form's record, repeated in the roll-up."""

_PART = 25
"""Units of a survey sent to the parent at a time (each part restarts its time limit)."""

Send = Callable[[More], None]
"""How a job sends a part of its outcomes while it goes on."""

_state: dict[str, object] = {}


def start_worker(pack: RulePack, settings: JobSettings) -> None:
    """Worker initialiser: keep the pack loaded once; leave Ctrl-C to the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _state["pack"] = pack
    _state["settings"] = settings


def run_job(
    index: int, submission: Submission, send: Send | None = None
) -> Outcome | tuple[Outcome, ...]:
    """Read, score and report one file in this worker; a user error becomes a Failure."""
    pack = _state["pack"]
    settings = _state["settings"]
    assert isinstance(pack, RulePack) and isinstance(settings, JobSettings)
    return score_file(index, submission, pack, settings, send)


def score_file(
    index: int,
    submission: Submission,
    pack: RulePack,
    settings: JobSettings,
    send: Send | None = None,
) -> Outcome | tuple[Outcome, ...]:
    """The whole job for one file (also callable in-process).

    A survey with one unit per row gives one outcome per row (see
    :func:`score_survey`); every other file gives one.
    """
    from checklist.pipeline import assess_file

    try:
        try:
            assessment, result = assess_file(submission.path, pack, settings.waivers)
        except ChecklistError as error:
            if error.code is not ErrorCode.survey:
                raise
            from checklist.intake import open_survey

            found = open_survey(submission.path, pack)
            if found is None:
                raise
            return score_survey(index, submission, found, pack, settings, send)
        return _score(
            str(index), submission, _sha256(submission.path), assessment, result, pack, settings
        )
    except ChecklistError as error:
        return Failure(submission, error.message, error.code or ErrorCode.unreadable)
    except (MemoryError, RecursionError) as exc:
        return Failure(submission, _crash_text(type(exc).__name__), ErrorCode.crashed)


def score_survey(
    index: int,
    submission: Submission,
    found: SurveyUnits,
    pack: RulePack,
    settings: JobSettings,
    send: Send | None = None,
) -> tuple[Outcome, ...]:
    """Each unit row of a survey scored as a submission of its own, in row order.

    The file is read once, here; its rows become units one at a time and only
    their compact summaries leave (sent in parts through ``send`` as they are
    done, the rest returned), so a survey of thousands of rows keeps this
    process and the parent as small as that many files would. Each row's
    submission names the file, sheet and row (:func:`survey_row`); its hash is
    the row's own, so two rows are never taken for copies of one file, and a
    survey sent twice collapses row by row. A row with answers but no unit
    name is listed as skipped.
    """
    import datetime as dt

    from checklist.waivers import score_waived

    survey = found.survey
    sheet = survey.sheet
    head = sheet.rows[survey.row]
    year = dt.date.today().year
    units = len(survey.units)
    part: list[Outcome] = []
    for row, assessment in zip(survey.units, found.assessments(), strict=True):
        result = score_waived(assessment, pack, year, settings.waivers)
        unit = survey_row(submission, sheet.name, row + 1, units, settings.lang)
        sha = hashlib.sha256(repr((head, sheet.rows[row])).encode()).hexdigest()
        part.append(_score(f"{index}-{row + 1}", unit, sha, assessment, result, pack, settings))
        if send is not None and len(part) >= _PART:
            send(More(tuple(part)))
            part.clear()
    for row in survey.unnamed:
        left = survey_row(submission, sheet.name, row + 1, units, settings.lang)
        part.append(Skipped(left.shown, SkipReason.no_unit_name, survey=left.survey))
    return tuple(part)


def _score(
    name: str,
    submission: Submission,
    sha: str,
    assessment: Assessment,
    result: Result,
    pack: RulePack,
    settings: JobSettings,
) -> FileScore:
    """Compare, report, stash and summarise one scored unit; ``name`` names its scratch files."""
    before = _previous(result, pack, settings)
    comparison = None
    if before is not None:
        from checklist.compare import compare

        # History has already matched the unit (by its key, type and town).
        comparison = compare(before, result, force=True)
    report = None
    if settings.reports is not None:
        from checklist.report.excel import write_scratch_report

        # The scratch folder is the batch's own; the parent moves the report to its
        # place (checking that place) when the run is done.
        report = settings.reports / f"{name}.xlsx"
        write_scratch_report(result, pack, report, settings.lang, comparison=comparison)
    stash = None
    if settings.stash is not None:
        stash = settings.stash / f"{name}.pickle"
        stash.write_bytes(pickle.dumps((assessment, result), protocol=pickle.HIGHEST_PROTOCOL))
    previous = None
    if comparison is not None:
        overall = comparison.overall
        year = comparison.year_then
        if year is not None:
            previous = (year, overall.total_then, overall.grade_then)
    own = clues(_as_assessment(before), pack) if before is not None else ()
    return summarise(submission, sha, assessment, result, pack, previous, report, stash, own)


def _crash_text(what: str) -> Text:
    return Text(
        f"读取时出错（{what}），请在 Excel/WPS 中另存后重新报送",
        f"reading failed ({what}); save it again in Excel/WPS and resend it",
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _previous(result: Result, pack: RulePack, settings: JobSettings) -> Result | None:
    if not settings.history:
        return None
    from checklist.pipeline import previous_result

    try:
        return previous_result(result, pack, settings.db)
    except ChecklistError:
        # Two saved units fit this form's name (unit_ambiguous): no previous year
        # rather than a guess; the roll-up still scores the file.
        return None


def summarise(
    submission: Submission,
    sha: str,
    assessment: Assessment,
    result: Result,
    pack: RulePack,
    previous: tuple[int, float, str] | None,
    report: Path | None,
    stash: Path | None,
    last_year: tuple[Clue, ...] = (),
) -> FileScore:
    """The compact summary the parent keeps of one scored file.

    An answer the same as the unit's own ``last_year`` (its clues) is not
    compared for copying: a unit that kept its answer copied no one.
    """
    score = result.score
    kept = {_key(c) for c in last_year}
    statuses = {r.rule_id: r.status for r in result.rules}
    coverage: list[tuple[str, bool | None]] = []
    for org, rule_ids in pack.coverage:
        found: bool | None = None
        for rule_id in rule_ids:
            status = statuses.get(rule_id)
            if status is None or status is Status.na:
                continue
            answer = assessment.answers.get(rule_id)
            if (
                answer is not None
                and answer.state is AnswerState.given
                and isinstance(answer.value, bool)
            ):
                found = answer.value
            break
        coverage.append((org.value, found))
    return FileScore(
        submission=submission,
        sha256=sha,
        unit=result.unit,
        total=score.total,
        base=score.base,
        bonus=score.bonus,
        grade=score.grade,
        vetoed_by=score.vetoed_by,
        areas=tuple((a.area, a.score) for a in result.areas),
        gaps=tuple(r.rule_id for r in result.rules if r.is_gap),
        applicable=tuple(
            r.rule_id for r in result.rules if r.status is not Status.na and not r.bonus
        ),
        coverage=tuple(coverage),
        over_claims=sum(1 for f in result.audit if f.kind is AuditKind.over_claim),
        unsupported=sum(1 for r in result.rules if r.status is Status.unsupported),
        unreadable=sum(1 for n in assessment.notes if str(n.code) == "unreadable"),
        clues=tuple(
            replace(c, kept=True) if _key(c) in kept else c for c in clues(assessment, pack)
        ),
        waivers=result.waivers,
        waiver_notes=tuple(n for n in result.notes if str(n.code).startswith("waiver_")),
        previous=previous,
        report=report,
        stash=stash,
        record_notes=tuple(
            n.message
            for n in assessment.notes
            if n.code in _RECORD_NOTES
            or (n.code is NoteCode.survey_row and n.level is NoteLevel.warning)
        ),
    )


def _key(clue: Clue) -> tuple[str, str, bool]:
    return (clue.rule_id, clue.text, clue.free)


def _as_assessment(result: Result) -> Assessment:
    """A saved year's answers, as the copied-answer check reads them."""
    return Assessment(unit=result.unit, answers={r.rule_id: r.answer for r in result.rules})


def clues(assessment: Assessment, pack: RulePack) -> tuple[Clue, ...]:
    """The answers the copied-answer check compares, with the unit's own name taken out.

    Yes/no answers are left out: they agree by chance far too often to say
    anything. A unit copying another's form replaces the name, so the name
    (and its key) is removed from the text before comparing.
    """
    from checklist.identity import unit_key
    from checklist.textnorm import match_key

    names = sorted(
        {
            k
            for k in (match_key(assessment.unit.name), unit_key(assessment.unit.name))
            if len(k) >= 2
        },
        key=len,
        reverse=True,
    )

    def key(text: str) -> str:
        value = match_key(text)
        for name in names:
            value = value.replace(name, "")
        return value

    found: list[Clue] = []
    for rule_id, answer in assessment.answers.items():
        if answer.state is not AnswerState.given and not answer.evidence:
            continue
        rule = pack.rules_by_id.get(rule_id)
        if rule is None:
            continue
        free_parts = [answer.evidence]
        if rule.answer.type is AnswerType.text:
            free_parts.append(answer.raw)
        typed = " ".join(p for p in free_parts if p)
        free = key(typed)
        if len(free) >= _MIN_FREE_TEXT:
            found.append(Clue(rule_id, free[:80], True, answer.cell, typed[:40]))
        if rule.answer.type not in (AnswerType.yesno, AnswerType.text) and answer.value is not None:
            found.append(Clue(rule_id, str(answer.value), False, answer.cell))
    return tuple(found)
