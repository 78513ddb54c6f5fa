"""The mark every workbook checklist writes carries, saying what it is.

A gap report, a comparison or a trend sent back in with the forms must never
be scored as a unit's self-assessment: it holds the unit's name, a year and
indicator rows, so intake would read it and give a wrong score. Each workbook
the tool writes therefore carries a custom document property, ``checklist``,
whose value names the kind of file. Excel, WPS and LibreOffice keep custom
properties when they save a workbook (LibreOffice also when it converts to
.ods), unlike ``lastModifiedBy``, which every save overwrites.

The template is marked too, as a *form*: a unit's file made from it is what
intake is for. Written by :mod:`checklist.report.kit` and
:mod:`checklist.template`, read by :func:`checklist.preflight.made_by` and
refused by :func:`checklist.intake.read_assessment`.
"""

from __future__ import annotations

from enum import StrEnum

from checklist.text import Text

PROPERTY = "checklist"
"""Name of the custom document property that holds the mark."""


class Made(StrEnum):
    """What kind of workbook checklist wrote."""

    report = "report"
    """A unit's gap report (``score``)."""
    compare = "compare"
    """A year-over-year comparison (``compare``)."""
    trend = "trend"
    """A unit's trend over its saved years (``trend``)."""
    rollup = "rollup"
    """A county or town roll-up (``batch``)."""
    pack = "pack"
    """A rule pack as a workbook (``rules export``)."""
    output = "output"
    """Any other workbook the tool wrote."""
    template = "template"
    """The self-assessment form units fill in: the one kind intake reads."""


MADE_TEXT: dict[Made, Text] = {
    Made.report: Text("差距报告", "gap report"),
    Made.compare: Text("对比报告", "comparison report"),
    Made.trend: Text("历年趋势报告", "trend report"),
    Made.rollup: Text("汇总报告", "roll-up report"),
    Made.pack: Text("规则包工作簿", "rule pack workbook"),
    Made.output: Text("输出文件", "output"),
    Made.template: Text("自评表模板", "self-assessment template"),
}
"""What each kind is called in a message."""


def parse_mark(value: str) -> Made | None:
    """The kind a property value names (None for a value no checklist wrote)."""
    try:
        return Made(value.strip())
    except ValueError:
        return None
