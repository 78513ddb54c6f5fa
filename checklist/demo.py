"""The main job on the bundled example assessments (``checklist demo``).

Every example file is read, scored and reported as a county office would do
it: the units' years are saved into a history database in year order, so each
report shows the change since the unit's previous year; then one unit gets a
year-over-year comparison and a trend workbook over all its years.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from checklist.codes import ErrorCode
from checklist.compare import compare
from checklist.errors import ChecklistError
from checklist.history import open_history
from checklist.intake import read_assessment
from checklist.model import Assessment, Result, RulePack
from checklist.records import record
from checklist.report.compare_report import write_compare_report
from checklist.report.excel import write_report
from checklist.report.trend_report import write_trend_report
from checklist.scoring import score
from checklist.text import Text
from checklist.trend import build_trend

EXAMPLE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".et", ".csv")


def examples_folder() -> Path:
    """The example assessments shipped inside the package."""
    return Path(__file__).resolve().parent / "examples"


def example_files(folder: Path | None = None) -> tuple[Path, ...]:
    """Every example workbook, in a stable order."""
    folder = folder or examples_folder()
    return tuple(
        sorted(p for p in folder.iterdir() if p.suffix.lower() in EXAMPLE_SUFFIXES and p.is_file())
    )


@record
class DemoReport:
    """One scored example and where its report went."""

    source: Path
    """The example file."""
    result: Result
    """Its result."""
    report: Path
    """The gap report written for it."""


@record
class DemoRun:
    """What the demo wrote."""

    reports: tuple[DemoReport, ...]
    """One per example file, in unit and year order."""
    compare_report: Path | None
    """The year-over-year comparison of the featured unit."""
    trend_report: Path | None
    """The trend workbook of the featured unit."""
    rollups: tuple[Path, ...] = ()
    """The demo county's roll-up of each season, oldest first."""


def run_demo(pack: RulePack, output: Path, lang: str = "zh", folder: Path | None = None) -> DemoRun:
    """Score every example, write the reports into ``output``, then a compare and a trend."""
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ChecklistError(
            Text(
                f"无法在 {output} 建立报告文件夹（{exc.strerror or exc}）。请用 -o 指定一个可写的文件夹。",
                f"Cannot create the report folder {output} ({exc.strerror or exc}). "
                "Give a writable folder with -o.",
            ),
            code=ErrorCode.output_unwritable,
        ) from None
    assessed: list[tuple[Path, Assessment, Result]] = []
    for path in example_files(folder):
        assessment = read_assessment(path, pack)
        assessed.append((path, assessment, score(assessment, pack)))
    # Oldest year first, so every report can compare with the year saved before it;
    # history, not the name as written, decides which files are the same unit.
    assessed.sort(key=lambda item: (item[2].unit.year or 0, item[0].name))

    reports: list[DemoReport] = []
    with (
        tempfile.TemporaryDirectory() as scratch,
        open_history(Path(scratch) / "demo.db") as history,
    ):
        for path, assessment, result in assessed:
            previous = None
            if result.unit.year is not None:
                previous = history.previous_year(result.unit, result.unit.year, pack=pack)
            history.save(assessment, result, source=path)
            comparison = compare(previous, result, force=True) if previous is not None else None
            # Named after the file, like `checklist score`: unit names repeat across towns.
            target = output / f"{path.stem}-report.xlsx"
            write_report(result, pack, target, lang, inputs=(path,), comparison=comparison)
            reports.append(DemoReport(path, result, target))

        units = sorted(
            (history.unit_history(record.name) for record in history.units()),
            key=lambda found: (-len(found.assessments), found.unit.key),
        )
        compare_path = trend_path = None
        if units and len(units[0].assessments) >= 2:
            found = units[0]
            first, last = found.assessments[-2].result, found.assessments[-1].result
            stem = found.unit.key or "unit"
            compare_path = output / f"{stem}-{first.unit.year}-{last.unit.year}-compare.xlsx"
            write_compare_report(compare(first, last, force=True), pack, compare_path, lang)
            trend_path = output / f"{stem}-trend.xlsx"
            write_trend_report(
                build_trend(found.unit, found.assessments, pack), pack, trend_path, lang
            )
        unit_of = {e.source_name: e.unit_key for e in history.list_assessments()}
    ordered = sorted(
        reports, key=lambda r: (unit_of.get(r.source.name, ""), r.result.unit.year or 0)
    )
    rollups = run_county(output, lang, example_files(folder))
    return DemoRun(tuple(ordered), compare_path, trend_path, rollups)


def run_county(output: Path, lang: str, examples: tuple[Path, ...]) -> tuple[Path, ...]:
    """The demo county's seasons, each rolled up into ``output`` as a county office would.

    Seasons run oldest first and are saved into one history, so each roll-up
    shows the change since the season before. The county works under its own
    local pack, an overlay of the built-in pack (``examples/county/overlay``: a raised
    threshold, one local rule, one rule switched off), and records its agreed
    exceptions in ``examples/county/waivers.yaml``; its forms are sent out under
    the local pack.
    """
    from checklist.batch.run import BatchOptions, default_output, run_batch
    from checklist.demo_county import ROSTER_NAME, YEARS, write_county
    from checklist.rulepack import load_pack
    from checklist.waivers import load_waivers

    county_data = examples_folder() / "county"
    local = load_pack(county_data / "overlay")
    waivers = load_waivers(county_data / "waivers.yaml").waivers
    written = []
    with tempfile.TemporaryDirectory() as scratch:
        county = Path(scratch) / "county"
        write_county(county, local, examples)
        for year in YEARS:
            options = BatchOptions(
                paths=(county / str(year),),
                roster=county / ROSTER_NAME,
                year=year,
                output=output / default_output(year, lang).name,
                save=True,
                db=Path(scratch) / "county.db",
                history=True,
                jobs=min(2, os.cpu_count() or 1),
                lang=lang,
                waivers=waivers,
            )
            written.append(run_batch(options, local).output)
    return tuple(written)
