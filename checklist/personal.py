"""Personal forms: one self-assessment workbook per roster unit (``checklist template --roster``).

Each form is the ordinary template with the unit's name, type, town and year
filled in and locked, only the rules of its type, and a very hidden record
(:mod:`checklist.form_record`) naming the roster entry it was made for. With
a history database, last year's answers and evidence stand in a read-only
column beside each row; they are never this year's answer. Beside the forms
goes the 分发清单, the office's list for sending them out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from checklist.form_record import FormRecord, form_record
from checklist.model import Result, RulePack, UnitInfo, UnitType
from checklist.records import record
from checklist.text import Lang, Text

if TYPE_CHECKING:
    from checklist.batch.roster import Roster


@record
class LastYear:
    """A unit's previous saved year, as its personal form shows it."""

    year: int
    """The year saved."""
    answers: Mapping[str, tuple[str, str]]
    """Rule id → (answer as written, evidence)."""


@record
class Personal:
    """Everything a personal form adds to the blank template."""

    record: FormRecord
    """The hidden record."""
    contact: str
    """The roster's contact person (pre-filled as 填报人, editable)."""
    phone: str
    """The roster's phone (pre-filled, editable)."""
    last_year: LastYear | None = None
    """Last year's answers, when the history database holds them."""


def last_year_of(previous: Result) -> LastYear | None:
    """What a personal form shows of ``previous`` (a saved year's result)."""
    if previous.unit.year is None:
        return None
    answers = {
        r.rule_id: (r.answer.raw.strip(), r.answer.evidence.strip())
        for r in previous.rules
        if r.answer.raw.strip() or r.answer.evidence.strip()
    }
    return LastYear(previous.unit.year, answers)


# --- writing the forms ------------------------------------------------------------------


@record
class SentForm:
    """One personal form written, as the 分发清单 lists it."""

    name: str
    """The unit's name (roster)."""
    town: str
    """Its town (roster)."""
    type: Text | None
    """Its type's title, when known."""
    path: Path
    """The form written."""
    contact: str
    """Contact person (roster)."""
    phone: str
    """Contact phone (roster)."""
    last_year: int | None
    """The year whose answers the form shows beside this year's, if any."""


@record
class PersonalRun:
    """What ``checklist template --roster`` wrote."""

    forms: tuple[SentForm, ...]
    """One per roster unit, in roster order."""
    listing: Path
    """The 分发清单 workbook."""


LISTING = Text("分发清单", "distribution-list")
"""Stem of the distribution list's file name (the year follows)."""


def personal_file_names(roster: Roster, year: int, lang: str) -> list[str]:
    """Each roster unit's form file name: the unit, Windows-safe, then the year."""
    from checklist.batch.run import unit_file_names

    tail = f"-{year}自评表.xlsx" if lang == "zh" else f"-{year}-self-assessment.xlsx"
    return unit_file_names([(u.name, u.town) for u in roster.units], tail)


def write_personal_forms(
    roster_path: Path,
    pack: RulePack,
    folder: Path,
    year: int,
    *,
    lang: str = "zh",
    db: Path | None = None,
    force: bool = False,
) -> PersonalRun:
    """One form per unit of the roster at ``roster_path``, and the 分发清单, into ``folder``.

    With ``db``, each unit's latest saved year before ``year`` goes beside its
    rows. An existing file is only replaced with ``force`` (it may be a form
    already filled in).
    """
    from checklist.batch.roster import read_roster
    from checklist.codes import ErrorCode
    from checklist.errors import ChecklistError
    from checklist.output import refuse_inputs
    from checklist.template import find_unit_type

    roster = read_roster(roster_path, pack)
    files = personal_file_names(roster, year, lang)
    listing = folder / f"{LISTING.get(Lang(lang))}-{year}.xlsx"
    targets = [folder / f for f in files] + [listing]
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        raise ChecklistError(
            Text(
                f"{folder} 中已有 {len(existing)} 个同名文件（如 {existing[0].name}），未覆盖"
                "（可能是已填好的表）。请换一个文件夹，或加 --force 覆盖。",
                f"{folder} already holds {len(existing)} of these files (e.g. {existing[0].name}) "
                "and they were left alone (they may be filled in). Choose another folder, or "
                "add --force to replace them.",
            ),
            code=ErrorCode.output_exists,
        )
    for target in targets:
        refuse_inputs(target, [roster_path])
    folder.mkdir(parents=True, exist_ok=True)
    previous = _last_years(roster, pack, year, db) if db is not None else {}
    sent: list[SentForm] = []
    for unit, file_name in zip(roster.units, files, strict=True):
        unit_type = find_unit_type(pack, unit.type) if unit.type else None
        last_year = previous.get(unit.row)
        personal = Personal(
            form_record(unit.name, unit.town, unit.type, year, pack),
            unit.contact,
            unit.phone,
            last_year,
        )
        path = _write_form(pack, folder / file_name, Lang(lang), unit_type, personal)
        sent.append(
            SentForm(
                unit.name,
                unit.town,
                unit_type.title if unit_type is not None else None,
                path,
                unit.contact,
                unit.phone,
                last_year.year if last_year is not None else None,
            )
        )
    written = write_listing(tuple(sent), pack, listing, year, lang, inputs=(roster_path,))
    return PersonalRun(tuple(sent), written)


def _write_form(
    pack: RulePack, path: Path, lang: Lang, unit_type: UnitType | None, personal: Personal
) -> Path:
    from checklist.output import write_atomically
    from checklist.template import build_template
    from checklist.xlsx import save_workbook

    workbook = build_template(pack, lang, unit_type, personal)
    return write_atomically(path, lambda temp: save_workbook(workbook, temp), (), replace_any=True)


def _last_years(roster: Roster, pack: RulePack, year: int, db: Path) -> dict[int, LastYear]:
    """Each roster unit's (by roster row) latest saved year before ``year``."""
    from checklist.errors import ChecklistError
    from checklist.history import open_history

    found: dict[int, LastYear] = {}
    with open_history(db, create=False) as history:
        for unit in roster.units:
            info = UnitInfo(unit.name, unit.type, year, unit.town)
            try:
                previous = history.previous_year(info, year, pack=pack)
            except ChecklistError:
                # Two saved units fit the name: no column rather than another unit's answers.
                continue
            shown = last_year_of(previous) if previous is not None else None
            if shown is not None:
                found[unit.row] = shown
    return found


_LISTING_COLUMNS = (
    ("number", Text("序号", "No."), 6.0),
    ("name", Text("单位名称", "Unit"), 28.0),
    ("town", Text("所属镇（街道）", "Town"), 14.0),
    ("type", Text("单位类型", "Type"), 12.0),
    ("file", Text("文件名", "File"), 40.0),
    ("contact", Text("联系人", "Contact"), 10.0),
    ("phone", Text("联系电话", "Phone"), 15.0),
    ("last_year", Text("附上年填报", "Last year shown"), 11.0),
    ("sent", Text("已发送", "Sent"), 8.0),
    ("back", Text("已收回", "Returned"), 8.0),
)


def write_listing(
    forms: Sequence[SentForm],
    pack: RulePack,
    path: Path,
    year: int,
    lang: str,
    inputs: Sequence[Path] = (),
) -> Path:
    """The 分发清单: who gets which file, whom to call; two columns to tick off."""
    from checklist.report import kit

    title = Text(f"{year} 年度自评表分发清单", f"Self-assessment forms {year}: distribution list")
    short = {"number", "last_year", "sent", "back"}
    columns = [
        kit.Column(head, width, kit.CENTRE if key in short else kit.BODY)
        for key, head, width in _LISTING_COLUMNS
    ]
    rows = [
        (
            number,
            form.name,
            form.town,
            form.type.get(lang) if form.type is not None else "",
            form.path.name,
            form.contact,
            form.phone,
            form.last_year if form.last_year is not None else "",
            "",
            "",
        )
        for number, form in enumerate(forms, start=1)
    ]

    def fill(book: kit.Book) -> None:
        sheet = book.sheet(Text("分发清单", "Distribution list"))
        sheet.widths(columns)
        top = sheet.title(
            title.get(lang),
            Text(
                f"{pack.title.zh} {pack.version} · 共 {len(rows)} 个单位",
                f"{pack.title.en} {pack.version} · {len(rows)} units",
            ).get(lang),
            len(columns) - 1,
        )
        sheet.table(top, columns, rows)
        sheet.ws.freeze_panes(top + 1, 0)
        sheet.finish(title.get(lang), repeat=(top, top))

    return kit.write_book(path, lang, title.get(lang), fill, inputs, pack.title.get(lang))
