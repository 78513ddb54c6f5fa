"""The blank waivers workbook (``checklist waivers template``): the table ``--waivers`` reads.

Sheet 豁免清单 / Waivers: the header row, a 说明 row saying what each column
takes (the reader skips it), and empty rows with dropdowns (rule ids from the
pack, 是/否 for the veto column) and date validation. Sheet 规则一览 / Rules lists
the pack's rules, veto rules marked, for the dropdown and for the approver.
"""

from __future__ import annotations

from pathlib import Path

from checklist.model import RulePack
from checklist.report import kit
from checklist.text import Text
from checklist.waivers import COLUMNS, SHEET

ROWS = 200
"""Empty rows given dropdowns and validation."""
_WIDTHS = {
    "unit": 24,
    "town": 12,
    "rule": 11,
    "reason": 36,
    "approved_by": 16,
    "approved_on": 12,
    "expires_on": 12,
    "veto": 10,
}
_RULES = Text("规则一览", "Rules")
_YES_NO = (Text("否", "no"), Text("是", "yes"))


def write_waiver_template(pack: RulePack, path: Path, lang: str) -> Path:
    """Write the blank waivers workbook for ``pack`` to ``path`` (atomically)."""

    def fill(book: kit.Book) -> None:
        sheet = book.sheet(SHEET)
        columns = tuple(
            kit.Column(c.title, _WIDTHS[c.key], kit.BODY if c.key != "rule" else kit.CENTRE)
            for c in COLUMNS
        )
        sheet.widths(columns)
        for col, column in enumerate(COLUMNS):
            sheet.put(0, col, column.title.get(lang), kit.HEADER)
            note = column.note.get(lang)
            sheet.put(1, col, note, kit.NOTE)
            sheet.fit(1, note, _WIDTHS[column.key])
        ws = sheet.ws
        index = {c.key: i for i, c in enumerate(COLUMNS)}
        first, last = 2, ROWS + 1
        rule_col = index["rule"]
        ws.data_validation(
            first,
            rule_col,
            last,
            rule_col,
            {
                "validate": "list",
                "source": f"='{_RULES.get(lang)}'!$A$2:$A${len(pack.rules) + 1}",
                "error_title": Text("规则编号", "Rule").get(lang),
                "error_message": Text(
                    "请从下拉列表选择规则包中的规则编号", "Pick a rule id of the pack"
                ).get(lang),
            },
        )
        for key in ("approved_on", "expires_on"):
            col = index[key]
            ws.data_validation(
                first,
                col,
                last,
                col,
                {
                    "validate": "date",
                    "criteria": ">=",
                    "value": "2000-01-01T00:00:00",
                    "error_message": Text(
                        "请填写日期，如 2024-11-20", "Enter a date such as 2024-11-20"
                    ).get(lang),
                },
            )
            date_look = book.format({**kit.CENTRE, "num_format": "yyyy-mm-dd"})
            ws.set_column(col, col, _WIDTHS[key], date_look)
        veto_col = index["veto"]
        ws.data_validation(
            first,
            veto_col,
            last,
            veto_col,
            {"validate": "list", "source": [t.get(lang) for t in _YES_NO]},
        )
        ws.freeze_panes(2, 1)
        title = Text("豁免清单", "Waivers").get(lang)
        sheet.finish(f"{title} · {pack.name(lang)}", repeat=(0, 1))

        rules = book.sheet(_RULES)
        rule_columns = (
            kit.Column(Text("规则编号", "Rule"), 11, kit.CENTRE, wrap=False),
            kit.Column(Text("指标", "Indicator"), 60),
            kit.Column(Text("否决项", "Veto"), 8, kit.CENTRE),
        )
        rules.widths(rule_columns)
        rules.table(
            0,
            rule_columns,
            (
                (r.id, r.indicator.get(lang), _YES_NO[1].get(lang) if r.veto else "")
                for r in pack.rules
            ),
        )
        rules.ws.freeze_panes(1, 1)
        rules.finish(pack.name(lang), repeat=(0, 0))

    return kit.write_book(path, lang, Text("豁免清单", "Waivers").get(lang), fill)
