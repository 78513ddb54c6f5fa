"""The Excel gap report, read back with openpyxl; the terminal summary; the reporter enum."""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from rich.console import Console

from checklist.compare import Comparison, compare
from checklist.display import SEVERITY_TEXT, STATUS_TEXT
from checklist.errors import ChecklistError
from checklist.gaps import AUDIT_TEXT, AuditCategory, analyse
from checklist.model import Answer, AnswerState, Assessment, Result, RulePack, UnitInfo
from checklist.report import ReportFormat, reporter
from checklist.report.excel import SHEETS, write_report
from checklist.report.terminal import print_summary
from checklist.rulepack import load_pack
from checklist.scoring import score
from tests.packs import write_pack
from tests.report_data import INJECTIONS, village_assessment, village_pack, village_result

EVIL_NAME = '=HYPERLINK("http://x","新华村")'


@pytest.fixture(scope="module")
def village(tmp_path_factory: pytest.TempPathFactory) -> tuple[RulePack, Result]:
    pack = village_pack(tmp_path_factory.mktemp("pack"))
    return pack, village_result(pack)


@pytest.fixture(scope="module")
def books(
    village: tuple[RulePack, Result], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    pack, result = village
    folder = tmp_path_factory.mktemp("reports")
    return {
        lang: write_report(result, pack, folder / f"report-{lang}.xlsx", lang)
        for lang in ("zh", "en")
    }


def _open(path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(path)


def _rows(ws: Worksheet) -> list[list[Any]]:
    return [list(row) for row in ws.iter_rows(values_only=True)]


def _find(ws: Worksheet, value: str) -> tuple[int, int]:
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == value:
                return cell.row, cell.column
    raise AssertionError(f"{value!r} not on {ws.title}")


def _table(ws: Worksheet) -> list[dict[str, Any]]:
    """A one-table sheet (header in row 1) as dicts keyed by header text."""
    rows = _rows(ws)
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


# --- structure ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sheet_names_and_order(books: dict[str, Path], lang: str) -> None:
    assert _open(books[lang]).sheetnames == [t.get(lang) for t in SHEETS.values()]
    expected = {
        "zh": ["概览", "问题清单", "明细", "核查"],
        "en": ["Summary", "Gaps", "Details", "Audit"],
    }
    assert _open(books[lang]).sheetnames == expected[lang]


def test_summary_headline_numbers(books: dict[str, Path], village: tuple[RulePack, Result]) -> None:
    _, result = village
    ws = _open(books["zh"])["概览"]
    values = [v for row in _rows(ws) for v in row if v is not None]
    assert "城厢镇新华村　2024年度群团工作自评诊断报告" in values
    row, col = _find(ws, "总分")
    assert ws.cell(row, col + 2).value == pytest.approx(result.score.total)
    row, col = _find(ws, "单位类型")
    assert ws.cell(row, col + 2).value == "村"
    row, col = _find(ws, "规则包及版本")
    assert ws.cell(row, col + 2).value == "测试规则包（mini 1.0）"
    row, col = _find(ws, "填报完整度")
    assert ws.cell(row, col + 2).value == "已填 19 项 / 适用 20 项（95%）"
    row, col = _find(ws, "等次")
    assert ws.cell(row, col + 2).value == "不合格（否决项 LEAD-02 未达标）"


def test_area_table_values(books: dict[str, Path], village: tuple[RulePack, Result]) -> None:
    pack, result = village
    ws = _open(books["zh"])["概览"]
    head_row, _ = _find(ws, "领域")
    heads = [ws.cell(head_row, c).value for c in range(1, 8)]
    assert heads == ["领域", None, "得分率", "已得分", "应得分", "问题数", "状态"]
    analysis = analyse(result, pack)
    for offset, area in enumerate(analysis.areas, start=1):
        cells = [ws.cell(head_row + offset, c).value for c in (1, 3, 4, 5, 6, 7)]
        assert cells == [
            area.area.title.zh,
            pytest.approx(area.result.score),
            pytest.approx(area.result.earned),
            pytest.approx(area.result.possible),
            area.gaps,
            "薄弱",
        ]
    # The score column is coloured by conditional formatting.
    first, last = head_row + 1, head_row + len(analysis.areas)
    ranges = {str(cf.sqref) for cf in ws.conditional_formatting}
    assert f"C{first}:C{last}" in ranges


def test_chart_references_the_area_score_cells(books: dict[str, Path]) -> None:
    ws = _open(books["zh"])["概览"]
    head_row, _ = _find(ws, "领域")
    first, last = head_row + 1, head_row + 4
    charts = ws._charts  # openpyxl keeps charts it read here
    assert len(charts) == 1
    series = charts[0].series
    assert len(series) == 1
    values = series[0].val.numRef.f
    categories = series[0].cat.strRef.f if series[0].cat.strRef else series[0].cat.numRef.f
    assert values.replace("'", "") == f"概览!$C${first}:$C${last}"
    assert categories.replace("'", "") == f"概览!$A${first}:$A${last}"


def test_gap_sheet_order_and_columns(
    books: dict[str, Path], village: tuple[RulePack, Result]
) -> None:
    pack, result = village
    rows = _table(_open(books["zh"])["问题清单"])
    analysis = analyse(result, pack)
    assert [r["编号"] for r in rows] == [g.rule.id for g in analysis.gaps]
    rank = {text.zh: index for index, text in enumerate(SEVERITY_TEXT.values())}
    keys = [(rank[r["严重程度"]], -r["失分"]) for r in rows]
    assert keys == sorted(keys)
    first = rows[0]
    assert first == {
        "编号": "COV-03",
        "领域": "组织覆盖",
        "指标": "职工入会率",
        "单位填报": "98%",
        "状态": "未达标",
        "要求（计分档）": "≥95% 满分；≥90% 得60%",
        "失分": 6,
        "严重程度": "严重",
        "问题": "职工应入未入，工会覆盖存在空白点。",
        "整改建议": "逐一排查未入会职工，开展集中入会活动，新入职职工当月入会。",
        "来源单元格": "自评表!E10",
    }
    veto = next(r for r in rows if r["编号"] == "LEAD-02")
    assert veto["问题"].startswith("【一票否决】")
    blank = next(r for r in rows if r["编号"] == "INNO-01")
    assert (blank["单位填报"], blank["状态"], blank["来源单元格"]) == (
        "（空白）",
        "未填报",
        None,
    )


def test_priority_actions_on_the_summary(books: dict[str, Path]) -> None:
    ws = _open(books["zh"])["概览"]
    row, _ = _find(ws, "序号")
    ids = [ws.cell(row + n, 2).value for n in range(1, 6)]
    # LEAD-01 lacks only its evidence and INNO-01 is blank: real failures rank first.
    assert ids == ["LEAD-02", "COV-03", "COV-06", "LEAD-04", "STAF-05"]
    assert [ws.cell(row + n, 1).value for n in range(1, 6)] == [1, 2, 3, 4, 5]
    assert ws.cell(row + 1, 3).value.startswith("【一票否决】")
    assert ws.cell(row + 1, 8).value == "由党组织书记或副书记分管群团工作，并在班子分工文件中写明。"
    counts_row, _ = _find(ws, "合计")
    # The missed bonus (BON-01) is no gap: it costs no base points.
    # LEAD-01 (evidence only) counts one severity lower: major, not critical.
    assert [ws.cell(counts_row + 1, c).value for c in (3, 5, 7, 9)] == [2, 5, 3, 10]


def test_details_has_every_rule(books: dict[str, Path], village: tuple[RulePack, Result]) -> None:
    _, result = village
    rows = _table(_open(books["zh"])["明细"])
    assert [r["编号"] for r in rows] == [r.rule_id for r in result.rules]
    by_id = {r["编号"]: r for r in rows}
    assert by_id["COV-03"]["识别值"] == "83.33%"
    assert by_id["COV-03"]["自评得分"] == 6
    assert by_id["LEAD-01"]["计分依据"] == "符合“≥2次”档；缺佐证，按50%计"
    assert (by_id["LEAD-01"]["已得分"], by_id["LEAD-01"]["应得分"]) == (3, 6)
    assert (by_id["LEAD-04"]["匹配方式"], by_id["LEAD-04"]["匹配度"]) == ("近似", 88)
    assert by_id["LEAD-03"]["佐证材料"] == "2024年1月党总支会议纪要"
    assert by_id["COV-05"]["状态"] == "不适用"


def test_audit_has_a_row_for_each_kind(books: dict[str, Path]) -> None:
    rows = _table(_open(books["zh"])["核查"])
    kinds = {r["类别"] for r in rows}
    assert kinds == {AUDIT_TEXT[c].zh for c in AuditCategory}
    over = [r for r in rows if r["类别"] == AUDIT_TEXT[AuditCategory.over_claim].zh]
    assert {(r["编号"], r["自评得分"], r["核定得分"]) for r in over} == {
        ("LEAD-01", 6, 3),
        ("COV-03", 6, 0),
    }
    edited = next(r for r in rows if r["类别"] == "指标文字被改动")
    assert (edited["级别"], edited["位置"]) == ("警告", "自评表!C7")
    unmatched = [r for r in rows if r["类别"] == "未匹配的行"]
    assert [r["位置"] for r in unmatched] == ["自评表 第25行", "自评表 第26行"]
    assert unmatched[1]["单位原文"] == "其他需要说明的情况"
    veto = next(r for r in rows if r["类别"] == "否决项未达标")
    assert veto["编号"] == "LEAD-02"


# --- unit text stays text --------------------------------------------------------------


def test_formula_looking_unit_text_is_stored_as_text(
    village: tuple[RulePack, Result], tmp_path: Path
) -> None:
    pack, _ = village
    result = village_result(pack, name=EVIL_NAME)
    path = write_report(result, pack, tmp_path / "evil.xlsx")
    book = _open(path)
    seen: dict[str, set[str]] = {}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    assert cell.data_type == "s"
                    for text in (*INJECTIONS, EVIL_NAME, "@城厢镇"):
                        if cell.value == text:
                            seen.setdefault(text, set()).add(ws.title)
                            assert cell.data_type == "s"
                    if cell.value.startswith(("=", "+", "-", "@")):
                        assert cell.quotePrefix, f"{ws.title}!{cell.coordinate}"
    # Each typed text appears, unchanged, wherever unit text is shown.
    assert seen['=HYPERLINK("http://x","y")'] >= {"明细"}  # evidence and a text answer
    assert seen["=1+1"] >= {"问题清单", "明细"}
    assert seen["-2+3"] >= {"问题清单", "明细"}
    assert seen["#N/A"] >= {"问题清单", "明细"}
    assert seen["+cmd"] >= {"明细"}
    assert seen["@SUM(A1)"] >= {"明细"}
    assert seen[EVIL_NAME] >= {"概览"}
    assert seen["@城厢镇"] >= {"概览"}
    audit = _table(book["核查"])
    assert '=HYPERLINK("http://evil","点此")' in {r["单位原文"] for r in audit}
    assert "=1+1" in {r["单位填报"] for r in _table(book["问题清单"])}


def test_header_ampersand_and_control_characters_are_safe(
    village: tuple[RulePack, Result], tmp_path: Path
) -> None:
    pack, _ = village
    result = village_result(pack, name="A&B村\x07")
    book = _open(write_report(result, pack, tmp_path / "amp.xlsx"))
    ws = book["问题清单"]
    assert ws.oddHeader.left.text == "A&&B村 2024"
    assert book["概览"]["A1"].value.startswith("A&B村　2024")


# --- English ------------------------------------------------------------------------


def test_english_report(books: dict[str, Path], village: tuple[RulePack, Result]) -> None:
    pack, result = village
    book = _open(books["en"])
    summary = book["Summary"]
    labels = {v for row in _rows(summary) for v in row if isinstance(v, str)}
    assert {
        "Unit",
        "Total score",
        "Grade",
        "Area",
        "Score",
        "Priority actions".join(["3. ", ""]),
    } <= labels
    row, col = _find(summary, "Grade")
    assert summary.cell(row, col + 2).value == "Fail (veto LEAD-02 failed)"
    gaps = _table(book["Gaps"])
    assert list(gaps[0]) == [
        "Id",
        "Area",
        "Indicator",
        "Unit's answer",
        "Status",
        "Required (bands)",
        "Lost",
        "Severity",
        "Finding",
        "Recommendation",
        "Source cell",
    ]
    for row_ in gaps:
        rule = pack.rule(row_["Id"])
        assert row_["Indicator"] == rule.indicator.en
        assert row_["Recommendation"] == rule.recommendation.en
        assert row_["Status"] in {t.en for t in STATUS_TEXT.values()}
        assert row_["Severity"] in {t.en for t in SEVERITY_TEXT.values()}
    assert gaps[0]["Required (bands)"] == "at least 95%: full; at least 90%: 60%"
    details = _table(book["Details"])
    assert details[0]["Decided by"] == "Band at least 2 times; no evidence, scored at 50%"
    audit = _table(book["Audit"])
    assert {r["Kind"] for r in audit} == {AUDIT_TEXT[c].en for c in AuditCategory}
    # Chinese in the English report comes only from the unit's own file.
    unit_texts = {r.answer.raw for r in result.rules} | {r.answer.evidence for r in result.rules}
    unit_texts |= {u.text for u in result.unmatched} | {r.answer.cell for r in result.rules}
    cjk = re.compile(r"[\u4e00-\u9fff]")
    for ws in book.worksheets:
        for values in _rows(ws):
            for value in values:
                if isinstance(value, str) and cjk.search(value) and value not in unit_texts:
                    assert any(
                        part in value
                        for part in (
                            "城厢镇新华村",
                            "城厢镇",
                            "新华村2024自评表.xlsx",
                            "自评表",
                            "约50",
                            "=1+1联席会议",
                        )
                    ), f"{ws.title}: {value!r}"


# --- veto capping, empty reports -----------------------------------------------------------


def test_capped_grade_is_shown_with_the_veto(tmp_path: Path) -> None:
    rules = [
        {"id": "V", "points": 10, "severity": "critical", "veto": True},
        {"id": "R", "points": 90},
    ]
    pack = load_pack(write_pack(tmp_path / "pack", rules))
    answers = {"V": Answer.of(False), "R": Answer.of(True)}
    result = score(Assessment(UnitInfo("新华村", "village", 2024), answers), pack)
    ws = _open(write_report(result, pack, tmp_path / "capped.xlsx"))["概览"]
    row, col = _find(ws, "等次")
    assert ws.cell(row, col + 2).value == "合格（否决项 V 未达标，等次由“优秀”降为“合格”）"


def test_a_unit_with_no_gaps(tmp_path: Path) -> None:
    pack = load_pack(write_pack(tmp_path / "pack", [{"id": "R", "points": 10}]))
    result = score(Assessment(UnitInfo("好村", None, None), {"R": Answer.of(True)}), pack)
    book = _open(write_report(result, pack, tmp_path / "clean.xlsx", "en"))
    assert _rows(book["Gaps"])[1][0] == "No gaps: every applicable rule passed."
    assert _rows(book["Audit"])[1][0] == "Nothing to check."
    summary = book["Summary"]
    _find(summary, "None: every applicable rule passed.")
    assert summary["A1"].value == "好村 — self-assessment report"


# --- files ------------------------------------------------------------------------------


def test_two_writes_are_byte_identical(village: tuple[RulePack, Result], tmp_path: Path) -> None:
    pack, result = village
    first = write_report(result, pack, tmp_path / "a.xlsx").read_bytes()
    second = write_report(result, pack, tmp_path / "b.xlsx").read_bytes()
    assert first == second
    english = write_report(result, pack, tmp_path / "c.xlsx", "en").read_bytes()
    assert english == write_report(result, pack, tmp_path / "d.xlsx", "en").read_bytes()


def test_report_never_overwrites_the_input(
    village: tuple[RulePack, Result], tmp_path: Path
) -> None:
    pack, result = village
    source = tmp_path / "新华村.xlsx"
    source.write_bytes(b"the unit's own file")
    with pytest.raises(ChecklistError) as caught:
        write_report(result, pack, tmp_path / "." / "新华村.xlsx", inputs=[source])
    assert caught.value.code == "output_is_input"
    assert source.read_bytes() == b"the unit's own file"
    assert [p.name for p in tmp_path.iterdir()] == ["新华村.xlsx"]  # no temporary left behind


def test_print_setup(books: dict[str, Path]) -> None:
    book = _open(books["zh"])
    for ws in book.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.paperSize == 9
        assert ws.page_setup.fitToWidth in (None, 1)  # 1 is the default, left unwritten
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert "&P" in ws.oddFooter.center.text
    assert book["概览"].page_setup.fitToHeight in (None, 1)  # one page tall
    for name in ("问题清单", "明细", "核查"):
        ws = book[name]
        assert ws.print_title_rows == "$1:$1"
        assert ws.freeze_panes == "B2"
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}"
        assert ws.page_setup.fitToHeight == 0
        # LibreOffice does not fit row heights: every row has one, taller for wrapped text.
        heights = [ws.row_dimensions[r].height for r in range(1, ws.max_row + 1)]
        assert all(h is not None and h >= 15 for h in heights)
    gaps = book["问题清单"]
    status_col = "E"
    assert any(str(cf.sqref).startswith(f"{status_col}2:") for cf in gaps.conditional_formatting)
    widths = {c: gaps.column_dimensions[c].width for c in "ACJ"}
    assert widths["C"] > widths["A"] and widths["J"] > 25


# --- the grassroots pack -------------------------------------------------------------------


def test_grassroots_report(tmp_path: Path) -> None:
    pack = load_pack("grassroots")
    answers = {
        rule.id: Answer.of(
            True if rule.answer.type.value == "yesno" else None, cell=f"自评表!E{n + 4}"
        )
        for n, rule in enumerate(pack.rules)
        if rule.applies("village", 2024)
    }
    result = score(Assessment(UnitInfo("新华村", "village", 2024), answers), pack)
    for lang in ("zh", "en"):
        book = _open(write_report(result, pack, tmp_path / f"g-{lang}.xlsx", lang))
        assert book.sheetnames == [t.get(lang) for t in SHEETS.values()]
        details = _table(book[SHEETS["details"].get(lang)])
        assert len(details) == len(pack.rules)
        summary = book[SHEETS["summary"].get(lang)]
        head_row, _ = _find(summary, "领域" if lang == "zh" else "Area")
        titles = [summary.cell(head_row + n, 1).value for n in range(1, len(pack.areas) + 1)]
        assert titles == [a.title.get(lang) for a in pack.areas]
        assert len(summary._charts) == 1


# --- terminal and reporters -------------------------------------------------------------------


def test_terminal_summary(village: tuple[RulePack, Result]) -> None:
    pack, _ = village
    result = village_result(pack, name="[bold]新华村[/bold]")
    out = io.StringIO()
    console = Console(file=out, width=120, color_system=None, highlight=False)
    print_summary(result, pack, "zh", console, Path("新华村-report.xlsx"))
    text = out.getvalue()
    assert "[bold]新华村[/bold] · 2024 · 村" in text
    assert "不合格（否决项 LEAD-02 未达标）" in text
    assert "43.64" in text
    for area in ("领导重视", "组织覆盖", "队伍建设与干部素质", "改革创新"):
        assert area in text
    positions = [
        text.index(rule_id, text.index("优先整改事项"))
        for rule_id in ("LEAD-02", "COV-03", "COV-06", "LEAD-04", "STAF-05")
    ]
    assert positions == sorted(positions)
    assert "报告已写入：新华村-report.xlsx" in text
    out = io.StringIO()
    print_summary(result, pack, "en", Console(file=out, width=120, color_system=None), None)
    assert "Fail (veto LEAD-02 failed)" in out.getvalue()
    assert "Report written" not in out.getvalue()


def test_reporters_by_format(village: tuple[RulePack, Result], tmp_path: Path) -> None:
    pack, result = village
    for fmt in ReportFormat:
        path = reporter(fmt)(result, pack, tmp_path / f"out{fmt.suffix}", "en")
        assert path.exists()
    data = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert data["score"]["total"] == pytest.approx(result.score.total)
    assert _open(tmp_path / "out.xlsx").sheetnames[0] == "Summary"


def test_openpyxl_saves_are_reproducible(tmp_path: Path) -> None:
    import os

    from checklist.xlsx import save_workbook

    def build() -> openpyxl.Workbook:
        workbook = openpyxl.Workbook()
        assert workbook.active is not None
        workbook.active["A1"] = "新华村"
        workbook.create_sheet("b")["B2"] = 2
        return workbook

    save_workbook(build(), tmp_path / "a.xlsx")
    os.utime(tmp_path / "a.xlsx", (0, 0))
    save_workbook(build(), tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    assert _open(tmp_path / "a.xlsx").active["A1"].value == "新华村"  # type: ignore[index]


# --- the change since the previous year -----------------------------------------------------


def _given(value: object, raw: str, row: int) -> Answer:
    return Answer(AnswerState.given, value, raw, cell=f"自评表!E{row}", match_method="id")  # type: ignore[arg-type]


def village_2023(pack: RulePack, name: str = "城厢镇新华村") -> Result:
    """The village a year earlier: two gaps it has since closed, two it has since opened,
    one that got worse (STAF-03, average age 38 → 47.5), the rest as in 2024."""
    assessment = village_assessment(name)
    answers = dict(assessment.answers)
    answers["LEAD-02"] = _given(True, "是", 5)  # passed: its 2024 veto failure is new
    answers["LEAD-03"] = _given(False, "否", 6)  # closed in 2024
    answers["INNO-02"] = _given(False, "无", 20)  # closed in 2024
    answers["STAF-03"] = _given(38, "38岁", 16)  # half points then, none now
    answers["INNO-01"] = _given(1, "1个", 19)  # passed: blank in 2024
    unit = replace(assessment.unit, year=2023)
    return score(replace(assessment, unit=unit, answers=answers, notes=(), unmatched=()), pack)


@pytest.fixture(scope="module")
def change(village: tuple[RulePack, Result]) -> Comparison:
    pack, result = village
    return compare(village_2023(pack), result)


@pytest.fixture(scope="module")
def tracked(
    village: tuple[RulePack, Result],
    change: Comparison,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Path]:
    pack, result = village
    folder = tmp_path_factory.mktemp("tracked")
    return {
        lang: write_report(result, pack, folder / f"{lang}.xlsx", lang, comparison=change)
        for lang in ("zh", "en")
    }


def _row(ws: Worksheet, row: int, columns: int = 12) -> list[Any]:
    return [ws.cell(row, c).value for c in range(1, columns + 1)]


def test_summary_change_block(tracked: dict[str, Path]) -> None:
    ws = _open(tracked["zh"])["概览"]
    row, col = _find(ws, "一、与上一年度比较（2023年 → 2024年）")
    assert col == 1
    assert _row(ws, row + 1) == [
        "项目",
        None,
        "2023年",
        None,
        "2024年",
        None,
        "变化",
        None,
        "已整改",
        "新增问题",
        "持续问题",
        "其中退步",
    ]
    assert _row(ws, row + 2) == ["总分", None, 50, None, 43.64, None, -6.36, None, 2, 2, 8, 3]
    assert _row(ws, row + 3)[:7] == ["等次", None, "不合格", None, "不合格", None, "持平"]
    assert _row(ws, row + 3)[8].startswith("“问题清单”逐项标出新增、持续的问题")
    assert _row(ws, row + 4)[:3] == ["已整改的问题", None, "LEAD-03、INNO-02"]
    assert _row(ws, row + 5)[0] == (
        "2023年与2024年均按本报告的规则包（测试规则包 mini 1.0）计分，两年可直接比较。"
    )
    delta = ws.cell(row + 2, 7)
    assert delta.number_format == "+0.0#;-0.0#;0.0"
    assert delta.fill.fgColor.rgb == "FFFFC7CE"  # a fall is red
    assert delta.font.color.rgb == "FF9C0006"
    # The totals keep their hundredths, as the headline does.
    assert ws.cell(row + 2, 5).number_format == "0.0#"
    # The later sections are renumbered after it.
    _find(ws, "二、各领域得分")
    _find(ws, "三、问题数量（按严重程度）")
    _find(ws, "四、优先整改事项")


def test_summary_without_a_comparison_keeps_its_numbering(books: dict[str, Path]) -> None:
    ws = _open(books["zh"])["概览"]
    for text in ("一、各领域得分", "二、问题数量（按严重程度）", "三、优先整改事项"):
        _find(ws, text)
    values = {v for row in _rows(ws) for v in row}
    assert not any(isinstance(v, str) and "上一年度" in v for v in values)


def test_area_table_gains_the_change_and_the_chart_moves_right(
    tracked: dict[str, Path], change: Comparison
) -> None:
    ws = _open(tracked["zh"])["概览"]
    head_row, _ = _find(ws, "领域")
    assert _row(ws, head_row, 8) == [
        "领域",
        None,
        "得分率",
        "已得分",
        "应得分",
        "问题数",
        "状态",
        "较2023年",
    ]
    deltas = [ws.cell(head_row + n, 8).value for n in range(1, 5)]
    assert deltas == [-5.88, 0, -11.53, -9.1]
    assert [a.delta for a in change.areas] == [-5.88, 0, -11.53, -9.1]
    fills = [ws.cell(head_row + n, 8).fill.fgColor.rgb for n in range(1, 5)]
    assert fills == ["FFFFC7CE", "FFEDEDED", "FFFFC7CE", "FFFFC7CE"]
    (chart,) = ws._charts
    assert chart.anchor._from.col == 8  # column I, right of the change column
    values = chart.series[0].val.numRef.f.replace("'", "")
    assert values == f"概览!$C${head_row + 1}:$C${head_row + 4}"


def test_gap_sheet_marks_each_gap(tracked: dict[str, Path], books: dict[str, Path]) -> None:
    book = _open(tracked["zh"])
    ws = book["问题清单"]
    heads = [c.value for c in ws[1]]
    assert heads[7:10] == ["严重程度", "跟踪\n较2023年", "问题"]
    rows = _table(ws)
    marks = {r["编号"]: r["跟踪\n较2023年"] for r in rows}
    assert marks == {
        "COV-03": "持续",
        "LEAD-02": "退步",
        "LEAD-01": "持续",
        "COV-06": "持续",
        "INNO-01": "退步",
        "LEAD-04": "持续",
        "STAF-05": "持续",
        "STAF-03": "退步",
        "INNO-03": "持续",
        "STAF-04": "持续",
    }
    # Same rows in the same order as the report without a previous year.
    plain = _table(_open(books["zh"])["问题清单"])
    assert [r["编号"] for r in rows] == [r["编号"] for r in plain]
    for with_mark, without in zip(rows, plain, strict=True):
        assert {k: v for k, v in with_mark.items() if k != "跟踪\n较2023年"} == without
    # Colour-coded by conditional formatting on the mark column (I).
    rules = {
        rule.formula[0]: rule.dxf.fill.bgColor.rgb
        for cf in ws.conditional_formatting
        if str(cf.sqref) == f"I2:I{len(rows) + 1}"
        for rule in cf.rules
    }
    assert rules == {'"新增"': "FFFFEB9C", '"持续"': "FFFCE4D6", '"退步"': "FFFFC7CE"}
    assert ws.auto_filter.ref == f"A1:L{len(rows) + 1}"


def test_english_change_block_and_marks(tracked: dict[str, Path]) -> None:
    book = _open(tracked["en"])
    ws = book["Summary"]
    row, _ = _find(ws, "1. Change since 2023")
    heads = _row(ws, row + 1)
    assert [h for h in heads if h] == [
        "Item",
        "2023",
        "2024",
        "Change",
        "Closed",
        "New gaps",
        "Persistent",
        "Regressed",
    ]
    assert _row(ws, row + 3)[:7] == ["Grade", None, "Fail", None, "Fail", None, "Same"]
    assert _row(ws, row + 4)[:3] == ["Gaps closed", None, "LEAD-03, INNO-02"]
    assert _row(ws, row + 5)[0] == (
        "2023 and 2024 were both scored under this report's rule pack (Test pack mini 1.0), "
        "so they compare like for like."
    )
    _find(ws, "4. Priority actions")
    head_row, _ = _find(ws, "Area")
    assert ws.cell(head_row, 8).value == "vs 2023"
    marks = {r["Id"]: r["Since 2023"] for r in _table(book["Gaps"])}
    assert (marks["LEAD-02"], marks["COV-03"], marks["STAF-03"]) == (
        "Regressed",
        "Persistent",
        "Regressed",
    )


def test_grade_change_is_coloured(tmp_path: Path) -> None:
    rules = [
        {"id": "V", "points": 10, "severity": "critical", "veto": True},
        {"id": "R", "points": 90},
    ]
    pack = load_pack(write_pack(tmp_path / "pack", rules))

    def year(value: int, veto: bool) -> Result:
        answers = {"V": Answer.of(veto), "R": Answer.of(True)}
        return score(Assessment(UnitInfo("新华村", "village", value), answers), pack)

    good, capped = year(2023, True), year(2024, False)
    down = write_report(capped, pack, tmp_path / "down.xlsx", comparison=compare(good, capped))
    ws = _open(down)["概览"]
    row, _ = _find(ws, "等次")
    row, _ = _find(ws, "项目")
    assert _row(ws, row + 1)[:7] == ["总分", None, 100, None, 90, None, -10]
    assert _row(ws, row + 2)[:7] == ["等次", None, "优秀", None, "合格", None, "↓ 下降"]
    assert ws.cell(row + 2, 7).fill.fgColor.rgb == "FFFFC7CE"
    up = write_report(good, pack, tmp_path / "up.xlsx", "en", comparison=compare(capped, good))
    ws = _open(up)["Summary"]
    row, _ = _find(ws, "Item")
    assert ws.cell(row + 1, 7).value == 10
    assert ws.cell(row + 1, 7).fill.fgColor.rgb == "FFC6EFCE"  # a rise is green
    assert _row(ws, row + 2)[:7] == ["Grade", None, "Pass", None, "Excellent", None, "↑ Up"]
    assert ws.cell(row + 2, 7).fill.fgColor.rgb == "FFC6EFCE"


def test_a_renamed_unit_and_another_pack_are_said(
    village: tuple[RulePack, Result], tmp_path: Path
) -> None:
    pack, result = village
    old = village_2023(pack, name=EVIL_NAME)
    old = replace(old, pack_version="0.9")
    comparison = compare(old, result, force=True)
    book = _open(write_report(result, pack, tmp_path / "renamed.xlsx", comparison=comparison))
    ws = book["概览"]
    note = next(c for row in ws.iter_rows() for c in row if str(c.value).startswith("注意：2023年"))
    assert note.data_type == "s"
    assert note.value == (
        "注意：2023年按规则包 mini 0.9 计分，2024年按 mini 1.0 计分，部分变化可能来自规则调整。"
        f"2023年的单位名称为“{EVIL_NAME}”。"
    )
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row)


def test_reports_with_a_comparison_are_byte_identical(
    village: tuple[RulePack, Result], change: Comparison, tmp_path: Path
) -> None:
    pack, result = village
    for lang in ("zh", "en"):
        first = write_report(result, pack, tmp_path / f"a-{lang}.xlsx", lang, comparison=change)
        second = write_report(result, pack, tmp_path / f"b-{lang}.xlsx", lang, comparison=change)
        assert first.read_bytes() == second.read_bytes()


def test_json_report_carries_the_previous_year(
    village: tuple[RulePack, Result], change: Comparison, tmp_path: Path
) -> None:
    pack, result = village
    path = reporter(ReportFormat.json)(result, pack, tmp_path / "r.json", "zh", comparison=change)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["previous"] == {
        "year": 2023,
        "unit": "城厢镇新华村",
        "pack": {"id": "mini", "version": "1.0", "same": True},
        "total": {"then": 50.0, "now": 43.64, "delta": -6.36},
        "grade": {"then": "fail", "now": "fail"},
        "areas": [
            {"id": "lead", "then": 52.94, "now": 47.06, "delta": -5.88},
            {"id": "cover", "then": 28.57, "now": 28.57, "delta": 0.0},
            {"id": "staff", "then": 65.38, "now": 53.85, "delta": -11.53},
            {"id": "innov", "then": 54.55, "now": 45.45, "delta": -9.1},
        ],
        "gaps": {
            "closed": ["LEAD-03", "INNO-02"],
            "new": ["LEAD-02", "INNO-01"],
            "persistent": [
                "LEAD-01",
                "LEAD-04",
                "COV-03",
                "COV-06",
                "STAF-03",
                "STAF-04",
                "STAF-05",
                "INNO-03",
            ],
            "regressed": ["LEAD-02", "STAF-03", "INNO-01"],
        },
    }
    # Without a comparison the JSON is the plain result, which load_result reads back.
    plain = reporter(ReportFormat.json)(result, pack, tmp_path / "p.json")
    assert "previous" not in json.loads(plain.read_text(encoding="utf-8"))
    from checklist.pipeline import load_result

    assert load_result(path).score == result.score


def test_terminal_summary_with_the_previous_year(
    village: tuple[RulePack, Result], change: Comparison
) -> None:
    pack, result = village
    out = io.StringIO()
    console = Console(file=out, width=200, color_system=None, highlight=False)
    print_summary(result, pack, "zh", console, None, comparison=change)
    text = out.getvalue()
    line = next(x for x in text.splitlines() if x.startswith("较2023年"))
    assert line.split(maxsplit=1)[1].rstrip() == (
        "总分 -6.36（50 → 43.64），等次 不合格 → 不合格；"
        "已整改 2 项，新增问题 2 项，持续问题 8 项（其中退步 3 项）"
    )
    area_line = next(x for x in text.splitlines() if x.lstrip().startswith("队伍建设与干部素质"))
    assert area_line.rstrip().endswith("-11.53")
    out = io.StringIO()
    console = Console(file=out, width=200, color_system=None, highlight=False)
    print_summary(result, pack, "en", console, None, comparison=change)
    line = next(x for x in out.getvalue().splitlines() if x.startswith("Since 2023"))
    assert line.split("  ", 1)[1].strip() == (
        "total -6.36 (50 → 43.64), grade Fail → Fail; 2 gaps closed, 2 new, 8 persistent (3 worse)"
    )
    plain = io.StringIO()
    print_summary(result, pack, "zh", Console(file=plain, width=200, color_system=None), None)
    assert "较2023年" not in plain.getvalue()
