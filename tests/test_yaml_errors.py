"""A rule pack or waivers file that is not valid YAML: one line, where and what, in zh or en."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scripts.make_examples import EXAMPLES, EXAMPLES_DIR
from tests.conftest import Cli

_FORM = EXAMPLES_DIR / EXAMPLES[0].file
_RULES = Path(__file__).resolve().parent.parent / "rules" / "grassroots"


def _one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.mark.parametrize(
    ("text", "line", "column", "zh", "en"),
    [
        ("waivers:\n\t- unit: 东林村\n", 2, 1, "Tab", "tab"),
        ('waivers:\n  - unit: 东林村\n    reason: "推迟\n', 4, 1, "引号没有配对", "quote"),
        ("waivers:\n  - unit: 东林村\n    reason: 原因: 推迟\n", 3, 15, "冒号须加引号", "colon"),
        ("waivers:\n  - unit: [东林村\n    rule: LIFE-03\n", 3, 9, "[ ]", "[ ]"),
        (
            "waivers:\n  - unit: 东林村\n    rule: LIFE-03\n   reason: x\n",
            4,
            4,
            "缩进",
            "indentation",
        ),
    ],
)
def test_a_waivers_file_that_is_not_yaml_says_where_in_one_line(
    cli: Cli, tmp_path: Path, text: str, line: int, column: int, zh: str, en: str
) -> None:
    waivers = tmp_path / "豁免.yaml"
    waivers.write_text(text, encoding="utf-8")
    before = waivers.read_bytes()
    args = ["score", str(_FORM), "--waivers", str(waivers), "-o", str(tmp_path / "r.xlsx")]
    said = _one_line(cli(args, code=2).stderr)
    assert "豁免.yaml" in said and f"第 {line} 行第 {column} 列" in said, said
    assert "YAML 语法错误" in said and zh in said, said
    said = _one_line(cli([*args, "--lang", "en"], code=2).stderr)
    assert f"line {line}, column {column}" in said and en in said, said
    assert waivers.read_bytes() == before and not (tmp_path / "r.xlsx").exists()


def test_a_rule_pack_file_that_is_not_yaml_says_where_in_one_line(cli: Cli, tmp_path: Path) -> None:
    pack = tmp_path / "本地规则"
    shutil.copytree(_RULES, pack)
    broken = pack / "funding.yaml"
    lines = broken.read_text(encoding="utf-8").splitlines()
    at = next(i for i, text in enumerate(lines) if text.startswith("  points:"))
    lines[at] = "   points: 2"  # one space too many: no longer lines up with its rule's keys
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ["score", str(_FORM), "--rules", str(pack), "-o", str(tmp_path / "r.xlsx")]
    said = _one_line(cli(args, code=2).stderr)
    assert "规则包" in said and "funding.yaml：第" in said and "行第" in said and "列" in said
    assert "YAML 语法错误" in said and "缩进" in said, said
    said = _one_line(cli([*args, "--lang", "en"], code=2).stderr)
    assert "funding.yaml: line" in said and ", column " in said and "indentation" in said, said
