"""What changed between two packs (``checklist rules diff``): rules added, removed and
changed field by field, and the same for areas, grades, unit types, checks and the
pack's own settings.

Both packs are compared as pack documents (:mod:`.document`), field by field in
the workbook's columns, so the terminal shows each change the way the
maintainer sees it in the pack workbook.
"""

from __future__ import annotations

from typing import Any

from checklist.model import RulePack
from checklist.packbook.document import Doc, PackDocument, get_path, pack_document, section_rows
from checklist.packbook.layout import (
    AREAS,
    CHECKS,
    CHOICES,
    GRADES,
    RULES,
    SETTINGS,
    UNIT_TYPES,
    Column,
    Kind,
    Table,
    to_cell,
)
from checklist.records import record
from checklist.text import Text

_CHOICES_FIELD = Column("answer.choices", CHOICES.name, CHOICES.help, Kind.text)
"""A rule's choices compared as one field (they sit on their own sheet in the workbook)."""


@record
class FieldChange:
    """One field whose value differs."""

    column: Column
    """The field (its key and label)."""
    old: object
    """Value in the first pack (None when absent)."""
    new: object
    """Value in the second pack (None when absent)."""


@record
class Item:
    """A rule, area, grade, unit type or check named by id."""

    id: str
    """Its id."""
    title: Text | None
    """Its indicator, title or message."""


@record
class ItemChange:
    """An item present in both packs whose fields differ."""

    item: Item
    """The item (as in the second pack)."""
    fields: tuple[FieldChange, ...]
    """Fields that differ, in column order."""


@record
class SectionDiff:
    """Changes within one part of the pack."""

    table: Table
    """Which part (its sheet in the workbook)."""
    added: tuple[Item, ...]
    """Only in the second pack."""
    removed: tuple[Item, ...]
    """Only in the first pack."""
    changed: tuple[ItemChange, ...]
    """In both, with different fields."""

    @property
    def empty(self) -> bool:
        """Nothing changed in this part."""
        return not (self.added or self.removed or self.changed)


@record
class PackDiff:
    """Everything that differs between two packs."""

    old: tuple[str, str, str]
    """First pack: id, version, where it was loaded from."""
    new: tuple[str, str, str]
    """Second pack: id, version, where it was loaded from."""
    settings: tuple[FieldChange, ...]
    """Pack settings that differ."""
    sections: tuple[SectionDiff, ...]
    """Rules, checks, areas, grades and unit types, in that order."""

    @property
    def empty(self) -> bool:
        """The packs are the same in every field."""
        return not self.settings and all(s.empty for s in self.sections)


_SECTIONS = (RULES, CHECKS, AREAS, GRADES, UNIT_TYPES)
_TITLE_KEYS = {"rules": "indicator", "checks": "message"}


def _fields(old: Doc, new: Doc, columns: tuple[Column, ...]) -> tuple[FieldChange, ...]:
    return tuple(
        FieldChange(c, get_path(old, c.key), get_path(new, c.key))
        for c in columns
        if get_path(old, c.key) != get_path(new, c.key)
    )


def _item(doc: Doc, section: str) -> Item:
    title = doc.get(_TITLE_KEYS.get(section, "title"))
    return Item(str(doc["id"]), Text(title["zh"], title["en"]) if isinstance(title, dict) else None)


def _section(old: PackDocument, new: PackDocument, table: Table) -> SectionDiff:
    before = {str(d["id"]): d for d in section_rows(old, table.section)}
    after = {str(d["id"]): d for d in section_rows(new, table.section)}
    columns = table.columns + ((_CHOICES_FIELD,) if table is RULES else ())
    changed = []
    for item_id, doc in after.items():
        if item_id in before:
            fields = _fields(before[item_id], doc, columns)
            if fields:
                changed.append(ItemChange(_item(doc, table.section), fields))
    return SectionDiff(
        table,
        tuple(_item(d, table.section) for i, d in after.items() if i not in before),
        tuple(_item(d, table.section) for i, d in before.items() if i not in after),
        tuple(changed),
    )


def diff_packs(old: RulePack, new: RulePack) -> PackDiff:
    """Compare ``old`` with ``new``."""
    a, b = pack_document(old), pack_document(new)
    return PackDiff(
        (old.id, old.version, old.path),
        (new.id, new.version, new.path),
        _fields(a.pack, b.pack, SETTINGS),
        tuple(_section(a, b, table) for table in _SECTIONS),
    )


# --- output -----------------------------------------------------------------------------


def show_value(column: Column, value: object, lang: str) -> str:
    """A value as the workbook cell shows it, on one line."""
    if column is _CHOICES_FIELD:
        assert isinstance(value, list)
        return "; ".join(
            f"{c['id']}={c['zh' if lang == 'zh' else 'en']}×{to_cell(CHOICES.column('credit'), c['credit'], lang)}"
            for c in value
        )
    shown = to_cell(column, value, lang)
    if shown is None:
        return "（空）" if lang == "zh" else "(none)"
    return "; ".join(str(shown).split("\n"))


def _field_json(change: FieldChange, lang: str) -> dict[str, Any]:
    return {
        "field": change.column.key,
        "label": change.column.label.get(lang),
        "old": change.old,
        "new": change.new,
    }


def _item_json(item: Item, lang: str) -> dict[str, Any]:
    return {"id": item.id, "title": item.title.get(lang) if item.title else None}


def diff_to_dict(diff: PackDiff, lang: str) -> dict[str, Any]:
    """The diff as JSON: values as the YAML pack holds them, labels in ``lang``."""
    return {
        "old": dict(zip(("id", "version", "source"), diff.old, strict=True)),
        "new": dict(zip(("id", "version", "source"), diff.new, strict=True)),
        "same": diff.empty,
        "settings": [_field_json(c, lang) for c in diff.settings],
        **{
            s.table.section: {
                "added": [_item_json(i, lang) for i in s.added],
                "removed": [_item_json(i, lang) for i in s.removed],
                "changed": [
                    {**_item_json(c.item, lang), "fields": [_field_json(f, lang) for f in c.fields]}
                    for c in s.changed
                ],
            }
            for s in diff.sections
        },
    }


_WORDS = {
    "old": Text("旧：{pack}（{source}）", "Old: {pack} ({source})"),
    "new": Text("新：{pack}（{source}）", "New: {pack} ({source})"),
    "same": Text("两个规则包完全相同。", "The two packs are the same."),
    "settings": Text("规则包设置", "Pack settings"),
    "counts": Text(
        "{name}：新增 {added}，删除 {removed}，修改 {changed}",
        "{name}: {added} added, {removed} removed, {changed} changed",
    ),
}


def diff_lines(diff: PackDiff, lang: str) -> list[tuple[int, str]]:
    """The diff as (indent, text) lines for the terminal; the caller wraps them."""
    words = {k: v.get(lang) for k, v in _WORDS.items()}
    lines = [
        (0, words[key].format(pack=f"{pack_id} {version}", source=source))
        for key, (pack_id, version, source) in (("old", diff.old), ("new", diff.new))
    ]
    if diff.empty:
        return [*lines, (0, words["same"])]

    def changes(fields: tuple[FieldChange, ...], indent: int) -> None:
        for change in fields:
            lines.append((indent, f"{change.column.label.get(lang)}:"))
            lines.append((indent + 2, f"- {show_value(change.column, change.old, lang)}"))
            lines.append((indent + 2, f"+ {show_value(change.column, change.new, lang)}"))

    if diff.settings:
        lines.append((0, ""))
        lines.append((0, words["settings"]))
        changes(diff.settings, 2)
    for section in diff.sections:
        if section.empty:
            continue
        lines.append((0, ""))
        lines.append(
            (
                0,
                words["counts"].format(
                    name=section.table.name.get(lang),
                    added=len(section.added),
                    removed=len(section.removed),
                    changed=len(section.changed),
                ),
            )
        )
        for mark, items in (("+", section.added), ("-", section.removed)):
            for item in items:
                title = f" {item.title.get(lang)}" if item.title else ""
                lines.append((2, f"{mark} {item.id}{title}"))
        for change in section.changed:
            title = f" {change.item.title.get(lang)}" if change.item.title else ""
            lines.append((2, f"~ {change.item.id}{title}"))
            changes(change.fields, 6)
    return lines
