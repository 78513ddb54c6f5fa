"""batch: scores as `score` gives them, the roll-up workbook, reports, history, JSON, exits."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import openpyxl
import pytest

from checklist.batch.export import rollup_json, rollup_to_dict
from checklist.batch.run import BatchOptions, run_batch
from tests.batch_data import batch, by_name, form, pack, roster, sheet_rows, unit
from tests.conftest import Cli

UNITS = [
    ("东林村", "城厢镇", "村"),
    ("永丰村", "城厢镇", "村"),
    ("城南社区", "城厢镇", "社区"),
    ("新湖村", "璜泾镇", "村"),
    ("太仓恒达纺织有限公司", "璜泾镇", "非公企业"),
    ("电站村", "璜泾镇", "村"),
]
KINDS = {"村": "village", "社区": "community", "非公企业": "enterprise"}


def _season(tmp_path: Path, year: int = 2024, skip: tuple[str, ...] = ("电站村",)) -> Path:
    folder = tmp_path / str(year)
    for name, town, kind in UNITS:
        if name not in skip:
            form(folder / town, unit(name, town, KINDS[kind]), year)
    return folder


def _load(path: Path) -> openpyxl.Workbook:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return openpyxl.load_workbook(path)


def test_the_roll_up_workbook_in_chinese(cli: Cli, tmp_path: Path) -> None:
    listed = roster(tmp_path / "名单.xlsx", UNITS)
    data = batch(
        cli, [str(_season(tmp_path)), "--roster", str(listed), "-o", str(tmp_path / "r.xlsx")]
    )
    book = _load(tmp_path / "r.xlsx")
    assert book.sheetnames == [
        "概览",
        "单位得分",
        "未报送",
        "覆盖情况",
        "共性问题",
        "分镇分类",
        "核查",
    ]

    summary = [[c for c in row if c is not None] for row in sheet_rows(tmp_path / "r.xlsx", "概览")]
    figures = {
        row[0]: row[1] for row in summary if len(row) >= 2 and isinstance(row[1], int | float)
    }
    assert figures["名单单位"] == 6 and figures["未报送（含无法读取）"] == 1
    assert figures["已评分（单位）"] == 5
    totals = [u["score"]["total"] for u in data["units"]]
    means = {row[2]: row[3] for row in summary if len(row) >= 4 and row[2] in ("平均分", "最低分")}
    assert means["最低分"] == min(totals)
    assert means["平均分"] == pytest.approx(sum(totals) / len(totals), abs=0.01)
    assert len(book["概览"]._charts) == 2

    units = sheet_rows(tmp_path / "r.xlsx", "单位得分")
    head = units[0]
    assert head[:7] == ("单位", "镇（街道）", "类型", "报送情况", "文件", "总分", "等次")
    assert "领导重视" in head and "缺项数" in head and "核查提示" in head and "较上年" in head
    rows = {r[0]: r for r in units[1:]}
    assert list(rows) == [u[0] for u in UNITS]  # roster order
    assert rows["电站村"][3] == "未报送" and rows["电站村"][5] is None
    assert rows["东林村"][5] == by_name(data)["东林村"]["score"]["total"]
    scales = [
        rule.colorScale
        for rng in book["单位得分"].conditional_formatting
        for rule in rng.rules
        if rule.type == "colorScale"
    ]
    assert scales  # area scores carry a colour scale

    missing = sheet_rows(tmp_path / "r.xlsx", "未报送")
    assert missing[1][:6] == ("电站村", "璜泾镇", "村", "联系人6", "13800000006", "未报送")

    coverage = sheet_rows(tmp_path / "r.xlsx", "覆盖情况")
    assert coverage[0] == ("单位", "镇（街道）", "类型", "工会", "共青团", "妇联")
    states = {row[0]: row[3:6] for row in coverage[1:6]}
    assert states["太仓恒达纺织有限公司"][0] in ("已建立", "未建立", "不明")
    assert states["东林村"][1] in ("已建立", "未建立")
    assert any(row[0] == "分镇（街道）统计" for row in coverage)

    gaps = sheet_rows(tmp_path / "r.xlsx", "共性问题")
    assert gaps[0][:6] == ("编号", "指标", "领域", "缺项单位", "适用单位", "占比")
    common = {g["id"]: g for g in data["common_gaps"]}
    for row in gaps[1:]:
        assert row[3] == common[row[0]]["units"] and row[8]  # count and the recommendation
    groups = sheet_rows(tmp_path / "r.xlsx", "分镇分类")
    assert ("城厢镇", 3, 3) in [r[:3] for r in groups]


def test_the_roll_up_in_english(cli: Cli, tmp_path: Path) -> None:
    listed = roster(tmp_path / "名单.xlsx", UNITS)
    cli(
        [
            "batch",
            str(_season(tmp_path)),
            "--roster",
            str(listed),
            "--lang",
            "en",
            "-o",
            str(tmp_path / "r.xlsx"),
        ]
    )
    book = _load(tmp_path / "r.xlsx")
    assert book.sheetnames == [
        "Summary",
        "Units",
        "Missing",
        "Coverage",
        "Common gaps",
        "By town and type",
        "Checks",
    ]
    units = sheet_rows(tmp_path / "r.xlsx", "Units")
    assert units[0][:4] == ("Unit", "Town", "Type", "Status")
    assert {r[3] for r in units[1:]} == {"scored", "no file"}


def test_default_output_name_and_terminal_summary(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli(["batch", str(_season(tmp_path)), "--jobs", "1"])
    assert (tmp_path / "群团自评汇总-2024.xlsx").exists()
    assert "汇总表已写入" in result.stdout and "东林村" in result.stdout


def test_per_unit_reports_are_exactly_what_score_writes(cli: Cli, tmp_path: Path) -> None:
    listed = roster(tmp_path / "名单.xlsx", [*UNITS, ('东林村:"合作社"?', "城厢镇", "村")])
    season = _season(tmp_path)
    out = tmp_path / "out"
    batch(
        cli,
        [
            str(season),
            "--roster",
            str(listed),
            "--reports",
            str(out / "reports"),
            "-o",
            str(out / "r.xlsx"),
        ],
    )
    written = sorted(p.name for p in (out / "reports").iterdir())
    assert written == sorted(f"{n}-2024-report.xlsx" for n, _, _ in UNITS if n != "电站村")
    for name, town, _ in UNITS[:5]:
        source = season / town / f"{name}2024自评表.xlsx"
        mine = tmp_path / f"{name}-score.xlsx"
        cli(["score", str(source), "-o", str(mine)])
        assert (out / "reports" / f"{name}-2024-report.xlsx").read_bytes() == mine.read_bytes(), (
            name
        )
    # Links are relative, so the folder can be copied elsewhere.
    book = _load(out / "r.xlsx")
    links = {
        c.value: c.hyperlink.target
        for row in book["单位得分"].iter_rows()
        for c in row
        if c.hyperlink
    }
    # (xlsxwriter writes external links with Windows separators, which Excel expects.)
    assert links["东林村-2024-report.xlsx"].replace("\\", "/") == "reports/东林村-2024-report.xlsx"


def test_report_names_are_safe_for_windows() -> None:
    from checklist.batch.run import safe_file_name

    assert safe_file_name('东林村:"合作社"?') == "东林村__合作社__"
    assert safe_file_name("新华村. ") == "新华村"
    assert safe_file_name("CON") == "_CON"
    assert safe_file_name("a/b\\c*d<e>f|g") == "a_b_c_d_e_f_g"
    assert len(safe_file_name("很" * 200)) == 60


def test_save_saves_every_unit_and_the_next_season_shows_the_change(
    cli: Cli, tmp_path: Path
) -> None:
    db = tmp_path / "h.db"
    listed = roster(tmp_path / "名单.xlsx", UNITS)
    batch(
        cli,
        [
            str(_season(tmp_path, 2023)),
            "--roster",
            str(listed),
            "--save",
            "--db",
            str(db),
            "-o",
            str(tmp_path / "a.xlsx"),
        ],
    )
    listing = cli(["history", "list", "--db", str(db), "--json"]).stdout
    assert len(json.loads(listing)["assessments"]) == 5

    result = cli(
        [
            "batch",
            str(_season(tmp_path, 2023)),
            "--save",
            "--db",
            str(db),
            "-o",
            str(tmp_path / "b.xlsx"),
            "--jobs",
            "2",
        ]
    )
    assert result.stdout.count("未保存") == 5  # already saved, and said so
    again = batch(
        cli,
        [str(_season(tmp_path, 2023)), "--save", "--db", str(db), "-o", str(tmp_path / "b.xlsx")],
    )
    assert again["saved"] == [] and len(again["not_saved"]) == 5
    assert (
        "已保存" in again["not_saved"][0]["reason"] or "already" in again["not_saved"][0]["reason"]
    )
    cli(
        [
            "batch",
            str(_season(tmp_path, 2023)),
            "--save",
            "--replace",
            "--db",
            str(db),
            "-o",
            str(tmp_path / "b.xlsx"),
        ]
    )

    data = batch(
        cli,
        [
            str(_season(tmp_path, 2024)),
            "--roster",
            str(listed),
            "--db",
            str(db),
            "-o",
            str(tmp_path / "c.xlsx"),
        ],
    )
    rows = {r[0]: r for r in sheet_rows(tmp_path / "c.xlsx", "单位得分")[1:]}
    change_col = sheet_rows(tmp_path / "c.xlsx", "单位得分")[0].index("较上年")
    assert isinstance(rows["东林村"][change_col], float | int)
    summary = [
        c for row in sheet_rows(tmp_path / "c.xlsx", "概览") for c in row if isinstance(c, str)
    ]
    assert any("5 个单位两年均有数据" in c for c in summary)
    assert data["year"] == 2024


def test_json_fields(cli: Cli, tmp_path: Path) -> None:
    listed = roster(tmp_path / "名单.xlsx", UNITS)
    data = batch(
        cli, [str(_season(tmp_path)), "--roster", str(listed), "-o", str(tmp_path / "r.xlsx")]
    )
    assert set(data) >= {
        "year",
        "pack",
        "rollup",
        "units",
        "missing",
        "failed",
        "skipped",
        "unmatched",
        "duplicates",
        "common_gaps",
        "copied",
    }
    assert data["rollup"] == str(tmp_path / "r.xlsx")
    one = by_name(data)["东林村"]
    assert set(one) >= {"roster", "name", "town", "type", "file", "status", "score", "superseded"}
    assert one["status"] == "scored" and set(one["score"]) == {"total", "base", "bonus", "grade"}
    assert data["missing"][0]["name"] == "电站村" and data["missing"][0]["reason"] == "no_file"
    for gap in data["common_gaps"]:
        assert set(gap) == {"id", "units", "share"} and 0 < gap["share"] <= 1


def test_ctrl_c_leaves_no_output(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import checklist.batch.run

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(checklist.batch.run, "run_pool", interrupted)
    out = tmp_path / "out"
    result = cli(
        [
            "batch",
            str(_season(tmp_path)),
            "--reports",
            str(out / "reports"),
            "-o",
            str(out / "r.xlsx"),
        ],
        code=130,
    )
    assert "未写入任何文件" in result.stderr
    assert not (out / "reports").exists() and not (out / "r.xlsx").exists()


def test_an_input_is_never_overwritten(cli: Cli, tmp_path: Path) -> None:
    season = _season(tmp_path)
    target = season / "城厢镇" / "东林村2024自评表.xlsx"
    before = target.read_bytes()
    result = cli(["batch", str(season), "-o", str(target)], code=2)
    assert "不能覆盖输入" in result.stderr
    assert target.read_bytes() == before


def test_a_large_county_lists_only_the_lowest_scores_on_screen(cli: Cli, tmp_path: Path) -> None:
    for n in range(32):
        form(tmp_path / "in", unit(f"样本{n:02d}村", "城厢镇"))
    result = cli(["batch", str(tmp_path / "in"), "-o", str(tmp_path / "r.xlsx"), "--jobs", "2"])
    assert "得分最低的 30 个单位（共 32 个" in result.stdout
    assert len(sheet_rows(tmp_path / "r.xlsx", "单位得分")) == 33


def test_the_json_comes_in_pieces_and_reads_as_one_dump(cli: Cli, tmp_path: Path) -> None:
    for name, town in (("新华村", "城厢镇"), ("东林村", "璜泾镇"), ("\u202e反转村", "城厢镇")):
        form(tmp_path / "in", unit(name, town), file_name=f"{name}.xlsx")
    form(tmp_path / "in", unit("新华村", "城厢镇"), file_name="新华村-终稿.xlsx")
    data = batch(cli, [str(tmp_path / "in"), "-o", str(tmp_path / "o.xlsx")])
    assert len(data["units"]) == 3 and data["duplicates"]
    rollup = run_batch(BatchOptions((tmp_path / "in",), output=tmp_path / "p.xlsx"), pack()).rollup
    for extra in (None, {"saved": ["新华村"], "not_saved": []}):
        whole = rollup_to_dict(rollup, tmp_path / "p.xlsx", pack(), "zh") | (extra or {})
        pieces = list(rollup_json(rollup, tmp_path / "p.xlsx", "zh", extra))
        assert len(pieces) > 10
        assert "".join(pieces) == json.dumps(whole, ensure_ascii=False, indent=2)
