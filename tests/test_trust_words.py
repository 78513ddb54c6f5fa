"""Words: what units and maintainers read says things in their words.

No internal enum names or Python exception names in user-facing text ("答案:
count (次)", "适用单位: *", "只能是 'critical', 'major' or 'minor'", "键 line 2",
"(ValueError: unit.name)", "… / village / 2023"); the English template uses
English answer words; unit-facing pack text has no maintainers' notes and no
spaces that YAML line folding put inside Chinese text; ``rules validate`` lists
every problem in one run; a real .docx is called a Word document.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from checklist.model import AnswerType, RulePack
from checklist.rulepack import load_pack, unfold_cjk
from checklist.text import Text
from tests.conftest import Cli

BUILT_IN = Path(__file__).resolve().parent.parent / "rules" / "grassroots"
EXAMPLES = Path(__file__).resolve().parent.parent / "checklist" / "examples"

CJK = r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’—…]"
_FOLDED = re.compile(f"({CJK}) ({CJK})")
_AFTER_PUNCTUATION = re.compile(r"[、，。；：！？] ")
# What only a maintainer's note says: research sections, source keys, where a
# figure was (not) found.
_MAINTAINER_NOTE = re.compile(
    r"调研资料|第\s*\d+(?:\.\d+)+\s*节|出处|domain[- ]research|section \d+\.\d+|"
    r"this pack's own|本规则包自行|\bS\d{1,2}\b|§"
)
_ENUM_WORDS = re.compile(r"\b(?:yesno|count|number|percent|ratio|choice|date|text)\b")


@pytest.fixture(scope="module")
def pack() -> RulePack:
    return load_pack("grassroots")


def _texts(value: object, where: str = "pack") -> Iterator[tuple[str, Text]]:
    """Every Text inside ``value`` (a pack, a rule, …), with where it sits."""
    if isinstance(value, Text):
        yield where, value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            if field.name in ("source", "aliases", "path", "file"):
                continue  # maintainers' fields, never shown to units
            yield from _texts(getattr(value, field.name), f"{where}.{field.name}")
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from _texts(item, f"{where}[{index}]")


def _yaml_source() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(BUILT_IN.glob("*.yaml")))


def test_unit_facing_pack_text_has_no_folding_spaces_or_notes(pack: RulePack) -> None:
    source = _yaml_source()
    texts = list(_texts(pack))
    assert len(texts) > 300
    for where, text in texts:
        assert not _AFTER_PUNCTUATION.search(text.zh), (where, text.zh)
        for match in _FOLDED.finditer(text.zh):
            # A space between two Chinese characters is kept only where the
            # maintainer typed it inside one line ("张某某 党总支副书记").
            assert match.group(0) in source, (where, text.zh)
        for language in (text.zh, text.en):
            assert not _MAINTAINER_NOTE.search(language), (where, language)
        assert not re.search(r'["“](?:是|否|不适用)["”]', text.en), (where, text.en)


def test_folding_spaces_are_removed_only_where_lines_were_joined() -> None:
    lines = [
        "  zh: >-",
        "    组织覆盖存在空白点、",
        "    编制偏少，工会、共青团、妇联",
        "    考核标准 张某某 书记",
    ]
    folded = "组织覆盖存在空白点、 编制偏少，工会、共青团、妇联 考核标准 张某某 书记"
    assert (
        unfold_cjk(folded, lines)
        == "组织覆盖存在空白点、编制偏少，工会、共青团、妇联考核标准 张某某 书记"
    )
    assert unfold_cjk("良好， 60分", ["良好，", "60分"]) == "良好，60分"


def test_a_folded_pack_loads_without_the_spaces(tmp_path: Path) -> None:
    folder = tmp_path / "pack"
    shutil.copytree(BUILT_IN, folder)
    pack_yaml = folder / "pack.yaml"
    text = pack_yaml.read_text(encoding="utf-8")
    # Re-fold the title over two lines, as an editor wrapping at 80 columns would.
    folded = re.sub(
        r"title:\n  zh: (\S+)\n",
        lambda m: f"title:\n  zh: >-\n    {m.group(1)[:3]}\n    {m.group(1)[3:]}\n",
        text,
        count=1,
    )
    assert folded != text
    pack_yaml.write_text(folded, encoding="utf-8")
    assert load_pack(folder).title.zh == load_pack(BUILT_IN).title.zh


def _cells(path: Path) -> Iterator[tuple[str, str]]:
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    yield f"{sheet.title}!{cell.coordinate}", cell.value
                elif cell.value is not None and hasattr(cell.value, "__str__"):
                    yield f"{sheet.title}!{cell.coordinate}", str(cell.value)


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    cli = Cli()
    tmp = tmp_path_factory.mktemp("templates")
    made = {}
    for lang in ("zh", "en"):
        made[lang] = tmp / f"{lang}.xlsx"
        cli(["template", "--lang", lang, "-o", str(made[lang])])
    return made


def test_the_template_text_has_no_folding_spaces_or_notes(templates: dict[str, Path]) -> None:
    # The pack's texts are checked above; here what the template adds around them
    # (bands such as "≥2次 满分" are spaced on purpose, so only stray spaces after
    # Chinese punctuation count).
    for lang, path in templates.items():
        for where, value in _cells(path):
            if where.startswith("_"):
                continue  # the hidden sheets hold keys, not words
            assert not _MAINTAINER_NOTE.search(value), (lang, where, value)
            assert not _AFTER_PUNCTUATION.search(value), (lang, where, value)


def test_the_english_template_uses_english_answer_words(
    cli: Cli, pack: RulePack, templates: dict[str, Path], tmp_path: Path
) -> None:
    path = templates["en"]
    for where, value in _cells(path):
        assert not re.search(r'["“](?:是|否|不适用)["”]', value), (where, value)
    # And intake reads the English words back.
    book = openpyxl.load_workbook(path)
    unit = book["Unit information"]
    unit["B1"] = "Xinhu Village"
    unit["B2"] = "Village"
    unit["B4"] = 2024
    sheet = book["Self-assessment"]
    yes_no = {r.id for r in pack.rules if r.answer.type is AnswerType.yesno}
    answered = {}
    for row in range(2, sheet.max_row + 1):
        rule_id = sheet.cell(row, 1).value
        if rule_id in yes_no:
            word = "Yes" if len(answered) % 2 == 0 else "No"
            sheet.cell(row, 5).value = word
            answered[rule_id] = word == "Yes"
    assert answered
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    out = tmp_path / "r.json"
    cli(["score", str(filled), "-o", str(out)])
    rules = {r["id"]: r for r in json.loads(out.read_text(encoding="utf-8"))["rules"]}
    for rule_id, value in answered.items():
        assert rules[rule_id]["answer"]["value"] is value, rule_id


def test_rules_show_uses_words_not_internal_names(cli: Cli, pack: RulePack) -> None:
    for rule in pack.rules:
        out = cli(["rules", "show", rule.id]).stdout
        lines = dict(line.split(": ", 1) for line in out.splitlines() if ": " in line)
        assert not _ENUM_WORDS.search(lines["答案"]), (rule.id, lines["答案"])
        assert "*" not in lines["适用单位"] and ">=" not in lines["适用单位"], rule.id
        for type_ in pack.unit_types:
            assert type_.id not in lines["适用单位"]


def _broken_pack(tmp_path: Path) -> Path:
    folder = tmp_path / "pack"
    shutil.copytree(BUILT_IN, folder)
    rules = sorted(
        p
        for p in folder.glob("*.yaml")
        if p.name not in ("pack.yaml", "checks.yaml", "concepts.yaml")
    )
    first = rules[0]
    text = first.read_text(encoding="utf-8")
    ids = re.findall(r"^- id: (\S+)|^  - id: (\S+)", text, re.M)
    flat = [a or b for a, b in ids]
    assert len(flat) >= 2
    # The second rule takes the first one's id and has a bad severity too.
    second = text.index(f"id: {flat[1]}")
    severity = text.index("severity:", second)
    end = text.index("\n", severity)
    text = text[:severity] + "severity: serious" + text[end:]
    text = text.replace(f"id: {flat[1]}", f"id: {flat[0]}", 1)
    first.write_text(text, encoding="utf-8")
    (folder / "zz-broken.yaml").write_text("- id: X-01\n  indicator: [\n", encoding="utf-8")
    return folder


def test_rules_validate_lists_every_problem_in_one_run_in_words(cli: Cli, tmp_path: Path) -> None:
    folder = _broken_pack(tmp_path)
    zh = cli(["rules", "validate", str(folder)], code=2).stderr
    assert "规则编号重复" in zh, zh
    assert "critical、major、minor 之一" in zh and "' or '" not in zh, zh
    assert "键 line" not in zh and re.search(r"zz-broken.yaml：第 \d+ 行", zh), zh
    en = cli(["rules", "validate", str(folder), "--lang", "en"], code=2).stderr
    assert "duplicate rule id" in en and "must be one of critical, major, minor" in en


def test_a_bad_result_file_is_described_without_exception_names(cli: Cli, tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    cli(["score", str(EXAMPLES / "东林村2022年群团工作自评表.xlsx"), "-o", str(good)])
    data = json.loads(good.read_text(encoding="utf-8"))
    del data["unit"]["name"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    for lang in ("zh", "en"):
        out = cli(["compare", str(bad), str(good), "--lang", lang], code=2).stderr
        assert not re.search(r"\w+Error\b", out), out
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    out = cli(["compare", str(broken), str(good)], code=2).stderr
    assert not re.search(r"\w+Error\b", out) and "JSON" in out, out


def test_different_units_are_described_without_type_ids(cli: Cli) -> None:
    out = cli(
        [
            "compare",
            str(EXAMPLES / "东林村2022年群团工作自评表.xlsx"),
            str(EXAMPLES / "西园社区-2022-自评.xlsx"),
        ],
        code=2,
    ).stderr
    assert "不是同一单位" in out
    assert not re.search(r"/ (?:village|community|enterprise|school|institution)\b", out), out
    assert "单位类型也不同" in out


def test_a_real_word_document_is_not_called_renamed(cli: Cli, tmp_path: Path) -> None:
    for name in ("报告.docx", "报告.xlsx"):
        path = tmp_path / name
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml", "<w:document/>")
        out = cli(["score", str(path)], code=2).stderr
        if name.endswith(".docx"):
            assert "Word 文档（.docx）" in out and "改了扩展名" not in out, out
        else:
            assert "改了扩展名" in out, out
