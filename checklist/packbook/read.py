"""Read a pack workbook into a validated :class:`~checklist.model.RulePack`.

The rows become the same mappings a YAML pack holds and go through the same
checks (:mod:`checklist.rulepack`), so a workbook pack is exactly as strict as
a folder. Each problem those checks find is traced back to the cell it came
from and told as ``规则!H12（分值）：须为数字，现为“三”``; every problem is
listed in one run.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from checklist.errors import ChecklistError
from checklist.model import RulePack

# The loader's own building blocks, so that a workbook passes exactly the checks a
# folder does; rulepack.py stays the one place those checks are written.
from checklist.overlay import extends, merged_overlay
from checklist.packbook.layout import (
    AREAS,
    CHECKS,
    CHOICES,
    CONCEPTS,
    GRADES,
    GUIDE,
    RULES,
    SETTINGS,
    UNIT_TYPES,
    Column,
    Table,
    cell_text,
    from_cell,
)
from checklist.records import record
from checklist.rulepack import (
    _MISSING,
    Problem,
    RawItem,
    RawPack,
    _owner_of,
    build_concepts,
    validate_pack,
)
from checklist.text import Text
from checklist.workbook import Sheet, cell_ref, read_workbook

_HEADER_SEARCH = 10  # rows at the top of a sheet searched for the header row
_SHOWN = 40  # characters of a bad value quoted in a message


@record
class _Cell:
    """Where one value came from."""

    sheet: str
    """Sheet name as in the workbook."""
    order: int
    """Position of the sheet, for listing problems in workbook order (-1 when absent)."""
    row: int
    """0-based row (-1 for the sheet as a whole)."""
    col: int | None
    """0-based column (None for the row as a whole)."""
    column: Column | None
    """The column's meaning, when the cell is one of a known column."""
    raw: str = ""
    """The cell's text, quoted in a problem."""

    def where(self) -> Text:
        if self.col is None:
            if self.row < 0:
                return Text(self.sheet, self.sheet)
            return Text(f"{self.sheet} 第{self.row + 1}行", f"{self.sheet} row {self.row + 1}")
        ref = f"{self.sheet}!{cell_ref(self.row, self.col)}"
        return Text(ref, ref)


@dataclass(slots=True)
class _Item:
    """One row of a table, as pack-document data with the cell of every key."""

    data: dict[str, Any]
    row: _Cell
    cells: dict[tuple[str, ...], _Cell] = field(default_factory=dict)

    def locate(self, parts: tuple[str, ...]) -> tuple[_Cell, tuple[str, ...]]:
        """The cell of a key, and the part of the key below that cell (``>=2`` of ``bands.>=2``)."""
        for n in range(len(parts), 0, -1):
            if parts[:n] in self.cells:
                return self.cells[parts[:n]], parts[n:]
        for key, cell in self.cells.items():
            if key[: len(parts)] == parts:
                return cell, ()
        return self.row, ()


@record
class _Located:
    """A problem at its cell."""

    cell: _Cell
    label: Text | None
    allowed: Text

    def text(self) -> Text:
        where = self.cell.where()
        raw = " ".join(self.cell.raw.split())
        raw = raw if len(raw) <= _SHOWN else raw[: _SHOWN - 1] + "…"
        label_zh = f"（{self.label.zh}）" if self.label else ""
        label_en = f" ({self.label.en})" if self.label else ""
        return Text(
            f"{where.zh}{label_zh}：{self.allowed.zh}" + (f"，现为“{raw}”" if raw else ""),
            f"{where.en}{label_en}: {self.allowed.en}" + (f', not "{raw}"' if raw else ""),
        )


def _norm(text: object) -> str:
    return "".join(unicodedata.normalize("NFKC", cell_text(text)).split()).lower()


def _find_sheet(sheets: tuple[Sheet, ...], name: Text) -> tuple[Sheet, int] | None:
    wanted = {_norm(name.zh), _norm(name.en)}
    for order, sheet in enumerate(sheets):
        if _norm(sheet.name) in wanted:
            return sheet, order
    return None


class _Reader:
    def __init__(self, sheets: tuple[Sheet, ...]) -> None:
        self.sheets = sheets
        self.located: list[_Located] = []
        self.pre_reported: set[tuple[str, int, int | None]] = set()

    def report(self, cell: _Cell, label: Text | None, allowed: Text) -> None:
        self.located.append(_Located(cell, label, allowed))

    def table(self, table: Table, required: bool) -> list[_Item]:
        found = _find_sheet(self.sheets, table.name)
        if found is None:
            if required:
                self.report(
                    _Cell(table.name.zh, -1, -1, None, None),
                    None,
                    Text(
                        f"工作簿中没有“{table.name.zh}”工作表，请补上（可从导出的工作簿复制）",
                        f'the workbook has no "{table.name.en}" sheet; add it (copy it from an '
                        "exported workbook)",
                    ),
                )
            return []
        sheet, order = found
        labels = {_norm(label): c for c in table.columns for label in (c.label.zh, c.label.en)}
        header_row, columns = -1, {}
        for row in range(min(_HEADER_SEARCH, len(sheet.rows))):
            hits = {
                col: labels[_norm(v)]
                for col, v in enumerate(sheet.rows[row])
                if v is not None and _norm(v) in labels
            }
            if len(hits) >= 2:
                header_row, columns = row, hits
                break
        if header_row < 0:
            self.report(
                _Cell(sheet.name, order, -1, None, None),
                None,
                Text(
                    "找不到表头行（如“编号”“名称（中文）”），请保留导出时的表头",
                    'no header row found (such as "ID", "Title (zh)"); keep the exported headers',
                ),
            )
            return []
        items = []
        for row in range(header_row + 1, len(sheet.rows)):
            values = sheet.rows[row]
            if all(cell_text(values[c]) == "" for c in columns if c < len(values)):
                continue
            id_col = next((c for c, col in columns.items() if col.key == "id"), None)
            item = _Item({}, _Cell(sheet.name, order, row, id_col, None))
            for col, column in columns.items():
                raw = sheet.value(row, col)
                text = cell_text(raw) if raw is not None else ""
                cell = _Cell(sheet.name, order, row, col, column, text)
                item.cells[tuple(column.key.split("."))] = cell
                if text == "":
                    continue
                value, problem = from_cell(column, raw)
                if problem is not None:
                    self.report(cell, column.label, problem)
                    self.pre_reported.add((cell.sheet, cell.row, cell.col))
                _put(item.data, column.key, value)
            items.append(item)
        return items

    def settings(self) -> _Item:
        found = _find_sheet(self.sheets, GUIDE)
        item = _Item({}, _Cell(GUIDE.zh, -1, -1, None, None))
        if found is None:
            self.report(
                item.row,
                None,
                Text(
                    "工作簿中没有“说明”工作表（其中有规则包编号、版本等设置），请补上",
                    'the workbook has no "Guide" sheet (it holds the pack id, version and other '
                    "settings); add it",
                ),
            )
            return item
        sheet, order = found
        item.row = _Cell(sheet.name, order, -1, None, None)
        labels = {_norm(label): c for c in SETTINGS for label in (c.label.zh, c.label.en)}
        for row, values in enumerate(sheet.rows):
            for col, value in enumerate(values[:-1]):
                column = labels.pop(_norm(value), None) if value is not None else None
                if column is None:
                    continue
                raw = values[col + 1]
                text = cell_text(raw) if raw is not None else ""
                cell = _Cell(sheet.name, order, row, col + 1, column, text)
                item.cells[tuple(column.key.split("."))] = cell
                if text:
                    parsed, problem = from_cell(column, raw)
                    if problem is not None:
                        self.report(cell, column.label, problem)
                        self.pre_reported.add((cell.sheet, cell.row, cell.col))
                    _put(item.data, column.key, parsed)
        return item


def _put(data: dict[str, Any], key: str, value: object) -> None:
    *path, last = key.split(".")
    for part in path:
        data = data.setdefault(part, {})
    data[last] = value


def _attach_choices(reader: _Reader, rules: list[_Item], choices: list[_Item]) -> None:
    by_id: dict[str, _Item] = {}
    for rule in rules:
        by_id.setdefault(str(rule.data.get("id", "")), rule)
    for choice in choices:
        owner = by_id.get(str(choice.data.pop("rule", "")))
        if owner is None:
            cell, _ = choice.locate(("rule",))
            reader.report(
                cell,
                CHOICES.column("rule").label,
                Text(
                    f"须为“{RULES.name.zh}”表中选项题的编号",
                    f'must be the id of a choice rule on the "{RULES.name.en}" sheet',
                ),
            )
            continue
        listed = owner.data.setdefault("answer", {}).setdefault("choices", [])
        index = str(len(listed))
        listed.append(choice.data)
        for key, cell in choice.cells.items():
            if key != ("rule",):
                owner.cells[("answer", "choices", index, *key)] = cell


_YAML_WORDS = ((" pack.yaml 中的", ""), (" of pack.yaml", ""))


def _workbook_words(text: Text) -> Text:
    """Checks written for YAML packs name pack.yaml; in a workbook the sheet is meant."""
    zh, en = text.zh, text.en
    for old, new in _YAML_WORDS:
        zh, en = zh.replace(old, new), en.replace(old, new)
    return Text(zh, en)


def load_pack_workbook(path: Path) -> RulePack:
    """Read and validate the pack workbook at ``path``; raise with every problem, by cell."""

    path = Path(path)
    workbook = read_workbook(path)
    reader = _Reader(workbook.sheets)
    settings = reader.settings()
    tables = {
        table.section: reader.table(table, required=table not in (CHOICES, CHECKS, CONCEPTS))
        for table in (RULES, CHOICES, CHECKS, AREAS, GRADES, UNIT_TYPES, CONCEPTS)
    }
    _attach_choices(reader, tables["rules"], tables["choices"])

    pack_data = dict(settings.data)
    for section in ("unit_types", "areas", "grades"):
        pack_data[section] = [item.data for item in tables[section]]
        for index, item in enumerate(tables[section]):
            for key, cell in item.cells.items():
                settings.cells[(section, str(index), *key)] = cell

    # Each row's problems are reported under its cell's name and traced back by it.
    items: dict[str, _Item] = {}
    raw_items: dict[str, list[RawItem]] = {"rules": [], "checks": []}
    for section, kind in (("rules", "rule"), ("checks", "check")):
        for index, item in enumerate(tables[section]):
            token = item.row.where().zh
            items[token] = item
            raw_items[section].append(RawItem(token, _owner_of(item.data, kind, index), item.data))
    raw = RawPack(
        str(path),
        pack_data,
        tuple(raw_items["rules"]),
        tuple(raw_items["checks"]),
        (RULES.name.zh,),
        (),
    )
    if extends(raw) is not None:
        pack, problems = merged_overlay(raw)
    else:
        pack, problems = validate_pack(raw)

    # The 词汇 sheet's concepts, checked as concepts.yaml's are; they replace a base's.
    concept_items = []
    for item in tables["concepts"]:
        token = item.row.where().zh
        items[token] = item
        concept_items.append((token, item.data))
    if concept_items:
        concepts = build_concepts(concept_items, problems)
        if pack is not None:
            pack = replace(pack, concepts=concepts)

    for problem in problems:
        cell, label = _locate(problem, items, settings, tables)
        reader.report(
            replace(cell, raw=_shown(problem, cell)), label, _workbook_words(problem.allowed)
        )

    lines = _messages(reader)
    if lines or pack is None:
        raise ChecklistError(
            Text(
                f"规则包工作簿 {path} 有 {len(lines)} 处问题，未加载。请逐条改正后重新运行：",
                f"The rule pack workbook {path} has {len(lines)} problem(s) and was not loaded. "
                "Fix each of these and run again:",
            ),
            details=tuple(lines),
        )
    return replace(pack, path=str(path))


def _shown(problem: Problem, cell: _Cell) -> str:
    """The bad value to quote: the item the check names when the cell holds it (one unit
    type of several, one band), else the whole cell; nothing for a missing value."""
    value = problem.value
    if value is _MISSING or problem.key == "grades":
        return ""
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        text = cell_text(value)
        if text and text in cell.raw:
            return text
    return cell.raw


def _locate(
    problem: Problem,
    items: dict[str, _Item],
    settings: _Item,
    tables: dict[str, list[_Item]],
) -> tuple[_Cell, Text | None]:
    parts = tuple(problem.key.split("."))
    item = items.get(problem.file)
    if item is None:  # a pack-level problem
        item = settings
        kind, _, item_id = problem.owner.partition(" ")
        duplicated = {"area.id": "areas", "grade.id": "grades", "unit_types.id": "unit_types"}
        if kind == "area" and item_id:
            item = next((i for i in tables["areas"] if i.data.get("id") == item_id), settings)
        elif problem.key in duplicated:
            rows = [i for i in tables[duplicated[problem.key]] if i.data.get("id") == problem.value]
            item = rows[-1] if rows else settings
            parts = ("id",)
        elif problem.key == "grades" and tables["grades"]:
            item, parts = tables["grades"][0], ("min",)
    if parts == ("answer", "choices"):
        parts = ("answer", "type")
    cell, below = item.locate(parts)
    if cell.column is None:
        return cell, None
    label = cell.column.label
    if below:
        tail = ".".join(below)
        label = Text(f"{label.zh} {tail}", f"{label.en} {tail}")
    return cell, label


def _messages(reader: _Reader) -> list[Text]:
    """Every problem once, in sheet, row and column order.

    A cell whose value did not read at all is reported once (first, by the
    reader), not again by the checks that then fail on it.
    """
    seen: set[tuple[str, str]] = set()
    done: set[tuple[str, int, int | None]] = set()
    lines: list[tuple[tuple[int, int, int], Text]] = []
    for found in reader.located:
        cell = found.cell
        where = (cell.sheet, cell.row, cell.col)
        if where in reader.pre_reported and where in done:
            continue
        done.add(where)
        text = found.text()
        if (text.zh, text.en) not in seen:
            seen.add((text.zh, text.en))
            lines.append(((cell.order, cell.row, -1 if cell.col is None else cell.col), text))
    return [text for _, text in sorted(lines, key=lambda pair: pair[0])]
