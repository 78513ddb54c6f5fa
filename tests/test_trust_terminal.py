"""What the terminal shows: every warning seen, nothing a unit typed acts on the screen,
tables that fit 80 columns (issue 13, items 2, 4 and 8).
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from rich.console import Console

from checklist.errors import ChecklistError
from checklist.history import DB_ENV_VAR, open_history
from checklist.model import RulePack
from checklist.report.terminal_console import SafeConsole
from checklist.report.terminal_history import print_entries
from checklist.report.terminal_trend import print_trend
from checklist.rulepack import load_pack
from checklist.text import Text, json_printable, printable
from checklist.trend import build_trend
from tests.conftest import Cli
from tests.forms import Filled, Form, clean_form, sample_answers

HOSTILE = "东林村\x1b]8;;http://evil\x07点我\x1b]8;;\x07\x1b[2J\x1b[31m\u202e\u2066红\x9b\x7f"
"""A unit name with a hyperlink, a clear-screen, a colour, bidi overrides, C1 and DEL."""
RAW_CONTROLS = ("\x1b", "\x07", "\x9b", "\x7f", "\u202e", "\u2066")


@pytest.fixture(scope="module")
def pack() -> RulePack:
    return load_pack("grassroots")


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(DB_ENV_VAR, raising=False)
    monkeypatch.delenv("CHECKLIST_LANG", raising=False)
    monkeypatch.chdir(tmp_path)


def _csv_form(pack: RulePack, name: str, path: Path) -> Path:
    """A village's form saved as CSV (the one format where a unit name can hold ESC)."""
    import csv
    import io

    answers = sample_answers(pack, "village", seed=5)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["单位名称", name, "", "年度", 2024])
    writer.writerow(["单位类型", "村", "", "所属镇（街道）", "城厢镇"])
    writer.writerow([])
    writer.writerow(["编号", "类别", "指标", "自评填报", "佐证材料"])
    for rule in pack.rules:
        filled = answers.get(rule.id, Filled(None))
        answer = "" if filled.answer is None else str(filled.answer)
        writer.writerow([rule.id, rule.area, rule.indicator.zh, answer, filled.evidence])
    path.write_text(buffer.getvalue(), encoding="utf-8-sig")
    return path


# --- item 4: terminal safety -----------------------------------------------------------


def test_printable_escapes_controls_and_bidi_and_keeps_text() -> None:
    assert printable("东林村\t第1行\n第2行") == "东林村\t第1行\n第2行"
    cleaned = printable(HOSTILE)
    assert not any(ch in cleaned for ch in RAW_CONTROLS)
    assert "\\x1b" in cleaned and "\\u202e" in cleaned and "\\x9b" in cleaned
    assert "点我" in cleaned and "红" in cleaned
    for ch in "\u200e\u200f\u061c\u202a\u2069\r\x00\x0b":
        assert ch not in printable(f"a{ch}b")
    assert json.loads(json_printable(json.dumps(HOSTILE, ensure_ascii=False))) == HOSTILE


def test_the_console_escapes_strings_table_cells_and_titles() -> None:
    from rich.table import Table

    console = SafeConsole(width=100, record=True, force_terminal=True, color_system=None)
    table = Table(title=HOSTILE)
    table.add_column(HOSTILE)
    table.add_row(HOSTILE)
    console.print(table)
    console.print(HOSTILE, markup=False)
    console.print(f"[bold]{HOSTILE}[/bold]")
    shown = console.export_text()
    assert not any(ch in shown for ch in RAW_CONTROLS)
    assert shown.count("\\x1b") >= 4


def test_a_hostile_unit_name_prints_escaped_in_the_score_summary(
    cli: Cli, pack: RulePack, tmp_path: Path
) -> None:
    form = _csv_form(pack, HOSTILE, tmp_path / "f.csv")
    result = cli(["score", str(form), "-o", "r.xlsx"])
    assert not any(ch in result.stdout for ch in RAW_CONTROLS), result.stdout
    assert "\\x1b" in result.stdout
    as_json = cli(["score", str(form), "-o", "r.xlsx", "--json"])
    assert not any(ch in as_json.stdout for ch in RAW_CONTROLS)
    assert json.loads(as_json.stdout)["unit"]["name"] == HOSTILE  # the data itself is kept


def test_a_hostile_file_name_prints_escaped_in_an_error(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "x\x1b[2J\u202e.xlsx"
    bad.write_bytes(b"not a workbook")
    result = cli(["score", str(bad)], code=2)
    assert not any(ch in result.stderr for ch in RAW_CONTROLS)
    assert "\\x1b" in result.stderr


def test_error_lines_are_escaped() -> None:
    error = ChecklistError(
        Text(f"坏 {HOSTILE}", f"bad {HOSTILE}"), details=(Text(HOSTILE, HOSTILE),)
    )
    shown = error.render("en")
    assert not any(ch in shown for ch in RAW_CONTROLS)
    assert len(shown.splitlines()) == 2


def test_history_remove_echo_is_escaped(cli: Cli, pack: RulePack, tmp_path: Path) -> None:
    form = _csv_form(pack, HOSTILE, tmp_path / "f.csv")
    cli(["score", str(form), "--save", "--db", "h.db", "-o", "r.xlsx"])
    listed = cli(["history", "list", "--db", "h.db"])
    assert not any(ch in listed.stdout for ch in RAW_CONTROLS)
    removed = cli(["history", "remove", HOSTILE, "2024", "--db", "h.db", "--yes"])
    assert not any(ch in removed.stdout for ch in RAW_CONTROLS)
    assert "\\x1b" in removed.stdout


# --- item 2: warnings in the terminal -------------------------------------------------


def _noisy_form(pack: RulePack, folder: Path) -> Path:
    """A village form with no unit name, unreadable answers and an unmatched row."""
    answers = sample_answers(pack, "village", seed=9)
    numbers = [r.id for r in pack.rules if r.answer.type.value == "count" and r.id in answers]
    for rule_id in numbers[:3]:
        answers[rule_id] = Filled("很多")
    path = clean_form(
        pack, Form("", "村", 2024, "城厢镇", answers), folder / "2024年度群团工作自评表.xlsx"
    )
    book = openpyxl.load_workbook(path)
    book["自评表"].append(["", "", "本单位自行增加的一项完全无关的工作内容", "", "是"])
    book.save(path)
    return path


def test_the_summary_ends_with_the_intake_notes_by_kind(
    cli: Cli, pack: RulePack, tmp_path: Path
) -> None:
    form = _noisy_form(pack, tmp_path)
    out = cli(["score", str(form), "-o", "r.xlsx", "--lang", "en"]).stdout
    assert not out.lstrip().startswith("·"), out[:200]
    assert out.splitlines()[0].startswith("unit name missing")
    notes = out[out.index("Intake notes") :]
    assert "unit information" in notes
    assert "unreadable answers 3" in notes
    assert "unmatched rows 1" in notes
    assert "很多" in notes and "自评表!E" in notes  # the first few, with their cells
    zh = cli(["score", str(form), "-o", "r.xlsx"]).stdout
    assert zh.splitlines()[0].startswith("单位名称缺失")
    assert "核查提示" in zh and "无法识别的答案 3" in zh
    quiet = cli(["score", str(form), "-o", "r.xlsx", "--quiet", "--lang", "en"]).stdout
    assert "Intake notes" not in quiet and "很多" not in quiet


def test_a_clean_form_prints_no_notes(cli: Cli, pack: RulePack, tmp_path: Path) -> None:
    answers = sample_answers(pack, "village", seed=9)
    form = clean_form(
        pack, Form("城厢镇东林村", "村", 2024, "城厢镇", answers), tmp_path / "c.xlsx"
    )
    out = cli(["score", str(form), "-o", "r.xlsx", "--lang", "en"]).stdout
    assert "Intake notes" not in out


# --- item 8: tables at 80 columns -----------------------------------------------------


def _fits(console: Console, *must_show: str) -> str:
    """The recorded output: no line wider than 80 cells, every value in ``must_show`` whole."""
    from rich.cells import cell_len

    text = console.export_text()
    assert all(cell_len(line) <= 80 for line in text.splitlines()), text
    for value in must_show:
        assert value in text, (value, text)
    return text


def test_history_list_and_trend_fit_80_columns(pack: RulePack, tmp_path: Path) -> None:
    from checklist.pipeline import assess_file

    db = tmp_path / "h.db"
    long_name = "江苏省太仓市城厢镇东林村村民委员会党总支部群团工作领导小组"
    with open_history(db) as history:
        for year in range(2016, 2025):
            answers = sample_answers(pack, "village", seed=year)
            form = clean_form(
                pack,
                Form(long_name, "村", year, "城厢镇", answers),
                tmp_path / f"{long_name}{year}年度群团工作自评表（终稿）.xlsx",
            )
            assessment, result = assess_file(form, pack)
            history.save(assessment, result, source=form)
        entries = history.list_assessments()
        found = history.unit_history("东林村")
    console = Console(width=80, record=True, color_system=None)
    print_entries(entries, db, {pack.id: pack}, "zh", console)  # type: ignore[arg-type]
    scores = [f"{e.total:g}" for e in entries]
    _fits(console, *(str(y) for y in range(2016, 2025)), *scores)
    trend = build_trend(found.unit, found.assessments, pack)
    console = Console(width=80, record=True, color_system=None)
    print_trend(trend, pack, "zh", console)  # type: ignore[arg-type]
    _fits(console, *(str(y.year) for y in trend.years), *(f"{y.total:g}" for y in trend.years))
