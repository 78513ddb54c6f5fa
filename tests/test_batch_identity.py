"""batch: each submission is tied to one roster unit, never forced onto one."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from checklist.batch.roster import read_roster
from checklist.batch.run import group_units
from checklist.codes import ErrorCode
from checklist.errors import ChecklistError
from checklist.identity import same_unit
from checklist.model import UnitInfo
from tests.batch_data import batch, by_name, form, pack, roster, sheet_rows, unit
from tests.conftest import Cli


def test_same_named_villages_in_two_towns_stay_apart(cli: Cli, tmp_path: Path) -> None:
    listed = roster(
        tmp_path / "名单.xlsx",
        [("新华村", "城厢镇", "村"), ("新华村", "璜泾镇", "村"), ("东林村", "城厢镇", "村")],
    )
    form(tmp_path / "in", unit("新华村", "城厢镇"), file_name="新华村-城厢.xlsx")
    form(tmp_path / "in", unit("新华村", "璜泾镇"), file_name="新华村-璜泾.xlsx")
    data = batch(
        cli, [str(tmp_path / "in"), "--roster", str(listed), "-o", str(tmp_path / "o.xlsx")]
    )
    files = {(u["roster"], u["town"]): Path(u["file"]).name for u in data["units"]}
    assert files == {
        ("新华村", "城厢镇"): "新华村-城厢.xlsx",
        ("新华村", "璜泾镇"): "新华村-璜泾.xlsx",
    }
    assert data["duplicates"] == []
    assert [m["name"] for m in data["missing"]] == ["东林村"]


def test_a_form_without_its_town_is_placed_by_its_folder(cli: Cli, tmp_path: Path) -> None:
    listed = roster(
        tmp_path / "名单.xlsx", [("新华村", "城厢镇", "村"), ("新华村", "璜泾镇", "村")]
    )
    form(tmp_path / "in" / "璜泾镇", unit("新华村"))
    data = batch(
        cli, [str(tmp_path / "in"), "--roster", str(listed), "-o", str(tmp_path / "o.xlsx")]
    )
    assert [(u["roster"], u["town"]) for u in data["units"]] == [("新华村", "璜泾镇")]
    assert data["unmatched"] == []


def test_an_ambiguous_name_is_listed_with_its_candidates_not_matched(
    cli: Cli, tmp_path: Path
) -> None:
    listed = roster(
        tmp_path / "名单.xlsx",
        [
            ("新华村", "城厢镇", "村"),
            ("新华村", "璜泾镇", "村"),
            ("华东精密机械有限公司", "娄东街道", "非公企业"),
            ("华东精密模具有限公司", "浮桥镇", "非公企业"),
        ],
    )
    form(tmp_path / "in", unit("新华村"))
    form(tmp_path / "in", unit("华东精密", kind="enterprise"))
    data = batch(
        cli, [str(tmp_path / "in"), "--roster", str(listed), "-o", str(tmp_path / "o.xlsx")]
    )
    assert all(u["roster"] is None for u in data["units"])
    unmatched = {u["name"]: u for u in data["unmatched"]}
    assert unmatched["新华村"]["ambiguous"] is True
    assert unmatched["新华村"]["candidates"] == ["新华村", "新华村"]
    assert unmatched["华东精密"]["candidates"] == ["华东精密机械有限公司", "华东精密模具有限公司"]
    assert len(data["missing"]) == 4
    checks = sheet_rows(tmp_path / "o.xlsx", "核查")
    assert any(row[0] == "名称不明确" and "城厢镇新华村" in row[2] for row in checks)


def test_a_short_name_matches_the_one_long_name_it_fits(cli: Cli, tmp_path: Path) -> None:
    listed = roster(
        tmp_path / "名单.csv",
        [
            ("太仓市华东精密机械有限公司", "娄东街道", "非公企业"),
            ("华西精密机械有限公司", "娄东街道", "企业"),
        ],
    )
    form(tmp_path / "in", unit("华东精密", kind="enterprise"))
    data = batch(
        cli, [str(tmp_path / "in"), "--roster", str(listed), "-o", str(tmp_path / "o.xlsx")]
    )
    assert [u["roster"] for u in data["units"]] == ["太仓市华东精密机械有限公司"]
    assert [m["name"] for m in data["missing"]] == ["华西精密机械有限公司"]


def test_a_traditional_roster_matches_simplified_forms(cli: Cli, tmp_path: Path) -> None:
    listed = roster(
        tmp_path / "名單.xlsx",
        [("東林村村民委員會", "城廂鎮", "村"), ("太倉港城物流股份有限公司", "浮橋鎮", "非公企業")],
        head=("序號", "單位名稱", "所屬鎮（街道）", "單位類型", "聯繫人", "聯繫電話"),
    )
    form(tmp_path / "in", unit("城厢镇东林村村委会", "城厢镇"))
    form(tmp_path / "in", unit("港城物流有限公司", "浮桥镇", "enterprise"))
    data = batch(
        cli, [str(tmp_path / "in"), "--roster", str(listed), "-o", str(tmp_path / "o.xlsx")]
    )
    assert sorted(by_name(data)) == ["太倉港城物流股份有限公司", "東林村村民委員會"]
    assert data["missing"] == [] and data["unmatched"] == []


def test_a_form_named_only_in_its_file_name_is_matched_by_it(cli: Cli, tmp_path: Path) -> None:
    listed = roster(
        tmp_path / "名单.xlsx", [("永丰村", "城厢镇", "村"), ("东林村", "城厢镇", "村")]
    )
    form(tmp_path / "in", unit(""), file_name="永丰村2024年自评表.xlsx")
    data = batch(
        cli, [str(tmp_path / "in"), "--roster", str(listed), "-o", str(tmp_path / "o.xlsx")]
    )
    assert [u["roster"] for u in data["units"]] == ["永丰村"]


def test_a_unit_not_on_the_roster_gets_its_own_row_and_is_listed(cli: Cli, tmp_path: Path) -> None:
    listed = roster(tmp_path / "名单.xlsx", [("城南社区", "城厢镇", "社区")])
    form(tmp_path / "in", unit("洛阳社区", "城厢镇", "community"))
    data = batch(
        cli, [str(tmp_path / "in"), "--roster", str(listed), "-o", str(tmp_path / "o.xlsx")]
    )
    assert data["unmatched"][0]["name"] == "洛阳社区"
    assert data["unmatched"][0]["ambiguous"] is False
    assert data["units"][0]["roster"] is None
    rows = sheet_rows(tmp_path / "o.xlsx", "单位得分")
    assert [(r[0], r[3]) for r in rows[1:]] == [
        ("城南社区", "未报送"),
        ("洛阳社区", "已评分（不在名单中）"),
    ]


def test_an_unreadable_roster_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    form(tmp_path / "in", unit("东林村", "城厢镇"))
    bad = tmp_path / "名单.xlsx"
    bad.write_bytes(b"not a workbook at all")
    result = cli(["batch", str(tmp_path / "in"), "--roster", str(bad)], code=2)
    assert "名单.xlsx" in result.stderr
    headless = tmp_path / "无表头.csv"
    headless.write_text("甲,乙\n1,2\n", encoding="utf-8")
    result = cli(["batch", str(tmp_path / "in"), "--roster", str(headless), "--lang", "en"], code=2)
    assert "unit-name column" in result.stderr
    assert not list(Path.cwd().glob("rollup-*.xlsx"))


def test_a_roster_kept_in_the_season_folder_is_not_a_submission(cli: Cli, tmp_path: Path) -> None:
    form(tmp_path / "in", unit("东林村", "城厢镇"))
    listed = roster(tmp_path / "in" / "名单.xlsx", [("东林村", "城厢镇", "村")])
    data = batch(
        cli, [str(tmp_path / "in"), "--roster", str(listed), "-o", str(tmp_path / "o.xlsx")]
    )
    assert [(s["file"], s["reason"]) for s in data["skipped"]] == [("in/名单.xlsx", "roster")]
    assert data["failed"] == [] and [u["roster"] for u in data["units"]] == ["东林村"]


_NAMES = st.text(alphabet="东林村新华太仓市镇沙溪精密公司一中", max_size=11) | st.builds(
    str.__add__,
    st.sampled_from(["", "太仓", "太仓市", "城厢镇", "苏州太仓市"]),
    st.sampled_from(["华东精密机械公司", "精密机械公司", "东林村", "新华村村委会", "第一中学"]),
)
_UNITS = st.builds(
    UnitInfo,
    _NAMES,
    st.sampled_from(["", "城厢镇", "璜泾镇", "城厢"]),
    st.sampled_from([None, "village", "company"]),
)


@given(st.lists(_UNITS, max_size=30))
def test_units_are_grouped_as_the_pairwise_rule_groups_them(units: list[UnitInfo]) -> None:
    # Each unit joins the first group whose first member is the same unit.
    expected: list[list[int]] = []
    for index, info in enumerate(units):
        home = next((g for g in expected if same_unit(units[g[0]], info)), None)
        if home is None:
            expected.append([index])
        else:
            home.append(index)
    assert group_units(units) == expected


def _one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    return lines[0]


def _unit_details_sheet(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "单位信息"
    for label, value in (
        ("单位名称", "东林村"),
        ("单位类型", "村"),
        ("所属镇（街道）", "城厢镇"),
        ("年度", 2024),
        ("填报人", "朱晓燕"),
    ):
        sheet.append([label, value])
    book.save(path)
    return path


def _retyped_form(path: Path) -> Path:
    """A form retyped without rule ids: the pack's indicators under the unit's own header words."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["东林村2024年群团工作自评表"])
    sheet.append(["序号", "项目", "内容", "情况"])
    for n, rule in enumerate(pack().rules[:6], start=1):
        sheet.append([n, pack().area(rule.area).title.zh, rule.indicator.zh, "是"])
    book.save(path)
    return path


def test_a_form_given_as_the_roster_is_refused_in_one_line(cli: Cli, tmp_path: Path) -> None:
    form(tmp_path / "in", unit("东林村", "城厢镇"))
    cli(["template", "-o", str(tmp_path / "空白模板.xlsx")])
    filled = form(tmp_path / "sent", unit("西园社区", "娄东街道", "community"))
    retyped = _retyped_form(tmp_path / "东林村自评.xlsx")
    for wrong in (tmp_path / "空白模板.xlsx", filled, retyped):
        result = cli(["batch", str(tmp_path / "in"), "--roster", str(wrong)], code=2)
        line = _one_line(result.stderr)
        assert wrong.name in line and "不是单位名单" in line and "自评表" in line
        assert "单位名称" in line  # what a roster looks like
        english = cli(
            ["batch", str(tmp_path / "in"), "--roster", str(wrong), "--lang", "en"], code=2
        )
        assert "is not a roster" in _one_line(english.stderr)
        assert "one unit per row" in english.stderr
    assert not list(tmp_path.glob("*汇总*")) and not list(Path.cwd().glob("rollup-*.xlsx"))
    with pytest.raises(ChecklistError) as caught:
        read_roster(filled, pack())
    assert caught.value.code is ErrorCode.roster_is_form


def test_a_unit_details_sheet_given_as_the_roster_is_refused(cli: Cli, tmp_path: Path) -> None:
    form(tmp_path / "in", unit("东林村", "城厢镇"))
    details = _unit_details_sheet(tmp_path / "单位信息.xlsx")
    result = cli(["batch", str(tmp_path / "in"), "--roster", str(details)], code=2)
    line = _one_line(result.stderr)
    assert "单位信息.xlsx" in line and "单位信息表" in line
    result = cli(["template", "--roster", str(details), "-o", str(tmp_path / "forms")], code=2)
    assert "unit's details" in _one_line(
        cli(
            ["template", "--roster", str(details), "-o", str(tmp_path / "f"), "--lang", "en"],
            code=2,
        ).stderr
    )
    assert not (tmp_path / "forms").exists()
