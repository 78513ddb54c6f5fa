"""The history database is never harmed and never misleads (issue 13, items 5 and 8).

Each test reproduces a "Why" bullet first: a foreign SQLite file turned into a
history database, stale rows from a read-only database with data in its WAL,
tracebacks on tampered rows, punctuation-only names sharing the empty key,
`history remove` without asking, a `-journal` beside a device, and `trend`
refusing the short names its help promises.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from checklist.errors import ChecklistError
from checklist.history import APPLICATION_ID, DB_ENV_VAR, open_history
from checklist.model import RulePack, UnitInfo
from checklist.rulepack import load_pack
from tests.conftest import Cli
from tests.years import assessment_for, make_packs, result_for


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> tuple[RulePack, RulePack]:
    return make_packs(tmp_path_factory.mktemp("packs"))


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(DB_ENV_VAR, raising=False)
    monkeypatch.delenv("CHECKLIST_LANG", raising=False)
    monkeypatch.chdir(tmp_path)


def _save(db: Path, pack: RulePack, years: tuple[int, ...], name: str | None = None) -> None:
    with open_history(db) as history:
        for year in years:
            history.save(assessment_for(year, pack, name), result_for(year, pack, name))


def _one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    return lines[0]


def _snapshot(path: Path) -> tuple[bytes, list[str]]:
    return path.read_bytes(), sorted(p.name for p in path.parent.iterdir())


# --- ours and not ours ----------------------------------------------------------------


def test_a_new_database_carries_our_application_id(
    packs: tuple[RulePack, RulePack], tmp_path: Path
) -> None:
    _save(tmp_path / "h.db", packs[0], (2023,))
    with sqlite3.connect(tmp_path / "h.db") as raw:
        assert raw.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


@pytest.mark.parametrize(
    "args",
    [
        ["history", "list"],
        ["history", "show", "东林村", "2023"],
        ["trend", "东林村"],
        ["history", "rescore"],
    ],
)
def test_a_foreign_sqlite_file_is_refused_untouched(
    cli: Cli, tmp_path: Path, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    foreign = tmp_path / "photos.db"
    with sqlite3.connect(foreign) as raw:
        raw.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)")
        raw.execute("INSERT INTO photos (path) VALUES ('a.jpg')")
    raw.close()
    before = _snapshot(foreign)
    result = cli([*args, "--db", str(foreign), "--lang", "en"], code=2)
    assert "not a checklist history database" in _one_line(result.stderr)
    assert _snapshot(foreign) == before
    monkeypatch.setenv(DB_ENV_VAR, str(foreign))
    cli(args, code=2)
    assert _snapshot(foreign) == before
    with sqlite3.connect(foreign) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_plain_score_and_save_never_touch_a_foreign_file(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_trust_outputs import _form

    foreign = tmp_path / "other.sqlite"
    with sqlite3.connect(foreign) as raw:
        raw.execute("PRAGMA application_id = 1234")
        raw.execute("CREATE TABLE t (x)")
    raw.close()
    before = _snapshot(foreign)
    form = _form(load_pack("grassroots"), tmp_path)
    monkeypatch.setenv(DB_ENV_VAR, str(foreign))
    cli(["score", str(form), "-o", "r.xlsx"], code=2)
    cli(["score", str(form), "--save", "-o", "s.xlsx"], code=2)
    assert not (tmp_path / "s.xlsx").exists()
    assert _snapshot(foreign)[0] == before[0]
    assert not (tmp_path / "other.sqlite-wal").exists()


def test_a_table_named_migrations_of_another_program_is_not_ours(cli: Cli, tmp_path: Path) -> None:
    foreign = tmp_path / "app.db"
    with sqlite3.connect(foreign) as raw:
        raw.execute("CREATE TABLE migrations (version INTEGER)")
    raw.close()
    before = _snapshot(foreign)
    cli(["history", "list", "--db", str(foreign)], code=2)
    assert _snapshot(foreign) == before


def test_our_database_from_before_the_id_is_recognised_and_gets_it(
    packs: tuple[RulePack, RulePack], tmp_path: Path
) -> None:
    db = tmp_path / "old.db"
    _save(db, packs[0], (2022, 2023))
    with sqlite3.connect(db) as raw:
        raw.execute("PRAGMA application_id = 0")  # as the released version made it
    raw.close()
    with open_history(db, create=False) as history:
        assert [e.year for e in history.list_assessments()] == [2022, 2023]
    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_a_device_or_fifo_as_db_is_refused_without_a_journal(cli: Cli, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    targets = [fifo]
    try:
        # A character device like /dev/null, made here so nothing outside is at stake.
        device = tmp_path / "null"
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        targets.append(device)
    except (PermissionError, AttributeError):
        pass
    made = sorted(p.name for p in tmp_path.iterdir())
    for target in targets:
        result = cli(["history", "list", "--db", str(target), "--lang", "en"], code=2)
        assert "not a regular file" in _one_line(result.stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == made  # no -journal, no -wal


# --- read-only with committed data in the WAL -----------------------------------------


def test_read_only_access_sees_committed_wal_data(
    cli: Cli, packs: tuple[RulePack, RulePack], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = tmp_path / "live" / "h.db"
    live.parent.mkdir()
    _save(live, packs[0], (2022,))
    # Another connection keeps the database open, so the later saves stay in the
    # -wal file (no checkpoint on close); the archive copy takes both files.
    keeper = sqlite3.connect(live)
    keeper.execute("SELECT 1 FROM units").fetchall()
    try:
        _save(live, packs[0], (2022,), name="西林村")
        _save(live, packs[0], (2022,), name="南林村")
        archive = tmp_path / "archive"
        archive.mkdir()
        for suffix in ("", "-wal"):
            shutil.copy(f"{live}{suffix}", archive / f"h.db{suffix}")
    finally:
        keeper.close()
    assert (archive / "h.db-wal").stat().st_size > 0
    monkeypatch.setattr("checklist.history.os.access", lambda path, mode: not mode & os.W_OK)
    listed = cli(["history", "list", "--db", str(archive / "h.db"), "--json"])
    import json

    units = {e["unit"]["name"] for e in json.loads(listed.stdout)["assessments"]}
    assert units == {"东林村", "西林村", "南林村"}
    cli(["trend", "南林村", "--db", str(archive / "h.db")])


# --- damaged rows ---------------------------------------------------------------------


@pytest.fixture
def damaged(packs: tuple[RulePack, RulePack], tmp_path: Path) -> Path:
    db = tmp_path / "h.db"
    _save(db, packs[0], (2022, 2023))
    _save(db, packs[0], (2022, 2023), name="西林村")
    _save(db, packs[0], (2022,), name="南林村")
    with sqlite3.connect(db) as raw:
        raw.execute(
            "UPDATE assessments SET result = 'not json' WHERE year = 2023 AND unit_name = '东林村'"
        )
        raw.execute(
            "UPDATE assessments SET result = '{}' WHERE year = 2022 AND unit_name = '西林村'"
        )
        raw.execute("UPDATE assessments SET year = 'abc' WHERE unit_name = '南林村'")
    raw.close()
    return db


def test_damaged_rows_are_one_line_each_and_the_rest_is_usable(
    cli: Cli, packs: tuple[RulePack, RulePack], damaged: Path, tmp_path: Path
) -> None:
    db = str(damaged)
    listed = cli(["history", "list", "--db", db, "--lang", "en"])
    assert "南林村" in _one_line(listed.stderr) and "abc" in listed.stderr
    assert "2023" in listed.stdout and "西林村" in listed.stdout

    shown = cli(["history", "show", "东林村", "2023", "--db", db, "--lang", "en"], code=2)
    line = _one_line(shown.stderr)
    assert "东林村" in line and "2023" in line and "not valid JSON" in line
    cli(["history", "show", "东林村", "2022", "--db", db])

    trend = cli(["trend", "西林村", "--db", db, "--rules", packs[0].path, "--lang", "en"])
    assert "西林村" in _one_line(trend.stderr) and "incomplete" in trend.stderr
    assert "2023" in trend.stdout

    rescore = cli(["history", "rescore", "--rules", packs[1].path, "--db", db, "--lang", "en"])
    assert len(rescore.stderr.strip().splitlines()) == 3  # each damaged row, once
    assert "Re-scored 2 assessments" in rescore.stdout

    with open_history(damaged) as history:
        # Scoring the next year: the previous sound year is found, the damaged one skipped.
        unit = UnitInfo("东林村", None, None)
        previous = history.previous_year(unit, 2024)
        assert previous is not None and previous.unit.year == 2022
        history.save(assessment_for(2024, packs[0]), result_for(2024, packs[0]))
        assert 2024 in history.require_unit("东林村").years


# --- names and removal ----------------------------------------------------------------


def test_a_name_without_letters_or_digits_is_refused_and_matches_nothing(
    packs: tuple[RulePack, RulePack], tmp_path: Path
) -> None:
    db = tmp_path / "h.db"
    for name in ("..", "！！", "——"):
        with open_history(db) as history, pytest.raises(ChecklistError) as caught:
            history.save(assessment_for(2024, packs[0], name), result_for(2024, packs[0], name))
        assert caught.value.code == "save_no_unit"
    _save(db, packs[0], (2024,))
    # The legacy rows of two punctuation names shared the empty key; "？" found one of them.
    with sqlite3.connect(db) as raw:
        raw.execute("INSERT INTO units (key, name, created_at) VALUES ('', '..', 'x')")
        raw.execute(
            "INSERT INTO unit_names (unit_id, name, key, first_seen) "
            "VALUES (last_insert_rowid(), '..', '', 'x')"
        )
    raw.close()
    with open_history(db) as history, pytest.raises(ChecklistError) as caught:
        history.remove("？", 2024)
    assert caught.value.code == "unit_not_found"


def test_history_remove_asks_unless_yes(
    cli: Cli, packs: tuple[RulePack, RulePack], tmp_path: Path
) -> None:
    db = tmp_path / "h.db"
    _save(db, packs[0], (2023, 2024))
    no_input = cli(["history", "remove", "东林村", "2024", "--db", str(db), "--lang", "en"], code=2)
    assert "--yes" in no_input.stderr.strip().splitlines()[-1]
    said_no = cli(["history", "remove", "东林村", "2024", "--db", str(db)], code=1, input="n\n")
    assert "未删除" in said_no.stderr
    with open_history(db) as history:
        assert history.require_unit("东林村").years == (2023, 2024)
    cli(["history", "remove", "东林村", "2024", "--db", str(db)], input="y\n")
    cli(["history", "remove", "东林村", "2023", "--db", str(db), "--yes"])
    with open_history(db) as history:
        assert history.units() == ()


# --- finding a unit -------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["华东精密", "華東精密", "华东精密机械", "精密机械公司"])
def test_trend_and_show_find_a_unit_by_a_short_or_traditional_name(
    cli: Cli, packs: tuple[RulePack, RulePack], tmp_path: Path, typed: str
) -> None:
    db = tmp_path / "h.db"
    _save(db, packs[0], (2023, 2024), name="太仓市华东精密机械有限公司")
    _save(db, packs[0], (2024,), name="港城物流股份有限公司")
    trend = cli(["trend", typed, "--db", str(db), "--rules", packs[0].path])
    assert "太仓市华东精密机械有限公司" in trend.stdout
    cli(["history", "show", typed, "2024", "--db", str(db)])


def test_a_short_form_of_a_former_name_finds_the_unit(
    packs: tuple[RulePack, RulePack], tmp_path: Path
) -> None:
    db = tmp_path / "h.db"
    _save(db, packs[0], (2022,), name="城厢镇东林村村委会")
    _save(db, packs[0], (2023,), name="东林村")
    with open_history(db) as history:
        # Only the former name has 村委: the unit is found under its name today.
        found = history.require_unit("东林村村委")
        assert (found.name, found.years) == ("东林村", (2022, 2023))


def test_several_fitting_units_are_listed(
    cli: Cli, packs: tuple[RulePack, RulePack], tmp_path: Path
) -> None:
    db = tmp_path / "h.db"
    _save(db, packs[0], (2024,), name="沙溪第一中学")
    _save(db, packs[0], (2024,), name="浏河第一中学")
    result = cli(["trend", "一中", "--db", str(db), "--lang", "en"], code=2)
    line = _one_line(result.stderr)
    assert "may be any of" in line and "沙溪第一中学" in line and "浏河第一中学" in line


def test_compare_takes_a_short_name_as_the_one_saved_unit_it_fits(
    cli: Cli, packs: tuple[RulePack, RulePack], tmp_path: Path
) -> None:
    import json

    from checklist.serialize import result_to_dict

    full = "太仓市华东精密机械有限公司"
    db = tmp_path / "h.db"
    _save(db, packs[0], (2023,), name=full)
    files = []
    for year, name in ((2022, "华东精密"), (2024, full)):
        path = tmp_path / f"{year}.json"
        data = result_to_dict(result_for(year, packs[0], name), "zh")
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        files.append(str(path))
    refused = cli(["compare", *files, "--lang", "en"], code=2)
    assert "--force" in _one_line(refused.stderr)
    taken = cli(["compare", *files, "--db", str(db), "--lang", "en", "--json"])
    assert full in _one_line(taken.stderr)
    assert json.loads(taken.stdout)["unit"]["then"]["name"] == "华东精密"
