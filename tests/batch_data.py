"""Season folders, forms and rosters for the batch tests, built in code."""

from __future__ import annotations

import csv
import json
import shutil
import warnings
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import openpyxl

from checklist.demo_county import CountyUnit, write_form
from checklist.model import RulePack
from checklist.rulepack import load_pack
from tests.conftest import Cli


@cache
def pack() -> RulePack:
    """The built-in pack, loaded once per test process."""
    return load_pack(None)


def unit(name: str, town: str = "", kind: str = "village") -> CountyUnit:
    """A unit as a form gives it."""
    return CountyUnit(name, town, kind, "李明", "0512-53520000")


def form(folder: Path, who: CountyUnit, year: int = 2024, file_name: str | None = None) -> Path:
    """A filled-in form of ``who`` for ``year`` in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    return write_form(who, year, pack(), folder / (file_name or f"{who.name}{year}自评表.xlsx"))


def copy(source: Path, target: Path) -> Path:
    """``source`` copied to ``target`` (folders created)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


ROSTER_HEAD = ("序号", "单位名称", "所属镇（街道）", "单位类型", "联系人", "联系电话")


def roster(
    path: Path, units: Sequence[tuple[str, str, str]], head: Sequence[str] = ROSTER_HEAD
) -> Path:
    """A roster of (name, town, type) rows, as .xlsx or .csv by the suffix."""
    rows = [list(head)] + [
        [n, name, town, kind, f"联系人{n}", f"1380000{n:04d}"]
        for n, (name, town, kind) in enumerate(units, start=1)
    ]
    if path.suffix == ".csv":
        with open(path, "w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerows(rows)
        return path
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["某某镇群团组织单位名单"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def batch(cli: Cli, args: Sequence[str], code: int = 0) -> dict[str, Any]:
    """Run ``checklist batch ... --json`` and return the JSON."""
    result = cli(["batch", *args, "--json", "--jobs", "2"], code=code)
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def by_name(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The JSON's units keyed by roster name (else form name)."""
    return {(u["roster"] or u["name"]): u for u in data["units"]}


def sheet_rows(path: Path, sheet: str) -> list[tuple[Any, ...]]:
    """Every row of one sheet of a written workbook, as values."""
    with warnings.catch_warnings():
        # openpyxl drops the data bars' extension list it does not know; values are intact.
        warnings.simplefilter("ignore", UserWarning)
        book = openpyxl.load_workbook(path)
    return [tuple(row) for row in book[sheet].iter_rows(values_only=True)]
