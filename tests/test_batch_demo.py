"""batch: the demo county, and every unit's batch score equal to its `score`."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from checklist.demo import example_files
from checklist.demo_county import ROSTER_NAME, UNITS, write_county
from tests.batch_data import batch, pack
from tests.conftest import Cli

# The whole demo county, three seasons, and `score` run on every unit.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("county")
    write_county(folder, pack(), example_files())
    return folder


def test_the_demo_county_2024(cli: Cli, county: Path, tmp_path: Path) -> None:
    data = batch(
        cli,
        [
            str(county / "2024"),
            "--roster",
            str(county / ROSTER_NAME),
            "-o",
            str(tmp_path / "r.xlsx"),
        ],
        code=1,
    )
    assert len(UNITS) == 40
    assert data["year"] == 2024
    missing = {m["name"]: m["reason"] for m in data["missing"]}
    assert missing == {
        "电站村": "no_file",
        "东门社区": "no_file",
        "王秀村": "no_file",
        "岳王村": "no_file",
        "牌楼村": "no_file",
        "时思村": "unreadable",
        "方桥村": "other_year",
    }
    assert [(f["file"], f["code"]) for f in data["failed"]] == [
        ("2024/浮桥镇/时思村2024年群团工作自评表.xlsx", "not_workbook")
    ]
    duplicates = {d["unit"]: [Path(p).name for p in d["superseded"]] for d in data["duplicates"]}
    assert duplicates == {
        "致和社区": ["致和社区2024年群团工作自评表(1).xlsx"],
        "半泾社区": ["半泾社区2024年群团工作自评表(初稿).xlsx"],
    }
    assert [(u["name"], u["candidates"][:1]) for u in data["unmatched"]] == [
        ("洛阳社区", ["城南社区"])
    ]
    assert [sorted(c["units"]) for c in data["copied"]] == [["杨漕村", "雅鹿村"]]
    skipped = {Path(s["file"]).name: s["reason"] for s in data["skipped"]}
    assert skipped == {
        "~$新华村2024年群团工作自评表.xlsx": "lock",
        "泥桥村2024年群团工作总结.docx": "not_spreadsheet",
        "方桥村2023年群团工作自评表.xlsx": "other_year",
    }
    # The two 新华村 are two units, each scored from its own town's file.
    xinhua = sorted(
        (u["town"], Path(u["file"]).parent.name) for u in data["units"] if u["roster"] == "新华村"
    )
    assert xinhua == [("城厢镇", "城厢镇"), ("璜泾镇", "璜泾镇")]
    assert len([u for u in data["units"] if u["status"] == "scored"]) == 34


def test_every_units_batch_score_is_its_score(cli: Cli, county: Path, tmp_path: Path) -> None:
    data = batch(
        cli,
        [
            str(county / "2024"),
            "--roster",
            str(county / ROSTER_NAME),
            "-o",
            str(tmp_path / "r.xlsx"),
        ],
        code=1,
    )
    scored = [u for u in data["units"] if u["status"] == "scored"]
    assert scored
    for n, entry in enumerate(scored):
        shown = Path(entry["file"])
        parts = entry["file"].split("/")
        if any(p.endswith(".zip") for p in parts):
            at = next(i for i, p in enumerate(parts) if p.endswith(".zip"))
            with zipfile.ZipFile(county.joinpath(*parts[: at + 1])) as archive:
                source = tmp_path / str(n) / shown.name
                source.parent.mkdir()
                source.write_bytes(archive.read("/".join(parts[at + 1 :])))
        else:
            source = county.joinpath(*parts)
        alone = json.loads(
            cli(["score", str(source), "--json", "-o", str(tmp_path / f"{n}.xlsx")]).stdout
        )
        assert entry["score"] == {
            "total": alone["score"]["total"],
            "base": alone["score"]["base"],
            "bonus": alone["score"]["bonus"],
            "grade": alone["score"]["grade"],
        }, entry["file"]


def test_each_season_rolls_up_with_the_change_since_the_one_before(
    cli: Cli, county: Path, tmp_path: Path
) -> None:
    db = tmp_path / "h.db"
    for year in (2022, 2023):
        batch(
            cli,
            [
                str(county / str(year)),
                "--roster",
                str(county / ROSTER_NAME),
                "--save",
                "--db",
                str(db),
                "-o",
                str(tmp_path / f"{year}.xlsx"),
            ],
        )
    from tests.batch_data import sheet_rows

    summary = [
        c for row in sheet_rows(tmp_path / "2023.xlsx", "概览") for c in row if isinstance(c, str)
    ]
    assert any("两年均有数据" in c for c in summary)
