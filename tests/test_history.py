"""The history database: migrations, saving, reading back, re-scoring, concurrency."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import sqlite3
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from checklist.errors import ChecklistError
from checklist.history import (
    DB_ENV_VAR,
    DEFAULT_DB_NAME,
    MIGRATIONS,
    SCHEMA_VERSION,
    History,
    open_history,
    resolve_db_path,
    save,
)
from checklist.model import (
    AnswerState,
    Assessment,
    DecisionKind,
    RatioCounts,
    Result,
    RulePack,
    Status,
)
from checklist.rulepack import load_pack
from checklist.scoring import score
from scripts.make_examples import PACK_2026_1
from tests.years import assessment_for, make_packs, result_for


@pytest.fixture
def packs(tmp_path: Path) -> tuple[RulePack, RulePack]:
    return make_packs(tmp_path / "packs")


def _save_years(db: Path, pack: RulePack, years: tuple[int, ...] = (2022, 2023, 2024)) -> None:
    with open_history(db) as history:
        for year in years:
            history.save(assessment_for(year, pack), result_for(year, pack))


def _answer_rows(db: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT assessment_id, rule_id, state, raw, value, cell, evidence, claimed, "
            "match_method, match_confidence FROM answers ORDER BY assessment_id, rule_id"
        ).fetchall()


# --- where the database is -------------------------------------------------------------


def test_database_path_resolution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(DB_ENV_VAR, raising=False)
    assert resolve_db_path() == tmp_path / DEFAULT_DB_NAME
    monkeypatch.setenv(DB_ENV_VAR, str(tmp_path / "env.db"))
    assert resolve_db_path() == tmp_path / "env.db"
    assert resolve_db_path(tmp_path / "explicit.db") == tmp_path / "explicit.db"


def test_missing_database_is_not_created_for_reading(tmp_path: Path) -> None:
    with pytest.raises(ChecklistError) as caught:
        open_history(tmp_path / "none.db", create=False)
    assert caught.value.code == "history_missing"
    assert not (tmp_path / "none.db").exists()


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ChecklistError) as caught:
        open_history(bogus)
    assert caught.value.code == "history_db"
    assert bogus.read_bytes() == b"this is not sqlite" * 100


# --- schema ----------------------------------------------------------------------------


def test_migration_table_records_the_schema_version(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    with open_history(db) as history:
        applied = history.migrations()
        assert [name for name, _ in applied] == [m.name for m in MIGRATIONS]
        assert all(at for _, at in applied)
        assert history.schema_version() == SCHEMA_VERSION == len(MIGRATIONS)
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        names = [r[0] for r in connection.execute("SELECT name FROM migrations ORDER BY rowid")]
    assert names == ["0001_initial", "0002_rescore_log", "0003_typed_decisions", "0004_waivers"]
    # Reopening applies nothing twice.
    with open_history(db) as history:
        assert history.migrations() == applied


def test_a_half_migrated_database_is_brought_up_to_date(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
        for statement in MIGRATIONS[0].statements:
            connection.execute(statement)
        connection.execute("INSERT INTO migrations VALUES ('0001_initial', '2024-01-01')")
    with open_history(db) as history:
        assert [n for n, _ in history.migrations()] == [m.name for m in MIGRATIONS]
        assert history.migrations()[0][1] == "2024-01-01"


_SCHEMA_0002 = Path(__file__).parent / "data" / "history-schema-0002.sql"
"""A database the version before typed decisions wrote (``band`` strings in its results):
东林村 2022, 华东精密 2024 and a 2015 school whose rules are N/A by year, type and
condition, declared N/A, refused N/A, 0 of 0 and unreadable."""


def _stored_rows(db: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT id, year, total, grade, pack_version, result, scored_result "
            "FROM assessments ORDER BY id"
        ).fetchall()


def test_a_schema_0002_database_migrates_to_typed_decisions_and_rescores_unchanged(
    tmp_path: Path,
) -> None:
    db = tmp_path / "old.db"
    with sqlite3.connect(db) as connection:
        connection.executescript(_SCHEMA_0002.read_text(encoding="utf-8"))
    before = _stored_rows(db)
    assert [row[1] for row in before] == [2022, 2024, 2015]
    assert all('"band"' in str(row[5]) and '"decision"' not in str(row[5]) for row in before)

    pack = load_pack(PACK_2026_1)  # the version that database was scored with
    with open_history(db) as history:
        assert [name for name, _ in history.migrations()] == [m.name for m in MIGRATIONS]
        assert history.schema_version() == SCHEMA_VERSION
        entries = history.list_assessments()
        migrated = {e.year: history.get(e.unit_name, e.year) for e in entries}
    after = _stored_rows(db)
    assert all('"band"' not in str(row[5]) + str(row[6]) for row in after)
    assert [row[:5] for row in after] == [row[:5] for row in before]
    school = migrated[2015].result
    kinds = {r.rule_id: r.decision.kind for r in school.rules}
    assert kinds["INNO-03"] is DecisionKind.na_by_year
    assert school.rule("INNO-03").decision.since == 2018
    assert kinds["STAF-03"] is DecisionKind.na_by_condition
    assert kinds["COV-03"] is DecisionKind.nothing_to_count
    assert school.rule("COV-03").decision.ratio == RatioCounts("COV-02", "COV-01", 0, 0)
    assert kinds["COV-14"] is DecisionKind.declared_na
    assert kinds["LEAD-02"] is DecisionKind.na_refused
    assert kinds["LEAD-01"] is DecisionKind.unreadable

    with open_history(db) as history:
        report = history.rescore(pack)
        rescored = {e.year: history.get(e.unit_name, e.year) for e in entries}
    assert len(report.entries) == 3 and report.changed == 0
    for year, stored in migrated.items():
        fresh = rescored[year].result
        assert fresh.score == stored.result.score, year
        assert [(r.status, r.earned, r.possible) for r in fresh.rules] == [
            (r.status, r.earned, r.possible) for r in stored.result.rules
        ]
        for then, now in zip(stored.result.rules, fresh.rules, strict=True):
            if then.decision.kind is DecisionKind.unreadable:
                # Re-scoring reads the raw text again (也许吧): not answered, 0 points either way.
                assert now.decision.kind is DecisionKind.missing
                continue
            # Only what the band string never kept differs: a deduction's steps,
            # and the share beyond the two decimals the points were saved with.
            assert then.decision.kind is now.decision.kind, (year, then.rule_id)
            assert replace(then.decision, steps=now.decision.steps, credit=now.decision.credit) == (
                now.decision
            ), (year, then.rule_id)
            assert then.decision.credit == pytest.approx(now.decision.credit, abs=0.005)
    # Reopening runs nothing twice.
    with open_history(db) as history:
        assert len(history.migrations()) == len(MIGRATIONS)


def test_a_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    open_history(db).close()
    with sqlite3.connect(db) as connection:
        connection.execute("INSERT INTO migrations VALUES ('0099_future', '2030-01-01')")
    with pytest.raises(ChecklistError) as caught:
        open_history(db)
    assert caught.value.code == "history_newer"
    assert "0099_future" in caught.value.message.en


# --- saving and reading ---------------------------------------------------------------------


def test_history_survives_reopening(tmp_path: Path, packs: tuple[RulePack, RulePack]) -> None:
    _, v2 = packs
    db = tmp_path / "h.db"
    source = tmp_path / "东林村2024.xlsx"
    source.write_bytes(b"pretend workbook bytes")
    with open_history(db) as history:
        history.save(assessment_for(2023, v2), result_for(2023, v2))
        entry = history.save(assessment_for(2024, v2), result_for(2024, v2), source=source)
        assert entry.source_name == "东林村2024.xlsx"
    with open_history(db, create=False) as history:
        units = history.units()
        assert len(units) == 1
        unit = units[0]
        assert (unit.key, unit.name, unit.type, unit.town) == (
            "东林村",
            "城厢镇东林村村委会",
            "village",
            "城厢镇",
        )
        assert unit.names == ("东林村", "城厢镇东林村村委会")
        assert unit.years == (2023, 2024)

        stored = history.get("东林村", 2024)
        assert stored.entry.source_sha256 == hashlib.sha256(b"pretend workbook bytes").hexdigest()
        assert stored.entry.scored_pack.version == "2.0"
        assert stored.result == result_for(2024, v2)
        c3 = stored.answers["C3"]
        assert (c3.raw, c3.evidence, c3.cell, c3.match_method) == (
            "是",
            "会议记录2024-03",
            "自评表!E12",
            "id",
        )
        assert stored.answers["C1"].state is AnswerState.missing
        assert stored.answers["L3"].value == 1
        assert stored.unit.name == "城厢镇东林村村委会"


def test_units_are_found_by_any_spelling(tmp_path: Path, packs: tuple[RulePack, RulePack]) -> None:
    _, v2 = packs
    db = tmp_path / "h.db"
    _save_years(db, v2, (2023, 2024))
    with open_history(db) as history:
        for spelling in (
            "东林村",
            "東林村",
            "城厢镇东林村",
            "东林村委会",
            "江苏省太仓市城厢镇东林村",
        ):
            found = history.find_unit(spelling)
            assert found is not None and found.key == "东林村", spelling
        assert history.find_unit("西林村") is None
        with pytest.raises(ChecklistError) as caught:
            history.get("西林村", 2024)
        assert caught.value.code == "unit_not_found"
        assert "东林村" in caught.value.message.zh  # it lists the known units
        with pytest.raises(ChecklistError) as year_missing:
            history.get("东林村", 2019)
        assert year_missing.value.code == "year_not_found"
        assert "2023" in year_missing.value.message.en


def test_resaving_a_unit_year_needs_replace(
    tmp_path: Path, packs: tuple[RulePack, RulePack]
) -> None:
    v1, v2 = packs
    db = tmp_path / "h.db"
    with open_history(db) as history:
        history.save(assessment_for(2024, v1), result_for(2024, v1))
        # Another spelling of the same unit is still the same unit-year.
        again = assessment_for(2024, v2, name="东林村")
        with pytest.raises(ChecklistError) as caught:
            history.save(again, score_of(again, v2))
        assert caught.value.code == "already_saved"
        assert "--replace" in caught.value.message.zh and "--replace" in caught.value.message.en
        assert history.get("东林村", 2024).entry.pack.version == "1.0"

        history.save(again, score_of(again, v2), replace=True)
        assert history.get("东林村", 2024).entry.pack.version == "2.0"
        assert len(history.list_assessments()) == 1


def score_of(assessment: Assessment, pack: RulePack) -> Result:
    return score(assessment, pack)


def test_same_name_in_two_towns_is_two_units(
    tmp_path: Path, packs: tuple[RulePack, RulePack]
) -> None:
    _, v2 = packs
    db = tmp_path / "h.db"
    with open_history(db) as history:
        here = assessment_for(2024, v2)
        there = replace(here, unit=replace(here.unit, town="浏河镇"))
        history.save(here, score_of(here, v2))
        history.save(there, score_of(there, v2))
        assert len(history.units()) == 2
        with pytest.raises(ChecklistError) as caught:
            history.get("东林村", 2024)
        assert caught.value.code == "unit_ambiguous"
        assert history.get("浏河镇东林村", 2024).unit.town == "浏河镇"
        assert history.get("城厢镇东林村", 2024).unit.town == "城厢镇"


def test_saving_needs_a_name_and_a_year(tmp_path: Path, packs: tuple[RulePack, RulePack]) -> None:
    _, v2 = packs
    assessment = assessment_for(2024, v2)
    no_year = replace(assessment, unit=replace(assessment.unit, year=None))
    with open_history(tmp_path / "h.db") as history, pytest.raises(ChecklistError) as caught:
        history.save(no_year, score_of(no_year, v2))
    assert caught.value.code == "save_no_year"


def test_list_remove_and_previous_year(tmp_path: Path, packs: tuple[RulePack, RulePack]) -> None:
    _, v2 = packs
    db = tmp_path / "h.db"
    _save_years(db, v2)
    with open_history(db) as history:
        assert [e.year for e in history.list_assessments()] == [2022, 2023, 2024]
        assert [e.year for e in history.list_assessments("东林村")] == [2022, 2023, 2024]

        previous = history.previous_year(result_for(2024, v2).unit, 2024)
        assert previous is not None and previous.unit.year == 2023
        assert previous == result_for(2023, v2)
        assert history.previous_year("东林村", 2022) is None
        assert history.previous_year("西林村", 2024) is None

        removed = history.remove("东林村", 2023)
        assert removed.year == 2023
        assert [e.year for e in history.list_assessments()] == [2022, 2024]
        previous = history.previous_year("东林村", 2024)
        assert previous is not None and previous.unit.year == 2022

        history.remove("东林村", 2022)
        history.remove("东林村", 2024)
        assert history.units() == ()
        assert _answer_rows(db) == []


def test_previous_year_can_be_rescored_under_todays_pack(
    tmp_path: Path, packs: tuple[RulePack, RulePack]
) -> None:
    v1, v2 = packs
    db = tmp_path / "h.db"
    _save_years(db, v1, (2023,))
    with open_history(db) as history:
        as_saved = history.previous_year("东林村", 2024)
        like_for_like = history.previous_year("东林村", 2024, pack=v2)
    assert as_saved is not None and as_saved.pack_version == "1.0"
    assert like_for_like is not None and like_for_like.pack_version == "2.0"
    assert like_for_like.rule("NEW1").status is Status.missing


def test_convenience_save_uses_the_environment_variable(
    tmp_path: Path, packs: tuple[RulePack, RulePack], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, v2 = packs
    monkeypatch.setenv(DB_ENV_VAR, str(tmp_path / "env.db"))
    entry = save(assessment_for(2024, v2), result_for(2024, v2))
    assert entry.unit_key == "东林村" and entry.year == 2024
    with History.open(tmp_path / "env.db", create=False) as history:
        assert len(history.list_assessments()) == 1


# --- re-scoring -----------------------------------------------------------------------------


def test_rescore_changes_results_when_the_pack_changes_and_leaves_raw_answers(
    tmp_path: Path, packs: tuple[RulePack, RulePack]
) -> None:
    v1, v2 = packs
    db = tmp_path / "h.db"
    _save_years(db, v1)
    raw_before = _answer_rows(db)
    with open_history(db) as history:
        before = {e.year: (e.total, e.pack.version) for e in history.list_assessments()}
        report = history.rescore(v2)
        after = {e.year: (e.total, e.pack.version) for e in history.list_assessments()}
        stored = history.get("东林村", 2023)

    assert {v for _, v in before.values()} == {"1.0"}
    assert {v for _, v in after.values()} == {"2.0"}
    assert report.pack.version == "2.0" and len(report.entries) == 3
    # 2023 under 1.0: 6/14 = 42.86; under 2.0 (L4 applies, OLD1 gone, NEW1/NEW2 unanswered)
    # 6/18 = 33.33. 2022 (all "no") and 2024 (7/14 vs 9/18) happen to score the same.
    assert {year: total for year, (total, _) in before.items()} == {
        2022: 0.0,
        2023: 42.86,
        2024: 50.0,
    }
    assert {year: total for year, (total, _) in after.items()} == {
        2022: 0.0,
        2023: 33.33,
        2024: 50.0,
    }
    assert report.changed == 1
    assert stored.result.pack_version == "2.0"
    assert stored.result.rule("L4").status is Status.fail
    assert stored.scored_result.pack_version == "1.0"  # the result as first saved is kept
    assert stored.scored_result.score.total == 42.86
    assert stored.entry.rescored_at is not None
    assert stored.answers["OLD1"].raw == "否"  # kept although 2.0 has no such rule
    assert _answer_rows(db) == raw_before

    with sqlite3.connect(db) as connection:
        log = connection.execute("SELECT pack_version, assessments FROM rescores").fetchall()
    assert log == [("2.0", 3)]


def test_rescore_renormalises_raw_text_under_the_new_answer_type(
    tmp_path: Path, packs: tuple[RulePack, RulePack]
) -> None:
    v1, _ = packs
    from checklist.rulepack import load_pack
    from tests.packs import write_pack
    from tests.years import V1_RULES

    # In 3.0, L1 asks for a count of meetings instead of yes/no; "是" is no number.
    rules = [dict(r) for r in V1_RULES]
    rules[0] = {"id": "L1", "answer": {"type": "count"}, "bands": {">=1": 1.0}}
    rules[2] = {"id": "L3", "answer": {"type": "yesno"}}
    v3 = load_pack(write_pack(tmp_path / "v3", rules, pack={"version": "3.0"}))
    db = tmp_path / "h.db"
    _save_years(db, v1, (2023,))
    raw_before = _answer_rows(db)
    with open_history(db) as history:
        history.rescore(v3)
        stored = history.get("东林村", 2023)
    l1 = stored.result.rule("L1")
    assert l1.answer.raw == "是" and l1.status is not Status.passed
    l3 = stored.result.rule("L3")
    assert l3.answer.raw == "1"
    assert _answer_rows(db) == raw_before


# --- two processes at once ---------------------------------------------------------------------

_WRITER = textwrap.dedent(
    """
    import sys
    from dataclasses import replace
    from pathlib import Path

    from checklist.history import open_history
    from checklist.rulepack import load_pack
    from checklist.scoring import score
    from tests.years import assessment_for

    db, pack_dir, name, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    pack = load_pack(Path(pack_dir))
    base = assessment_for(2024, pack, name=name)
    for index in range(rounds):
        assessment = replace(base, unit=replace(base.unit, year=2000 + index))
        # A fresh connection per save, as separate 'checklist score --save' runs would.
        with open_history(db) as history:
            history.save(assessment, score(assessment, pack))
    print("ok", name)
    """
)


@pytest.mark.slow
def test_two_processes_saving_at_once_both_succeed(
    tmp_path: Path, packs: tuple[RulePack, RulePack]
) -> None:
    _, v2 = packs
    db = tmp_path / "shared.db"  # not created yet: both processes also race to migrate it
    root = Path(__file__).resolve().parent.parent
    script = tmp_path / "writer.py"
    script.write_text(_WRITER, encoding="utf-8")
    rounds = 15
    names = ("东林村", "西林村", "南林村", "北林村")
    processes = [
        subprocess.Popen(
            [sys.executable, str(script), str(db), v2.path, name, str(rounds)],
            cwd=root,
            env={**os.environ, "PYTHONPATH": str(root)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in names
    ]
    outputs = [p.communicate(timeout=120) for p in processes]
    for process, (_out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err
        assert "locked" not in err
    with open_history(db) as history:
        assert len(history.units()) == len(names)
        assert len(history.list_assessments()) == rounds * len(names)
        assert [n for n, _ in history.migrations()] == [m.name for m in MIGRATIONS]


def _save_in_child(db: str, pack_dir: str, year: int) -> None:
    from checklist.rulepack import load_pack

    pack = load_pack(Path(pack_dir))
    assessment = assessment_for(2024, pack)
    assessment = replace(assessment, unit=replace(assessment.unit, year=year))
    with open_history(db) as history:
        history.save(assessment, score_of(assessment, pack))


@pytest.mark.slow
def test_processes_started_together_with_multiprocessing(
    tmp_path: Path, packs: tuple[RulePack, RulePack]
) -> None:
    _, v2 = packs
    db = str(tmp_path / "mp.db")
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_save_in_child, args=(db, v2.path, y)) for y in range(2015, 2023)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    with open_history(db) as history:
        assert [e.year for e in history.list_assessments()] == list(range(2015, 2023))


def test_a_database_the_user_may_only_read_still_lists(
    tmp_path: Path, packs: tuple[RulePack, RulePack], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, v2 = packs
    db = tmp_path / "archive.db"
    with open_history(db) as history:
        history.save(assessment_for(2023, v2), result_for(2023, v2))
    # Tests run as root, where chmod does not bite: the check itself is what we stub.
    monkeypatch.setattr("checklist.history.os.access", lambda path, mode: False)
    with open_history(db, create=False) as history:
        assert [e.year for e in history.list_assessments()] == [2023]
        with pytest.raises(ChecklistError) as caught:
            history.save(assessment_for(2024, v2), result_for(2024, v2))
    assert "readonly" in caught.value.render("en") or "read-only" in caught.value.render("en")
