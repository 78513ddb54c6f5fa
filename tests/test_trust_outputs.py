"""Outputs go where and as what the user asked, or nowhere (issue 13, items 3 and 9).

Each test reproduces a "Why" bullet: `-o r.docx` wrote workbook bytes under a
Word name; a refused save came after the report was written; a successful save
said nothing; `--replace` without `--save` was ignored; `compare A A` ran.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from checklist.history import DB_ENV_VAR, open_history
from checklist.model import RulePack
from checklist.rulepack import load_pack
from tests.conftest import Cli
from tests.forms import Form, clean_form, sample_answers


@pytest.fixture(scope="module")
def pack() -> RulePack:
    return load_pack("grassroots")


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(DB_ENV_VAR, raising=False)
    monkeypatch.delenv("CHECKLIST_LANG", raising=False)
    monkeypatch.chdir(tmp_path)


def _form(
    pack: RulePack, folder: Path, year: int | None = 2024, name: str = "城厢镇东林村"
) -> Path:
    answers = sample_answers(pack, "village", seed=3)
    path = clean_form(
        pack, Form(name, "村", year or 0, "城厢镇", answers), folder / f"form{year}.xlsx"
    )
    if year is None:
        import openpyxl

        book = openpyxl.load_workbook(path)
        book["单位信息"]["B4"].value = None
        book.save(path)
    return path


def _one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    return lines[0]


@pytest.mark.parametrize("name", ["r.docx", "r.csv", "r", "r.xlsx.bak"])
@pytest.mark.parametrize("command", ["score", "compare", "trend", "template"])
def test_output_must_end_in_xlsx_or_json(
    cli: Cli, pack: RulePack, tmp_path: Path, command: str, name: str
) -> None:
    form = _form(pack, tmp_path)
    args = {
        "score": ["score", str(form)],
        "compare": ["compare", str(form), str(_form(pack, tmp_path, 2023))],
        "trend": ["trend", "东林村", "--db", str(tmp_path / "none.db")],
        "template": ["template"],
    }[command]
    result = cli([*args, "-o", name, "--lang", "en"], code=2)
    line = _one_line(result.stderr)
    assert ".xlsx" in line
    if command != "template":
        assert ".json" in line
    assert not (tmp_path / name).exists()


def test_compare_and_trend_write_json_when_asked(cli: Cli, pack: RulePack, tmp_path: Path) -> None:
    old, new = _form(pack, tmp_path, 2023), _form(pack, tmp_path, 2024)
    cli(["compare", str(old), str(new), "-o", "c.json"])
    written = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    assert (written["unit"]["then"]["year"], written["unit"]["now"]["year"]) == (2023, 2024)
    db = tmp_path / "h.db"
    for form in (old, new):
        cli(["score", str(form), "--save", "--db", str(db), "-o", f"{form.stem}-r.xlsx"])
    cli(["trend", "东林村", "--db", str(db), "-o", "t.json"])
    data = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    assert [y["year"] for y in data["years"]] == [2023, 2024]


def test_replace_without_save_is_a_usage_error(cli: Cli, pack: RulePack, tmp_path: Path) -> None:
    form = _form(pack, tmp_path)
    result = cli(["score", str(form), "--replace", "--lang", "en"], code=2)
    assert "--save" in _one_line(result.stderr)
    assert not list(tmp_path.glob("*-report.xlsx"))


def test_a_save_that_is_refused_writes_no_report(cli: Cli, pack: RulePack, tmp_path: Path) -> None:
    form = _form(pack, tmp_path)
    db = tmp_path / "h.db"
    cli(["score", str(form), "--save", "--db", str(db), "-o", "first.xlsx"])
    again = cli(["score", str(form), "--save", "--db", str(db), "-o", "second.xlsx"], code=2)
    assert "--replace" in _one_line(again.stderr)
    assert not (tmp_path / "second.xlsx").exists()


def test_a_form_without_a_year_is_refused_before_the_report(
    cli: Cli, pack: RulePack, tmp_path: Path
) -> None:
    form = _form(pack, tmp_path, None)
    result = cli(["score", str(form), "--save", "--db", "h.db", "-o", "r.xlsx"], code=2)
    _one_line(result.stderr)
    assert not (tmp_path / "r.xlsx").exists()


def test_a_locked_database_refuses_before_the_report(
    cli: Cli, pack: RulePack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    form = _form(pack, tmp_path)
    db = tmp_path / "h.db"
    with open_history(db):
        pass
    monkeypatch.setattr("checklist.history.BUSY_TIMEOUT_MS", 100)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = cli(["score", str(form), "--save", "--db", str(db), "-o", "r.xlsx"], code=2)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "locked" in _one_line(result.stderr)
    assert not (tmp_path / "r.xlsx").exists()


def test_a_read_only_database_refuses_before_the_report(
    cli: Cli, pack: RulePack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    form = _form(pack, tmp_path)
    db = tmp_path / "h.db"
    cli(["score", str(_form(pack, tmp_path, 2023)), "--save", "--db", str(db), "-o", "a.xlsx"])
    # Tests run as root, where chmod does not bite: the check itself is what we stub.
    monkeypatch.setattr("checklist.history.os.access", lambda path, mode: not mode & os.W_OK)
    result = cli(["score", str(form), "--save", "--db", str(db), "-o", "r.xlsx"], code=2)
    assert "只读" in _one_line(result.stderr)
    assert not (tmp_path / "r.xlsx").exists()


def test_a_successful_save_says_so_in_one_line(cli: Cli, pack: RulePack, tmp_path: Path) -> None:
    form = _form(pack, tmp_path)
    result = cli(["score", str(form), "--save", "--db", "h.db", "--lang", "en"])
    saved = [line for line in result.stdout.splitlines() if line.startswith("Saved ")]
    assert len(saved) == 1 and "2024" in saved[0] and "h.db" in saved[0]
    as_json = cli(["score", str(form), "--save", "--replace", "--db", "h.db", "--json"])
    json.loads(as_json.stdout)  # the confirmation goes to stderr, the JSON stays clean
    assert "已保存" in as_json.stderr


def test_compare_refuses_the_same_file_twice(cli: Cli, pack: RulePack, tmp_path: Path) -> None:
    form = _form(pack, tmp_path)
    result = cli(["compare", str(form), str(form), "--lang", "en"], code=2)
    assert "same file" in _one_line(result.stderr)
    link = tmp_path / "link.xlsx"
    link.symlink_to(form)
    cli(["compare", str(form), str(link)], code=2)
