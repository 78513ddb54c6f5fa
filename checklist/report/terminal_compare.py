"""The terminal summary printed by ``checklist compare``.

The headline change, whether both years were scored by one pack, the area
table and each group of rules (closed, new, persistent, regressed, added,
retired gaps). Texts come from the pack when there is one; without it (JSON
results of an unknown pack) areas, grades and rules show by id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from checklist.compare import CHANGE_TEXT, Comparison
from checklist.display import STATUS_TEXT, number, signed
from checklist.model import RulePack
from checklist.text import Lang, Text

if TYPE_CHECKING:
    from rich.console import Console


def print_comparison(
    comparison: Comparison, pack: RulePack | None, lang: Lang, console: Console
) -> None:
    """Print ``comparison`` on a rich ``console``, labelled with ``pack``'s texts when given."""
    from rich.markup import escape
    from rich.table import Table

    def title(item_id: str) -> str:
        return pack.title_of(item_id).get(lang) if pack is not None else item_id

    def rule(rule_id: str) -> str:
        if pack is not None and rule_id in pack.rules_by_id:
            return f"{rule_id} {pack.rule(rule_id).indicator.get(lang)}"
        return rule_id

    def score(value: float | None) -> str:
        return "-" if value is None else number(value)

    overall = comparison.overall
    then_year = comparison.year_then or "?"
    now_year = comparison.year_now or "?"
    heading = Text(
        f"{comparison.unit_now.name}：{then_year} → {now_year}",
        f"{comparison.unit_now.name}: {then_year} → {now_year}",
    )
    console.print(f"[bold]{escape(heading.get(lang))}[/bold]")
    grades = title(overall.grade_then), title(overall.grade_now)
    headline = Text(
        f"总分 {number(overall.total_then)} → {number(overall.total_now)}"
        f"（{signed(overall.total_delta)}），等次 {grades[0]} → {grades[1]}",
        f"Total {number(overall.total_then)} → {number(overall.total_now)} "
        f"({signed(overall.total_delta)}), grade {grades[0]} → {grades[1]}",
    )
    console.print(escape(headline.get(lang)), soft_wrap=True)
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
    console.print(escape(packs.get(lang)), soft_wrap=True)
    if comparison.forced:
        console.print(
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
    for area in comparison.areas:
        table.add_row(
            escape(title(area.area)),
            score(area.score_then),
            score(area.score_now),
            signed(area.delta),
        )
    console.print(table)

    groups: tuple[tuple[Text, tuple[str, ...]], ...] = (
        (Text("已整改（原为问题，现达标）", "Closed (gap then, pass now)"), comparison.closed),
        (Text("新出现的问题", "New gaps"), comparison.new_gaps),
        (Text("持续存在的问题", "Persistent gaps (both years)"), comparison.persistent),
        (Text("退步", "Regressed"), comparison.regressed),
        (Text("新增规则", "Rules added"), comparison.added_rules),
        (Text("已取消规则", "Rules retired"), comparison.retired_rules),
    )
    # Waivers are rare: their groups are shown only when a rule is in one.
    groups += tuple(
        (label, ids)
        for label, ids in (
            (
                Text("已豁免（本年经批准豁免）", "Waived (an agreed exception now)"),
                comparison.waived,
            ),
            (Text("不再豁免", "No longer waived"), comparison.unwaived),
        )
        if ids
    )
    for label, ids in groups:
        console.print(f"[bold]{escape(label.get(lang))}[/bold] ({len(ids)})")
        for rule_id in ids:
            change = comparison.rule(rule_id)
            before = STATUS_TEXT[change.status_then].get(lang) if change.status_then else "-"
            after = STATUS_TEXT[change.status_now].get(lang) if change.status_now else "-"
            kind = CHANGE_TEXT[change.change].get(lang)
            console.print(f"  {rule(rule_id)}  [{before} → {after}, {kind}]", markup=False)
