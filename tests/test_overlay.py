"""Overlays: a local pack that extends a base pack and lists only its changes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from checklist.errors import ChecklistError
from checklist.rulepack import load_pack
from tests.conftest import Cli
from tests.forms import Filled, Form, clean_form
from tests.packs import full_rule, write_pack

RULES: list[dict[str, Any]] = [
    {
        "id": "L-01",
        "answer": {"type": "count", "unit": "次"},
        "points": 4,
        "bands": {">=2": 1.0, ">=1": 0.5},
    },
    {"id": "L-02"},
    {"id": "C-01", "area": "cover"},
]


def _dump(path: Path, data: object) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return write_pack(tmp_path / "mini", RULES)


def _overlay(folder: Path, rules: list[dict[str, Any]], **pack: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    head = {
        "extends": "../mini",
        "id": "taicang",
        "version": "2025.1",
        "title": {"zh": "太仓市2025版", "en": "Taicang 2025"},
        **pack,
    }
    _dump(folder / "pack.yaml", head)
    _dump(folder / "local.yaml", rules)
    return folder


RAISED = [{"id": "L-01", "bands": {">=3": 1.0, ">=2": 0.5}}]


def _forms(folder: Path, pack_spec: Path) -> dict[str, Path]:
    pack = load_pack(pack_spec)
    forms = {}
    for name, count in (("东林村", 3), ("西林村", 2), ("南林村", 0)):
        answers = {
            "L-01": Filled(count),
            "L-02": Filled("是"),
            "C-01": Filled("是"),
        }
        form = Form(name, "村", 2024, "城厢镇", answers)
        forms[name] = clean_form(pack, form, folder / f"{name}.xlsx")
    return forms


def _score(cli: Cli, form: Path, rules: Path, out: Path) -> dict[str, Any]:
    result = cli(["score", str(form), "--rules", str(rules), "-o", str(out), "--json"])
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_raising_one_threshold_changes_exactly_the_units_it_touches(
    cli: Cli, base: Path, tmp_path: Path
) -> None:
    overlay = _overlay(tmp_path / "taicang", RAISED)
    forms = _forms(tmp_path, base)
    changed = {}
    for name, form in forms.items():
        before = _score(cli, form, base, tmp_path / f"{name}-base.json")
        after = _score(cli, form, overlay, tmp_path / f"{name}-overlay.json")
        other = [r for r in before["rules"] if r["id"] != "L-01"]
        assert other == [r for r in after["rules"] if r["id"] != "L-01"]
        if before["score"] != after["score"]:
            changed[name] = (before["score"]["base"], after["score"]["base"])
    # 3 times meets both bands; 2 times drops from full (8 of 8) to half (6 of 8); 0 earns
    # nothing under either.
    assert changed == {"西林村": (100.0, 75.0)}


def test_overlay_switches_off_adds_and_changes_grades(cli: Cli, base: Path, tmp_path: Path) -> None:
    local = full_rule(
        {"id": "TC-01", "area": "cover", "points": 2, "indicator": {"zh": "品牌", "en": "Brand"}}
    )
    overlay = _overlay(
        tmp_path / "taicang",
        [*RAISED, {"id": "L-02", "disabled": True}, local],
        grades=[{"id": "good", "min": 85}],
    )
    pack = load_pack(overlay)
    assert [r.id for r in pack.rules] == ["L-01", "C-01", "TC-01"]
    assert pack.rule("L-01").bands[0].condition.threshold == 3
    assert [(g.id, g.min) for g in pack.grades] == [
        ("excellent", 90),
        ("good", 85),
        ("pass", 60),
        ("fail", 0),
    ]
    assert (pack.id, pack.version, pack.base) == ("taicang", "2025.1", "mini 1.0")
    assert pack.name("zh") == "太仓市2025版 taicang 2025.1（基于 mini 1.0）"

    form = _forms(tmp_path, base)["西林村"]
    data = _score(cli, form, overlay, tmp_path / "x.json")
    assert data["pack"] == {"id": "taicang", "version": "2025.1", "base": "mini 1.0"}
    summary = cli(["score", str(form), "--rules", str(overlay), "-o", str(tmp_path / "x.xlsx")])
    assert "太仓市2025版 taicang 2025.1（基于 mini 1.0）" in summary.stdout
    book = openpyxl.load_workbook(tmp_path / "x.xlsx")
    overview = book.worksheets[0]
    texts = [str(c.value) for row in overview.iter_rows() for c in row if c.value]
    assert any("（基于 mini 1.0）" in t for t in texts)


def test_validation_names_the_overlay_file_and_key(cli: Cli, base: Path, tmp_path: Path) -> None:
    overlay = _overlay(
        tmp_path / "taicang",
        [
            {"id": "L-01", "bands": {">=3": 1.0, ">=4": 0.5}},
            {"id": "NOPE-1", "disabled": True},
            {"id": "TC-01", "area": "cover", "answer": {"type": "yesno"}},
        ],
    )
    result = cli(["rules", "validate", str(overlay)], code=2)
    lines = result.stderr.splitlines()
    assert any(
        line.startswith("  - local.yaml：规则 L-01：键 bands") and "分档顺序错误" in line
        for line in lines
    )
    assert any(
        line.startswith("  - local.yaml：规则 NOPE-1：键 disabled") and "没有这条规则" in line
        for line in lines
    )
    assert any(line.startswith("  - local.yaml：规则 TC-01：键 points") for line in lines)
    assert not any("mini" in line or "rules.yaml" in line for line in lines[1:])
    english = cli(["rules", "validate", str(overlay), "--lang", "en"], code=2)
    assert "local.yaml: rule L-01: key bands" in english.stderr


def test_a_base_rule_left_pointing_at_a_switched_off_rule_is_named_in_the_overlay(
    cli: Cli, tmp_path: Path
) -> None:
    write_pack(
        tmp_path / "mini",
        RULES,
        checks=[{"id": "CHK-01", "assert": "L-01 >= 0", "message": {"zh": "核对", "en": "Check"}}],
    )
    overlay = _overlay(tmp_path / "taicang", [{"id": "L-01", "disabled": True}])
    result = cli(["rules", "validate", str(overlay)], code=2)
    assert "local.yaml：检查 CHK-01：键 assert = 'L-01'" in result.stderr
    assert "已在 local.yaml 中停用" in result.stderr


def test_a_problem_in_the_base_is_named_in_the_base(cli: Cli, tmp_path: Path) -> None:
    write_pack(tmp_path / "mini", [{"id": "L-01", "points": -1}])
    overlay = _overlay(tmp_path / "taicang", RAISED)
    with pytest.raises(ChecklistError) as caught:
        load_pack(overlay)
    assert str(tmp_path / "mini") in caught.value.message.zh
    assert "rules.yaml" in caught.value.details[0].zh


def test_an_overlay_keeps_its_own_identity(base: Path, tmp_path: Path) -> None:
    folder = tmp_path / "taicang"
    folder.mkdir()
    _dump(folder / "pack.yaml", {"extends": "../mini", "id": "mini"})
    _dump(folder / "local.yaml", RAISED)
    with pytest.raises(ChecklistError) as caught:
        load_pack(folder)
    details = "\n".join(d.zh for d in caught.value.details)
    assert "pack.yaml：规则包：键 version" in details
    assert "pack.yaml：规则包：键 id = 'mini'" in details


def _cell_of(sheet: Any, label: str) -> tuple[int, int]:
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == label:
                return cell.row, cell.column
    raise AssertionError(label)


def test_a_workbook_overlay_names_its_base_on_the_guide_sheet(
    cli: Cli, base: Path, tmp_path: Path
) -> None:
    exported = tmp_path / "overlay.xlsx"
    cli(["rules", "export", "--rules", str(base), "-o", str(exported)])
    book = openpyxl.load_workbook(exported)
    guide = book["说明"]
    for label, value in (
        ("规则包编号", "taicang"),
        ("版本", "2025.1"),
        ("规则包名称（中文）", "太仓市2025版"),
        ("规则包名称（英文）", "Taicang 2025"),
        ("基础规则包", f"{base} 1.0"),
    ):
        row, col = _cell_of(guide, label)
        guide.cell(row, col + 1).value = value
    rules = book["规则"]
    head: dict[object, int] = {cell.value: int(cell.column or 0) for cell in rules[1]}
    keep: list[list[str | None]] = []
    for row in range(2, rules.max_row + 1):
        rule_id = rules.cell(row, head["编号"]).value
        if rule_id == "L-01":
            keep.append([None] * len(head))
            keep[-1][head["编号"] - 1] = "L-01"
            keep[-1][head["分档"] - 1] = ">=3: 1\n>=2: 0.5"
        elif rule_id == "L-02":
            keep.append([None] * len(head))
            keep[-1][head["编号"] - 1] = "L-02"
            keep[-1][head["停用"] - 1] = "是"
    rules.delete_rows(2, rules.max_row)
    for values in keep:
        rules.append(values)
    areas = book["类别"]
    areas.delete_rows(2, areas.max_row)
    for name in ("等次", "单位类型", "一致性检查", "选项"):
        if name in book.sheetnames:
            book[name].delete_rows(2, book[name].max_row)
    book.save(exported)

    pack = load_pack(exported)
    assert [r.id for r in pack.rules] == ["L-01", "C-01"]
    assert pack.rule("L-01").bands[0].condition.threshold == 3
    assert pack.base == "mini 1.0"

    # A mistake in the overlay workbook is named by its sheet and cell.
    book = openpyxl.load_workbook(exported)
    rules = book["规则"]
    rules.cell(2, head["分档"]).value = ">=3: 1\n>=4: 0.5"
    book.save(exported)
    result = cli(["rules", "validate", str(exported)], code=2)
    column = openpyxl.utils.get_column_letter(head["分档"])
    assert f"规则!{column}2" in result.stderr


def test_an_edited_base_invalidates_a_cached_overlay(
    base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    overlay = _overlay(tmp_path / "taicang", RAISED)
    first = load_pack(overlay)
    assert len(list((tmp_path / "cache").rglob("*.json"))) == 1  # its key covers the base too
    assert load_pack(overlay) == first  # from the cache
    # The overlay's own files are untouched; only the base changes.
    rules = yaml.safe_load((base / "rules.yaml").read_text(encoding="utf-8"))
    rules[1]["points"] = 5
    _dump(base / "rules.yaml", rules)
    again = load_pack(overlay)
    assert again.rule("L-02").points == 5
    assert first.rule("L-02").points == 2


def test_an_overlay_named_in_flow_style_is_still_merged(base: Path, tmp_path: Path) -> None:
    folder = _overlay(tmp_path / "taicang", RAISED)
    data = yaml.safe_load((folder / "pack.yaml").read_text(encoding="utf-8"))
    (folder / "pack.yaml").write_text(
        yaml.safe_dump(data, default_flow_style=True, allow_unicode=True), encoding="utf-8"
    )
    # The quick look for the cache key misses it; the merge does not, and it is not cached.
    assert load_pack(folder).base == "mini 1.0"


def _batch(cli: Cli, season: Path, rules: Path, out: Path) -> dict[str, float]:
    result = cli(
        ["batch", str(season), "--rules", str(rules), "-o", str(out), "--jobs", "1", "--json"]
    )
    data = json.loads(result.stdout)
    return {u["name"]: u["score"]["total"] for u in data["units"]}


def test_in_batch_a_raised_threshold_changes_exactly_the_units_it_touches(
    cli: Cli, base: Path, tmp_path: Path
) -> None:
    overlay = _overlay(tmp_path / "taicang", RAISED)
    season = tmp_path / "season"
    season.mkdir()
    _forms(season, base)
    before = _batch(cli, season, base, tmp_path / "base.xlsx")
    after = _batch(cli, season, overlay, tmp_path / "overlay.xlsx")
    assert set(before) == set(after) == {"东林村", "西林村", "南林村"}
    changed = {name: (before[name], after[name]) for name in before if before[name] != after[name]}
    assert changed == {"西林村": (100.0, 75.0)}
    summary = openpyxl.load_workbook(tmp_path / "overlay.xlsx").worksheets[0]
    assert "（基于 mini 1.0）" in str(summary["A2"].value)


def test_the_demo_countys_local_pack_changes_three_things(cli: Cli) -> None:
    from checklist.demo import examples_folder

    local = load_pack(examples_folder() / "county" / "overlay")
    base = load_pack("grassroots")
    assert local.base == f"grassroots {base.version}"
    assert local.rule("LEAD-01").bands[0].condition.threshold == 3
    assert base.rule("LEAD-01").bands[0].condition.threshold == 2
    assert "INNO-08" in base.rules_by_id and "INNO-08" not in local.rules_by_id
    assert set(local.rules_by_id) - set(base.rules_by_id) == {"TC-01"}
    diff = json.loads(
        cli(
            ["rules", "diff", "grassroots", str(examples_folder() / "county" / "overlay"), "--json"]
        ).stdout
    )
    rules = diff["rules"]
    assert [r["id"] for r in rules["added"]] == ["TC-01"]
    assert [r["id"] for r in rules["removed"]] == ["INNO-08"]
    assert [(r["id"], [f["field"] for f in r["fields"]]) for r in rules["changed"]] == [
        ("LEAD-01", ["bands", "source"])
    ]


@pytest.mark.slow
def test_the_demo_county_rolls_up_under_its_local_pack_with_its_waiver(tmp_path: Path) -> None:
    from checklist.demo import example_files, run_county

    written = run_county(tmp_path, "zh", example_files())
    book = openpyxl.load_workbook(written[-1])
    subtitle = str(book["概览"]["A2"].value)
    assert "太仓市2025版（taicang 2025.1）（基于 grassroots" in subtitle
    rows = [[c.value for c in r] for r in book["豁免"].iter_rows()]
    assert rows[1][:3] == ["沙溪镇第一中学", "沙溪镇", "LIFE-03"]
    sheet = list(book["单位得分"].iter_rows(values_only=True))
    head = list(sheet[0])
    school = next(r for r in sheet if r[0] == "沙溪镇第一中学")
    # The veto it failed is waived explicitly: no failed veto, and the waiver flagged.
    assert school[head.index("否决项未达标")] in (None, "")
    assert "豁免 LIFE-03" in str(school[head.index("核查提示")])
    earlier = openpyxl.load_workbook(written[0])["豁免"]
    texts = [str(r[0].value) for r in earlier.iter_rows() if r[0].value]
    assert any("不追溯到 2022 年度" in t for t in texts)
