"""batch: the season's year, and which of a unit's files counts."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from checklist.batch.select import Version, version_of
from tests.batch_data import batch, by_name, copy, form, roster, sheet_rows, unit
from tests.conftest import Cli


def test_version_words_in_file_names() -> None:
    assert version_of("西园社区-2024-自评(终稿)") is Version.final
    assert version_of("沙溪镇第一中学2024年度自评表（定稿）") is Version.final
    assert version_of("自评表最终版") is Version.final
    assert version_of("西园社区-2023-自评(修改稿)") is Version.revised
    assert version_of("自评表修訂稿") is Version.revised
    assert version_of("自评表初稿") is Version.draft
    assert version_of("自评表(征求意见稿)") is Version.draft
    assert version_of("东林村2024年自评表") is Version.unmarked


def test_the_year_most_forms_carry_is_the_season_and_other_years_are_listed(
    cli: Cli, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    form(folder, unit("东林村", "城厢镇"), 2024)
    form(folder, unit("新湖村", "璜泾镇"), 2024)
    form(folder, unit("永丰村", "城厢镇"), 2023)
    data = batch(cli, [str(folder), "-o", str(tmp_path / "o.xlsx")])
    assert data["year"] == 2024
    assert sorted(u["name"] for u in data["units"]) == ["东林村", "新湖村"]
    assert [(Path(s["file"]).name, s["reason"]) for s in data["skipped"]] == [
        ("永丰村2023自评表.xlsx", "other_year")
    ]
    data = batch(cli, [str(folder), "--year", "2023", "-o", str(tmp_path / "o.xlsx")])
    assert [u["name"] for u in data["units"]] == ["永丰村"]


def test_a_roster_unit_that_sent_only_last_years_form_is_missing_for_that_reason(
    cli: Cli, tmp_path: Path
) -> None:
    listed = roster(
        tmp_path / "名单.xlsx", [("东林村", "城厢镇", "村"), ("永丰村", "城厢镇", "村")]
    )
    form(tmp_path / "in", unit("东林村", "城厢镇"), 2024)
    form(tmp_path / "in", unit("永丰村", "城厢镇"), 2023)
    data = batch(
        cli, [str(tmp_path / "in"), "--roster", str(listed), "-o", str(tmp_path / "o.xlsx")]
    )
    assert data["missing"] == [
        {
            "name": "永丰村",
            "town": "城厢镇",
            "reason": "other_year",
            "reason_text": "只报送了其他年度的表",
        }
    ]
    missing = sheet_rows(tmp_path / "o.xlsx", "未报送")
    assert missing[1][0] == "永丰村" and "2023" in missing[1][6]


def test_final_over_revised_over_unmarked_over_draft_then_latest(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    who = unit("西园社区", "娄东街道", "community")
    draft = form(folder, who, file_name="西园社区(初稿).xlsx")
    # Different content in each file, so none collapses as an identical copy.
    for n, name in enumerate(("西园社区(修改稿).xlsx", "西园社区(终稿).xlsx", "西园社区.xlsx")):
        target = folder / name
        form(tmp_path / f"v{n}", unit("西园社区", "娄东街道", "community"), 2024, "x.xlsx")
        shutil.copyfile(tmp_path / f"v{n}" / "x.xlsx", target)
        with open(target, "ab") as handle:
            handle.write(b"\0" * (n + 1))  # zip readers ignore trailing bytes
    data = batch(cli, [str(folder), "-o", str(tmp_path / "o.xlsx")])
    (only,) = data["units"]
    assert Path(only["file"]).name == "西园社区(终稿).xlsx"
    assert [Path(p).name for p in data["duplicates"][0]["superseded"]] == [
        "西园社区(修改稿).xlsx",
        "西园社区.xlsx",
        "西园社区(初稿).xlsx",
    ]
    checks = sheet_rows(tmp_path / "o.xlsx", "核查")
    assert sum(row[0] == "被替代的版本" for row in checks) == 3
    assert draft.exists()


def test_among_equals_the_latest_file_counts_and_identical_copies_collapse(
    cli: Cli, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    older = form(folder, unit("东林村", "城厢镇"), file_name="东林村自评.xlsx")
    newer = form(tmp_path / "other", unit("东林村", "城厢镇"), file_name="x.xlsx")
    newer = copy(newer, folder / "东林村自评表.xlsx")
    with open(newer, "ab") as handle:
        handle.write(b"\0")
    same = copy(older, folder / "东林村自评(1).xlsx")
    os.utime(older, (1_700_000_000, 1_700_000_000))
    os.utime(same, (1_700_000_000, 1_700_000_000))
    os.utime(newer, (1_710_000_000, 1_710_000_000))
    data = batch(cli, [str(folder), "-o", str(tmp_path / "o.xlsx")])
    assert Path(by_name(data)["东林村"]["file"]).name == "东林村自评表.xlsx"
    assert sorted(Path(p).name for p in data["duplicates"][0]["superseded"]) == [
        "东林村自评(1).xlsx",
        "东林村自评.xlsx",
    ]
