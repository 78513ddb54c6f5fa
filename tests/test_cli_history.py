"""`checklist compare`, `checklist history …` and `checklist trend` through the CLI, workbooks read back."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from checklist.history import DB_ENV_VAR, open_history
from checklist.model import RulePack
from checklist.scoring import score
from checklist.serialize import result_to_dict
from tests.conftest import Cli
from tests.years import YEARS, assessment_for, make_packs, result_for

PASS_FILL = "FFC6EFCE"
FAIL_FILL = "FFFFC7CE"
MISSING_FILL = "FFFCE4D6"


@dataclass
class Setup:
    root: Path
    v1: RulePack
    v2: RulePack
    db: Path
    old: Path
    new: Path
    other: Path


def _write_result(path: Path, result: object) -> Path:
    path.write_text(json.dumps(result_to_dict(result), ensure_ascii=False), encoding="utf-8")  # type: ignore[arg-type]
    return path


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Setup:
    monkeypatch.delenv(DB_ENV_VAR, raising=False)
    v1, v2 = make_packs(tmp_path / "packs")
    db = tmp_path / "history.db"
    with open_history(db) as history:
        for year, pack in ((2022, v1), (2023, v1), (2024, v2)):
            history.save(assessment_for(year, pack), result_for(year, pack))
    old = _write_result(tmp_path / "东林村2023.json", result_for(2023, v1))
    new = _write_result(tmp_path / "东林村2024.json", result_for(2024, v2))
    other = _write_result(tmp_path / "西林村2024.json", result_for(2024, v2, name="西林村"))
    return Setup(tmp_path, v1, v2, db, old, new, other)


def _cells(ws: Worksheet) -> list[object]:
    return [c for row in ws.iter_rows() for c in row if c.value is not None]


def _find(ws: Worksheet, value: str) -> object:
    return next(c for c in _cells(ws) if c.value == value)  # type: ignore[attr-defined]


# --- compare -----------------------------------------------------------------------


def test_compare_prints_the_gap_lists(cli: Cli, setup: Setup) -> None:
    out = cli(["compare", str(setup.old), str(setup.new), "--lang", "en"]).stdout
    assert "2023 → 2024" in out
    assert "Total 42.86 → 50 (+7.14)" in out
    assert "different rule packs (mini 1.0 → mini 2.0)" in out
    assert "Closed (gap then, pass now) (2)" in out
    assert "New gaps (3)" in out
    assert "Persistent gaps (both years) (2)" in out
    assert "Rules retired (1)" in out and "OLD1" in out


def test_compare_json(cli: Cli, setup: Setup) -> None:
    data = json.loads(cli(["compare", str(setup.old), str(setup.new), "--json"]).stdout)
    assert data["gaps"] == {
        "closed": ["L2", "C3"],
        "new": ["L1", "L4", "NEW1"],
        "persistent": ["L3", "C1"],
        "regressed": ["L1"],
    }
    assert data["rules_added"] == ["NEW1", "NEW2"] and data["rules_retired"] == ["OLD1"]


def test_compare_orders_the_years(cli: Cli, setup: Setup) -> None:
    result = cli(["compare", str(setup.new), str(setup.old), "--json"])
    data = json.loads(result.stdout)
    assert data["unit"]["then"]["year"] == 2023 and data["unit"]["now"]["year"] == 2024
    assert "2023 → 2024" in result.stderr


def test_compare_with_rules_rescores_both_years_like_for_like(cli: Cli, setup: Setup) -> None:
    data = json.loads(
        cli(["compare", str(setup.old), str(setup.new), "--json", "--rules", setup.v2.path]).stdout
    )
    assert data["pack"]["same"] is True
    assert data["overall"]["total"] == {"then": 33.33, "now": 50.0, "delta": 16.67}
    assert data["rules_retired"] == [] and data["rules_added"] == []


def test_compare_refuses_a_different_unit_unless_forced(cli: Cli, setup: Setup) -> None:
    refused = cli(["compare", str(setup.old), str(setup.other)], code=2)
    assert "东林村" in refused.stderr and "西林村" in refused.stderr
    assert "--force" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    english = cli(["compare", str(setup.old), str(setup.other), "--lang", "en"], code=2)
    assert "different units" in english.stderr

    forced = cli(["compare", str(setup.old), str(setup.other), "--force", "--json"])
    assert json.loads(forced.stdout)["forced"] is True


def test_compare_rejects_a_file_that_is_not_a_result(cli: Cli, setup: Setup) -> None:
    bogus = setup.root / "bogus.json"
    bogus.write_text("{}", encoding="utf-8")
    result = cli(["compare", str(bogus), str(setup.new)], code=2)
    assert "checklist score --json" in result.stderr


def _risky_2024(setup: Setup) -> Path:
    """2024 as a result whose raw answer for C2 looks like a formula."""
    assessment = assessment_for(2024, setup.v2)
    answers = dict(assessment.answers)
    answers["C2"] = replace(answers["C2"], raw="=1+1")
    result = score(replace(assessment, answers=answers), setup.v2)
    return _write_result(setup.root / "东林村2024-risky.json", result)


def test_compare_workbook(cli: Cli, setup: Setup) -> None:
    target = setup.root / "对比.xlsx"
    out = cli(["compare", str(setup.old), str(_risky_2024(setup)), "-o", str(target)]).stdout
    assert str(target) in out
    book = load_workbook(target)
    assert book.sheetnames == ["概览", "问题变化", "逐项对比"]

    summary = book["概览"]
    assert len(summary._charts) == 1
    title = summary["A1"]
    assert title.data_type == "s" and "城厢镇东林村村委会" in str(title.value)
    # Unit names are strings, never formulas or numbers.
    for name in ("东林村", "城厢镇东林村村委会"):
        assert _find(summary, name).data_type == "s"  # type: ignore[attr-defined]
    assert summary.page_setup.orientation == "landscape"
    assert summary.page_setup.paperSize == 9  # A4

    rules = book["逐项对比"]
    assert rules.freeze_panes == "C2"
    assert rules.print_title_rows == "$1:$1"
    heads = [c.value for c in rules[1]]
    assert heads[:4] == ["编号", "指标", "2023状态", "2024状态"]
    rows = {row[0].value: row for row in rules.iter_rows(min_row=2) if row[0].value}
    l1 = rows["L1"]
    assert (l1[2].value, l1[3].value, l1[6].value) == ("达标", "未达标", "退步")
    assert l1[2].fill.fgColor.rgb == PASS_FILL
    assert l1[3].fill.fgColor.rgb == FAIL_FILL
    assert rows["C1"][3].fill.fgColor.rgb == MISSING_FILL
    assert rows["OLD1"][3].value == "-" and rows["OLD1"][6].value == "已取消规则"
    # The unit's own text: the raw answer "=1+1" stays a string.
    c2 = rows["C2"]
    assert c2[9].value == "=1+1" and c2[9].data_type == "s"

    gaps = book["问题变化"]
    values = [c.value for c in _cells(gaps)]  # type: ignore[attr-defined]
    assert "已整改（2）" in values and "持续存在的问题（2）" in values
    # These results came from a pack that is not built in and no --rules was
    # given: rules are shown by id, without texts.
    assert rows["L1"][1].value is None


def test_compare_workbook_in_english(cli: Cli, setup: Setup) -> None:
    target = setup.root / "compare.xlsx"
    args = ["compare", str(setup.old), str(setup.new), "-o", str(target), "--lang", "en"]
    cli([*args, "--rules", setup.v2.path, "--json"])
    book = load_workbook(target)
    assert book.sheetnames == ["Summary", "Gap changes", "Rule by rule"]
    rules = book["Rule by rule"]
    assert [c.value for c in rules[1]][:4] == ["Id", "Indicator", "2023 status", "2024 status"]
    l1 = next(row for row in rules.iter_rows(min_row=2) if row[0].value == "L1")
    assert l1[1].value == "Indicator L1"
    values = [c.value for c in _cells(book["Gap changes"])]  # type: ignore[attr-defined]
    assert "Recommendation L1" in values  # what to do about a new gap
    assert "Closed (3)" in values


def test_compare_never_writes_over_an_input(cli: Cli, setup: Setup) -> None:
    before = setup.old.read_bytes()
    result = cli(["compare", str(setup.old), str(setup.new), "-o", str(setup.old)], code=2)
    assert "-o" in result.stderr
    assert setup.old.read_bytes() == before


# --- history -----------------------------------------------------------------------


def test_history_list(cli: Cli, setup: Setup) -> None:
    data = json.loads(cli(["history", "list", "--db", str(setup.db), "--json"]).stdout)
    entries = data["assessments"]
    assert [e["year"] for e in entries] == [2022, 2023, 2024]
    assert {e["unit"]["key"] for e in entries} == {"东林村"}
    assert [e["pack"]["version"] for e in entries] == ["1.0", "1.0", "2.0"]
    table = cli(["history", "list", "--db", str(setup.db), "--unit", "城厢镇东林村"]).stdout
    assert "2022" in table and "2024" in table and "东林村" in table


def test_history_uses_the_environment_variable(
    cli: Cli, setup: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DB_ENV_VAR, str(setup.db))
    data = json.loads(cli(["history", "list", "--json"]).stdout)
    assert len(data["assessments"]) == 3


def test_history_without_a_database_says_where_it_looked(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(DB_ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)
    result = cli(["history", "list", "--lang", "en"], code=2)
    assert "checklist-history.db" in result.stderr and "--db" in result.stderr
    assert not (tmp_path / "checklist-history.db").exists()


def test_history_show(cli: Cli, setup: Setup) -> None:
    data = json.loads(
        cli(["history", "show", "東林村", "2024", "--db", str(setup.db), "--json"]).stdout
    )
    assert data["year"] == 2024 and data["unit"]["name"] == "城厢镇东林村村委会"
    assert data["answers"]["C3"] == {
        "state": "given",
        "raw": "是",
        "value": True,
        "cell": "自评表!E12",
        "evidence": "会议记录2024-03",
        "claimed": None,
        "match": {"method": "id", "confidence": 100.0},
    }
    assert data["result"]["score"]["total"] == 50.0
    text = cli(["history", "show", "东林村", "2023", "--db", str(setup.db), "--lang", "en"]).stdout
    assert "OLD1" in text and "Unsupported" in text

    missing = cli(["history", "show", "东林村", "2019", "--db", str(setup.db)], code=2)
    assert "2022" in missing.stderr  # lists the saved years
    unknown = cli(["history", "show", "西林村", "2024", "--db", str(setup.db)], code=2)
    assert "西林村" in unknown.stderr


def test_history_remove(cli: Cli, setup: Setup) -> None:
    out = cli(
        ["history", "remove", "东林村", "2023", "--db", str(setup.db), "--lang", "en", "--yes"]
    ).stdout
    assert "Removed the 2023 assessment" in out
    data = json.loads(cli(["history", "list", "--db", str(setup.db), "--json"]).stdout)
    assert [e["year"] for e in data["assessments"]] == [2022, 2024]
    cli(["history", "remove", "东林村", "2023", "--db", str(setup.db), "--yes"], code=2)


def test_history_rescore(cli: Cli, setup: Setup) -> None:
    with sqlite3.connect(setup.db) as connection:
        raw_before = connection.execute("SELECT * FROM answers ORDER BY 1, 2").fetchall()
    data = json.loads(
        cli(
            ["history", "rescore", "--rules", setup.v2.path, "--db", str(setup.db), "--json"]
        ).stdout
    )
    assert data["pack"] == {"id": "mini", "version": "2.0"}
    totals = {e["year"]: e["total"] for e in data["assessments"]}
    assert totals == {
        2022: {"before": 0.0, "after": 0.0},
        2023: {"before": 42.86, "after": 33.33},
        2024: {"before": 50.0, "after": 50.0},
    }
    assert data["changed"] == 1
    with sqlite3.connect(setup.db) as connection:
        assert connection.execute("SELECT * FROM answers ORDER BY 1, 2").fetchall() == raw_before
    listed = json.loads(cli(["history", "list", "--db", str(setup.db), "--json"]).stdout)
    assert {e["pack"]["version"] for e in listed["assessments"]} == {"2.0"}
    assert [e["scored_pack"]["version"] for e in listed["assessments"]] == ["1.0", "1.0", "2.0"]
    text = cli(
        ["history", "rescore", "--rules", setup.v1.path, "--db", str(setup.db), "--lang", "en"]
    ).stdout
    assert "Re-scored 3 assessments" in text and "Raw answers were not touched" in text


# --- trend ---------------------------------------------------------------------------


def test_trend_summary_and_json(cli: Cli, setup: Setup) -> None:
    args = ["trend", "东林村", "--db", str(setup.db), "--rules", setup.v2.path]
    text = cli([*args, "--lang", "en"]).stdout
    assert "3 years, all re-scored under Test pack mini 2.0" in text
    assert "Persistent gaps (two or more years running) (7)" in text
    data = json.loads(cli([*args, "--json"]).stdout)
    assert [y["total"] for y in data["years"]] == [0.0, 33.33, 50.0]
    assert data["regressed"] == ["L1"]
    # Each year's row says what was closed, what is new and what got worse since the one before.
    counts = [
        None
        if y["since_previous"] is None
        else tuple(len(y["since_previous"][k]) for k in ("closed", "new", "regressed"))
        for y in data["years"]
    ]
    assert counts[0] is None and counts[2] is not None and counts[2][2] == 1  # L1 in 2024
    assert "Closed" in text and "New" in text and "Regressed" in text
    wide = cli([*args, "--lang", "en"], env={"COLUMNS": "200"}).stdout
    rows = [line.split("│") for line in wide.splitlines() if line.startswith("│ 20")]
    assert [[cell.strip() for cell in row[6:9]] for row in rows] == [
        ["-", "-", "-"] if c is None else [str(n) for n in c] for c in counts
    ]
    zh = cli(args, env={"COLUMNS": "200"}).stdout
    assert "已整改" in zh and "新问题" in zh and "退步" in zh


def test_trend_of_an_unknown_unit(cli: Cli, setup: Setup) -> None:
    result = cli(["trend", "西林村", "--db", str(setup.db), "--rules", setup.v2.path], code=2)
    assert "西林村" in result.stderr and "东林村" in result.stderr


def test_trend_workbook(cli: Cli, setup: Setup) -> None:
    target = setup.root / "趋势.xlsx"
    cli(["trend", "东林村", "--db", str(setup.db), "--rules", setup.v2.path, "-o", str(target)])
    book = load_workbook(target)
    assert book.sheetnames == ["概览", "状态矩阵", "重点问题"]

    summary = book["概览"]
    charts = summary._charts
    assert len(charts) == 1 and charts[0].tagname == "lineChart"
    assert len(charts[0].series) == 3  # total + two areas
    values = [c.value for c in _cells(summary)]  # type: ignore[attr-defined]
    assert any("mini 2.0" in str(v) and "重新评分" in str(v) for v in values)  # the one pack
    assert values.count("mini 1.0") == 2 and values.count("mini 2.0") == 1  # scored when saved
    # The rules pack 2.0 added and retired since 2022 and 2023 were saved, named once.
    change = next(str(v) for v in values if str(v).startswith("2022、2023年保存时"))
    assert "mini 1.0" in change and "新增规则" in change and "NEW1" in change
    assert "已取消规则" in change and "OLD1" in change
    for name in ("东林村", "城厢镇东林村村委会", "东林村2024.xlsx"):
        assert _find(summary, name).data_type == "s"  # type: ignore[attr-defined]
    assert summary.page_setup.orientation == "landscape" and summary.page_setup.paperSize == 9

    grid = book["状态矩阵"]
    assert [c.value for c in grid[1]] == ["编号", "领域", "指标", "标记", "2022", "2023", "2024"]
    assert grid.freeze_panes == "D2"
    order = [row[0].value for row in grid.iter_rows(min_row=2, max_row=10)]
    assert order == ["L3", "L4", "NEW1", "C1", "L2", "C3", "NEW2", "L1", "C2"]
    l3 = grid[2]
    assert "持续问题" in str(l3[3].value) and "仍未整改" in str(l3[3].value)
    l1 = grid[9]
    assert "退步" in str(l1[3].value) and "2024" in str(l1[3].value)
    assert [c.value for c in l1[4:7]] == ["未达标", "达标", "未达标"]
    assert [c.fill.fgColor.rgb for c in l1[4:7]] == [FAIL_FILL, PASS_FILL, FAIL_FILL]

    head = next(row for row in summary.iter_rows() if row[0].value == "年度")
    assert [c.value for c in head[6:10]] == ["问题数", "已整改", "新问题", "退步"]
    first = head[0].row + 1
    by_year = {
        row[0].value: [c.value for c in row[7:10]]
        for row in summary.iter_rows(min_row=first, max_row=first + 2)
    }
    assert by_year["2022"] == ["-", "-", "-"]
    assert by_year["2024"][2] == 1  # L1 regressed in 2024

    # Persistent gaps and regressions: one table, its header printed atop every page.
    flags = book["重点问题"]
    assert [c.value for c in flags[1]][:5] == ["编号", "指标", "问题类型", "连续年数", "退步年度"]
    assert flags.print_title_rows == "$1:$1" and flags.freeze_panes == "C2"
    column_a = [row[0].value for row in flags.iter_rows(min_row=2)]
    assert "编号" not in column_a  # no second table below
    ids = [v for v in column_a if v and not str(v).startswith(("持续", "退步"))]
    assert ids.index("L3") < ids.index("L1")  # persistent first, then regressions
    l1 = next(row for row in flags.iter_rows(min_row=2) if row[0].value == "L1")
    assert "退步" in str(l1[2].value) and l1[4].value == "2024"


def test_trend_workbook_in_english(cli: Cli, setup: Setup) -> None:
    target = setup.root / "trend.xlsx"
    cli(
        [
            "trend",
            "东林村",
            "--db",
            str(setup.db),
            "--rules",
            setup.v1.path,
            "-o",
            str(target),
            "--lang",
            "en",
        ]
    )
    book = load_workbook(target)
    assert book.sheetnames == ["Summary", "Status grid", "Flags"]
    grid = book["Status grid"]
    ids = [row[0].value for row in grid.iter_rows(min_row=2) if row[0].value]
    assert "OLD1" in ids and "NEW1" not in ids  # the rules of the pack it was re-scored under


def test_reports_are_byte_identical_on_rerun(cli: Cli, setup: Setup) -> None:
    first, second = setup.root / "a.xlsx", setup.root / "b.xlsx"
    cli(["compare", str(setup.old), str(setup.new), "-o", str(first)])
    cli(["compare", str(setup.old), str(setup.new), "-o", str(second)])
    assert first.read_bytes() == second.read_bytes()
    args = ["trend", "东林村", "--db", str(setup.db), "--rules", setup.v2.path, "-o"]
    cli([*args, str(first)])
    cli([*args, str(second)])
    assert first.read_bytes() == second.read_bytes()


# --- workbooks in, through intake ---------------------------------------------------------


def _form(setup: Setup, year: int, name: str) -> Path:
    from tests.forms import Filled, Form, clean_form

    answers: dict[str, Filled] = {}
    for rule_id, typed in YEARS[year].items():
        raw, _, evidence = typed.partition("|")
        value: str | int | None = int(raw) if raw and rule_id == "L3" else raw or None
        answers[rule_id] = Filled(value, evidence=evidence)
    form = Form(name=name, unit_type_zh="村", year=year, town="城厢镇", answers=answers)
    return clean_form(setup.v2, form, setup.root / f"{name}{year}.xlsx")


def test_compare_two_workbooks(cli: Cli, setup: Setup) -> None:
    old = _form(setup, 2023, "东林村")
    new = _form(setup, 2024, "城厢镇东林村村委会")
    before = old.read_bytes(), new.read_bytes()
    data = json.loads(
        cli(["compare", str(old), str(new), "--rules", setup.v2.path, "--json"]).stdout
    )
    assert data["gaps"] == {
        "closed": ["L2", "C3", "NEW2"],
        "new": ["L1"],
        "persistent": ["L3", "L4", "NEW1", "C1"],
        "regressed": ["L1"],
    }
    assert data["overall"]["total"] == {"then": 33.33, "now": 50.0, "delta": 16.67}
    assert data["pack"]["same"] is True
    assert (old.read_bytes(), new.read_bytes()) == before  # inputs never touched
    other = _form(setup, 2024, "西林村")
    cli(["compare", str(old), str(other), "--rules", setup.v2.path], code=2)


def test_rescoring_intake_answers_under_the_same_pack_changes_nothing(setup: Setup) -> None:
    from checklist.pipeline import assess_file

    db = setup.root / "intake.db"
    with open_history(db) as history:
        for year, name in ((2023, "东林村"), (2024, "城厢镇东林村村委会")):
            assessment, result = assess_file(_form(setup, year, name), setup.v2)
            history.save(assessment, result, source=setup.root / f"{name}{year}.xlsx")
        saved = {e.year: e.total for e in history.list_assessments()}
        report = history.rescore(setup.v2)
        stored = history.get("东林村", 2024)
    assert saved == {2023: 33.33, 2024: 50.0}
    assert report.changed == 0
    # Raw text as intake read it re-normalises to the same values and statuses.
    assert [(r.rule_id, r.status, r.earned) for r in stored.result.rules] == [
        (r.rule_id, r.status, r.earned) for r in stored.scored_result.rules
    ]
    assert stored.answers["C3"].cell.startswith("自评表!")
    assert stored.entry.source_sha256 is not None
