"""A rule pack as a workbook: `rules export`, `rules import`, and `--rules FILE.xlsx`."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter as letter
from openpyxl.worksheet.worksheet import Worksheet

from checklist.packbook.document import pack_document
from checklist.packbook.layout import RULES, TABLES
from checklist.rulepack import load_pack
from tests.conftest import Cli

EXAMPLES = Path(__file__).resolve().parent.parent / "checklist" / "examples"


def export(cli: Cli, path: Path, *args: str) -> Path:
    cli(["rules", "export", "-o", str(path), *args])
    return path


def headers(sheet: Worksheet) -> dict[str, int]:
    return {str(c.value): c.column for c in sheet[1] if c.value is not None}


def row_of(sheet: Worksheet, rule_id: str) -> int:
    return next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == rule_id)


def test_round_trip_reproduces_rules_list_byte_for_byte(cli: Cli, tmp_path: Path) -> None:
    book = export(cli, tmp_path / "pack.xlsx")
    cli(["rules", "import", str(book), "-o", str(tmp_path / "pack")])
    original = cli(["rules", "list", "--json"]).stdout
    assert cli(["rules", "list", "--json", "--rules", str(tmp_path / "pack")]).stdout == original
    assert cli(["rules", "list", "--json", "--rules", str(book)]).stdout == original
    # Beyond what rules list shows: descriptions, tolerances, words, choices.
    assert pack_document(load_pack(tmp_path / "pack")) == pack_document(load_pack(None))
    again = export(cli, tmp_path / "again.xlsx", "--rules", str(book))
    assert again.read_bytes() == book.read_bytes()


def test_english_workbook_reads_back_the_same(cli: Cli, tmp_path: Path) -> None:
    book = export(cli, tmp_path / "en.xlsx", "--lang", "en")
    names = openpyxl.load_workbook(book).sheetnames
    assert names == [
        "Guide",
        "Rules",
        "Choices",
        "Checks",
        "Areas",
        "Grades",
        "Unit types",
        "Concepts",
    ]
    assert pack_document(load_pack(book)) == pack_document(load_pack(None))


@pytest.mark.slow
def test_round_trip_through_libreoffice(cli: Cli, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    book = export(cli, tmp_path / "pack.xlsx")
    out = tmp_path / "lo"
    subprocess.run(
        [soffice, "--headless", "--convert-to", "xlsx", "--outdir", str(out), str(book)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    resaved = out / "pack.xlsx"
    cli(["rules", "import", str(resaved), "-o", str(tmp_path / "yaml")])
    original = cli(["rules", "list", "--json"]).stdout
    assert cli(["rules", "list", "--json", "--rules", str(tmp_path / "yaml")]).stdout == original


def test_yaml_is_readable_block_style(cli: Cli, tmp_path: Path) -> None:
    book = export(cli, tmp_path / "pack.xlsx")
    cli(["rules", "import", str(book), "-o", str(tmp_path / "pack")])
    files = sorted(p.name for p in (tmp_path / "pack").iterdir())
    assert files == sorted(p.name for p in Path(load_pack(None).path).glob("*.yaml"))
    text = (tmp_path / "pack" / "leadership.yaml").read_text(encoding="utf-8")
    assert "党组织每年专题研究群团工作次数" in text  # CJK not escaped
    assert "{" not in text.split("\n", 1)[1].split("source")[0]  # block style
    first = text.split("\n- id: LEAD-02")[0]
    keys = [line.split(":")[0].strip() for line in first.splitlines() if line.startswith("  ")]
    top = [k for k in keys if k and not k.startswith("-")]
    assert top[:6] == ["area", "org", "indicator", "zh", "en", "aliases"]


def test_workbook_layout(cli: Cli, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(export(cli, tmp_path / "pack.xlsx"))
    assert book.sheetnames == [
        "说明",
        "规则",
        "选项",
        "一致性检查",
        "类别",
        "等次",
        "单位类型",
        "词汇",
    ]
    rules = book["规则"]
    head = headers(rules)
    assert head["分值"] == 8  # points in column H: 规则!H12 reads as the maintainer expects
    assert rules.freeze_panes == "B2"
    assert rules.column_dimensions["D"].width > 30  # indicator text has room
    assert rules.cell(2, 1).alignment.wrap_text
    lists = {
        str(dv.sqref).split(":")[0]: dv.formula1
        for dv in rules.data_validations.dataValidation
        if dv.type == "list"
    }
    assert "计数" in lists[f"{letter(head['答案类型'])}2"]
    assert "严重" in lists[f"{letter(head['严重程度'])}2"]
    assert "类别" in lists[f"{letter(head['类别'])}2"]  # the areas sheet's ids
    assert "'规则'!$A$2" in lists[f"{letter(head['分子'])}2"]  # rule ids
    choice_lists = [dv.formula1 for dv in book["选项"].data_validations.dataValidation]
    assert any("'规则'!$A$2" in str(formula) for formula in choice_lists)
    lead = row_of(rules, "LEAD-01")
    assert rules.cell(lead, head["分档"]).value == ">=2: 1\n>=1: 0.5"
    assert rules.cell(lead, head["答案类型"]).value == "计数"
    guide = [str(c.value) for row in book["说明"].iter_rows() for c in row if c.value]
    for table in TABLES:
        for column in table.columns:
            assert column.label.zh in guide, column.label.zh
    assert "grassroots" in guide and "2026.2" in guide


def plant_five_mistakes(path: Path) -> dict[str, str]:
    """Five mistakes a maintainer makes; returns the cell of each."""
    book = openpyxl.load_workbook(path)
    rules = book["规则"]
    head = headers(rules)

    def put(rule_id: str, column: str, value: str) -> str:
        row = row_of(rules, rule_id)
        rules.cell(row, head[column]).value = value
        return f"规则!{letter(head[column])}{row}"

    cells = {
        "points": put("LEAD-03", "分值", "三"),
        "type": put("LEAD-05", "答案类型", "数量"),
        "duplicate": put("LEAD-12", "编号", "LEAD-02"),
        "area": put("LEAD-07", "类别", "branding"),
        "band": put("LEAD-01", "分档", ">=两: 1\n>=1: 0.5"),
    }
    book.save(path)
    return cells


def test_five_planted_mistakes_are_all_listed_by_cell(cli: Cli, tmp_path: Path) -> None:
    book = export(cli, tmp_path / "pack.xlsx")
    cells = plant_five_mistakes(book)
    out = tmp_path / "out"
    zh = cli(["rules", "import", str(book), "-o", str(out)], code=2).stderr
    assert "5 处问题" in zh
    assert f"{cells['points']}（分值）：须为数字，现为“三”" in zh
    assert f"{cells['type']}（答案类型）：须为以下之一：是否、计数" in zh
    assert f"{cells['duplicate']}（编号）：规则编号重复" in zh
    assert f"{cells['area']}（类别）：须为类别之一：leadership" in zh
    assert f"{cells['band']}（分档 >=两）：条件须写成" in zh
    en = cli(["rules", "import", str(book), "-o", str(out), "--lang", "en"], code=2).stderr
    assert "5 problem(s)" in en
    assert f'{cells["points"]} (Points): must be a number, not "三"' in en
    assert f"{cells['type']} (Answer type): must be one of: yesno, count" in en
    assert f"{cells['duplicate']} (ID): duplicate rule id" in en
    assert f"{cells['area']} (Area): must be an area: leadership" in en
    assert f"{cells['band']} (Bands >=两): a condition must read" in en
    for text in (zh, en):
        lowered = text.lower()
        for word in ("pydantic", "input should", "float_parsing", "validationerror", "type=", "'"):
            assert word not in lowered, word
    assert not out.exists()
    # The same refusal wherever a pack is accepted.
    cli(["rules", "validate", str(book)], code=2)
    cli(["template", "--rules", str(book), "-o", str(tmp_path / "t.xlsx")], code=2)


def test_missing_values_and_sheets_are_named(cli: Cli, tmp_path: Path) -> None:
    book_path = export(cli, tmp_path / "pack.xlsx")
    book = openpyxl.load_workbook(book_path)
    rules = book["规则"]
    head = headers(rules)
    row = row_of(rules, "LEAD-02")
    rules.cell(row, head["问题表述（英文）"]).value = None
    rules.cell(row, head["否决项"]).value = "也许"
    choices = book["选项"]
    choices.cell(2, 1).value = "NOPE-01"
    del book["等次"]
    book.save(book_path)
    err = cli(["rules", "list", "--rules", str(book_path)], code=2).stderr
    assert f"规则!{letter(head['问题表述（英文）'])}{row}（问题表述（英文））：必填项" in err
    assert f"规则!{letter(head['否决项'])}{row}（否决项）：须为 是、否" in err
    assert "选项!A2（规则编号）：须为“规则”表中选项题的编号，现为“NOPE-01”" in err
    assert "工作簿中没有“等次”工作表" in err


def test_an_added_local_rule_scores(cli: Cli, tmp_path: Path) -> None:
    book_path = export(cli, tmp_path / "pack.xlsx")
    book = openpyxl.load_workbook(book_path)
    rules = book["规则"]
    head = headers(rules)
    source = row_of(rules, "INNO-01")
    new = rules.max_row + 1
    for column in head.values():
        rules.cell(new, column).value = rules.cell(source, column).value
    rules.cell(new, head["编号"]).value = "LOCAL-01"
    rules.cell(new, head["指标（中文）"]).value = "是否打造本镇“娘家人”品牌项目"
    rules.cell(new, head["加分项"]).value = "是"
    book.save(book_path)
    shown = json.loads(
        cli(["rules", "show", "LOCAL-01", "--json", "--rules", str(book_path)]).stdout
    )
    assert shown["bonus"] is True
    assert shown["indicator"]["zh"] == "是否打造本镇“娘家人”品牌项目"


def test_scoring_with_a_workbook_pack_matches_the_folder(cli: Cli, tmp_path: Path) -> None:
    book = export(cli, tmp_path / "pack.xlsx")
    form = EXAMPLES / "西园社区-2024-自评(终稿).xlsx"
    out = ["-o", str(tmp_path / "report.xlsx")]
    by_folder = json.loads(cli(["score", str(form), "--json", *out]).stdout)
    by_book = json.loads(cli(["score", str(form), "--json", "--rules", str(book), *out]).stdout)
    by_folder["pack"].pop("path", None)
    by_book["pack"].pop("path", None)
    assert by_book == by_folder


def test_import_never_writes_over_a_foreign_folder_or_the_input(cli: Cli, tmp_path: Path) -> None:
    book = export(cli, tmp_path / "pack.xlsx")
    # tmp_path holds the workbook itself: not a folder import wrote.
    err = cli(["rules", "import", str(book), "-o", str(tmp_path)], code=2).stderr
    assert "不是空的" in err
    assert book.is_file()
    target = tmp_path / "yaml"
    cli(["rules", "import", str(book), "-o", str(target)])
    (target / "old-area.yaml").write_text(
        (target / "life.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    cli(["rules", "import", str(book), "-o", str(target)])  # ours: written again
    assert not (target / "old-area.yaml").exists()  # a file we wrote that is no longer needed
    assert cli(["rules", "list", "--json", "--rules", str(target)]).stdout


def test_export_refuses_to_replace_an_edited_workbook(cli: Cli, tmp_path: Path) -> None:
    book = export(cli, tmp_path / "pack.xlsx")
    export(cli, book)  # our own, unedited: replaced
    edited = openpyxl.load_workbook(book)
    edited.properties.lastModifiedBy = "县总工会"
    edited.save(book)
    cli(["rules", "export", "-o", str(book)], code=2)


def test_rules_sheet_columns_cover_the_rule_format() -> None:
    from checklist import schema

    keys = {c.key.split(".")[0] for c in RULES.columns}
    answer = {c.key.split(".")[1] for c in RULES.columns if c.key.startswith("answer.")}
    assert keys | {"answer"} >= set(schema.RuleModel.model_fields) - {"answer"}
    assert answer | {"choices"} == set(schema.AnswerModel.model_fields)
