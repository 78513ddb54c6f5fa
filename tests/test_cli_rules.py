"""`checklist rules list|show|validate` through Typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from checklist.cli import app
from tests.conftest import Cli
from tests.packs import write_pack


def test_every_command_has_help() -> None:
    command = typer.main.get_command(app)
    seen = 0

    def walk(group: object) -> None:
        nonlocal seen
        for name, sub in getattr(group, "commands", {}).items():
            assert sub.help, f"command {name} has no help text"
            seen += 1
            walk(sub)

    walk(command)
    assert seen >= 4


def test_rules_list_json_shape(cli: Cli) -> None:
    data = json.loads(cli(["rules", "list", "--json"]).stdout)
    assert set(data["pack"]) >= {"id", "version", "title"}
    assert data["pack"]["id"] == "grassroots"
    assert all(set(area) >= {"id", "title"} for area in data["areas"])
    rules = data["rules"]
    assert len(rules) >= 44
    keys = {
        "id",
        "area",
        "org",
        "indicator",
        "answer",
        "points",
        "severity",
        "veto",
        "bonus",
        "evidence",
        "applies_to",
        "finding",
        "recommendation",
        "source",
    }
    for rule in rules:
        assert set(rule) >= keys
        assert set(rule["answer"]) >= {"type", "unit", "choices"}
        for field in ("indicator", "finding", "recommendation"):
            assert rule[field]["zh"].strip() and rule[field]["en"].strip()
    for area in ("leadership", "coverage", "staffing", "innovation"):
        assert sum(1 for r in rules if r["area"] == area) >= 8


def test_rules_list_table_in_both_languages(cli: Cli) -> None:
    zh = cli(["rules", "list"]).stdout
    en = cli(["rules", "list", "--lang", "en"]).stdout
    assert "LEAD-01" in zh and "LEAD-01" in en
    assert "指标" in zh and "Indicator" in en


def test_rules_list_with_a_pack_folder(cli: Cli, tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "mini", [{"id": "R1"}, {"id": "R2"}])
    data = json.loads(cli(["rules", "list", "--rules", str(folder), "--json"]).stdout)
    assert [r["id"] for r in data["rules"]] == ["R1", "R2"]


def test_rules_show(cli: Cli) -> None:
    out = cli(["rules", "show", "LEAD-01", "--lang", "en"]).stdout
    assert "LEAD-01" in out and "Recommendation:" in out and "Source:" in out
    out_zh = cli(["rules", "show", "lead-01"]).stdout
    assert "建议" in out_zh


def test_rules_show_unknown_id(cli: Cli) -> None:
    result = cli(["rules", "show", "LEAD-99", "--lang", "en"], code=2)
    assert "LEAD-99" in result.stderr and "LEAD-01" in result.stderr


def test_rules_validate_ok(cli: Cli) -> None:
    out = cli(["rules", "validate", "grassroots", "--lang", "en"]).stdout
    assert "is valid" in out


def test_rules_validate_names_duplicate_and_dangling_ratio_in_one_run(
    cli: Cli, tmp_path: Path
) -> None:
    folder = write_pack(
        tmp_path / "bad",
        [
            {"id": "COV-01", "points": 0, "answer": {"type": "count"}},
            {"id": "LEAD-02"},
            {"id": "LEAD-02"},
            {
                "id": "COV-09",
                "answer": {"type": "ratio", "numerator": "COV-77", "denominator": "COV-01"},
                "bands": {">=90": 1.0},
            },
        ],
    )
    result = cli(["rules", "validate", str(folder), "--lang", "en"], code=2)
    assert "LEAD-02" in result.stderr
    assert "COV-09" in result.stderr and "COV-77" in result.stderr
    assert "2 problem(s)" in result.stderr


def test_rules_validate_refuses_an_area_and_a_grade_with_one_id(cli: Cli, tmp_path: Path) -> None:
    # Titles are looked up by id across areas and grades, so "pass" may not be both.
    areas = [{"id": "lead", "title": {"zh": "领导重视", "en": "Leadership"}}]
    areas.append({"id": "pass", "title": {"zh": "通过", "en": "Passing"}})
    folder = write_pack(tmp_path / "clash", [{"id": "R1"}], pack={"areas": areas})
    result = cli(["rules", "validate", str(folder), "--lang", "en"], code=2)
    assert "grade.id" in result.stderr and "pass" in result.stderr
    assert "must differ from every area id" in result.stderr


def test_rules_validate_missing_folder(cli: Cli) -> None:
    result = cli(["rules", "validate", "/no/such/pack"], code=2)
    assert "/no/such/pack" in result.stderr


def test_version(cli: Cli) -> None:
    assert cli(["--version"]).stdout.startswith("checklist ")
