"""``checklist compare OLD NEW``: one unit's two assessments side by side."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from checklist.commands.options import (
    JsonOption,
    LangOption,
    OutputOption,
    RulesOption,
    console,
    echo_json,
    load_rules,
    user_errors,
)
from checklist.text import Lang, Text

InputArgument = Annotated[
    Path,
    typer.Argument(
        help="A unit's workbook (.xlsx, .xls, .ods, .et, .csv) or a JSON result from "
        "'checklist score --json'.",
    ),
]


def _is_json(path: Path) -> bool:
    return path.suffix.lower() == ".json"


def _display_pack(rules: str | None, loaded: Any, results: tuple[Any, Any]) -> Any:
    """The pack whose texts label the output: the one given, else the results' own if built in."""
    from checklist.errors import ChecklistError

    if loaded is not None:
        return loaded
    for pack_id in dict.fromkeys((results[1].pack_id, results[0].pack_id)):
        try:
            pack = load_rules(pack_id)
        except ChecklistError:
            continue
        if pack.id == pack_id:
            return pack
    return None


@user_errors
def compare(
    old: InputArgument,
    new: InputArgument,
    output: OutputOption = None,
    json_out: JsonOption = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Compare even if the two files seem to be different units."),
    ] = False,
    rules: RulesOption = None,
    lang: LangOption = Lang.zh,
) -> None:
    """Compare two assessments of one unit: closed, new, persistent and regressed gaps.

    OLD and NEW are workbooks (scored now under --rules) or JSON results (used
    as scored; with --rules they are re-scored from their answers under that
    pack, so both years are judged by the same rules). With -o, also writes
    the comparison workbook.
    """
    from checklist.compare import compare as compare_results
    from checklist.compare import comparison_to_dict
    from checklist.history import rescore_result
    from checklist.pipeline import assess_file, load_result

    pack = load_rules(rules) if rules is not None or not all(map(_is_json, (old, new))) else None

    def read(path: Path) -> Any:
        if _is_json(path):
            result = load_result(path)
            return rescore_result(result, pack) if pack is not None and rules else result
        assert pack is not None  # loaded above whenever an input is a workbook
        return assess_file(path, pack)[1]

    results = (read(old), read(new))
    then, now = results
    if then.unit.year is not None and now.unit.year is not None and then.unit.year > now.unit.year:
        then, now = now, then
        typer.echo(
            Text(
                f"注意：{old.name} 是较新的年度（{now.unit.year}），"
                f"已按 {then.unit.year} → {now.unit.year} 比较。",
                f"Note: {old.name} is the later year; comparing {then.unit.year} → {now.unit.year}.",
            ).get(lang),
            err=True,
        )
    comparison = compare_results(then, now, force=force)
    display = _display_pack(rules, pack, (then, now))

    if output is not None:
        from checklist.report.compare_report import write_compare_report

        written = write_compare_report(comparison, display, output, lang, inputs=(old, new))
    if json_out:
        echo_json(comparison_to_dict(comparison))
    else:
        _print_summary(comparison, display, lang)
    if output is not None:
        typer.echo(Text(f"已写入 {written}", f"Wrote {written}").get(lang), err=json_out)


def _print_summary(comparison: Any, pack: Any, lang: Lang) -> None:
    from rich.markup import escape
    from rich.table import Table

    from checklist.compare import CHANGE_TEXT
    from checklist.display import STATUS_TEXT, number

    out = console()

    def grade(grade_id: str) -> str:
        if pack is not None and grade_id in {g.id for g in pack.grades}:
            return str(pack.grade(grade_id).title.get(lang))
        return grade_id

    def area(area_id: str) -> str:
        if pack is not None and area_id in {a.id for a in pack.areas}:
            return str(pack.area(area_id).title.get(lang))
        return area_id

    def rule(rule_id: str) -> str:
        if pack is not None and rule_id in pack.rules_by_id:
            return f"{rule_id} {pack.rule(rule_id).indicator.get(lang)}"
        return rule_id

    def signed(value: float | None) -> str:
        if value is None:
            return "-"
        return ("+" if value > 0 else "") + number(value)

    def score(value: float | None) -> str:
        return "-" if value is None else number(value)

    overall = comparison.overall
    then_year = comparison.year_then or "?"
    now_year = comparison.year_now or "?"
    title = Text(
        f"{comparison.unit_now.name}：{then_year} → {now_year}",
        f"{comparison.unit_now.name}: {then_year} → {now_year}",
    )
    out.print(f"[bold]{escape(title.get(lang))}[/bold]")
    headline = Text(
        f"总分 {number(overall.total_then)} → {number(overall.total_now)}"
        f"（{signed(overall.total_delta)}），等次 {grade(overall.grade_then)} → {grade(overall.grade_now)}",
        f"Total {number(overall.total_then)} → {number(overall.total_now)} "
        f"({signed(overall.total_delta)}), grade {grade(overall.grade_then)} → {grade(overall.grade_now)}",
    )
    out.print(escape(headline.get(lang)), soft_wrap=True)
    if comparison.same_pack:
        packs = Text(
            f"两年均按规则包 {comparison.pack_now} 评分，可直接比较。",
            f"Both years scored under {comparison.pack_now}: like for like.",
        )
    else:
        packs = Text(
            f"注意：规则包不同（{comparison.pack_then} → {comparison.pack_now}），部分变化可能来自规则调整；"
            "加 --rules 可按同一规则包重新评分。",
            f"Note: different rule packs ({comparison.pack_then} → {comparison.pack_now}); part of "
            "the change may come from the rules. Add --rules to score both under one pack.",
        )
    out.print(escape(packs.get(lang)), soft_wrap=True)
    if comparison.forced:
        out.print(
            escape(
                Text(
                    f"注意：单位名称不一致（{comparison.unit_then.name} / {comparison.unit_now.name}），已按 --force 比较。",
                    f"Note: the unit names differ ({comparison.unit_then.name} / "
                    f"{comparison.unit_now.name}); compared because of --force.",
                ).get(lang)
            )
        )

    heads = {
        Lang.zh: ("领域", str(then_year), str(now_year), "变化"),
        Lang.en: ("Area", str(then_year), str(now_year), "Change"),
    }[lang]
    table = Table()
    for index, head in enumerate(heads):
        table.add_column(head, justify="left" if index == 0 else "right")
    for change in comparison.areas:
        table.add_row(
            escape(area(change.area)),
            score(change.score_then),
            score(change.score_now),
            signed(change.delta),
        )
    out.print(table)

    groups = (
        (Text("已整改（原为问题，现达标）", "Closed (gap then, pass now)"), comparison.closed),
        (Text("新出现的问题", "New gaps"), comparison.new_gaps),
        (Text("持续存在的问题", "Persistent gaps (both years)"), comparison.persistent),
        (Text("退步", "Regressed"), comparison.regressed),
        (Text("新增规则", "Rules added"), comparison.added_rules),
        (Text("已取消规则", "Rules retired"), comparison.retired_rules),
    )
    for label, ids in groups:
        out.print(f"[bold]{escape(label.get(lang))}[/bold] ({len(ids)})")
        for rule_id in ids:
            change = comparison.rule(rule_id)
            before = STATUS_TEXT[change.status_then].get(lang) if change.status_then else "-"
            after = STATUS_TEXT[change.status_now].get(lang) if change.status_now else "-"
            kind = CHANGE_TEXT[change.change].get(lang)
            out.print(f"  {rule(rule_id)}  [{before} → {after}, {kind}]", markup=False)
