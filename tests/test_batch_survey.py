"""batch: a wide survey (one unit per row, the rules' questions as columns) is one unit per row.

County offices collect coverage surveys of enterprises laid out as 企业名称 |
所属镇 | 职工人数 | 是否建立工会 | 会员人数 | 团员人数 …; each row is scored,
matched, rolled up and reported like a submission of its own, its origin shown
as file, sheet and row.
"""

from __future__ import annotations

import os
import re
import shutil
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import checklist.waivers
from checklist.demo_county import _Row, _rows, write_form
from checklist.model import Assessment
from tests.batch_data import batch, by_name, form, pack, roster, sheet_rows, unit
from tests.conftest import Cli

HEAD = ("序号", "企业名称", "所属镇", "职工人数", "是否建立工会", "会员人数", "团员人数")
TITLE = "2024年度非公企业群团组织建设情况调查表"

Row = Sequence[object]


def survey(path: Path, rows: Sequence[Row], head: Row = HEAD, sheet: str = "调查表") -> Path:
    """A survey workbook: a title, the header, then ``rows`` as given (None: a blank row)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    ws.append([TITLE])
    ws.append(list(head))
    for row in rows:
        ws.append(list(row))
    book.save(path)
    return path


UNITS: list[Row] = [
    (1, "恒达精密机械有限公司", "城厢镇", 186, "是", 180, "14人"),
    (2, "华信电子科技有限公司", "城厢镇", 52, "否", 0, "3人"),
    (),  # a blank row between blocks
    (3, None, None, 40, "是", 20, 2),  # answers, but whose?
    (4, "金桥物流有限公司", "璜泾镇", None, None, None, None),  # a name and nothing else
    (5, "永盛纺织有限公司", "璜泾镇", 310, "已建", 296, "21人"),
    ("合计", None, None, 588, None, 496, 40),
    ("填表人：张三", None, "日期：2025年1月6日"),
]
NAMED = ["恒达精密机械有限公司", "华信电子科技有限公司", "金桥物流有限公司", "永盛纺织有限公司"]
ROWS = {"恒达精密机械有限公司": 3, "华信电子科技有限公司": 4, "金桥物流有限公司": 7}
ROWS["永盛纺织有限公司"] = 8


def _load(path: Path) -> openpyxl.Workbook:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return openpyxl.load_workbook(path)


def _cells(path: Path) -> list[str]:
    book = _load(path)
    return [str(c) for ws in book for row in ws.iter_rows(values_only=True) for c in row if c]


def test_each_row_is_scored_matched_rolled_up_and_reported(cli: Cli, tmp_path: Path) -> None:
    season = tmp_path / "2024"
    survey(season / "城厢镇" / "2024企业调查表.xlsx", UNITS)
    form(season / "城厢镇", unit("东林村", "城厢镇"))
    listed = roster(
        tmp_path / "名单.xlsx",
        [
            ("东林村", "城厢镇", "村"),
            ("恒达精密机械有限公司", "城厢镇", "非公企业"),
            ("华信电子科技有限公司", "城厢镇", "非公企业"),
            ("金桥物流有限公司", "璜泾镇", "非公企业"),
            ("永盛纺织有限公司", "璜泾镇", "非公企业"),
            ("电站村", "璜泾镇", "村"),
        ],
    )
    out = tmp_path / "out"
    args = [str(season), "--roster", str(listed), "-o", str(out / "汇总.xlsx")]
    data = batch(cli, [*args, "--reports", str(out / "reports")])
    units = by_name(data)
    # Every named row is a roster unit's submission; the form beside it is one too.
    assert set(units) == {"东林村", *NAMED}
    assert not data["unmatched"]
    assert [m["name"] for m in data["missing"]] == ["电站村"]
    for name, row in ROWS.items():
        assert units[name]["file"] == f"2024/城厢镇/2024企业调查表.xlsx（“调查表”表第 {row} 行）"
        assert units[name]["status"] == "scored"
    assert units["东林村"]["file"] == "2024/城厢镇/东林村2024自评表.xlsx"
    # The rows' answers are their own: 恒达 has a union, 华信 has none.
    assert units["恒达精密机械有限公司"]["score"] != units["华信电子科技有限公司"]["score"]
    # The row with answers and no name is listed, the file and row named; totals and
    # sign-off lines are no unit.
    assert [(s["file"], s["reason"]) for s in data["skipped"]] == [
        ("2024/城厢镇/2024企业调查表.xlsx（“调查表”表第 6 行）", "no_unit_name")
    ]
    assert data["surveys"] == [
        {"file": "2024/城厢镇/2024企业调查表.xlsx", "units": 4, "rows_without_name": 1}
    ]
    assert not data["failed"]

    rollup = out / "汇总.xlsx"
    summary = [[c for c in row if c is not None] for row in sheet_rows(rollup, "概览")]
    figures = {row[0]: row[1] for row in summary if len(row) >= 2}
    assert figures["其中来自调查表（每行一个单位）"] == "1 个文件，4 个单位"
    assert figures["已报送"] == 5 and figures["名单单位"] == 6
    table = sheet_rows(rollup, "单位得分")
    head = table[0]
    rows = {r[0]: dict(zip(head, r, strict=True)) for r in table[1:]}
    assert rows["永盛纺织有限公司"]["文件"] == "2024企业调查表.xlsx（“调查表”表第 8 行）"
    assert rows["永盛纺织有限公司"]["镇（街道）"] == "璜泾镇"
    assert "没有填写任何答案" in rows["金桥物流有限公司"]["核查提示"]
    assert "第 6 行" in "\n".join(str(c) for r in sheet_rows(rollup, "核查") for c in r if c)

    # One report per unit, each saying its unit came from a survey row.
    reports = {p.name for p in (out / "reports").iterdir()}
    assert reports == {f"{n}-2024-report.xlsx" for n in ("东林村", *NAMED)}
    text = "\n".join(_cells(out / "reports" / "华信电子科技有限公司-2024-report.xlsx"))
    assert "每行一个单位的调查表" in text and "第 4 行" in text


def test_the_terminal_counts_the_file_and_its_units(cli: Cli, tmp_path: Path) -> None:
    path = survey(tmp_path / "in" / "调查.xlsx", UNITS)
    zh = cli(["batch", str(path.parent), "-o", str(tmp_path / "r.xlsx"), "--jobs", "1"]).stdout
    flat = re.sub(r"\s+", "", zh)
    assert "其中1个文件是调查表（每行一个单位）：in/调查.xlsx，4个单位" in flat
    assert "另有1行没有单位名称，未评分" in flat
    en = cli(["batch", str(path.parent), "-o", str(tmp_path / "e.xlsx"), "--lang", "en"]).stdout
    flat = re.sub(r"\s+", " ", en)
    assert "1 file is a survey (one unit per row): in/调查.xlsx, 4 units; 1 row without" in flat
    table = sheet_rows(tmp_path / "e.xlsx", "Units")
    files = {r[0]: r[4] for r in table[1:]}
    assert files["华信电子科技有限公司"] == "调查.xlsx (sheet '调查表', row 4)"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_score_refuses_a_survey_of_several_units_and_points_at_batch(
    cli: Cli, tmp_path: Path, lang: str
) -> None:
    path = survey(tmp_path / "调查.xlsx", UNITS)
    result = cli(["score", str(path), "--lang", lang, "-o", str(tmp_path / "r.xlsx")], code=2)
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1
    assert "checklist batch" in line and "恒达精密机械有限公司" in line
    assert (
        ("共 4 个单位" in line and "另有 1 行没有单位名称" in line)
        if lang == "zh"
        else ("holds 4 units" in line and "1 row without a unit name" in line)
    )
    assert not (tmp_path / "r.xlsx").exists()


def test_rows_are_distinct_units_and_a_survey_sent_twice_collapses_row_by_row(
    cli: Cli, tmp_path: Path
) -> None:
    # Two enterprises answering alike are still two units; the same survey under two
    # folders is one file's rows twice (each unit counted once); a unit listed twice
    # with different answers keeps its later row.
    same = ("是", 50, "5人")
    rows: list[Row] = [
        (1, "东方电器有限公司", "城厢镇", 60, *same),
        (2, "西林五金有限公司", "城厢镇", 60, *same),
        (3, "南山包装有限公司", "浏河镇", 90, "否", 0, "2人"),
        (4, "南山包装有限公司", "浏河镇", 95, "是", 70, "4人"),
    ]
    first = survey(tmp_path / "season" / "城厢镇" / "调查表.xlsx", rows)
    (tmp_path / "season" / "备份").mkdir()
    shutil.copyfile(first, tmp_path / "season" / "备份" / "调查表.xlsx")
    data = batch(cli, [str(tmp_path / "season"), "-o", str(tmp_path / "r.xlsx")])
    units = by_name(data)
    assert set(units) == {"东方电器有限公司", "西林五金有限公司", "南山包装有限公司"}
    assert units["东方电器有限公司"]["score"] == units["西林五金有限公司"]["score"]
    assert not data["copied"]
    chosen = units["南山包装有限公司"]
    assert chosen["file"].endswith("调查表.xlsx（“调查表”表第 6 行）")
    superseded = sorted(chosen["superseded"])
    assert len(superseded) == 3  # row 5 of both copies, row 6 of the other copy
    assert sum(s.endswith("第 5 行）") for s in superseded) == 2
    for name in ("东方电器有限公司", "西林五金有限公司"):
        assert len(units[name]["superseded"]) == 1  # the copy's same row
    assert [s["units"] for s in data["surveys"]] == [4, 4]


def test_a_survey_row_is_known_by_its_own_name_not_the_file_name(cli: Cli, tmp_path: Path) -> None:
    # The town office's survey sits in the town's folder under the town's name, and
    # the town is a unit on the roster: a row not on the roster must not be taken
    # for the town's own submission.
    survey(
        tmp_path / "season" / "城厢镇" / "城厢镇.xlsx",
        [(1, "星光合作社", "城厢镇", 30, "否", 0, "1人"), (2, "东林村", "城厢镇", 8, "是", 8, 2)],
    )
    listed = roster(
        tmp_path / "名单.xlsx", [("城厢镇", "城厢镇", "镇（街道）"), ("东林村", "城厢镇", "村")]
    )
    args = [str(tmp_path / "season"), "--roster", str(listed), "-o", str(tmp_path / "r.xlsx")]
    data = batch(cli, args)
    assert [u["roster"] for u in data["units"] if u["roster"]] == ["东林村"]
    assert {u["name"] for u in data["unmatched"]} == {"星光合作社"}
    assert {m["name"] for m in data["missing"]} == {"城厢镇"}


def test_a_one_unit_survey_is_that_units_form(cli: Cli, tmp_path: Path) -> None:
    path = survey(tmp_path / "in" / "恒达调查.xlsx", UNITS[:1])
    data = batch(cli, [str(path.parent), "-o", str(tmp_path / "r.xlsx")])
    assert [u["file"] for u in data["units"]] == ["in/恒达调查.xlsx"]
    assert data["surveys"] == []


@pytest.mark.slow
def test_a_survey_of_five_thousand_rows(cli: Cli, tmp_path: Path) -> None:
    rows: list[Row] = []
    for n in range(5000):
        if n % 500 == 7:
            rows.append(())
        name = None if n % 1000 == 3 else f"测试{n:04d}精密机械有限公司"
        rows.append((n + 1, name, "城厢镇", 100 + n % 50, "是" if n % 3 else "否", n % 90, n % 7))
    path = survey(tmp_path / "in" / "全县企业调查.xlsx", rows)
    data = batch(cli, [str(path.parent), "-o", str(tmp_path / "r.xlsx")])
    assert len(data["units"]) == 4995
    assert data["surveys"] == [
        {"file": "in/全县企业调查.xlsx", "units": 4995, "rows_without_name": 5}
    ]
    assert len({u["file"] for u in data["units"]}) == 4995
    assert not data["failed"] and not data["copied"]
    assert len(sheet_rows(tmp_path / "r.xlsx", "单位得分")) == 4996


_real_score = checklist.waivers.score_waived


def _slow_or_crashing(assessment: Assessment, *args: Any, **kwargs: Any) -> Any:
    # Workers are forked, so they run this patched scorer; the marker is in the unit's name.
    if "崩溃" in assessment.unit.name:
        os.abort()
    if "慢" in assessment.unit.name:
        time.sleep(0.06)
    return _real_score(assessment, *args, **kwargs)


def _many(prefix: str, count: int) -> list[Row]:
    return [(n, f"{prefix}{n:03d}有限公司", "城厢镇", 50, "是", 40, 3) for n in range(count)]


@pytest.mark.slow
def test_a_survey_whose_worker_dies_part_way_is_one_failed_file(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checklist.waivers, "score_waived", _slow_or_crashing)
    rows = [*_many("正常", 40), (41, "崩溃测试有限公司", "城厢镇", 5, "否", 0, 0)]
    survey(tmp_path / "in" / "调查.xlsx", rows)
    form(tmp_path / "in", unit("东林村", "城厢镇"))
    data = batch(cli, [str(tmp_path / "in"), "-o", str(tmp_path / "r.xlsx")], code=1)
    # The 25 rows sent before the crash are dropped with their file: read whole or not at all.
    assert [(f["file"], f["code"]) for f in data["failed"]] == [("in/调查.xlsx", "crashed")]
    assert [u["name"] for u in data["units"]] == ["东林村"]
    assert data["surveys"] == []


@pytest.mark.slow
def test_a_long_survey_is_not_stopped_while_its_rows_keep_coming(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each part of 25 rows takes about 1.5 s, the whole survey about 7.5 s: the time
    # limit guards a hung read, not a long survey.
    monkeypatch.setattr(checklist.waivers, "score_waived", _slow_or_crashing)
    survey(tmp_path / "in" / "调查.xlsx", _many("慢", 125))
    args = [str(tmp_path / "in"), "-o", str(tmp_path / "r.xlsx"), "--timeout", "4"]
    data = batch(cli, args)
    assert not data["failed"]
    assert len(data["units"]) == 125


def test_save_keeps_every_unit_of_a_survey_but_one_without_answers(
    cli: Cli, tmp_path: Path
) -> None:
    path = survey(tmp_path / "in" / "调查.xlsx", UNITS)
    db = tmp_path / "h.db"
    data = batch(cli, [str(path.parent), "-o", str(tmp_path / "r.xlsx"), "--save", "--db", str(db)])
    assert sorted(data["saved"]) == sorted(set(NAMED) - {"金桥物流有限公司"})
    assert [(n["unit"], "没有任何答案" in n["reason"]) for n in data["not_saved"]] == [
        ("金桥物流有限公司", True)
    ]


def test_a_survey_without_a_single_unit_name_lists_its_rows(cli: Cli, tmp_path: Path) -> None:
    rows = [(n, None, "城厢镇", 30 + n, "是", 20, 2) for n in range(1, 4)]
    path = survey(tmp_path / "in" / "调查.xlsx", rows)
    data = batch(cli, [str(path.parent), "-o", str(tmp_path / "r.xlsx")])
    assert data["units"] == [] and not data["failed"]
    assert [s["file"] for s in data["skipped"]] == [
        f"in/调查.xlsx（“调查表”表第 {r} 行）" for r in (3, 4, 5)
    ]
    assert data["surveys"] == [{"file": "in/调查.xlsx", "units": 0, "rows_without_name": 3}]
    line = cli(["score", str(path), "-o", str(tmp_path / "s.xlsx")], code=2).stderr
    assert "单位名称一栏全空" in line and "另有 3 行没有单位名称" in line


def test_a_type_column_gives_each_unit_its_type(cli: Cli, tmp_path: Path) -> None:
    head = ("单位名称", "单位类型", "所属镇", "是否建立工会", "会员人数", "团员人数")
    rows = [
        ("东林", "村", "城厢镇", "是", 30, 5),
        ("恒达精密", "非公企业", "城厢镇", "否", 0, 2),
        ("星光合作社", None, "浏河镇", "是", 12, 1),
    ]
    path = survey(tmp_path / "in" / "调查.xlsx", rows, head=head)
    data = batch(cli, [str(path.parent), "-o", str(tmp_path / "r.xlsx")])
    kinds = {u["name"]: (u["type"], u["town"]) for u in data["units"]}
    assert kinds == {
        "东林": ("village", "城厢镇"),
        "恒达精密": ("enterprise", "城厢镇"),
        "星光合作社": (None, "浏河镇"),
    }


def _copies(folder: Path, names: Sequence[str]) -> None:
    """Forms of ``names`` that all carry the first one's answers and evidence."""
    folder.mkdir(parents=True, exist_ok=True)
    original = unit(names[0], "城厢镇")
    for name in names:
        rows = [
            _Row(r.rule, r.answer, r.evidence.replace(names[0], name), r.claimed)
            for r in _rows(original, 2024, pack())
        ]
        write_form(unit(name, "城厢镇"), 2024, pack(), folder / f"{name}.xlsx", rows)


@pytest.mark.parametrize("with_survey", [False, True])
def test_a_surveys_rows_do_not_make_boilerplate_look_rare(
    cli: Cli, tmp_path: Path, with_survey: bool
) -> None:
    # Four forms sharing every text are boilerplate among six units (more than the
    # check's floor of three hold it). A survey's hundred rows, typed by the office
    # and without evidence, are not compared: counted, they would make the shared
    # text look rare and the four forms look copied from each other.
    folder = tmp_path / "in"
    _copies(folder, ["雅鹿村", "永丰村", "新湖村", "泥桥村"])
    for name in ("归庄村", "杨漕村"):
        form(folder, unit(name, "璜泾镇"))
    if with_survey:
        survey(folder / "调查.xlsx", _many("调查", 100))
    data = batch(cli, [str(folder), "-o", str(tmp_path / "r.xlsx")])
    assert len(data["units"]) == 106 if with_survey else 6
    assert data["copied"] == []


def test_a_survey_of_another_year_is_listed_once(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    form(folder, unit("东林村", "城厢镇"))
    form(folder, unit("永丰村", "城厢镇"))
    old = survey(folder / "2023调查.xlsx", _many("调查", 30))
    book = openpyxl.load_workbook(old)
    book.active["A1"] = "2023年度非公企业群团组织建设情况调查表"  # type: ignore[index]
    book.save(old)
    data = batch(cli, [str(folder), "-o", str(tmp_path / "r.xlsx")])
    assert sorted(u["name"] for u in data["units"]) == ["东林村", "永丰村"]
    assert [(s["file"], s["reason"]) for s in data["skipped"]] == [
        ("in/2023调查.xlsx", "other_year")
    ]
    assert "30" in data["skipped"][0]["reason_text"]


def test_the_english_roll_up_counts_survey_units(cli: Cli, tmp_path: Path) -> None:
    path = survey(tmp_path / "in" / "调查.xlsx", UNITS)
    cli(["batch", str(path.parent), "-o", str(tmp_path / "e.xlsx"), "--lang", "en"])
    summary = [
        [c for c in row if c is not None] for row in sheet_rows(tmp_path / "e.xlsx", "Summary")
    ]
    figures = {row[0]: row[1] for row in summary if len(row) >= 2}
    assert figures["Of which from surveys (a unit per row)"] == "1 file, 4 units"
    assert figures["Units found"] == 4
