"""``checklist template``: write the blank self-assessment workbook units fill in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from checklist.codes import ErrorCode
from checklist.commands.options import (
    LangOption,
    OutputOption,
    RulesOption,
    load_rules,
    say,
    user_errors,
)
from checklist.errors import ChecklistError
from checklist.text import Lang, Text

UnitTypeOption = Annotated[
    str | None,
    typer.Option(
        "--unit-type",
        help="Leave out rules that do not apply to this unit type and pre-fill it: "
        "a type id (village, community, …) or a name such as 村, 社区, 非公企业.",
        show_default=False,
    ),
]
ForceOption = Annotated[
    bool,
    typer.Option("--force", help="Replace the output file if it already exists."),
]


@user_errors
def template(
    rules: RulesOption = None,
    lang: LangOption = Lang.zh,
    unit_type: UnitTypeOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Write the blank self-assessment workbook (.xlsx) that units fill in.

    Without -o the file goes to the current folder as 自评表模板.xlsx
    (self-assessment-template.xlsx with --lang en). An existing file is only
    replaced with --force, so a filled-in form is never lost.
    """
    from checklist.template import DEFAULT_OUTPUT, resolve_unit_type, template_rules, write_template

    if output is not None:
        from checklist.output import require_suffix

        require_suffix(output, (".xlsx",))
    pack = load_rules(rules)
    chosen = resolve_unit_type(pack, unit_type) if unit_type else None
    target = output if output is not None else Path(DEFAULT_OUTPUT.get(lang))
    if target.exists() and not target.is_dir() and not force:
        raise ChecklistError(
            Text(
                f"{target} 已存在，未覆盖（它可能是已填好的自评表）。请用 -o 换一个文件名，或加 --force 覆盖。",
                f"{target} already exists and was left alone (it may be a filled-in form). "
                "Choose another name with -o, or add --force to replace it.",
            ),
            code=ErrorCode.output_exists,
        )
    written = write_template(pack, target, lang=lang.value, unit_type=unit_type)
    count = len(template_rules(pack, chosen))
    kind = Text(f"（{chosen.title.zh}）", f" ({chosen.title.en})") if chosen else Text("", "")
    message = Text(
        f"已写入 {written}：{pack.title.zh} {pack.version}，{count} 项指标{kind.zh}。",
        f"Wrote {written}: {pack.title.en} {pack.version}, {count} indicators{kind.en}.",
    )
    say(message, lang)
