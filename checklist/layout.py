"""The template contract: sheet names, headers and keys the template writes and intake reads.

Both :mod:`checklist.template` (writer) and :mod:`checklist.intake` (reader)
take every name from here, so a template-made file always reads back exactly.
"""

from __future__ import annotations

from checklist.text import Text

TEMPLATE_VERSION = "1"
"""Bumped whenever the layout below changes in a way intake must know about."""

INSTRUCTIONS_SHEET = Text("填报说明", "Instructions")
UNIT_SHEET = Text("单位信息", "Unit information")
ASSESSMENT_SHEET = Text("自评表", "Self-assessment")
META_SHEET = "_checklist"
"""Hidden sheet: two columns, key and value, one row per META_KEYS entry."""

META_KEYS = ("pack_id", "pack_version", "template_version", "lang", "unit_type")

RECORD_SHEET = "_checklist_unit"
"""Very hidden sheet of a personal form (``checklist template --roster``): key and value rows,
one per RECORD_KEYS entry, tying the form to its roster entry. Very hidden, not a custom
property: Excel, WPS and LibreOffice all keep a very hidden sheet when they save."""

RECORD_KEYS = ("form_id", "unit_id", "name", "town", "type", "year", "pack_id", "pack_version")

LAST_YEAR_COLUMN = Text("上年填报", "Last year")
"""Header of a personal form's read-only column of last year's answer and evidence."""

# Self-assessment sheet columns, in order: (key, header).
COLUMNS: tuple[tuple[str, Text], ...] = (
    ("id", Text("编号", "No.")),
    ("area", Text("类别", "Area")),
    ("indicator", Text("指标", "Indicator")),
    ("guidance", Text("填报说明", "How to answer")),
    ("answer", Text("自评填报", "Answer")),
    ("evidence", Text("佐证材料", "Evidence")),
    ("claimed", Text("自评得分", "Self-score")),
    ("remarks", Text("备注", "Remarks")),
)
INPUT_COLUMNS = ("answer", "evidence", "claimed", "remarks")
"""Columns the unit fills in (unlocked); everything else is protected."""

# Unit-information sheet: labels in column A, values in column B, in this order.
UNIT_FIELDS: tuple[tuple[str, Text], ...] = (
    ("name", Text("单位名称", "Unit name")),
    ("type", Text("单位类型", "Unit type")),
    ("town", Text("所属镇（街道）", "Town (street)")),
    ("year", Text("年度", "Year")),
    ("filled_by", Text("填报人", "Filled in by")),
    ("phone", Text("联系电话", "Phone")),
)
