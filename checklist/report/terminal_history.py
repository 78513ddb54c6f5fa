"""The terminal tables printed by ``checklist history list|show|rescore``.

Grades are shown by their title in the pack that gave them when that pack is
among ``packs`` (the built-in ones), else by id. Text the unit typed is
escaped so that ``[bold]`` in a unit name prints as itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from checklist.display import STATUS_TEXT, number
from checklist.model import RulePack
from checklist.saved import Entry, RescoreReport, StoredAssessment
from checklist.text import Lang, Text

if TYPE_CHECKING:
    from rich.console import Console


def _grade(packs: Mapping[str, RulePack], pack_id: str, grade: str, lang: Lang) -> str:
    pack = packs.get(pack_id)
    return pack.title_of(grade).get(lang) if pack is not None else grade


def print_entries(
    entries: Sequence[Entry],
    database: Path,
    packs: Mapping[str, RulePack],
    lang: Lang,
    console: Console,
) -> None:
    """The saved assessments of ``database``, one row each."""
    from rich.markup import escape
    from rich.table import Table

    if not entries:
        console.print(
            escape(
                Text(
                    f"{database} 中没有已保存的自评。", f"No saved assessments in {database}."
                ).get(lang)
            )
        )
        return
    # One pack for every row (the usual case) is said once, under the table,
    # so the table fits 80 columns; otherwise each row names its packs.
    packs_differ = len({(e.pack, e.scored_pack) for e in entries}) > 1
    heads = {
        Lang.zh: ("单位", "年度", "所属镇", "总分", "等次", "评分规则包（保存时）", "来源文件"),
        Lang.en: ("Unit", "Year", "Town", "Total", "Grade", "Scored by (when saved)", "Source"),
    }[lang]
    table = Table(title=escape(str(database)))
    for index, head in enumerate(heads):
        if index == 5 and not packs_differ:
            continue
        table.add_column(
            head,
            justify="right" if index in (1, 3) else "left",
            overflow="fold",
            no_wrap=index in (1, 3, 4),
            ratio=2 if index in (0, 6) else None,
        )
    for entry in entries:
        by = str(entry.pack) + (
            f" ({entry.scored_pack})" if entry.scored_pack != entry.pack else ""
        )
        table.add_row(
            escape(entry.unit_name),
            str(entry.year),
            escape(entry.town),
            number(entry.total),
            escape(_grade(packs, entry.pack.id, entry.grade, lang)),
            *((escape(by),) if packs_differ else ()),
            escape(entry.source_name),
        )
    console.print(table)
    if not packs_differ:
        only = entries[0]
        console.print(
            escape(Text(f"全部按 {only.pack} 评分。", f"All scored under {only.pack}.").get(lang)),
            soft_wrap=True,
        )


def print_stored(
    stored: StoredAssessment, packs: Mapping[str, RulePack], lang: Lang, console: Console
) -> None:
    """One saved assessment: unit, source, packs, scores and every raw answer."""
    from rich.markup import escape
    from rich.table import Table

    entry, result = stored.entry, stored.result
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
    scored_grade = _grade(packs, entry.scored_pack.id, scored.grade, lang)
    values = (
        entry.unit_name,
        entry.town or "-",
        str(entry.year),
        f"{entry.source_name or '-'}  sha256:{(entry.source_sha256 or '-')[:16]}",
        str(entry.pack),
        f"{entry.scored_pack} ({number(scored.total)} {scored_grade})",
        number(result.score.total),
        _grade(packs, entry.pack.id, result.score.grade, lang),
    )
    for label, value in zip(labels, values, strict=True):
        console.print(f"[bold]{escape(label)}[/bold]: {escape(value)}")
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
    console.print(table)


def print_rescore(report: RescoreReport, pack: RulePack, lang: Lang, console: Console) -> None:
    """What ``history rescore`` did under ``pack``: one row per assessment, then a summary."""
    from rich.markup import escape
    from rich.table import Table

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
            escape(pack.title_of(e.grade_after).get(lang)),
        )
    if report.entries:
        console.print(table)
    summary = Text(
        f"已按 {pack.title.zh} {pack.id} {pack.version} 重新评分 {len(report.entries)} 份自评，"
        f"{report.changed} 份得分或等次有变化；原始填报未改动。",
        f"Re-scored {len(report.entries)} assessments under {pack.title.en} {pack.id} "
        f"{pack.version}; {report.changed} changed score or grade. Raw answers were not touched.",
    )
    console.print(escape(summary.get(lang)), soft_wrap=True)
