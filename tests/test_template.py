"""``checklist template``: the written workbook read back with openpyxl."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from checklist import layout
from checklist.errors import ChecklistError
from checklist.model import RulePack
from checklist.rulepack import load_pack
from checklist.template import (
    LISTS_SHEET,
    find_unit_type,
    resolve_unit_type,
    template_rules,
    write_template,
)
from tests.conftest import Cli
from tests.packs import write_pack

CHOICES = [
    {"id": "city", "zh": "市级及以上", "en": "City or above", "credit": 1.0},
    {
        "id": "county",
        "zh": "县级（含区、县级市）",
        "en": "County, district or county-level city",
        "credit": 0.5,
    },
    {"id": "none", "zh": "未获表彰", "en": "None", "credit": 0.0},
]

RULES: list[dict[str, Any]] = [
    {"id": "YN-1", "veto": True, "evidence": "required", "severity": "critical"},
    {"id": "CNT-1", "answer": {"type": "count", "unit": "次"}, "bands": {">=2": 1.0, ">=1": 0.5}},
    {"id": "NUM-1", "answer": {"type": "number", "unit": "万元"}, "bands": {">=1": 1.0}},
    {"id": "PCT-1", "answer": {"type": "percent"}, "bands": {">=95": 1.0, ">=90": 0.5}},
    {"id": "EMP-1", "area": "cover", "points": 0, "answer": {"type": "count", "unit": "人"}},
    {"id": "MEM-1", "area": "cover", "points": 0, "answer": {"type": "count", "unit": "人"}},
    {
        "id": "RATE-1",
        "area": "cover",
        "answer": {"type": "ratio", "numerator": "MEM-1", "denominator": "EMP-1"},
        "bands": {">=90": 1.0},
    },
    {"id": "CH-1", "area": "cover", "answer": {"type": "choice", "choices": CHOICES}},
    {"id": "DT-1", "area": "cover", "answer": {"type": "date"}, "bands": {"<=5": 1.0}},
    {"id": "TXT-1", "area": "cover", "points": 0, "answer": {"type": "text"}},
    {"id": "BON-1", "bonus": True, "points": 1},
    {"id": "VIL-1", "area": "cover", "applies_to": ["village"]},
    {"id": "ENT-1", "area": "cover", "applies_to": ["enterprise"]},
    {"id": "NA-1", "area": "cover", "na_allowed": True},
]


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> RulePack:
    folder = tmp_path_factory.mktemp("pack") / "mini"
    return load_pack(write_pack(folder, RULES))


@pytest.fixture(scope="module")
def book(pack: RulePack, tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    path = write_template(pack, tmp_path_factory.mktemp("out") / "t.xlsx")
    return load_workbook(path)


@pytest.fixture(scope="module")
def grassroots() -> RulePack:
    return load_pack("grassroots")


def form(book: Workbook, lang: str = "zh") -> Worksheet:
    return book[layout.ASSESSMENT_SHEET.get(lang)]


def rule_rows(sheet: Worksheet) -> dict[str, int]:
    """Rule id → row number, read from column A below the header."""
    rows = {}
    for row in range(2, sheet.max_row + 1):
        value = sheet.cell(row=row, column=1).value
        if value is not None:
            rows[str(value)] = row
    return rows


def column(key: str) -> int:
    return [k for k, _ in layout.COLUMNS].index(key) + 1


def cell_ref(sheet: Worksheet, rule_id: str, key: str) -> str:
    return sheet.cell(row=rule_rows(sheet)[rule_id], column=column(key)).coordinate


def validation(sheet: Worksheet, ref: str) -> DataValidation:
    found = [dv for dv in sheet.data_validations.dataValidation if ref in dv.sqref]
    assert len(found) == 1, f"{ref}: {len(found)} validations"
    return found[0]


def list_items(book: Workbook, formula: str) -> list[str]:
    """The items of a list validation: inline ("a,b") or through a defined name."""
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    name = book.defined_names[formula]
    ((sheet_name, cells),) = list(name.destinations)
    return [str(c[0].value) for c in book[sheet_name][cells.replace("$", "")]]


# --- structure ---------------------------------------------------------------------------


def test_sheets_in_order_with_hidden_helpers(book: Workbook) -> None:
    names = book.sheetnames
    assert names[:4] == [
        layout.INSTRUCTIONS_SHEET.zh,
        layout.UNIT_SHEET.zh,
        layout.ASSESSMENT_SHEET.zh,
        layout.META_SHEET,
    ]
    assert [book[n].sheet_state for n in names[:3]] == ["visible"] * 3
    assert book[layout.META_SHEET].sheet_state == "hidden"
    assert all(book[n].sheet_state == "hidden" for n in names[3:])
    # Excel "repairs" a workbook whose active sheet is hidden.
    assert book.active is not None and book.active.title == layout.INSTRUCTIONS_SHEET.zh


def test_header_row_is_the_layout_contract(book: Workbook) -> None:
    sheet = form(book)
    headers = [sheet.cell(row=1, column=i).value for i in range(1, len(layout.COLUMNS) + 1)]
    assert headers == [text.zh for _, text in layout.COLUMNS]
    assert sheet.cell(row=1, column=len(layout.COLUMNS) + 1).value is None


def test_one_row_per_rule_grouped_by_area(book: Workbook, pack: RulePack) -> None:
    sheet = form(book)
    ids = list(rule_rows(sheet))
    assert ids == [rule.id for rule in template_rules(pack)]
    assert sorted(ids) == sorted(rule.id for rule in pack.rules)
    # Rules of one area are contiguous and follow the pack's area order.
    areas = [pack.rule(i).area for i in ids]
    assert areas == sorted(areas, key=[a.id for a in pack.areas].index)
    for rule_id, row in rule_rows(sheet).items():
        rule = pack.rule(rule_id)
        assert sheet.cell(row=row, column=column("indicator")).value == rule.indicator.zh
        assert sheet.cell(row=row, column=column("area")).value == pack.area(rule.area).title.zh


def test_area_heading_rows_leave_column_a_empty(book: Workbook, pack: RulePack) -> None:
    sheet = form(book)
    headings = [
        row
        for row in range(2, sheet.max_row + 1)
        if sheet.cell(row=row, column=1).value is None
        and sheet.cell(row=row, column=column("area")).value
    ]
    assert len(headings) == len(pack.areas)
    first = sheet.cell(row=headings[0], column=column("area")).value
    assert first.startswith("一、领导重视")
    for row in headings:
        for key in layout.INPUT_COLUMNS:
            assert sheet.cell(row=row, column=column(key)).protection.locked


def test_guidance_marks_veto_bonus_evidence_and_computed(book: Workbook, pack: RulePack) -> None:
    sheet = form(book)

    def guidance(rule_id: str) -> str:
        return str(sheet[cell_ref(sheet, rule_id, "guidance")].value)

    assert "【否决项】" in guidance("YN-1") and "【需佐证】" in guidance("YN-1")
    assert "合格" in guidance("YN-1")  # the veto cap grade of the mini pack
    assert "【加分项】" in guidance("BON-1") and "【否决项】" not in guidance("BON-1")
    assert "【自动计算】" in guidance("RATE-1") and "MEM-1 ÷ EMP-1" in guidance("RATE-1")
    assert "分值：2 分" in guidance("CNT-1") and "≥2次 满分" in guidance("CNT-1")
    assert "仅适用于：村" in guidance("VIL-1")
    assert "不计分" in guidance("EMP-1") and "RATE-1" in guidance("EMP-1")
    assert "【" not in guidance("CNT-1")


# --- validations -------------------------------------------------------------------------


def test_answer_validations_by_type(book: Workbook) -> None:
    sheet = form(book)

    def answer(rule_id: str) -> DataValidation:
        return validation(sheet, cell_ref(sheet, rule_id, "answer"))

    yes_no = answer("YN-1")
    # 不适用 is offered only where it can be a right answer: a rule that applies to
    # every unit scores N/A as unanswered.
    assert yes_no.type == "list" and list_items(book, yes_no.formula1) == ["是", "否"]
    assert list_items(book, answer("NA-1").formula1) == ["是", "否", "不适用"]
    assert list_items(book, answer("VIL-1").formula1) == ["是", "否", "不适用"]
    choice = answer("CH-1")
    assert choice.type == "list"
    # Labels with commas cannot go in an inline list; they come from the hidden list sheet.
    assert list_items(book, choice.formula1) == [c["zh"] for c in CHOICES]
    count = answer("CNT-1")
    assert (count.type, count.operator, count.formula1) == ("whole", "greaterThanOrEqual", "0")
    number = answer("NUM-1")
    assert (number.type, number.operator, number.formula1) == ("decimal", "greaterThanOrEqual", "0")
    for rule_id in ("PCT-1", "RATE-1"):
        rate = answer(rule_id)
        assert (rate.type, rate.operator, rate.formula1, rate.formula2) == (
            "decimal",
            "between",
            "0",
            "100",
        )
    assert "可不填" in (answer("RATE-1").prompt or "")
    date = answer("DT-1")
    assert date.type == "date" and date.operator == "between"
    assert sheet[cell_ref(sheet, "DT-1", "answer")].number_format == 'yyyy"年"m"月"d"日"'
    text = answer("TXT-1")
    assert text.type is None and text.prompt


def test_every_validation_prompts_and_explains(book: Workbook) -> None:
    for name in (layout.UNIT_SHEET.zh, layout.ASSESSMENT_SHEET.zh):
        for dv in book[name].data_validations.dataValidation:
            assert dv.showInputMessage and dv.prompt and dv.promptTitle
            # Longer texts make Excel offer to "repair" the file.
            assert len(dv.prompt) <= 255 and len(dv.promptTitle) <= 32
            if dv.type is not None:
                assert dv.showErrorMessage and dv.error and dv.errorTitle
                assert len(dv.error) <= 225 and len(dv.errorTitle) <= 32
            if dv.type == "list":
                assert len(dv.formula1) <= 255


def test_prompts_say_what_to_type(book: Workbook) -> None:
    sheet = form(book)
    count = validation(sheet, cell_ref(sheet, "CNT-1", "answer"))
    assert "整数" in (count.prompt or "") and "≥2次" in (count.prompt or "")
    percent = validation(sheet, cell_ref(sheet, "PCT-1", "answer"))
    assert "95" in (percent.prompt or "")
    evidence = validation(sheet, cell_ref(sheet, "YN-1", "evidence"))
    assert evidence.promptTitle == "本项需佐证" and "会议纪要" in (evidence.prompt or "")
    claimed = validation(sheet, cell_ref(sheet, "CNT-1", "claimed"))
    assert (claimed.type, claimed.formula1, claimed.formula2) == ("decimal", "0", "2")


def test_every_answer_cell_has_a_validation(book: Workbook) -> None:
    sheet = form(book)
    for rule_id in rule_rows(sheet):
        for key in ("answer", "evidence", "claimed"):
            validation(sheet, cell_ref(sheet, rule_id, key))


# --- unit information ----------------------------------------------------------------------


def test_unit_sheet_labels_and_values(book: Workbook, pack: RulePack) -> None:
    sheet = book[layout.UNIT_SHEET.zh]
    labels = [sheet.cell(row=r, column=1).value for r in range(1, len(layout.UNIT_FIELDS) + 1)]
    assert labels == [text.zh for _, text in layout.UNIT_FIELDS]
    assert sheet.cell(row=len(layout.UNIT_FIELDS) + 1, column=1).value is None
    for row in range(1, len(layout.UNIT_FIELDS) + 1):
        assert sheet.cell(row=row, column=1).protection.locked
        assert not sheet.cell(row=row, column=2).protection.locked
        assert sheet.cell(row=row, column=2).value is None
    keys = [key for key, _ in layout.UNIT_FIELDS]
    unit_type = validation(sheet, f"B{keys.index('type') + 1}")
    assert list_items(book, unit_type.formula1) == [t.title.zh for t in pack.unit_types]
    year = validation(sheet, f"B{keys.index('year') + 1}")
    assert (year.type, year.operator, year.formula1, year.formula2) == (
        "whole",
        "between",
        "2000",
        "2100",
    )


# --- protection, printing, meta ------------------------------------------------------------


def test_protection_without_password_and_only_inputs_unlocked(book: Workbook) -> None:
    for name in book.sheetnames:
        protection = book[name].protection
        assert protection.sheet, name
        assert not protection.password, name
    sheet = form(book)
    for row in rule_rows(sheet).values():
        for key, _ in layout.COLUMNS:
            locked = sheet.cell(row=row, column=column(key)).protection.locked
            assert locked is (key not in layout.INPUT_COLUMNS), (row, key)
    assert all(sheet.cell(row=1, column=c).protection.locked for c in range(1, 9))


def test_print_setup_and_frozen_header(book: Workbook) -> None:
    sheet = form(book)
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9
    assert int(sheet.page_setup.fitToWidth) == 1 and int(sheet.page_setup.fitToHeight) == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.freeze_panes == "A2"
    for name in (layout.INSTRUCTIONS_SHEET.zh, layout.UNIT_SHEET.zh):
        assert int(book[name].page_setup.paperSize) == 9


def test_rows_are_tall_enough_for_wrapped_text(book: Workbook) -> None:
    sheet = form(book)
    for row in rule_rows(sheet).values():
        guidance = sheet.cell(row=row, column=column("guidance"))
        assert guidance.alignment.wrap_text
        lines = str(guidance.value).count("\n") + 1
        height = sheet.row_dimensions[row].height
        assert height is not None and height >= lines * 14


def test_meta_sheet_records_pack_and_template(book: Workbook, pack: RulePack) -> None:
    meta = book[layout.META_SHEET]
    values = {
        meta.cell(row=r, column=1).value: meta.cell(row=r, column=2).value for r in range(1, 6)
    }
    assert list(values) == list(layout.META_KEYS)
    assert values == {
        "pack_id": "mini",
        "pack_version": pack.version,
        "template_version": layout.TEMPLATE_VERSION,
        "lang": "zh",
        "unit_type": None,
    }


# --- options -----------------------------------------------------------------------------


def test_unit_type_leaves_out_rules_and_prefills(pack: RulePack, tmp_path: Path) -> None:
    book = load_workbook(write_template(pack, tmp_path / "v.xlsx", unit_type="村委会"))
    ids = set(rule_rows(form(book)))
    assert "VIL-1" in ids and "ENT-1" not in ids
    assert ids == {r.id for r in pack.rules} - {"ENT-1"}
    assert "仅适用于" not in str(form(book)[cell_ref(form(book), "VIL-1", "guidance")].value)
    keys = [key for key, _ in layout.UNIT_FIELDS]
    assert book[layout.UNIT_SHEET.zh].cell(row=keys.index("type") + 1, column=2).value == "村"
    meta = book[layout.META_SHEET]
    assert meta.cell(row=layout.META_KEYS.index("unit_type") + 1, column=2).value == "village"


def test_unit_type_by_id_title_or_synonym(pack: RulePack) -> None:
    for text in ("village", "Village", " 村 ", "村委会", "ＶＩＬＬＡＧＥ"):
        found = find_unit_type(pack, text)
        assert found is not None and found.id == "village", text
    assert find_unit_type(pack, "学校") is None
    with pytest.raises(ChecklistError) as caught:
        resolve_unit_type(pack, "学校")
    message = caught.value.render("zh")
    assert "学校" in message and "village（村）" in message and "\n" not in message


def test_english_workbook(pack: RulePack, tmp_path: Path) -> None:
    book = load_workbook(write_template(pack, tmp_path / "en.xlsx", lang="en"))
    assert book.sheetnames[:4] == [
        layout.INSTRUCTIONS_SHEET.en,
        layout.UNIT_SHEET.en,
        layout.ASSESSMENT_SHEET.en,
        layout.META_SHEET,
    ]
    sheet = form(book, "en")
    assert [sheet.cell(row=1, column=i).value for i in range(1, 9)] == [
        t.en for _, t in layout.COLUMNS
    ]
    yes_no = validation(sheet, cell_ref(sheet, "YN-1", "answer"))
    assert list_items(book, yes_no.formula1) == ["Yes", "No"]
    na_ok = validation(sheet, cell_ref(sheet, "NA-1", "answer"))
    assert list_items(book, na_ok.formula1) == ["Yes", "No", "N/A"]
    assert sheet[cell_ref(sheet, "YN-1", "indicator")].value == "Indicator YN-1"
    assert "[Veto]" in str(sheet[cell_ref(sheet, "YN-1", "guidance")].value)
    labels = [book[layout.UNIT_SHEET.en].cell(row=r, column=1).value for r in range(1, 7)]
    assert labels == [t.en for _, t in layout.UNIT_FIELDS]
    meta = book[layout.META_SHEET]
    assert meta.cell(row=layout.META_KEYS.index("lang") + 1, column=2).value == "en"


def test_two_runs_give_identical_bytes(pack: RulePack, tmp_path: Path) -> None:
    first = write_template(pack, tmp_path / "a.xlsx").read_bytes()
    second = write_template(pack, tmp_path / "b.xlsx").read_bytes()
    assert first == second


def test_lists_sheet_is_not_the_meta_sheet(book: Workbook) -> None:
    # Intake reads the meta sheet as key/value rows; dropdown lists live elsewhere.
    assert LISTS_SHEET in book.sheetnames
    assert book[layout.META_SHEET].max_column == 2


# --- the built-in pack ---------------------------------------------------------------------


def test_grassroots_template_has_every_rule(grassroots: RulePack, tmp_path: Path) -> None:
    book = load_workbook(write_template(grassroots, tmp_path / "g.xlsx"))
    sheet = form(book)
    assert list(rule_rows(sheet)) == [rule.id for rule in template_rules(grassroots)]
    assert len(rule_rows(sheet)) == len(grassroots.rules)
    for rule_id in rule_rows(sheet):
        validation(sheet, cell_ref(sheet, rule_id, "answer"))
    meta = book[layout.META_SHEET]
    assert meta["B1"].value == "grassroots" and meta["B2"].value == grassroots.version


def test_grassroots_template_per_unit_type(grassroots: RulePack, tmp_path: Path) -> None:
    for unit_type in grassroots.unit_types:
        book = load_workbook(
            write_template(grassroots, tmp_path / f"{unit_type.id}.xlsx", unit_type=unit_type.id)
        )
        ids = set(rule_rows(form(book)))
        expected = {r.id for r in grassroots.rules if r.applies(unit_type.id, None)}
        assert ids == expected, unit_type.id
        assert len(ids) < len(grassroots.rules)


# --- the command ---------------------------------------------------------------------------


def test_cli_writes_the_default_file_and_will_not_replace_it(
    cli: Cli, pack: RulePack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli(["template", "--rules", pack.path])
    assert (tmp_path / "自评表模板.xlsx").is_file()
    assert "自评表模板.xlsx" in result.stdout
    refused = cli(["template", "--rules", pack.path], code=2)
    assert "--force" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    cli(["template", "--rules", pack.path, "--force"])
    cli(["template", "--rules", pack.path, "--lang", "en"])
    assert (tmp_path / "self-assessment-template.xlsx").is_file()


def test_cli_output_unit_type_and_lang(cli: Cli, pack: RulePack, tmp_path: Path) -> None:
    out = tmp_path / "村.xlsx"
    result = cli(["template", "--rules", pack.path, "--unit-type", "村", "-o", str(out)])
    assert "（村）" in result.stdout
    assert "ENT-1" not in rule_rows(form(load_workbook(out)))


def test_cli_unknown_unit_type_is_one_line(cli: Cli, pack: RulePack, tmp_path: Path) -> None:
    out = tmp_path / "x.xlsx"
    result = cli(
        ["template", "--rules", pack.path, "--unit-type", "工厂车间", "-o", str(out)], code=2
    )
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "工厂车间" in lines[0] and "community" in lines[0]
    assert not out.exists()
    english = cli(
        ["template", "--rules", pack.path, "--unit-type", "x", "--lang", "en", "-o", str(out)],
        code=2,
    )
    assert "Known types" in english.stderr


def test_cli_never_writes_over_the_rule_pack(cli: Cli, pack: RulePack) -> None:
    target = Path(pack.path) / "rules.yaml"
    before = target.read_bytes()
    result = cli(["template", "--rules", pack.path, "-o", str(target), "--force"], code=2)
    assert ".xlsx" in result.stderr  # a template is a workbook: refused by its name first
    assert target.read_bytes() == before


def test_command_module_does_not_import_openpyxl() -> None:
    code = (
        "import sys, checklist.commands.template; sys.exit(1 if 'openpyxl' in sys.modules else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_instructions_hold_nothing_intake_could_take_for_unit_information(
    pack: RulePack, tmp_path: Path, lang: str
) -> None:
    # Intake looks for "label: value" pairs and "2024年" titles on every visible
    # sheet, so when a unit leaves a field blank the instructions must not fill it.
    book = load_workbook(write_template(pack, tmp_path / "i.xlsx", lang=lang))
    words = [t for _, text in layout.UNIT_FIELDS for t in (text.zh, text.en)]
    words += ["类型", "单位", "type", "unit", "year", "name"]
    label = re.compile(
        r"(?:^|[\s（(“'])(?:" + "|".join(map(re.escape, words)) + r")\s*[:：]", re.IGNORECASE
    )
    sheet = book[layout.INSTRUCTIONS_SHEET.get(lang)]
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert len(texts) > 20
    for text in texts:
        assert not label.search(text), text
        assert not re.search(r"(?:19|20)\d\d\s*年", text), text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_instructions_sheet_is_filled_from_the_pack(
    pack: RulePack, tmp_path: Path, lang: str
) -> None:
    book = load_workbook(write_template(pack, tmp_path / "i.xlsx", lang=lang), rich_text=True)
    sheet = book[layout.INSTRUCTIONS_SHEET.get(lang)]
    rows = [(sheet.cell(r, 1).value, sheet.cell(r, 2).value) for r in range(1, sheet.max_row + 1)]
    texts = [str(v) for row in rows for v in row if v is not None]
    # Every {placeholder} of instructions.yaml was filled in.
    assert not [t for t in texts if "{" in t or "}" in t]
    joined = "\n".join(texts)
    assert pack.title.get(lang) in texts[0] and pack.version in texts[0]
    for name in (layout.UNIT_SHEET, layout.ASSESSMENT_SHEET, *(h for _, h in layout.COLUMNS[4:])):
        assert name.get(lang) in joined
    veto_cap = pack.grade(pack.veto_cap).title.get(lang)
    assert joined.count(veto_cap) >= 2  # the scoring rule and the legend
    # Each grade of the pack has a line of its own, after the scoring steps.
    labels = [label for label, _ in rows]
    assert [g.title.get(lang) for g in sorted(pack.grades, key=lambda g: -g.min)] == [
        label for label in labels if label in {g.title.get(lang) for g in pack.grades}
    ]
    assert labels.count("1") == 2  # two numbered sections


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="needs LibreOffice and poppler-utils (not installed in CI)",
)
def test_libreoffice_prints_every_page_with_the_header(
    grassroots: RulePack, tmp_path: Path
) -> None:
    files = [
        write_template(grassroots, tmp_path / f"{lang}.xlsx", lang=lang) for lang in ("zh", "en")
    ]
    profile = tmp_path / "lo-profile"  # a private profile: no clash with a running LibreOffice
    run = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    noise = [line for line in run.stderr.splitlines() if line.strip() and "javaldx" not in line]
    assert not noise, noise
    for lang, header in (("zh", layout.COLUMNS[0][1].zh), ("en", layout.COLUMNS[0][1].en)):
        text = subprocess.run(
            ["pdftotext", "-layout", str(tmp_path / f"{lang}.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        pages = text.split("\f")[:-1]
        assert len(pages) >= 5
        assert all(page.strip() for page in pages), "a blank page was printed"
        assert "###" not in text
        # Page 1 is the instructions, page 2 the unit information; every later page
        # belongs to the self-assessment sheet and repeats its header row.
        assert all(header in page for page in pages[2:])
        printed = {rule_id for rule_id in re.findall(r"\b[A-Z]{3,5}-\d{2}\b", "".join(pages[2:]))}
        assert printed >= {rule.id for rule in grassroots.rules}
