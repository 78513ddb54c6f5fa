"""`checklist score` end to end through the CLI, on workbooks built in code, reports read back.

The unit is a village filling in the built-in grassroots pack. Its 2023 and
2024 forms share most answers (so most gaps persist) and differ on four rules
chosen to land in each group a year-over-year report shows:

- LEAD-08 passed in 2023 and fails in 2024: a new gap;
- SITE-01 failed in 2023 and passes in 2024: a closed gap;
- LIFE-06 fails both years: a persistent gap;
- COV-09 was half done in 2023 and fails in 2024: a persistent gap that got worse.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from checklist.compare import compare
from checklist.history import DB_ENV_VAR, open_history
from checklist.model import RulePack, Status
from checklist.pipeline import assess_file
from checklist.rulepack import load_pack
from tests.conftest import Cli
from tests.forms import Filled, Form, clean_form, sample_answers

NEW, CLOSED, PERSISTENT, WORSE = "LEAD-08", "SITE-01", "LIFE-06", "COV-09"
TEXT_RULE = "LEAD-03"
"""A text answer (分管负责人姓名及职务): where a unit could type anything."""
FORMULA = '=HYPERLINK("http://x","y")'

CHANGES: dict[int, dict[str, str | int]] = {
    # COV-08: the village has League members, so the League rules are on its form.
    2023: {NEW: "是", CLOSED: "否", PERSISTENT: "否", WORSE: "基本落实", "COV-08": 12},
    2024: {NEW: "否", CLOSED: "是", PERSISTENT: "否", WORSE: "否", "COV-08": 12},
}


@pytest.fixture(scope="module")
def pack() -> RulePack:
    return load_pack("grassroots")


@pytest.fixture(autouse=True)
def _no_database_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DB_ENV_VAR, raising=False)
    monkeypatch.delenv("CHECKLIST_LANG", raising=False)


def make_form(pack: RulePack, folder: Path, year: int, text_answer: str | None = None) -> Path:
    """东林村's form for ``year`` in the template layout (``东林村<year>.xlsx`` in ``folder``)."""
    answers = sample_answers(pack, "village", seed=7)
    answers.update({rule_id: Filled(value) for rule_id, value in CHANGES[year].items()})
    folder.mkdir(parents=True, exist_ok=True)
    path = clean_form(
        pack, Form("城厢镇东林村", "村", year, "城厢镇", answers), folder / f"东林村{year}.xlsx"
    )
    if text_answer is not None:
        # Typed into the cell as text (as Excel does after a leading apostrophe),
        # not as a formula: the unit's words, which the report must show as typed.
        book = openpyxl.load_workbook(path)
        sheet = book["自评表"]
        row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == TEXT_RULE)
        row[4].value = text_answer
        row[4].data_type = "s"
        book.save(path)
    return path


def _cells(ws: Worksheet) -> list[Cell]:
    return [c for row in ws.iter_rows() for c in row if c.value is not None]


def _find(ws: Worksheet, value: object) -> Cell:
    found = [c for c in _cells(ws) if c.value == value]
    assert found, f"{value!r} not on {ws.title}"
    return found[0]


def _right(ws: Worksheet, cell: Cell, columns: int) -> Any:
    return ws.cell(cell.row, cell.column + columns).value


def _table(ws: Worksheet) -> list[dict[str, Any]]:
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    heads = [str(h) for h in rows[0]]
    return [dict(zip(heads, row, strict=True)) for row in rows[1:]]


# --- where the report goes ---------------------------------------------------------------


def test_score_writes_the_report_into_the_current_folder(
    cli: Cli, pack: RulePack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = make_form(pack, tmp_path / "收件", 2024)
    monkeypatch.chdir(tmp_path)
    out = cli(["score", str(source)]).stdout
    report = tmp_path / "东林村2024-report.xlsx"
    assert report.is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["东林村2024-report.xlsx", "收件"]
    book = openpyxl.load_workbook(report)
    assert book.sheetnames == ["概览", "问题清单", "明细", "核查"]
    _, result = assess_file(source, pack)
    summary = book["概览"]
    assert _right(summary, _find(summary, "总分"), 2) == pytest.approx(result.score.total)
    # The summary names the unit, the score, the grade and where the report went.
    assert "城厢镇东林村 · 2024 · 村" in out
    assert "报告已写入" in out and "东林村2024-report.xlsx" in out
    assert pack.grade(result.score.grade).title.zh in out
    # No previous year was asked for: no tracking column, no history written.
    assert "跟踪\n较2023年" not in [c.value for c in book["问题清单"][1]]
    assert not (tmp_path / "checklist-history.db").exists()


def test_output_option_names_the_report(
    cli: Cli, pack: RulePack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = make_form(pack, tmp_path, 2024)
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "报告" / "东林村.xlsx"
    target.parent.mkdir()
    cli(["score", str(source), "-o", str(target)])
    assert openpyxl.load_workbook(target).sheetnames[0] == "概览"
    assert not (tmp_path / "东林村2024-report.xlsx").exists()


def test_output_ending_in_json_writes_the_json_result(
    cli: Cli, pack: RulePack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = make_form(pack, tmp_path, 2024)
    monkeypatch.chdir(tmp_path)
    cli(["score", str(source), "-o", "out.json"])
    data = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    _, result = assess_file(source, pack)
    assert data["unit"]["name"] == "城厢镇东林村" and data["unit"]["year"] == 2024
    assert data["score"]["total"] == pytest.approx(result.score.total)
    assert "previous" not in data
    assert not (tmp_path / "东林村2024-report.xlsx").exists()


def test_json_flag_prints_the_result_with_the_report_path(
    cli: Cli, pack: RulePack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = make_form(pack, tmp_path, 2024)
    monkeypatch.chdir(tmp_path)
    data = json.loads(cli(["score", str(source), "--json"]).stdout)
    assert Path(data["report"]) == tmp_path / "东林村2024-report.xlsx"
    assert Path(data["report"]).is_file()
    _, result = assess_file(source, pack)
    assert data["score"]["grade"] == result.score.grade
    assert [r["id"] for r in data["rules"]] == [r.rule_id for r in result.rules]


def test_output_equal_to_the_input_is_refused(
    cli: Cli, pack: RulePack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = make_form(pack, tmp_path, 2024)
    before = source.read_bytes()
    monkeypatch.chdir(tmp_path)
    for target in (str(source), "东林村2024.xlsx", "./东林村2024.xlsx"):
        refused = cli(["score", str(source), "-o", target], code=2)
        assert len(refused.stderr.strip().splitlines()) == 1, refused.stderr
        assert source.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["东林村2024.xlsx"]


def test_english_report_and_summary(
    cli: Cli, pack: RulePack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = make_form(pack, tmp_path, 2024)
    monkeypatch.chdir(tmp_path)
    out = cli(["score", str(source), "--lang", "en"]).stdout
    book = openpyxl.load_workbook(tmp_path / "东林村2024-report.xlsx")
    assert book.sheetnames == ["Summary", "Gaps", "Details", "Audit"]
    assert "Priority actions" in out and "Report written to" in out
    gaps = _table(book["Gaps"])
    assert all(row["Indicator"] == pack.rule(row["Id"]).indicator.en for row in gaps)


def test_a_file_that_is_not_a_workbook_is_one_line_on_stderr(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    bogus = tmp_path / "东林村.xlsx"
    bogus.write_bytes(b"this is a letter, not a spreadsheet\n")
    refused = cli(["score", str(bogus)], code=2)
    assert len(refused.stderr.strip().splitlines()) == 1, refused.stderr
    assert "东林村.xlsx" in refused.stderr
    assert refused.stdout == ""
    missing = cli(["score", str(tmp_path / "没有这个文件.xlsx")], code=2)
    assert len(missing.stderr.strip().splitlines()) == 1, missing.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["东林村.xlsx"]


def test_typed_formula_stays_text_in_the_report(
    cli: Cli, pack: RulePack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = make_form(pack, tmp_path, 2024, text_answer=FORMULA)
    monkeypatch.chdir(tmp_path)
    cli(["score", str(source)])
    book = openpyxl.load_workbook(tmp_path / "东林村2024-report.xlsx")
    row = next(r for r in _table(book["明细"]) if r["编号"] == TEXT_RULE)
    assert row["单位填报"] == FORMULA
    cell = _find(book["明细"], FORMULA)
    assert cell.data_type == "s" and cell.quotePrefix
    for ws in book.worksheets:
        assert all(c.data_type != "f" for c in _cells(ws)), ws.title


# --- history and the change since last year -------------------------------------------------


def test_saving_a_year_twice_needs_replace(
    cli: Cli, pack: RulePack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = make_form(pack, tmp_path, 2024)
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "tmp" / "h.db"
    db.parent.mkdir()
    cli(["score", str(source), "--save", "--db", str(db)])
    again = cli(["score", str(source), "--save", "--db", str(db)], code=2)
    assert "--replace" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1, again.stderr
    cli(["score", str(source), "--save", "--replace", "--db", str(db)])
    with open_history(db) as history:
        assert [e.year for e in history.list_assessments()] == [2024]


@pytest.fixture
def two_years(
    cli: Cli, pack: RulePack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, Path, Path]:
    """2023 scored and saved; 2024 written but not yet scored. (2023 form, 2024 form, db)."""
    old = make_form(pack, tmp_path / "收件", 2023)
    new = make_form(pack, tmp_path / "收件", 2024)
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "tmp" / "h.db"
    db.parent.mkdir()
    out = cli(["score", str(old), "--save", "--db", str(db)]).stdout
    assert not any(line.startswith("较") for line in out.splitlines())  # nothing earlier
    return old, new, db


def test_second_year_report_shows_the_change_and_marks_the_gaps(
    cli: Cli, pack: RulePack, tmp_path: Path, two_years: tuple[Path, Path, Path]
) -> None:
    old, new, db = two_years
    # Wide enough for the change line to stay on one line.
    out = cli(["score", str(new), "--save", "--db", str(db)], env={"COLUMNS": "200"}).stdout

    then, now = assess_file(old, pack)[1], assess_file(new, pack)[1]
    expected = compare(then, now)
    assert expected.closed and expected.persistent and expected.new_gaps
    assert CLOSED in expected.closed and NEW in expected.new_gaps
    assert {PERSISTENT, WORSE} <= set(expected.persistent)
    assert now.rule(WORSE).status is Status.fail and then.rule(WORSE).status is Status.partial

    book = openpyxl.load_workbook(tmp_path / "东林村2024-report.xlsx")
    summary = book["概览"]
    _find(summary, "一、与上一年度比较（2023年 → 2024年）")
    head = _find(summary, "项目")
    heads = [summary.cell(head.row, c).value for c in range(1, 13)]
    assert heads == [
        "项目",
        None,
        "2023年",
        None,
        "2024年",
        None,
        "变化",
        None,
        "已整改",
        "新增问题",
        "持续问题",
        "其中退步",
    ]
    total = [summary.cell(head.row + 1, c).value for c in range(1, 13)]
    overall = expected.overall
    # Both the persistent gap that got worse and the new gap that was met last year.
    assert sorted(expected.regressed) == sorted([NEW, WORSE])
    assert total == [
        "总分",
        None,
        pytest.approx(overall.total_then),
        None,
        pytest.approx(overall.total_now),
        None,
        pytest.approx(overall.total_delta),
        None,
        len(expected.closed),
        len(expected.new_gaps),
        len(expected.persistent),
        len(expected.regressed),
    ]
    delta_cell = summary.cell(head.row + 1, 7)
    assert delta_cell.number_format == "+0.0#;-0.0#;0.0"
    rises = overall.total_delta > 0
    assert delta_cell.fill.fgColor.rgb == ("FFC6EFCE" if rises else "FFFFC7CE")
    grade = [summary.cell(head.row + 2, c).value for c in (1, 3, 5)]
    assert grade == [
        "等次",
        pack.grade(overall.grade_then).title.zh,
        pack.grade(overall.grade_now).title.zh,
    ]
    closed_label = _find(summary, "已整改的问题")
    assert _right(summary, closed_label, 2) == "、".join(expected.closed)
    # Like for like: history re-scored 2023 under the pack that scored 2024.
    assert _packs_note(summary) == (
        f"2023年与2024年均按本报告的规则包（{pack.title.zh} grassroots {pack.version}）"
        "计分，两年可直接比较。"
    )
    # The area table gains the change per area, next to its status.
    area_head = _find(summary, "领域")
    assert summary.cell(area_head.row, 8).value == "较2023年"
    for n, change in enumerate(expected.areas, start=1):
        assert summary.cell(area_head.row + n, 1).value == pack.area(change.area).title.zh
        assert summary.cell(area_head.row + n, 8).value == pytest.approx(change.delta)

    gaps = _table(book["问题清单"])
    marks = {row["编号"]: row["跟踪\n较2023年"] for row in gaps}
    assert (marks[NEW], marks[PERSISTENT], marks[WORSE]) == ("退步", "持续", "退步")
    assert CLOSED not in marks
    assert {k for k, v in marks.items() if v == "退步"} == set(expected.regressed)
    assert {k for k, v in marks.items() if v == "新增"} == set(expected.new_gaps) - {NEW}
    assert {k for k, v in marks.items() if v == "持续"} == set(expected.persistent) - {WORSE}
    # The gap order is the report's usual one: severity, then points lost.
    without = book_without_history(cli, new, tmp_path)
    assert [row["编号"] for row in gaps] == [row["编号"] for row in without]

    # The terminal summary says the same in one line.
    line = next(x for x in out.splitlines() if x.startswith("较2023年"))
    assert f"已整改 {len(expected.closed)} 项" in line
    assert f"新增问题 {len(expected.new_gaps)} 项" in line
    assert (
        f"持续问题 {len(expected.persistent)} 项（其中退步 {len(expected.regressed)} 项）" in line
    )
    with open_history(db) as history:
        assert [e.year for e in history.list_assessments()] == [2023, 2024]


def _packs_note(summary: Worksheet) -> str:
    return next(
        str(c.value) for c in _cells(summary) if str(c.value).startswith("2023年与2024年均按")
    )


def book_without_history(cli: Cli, source: Path, folder: Path) -> list[dict[str, Any]]:
    target = folder / "no-history.xlsx"
    cli(["score", str(source), "-o", str(target)])
    return _table(openpyxl.load_workbook(target)["问题清单"])


def test_db_without_save_shows_the_change_and_saves_nothing(
    cli: Cli, pack: RulePack, tmp_path: Path, two_years: tuple[Path, Path, Path]
) -> None:
    _, new, db = two_years
    out = cli(["score", str(new), "--db", str(db), "--lang", "en"]).stdout
    assert any(line.startswith("Since 2023") for line in out.splitlines()), out
    book = openpyxl.load_workbook(tmp_path / "东林村2024-report.xlsx")
    _find(book["Summary"], "1. Change since 2023")
    marks = {row["Id"]: row["Since 2023"] for row in _table(book["Gaps"])}
    # NEW was met last year: a new gap worse than then is marked regressed.
    assert (marks[NEW], marks[PERSISTENT], marks[WORSE]) == ("Regressed", "Persistent", "Regressed")
    with open_history(db) as history:
        assert [e.year for e in history.list_assessments()] == [2023]


def test_json_output_carries_the_previous_year(
    cli: Cli, pack: RulePack, tmp_path: Path, two_years: tuple[Path, Path, Path]
) -> None:
    old, new, db = two_years
    cli(["score", str(new), "--db", str(db), "-o", "2024.json"])
    data = json.loads((tmp_path / "2024.json").read_text(encoding="utf-8"))
    expected = compare(assess_file(old, pack)[1], assess_file(new, pack)[1])
    previous = data["previous"]
    assert previous["year"] == 2023
    assert previous["pack"] == {"id": "grassroots", "version": pack.version, "same": True}
    assert previous["total"] == {
        "then": expected.overall.total_then,
        "now": expected.overall.total_now,
        "delta": expected.overall.total_delta,
    }
    assert previous["gaps"] == {
        "closed": list(expected.closed),
        "new": list(expected.new_gaps),
        "persistent": list(expected.persistent),
        "regressed": list(expected.regressed),
    }


def test_a_report_that_cannot_be_written_saves_nothing(
    cli: Cli, pack: RulePack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = make_form(pack, tmp_path, 2024)
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "h.db"
    cli(["score", str(source), "--save", "--db", str(db), "-o", "missing/r.xlsx"], code=2)
    cli(["score", str(source), "--save", "--db", str(db), "-o", "r.xlsx"])  # no --replace needed
    with open_history(db) as history:
        assert [e.year for e in history.list_assessments()] == [2024]
