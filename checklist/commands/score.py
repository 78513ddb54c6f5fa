"""``checklist score FILE``: read a unit's workbook, score it, report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from checklist.commands.options import (
    LangOption,
    RulesOption,
    echo_json,
    load_rules,
    user_errors,
)
from checklist.text import Lang


@user_errors
def score(
    file: Annotated[
        Path,
        typer.Argument(help="The unit's self-assessment workbook (.xlsx, .xls, .ods, .et, .csv)."),
    ],
    rules: RulesOption = None,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print the JSON result instead of a summary.")
    ] = False,
    lang: LangOption = Lang.zh,
) -> None:
    """Score one unit's self-assessment and print the result."""
    from checklist.pipeline import assess_file
    from checklist.serialize import result_to_dict

    pack = load_rules(rules)
    _, result = assess_file(file, pack)
    if json_out:
        echo_json(result_to_dict(result, lang))
        return
    grade = pack.grade(result.score.grade).title.get(lang)
    typer.echo(f"{result.unit.name} {result.unit.year or ''}: {result.score.total:g} {grade}")
