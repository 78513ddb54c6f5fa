"""``checklist history list|show|remove|rescore``: the saved assessments."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from checklist.commands.options import (
    DbOption,
    JsonOption,
    LangOption,
    RulesOption,
    console,
    echo_json,
    load_rules,
    user_errors,
)
from checklist.text import Lang, Text

app = typer.Typer(
    help="Saved assessments in the history database: list, show, remove, re-score.",
    no_args_is_help=True,
)

UnitArgument = Annotated[
    str, typer.Argument(help="Unit name, in any spelling (东林村, 城厢镇东林村村委会 …).")
]
YearArgument = Annotated[int, typer.Argument(help="Assessment year, e.g. 2024.")]


def _grade_namer(lang: str) -> Any:
    """grade id + pack id → grade title, from the pack when it can be loaded (else the id)."""
    from checklist.errors import ChecklistError

    packs: dict[str, Any] = {}

    def name(grade: str, pack_id: str) -> str:
        if pack_id not in packs:
            try:
                packs[pack_id] = load_rules(pack_id)
            except ChecklistError:
                packs[pack_id] = None
        pack = packs[pack_id]
        if pack is None or grade not in {g.id for g in pack.grades}:
            return grade
        return str(pack.grade(grade).title.get(lang))

    return name


def _entry_dict(entry: Any) -> dict[str, Any]:
    return {
        "unit": {
            "key": entry.unit_key,
            "name": entry.unit_name,
            "type": entry.unit_type,
            "town": entry.town,
        },
        "year": entry.year,
        "source": {"name": entry.source_name, "sha256": entry.source_sha256},
        "scored_pack": {"id": entry.scored_pack.id, "version": entry.scored_pack.version},
        "pack": {"id": entry.pack.id, "version": entry.pack.version},
        "total": entry.total,
        "grade": entry.grade,
        "saved_at": entry.saved_at,
        "rescored_at": entry.rescored_at,
    }


@app.command("list")
@user_errors
def history_list(
    unit: Annotated[
        str | None,
        typer.Option(
            "--unit", help="Only this unit (any spelling of its name).", show_default=False
        ),
    ] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
    lang: LangOption = Lang.zh,
) -> None:
    """List saved assessments, by unit and year."""
    from rich.markup import escape
    from rich.table import Table

    from checklist.display import number
    from checklist.history import open_history

    with open_history(db, create=False) as history:
        entries = history.list_assessments(unit)
        path = history.path
    if json_out:
        echo_json({"database": str(path), "assessments": [_entry_dict(e) for e in entries]})
        return
    out = console()
    if not entries:
        out.print(
            escape(
                Text(f"{path} 中没有已保存的自评。", f"No saved assessments in {path}.").get(lang)
            )
        )
        return
    grade = _grade_namer(lang)
    heads = {
        Lang.zh: (
            "单位",
            "年度",
            "所属镇",
            "总分",
            "等次",
            "评分规则包",
            "保存时规则包",
            "来源文件",
        ),
        Lang.en: ("Unit", "Year", "Town", "Total", "Grade", "Scored by", "When saved", "Source"),
    }[lang]
    table = Table(title=escape(str(path)))
    for index, head in enumerate(heads):
        table.add_column(head, justify="right" if index in (1, 3) else "left", overflow="fold")
    for entry in entries:
        table.add_row(
            escape(entry.unit_name),
            str(entry.year),
            escape(entry.town),
            number(entry.total),
            escape(grade(entry.grade, entry.pack.id)),
            escape(str(entry.pack)),
            escape(str(entry.scored_pack)) if entry.scored_pack != entry.pack else "=",
            escape(entry.source_name),
        )
    out.print(table)


@app.command("show")
@user_errors
def history_show(
    unit: UnitArgument,
    year: YearArgument,
    db: DbOption = None,
    json_out: JsonOption = False,
    lang: LangOption = Lang.zh,
) -> None:
    """Show one saved assessment: unit, source, packs, scores and every raw answer."""
    from rich.markup import escape
    from rich.table import Table

    from checklist.display import STATUS_TEXT, number
    from checklist.history import open_history
    from checklist.serialize import answer_to_dict, result_to_dict

    with open_history(db, create=False) as history:
        stored = history.get(unit, year)
    entry, result = stored.entry, stored.result
    if json_out:
        echo_json(
            {
                **_entry_dict(entry),
                "answers": {
                    rule_id: {
                        **answer_to_dict(answer),
                        "match": {
                            "method": answer.match_method,
                            "confidence": answer.match_confidence,
                        },
                    }
                    for rule_id, answer in stored.answers.items()
                },
                "result": result_to_dict(result, lang),
                "scored_result": result_to_dict(stored.scored_result, lang),
            }
        )
        return
    grade = _grade_namer(lang)
    out = console()
    labels = {
        Lang.zh: (
            "单位",
            "所属镇",
            "年度",
            "来源文件",
            "评分规则包",
            "保存时规则包",
            "总分",
            "等次",
        ),
        Lang.en: ("Unit", "Town", "Year", "Source", "Scored by", "When saved", "Total", "Grade"),
    }[lang]
    scored = stored.scored_result.score
    values = (
        entry.unit_name,
        entry.town or "-",
        str(entry.year),
        f"{entry.source_name or '-'}  sha256:{(entry.source_sha256 or '-')[:16]}",
        str(entry.pack),
        f"{entry.scored_pack} ({number(scored.total)} {grade(scored.grade, entry.scored_pack.id)})",
        number(result.score.total),
        grade(result.score.grade, entry.pack.id),
    )
    for label, value in zip(labels, values, strict=True):
        out.print(f"[bold]{escape(label)}[/bold]: {escape(value)}")
    heads = {
        Lang.zh: ("编号", "单位填报", "佐证材料", "单元格", "状态", "得分"),
        Lang.en: ("Rule", "Answer", "Evidence", "Cell", "Status", "Points"),
    }[lang]
    table = Table()
    for head in heads:
        table.add_column(head, overflow="fold")
    for rule in result.rules:
        answer = stored.answers.get(rule.rule_id)
        table.add_row(
            escape(rule.rule_id),
            escape(answer.raw if answer else ""),
            escape(answer.evidence if answer else ""),
            escape(answer.cell if answer else ""),
            escape(STATUS_TEXT[rule.status].get(lang)),
            f"{number(rule.earned)}/{number(rule.possible)}",
        )
    out.print(table)


@app.command("remove")
@user_errors
def history_remove(
    unit: UnitArgument,
    year: YearArgument,
    db: DbOption = None,
    lang: LangOption = Lang.zh,
) -> None:
    """Delete one saved assessment (its answers and result)."""
    from checklist.history import open_history

    with open_history(db, create=False) as history:
        entry = history.remove(unit, year)
        path = history.path
    message = Text(
        f"已从 {path} 删除“{entry.unit_name}” {entry.year} 年度的自评。",
        f"Removed the {entry.year} assessment of '{entry.unit_name}' from {path}.",
    )
    typer.echo(message.get(lang))


@app.command("rescore")
@user_errors
def history_rescore(
    rules: RulesOption = None,
    unit: Annotated[
        str | None,
        typer.Option("--unit", help="Only this unit (default: every unit).", show_default=False),
    ] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
    lang: LangOption = Lang.zh,
) -> None:
    """Re-score every saved assessment from its raw answers under one pack, so years compare like for like.

    Raw answers are never changed; the result as first saved is kept beside
    the new one.
    """
    from rich.markup import escape
    from rich.table import Table

    from checklist.display import number
    from checklist.history import open_history

    pack = load_rules(rules)
    with open_history(db, create=False) as history:
        report = history.rescore(pack, unit)
    if json_out:
        echo_json(
            {
                "pack": {"id": report.pack.id, "version": report.pack.version},
                "changed": report.changed,
                "assessments": [
                    {
                        "unit": e.unit_name,
                        "year": e.year,
                        "pack_before": {"id": e.pack_before.id, "version": e.pack_before.version},
                        "total": {"before": e.total_before, "after": e.total_after},
                        "grade": {"before": e.grade_before, "after": e.grade_after},
                    }
                    for e in report.entries
                ],
            }
        )
        return
    out = console()
    heads = {
        Lang.zh: ("单位", "年度", "原规则包", "原总分", "新总分", "新等次"),
        Lang.en: ("Unit", "Year", "Was scored by", "Total before", "Total now", "Grade now"),
    }[lang]
    table = Table()
    for index, head in enumerate(heads):
        table.add_column(head, justify="right" if index in (1, 3, 4) else "left")
    for e in report.entries:
        table.add_row(
            escape(e.unit_name),
            str(e.year),
            escape(str(e.pack_before)),
            number(e.total_before),
            number(e.total_after),
            escape(pack.grade(e.grade_after).title.get(lang)),
        )
    if report.entries:
        out.print(table)
    summary = Text(
        f"已按 {pack.title.zh} {pack.id} {pack.version} 重新评分 {len(report.entries)} 份自评，"
        f"{report.changed} 份得分或等次有变化；原始填报未改动。",
        f"Re-scored {len(report.entries)} assessments under {pack.title.en} {pack.id} "
        f"{pack.version}; {report.changed} changed score or grade. Raw answers were not touched.",
    )
    out.print(escape(summary.get(lang)), soft_wrap=True)
