"""batch: coverage read from the rules the pack names in `coverage`."""

from __future__ import annotations

from pathlib import Path

from checklist.demo_county import CountyUnit, _Row, write_form
from checklist.rulepack import load_pack
from tests.batch_data import sheet_rows
from tests.conftest import Cli
from tests.packs import write_pack

RULES = [
    {"id": "U1", "area": "cover", "org": "union", "points": 5},
    {"id": "L1", "area": "cover", "org": "league", "points": 5, "applies_to": ["village"]},
    {"id": "W1", "area": "lead", "org": "women", "points": 5},
]


def test_coverage_is_established_not_established_or_unknown(cli: Cli, tmp_path: Path) -> None:
    folder = write_pack(
        tmp_path / "pack",
        RULES,
        pack={"coverage": {"union": ["U1"], "league": ["L1"], "women": ["W1"]}},
    )
    pack = load_pack(str(folder))
    answers = {"东林村": (True, False, None), "华东精密有限公司": (False, None, True)}
    kinds = {"东林村": "village", "华东精密有限公司": "enterprise"}
    (tmp_path / "in").mkdir()
    for name, values in answers.items():
        who = CountyUnit(name, "城厢镇", kinds[name], "李明", "0512-1")
        given = dict(zip(("U1", "L1", "W1"), values, strict=True))
        rows = [_Row(rule, given[rule.id], "", None) for rule in pack.rules]
        write_form(who, 2024, pack, tmp_path / "in" / f"{name}.xlsx", rows)
    cli(["batch", str(tmp_path / "in"), "--rules", str(folder), "-o", str(tmp_path / "r.xlsx")])
    rows = sheet_rows(tmp_path / "r.xlsx", "覆盖情况")
    states = {row[0]: row[3:6] for row in rows[1:3]}
    # L1 does not apply to an enterprise, and a blank W1 answer is not "no".
    assert states == {
        "东林村": ("已建立", "未建立", "不明"),
        "华东精密有限公司": ("未建立", "不明", "已建立"),
    }
    town = next(row for row in rows if row[0] == "城厢镇")
    assert town[3:6] == ("已建1／未建1／不明0", "已建0／未建1／不明1", "已建1／未建0／不明1")


def test_a_coverage_entry_must_name_a_yes_no_rule_of_that_organisation(
    cli: Cli, tmp_path: Path
) -> None:
    rules = [*RULES, {"id": "C1", "area": "cover", "org": "union", "answer": {"type": "count"}}]
    folder = write_pack(
        tmp_path / "pack", rules, pack={"coverage": {"union": ["C1"], "league": ["U1", "X9"]}}
    )
    result = cli(["rules", "validate", str(folder)], code=2)
    for wrong in ("coverage.union", "C1", "coverage.league", "U1", "X9"):
        assert wrong in result.stderr + result.stdout
