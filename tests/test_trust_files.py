"""Know what a file is: the tool's own workbooks, blank templates and forms without identity.

A compare workbook given to ``score --save`` was saved as 城厢镇东林村村委会 2024,
52.36 / 不合格 (the real score is 98.59); the blank template scored as a unit;
a form with no unit type was scored against all 67 rules, enterprise-only
vetoes included.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from checklist.history import open_history
from checklist.model import DecisionKind, RulePack, Status
from checklist.origin import Made
from checklist.preflight import made_by
from checklist.rulepack import load_pack
from tests.conftest import Cli
from tests.forms import Form, clean_form, sample_answers

EXAMPLES = Path(__file__).resolve().parent.parent / "checklist" / "examples"
OLD = EXAMPLES / "东林村2023年群团工作自评表.xlsx"
NEW = EXAMPLES / "城厢镇东林村-2024年度群团自评表.xlsx"


@pytest.fixture(scope="module")
def pack() -> RulePack:
    return load_pack("grassroots")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One of every workbook the tool writes."""
    cli = Cli()
    tmp = tmp_path_factory.mktemp("outputs")
    db = str(tmp / "h.db")
    made = {
        "report": tmp / "东林村报告.xlsx",
        "compare": tmp / "东林村对比.xlsx",
        "trend": tmp / "东林村趋势.xlsx",
        "pack": tmp / "规则包.xlsx",
        "template": tmp / "模板.xlsx",
    }
    cli(["score", str(OLD), "--db", db, "--save", "-o", str(tmp / "r2023.xlsx")])
    cli(["score", str(NEW), "--db", db, "--save", "-o", str(made["report"])])
    cli(["compare", str(OLD), str(NEW), "-o", str(made["compare"])])
    cli(["trend", "东林村", "--db", db, "-o", str(made["trend"])])
    cli(["rules", "export", "-o", str(made["pack"])])
    cli(["template", "-o", str(made["template"])])
    made["db"] = Path(db)
    return made


NAMES = {
    "report": "差距报告",
    "compare": "对比报告",
    "trend": "历年趋势报告",
    "pack": "规则包工作簿",
}


@pytest.mark.parametrize("kind", sorted(NAMES))
def test_every_output_is_refused_as_a_form_naming_what_it_is(
    cli: Cli, outputs: dict[str, Path], kind: str
) -> None:
    path = outputs[kind]
    assert made_by(path) is Made(kind)
    db = outputs["db"]
    with open_history(db) as history:
        before = [(e.unit_name, e.year, e.total) for e in history.list_assessments()]
    result = cli(["score", str(path), "--save", "--db", str(db)], code=2)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"这是 checklist 生成的{NAMES[kind]}，不是单位自评表" in lines[0]
    with open_history(db) as history:
        assert [(e.unit_name, e.year, e.total) for e in history.list_assessments()] == before
    english = cli(["score", str(path), "--lang", "en"], code=2)
    assert "not a unit's self-assessment form" in english.stderr


def test_the_template_is_still_a_form(cli: Cli, outputs: dict[str, Path]) -> None:
    assert made_by(outputs["template"]) is Made.template
    # Scored (a blank one is flagged, see below), not refused as an output.
    cli(["score", str(outputs["template"]), "-o", str(outputs["template"].with_name("t.json"))])


def test_a_form_is_not_marked(pack: RulePack, tmp_path: Path) -> None:
    form = Form("城厢镇东林村", "村", 2024, "城厢镇", sample_answers(pack, "village"))
    assert made_by(clean_form(pack, form, tmp_path / "f.xlsx")) is None
    assert made_by(EXAMPLES / "港城物流-2023年度自评.ods") is None
    assert made_by(EXAMPLES / "新湖村2024自评.csv") is None


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.slow
def test_the_mark_survives_a_libreoffice_save(
    cli: Cli, outputs: dict[str, Path], tmp_path: Path
) -> None:
    for kind, fmt in (("compare", "xlsx"), ("compare", "ods"), ("template", "xlsx")):
        out = tmp_path / f"{kind}-{fmt}"
        subprocess.run(
            ["soffice", "--headless", "--convert-to", fmt, "--outdir", str(out), outputs[kind]],
            check=True,
            capture_output=True,
            timeout=180,
            env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
        )
        saved = next(out.iterdir())
        assert made_by(saved) is Made(kind), saved
    saved_compare = next((tmp_path / "compare-xlsx").iterdir())
    refused = cli(["score", str(saved_compare)], code=2)
    assert "对比报告" in refused.stderr


def test_a_blank_template_is_flagged_and_never_saved(
    cli: Cli, outputs: dict[str, Path], tmp_path: Path
) -> None:
    blank = tmp_path / "模板村2024.xlsx"
    shutil.copy(outputs["template"], blank)
    db = tmp_path / "h.db"
    refused = cli(
        ["score", str(blank), "--save", "--db", str(db), "-o", str(tmp_path / "a.xlsx")], 2
    )
    assert "没有任何答案" in refused.stderr and "不能保存" in refused.stderr
    assert not (tmp_path / "a.xlsx").exists()
    flagged = cli(["score", str(blank), "-o", str(tmp_path / "b.xlsx")])
    assert flagged.stderr.startswith("注意：表中没有任何答案")


def test_a_form_without_a_unit_name_is_flagged_and_never_saved(
    cli: Cli, pack: RulePack, tmp_path: Path
) -> None:
    form = Form("", "村", 2024, "城厢镇", sample_answers(pack, "village"))
    path = clean_form(pack, form, tmp_path / "2024.xlsx")
    db = tmp_path / "h.db"
    refused = cli(
        ["score", str(path), "--save", "--db", str(db), "-o", str(tmp_path / "a.json")], 2
    )
    assert "找不到单位名称" in refused.stderr
    flagged = cli(["score", str(path), "--lang", "en", "-o", str(tmp_path / "b.json")])
    assert flagged.stderr.startswith("Warning: no unit name")


def test_a_form_without_a_unit_type_is_scored_on_the_shared_rules_only(
    cli: Cli, pack: RulePack, tmp_path: Path
) -> None:
    # A header-only CSV: no unit information at all, every answer blank.
    header = "编号,类别,指标,填报说明,自评填报,佐证材料,自评得分,备注\n"
    rows = "".join(f"{r.id},,{r.indicator.zh},,是,,,\n" for r in pack.rules)
    path = tmp_path / "某单位2024.csv"
    path.write_text(header + rows, encoding="utf-8")
    out = tmp_path / "r.json"
    result = cli(["score", str(path), "-o", str(out)])
    data = json.loads(out.read_text(encoding="utf-8"))
    by_id = {r["id"]: r for r in data["rules"]}
    typed = [r for r in pack.rules if r.applies_to]
    assert typed, "the pack has rules for some unit types only"
    for rule in typed:
        assert by_id[rule.id]["status"] == Status.na.value
        assert by_id[rule.id]["decision"]["kind"] == DecisionKind.na_no_type.value
    shared = [r for r in pack.rules if not r.applies_to and not r.bonus]
    assert data["completeness"]["applicable"] == len(
        [r for r in shared if r.since is None or r.since <= 2024]
    ) + len([r for r in pack.rules if r.bonus and not r.applies_to])
    # The terminal and the report say so.
    assert "只按适用于所有类型的指标评分" in " ".join(result.stdout.split())
    assert "只按适用于所有类型的指标评分" in json.dumps(data["intake"], ensure_ascii=False)
