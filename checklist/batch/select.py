"""Which file counts: the season's year, and one file per unit.

The rule, as the roll-up documents it:

1. Forms of another year than the season's (``--year``, else the year most
   files carry, a survey of many units counting once, the later on a tie)
   are skipped and listed.
2. Byte-identical copies of one unit's form collapse into one.
3. Among one unit's different files, the version word in the file name decides:
   终稿/定稿/最终版/正式版 over 修改稿/修订稿 over an unmarked file over
   初稿/草稿/征求意见稿; then the latest modification time; then the name.
   The others are listed as superseded.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from enum import IntEnum

from checklist.batch.model import FileScore
from checklist.records import record
from checklist.textnorm import to_simplified


class Version(IntEnum):
    """How final a file says it is, by the word in its name."""

    draft = 0
    unmarked = 1
    revised = 2
    final = 3


_VERSION_WORDS = (
    (Version.final, re.compile(r"终稿|定稿|最终版|最终稿|正式版|正式稿|final", re.IGNORECASE)),
    (Version.draft, re.compile(r"初稿|草稿|征求意见稿|讨论稿|draft", re.IGNORECASE)),
    (Version.revised, re.compile(r"修改稿|修订稿|修订|修改|改稿|revised|v\d+$", re.IGNORECASE)),
)


def version_of(name: str) -> Version:
    """The version a file name declares (a stem such as ``西园社区-自评(终稿)``)."""
    text = to_simplified(name)
    for version, pattern in _VERSION_WORDS:
        if pattern.search(text):
            return version
    return Version.unmarked


def season_year(scores: Sequence[FileScore], requested: int | None) -> int | None:
    """The batch's year: the one asked for, else the one most forms carry (the later on a tie)."""
    if requested is not None:
        return requested
    # Files vote, not units: a survey of hundreds of units is one file.
    files = {
        (s.submission.survey.file if s.submission.survey else s.submission.shown, s.unit.year)
        for s in scores
        if s.unit.year is not None
    }
    years = Counter(year for _, year in files)
    if not years:
        return None
    return max(years, key=lambda year: (years[year], year))


@record
class Pick:
    """One unit's files: the one that counts and the ones it replaces."""

    chosen: FileScore
    """The file that counts."""
    superseded: tuple[FileScore, ...]
    """Other versions, best first."""
    identical: tuple[FileScore, ...]
    """Byte-identical copies of files kept (they collapse silently into one)."""


def _rank(score: FileScore) -> tuple[int, float, int, str]:
    submission = score.submission
    survey = submission.survey
    stem = (survey.file if survey else submission.shown).rsplit("/", 1)[-1].rsplit(".", 1)[0]
    # A unit listed twice in one survey: the later row, as the later file, counts.
    row = survey.row if survey else 0
    return (version_of(stem), submission.mtime, row, submission.shown)


def pick(files: Sequence[FileScore]) -> Pick:
    """The file that counts among one unit's files of the season (see the module rule)."""
    distinct: dict[str, FileScore] = {}
    identical: list[FileScore] = []
    for score in sorted(files, key=_rank, reverse=True):
        if score.sha256 in distinct:
            identical.append(score)
        else:
            distinct[score.sha256] = score
    ordered = list(distinct.values())
    return Pick(ordered[0], tuple(ordered[1:]), tuple(identical))
