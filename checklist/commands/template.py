"""``checklist template``: write the blank self-assessment workbook units fill in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from checklist.codes import ErrorCode
from checklist.commands.options import (
    DbOption,
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


RosterOption = Annotated[
    Path | None,
    typer.Option(
        "--roster",
        help="Write one personal form per unit of this roster (.xlsx/.xls/.ods/.csv with a "
        "单位名称 column) into the folder given with -o, and a 分发清单 beside them.",
        show_default=False,
    ),
]
YearOption = Annotated[
    int | None,
    typer.Option(
        "--year",
        help="With --roster: the year the forms are for (default: this year).",
        show_default=False,
    ),
]


@user_errors
def template(
    rules: RulesOption = None,
    lang: LangOption = Lang.zh,
    unit_type: UnitTypeOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
    roster: RosterOption = None,
    year: YearOption = None,
    db: DbOption = None,
) -> None:
    """Write the blank self-assessment workbook (.xlsx) that units fill in.

    Without -o the file goes to the current folder as 自评表模板.xlsx
    (self-assessment-template.xlsx with --lang en). An existing file is only
    replaced with --force, so a filled-in form is never lost.

    With --roster, -o is a folder: each unit gets its own form (its details
    filled in and locked, only its rules; with --db, last year's answers
    beside each row), and 分发清单-YEAR.xlsx lists who gets which file.
    """
    from checklist.template import DEFAULT_OUTPUT, resolve_unit_type, template_rules, write_template

    if roster is not None:
        _personal_forms(rules, lang, output, force, roster, year, db, unit_type)
        return
    if year is not None or db is not None:
        raise ChecklistError(
            Text(
                "--year 和 --db 只与 --roster 一起使用（为名单上每个单位生成个人表）。",
                "--year and --db go with --roster (one personal form per roster unit).",
            ),
            code=ErrorCode.roster_options,
        )
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


def _personal_forms(
    rules: str | None,
    lang: Lang,
    output: Path | None,
    force: bool,
    roster: Path,
    year: int | None,
    db: Path | None,
    unit_type: str | None,
) -> None:
    import datetime as dt

    from checklist.personal import write_personal_forms

    if unit_type is not None or output is None or output.suffix.lower() == ".xlsx":
        raise ChecklistError(
            Text(
                "--roster 需要用 -o 给出存放个人表的文件夹（如 -o 2025自评表），且不能与 --unit-type "
                "同用：每个单位的类型取自名单。",
                "--roster needs -o naming a folder for the forms (e.g. -o forms-2025), and no "
                "--unit-type: each unit's type comes from the roster.",
            ),
            code=ErrorCode.roster_options,
        )
    if db is not None and not db.exists():
        raise ChecklistError(
            Text(
                f"找不到历史数据库 {db}。请检查路径，或去掉 --db（个人表就不附上年填报）。",
                f"History database {db} not found. Check the path, or leave out --db "
                "(the forms then show no last year).",
            ),
            code=ErrorCode.history_missing,
        )
    pack = load_rules(rules)
    season = year if year is not None else dt.date.today().year
    run = write_personal_forms(roster, pack, output, season, lang=lang.value, db=db, force=force)
    with_last = sum(1 for form in run.forms if form.last_year is not None)
    say(
        Text(
            f"已在 {output} 写入 {len(run.forms)} 份 {season} 年度个人表（{with_last} 份附上年填报）"
            f"和分发清单 {run.listing.name}。",
            f"Wrote {len(run.forms)} personal forms for {season} into {output} "
            f"({with_last} with last year's answers) and the distribution list {run.listing.name}.",
        ),
        lang,
    )
