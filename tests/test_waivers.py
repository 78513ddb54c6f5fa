"""Waivers (豁免): agreed exceptions that take a rule out of one unit's score."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from checklist.history import open_history
from checklist.rulepack import load_pack
from tests.conftest import Cli
from tests.forms import Filled, Form, clean_form
from tests.packs import write_pack

RULES: list[dict[str, Any]] = [
    {
        "id": "L-01",
        "answer": {"type": "count", "unit": "次"},
        "points": 4,
        "bands": {">=2": 1.0, ">=1": 0.5},
    },
    {"id": "L-02", "points": 3},
    {"id": "V-01", "points": 2, "veto": True},
    {"id": "C-01", "area": "cover", "points": 1},
]

WAIVER = {
    "unit": "城厢镇东林村",
    "rule": "L-02",
    "reason": "经县总工会同意，教代会改在次年1月召开",
    "approved_by": "太仓市总工会 张三",
    "approved_on": dt.date(2024, 11, 20),
    "expires_on": dt.date(2025, 6, 30),
}


@pytest.fixture
def pack_folder(tmp_path: Path) -> Path:
    return write_pack(tmp_path / "mini", RULES)


def _form(folder: Path, pack_folder: Path, year: int = 2024, veto: str = "是") -> Path:
    answers = {
        "L-01": Filled(1),
        "L-02": Filled("否"),
        "V-01": Filled(veto),
        "C-01": Filled("是"),
    }
    form = Form("东林村", "村", year, "城厢镇", answers)
    return clean_form(load_pack(pack_folder), form, folder / f"东林村{year}.xlsx")


def _waivers(folder: Path, *entries: dict[str, Any]) -> Path:
    path = folder / "waivers.yaml"
    path.write_text(
        yaml.safe_dump({"waivers": list(entries)}, allow_unicode=True), encoding="utf-8"
    )
    return path


def _score(cli: Cli, form: Path, pack: Path, *extra: str) -> dict[str, Any]:
    out = form.with_suffix(".json")
    result = cli(["score", str(form), "--rules", str(pack), "-o", str(out), "--json", *extra])
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _rule(data: dict[str, Any], rule_id: str) -> dict[str, Any]:
    return next(r for r in data["rules"] if r["id"] == rule_id)


def test_a_valid_waiver_takes_the_rule_out_of_the_denominator(
    cli: Cli, pack_folder: Path, tmp_path: Path
) -> None:
    form = _form(tmp_path, pack_folder)
    before = _score(cli, form, pack_folder)
    # L-01 answered 1 earns half of 4; L-02 (no) earns 0 of 3; V-01 2 of 2; C-01 1 of 1.
    assert before["score"]["base"] == round((2 + 0 + 2 + 1) / (4 + 3 + 2 + 1) * 100, 2) == 50.0

    after = _score(cli, form, pack_folder, "--waivers", str(_waivers(tmp_path, WAIVER)))
    # L-02 waived: its 3 points leave the denominator.
    assert after["score"]["base"] == round((2 + 2 + 1) / (4 + 2 + 1) * 100, 2) == 71.43
    waived = _rule(after, "L-02")
    assert (waived["status"], waived["earned"], waived["possible"]) == ("waived", 0, 0)
    decision = waived["decision"]
    assert decision["kind"] == "waived"
    assert decision["waiver"]["reason"] == WAIVER["reason"]
    assert decision["waiver"]["approved_by"] == "太仓市总工会 张三"
    assert [w["rule"] for w in after["waivers"]] == ["L-02"]
    assert after["completeness"] == {"answered": 3, "applicable": 3}
    assert not [n for n in after["intake"] if n["code"].startswith("waiver_")]


def test_the_gap_report_shows_the_waiver_and_no_gap(
    cli: Cli, pack_folder: Path, tmp_path: Path
) -> None:
    form = _form(tmp_path, pack_folder)
    report = tmp_path / "report.xlsx"
    waivers = _waivers(tmp_path, WAIVER)
    summary = cli(
        [
            "score",
            str(form),
            "--rules",
            str(pack_folder),
            "-o",
            str(report),
            "--waivers",
            str(waivers),
        ]
    )
    assert "豁免" in summary.stdout and "太仓市总工会 张三" in summary.stdout
    book = openpyxl.load_workbook(report)
    overview, gaps, details = book.worksheets[0], book.worksheets[1], book["明细"]
    gap_ids = [row[0].value for row in gaps.iter_rows(min_row=2)]
    assert "L-02" not in gap_ids and "L-01" in gap_ids
    row = next(r for r in details.iter_rows(min_row=2) if r[0].value == "L-02")
    values = [c.value for c in row]
    assert "豁免" in values
    assert any(
        isinstance(v, str) and v.startswith("豁免：经县总工会同意") and "2025-06-30" in v
        for v in values
    )
    texts = [str(c.value) for r in overview.iter_rows() for c in r if c.value is not None]
    assert any("豁免事项" in t for t in texts)
    assert WAIVER["reason"] in texts

    english = tmp_path / "report-en.xlsx"
    cli(
        [
            "score",
            str(form),
            "--rules",
            str(pack_folder),
            "-o",
            str(english),
            "--waivers",
            str(waivers),
            "--lang",
            "en",
        ]
    )
    details_en = openpyxl.load_workbook(english).worksheets[2]
    cells = [c.value for r in details_en.iter_rows() for c in r]
    assert "Waived" in cells


def test_an_expired_waiver_is_ignored_with_a_note(
    cli: Cli, pack_folder: Path, tmp_path: Path
) -> None:
    form = _form(tmp_path, pack_folder, year=2025)
    # It holds to 2025-06-30, not to the end of 2025.
    waivers = _waivers(tmp_path, WAIVER)
    data = _score(cli, form, pack_folder, "--waivers", str(waivers))
    assert _rule(data, "L-02")["status"] == "fail"
    assert data["score"]["base"] == 50.0
    notes = [n for n in data["intake"] if n["code"] == "waiver_expired"]
    assert len(notes) == 1 and "2025-06-30" in notes[0]["message"]
    result = cli(
        [
            "score",
            str(form),
            "--rules",
            str(pack_folder),
            "-o",
            str(tmp_path / "r.xlsx"),
            "--waivers",
            str(waivers),
        ]
    )
    assert "未采用：已于 2025-06-30 到期" in result.stdout  # among the notes after the summary


def test_unknown_rules_and_other_units_are_not_applied(
    cli: Cli, pack_folder: Path, tmp_path: Path
) -> None:
    form = _form(tmp_path, pack_folder)
    waivers = _waivers(
        tmp_path,
        {**WAIVER, "rule": "X-99"},
        {**WAIVER, "unit": "西林村"},
    )
    data = _score(cli, form, pack_folder, "--waivers", str(waivers))
    assert data["waivers"] == []
    codes = [n["code"] for n in data["intake"] if n["code"].startswith("waiver_")]
    # The waiver of another unit is not silently dropped: one note says so, naming it.
    assert codes == ["waiver_unknown_rule", "waiver_unknown_unit"]
    other = next(n for n in data["intake"] if n["code"] == "waiver_unknown_unit")
    assert "西林村" in other["message"] and "1 条是其他单位的" in other["message"]
    args = ["score", str(form), "--rules", str(pack_folder), "--waivers", str(waivers)]
    shown = cli([*args, "-o", str(tmp_path / "zh.xlsx")])
    assert "其他单位的（西林村）" in shown.stdout
    english = cli([*args, "--lang", "en", "-o", str(tmp_path / "en.xlsx")])
    assert "name other units (西林村)" in english.stdout


def test_a_waivers_file_only_for_this_unit_adds_no_note(
    cli: Cli, pack_folder: Path, tmp_path: Path
) -> None:
    form = _form(tmp_path, pack_folder)
    data = _score(cli, form, pack_folder, "--waivers", str(_waivers(tmp_path, WAIVER)))
    assert not [n for n in data["intake"] if n["code"] == "waiver_unknown_unit"]


def test_a_waiver_lifts_a_veto_only_when_it_says_so(
    cli: Cli, pack_folder: Path, tmp_path: Path
) -> None:
    form = _form(tmp_path, pack_folder, veto="否")
    plain = _score(cli, form, pack_folder)
    assert plain["score"]["vetoed_by"] == ["V-01"]

    unnamed = _score(
        cli, form, pack_folder, "--waivers", str(_waivers(tmp_path, {**WAIVER, "rule": "V-01"}))
    )
    assert unnamed["score"]["vetoed_by"] == ["V-01"]
    assert unnamed["score"]["grade"] == plain["score"]["grade"]
    assert _rule(unnamed, "V-01")["status"] == "fail"
    assert [n["code"] for n in unnamed["intake"] if n["code"].startswith("waiver_")] == [
        "waiver_veto_not_named"
    ]

    named = _score(
        cli,
        form,
        pack_folder,
        "--waivers",
        str(_waivers(tmp_path, {**WAIVER, "rule": "V-01", "veto": True})),
    )
    assert named["score"]["vetoed_by"] == []
    assert _rule(named, "V-01")["status"] == "waived"


def test_a_bad_waivers_workbook_lists_every_problem_by_cell(cli: Cli, tmp_path: Path) -> None:
    template = tmp_path / "豁免清单.xlsx"
    cli(["waivers", "template", "-o", str(template)])
    book = openpyxl.load_workbook(template)
    sheet = book["豁免清单"]
    assert [c.value for c in sheet[1]][:3] == ["单位名称", "所属镇（街道）", "规则编号"]
    assert str(sheet["A2"].value).startswith("说明")
    assert {str(v.sqref) for v in sheet.data_validations.dataValidation} >= {"C3:C202", "H3:H202"}
    assert "规则一览" in book.sheetnames
    sheet.append(["东林村", "", "LEAD-01", "", "张三", "2024-11-20", "下个月", "是"])
    sheet.append(["西林村", "", "LEAD-02", "理由", "李四", "2024-11-20", "2023-01-01", "也许"])
    book.save(template)
    result = cli(
        ["score", "x.xlsx", "--waivers", str(template), "-o", str(tmp_path / "r.xlsx")], code=2
    )
    # The waivers file is checked before the form is read: no such form is needed.
    assert "豁免清单" in result.stderr
    for expected in (
        "豁免清单!D3：“豁免理由”不能为空",
        "豁免清单!G3：“有效期至”须为日期",
        "豁免清单!G4：有效期至 2023-01-01 早于批准日期 2024-11-20",
        "豁免清单!H4：“豁免否决项”只能填“是”或“否”",
    ):
        assert expected in result.stderr
    english = cli(
        [
            "score",
            "x.xlsx",
            "--waivers",
            str(template),
            "--lang",
            "en",
            "-o",
            str(tmp_path / "r.xlsx"),
        ],
        code=2,
    )
    assert "豁免清单!D3: 'Reason' must not be blank" in english.stderr


def test_a_filled_template_is_read_back(cli: Cli, pack_folder: Path, tmp_path: Path) -> None:
    template = tmp_path / "waivers.xlsx"
    cli(["waivers", "template", "--rules", str(pack_folder), "-o", str(template)])
    book = openpyxl.load_workbook(template)
    sheet = book.worksheets[0]
    sheet.append(
        [
            "东林村",
            "城厢镇",
            "L-02",
            WAIVER["reason"],
            "张三",
            dt.date(2024, 11, 20),
            dt.date(2025, 12, 31),
            "否",
        ]
    )
    book.save(template)
    form = _form(tmp_path, pack_folder)
    data = _score(cli, form, pack_folder, "--waivers", str(template))
    assert data["score"]["base"] == 71.43
    assert data["waivers"][0]["where"] == "豁免清单!A3"


def test_history_records_the_waivers_and_rescore_keeps_them(
    cli: Cli, pack_folder: Path, tmp_path: Path
) -> None:
    db = tmp_path / "h.db"
    form = _form(tmp_path, pack_folder)
    waivers = _waivers(tmp_path, WAIVER)
    cli(
        [
            "score",
            str(form),
            "--rules",
            str(pack_folder),
            "-o",
            str(tmp_path / "r.xlsx"),
            "--waivers",
            str(waivers),
            "--save",
            "--db",
            str(db),
        ]
    )
    with open_history(db) as history:
        recorded = history.waivers("东林村", 2024)
        assert [(w.rule_id, w.reason) for w in recorded] == [("L-02", WAIVER["reason"])]
        history.rescore(load_pack(pack_folder))
        assert [w.rule_id for w in history.waivers("东林村", 2024)] == ["L-02"]
        stored = history.get("东林村", 2024)
    trend = json.loads(
        cli(["trend", "东林村", "--rules", str(pack_folder), "--db", str(db), "--json"]).stdout
    )
    assert trend["years"][0]["total"] == 71.43
    # Without the waiver the same answers score 50.
    assert stored.scored_result.score.base == 71.43


def test_batch_applies_waivers_and_the_rollup_lists_them(
    cli: Cli, pack_folder: Path, tmp_path: Path
) -> None:
    season = tmp_path / "season"
    season.mkdir()
    _form(season, pack_folder)
    waivers = _waivers(
        tmp_path,
        WAIVER,
        {
            **WAIVER,
            "rule": "C-01",
            "approved_on": dt.date(2024, 1, 5),
            "expires_on": dt.date(2024, 6, 30),
        },
        {**WAIVER, "unit": "北林村"},
    )
    out = tmp_path / "rollup.xlsx"
    result = cli(
        [
            "batch",
            str(season),
            "--rules",
            str(pack_folder),
            "-o",
            str(out),
            "--jobs",
            "1",
            "--waivers",
            str(waivers),
            "--json",
        ]
    )
    data = json.loads(result.stdout)
    assert data["units"][0]["score"]["base"] == 71.43
    assert [(w["assessed_unit"], w["rule"]) for w in data["waivers"]] == [("东林村", "L-02")]
    assert [n["code"] for n in data["unused_waivers"]] == ["waiver_expired", "waiver_unknown_unit"]
    sheet = openpyxl.load_workbook(out)["豁免"]
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0][:3] == ["单位", "镇（街道）", "规则"]
    assert rows[1][:3] == ["东林村", "城厢镇", "L-02"] and rows[1][4] == WAIVER["reason"]
    texts = [str(r[0]) for r in rows[2:] if r[0]]
    assert "未采用的豁免" in texts
    assert any("北林村" in t and "没有这个单位的自评" in t for t in texts)
