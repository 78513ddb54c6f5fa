"""A personal form's hidden record: whom it was made for, read back at intake.

``checklist template --roster`` (:mod:`checklist.personal`) writes the record
on a very hidden sheet (:data:`checklist.layout.RECORD_SHEET`); intake reads
it and lets it correct what the unit wrote (:func:`apply_record`): the unit
is who the record says even when the secretary blanked or retyped the name.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import replace

from checklist import layout
from checklist.codes import NoteCode
from checklist.identity import abbreviates, same_name, town_key, unit_key
from checklist.model import IntakeNote, NoteLevel, RulePack, UnitInfo
from checklist.records import record
from checklist.text import Text


@record
class FormRecord:
    """What a personal form's hidden record says about whom it was made for."""

    form_id: str
    """``unit_id-year-pack_version``: this very form."""
    unit_id: str
    """Stable id of the roster unit, from its name and town (the same every year)."""
    name: str
    """The unit's name as the roster writes it."""
    town: str
    """Its town as the roster writes it."""
    type: str | None
    """The pack's unit-type id, when the roster tells it."""
    year: int
    """The year the form was made for."""
    pack_id: str
    """The rule pack's id."""
    pack_version: str
    """The rule pack's version."""


def unit_id(name: str, town: str) -> str:
    """A stable id of a roster unit: its name key and town key hashed (spelling-proof)."""
    digest = hashlib.sha256(f"{unit_key(name)}|{town_key(town)}".encode()).hexdigest()
    return digest[:12]


def form_record(
    name: str, town: str, unit_type: str | None, year: int, pack: RulePack
) -> FormRecord:
    """The record of the form for one roster unit, ``year`` and ``pack``."""
    uid = unit_id(name, town)
    return FormRecord(
        form_id=f"{uid}-{year}-{pack.version}",
        unit_id=uid,
        name=name,
        town=town,
        type=unit_type,
        year=year,
        pack_id=pack.id,
        pack_version=pack.version,
    )


def record_rows(record: FormRecord) -> tuple[tuple[str, str], ...]:
    """The record as (key, value) rows, in :data:`checklist.layout.RECORD_KEYS` order."""
    values = {
        "form_id": record.form_id,
        "unit_id": record.unit_id,
        "name": record.name,
        "town": record.town,
        "type": record.type or "",
        "year": str(record.year),
        "pack_id": record.pack_id,
        "pack_version": record.pack_version,
    }
    return tuple((key, values[key]) for key in layout.RECORD_KEYS)


def parse_record(values: Mapping[str, str]) -> FormRecord | None:
    """The record from its sheet's key/value pairs; None when it is damaged or absent."""
    year = values.get("year", "").strip()
    if year.endswith(".0"):
        # A program that saved the cell as a number writes 2024.0 back.
        year = year[:-2]
    if not values.get("unit_id") or not values.get("name") or not year.isdigit():
        return None
    return FormRecord(
        form_id=values.get("form_id", ""),
        unit_id=values["unit_id"],
        name=values["name"],
        town=values.get("town", ""),
        type=values.get("type") or None,
        year=int(year),
        pack_id=values.get("pack_id", ""),
        pack_version=values.get("pack_version", ""),
    )


_GUESSED_UNIT = frozenset(
    {
        NoteCode.unit_name_from_title,
        NoteCode.unit_name_from_file,
        NoteCode.unit_name_missing,
        NoteCode.unit_type_from_name,
        NoteCode.unit_type_missing,
        NoteCode.unknown_unit_type,
        NoteCode.year_missing,
    }
)
"""Intake's guesses about the unit that a record makes moot."""


def apply_record(
    unit: UnitInfo, notes: Sequence[IntakeNote], record: FormRecord, pack: RulePack
) -> tuple[UnitInfo, list[IntakeNote]]:
    """``unit`` as read, corrected by the form's record: the record wins, a note names both.

    The name, town and type are the roster's; a written year is kept (the
    form's year cell is locked, so a different one was typed on purpose) and
    a record of another year or pack version is said.
    """
    kept = [n for n in notes if n.code not in _GUESSED_UNIT]
    found: list[IntakeNote] = []
    type_name = {t.id: t.title for t in pack.unit_types}

    def title(type_id: str | None) -> Text:
        known = type_name.get(type_id or "")
        return known if known is not None else Text(type_id or "（空）", type_id or "(blank)")

    guessed_name = {n.code for n in notes} & {
        NoteCode.unit_name_from_title,
        NoteCode.unit_name_from_file,
        NoteCode.unit_name_missing,
    }
    # A name intake guessed from the file name or a title was not written on the form.
    written_name = "" if guessed_name else unit.name.strip()
    # The unit's own spelling of itself (its full name, 华东精密 for 太仓市华东精密机械有限公司)
    # is no disagreement.
    if (
        written_name
        and not same_name(written_name, record.name)
        and not abbreviates(written_name, record.name)
    ):
        found.append(
            IntakeNote(
                NoteLevel.warning,
                NoteCode.record_overrides,
                Text(
                    f"表中单位名称写的是“{written_name}”，但这是发给“{record.name}”的个人表，"
                    f"按“{record.name}”计。",
                    f"The form names the unit '{written_name}', but it is the personal form "
                    f"sent to '{record.name}'; it counts as '{record.name}'.",
                ),
            )
        )
    if unit.type and record.type and unit.type != record.type:
        was, now = title(unit.type), title(record.type)
        found.append(
            IntakeNote(
                NoteLevel.warning,
                NoteCode.record_overrides,
                Text(
                    f"表中单位类型写的是“{was.zh}”，但名单上“{record.name}”是“{now.zh}”，按“{now.zh}”计。",
                    f"The form gives the unit type '{was.en}', but the roster has "
                    f"'{record.name}' as '{now.en}'; it counts as '{now.en}'.",
                ),
            )
        )
    if record.year != unit.year and unit.year is not None:
        found.append(_other_form(record, Text(f"{record.year} 年", str(record.year)), unit.year))
    if record.pack_id == pack.id and record.pack_version != pack.version:
        found.append(
            _other_form(
                record,
                Text(f"规则包 {record.pack_version} 版", f"pack version {record.pack_version}"),
                None,
                pack,
            )
        )
    fixed = replace(
        unit,
        name=record.name,
        town=record.town or unit.town,
        type=record.type or unit.type,
        year=unit.year if unit.year is not None else record.year,
    )
    return fixed, kept + found


def _other_form(
    record: FormRecord, what: Text, written_year: int | None, pack: RulePack | None = None
) -> IntakeNote:
    if pack is not None:
        tail = Text(
            f"，现按 {pack.version} 版评分，请确认用的是本年度下发的表。",
            f"; it is scored with version {pack.version}. Check it is this season's form.",
        )
    else:
        tail = Text(
            f"，表中年度写的是 {written_year} 年，请确认用的是本年度下发的表。",
            f"; the form says {written_year}. Check it is this season's form.",
        )
    return IntakeNote(
        NoteLevel.warning,
        NoteCode.record_other_form,
        Text(
            f"这是按{what.zh}为“{record.name}”生成的个人表{tail.zh}",
            f"This is the personal form made for '{record.name}' for {what.en}{tail.en}",
        ),
    )
