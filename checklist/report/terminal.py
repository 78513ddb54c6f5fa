"""The short terminal summary printed by ``checklist score``.

Shows the same numbers as the report's summary sheet (from
:mod:`checklist.gaps`): unit, year, score, grade and the veto that capped it,
the area table, the top five actions and where the report went; given the
comparison with the unit's previous year, one more line with the change since
then and a change column in the area table. Text the unit typed is escaped so
that ``[bold]`` in a unit name prints as itself.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from checklist.codes import NoteCode
from checklist.display import SEVERITY_TEXT, number, signed
from checklist.gaps import LEVEL_TEXT, Level, PreviousYear, analyse, grade_text, waiver_text
from checklist.model import IntakeNote, NoteLevel, Result, RulePack, Severity, Status, pack_name
from checklist.text import Text

if TYPE_CHECKING:
    from rich.console import Console

    from checklist.compare import Comparison

_L: dict[str, Text] = {
    "score": Text("总分", "Total"),
    "score_value": Text(
        "{total}（基础得分 {base} + 加分 {bonus}）", "{total} (base {base} + bonus {bonus})"
    ),
    "grade": Text("等次", "Grade"),
    "complete": Text("填报", "Answered"),
    "complete_value": Text(
        "{answered}/{applicable} 项适用指标已填报", "{answered} of {applicable} applicable rules"
    ),
    "gaps": Text("问题", "Gaps"),
    "gaps_value": Text("{total} 项：{parts}", "{total}: {parts}"),
    "area": Text("领域", "Area"),
    "area_score": Text("得分率", "Score"),
    "points": Text("得分/应得", "Earned/possible"),
    "gap_count": Text("问题数", "Gaps"),
    "level": Text("状态", "Status"),
    "actions": Text("优先整改事项", "Priority actions"),
    "id": Text("编号", "Id"),
    "indicator": Text("指标", "Indicator"),
    "lost": Text("失分", "Lost"),
    "severity": Text("严重程度", "Severity"),
    "recommendation": Text("建议", "Recommendation"),
    "veto": Text("【否决】", "[veto] "),
    "no_actions": Text("无：所有适用指标均已达标。", "None: every applicable rule passed."),
    "report": Text("报告已写入：{path}", "Report written to {path}"),
    "no_year": Text("年度不详", "year unknown"),
    "since": Text("较{year}年", "Since {year}"),
    "since_unknown": Text("较上一年度", "Since last year"),
    "change_value": Text(
        "总分 {delta}（{then} → {now}），等次 {grade_then} → {grade_now}；"
        "已整改 {closed} 项，新增问题 {new} 项，持续问题 {persistent} 项（其中退步 {worse} 项）",
        "total {delta} ({then} → {now}), grade {grade_then} → {grade_now}; "
        "{closed} gaps closed, {new} new, {persistent} persistent ({worse} worse)",
    ),
    "other_pack": Text("（上一年度按 {pack} 计分）", " (last time scored under {pack})"),
    "area_delta": Text("变化", "Change"),
    "no_name": Text("单位名称缺失", "unit name missing"),
    "notes": Text("核查提示 {total} 条：{parts}", "Intake notes, {total}: {parts}"),
    "notes_more": Text(
        "另有 {count} 条见报告的核查表（--quiet 不显示这些提示）。",
        "{count} more in the report's check sheet (--quiet hides these notes).",
    ),
}

NOTES_SHOWN = 5
"""How many intake notes the summary lists one by one; the rest are counted."""


class NoteKind(StrEnum):
    """What an intake note is about, most urgent first, as the summary groups them."""

    unit = "unit"
    unreadable = "unreadable"
    unmatched = "unmatched"
    doubt = "doubt"
    guess = "guess"


NOTE_KIND_TEXT: dict[NoteKind, Text] = {
    NoteKind.unit: Text("单位信息", "unit information"),
    NoteKind.unreadable: Text("无法识别的答案", "unreadable answers"),
    NoteKind.unmatched: Text("未匹配的行", "unmatched rows"),
    NoteKind.doubt: Text("需核对", "worth a look"),
    NoteKind.guess: Text("推断", "guesses"),
}
_NOTE_KIND_STYLE = {
    NoteKind.unit: "bold red",
    NoteKind.unreadable: "red",
    NoteKind.unmatched: "yellow",
    NoteKind.doubt: "yellow",
    NoteKind.guess: "cyan",
}
_UNIT_CODES = frozenset({NoteCode.unreadable_year, NoteCode.unknown_unit_type})


def note_kind(note: IntakeNote) -> NoteKind:
    """The group ``note`` is counted in: the unit's name, year or type first, then by level."""
    # str(): a note read back from JSON may carry its code as a plain string.
    if str(note.code).startswith(("unit_", "year_")) or note.code in _UNIT_CODES:
        return NoteKind.unit
    if note.code == NoteCode.unmatched_row:
        return NoteKind.unmatched
    if note.level is NoteLevel.error:
        return NoteKind.unreadable
    return NoteKind.doubt if note.level is NoteLevel.warning else NoteKind.guess


_UNKNOWN = "—"
"""Shown in the terminal for a score or change that cannot be computed."""
_LEVEL_STYLE = {Level.good: "green", Level.fair: "yellow", Level.weak: "red", Level.none: "dim"}
_SEVERITY_STYLE = {Severity.critical: "bold red", Severity.major: "yellow", Severity.minor: "cyan"}


def _delta_style(value: float | None) -> str:
    if value is None or abs(value) < 0.005:
        return "dim"
    return "green" if value > 0 else "red"


def change_line(previous: PreviousYear, lang: str) -> str:
    """The one line on the change since the previous year (rich markup; unit text escaped)."""
    from rich.markup import escape

    text = _L["change_value"].get(lang)
    line = text.format(
        delta=f"[{_delta_style(previous.delta)}]{signed(previous.delta)}[/]",
        then=number(previous.total_then),
        now=number(previous.total_now),
        grade_then=escape(previous.grade_then.get(lang)),
        grade_now=escape(previous.grade_now.get(lang)),
        closed=len(previous.closed),
        new=len(previous.new_gaps),
        persistent=len(previous.persistent),
        worse=len(previous.regressed),
    )
    if not previous.same_pack:
        line += escape(_L["other_pack"].get(lang).format(pack=previous.pack))
    return line


def print_summary(
    result: Result,
    pack: RulePack,
    lang: str,
    console: Console,
    report_path: Path | None = None,
    *,
    comparison: Comparison | None = None,
    notes: bool = True,
) -> None:
    """Print the summary of ``result`` (scored with ``pack``) on a rich ``console``.

    With ``comparison`` (the unit's previous year against ``result``), also the
    change since that year. With ``notes``, it ends with the intake notes:
    their count by kind and the first few with their cells.
    """
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    analysis = analyse(result, pack, comparison=comparison)
    previous = analysis.previous
    unit = result.unit
    score = result.score

    def t(key: str) -> str:
        return _L[key].get(lang)

    name = unit.name.strip()
    head = [f"[bold]{escape(name)}[/bold]" if name else f"[bold red]{t('no_name')}[/]"]
    head.append(str(unit.year) if unit.year else t("no_year"))
    if analysis.unit_type is not None:
        head.append(analysis.unit_type.get(lang))
    if unit.town:
        head.append(escape(unit.town))
    head.append(
        escape(
            pack_name(
                pack.title.get(lang), result.pack_id, result.pack_version, result.pack_base, lang
            )
        )
    )
    console.print(" · ".join(head))

    grade_style = "bold red" if analysis.vetoes else "bold"
    severity_parts = ("，" if lang != "en" else ", ").join(
        f"{SEVERITY_TEXT[s].get(lang)} {n}" for s, n in analysis.by_severity
    )
    missing = sum(1 for g in analysis.gaps if g.result.status is Status.missing)
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    facts.add_row(
        t("score"),
        t("score_value").format(
            total=number(score.total), base=number(score.base), bonus=number(score.bonus)
        ),
    )
    facts.add_row(t("grade"), f"[{grade_style}]{escape(grade_text(analysis).get(lang))}[/]")
    facts.add_row(
        t("complete"),
        t("complete_value").format(
            answered=result.completeness.answered, applicable=result.completeness.applicable
        )
        + (f"（{missing} 项未填）" if lang != "en" and missing else "")
        + (f" ({missing} blank)" if lang == "en" and missing else ""),
    )
    facts.add_row(t("gaps"), t("gaps_value").format(total=len(analysis.gaps), parts=severity_parts))
    for waiver in result.waivers:
        facts.add_row(
            Text("豁免", "Waived").get(lang),
            escape(f"{waiver.rule_id} " + waiver_text(waiver).get(lang)),
        )
    if previous is not None:
        since = (
            t("since").format(year=previous.year)
            if previous.year is not None
            else t("since_unknown")
        )
        facts.add_row(since, change_line(previous, lang))
    console.print(facts)

    areas = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    areas.add_column(t("area"))
    areas.add_column(t("area_score"), justify="right")
    areas.add_column(t("points"), justify="right")
    areas.add_column(t("gap_count"), justify="right")
    areas.add_column(t("level"))
    if previous is not None:
        areas.add_column(t("area_delta"), justify="right")
    for row in analysis.areas:
        style = _LEVEL_STYLE[row.level]
        shown = _UNKNOWN if row.result.score is None else f"{row.result.score:.1f}"
        cells = [
            escape(row.area.title.get(lang)),
            f"[{style}]{shown}[/]",
            f"{number(row.result.earned)}/{number(row.result.possible)}",
            str(row.gaps),
            f"[{style}]{LEVEL_TEXT[row.level].get(lang)}[/]",
        ]
        if previous is not None:
            cells.append(f"[{_delta_style(row.delta)}]{signed(row.delta, _UNKNOWN)}[/]")
        areas.add_row(*cells)
    console.print(areas)

    console.print(f"[bold]{t('actions')}[/bold]")
    if not analysis.actions:
        console.print(f"  {t('no_actions')}")
    else:
        actions = Table(box=box.SIMPLE_HEAD, pad_edge=False)
        actions.add_column("#", justify="right")
        actions.add_column(t("id"), no_wrap=True)
        actions.add_column(t("indicator"), ratio=2, overflow="fold")
        actions.add_column(t("lost"), justify="right")
        actions.add_column(t("severity"), no_wrap=True)
        actions.add_column(t("recommendation"), ratio=3, overflow="fold")
        for action in analysis.actions:
            gap = action.gap
            indicator = escape(gap.rule.indicator.get(lang))
            if gap.vetoed:
                indicator = f"[bold red]{escape(t('veto'))}[/]" + indicator
            actions.add_row(
                str(action.rank),
                escape(gap.rule.id),
                indicator,
                number(gap.lost),
                f"[{_SEVERITY_STYLE[gap.severity]}]{SEVERITY_TEXT[gap.severity].get(lang)}[/]",
                escape(action.recommendation.get(lang)),
            )
        console.print(actions)

    if notes:
        print_notes(result.notes, lang, console)
    if report_path is not None:
        # Not hard-wrapped: a path broken across lines cannot be copied.
        console.print(t("report").format(path=escape(str(report_path))), soft_wrap=True)


def print_notes(notes: Sequence[IntakeNote], lang: str, console: Console) -> None:
    """The intake notes: a count by kind, then the most urgent few with sheet and cell."""
    from rich.markup import escape

    if not notes:
        return
    ranked = sorted(notes, key=lambda n: list(NoteKind).index(note_kind(n)))
    counts = Counter(note_kind(n) for n in notes)
    separator = "，" if lang != "en" else ", "
    parts = separator.join(
        f"[{_NOTE_KIND_STYLE[kind]}]{NOTE_KIND_TEXT[kind].get(lang)} {counts[kind]}[/]"
        for kind in NoteKind
        if counts[kind]
    )
    console.print(_L["notes"].get(lang).format(total=len(notes), parts=parts), soft_wrap=True)
    for note in ranked[:NOTES_SHOWN]:
        where = f"{note.sheet}!{note.cell}" if note.sheet and note.cell else note.cell
        kind = note_kind(note)
        label = f"[{_NOTE_KIND_STYLE[kind]}]{NOTE_KIND_TEXT[kind].get(lang)}[/]"
        cell = f" {escape(where)}" if where else ""
        console.print(f"  {label}{cell}  {escape(note.message.get(lang))}", soft_wrap=True)
    if len(notes) > NOTES_SHOWN:
        console.print(
            f"  {escape(_L['notes_more'].get(lang).format(count=len(notes) - NOTES_SHOWN))}",
            soft_wrap=True,
        )
