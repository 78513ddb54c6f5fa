"""build_trend(): three saved years of 东林村, re-scored under one pack."""

from __future__ import annotations

from pathlib import Path

import pytest

from checklist.history import open_history
from checklist.model import RulePack, Status
from checklist.trend import Trend, build_trend, trend_to_dict
from tests.years import assessment_for, make_packs, result_for


@pytest.fixture
def packs(tmp_path: Path) -> tuple[RulePack, RulePack]:
    return make_packs(tmp_path / "packs")


def _trend(tmp_path: Path, packs: tuple[RulePack, RulePack], under: RulePack) -> Trend:
    v1, v2 = packs
    db = tmp_path / "h.db"
    with open_history(db) as history:
        # 2022 and 2023 were scored with pack 1.0 at the time, 2024 with 2.0.
        for year, pack in ((2022, v1), (2023, v1), (2024, v2)):
            history.save(assessment_for(year, pack), result_for(year, pack))
        unit_history = history.unit_history("东林村")
    return build_trend(unit_history.unit, unit_history.assessments, under)


def test_trend_rescores_every_year_under_one_pack(
    tmp_path: Path, packs: tuple[RulePack, RulePack]
) -> None:
    _, v2 = packs
    trend = _trend(tmp_path, packs, v2)
    assert str(trend.pack) == "mini 2.0"
    assert trend.year_numbers == (2022, 2023, 2024)
    assert [y.total for y in trend.years] == [0.0, 33.33, 50.0]
    assert [y.delta for y in trend.years] == [None, 33.33, 16.67]
    assert [y.areas for y in trend.years] == [(0.0, 0.0), (30.0, 37.5), (30.0, 75.0)]
    assert trend.areas == ("lead", "cover")
    # What scored each year when it was saved, and what it gave then.
    assert [str(y.scored_pack) for y in trend.years] == ["mini 1.0", "mini 1.0", "mini 2.0"]
    assert [y.scored_total for y in trend.years] == [0.0, 42.86, 50.0]
    assert [y.unit_name for y in trend.years] == ["东林村", "东林村", "城厢镇东林村村委会"]
    assert trend.unit_name == "城厢镇东林村村委会" and trend.unit_key == "东林村"
    assert trend.names == ("东林村", "城厢镇东林村村委会")


def test_persistent_gaps_first_then_regressions(
    tmp_path: Path, packs: tuple[RulePack, RulePack]
) -> None:
    _, v2 = packs
    trend = _trend(tmp_path, packs, v2)
    # Still open for three years first, then persistent-but-closed, then the
    # regression, then the rest.
    assert [r.rule_id for r in trend.rows] == [
        "L3",
        "L4",
        "NEW1",
        "C1",
        "L2",
        "C3",
        "NEW2",
        "L1",
        "C2",
    ]
    assert trend.persistent == ("L3", "L4", "NEW1", "C1", "L2", "C3", "NEW2")
    assert trend.regressed == ("L1",)
    l1 = trend.row("L1")
    assert l1.statuses == (Status.fail, Status.passed, Status.fail)
    assert l1.regressed_in == (2024,)
    assert (l1.longest_run, l1.open_run, l1.persistent) == (1, 1, False)
    c3 = trend.row("C3")
    assert c3.statuses == (Status.fail, Status.unsupported, Status.passed)
    assert (c3.longest_run, c3.open_run) == (2, 0)
    assert trend.row("L3").statuses == (Status.fail, Status.partial, Status.partial)
    assert trend.row("C1").statuses == (Status.fail, Status.fail, Status.missing)


def test_trend_under_the_old_pack_has_its_rules(
    tmp_path: Path, packs: tuple[RulePack, RulePack]
) -> None:
    v1, _ = packs
    trend = _trend(tmp_path, packs, v1)
    ids = {r.rule_id for r in trend.rows}
    assert "OLD1" in ids and "NEW1" not in ids
    # L4 is community-only in 1.0: N/A every year for a village, never a gap.
    l4 = trend.row("L4")
    assert l4.statuses == (Status.na, Status.na, Status.na) and not l4.persistent
    assert [y.total for y in trend.years] == [0.0, 42.86, 50.0]


def test_trend_json(tmp_path: Path, packs: tuple[RulePack, RulePack]) -> None:
    _, v2 = packs
    data = trend_to_dict(_trend(tmp_path, packs, v2))
    assert data["pack"] == {"id": "mini", "version": "2.0"}
    assert [y["scored"]["pack"]["version"] for y in data["years"]] == ["1.0", "1.0", "2.0"]
    assert data["years"][1]["areas"] == {"lead": 30.0, "cover": 37.5}
    assert data["persistent"][:2] == ["L3", "L4"]
    assert data["regressed"] == ["L1"]
    l1 = next(r for r in data["rules"] if r["id"] == "L1")
    assert l1["statuses"] == {"2022": "fail", "2023": "pass", "2024": "fail"}


def test_trend_lists_rules_added_and_retired_since_each_saved_pack(
    tmp_path: Path, packs: tuple[RulePack, RulePack]
) -> None:
    v1, v2 = packs
    trend = _trend(tmp_path, packs, v2)
    (change,) = trend.pack_changes  # 2024 was saved under 2.0 itself
    assert (str(change.pack), change.years) == ("mini 1.0", (2022, 2023))
    assert change.added == tuple(r.id for r in v2.rules if r.id not in v1.rules_by_id)
    assert change.retired == tuple(r.id for r in v1.rules if r.id not in v2.rules_by_id)
    assert "NEW1" in change.added and "OLD1" in change.retired
    data = trend_to_dict(trend)
    assert data["pack_changes"] == [
        {
            "pack": {"id": "mini", "version": "1.0"},
            "years": [2022, 2023],
            "rules_added": list(change.added),
            "rules_retired": list(change.retired),
        }
    ]
    # Under the pack 2022 and 2023 were saved with, only 2024 differs.
    (tmp_path / "old").mkdir()
    (back,) = _trend(tmp_path / "old", packs, v1).pack_changes
    assert (str(back.pack), back.years) == ("mini 2.0", (2024,))
    assert "NEW1" in back.retired and "OLD1" in back.added
