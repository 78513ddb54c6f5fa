"""``checklist batch`` as one library call: collect, score, identify, pick, roll up, write.

Nothing is written where the user looks until everything is known: per-unit
reports go into a hidden scratch folder beside their final place and are
moved at the end, the roll-up is written atomically, and Ctrl-C (or any
error) removes the scratch folders, so an interrupted batch leaves no partial
output. History is saved last, from this one process.
"""

from __future__ import annotations

import os
import pickle
import re
import shutil
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from checklist.batch.collect import Collected, collect
from checklist.batch.copied import ClueStore
from checklist.batch.model import Failure, FileScore, Outcome, Skipped, SkipReason
from checklist.batch.pool import DEFAULT_TIMEOUT, run_pool
from checklist.batch.rollup import RollUp, SurveyCount, UnitRow, Unmatched, build_rollup
from checklist.batch.roster import Match, Roster, RosterUnit, match_unit, read_roster
from checklist.batch.select import pick, season_year
from checklist.batch.spool import Rows, Spool
from checklist.batch.worker import JobSettings
from checklist.codes import ErrorCode
from checklist.errors import ChecklistError
from checklist.identity import same_key, town_hint, unit_key, unit_town
from checklist.model import RulePack, UnitInfo, Waiver
from checklist.output import refuse_any_input, refuse_foreign, refuse_inputs
from checklist.records import record
from checklist.text import Text


@record
class BatchOptions:
    """What the user asked for."""

    paths: tuple[Path, ...]
    """Folders, files and .zip archives of submissions."""
    roster: Path | None = None
    """The roster file."""
    year: int | None = None
    """The season (default: the year most forms carry)."""
    output: Path | None = None
    """The roll-up workbook (default ``群团自评汇总-YEAR.xlsx`` in the current folder)."""
    reports: Path | None = None
    """Folder for the per-unit gap reports."""
    save: bool = False
    """Save every scored unit in the history database."""
    replace: bool = False
    """With save: replace unit-years already saved."""
    db: Path | None = None
    """History database."""
    history: bool = False
    """Look up each unit's previous saved year (for the reports and the change column)."""
    jobs: int = 1
    """Worker processes."""
    timeout: float = DEFAULT_TIMEOUT
    """Seconds one file may take."""
    lang: str = "zh"
    """Language of the workbooks."""
    waivers: tuple[Waiver, ...] = ()
    """Waivers (豁免) to apply, each to the unit it names."""


@record
class BatchRun:
    """What the batch did."""

    rollup: RollUp
    """The roll-up."""
    output: Path
    """Where the roll-up workbook went."""
    saved: tuple[str, ...]
    """Units saved to history."""
    not_saved: tuple[tuple[str, Text], ...]
    """Units not saved, and why (already saved, no year)."""


class _Paths:
    """Paths kept as text and made :class:`Path` objects as they are read, each time.

    A county's input paths are checked against every file the batch writes; a
    Path object weighs several times its text.
    """

    def __init__(self, paths: Iterable[Path]) -> None:
        self._text = [str(path) for path in paths]

    def __iter__(self) -> Iterator[Path]:
        return map(Path, self._text)


def default_output(year: int | None, lang: str) -> Path:
    """``群团自评汇总-YEAR.xlsx`` (``rollup-YEAR.xlsx`` in English) in the current folder."""
    stem = "rollup" if lang == "en" else "群团自评汇总"
    return Path.cwd() / (f"{stem}-{year}.xlsx" if year is not None else f"{stem}.xlsx")


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
_RESERVED = re.compile(r"^(?:con|prn|aux|nul|com\d|lpt\d)$", re.IGNORECASE)


def safe_file_name(name: str, limit: int = 60) -> str:
    """``name`` usable as a Windows file name: no ``\\/:*?"<>|``, no trailing dot or space, capped."""
    text = _UNSAFE.sub("_", name).strip()[:limit].rstrip(". ")
    if not text or _RESERVED.match(text.split(".")[0]):
        text = f"_{text}"
    return text


def run_batch(
    options: BatchOptions,
    pack: RulePack,
    progress: Callable[[int, int], None] | None = None,
) -> BatchRun:
    """Run the whole batch (see the module docstring)."""
    roster = read_roster(options.roster, pack) if options.roster is not None else None
    scratch = Path(tempfile.mkdtemp(prefix="checklist-batch-"))
    report_scratch: Path | None = None
    made_reports_folder = False
    try:
        collected = collect(options.paths, scratch / "unpacked")
        if options.roster is not None:
            collected = _without_roster(collected, options.roster)
        if not collected.submissions:
            raise ChecklistError(
                Text(
                    f"在 {', '.join(str(p) for p in options.paths)} 中没有找到任何自评表"
                    f"（跳过 {len(collected.skipped)} 个文件）。请给出报送材料所在的文件夹。",
                    f"No self-assessment forms found in {', '.join(str(p) for p in options.paths)} "
                    f"({len(collected.skipped)} files skipped). Give the folder of the submissions.",
                ),
                code=ErrorCode.no_forms,
            )
        # The paths only, as text: nothing else of a submission is kept once its rows are spooled.
        inputs = _Paths(
            [s.path for s in collected.submissions]
            + ([options.roster] if options.roster is not None else [])
        )
        if options.reports is not None:
            made_reports_folder = not options.reports.exists()
            try:
                options.reports.mkdir(parents=True, exist_ok=True)
                report_scratch = Path(
                    tempfile.mkdtemp(prefix=".checklist-batch-", dir=options.reports)
                )
            except OSError as exc:
                raise ChecklistError(
                    Text(
                        f"无法在 {options.reports} 建立报告文件夹（{exc.strerror or exc}）。",
                        f"Cannot create the report folder {options.reports} ({exc.strerror or exc}).",
                    ),
                    code=ErrorCode.output_unwritable,
                ) from None
        stash = scratch / "stash" if options.save else None
        if stash is not None:
            stash.mkdir()
        settings = JobSettings(
            lang=options.lang,
            reports=report_scratch,
            stash=stash,
            db=options.db,
            history=options.history,
            waivers=options.waivers,
        )
        total = len(collected.submissions)
        done = 0

        def tick() -> None:
            nonlocal done
            done += 1
            if progress is not None:
                progress(done, total)

        spool = Spool()
        with ClueStore() as clues:
            rollup = _roll_up(
                options,
                pack,
                roster,
                collected,
                run_pool(
                    collected.submissions,
                    pack,
                    settings,
                    jobs=options.jobs,
                    timeout=options.timeout,
                    progress=tick,
                    clues=clues,
                    spool=spool,
                ),
                clues,
                spool,
            )
        # From here the parent holds no unit's summary, row or submission: the rows are in
        # the spool, read back as the workbook and the JSON go through them.
        del collected
        output = options.output or default_output(rollup.year, options.lang)
        refuse_inputs(output, inputs)
        targets = (
            [
                (r.chosen.report, r.report)
                for r in rollup.rows
                if r.chosen is not None and r.chosen.report and r.report
            ]
            if options.reports is not None
            else []
        )
        refuse_any_input((target for _, target in targets), inputs)
        for _, target in targets:
            refuse_foreign(target)

        from checklist.report.rollup import write_rollup

        write_rollup(rollup, pack, output, options.lang, inputs=inputs)
        for temp, target in targets:
            assert temp is not None and target is not None
            os.replace(temp, target)
        saved, not_saved = _save(chosen_rows(rollup.rows), options) if options.save else ((), ())
        made_reports_folder = False
        return BatchRun(rollup, output, saved, not_saved)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if report_scratch is not None:
            shutil.rmtree(report_scratch, ignore_errors=True)
        if made_reports_folder and options.reports is not None:
            shutil.rmtree(options.reports, ignore_errors=True)


def _roll_up(
    options: BatchOptions,
    pack: RulePack,
    roster: Roster | None,
    collected: Collected,
    outcomes: Sequence[Outcome],
    clues: ClueStore,
    spool: Spool,
) -> RollUp:
    """The season's year, each unit's file, copied answers and the county's numbers."""
    scores = [o for o in outcomes if isinstance(o, FileScore)]
    failed = [o for o in outcomes if isinstance(o, Failure)]
    # A survey's rows with answers but no unit name: listed, not scored.
    unnamed = [o for o in outcomes if isinstance(o, Skipped)]
    year = season_year(scores, options.year)
    season = [s for s in scores if s.unit.year is None or s.unit.year == year]
    other = [s for s in scores if s.unit.year is not None and s.unit.year != year]
    skipped = list(collected.skipped) + [
        Skipped(
            s.submission.shown,
            SkipReason.other_year,
            Text(f"{s.unit.year}年", str(s.unit.year)),
        )
        for s in other
        if s.submission.survey is None
    ]
    skipped += _other_year_surveys(other)
    skipped += unnamed
    rows, unmatched = _identify(roster, season, other, failed)
    rows = _with_reports(rows, options, year, inputs=[s.submission.path for s in scores])
    # Copied answers are judged between the files that count, one per unit. A
    # survey's rows are not: the office typed them, without evidence, and counted
    # they would make text that many forms share look rare (the check's limit
    # grows with the units compared).
    counted = [
        i for i, r in enumerate(rows) if r.chosen is not None and r.chosen.submission.survey is None
    ]
    pairs = clues.copied([c.clues_at for i in counted if (c := rows[i].chosen) is not None])
    partners: dict[int, list[str]] = defaultdict(list)
    for pair in pairs:
        a, b = counted[pair.units[0]], counted[pair.units[1]]
        partners[a].append(rows[b].name)
        partners[b].append(rows[a].name)
    rows = [
        replace(r, copied_with=tuple(partners[i])) if i in partners else r
        for i, r in enumerate(rows)
    ]
    copied = [(rows[counted[p.units[0]]], rows[counted[p.units[1]]], p) for p in pairs]
    return build_rollup(
        year=year,
        pack=pack,
        roster=roster.source if roster is not None else None,
        rows=Rows(rows, spool),
        unmatched=unmatched,
        failed=failed,
        skipped=skipped,
        copied=copied,
        waivers=options.waivers,
        surveys=survey_counts(scores, unnamed),
    )


def _without_roster(collected: Collected, roster: Path) -> Collected:
    """The roster kept in the season's folder is not a submission."""
    found = [s for s in collected.submissions if _same_file(s.path, roster)]
    if not found:
        return collected
    return Collected(
        tuple(s for s in collected.submissions if s not in found),
        (*collected.skipped, *(Skipped(s.shown, SkipReason.roster) for s in found)),
    )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


def chosen_rows(rows: Iterable[UnitRow]) -> Iterator[UnitRow]:
    """The rows with a scored form, one at a time."""
    return (r for r in rows if r.chosen is not None)


def _identify(
    roster: Roster | None,
    season: Sequence[FileScore],
    other: Sequence[FileScore],
    failed: Sequence[Failure],
) -> tuple[list[UnitRow], list[Unmatched]]:
    """Roster rows (or found units) with their files; submissions the roster does not list."""
    from checklist.intake.unit import name_from_filename

    by_unit: dict[int, list[FileScore]] = defaultdict(list)
    other_by_unit: dict[int, list[FileScore]] = defaultdict(list)
    failed_by_unit: dict[int, list[Failure]] = defaultdict(list)
    loose: list[FileScore] = []
    unmatched: list[Unmatched] = []
    units: list[RosterUnit] = list(roster.units) if roster is not None else []
    index = {id(u): i for i, u in enumerate(units)}
    if roster is not None:
        for score in season:
            found = _match(roster, score)
            if found.unit is not None:
                by_unit[index[id(found.unit)]].append(score)
            else:
                loose.append(score)
                unmatched.append(Unmatched(score, found.candidates, found.ambiguous))
        for score in other:
            found = _match(roster, score)
            if found.unit is not None:
                other_by_unit[index[id(found.unit)]].append(score)
        for failure in failed:
            shown = failure.submission.shown
            guess = UnitInfo(name_from_filename(shown.rsplit("/", 1)[-1]), None, None)
            found = match_unit(roster, guess, shown, failure.submission.folders)
            if found.unit is not None:
                failed_by_unit[index[id(found.unit)]].append(failure)
    else:
        loose = list(season)

    rows: list[UnitRow] = []
    for i, unit in enumerate(units):
        files = by_unit.get(i, [])
        chosen = pick(files) if files else None
        rows.append(
            UnitRow(
                name=unit.name,
                town=unit.town or (chosen.chosen.unit.town if chosen else ""),
                type=unit.type or (chosen.chosen.unit.type if chosen else None),
                roster=unit,
                chosen=chosen.chosen if chosen else None,
                superseded=chosen.superseded if chosen else (),
                identical=chosen.identical if chosen else (),
                failures=tuple(failed_by_unit.get(i, ())),
                other_years=tuple(other_by_unit.get(i, ())),
            )
        )
    # Units not on the roster (or every unit, without one), told apart by the
    # same identity rules history uses.
    groups = group_units([s.unit for s in loose])
    extra = []
    for group in groups:
        chosen = pick([loose[i] for i in group])
        info = chosen.chosen.unit
        extra.append(
            UnitRow(
                name=info.name or chosen.chosen.submission.shown.rsplit("/", 1)[-1],
                town=info.town or town_hint(info.name),
                type=info.type,
                roster=None,
                chosen=chosen.chosen,
                superseded=chosen.superseded,
                identical=chosen.identical,
            )
        )
    if roster is None:
        extra.sort(key=lambda r: (r.town, r.name))
    return rows + extra, unmatched


def _match(roster: Roster, score: FileScore) -> Match:
    """The roster unit of a scored submission.

    A unit read from a survey row is known by its row's name alone: the
    survey's file and folder name a town office's sheet, not the unit (they
    still hint at its town).
    """
    submission = score.submission
    return match_unit(
        roster,
        score.unit,
        submission.shown,
        submission.folders,
        names_from_file=submission.survey is None,
    )


def _other_year_surveys(other: Sequence[FileScore]) -> list[Skipped]:
    """A survey of another year, listed once with its units (not once per row)."""
    found: dict[tuple[str, int | None], int] = {}
    for score in other:
        if score.submission.survey is not None:
            key = (score.submission.survey.file, score.unit.year)
            found[key] = found.get(key, 0) + 1
    return [
        Skipped(
            file,
            SkipReason.other_year,
            Text(f"{year}年，调查表中 {units} 个单位", f"{year}, a survey of {units} units"),
        )
        for (file, year), units in found.items()
    ]


def survey_counts(
    scores: Sequence[FileScore], unnamed: Sequence[Skipped]
) -> tuple[SurveyCount, ...]:
    """Each survey file read: its units and its rows left out for want of a unit name."""
    units: dict[str, int] = {}
    for score in scores:
        if score.submission.survey is not None:
            units[score.submission.survey.file] = score.submission.survey.units
    left_out = Counter(s.survey.file for s in unnamed if s.survey is not None)
    for file in left_out:
        units.setdefault(file, 0)
    return tuple(
        SurveyCount(file, count, left_out.get(file, 0)) for file, count in sorted(units.items())
    )


def group_units(units: Sequence[UnitInfo]) -> list[list[int]]:
    """``units`` told apart by the identity rules history uses: lists of indexes, in order.

    Each unit joins the first group whose first member is the same unit
    (:func:`checklist.identity.same_unit`), else starts a group. Comparing
    every unit with every group took minutes for a province's forms; here
    each group's first member is found by its name key (equal, or one key
    ending the other within a place name's length, as
    :func:`~checklist.identity.same_key` allows), so the work grows with the
    number of units, and the groups are exactly those of the pairwise rule.
    """
    groups: list[list[int]] = []
    heads: list[tuple[str, str, str | None]] = []
    """Each group's first member: name key, town key, type."""
    by_key: dict[str, list[int]] = defaultdict(list)
    """Groups by their first member's key, and by that key's tails (a shorter key it may end in)."""
    by_tail: dict[str, list[int]] = defaultdict(list)
    for index, unit in enumerate(units):
        key = unit_key(unit.name)
        town = unit_town(unit)
        home = None
        if key:
            found = set(by_key.get(key, ()))
            found.update(by_tail.get(key, ()))
            for cut in range(1, _PLACE_NAME + 1):
                found.update(by_key.get(key[cut:], ()))
            for group in sorted(found):
                head_key, head_town, head_type = heads[group]
                if (
                    not (head_type and unit.type and head_type != unit.type)
                    and not (head_town and town and head_town != town)
                    and same_key(head_key, key)
                ):
                    home = group
                    break
        if home is None:
            home = len(groups)
            groups.append([])
            heads.append((key, town, unit.type))
            if key:
                by_key[key].append(home)
                for cut in range(1, _PLACE_NAME + 1):
                    by_tail[key[cut:]].append(home)
        groups[home].append(index)
    return groups


_PLACE_NAME = 4
"""Most characters one unit key may have in front of another's (see identity.same_key)."""


def _with_reports(
    rows: Sequence[UnitRow], options: BatchOptions, year: int | None, inputs: Sequence[Path]
) -> list[UnitRow]:
    if options.reports is None:
        return list(rows)
    reported = [r for r in rows if r.chosen is not None and r.chosen.report is not None]
    tail = f"-{year}-report.xlsx" if year is not None else "-report.xlsx"
    names = dict(
        zip(
            map(id, reported),
            unit_file_names([(r.name, r.town) for r in reported], tail),
            strict=True,
        )
    )
    return [
        replace(r, report=options.reports / names[id(r)]) if id(r) in names else r for r in rows
    ]


def unit_file_names(units: Sequence[tuple[str, str]], tail: str) -> list[str]:
    """A distinct Windows-safe file name for each (name, town), ending in ``tail``.

    Two 新华村 in two towns: the town goes in front of a repeated name; a
    name still taken gets a number.
    """
    counts = Counter(name for name, _ in units)
    repeated = {name for name, count in counts.items() if count > 1}
    taken: set[str] = set()
    found = []
    for name, town in units:
        stem = safe_file_name(f"{town}{name}" if name in repeated and town else name)
        file_name = f"{stem}{tail}"
        n = 2
        while file_name.lower() in taken:
            file_name = f"{stem}-{n}{tail}"
            n += 1
        taken.add(file_name.lower())
        found.append(file_name)
    return found


def _save(
    rows: Iterable[UnitRow], options: BatchOptions
) -> tuple[tuple[str, ...], tuple[tuple[str, Text], ...]]:
    from checklist.history import open_history
    from checklist.intake import not_a_filled_form

    saved: list[str] = []
    not_saved: list[tuple[str, Text]] = []
    with open_history(options.db) as history:
        for row in rows:
            assert row.chosen is not None and row.chosen.stash is not None
            assessment, result = pickle.loads(row.chosen.stash.read_bytes())
            # As score --save: a form without a single answer (a survey row naming a
            # unit and nothing else) says nothing of the unit's year; never saved.
            doubt = not_a_filled_form(assessment)
            if doubt is not None:
                not_saved.append((row.name, doubt))
                continue
            try:
                history.save(
                    assessment, result, source=row.chosen.submission.path, replace=options.replace
                )
            except ChecklistError as error:
                not_saved.append((row.name, error.message))
                continue
            saved.append(row.name)
    return tuple(saved), tuple(not_saved)
