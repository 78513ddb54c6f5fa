"""batch: a file that crashes, hangs or breaks its worker is listed as failed; the rest is scored."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

import checklist.pipeline
from tests.batch_data import batch, form, unit
from tests.conftest import Cli

# Worker processes that abort, hang and time out.
pytestmark = pytest.mark.slow

_real_assess = checklist.pipeline.assess_file


def _misbehaving(path: Path, pack: object, waivers: tuple[object, ...] = ()) -> object:
    # Workers are forked, so they run this patched reader; the marker is in the file name.
    name = Path(path).name
    if "abort" in name:
        os.abort()
    if "hang" in name:
        time.sleep(60)
    if "raise" in name:
        raise ValueError("a bug the intake did not foresee")
    return _real_assess(path, pack, waivers)  # type: ignore[arg-type]


@pytest.fixture
def season(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(checklist.pipeline, "assess_file", _misbehaving)
    folder = tmp_path / "in"
    for n, name in enumerate(("东林村", "新湖村", "永丰村", "泥桥村", "归庄村")):
        form(folder, unit(name, "城厢镇"), file_name=f"{n}-{name}.xlsx")
    return folder


def test_a_worker_killed_by_a_native_abort_fails_only_its_file(
    cli: Cli, season: Path, tmp_path: Path
) -> None:
    form(season, unit("万丰村", "城厢镇"), file_name="2-abort-万丰村.xlsx")
    data = batch(cli, [str(season), "-o", str(tmp_path / "out.xlsx")], code=1)
    assert [(f["file"], f["code"]) for f in data["failed"]] == [
        ("in/2-abort-万丰村.xlsx", "crashed")
    ]
    assert "退出码" in data["failed"][0]["error"]
    assert sorted(u["name"] for u in data["units"]) == [
        "东林村",
        "归庄村",
        "新湖村",
        "永丰村",
        "泥桥村",
    ]


def test_two_aborts_and_an_exception_in_one_batch(cli: Cli, season: Path, tmp_path: Path) -> None:
    form(season, unit("万丰村", "城厢镇"), file_name="0-abort-a.xlsx")
    form(season, unit("电站村", "城厢镇"), file_name="9-abort-b.xlsx")
    form(season, unit("新华村", "城厢镇"), file_name="5-raise.xlsx")
    data = batch(cli, [str(season), "-o", str(tmp_path / "out.xlsx"), "--lang", "en"], code=1)
    codes = {Path(f["file"]).name: f["code"] for f in data["failed"]}
    assert codes == {
        "0-abort-a.xlsx": "crashed",
        "9-abort-b.xlsx": "crashed",
        "5-raise.xlsx": "internal",
    }
    assert "ValueError" in next(f["error"] for f in data["failed"] if f["code"] == "internal")
    assert len(data["units"]) == 5


def test_a_file_past_the_time_limit_is_stopped(cli: Cli, season: Path, tmp_path: Path) -> None:
    form(season, unit("万丰村", "城厢镇"), file_name="3-hang.xlsx")
    started = time.monotonic()
    data = batch(cli, [str(season), "-o", str(tmp_path / "out.xlsx"), "--timeout", "1"], code=1)
    assert time.monotonic() - started < 30
    assert [(Path(f["file"]).name, f["code"]) for f in data["failed"]] == [
        ("3-hang.xlsx", "timeout")
    ]
    assert len(data["units"]) == 5


def test_the_roll_up_lists_the_failed_file(cli: Cli, season: Path, tmp_path: Path) -> None:
    from tests.batch_data import sheet_rows

    form(season, unit("万丰村", "城厢镇"), file_name="2-abort-万丰村.xlsx")
    batch(cli, [str(season), "-o", str(tmp_path / "out.xlsx")], code=1)
    checks = sheet_rows(tmp_path / "out.xlsx", "核查")
    failed = [row for row in checks if row[0] == "无法读取"]
    assert failed and failed[0][1] == "in/2-abort-万丰村.xlsx"
    assert "异常退出" in failed[0][2]
