"""template --roster: one personal form per roster unit, last year beside it, the record at intake."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from checklist.demo_county import UNITS, _Row, write_form, write_roster
from checklist.demo_county import _rows as _county_rows
from checklist.form_record import unit_id
from checklist.intake import read_assessment
from checklist.layout import LAST_YEAR_COLUMN, RECORD_SHEET
from checklist.template import template_rules
from tests.batch_data import batch, by_name, pack, roster, sheet_rows, unit
from tests.conftest import Cli

ROSTER = (
    ("东林村", "城厢镇", "村"),
    ("太仓市华东精密机械有限公司", "城厢镇", "非公企业"),
    ("新华村", "城厢镇", "村"),
    ("新华村", "璜泾镇", "村"),
)


def _forms(cli: Cli, roster_path: Path, folder: Path, *extra: str) -> dict[str, Path]:
    cli(["template", "--roster", str(roster_path), "-o", str(folder), *extra])
    return {p.name: p for p in folder.iterdir()}


def _unit_fields(path: Path) -> dict[str, Any]:
    book = openpyxl.load_workbook(path)
    sheet = book["单位信息"]
    return {str(row[0].value): row[1] for row in sheet.iter_rows(max_col=2)}


def _rows(path: Path) -> tuple[list[Any], list[tuple[Any, ...]]]:
    rows = sheet_rows(path, "自评表")
    return list(rows[0]), [r for r in rows[1:] if r[0]]


def _record(path: Path, states: tuple[str, ...] = ("veryHidden",)) -> dict[str, str]:
    sheet = openpyxl.load_workbook(path)[RECORD_SHEET]
    assert sheet.sheet_state in states
    return {str(a): str(b) for a, b in sheet.iter_rows(values_only=True)}


def _fill(path: Path, target: Path, **unit_fields: str | None) -> Path:
    """``path`` filled in as a unit would: an answer and evidence on every row, fields changed."""
    book = openpyxl.load_workbook(path)
    sheet = book["自评表"]
    head = [c.value for c in sheet[1]]
    answer, evidence = head.index("自评填报") + 1, head.index("佐证材料") + 1
    for row in range(2, sheet.max_row + 1):
        rule_id = sheet.cell(row, 1).value
        if not rule_id:
            continue
        rule = pack().rule(str(rule_id))
        kind = rule.answer.type.value
        sheet.cell(row, answer).value = {"yesno": "是", "text": "有专人负责"}.get(kind, 3)
        sheet.cell(row, evidence).value = f"{rule_id} 台账"
    info = book["单位信息"]
    for row in range(1, 7):
        label = str(info.cell(row, 1).value)
        if label in unit_fields:
            info.cell(row, 2).value = unit_fields[label]
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    return target


def test_the_demo_roster_gives_one_form_per_unit_with_only_its_rules(
    cli: Cli, tmp_path: Path
) -> None:
    roster_path = write_roster(tmp_path / "名单.xlsx")
    files = _forms(cli, roster_path, tmp_path / "forms", "--year", "2025")
    assert len(files) == len(UNITS) + 1
    listing = sheet_rows(files["分发清单-2025.xlsx"], "分发清单")
    head = listing[3]
    assert head[:7] == (
        "序号",
        "单位名称",
        "所属镇（街道）",
        "单位类型",
        "文件名",
        "联系人",
        "联系电话",
    )
    listed = {(r[1], r[2]): r for r in listing[4:]}
    assert len(listed) == len(UNITS)
    for who in UNITS:
        row = listed[(who.name, who.town)]
        assert (row[5], row[6]) == (who.contact, who.phone)
        form = files[row[4]]
        fields = _unit_fields(form)
        assert fields["单位名称"].value == who.name
        assert fields["所属镇（街道）"].value == who.town
        assert fields["年度"].value == 2025
        assert fields["单位名称"].protection.locked and fields["年度"].protection.locked
        assert not fields["填报人"].protection.locked
        kind = pack().unit_type(who.type)
        assert kind is not None and fields["单位类型"].value == kind.title.zh == row[3]
        _, rows = _rows(form)
        assert [r[0] for r in rows] == [r.id for r in template_rules(pack(), kind)]
        record = _record(form)
        assert record["unit_id"] == unit_id(who.name, who.town)
        assert record["form_id"] == f"{record['unit_id']}-2025-{pack().version}"
        assert (record["name"], record["year"], record["type"]) == (who.name, "2025", who.type)
    # Two 新华村 in two towns: the town tells their files apart.
    assert {"城厢镇新华村-2025自评表.xlsx", "璜泾镇新华村-2025自评表.xlsx"} <= set(files)


def _season_2024(cli: Cli, tmp_path: Path, roster_path: Path) -> Path:
    """The 2024 forms of the village and the enterprise, saved in a history database."""
    season = tmp_path / "2024"
    season.mkdir()
    for who in (
        unit("东林村", "城厢镇"),
        unit("太仓市华东精密机械有限公司", "城厢镇", "enterprise"),
    ):
        write_form(who, 2024, pack(), season / f"{who.name}.xlsx")
    db = tmp_path / "h.db"
    args = [str(season), "--roster", str(roster_path), "--save", "--db", str(db)]
    batch(cli, [*args, "-o", str(tmp_path / "r2024.xlsx")])
    return db


def test_last_years_answers_stand_read_only_beside_each_row(cli: Cli, tmp_path: Path) -> None:
    roster_path = roster(tmp_path / "名单.xlsx", ROSTER)
    db = _season_2024(cli, tmp_path, roster_path)
    files = _forms(cli, roster_path, tmp_path / "forms", "--year", "2025", "--db", str(db))
    form = files["东林村-2025自评表.xlsx"]
    head, rows = _rows(form)
    column = head.index(LAST_YEAR_COLUMN.zh)
    answer = head.index("自评填报")
    written = read_assessment(tmp_path / "2024" / "东林村.xlsx", pack()).answers
    assert all(r[answer] is None for r in rows), "never pre-filled as this year's answer"
    shown_answers = 0
    for row in rows:
        before = written[row[0]]
        shown = str(row[column])
        if before.raw:
            assert shown.split("\n")[0] == before.raw, (row[0], shown, before.raw)
            shown_answers += 1
        if before.evidence:
            assert f"佐证：{before.evidence}" in shown
    assert shown_answers > 20
    book = openpyxl.load_workbook(form)
    assert book["自评表"].cell(3, column + 1).protection.locked
    assert book["自评表"].protection.sheet
    guide = " ".join(str(c) for r in sheet_rows(form, "填报说明") for c in r if c)
    assert "上年填报" in guide and "2024" in guide and "不会当作今年的答案" in guide
    # The enterprise's form shows its own last year; a unit with none saved has no column.
    firm_head, firm_rows = _rows(files["太仓市华东精密机械有限公司-2025自评表.xlsx"])
    assert any(r[firm_head.index(LAST_YEAR_COLUMN.zh)] != "（未填）" for r in firm_rows)
    head, _ = _rows(files["城厢镇新华村-2025自评表.xlsx"])
    assert LAST_YEAR_COLUMN.zh not in head
    listing = {r[4]: r for r in sheet_rows(files["分发清单-2025.xlsx"], "分发清单")[4:]}
    assert listing["东林村-2025自评表.xlsx"][7] == 2024
    assert listing["城厢镇新华村-2025自评表.xlsx"][7] is None


def test_a_form_whose_name_was_deleted_and_type_changed_lands_on_its_roster_unit(
    cli: Cli, tmp_path: Path
) -> None:
    roster_path = roster(tmp_path / "名单.xlsx", ROSTER)
    files = _forms(cli, roster_path, tmp_path / "forms", "--year", "2025")
    season = tmp_path / "2025"
    _fill(
        files["城厢镇新华村-2025自评表.xlsx"],
        season / "我们的表.xlsx",
        单位名称=None,
        单位类型="社区",
    )
    _fill(files["璜泾镇新华村-2025自评表.xlsx"], season / "新华村.xlsx", 单位名称="新华村村委会")
    _fill(files["东林村-2025自评表.xlsx"], season / "东林村.xlsx", 单位名称="西园社区")
    firm = "太仓市华东精密机械有限公司"
    _fill(files[f"{firm}-2025自评表.xlsx"], season / "华东.xlsx", 单位名称="华东精密")
    out = tmp_path / "r.xlsx"
    data = batch(cli, [str(season), "--roster", str(roster_path), "-o", str(out)])
    assert data["unmatched"] == []
    found = {(u["name"], u["town"]): u for u in data["units"]}
    blanked = found[("新华村", "城厢镇")]
    assert Path(blanked["file"]).name == "我们的表.xlsx" and blanked["type"] == "village"
    assert blanked["notes"] == ["表中单位类型写的是“社区”，但名单上“新华村”是“村”，按“村”计。"]
    assert Path(found[("新华村", "璜泾镇")]["file"]).name == "新华村.xlsx"
    assert found[("新华村", "璜泾镇")]["notes"] == []
    # The unit's own short name is no disagreement.
    assert found[(firm, "城厢镇")]["notes"] == []
    assert found[("东林村", "城厢镇")]["notes"] == [
        "表中单位名称写的是“西园社区”，但这是发给“东林村”的个人表，按“东林村”计。"
    ]
    head, *scores = sheet_rows(out, "单位得分")
    flags = {(r[0], r[1]): r[head.index("核查提示")] for r in scores}
    assert "名单上“新华村”是“村”，按“村”计" in flags[("新华村", "城厢镇")]


def _notes(cli: Cli, path: Path) -> tuple[dict[str, Any], list[str]]:
    report = path.with_name(f"{path.stem}-report.xlsx")
    data = json.loads(cli(["score", str(path), "--json", "-o", str(report)]).stdout)
    notes = [n["message"] for n in data["intake"] if n["code"].startswith("record")]
    return data["unit"], notes


def test_a_personal_form_of_another_year_or_pack_version_is_said_so(
    cli: Cli, tmp_path: Path
) -> None:
    roster_path = roster(tmp_path / "名单.xlsx", ROSTER)
    files = _forms(cli, roster_path, tmp_path / "forms", "--year", "2024")
    # Last year's personal form sent in again in the 2025 season: listed as another year's.
    season = tmp_path / "2025"
    _fill(files["东林村-2024自评表.xlsx"], season / "东林村.xlsx")
    _fill(files["太仓市华东精密机械有限公司-2024自评表.xlsx"], season / "华东.xlsx", 年度="2025")
    data = batch(
        cli,
        [
            str(season),
            "--roster",
            str(roster_path),
            "--year",
            "2025",
            "-o",
            str(tmp_path / "r.xlsx"),
        ],
    )
    missing = {m["name"]: m["reason"] for m in data["missing"]}
    assert missing["东林村"] == "other_year"
    # The year typed over the locked one: the form still counts for 2025, and says whose it was.
    firm = by_name(data)["太仓市华东精密机械有限公司"]
    assert firm["notes"] == [
        "这是按2024 年为“太仓市华东精密机械有限公司”生成的个人表，表中年度写的是 2025 年，"
        "请确认用的是本年度下发的表。"
    ]
    # A form of another pack version.
    book = openpyxl.load_workbook(files["东林村-2024自评表.xlsx"])
    record = book[RECORD_SHEET]
    for row in record.iter_rows():
        if row[0].value == "pack_version":
            row[1].value = "2020.1"
    book.save(tmp_path / "old.xlsx")
    unit_info, notes = _notes(cli, tmp_path / "old.xlsx")
    assert unit_info["name"] == "东林村"
    assert notes == [
        f"这是按规则包 2020.1 版为“东林村”生成的个人表，现按 {pack().version} 版评分，"
        "请确认用的是本年度下发的表。"
    ]


def test_a_retyped_copy_without_the_record_reads_as_any_form(cli: Cli, tmp_path: Path) -> None:
    roster_path = roster(tmp_path / "名单.xlsx", ROSTER)
    files = _forms(cli, roster_path, tmp_path / "forms", "--year", "2025")
    filled = _fill(files["东林村-2025自评表.xlsx"], tmp_path / "filled.xlsx")
    # The unit pasted the rows and its details into a workbook of its own.
    source = openpyxl.load_workbook(filled)
    copy = openpyxl.Workbook()
    info = copy.active
    assert info is not None
    info.title = "基本情况"
    for row in source["单位信息"].iter_rows(values_only=True):
        info.append(row)
    sheet = copy.create_sheet("东林村自评")
    for row in source["自评表"].iter_rows(values_only=True):
        sheet.append(row)
    copy.save(tmp_path / "retyped.xlsx")
    scored = [
        json.loads(cli(["score", str(path), "--json", "-o", str(path) + ".report.xlsx"]).stdout)
        for path in (filled, tmp_path / "retyped.xlsx")
    ]
    original, retyped = scored
    assert retyped["unit"]["name"] == "东林村" and retyped["unit"]["year"] == 2025
    assert retyped["score"] == original["score"]
    assert not [n for n in retyped["intake"] if n["code"].startswith("record")]


def test_an_answer_kept_from_the_units_own_last_year_is_not_copying(
    cli: Cli, tmp_path: Path
) -> None:
    names = ("永丰村", "雅鹿村", "杨漕村", "新湖村", "泥桥村", "归庄村")
    roster_path = roster(tmp_path / "名单.xlsx", [(n, "城厢镇", "村") for n in names])
    # 杨漕村 copied 雅鹿村's form in 2024; in 2025 both send their own 2024 answers again.
    for year in (2024, 2025):
        folder = tmp_path / str(year)
        folder.mkdir()
        for name in names:
            if name != "杨漕村":
                write_form(unit(name, "城厢镇"), 2024, pack(), folder / f"{name}.xlsx")
        rows = [
            _Row(r.rule, r.answer, r.evidence.replace("雅鹿村", "杨漕村"), r.claimed)
            for r in _county_rows(unit("雅鹿村", "城厢镇"), 2024, pack())
        ]
        write_form(unit("杨漕村", "城厢镇"), 2024, pack(), folder / "杨漕村.xlsx", rows)
        if year == 2025:
            for path in folder.iterdir():
                book = openpyxl.load_workbook(path)
                book["单位信息"]["B4"] = 2025
                book.save(path)
    db = tmp_path / "h.db"
    first = batch(
        cli,
        [
            str(tmp_path / "2024"),
            "--roster",
            str(roster_path),
            "--save",
            "--db",
            str(db),
            "-o",
            str(tmp_path / "r2024.xlsx"),
        ],
    )
    assert [sorted(c["units"]) for c in first["copied"]] == [["杨漕村", "雅鹿村"]]
    args = [str(tmp_path / "2025"), "--roster", str(roster_path)]
    without_history = batch(cli, [*args, "-o", str(tmp_path / "a.xlsx")])
    assert [sorted(c["units"]) for c in without_history["copied"]] == [["杨漕村", "雅鹿村"]]
    with_history = batch(cli, [*args, "--db", str(db), "-o", str(tmp_path / "b.xlsx")])
    assert with_history["copied"] == []


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_record_survives_a_save_in_libreoffice(cli: Cli, tmp_path: Path) -> None:
    roster_path = roster(tmp_path / "名单.xlsx", ROSTER)
    files = _forms(cli, roster_path, tmp_path / "forms", "--year", "2025")
    blanked = _fill(
        files["城厢镇新华村-2025自评表.xlsx"], tmp_path / "in" / "表.xlsx", 单位名称=None
    )
    out = tmp_path / "lo"
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(blanked),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    saved = out / "表.xlsx"
    # LibreOffice writes a very hidden sheet back as hidden; its contents are kept.
    assert _record(saved, ("hidden", "veryHidden")) == _record(
        files["城厢镇新华村-2025自评表.xlsx"]
    )
    unit_info, _ = _notes(cli, saved)
    assert (unit_info["name"], unit_info["town"], unit_info["type"]) == (
        "新华村",
        "城厢镇",
        "village",
    )


def test_forms_already_written_are_kept_and_wrong_options_are_named(
    cli: Cli, tmp_path: Path
) -> None:
    roster_path = roster(tmp_path / "名单.xlsx", ROSTER)
    folder = tmp_path / "forms"
    files = _forms(cli, roster_path, folder, "--year", "2025")
    filled = _fill(files["东林村-2025自评表.xlsx"], tmp_path / "filled.xlsx")
    shutil.copyfile(filled, files["东林村-2025自评表.xlsx"])
    before = files["东林村-2025自评表.xlsx"].read_bytes()
    again = cli(
        ["template", "--roster", str(roster_path), "-o", str(folder), "--year", "2025"], code=2
    )
    assert "--force" in again.stderr + again.stdout
    assert files["东林村-2025自评表.xlsx"].read_bytes() == before
    for args in (
        ["template", "--year", "2025", "-o", str(tmp_path / "t.xlsx")],
        ["template", "--roster", str(roster_path)],
        ["template", "--roster", str(roster_path), "-o", str(tmp_path / "x.xlsx")],
        [
            "template",
            "--roster",
            str(roster_path),
            "-o",
            str(folder),
            "--db",
            str(tmp_path / "no.db"),
        ],
    ):
        result = cli(args, code=2)
        assert len((result.stderr or result.stdout).strip().splitlines()) == 1
