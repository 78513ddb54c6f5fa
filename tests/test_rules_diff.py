"""`checklist rules diff PACK_A PACK_B`: what a maintainer checks before sending a pack out."""

from __future__ import annotations

import json
import shutil
import unicodedata
from pathlib import Path

import openpyxl

from checklist.rulepack import load_pack
from tests.conftest import Cli


def copy_builtin(tmp_path: Path, name: str = "county") -> Path:
    target = tmp_path / name
    shutil.copytree(load_pack(None).path, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def test_one_raised_threshold_is_the_one_change(cli: Cli, tmp_path: Path) -> None:
    county = copy_builtin(tmp_path)
    edit(
        county / "leadership.yaml",
        '    ">=2": 1.0\n    ">=1": 0.5',
        '    ">=3": 1.0\n    ">=1": 0.5',
    )
    data = json.loads(cli(["rules", "diff", "grassroots", str(county), "--json"]).stdout)
    assert data["same"] is False
    assert data["settings"] == []
    changed = [
        (section, item["id"], field)
        for section in ("rules", "checks", "areas", "grades", "unit_types")
        for item in data[section]["changed"]
        for field in item["fields"]
    ]
    assert changed == [
        (
            "rules",
            "LEAD-01",
            {
                "field": "bands",
                "label": "分档",
                "old": {">=2": 1, ">=1": 0.5},
                "new": {">=3": 1, ">=1": 0.5},
            },
        )
    ]
    assert all(not data[s]["added"] and not data[s]["removed"] for s in ("rules", "checks"))

    text = cli(["rules", "diff", "grassroots", str(county)]).stdout
    assert "规则：新增 0，删除 0，修改 1" in text
    assert "~ LEAD-01" in text
    assert "- >=2: 1; >=1: 0.5" in text and "+ >=3: 1; >=1: 0.5" in text
    assert "LEAD-02" not in text
    assert all(width(line) <= 80 for line in text.splitlines())


def test_added_removed_and_pack_level_changes(cli: Cli, tmp_path: Path) -> None:
    county = copy_builtin(tmp_path)
    edit(county / "pack.yaml", 'version: "2026.2"', 'version: "2026.2-taicang"')
    edit(county / "pack.yaml", "bonus_cap: 5", "bonus_cap: 8")
    edit(county / "pack.yaml", "{id: good, min: 80,", "{id: good, min: 85,")
    edit(county / "pack.yaml", "title: {zh: 阵地建设,", "title: {zh: 阵地与台账,")
    edit(county / "checks.yaml", "- id: CHK-08", "- id: CHK-98")
    text = (county / "leadership.yaml").read_text(encoding="utf-8")
    first, _, rest = text.partition("\n- id: LEAD-03")
    (county / "leadership.yaml").write_text(
        first + "\n- id: LEAD-90" + rest.replace("  points: 1\n", "  points: 1\n", 1),
        encoding="utf-8",
    )
    data = json.loads(
        cli(["rules", "diff", "grassroots", str(county), "--json", "--lang", "en"]).stdout
    )
    assert data["new"]["version"] == "2026.2-taicang"
    assert {(c["field"], c["old"], c["new"]) for c in data["settings"]} == {
        ("version", "2026.2", "2026.2-taicang"),
        ("bonus_cap", 5, 8),
    }
    assert [i["id"] for i in data["rules"]["added"]] == ["LEAD-90"]
    assert [i["id"] for i in data["rules"]["removed"]] == ["LEAD-03"]
    assert data["rules"]["changed"] == []
    assert [i["id"] for i in data["checks"]["added"]] == ["CHK-98"]
    assert [i["id"] for i in data["checks"]["removed"]] == ["CHK-08"]
    assert [(i["id"], [f["field"] for f in i["fields"]]) for i in data["grades"]["changed"]] == [
        ("good", ["min"])
    ]
    assert [(i["id"], [f["field"] for f in i["fields"]]) for i in data["areas"]["changed"]] == [
        ("premises", ["title.zh"])
    ]
    text = cli(["rules", "diff", "grassroots", str(county), "--lang", "en"]).stdout
    assert "Rules: 1 added, 1 removed, 0 changed" in text
    assert "+ LEAD-90" in text and "- LEAD-03" in text
    assert "Bonus cap:" in text
    assert all(width(line) <= 80 for line in text.splitlines())


def test_workbook_against_its_own_pack_is_the_same(cli: Cli, tmp_path: Path) -> None:
    book = tmp_path / "pack.xlsx"
    cli(["rules", "export", "-o", str(book)])
    data = json.loads(cli(["rules", "diff", "grassroots", str(book), "--json"]).stdout)
    assert data["same"] is True
    assert "两个规则包完全相同" in cli(["rules", "diff", str(book), "grassroots"]).stdout


def test_a_choice_changed_in_the_workbook(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "pack.xlsx"
    cli(["rules", "export", "-o", str(path)])
    book = openpyxl.load_workbook(path)
    choices = book["选项"]
    row = next(r for r in range(2, choices.max_row + 1) if choices.cell(r, 2).value == "quarterly")
    choices.cell(row, 5).value = 0.6
    book.save(path)
    data = json.loads(cli(["rules", "diff", "grassroots", str(path), "--json"]).stdout)
    [change] = data["rules"]["changed"]
    [field] = change["fields"]
    assert field["field"] == "answer.choices"
    old = {c["id"]: c["credit"] for c in field["old"]}
    new = {c["id"]: c["credit"] for c in field["new"]}
    assert (old["quarterly"], new["quarterly"]) == (0.5, 0.6)


def test_a_broken_pack_is_refused(cli: Cli, tmp_path: Path) -> None:
    county = copy_builtin(tmp_path)
    edit(county / "leadership.yaml", "  points: 3\n", "  points: three\n")
    err = cli(["rules", "diff", "grassroots", str(county)], code=2).stderr
    assert "leadership.yaml" in err
