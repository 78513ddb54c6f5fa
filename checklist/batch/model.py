"""The plain data the batch stages exchange.

The parent process keeps one compact :class:`FileScore` per scored file (a
few numbers and rule ids, no answers or cells), so a season of thousands of
files fits in little memory; full results stay in the workers, which write
the per-unit reports themselves.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum
from pathlib import Path

from checklist.codes import ErrorCode
from checklist.model import IntakeNote, UnitInfo, Waiver
from checklist.records import record
from checklist.text import Text


@record
class SurveyRow:
    """Where a unit read from a survey (one unit per row) stands in it."""

    file: str
    """The survey's file, as listed (its submission's ``shown``)."""
    sheet: str
    """The survey's sheet."""
    row: int
    """The unit's row, 1-based as Excel numbers it."""
    units: int
    """How many units the survey holds."""


@record
class Submission:
    """One file collected for the batch, or one unit's row of a survey file."""

    path: Path
    """Where to read it (inside the scratch folder for a member of a .zip)."""
    shown: str
    """How it is listed: relative to the PATH given, a zip member as ``town.zip/file.xlsx``."""
    folders: tuple[str, ...]
    """The folder names it was found under (evidence of its town or unit)."""
    mtime: float
    """Its modification time (the latest version wins among equals)."""
    survey: SurveyRow | None = None
    """For a unit read from a survey: its row (``shown`` then names the file, sheet and row)."""


def survey_row(submission: Submission, sheet: str, row: int, units: int, lang: str) -> Submission:
    """The submission of the unit at ``row`` of ``sheet`` in the survey ``submission``.

    Its ``shown`` names the file, the sheet and the row, in the batch's
    language, so wherever the roll-up or the terminal names a submission's
    file a secretary can find the row.
    """
    # Sheet names cannot hold '/', but a CSV's sheet is its file's name: keep the
    # file part of ``shown`` the text after its last '/'.
    where = sheet.replace("/", "／")
    label = (
        f"{submission.shown} (sheet '{where}', row {row})"
        if lang == "en"
        else f"{submission.shown}（“{where}”表第 {row} 行）"
    )
    return Submission(
        submission.path,
        label,
        submission.folders,
        submission.mtime,
        SurveyRow(submission.shown, sheet, row, units),
    )


class SkipReason(StrEnum):
    """Why a collected file was not read."""

    lock = "lock"
    hidden = "hidden"
    ours = "ours"
    not_spreadsheet = "not_spreadsheet"
    other_year = "other_year"
    no_year = "no_year"
    archive = "archive"
    roster = "roster"
    no_unit_name = "no_unit_name"


SKIP_TEXT: dict[SkipReason, Text] = {
    SkipReason.lock: Text("Excel/WPS 临时锁文件", "Excel/WPS lock file"),
    SkipReason.hidden: Text("隐藏文件", "hidden file"),
    SkipReason.ours: Text(
        "checklist 生成的文件（报告、汇总或空白模板）",
        "a file checklist wrote (report, roll-up or blank template)",
    ),
    SkipReason.not_spreadsheet: Text(
        "不是电子表格（可能报错了文件）", "not a spreadsheet (perhaps the wrong file was sent)"
    ),
    SkipReason.other_year: Text("其他年度的自评表", "a form of another year"),
    SkipReason.no_year: Text("表中未填年度", "the form gives no year"),
    SkipReason.archive: Text("压缩包无法展开", "an archive that cannot be unpacked"),
    SkipReason.roster: Text("单位名单（--roster）", "the roster (--roster)"),
    SkipReason.no_unit_name: Text(
        "调查表中该行有答案但没有单位名称，无法确定是哪个单位",
        "a survey row with answers but no unit name: whose they are cannot be told",
    ),
}


@record
class Skipped:
    """A file listed but not scored."""

    shown: str
    """The file, as listed."""
    reason: SkipReason
    """Why it was skipped."""
    detail: Text | None = None
    """More about it (the year it carries, what the archive said)."""
    survey: SurveyRow | None = None
    """For a survey's row: where it stands (``shown`` then names the file, sheet and row)."""

    def text(self) -> Text:
        """The reason in both languages, with its detail."""
        base = SKIP_TEXT[self.reason]
        if self.detail is None:
            return base
        return Text(f"{base.zh}：{self.detail.zh}", f"{base.en}: {self.detail.en}")


@record
class Clue:
    """One answer a unit gave, as the copied-answer check compares it."""

    rule_id: str
    """The rule answered."""
    text: str
    """The answer and its evidence, normalised (the unit's own name taken out)."""
    free: bool
    """Whether it is free text (evidence, text answers): numbers and yes/no agree by chance."""
    cell: str
    """Where it was typed (sheet!cell)."""
    shown: str = ""
    """The text as typed (its start), to show in an example."""
    kept: bool = False
    """The same as the unit's own answer last year: it copied no one here."""


@record
class FileScore:
    """A scored file, as compact as the roll-up allows."""

    submission: Submission
    """The file."""
    sha256: str
    """Its content hash (byte-identical copies collapse)."""
    unit: UnitInfo
    """The unit as the form gives it."""
    total: float
    """Total score (base + capped bonus), exactly as ``score`` gives it."""
    base: float
    """Base score out of 100."""
    bonus: float
    """Capped bonus points."""
    grade: str
    """Grade id, after any veto cap."""
    vetoed_by: tuple[str, ...]
    """Failed veto rules."""
    areas: tuple[tuple[str, float | None], ...]
    """Each area's score (None where nothing applies), in pack order."""
    gaps: tuple[str, ...]
    """Rules that are gaps (as in the gap report)."""
    applicable: tuple[str, ...]
    """Rules that apply to the unit (the denominator of a gap's share)."""
    coverage: tuple[tuple[str, bool | None], ...]
    """Per organisation (union, league, women): established, not, or unknown."""
    over_claims: int
    """Self-scores above what the rules give."""
    unsupported: int
    """Positive answers without the required evidence."""
    unreadable: int
    """Answers intake could not read."""
    clues: tuple[Clue, ...]
    """Its answers for the copied-answer check."""
    waivers: tuple[Waiver, ...]
    """Waivers applied to this unit."""
    waiver_notes: tuple[IntakeNote, ...]
    """Waivers naming this unit that were not used, and why."""
    previous: tuple[int, float, str] | None
    """(year, total, grade) of the unit's previous saved year, when history has one."""
    report: Path | None
    """Its gap report, written by the worker into the scratch folder (with --reports)."""
    stash: Path | None
    """Its assessment and result, pickled for --save."""
    clues_at: int = -1
    """Where the pool put its clues in the batch's clue store (-1: they stay in ``clues``)."""
    record_notes: tuple[Text, ...] = ()
    """Intake notes the roll-up repeats among a unit's flags: what a personal form's hidden
    record corrected or warned of (another year, name, type), a survey row without answers."""
    spooled: int | None = None
    """Set on the light copy the parent keeps while the whole summary waits in its spool
    (:class:`checklist.batch.spool.Spool`): the file's number there. A light copy has no
    areas, gaps, applicable rules, coverage, vetoes, waivers or notes; the roll-up's rows
    give the whole summary back."""

    def light(self, number: int) -> FileScore:
        """This summary without what only the roll-up's figures and sheets read."""
        return replace(
            self,
            vetoed_by=(),
            areas=(),
            gaps=(),
            applicable=(),
            coverage=(),
            clues=(),
            waivers=(),
            waiver_notes=(),
            record_notes=(),
            spooled=number,
        )


@record
class Failure:
    """A file that could not be read or scored."""

    submission: Submission
    """The file."""
    error: Text
    """One line saying why."""
    code: ErrorCode
    """Stable kind of failure (``encrypted``, ``crashed``, ``timeout``, …)."""


Outcome = FileScore | Failure | Skipped
"""What one file's job gives back: a score or a failure; a survey gives one per unit
row, and a ``Skipped`` for each row with answers but no unit name."""


@record
class More:
    """Outcomes of a job that goes on (a survey's rows, sent as they are scored).

    A worker scoring a survey of thousands of units sends them in parts: the
    parent's time limit starts again with each part (it guards against a hung
    read, not against a long survey), and neither side holds every unit's
    result at once.
    """

    outcomes: tuple[Outcome, ...]
    """This part's outcomes, in row order."""
