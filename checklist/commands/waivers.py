"""``checklist waivers template``, and the ``--waivers FILE`` option score and trend take."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from checklist.commands.options import (
    LangOption,
    OutputOption,
    RulesOption,
    load_rules,
    user_errors,
)
from checklist.text import Lang, Text

if TYPE_CHECKING:
    from checklist.model import Waiver

WaiversOption = Annotated[
    Path | None,
    typer.Option(
        "--waivers",
        help="Waivers (豁免) to apply: an .xlsx from 'checklist waivers template' or a .yaml list.",
        show_default=False,
    ),
]

app = typer.Typer(
    help="Waivers (豁免): agreed exceptions for a unit and rule.", no_args_is_help=True
)

_DEFAULT_OUTPUT = Text("豁免清单.xlsx", "waivers.xlsx")


def load_waiver_list(path: Path | None) -> tuple[Waiver, ...]:
    """The waivers in ``path`` (none without it); a bad file is refused listing every problem."""
    if path is None:
        return ()
    from checklist.waivers import load_waivers

    return load_waivers(path).waivers


@app.command("template")
@user_errors
def waivers_template(
    output: OutputOption = None,
    rules: RulesOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the output file if it already exists.")
    ] = False,
    lang: LangOption = Lang.zh,
) -> None:
    """Write a blank waivers workbook: one row per waiver, dropdowns, a 说明 row, the pack's rules.

    Without -o the file goes to the current folder as 豁免清单.xlsx (waivers.xlsx
    with --lang en). An existing file is only replaced with --force.
    """
    from checklist.codes import ErrorCode
    from checklist.errors import ChecklistError
    from checklist.report.waiver_template import write_waiver_template

    pack = load_rules(rules)
    target = output if output is not None else Path(_DEFAULT_OUTPUT.get(lang))
    if target.exists() and not target.is_dir() and not force:
        raise ChecklistError(
            Text(
                f"{target} 已存在，未覆盖（它可能是已填好的豁免清单）。请用 -o 换一个文件名，或加 --force 覆盖。",
                f"{target} already exists and was left alone (it may be a filled-in waivers "
                "list). Choose another name with -o, or add --force to replace it.",
            ),
            code=ErrorCode.output_exists,
        )
    written = write_waiver_template(pack, target, lang.value)
    typer.echo(Text(f"已写入 {written}", f"Wrote {written}").get(lang))
