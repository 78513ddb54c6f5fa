"""The bundled example assessments: every file reads and scores, and the set tells its stories.

The files in checklist/examples/ are what ``checklist demo`` shows a county
office, so they must go through intake like any unit's file and, between
them, produce every kind of finding the reports explain. They answer the
current pack, so their stories are checked under it; the last section checks
what the current pack makes of two forms filled against 2026.1 (kept in
tests/data/pack-2026.1 with a frozen copy of that pack).
"""

from __future__ import annotations

import itertools
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest

from checklist.identity import same_unit
from checklist.intake import read_assessment
from checklist.model import Assessment, AuditKind, Result, RulePack, Status
from checklist.rulepack import load_pack
from checklist.scoring import score
from checklist.textnorm import to_simplified
from scripts.make_examples import (
    EXAMPLES,
    FORMS_2026_1,
    PACK_2026_1,
    UNITS,
    Example,
    Unit,
    generate,
)

Scored = dict[str, tuple[Assessment, Result]]


def _shipped() -> Path:
    # Where the installed package keeps them, not where the generator writes them.
    return Path(str(resources.files("checklist") / "examples"))


@pytest.fixture(scope="module")
def pack() -> RulePack:
    """The pack the forms were filled against (the current one)."""
    return load_pack("grassroots")


@pytest.fixture(scope="module")
def old_pack() -> RulePack:
    """The pack the kept older forms were filled against (2026.1)."""
    return load_pack(PACK_2026_1)


def _old_forms() -> list[Path]:
    return sorted(FORMS_2026_1.glob("*.xlsx"))


@pytest.fixture(scope="module")
def scored(pack: RulePack) -> Scored:
    """Every example read and scored once for the whole module."""
    out: Scored = {}
    for example in EXAMPLES:
        assessment = read_assessment(_shipped() / example.file, pack)
        out[example.file] = (assessment, score(assessment, pack))
    return out


def _result(scored: Scored, unit_key: str, year: int) -> Result:
    example = next(e for e in EXAMPLES if e.unit.key == unit_key and e.year == year)
    return scored[example.file][1]


def _years(unit_key: str) -> list[Example]:
    return sorted((e for e in EXAMPLES if e.unit.key == unit_key), key=lambda e: e.year)


# --- the set ----------------------------------------------------------------------------


def test_the_package_ships_every_example_and_nothing_else() -> None:
    on_disk = {p.name for p in _shipped().iterdir() if p.is_file()}
    assert on_disk == {e.file for e in EXAMPLES} | {"README.md"}
    readme = (_shipped() / "README.md").read_text(encoding="utf-8")
    for example in EXAMPLES:
        assert f"`{example.file}`" in readme


def test_six_units_of_the_required_kinds_each_send_three_years() -> None:
    kinds = Counter(unit.type_id for unit in UNITS)
    assert kinds["village"] >= 2 and kinds["enterprise"] >= 2
    assert kinds["community"] >= 1 and kinds["school"] >= 1
    for unit in UNITS:
        assert [e.year for e in _years(unit.key)] == [2022, 2023, 2024]
    suffixes = Counter(Path(e.file).suffix for e in EXAMPLES)
    assert suffixes[".xls"] >= 1 and suffixes[".csv"] >= 1 and suffixes[".ods"] >= 1
    assert sum(e.shape == "template" for e in EXAMPLES) >= 3


# --- every file through intake ------------------------------------------------------------


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.file)
def test_each_file_reads_as_its_unit_and_year(example: Example, scored: Scored) -> None:
    assessment, result = scored[example.file]
    assert assessment.unit.year == example.year
    assert assessment.unit.type == example.unit.type_id
    assert same_unit(assessment.unit, result.unit)
    # Blanks and unreadable cells are part of the mess, but most of the form is answered.
    assert result.completeness.answered >= 0.8 * result.completeness.applicable
    assert 40 <= result.score.base <= 97


@pytest.mark.parametrize("unit", UNITS, ids=lambda u: u.key)
def test_a_units_three_years_are_one_unit(unit: Unit, scored: Scored) -> None:
    results = [scored[e.file][1] for e in _years(unit.key)]
    assert {r.unit.type for r in results} == {unit.type_id}
    for a, b in itertools.combinations(results, 2):
        assert same_unit(a.unit, b.unit), (a.unit.name, b.unit.name)


# --- the stories ---------------------------------------------------------------------------


def test_the_set_holds_every_kind_of_finding(scored: Scored) -> None:
    results = [result for _, result in scored.values()]
    kinds = {finding.kind for result in results for finding in result.audit}
    assert {
        AuditKind.veto,
        AuditKind.over_claim,
        AuditKind.unsupported,
        AuditKind.ratio_mismatch,
        AuditKind.consistency,
        AuditKind.na_claimed,
    } <= kinds
    capped = [r for r in results if r.score.vetoed_by and r.score.grade != r.score.uncapped_grade]
    assert capped, "no veto failure lowered a grade"
    notes = {note.code for assessment, _ in scored.values() for note in assessment.notes}
    assert "unreadable" in notes
    assert any(assessment.unmatched for assessment, _ in scored.values())


@pytest.mark.parametrize(
    ("unit", "year", "kind", "rule"),
    [
        ("shaxi", 2024, AuditKind.veto, "LIFE-03"),
        ("gangcheng", 2022, AuditKind.veto, "COV-04"),
        ("gangcheng", 2023, AuditKind.veto, "FUND-01"),
        ("xinhu", 2022, AuditKind.veto, "COV-10"),
        ("xinhu", 2023, AuditKind.na_claimed, "COV-10"),
        ("huadong", 2022, AuditKind.ratio_mismatch, "COV-03"),
        ("huadong", 2024, AuditKind.consistency, "STAF-07"),
        ("donglin", 2022, AuditKind.unsupported, "LEAD-01"),
        ("xiyuan", 2022, AuditKind.over_claim, ""),
        ("xiyuan", 2023, AuditKind.over_claim, ""),
        ("xiyuan", 2024, AuditKind.over_claim, ""),
    ],
)
def test_each_story_is_where_the_readme_says(
    scored: Scored, unit: str, year: int, kind: AuditKind, rule: str
) -> None:
    findings = [f for f in _result(scored, unit, year).audit if f.kind is kind]
    assert findings
    if rule:
        assert any(rule in f.rule_ids for f in findings), [f.rule_ids for f in findings]


def test_the_veto_caps_an_otherwise_excellent_school(scored: Scored) -> None:
    result = _result(scored, "shaxi", 2024)
    assert result.score.uncapped_grade == "excellent"
    assert result.score.grade == "pass"
    assert result.score.vetoed_by == ("LIFE-03",)


def test_unreadable_answers_and_the_local_row_are_reported(scored: Scored) -> None:
    example = next(e for e in EXAMPLES if e.unit.key == "xinhu" and e.year == 2023)
    assessment, result = scored[example.file]
    unreadable = [n for n in assessment.notes if n.code == "unreadable"]
    assert [n.rule_id for n in unreadable] == ["RGHT-12"]
    assert result.rule("RGHT-12").status is Status.missing

    example = next(e for e in EXAMPLES if e.unit.key == "donglin" and e.year == 2023)
    assessment, _ = scored[example.file]
    assert [row.text for row in assessment.unmatched] == ["垃圾分类督导员人数"]


def test_scores_tell_each_units_story(scored: Scored) -> None:
    def totals(unit: str) -> list[float]:
        return [_result(scored, unit, year).score.total for year in (2022, 2023, 2024)]

    donglin = totals("donglin")
    assert donglin[0] < donglin[1] < donglin[2]  # gaps close
    # Answering the current pack, the featured unit improves from 合格 to 优秀.
    assert 60 <= donglin[0] < 70 and donglin[2] >= 90
    xiyuan = totals("xiyuan")
    assert xiyuan[0] < xiyuan[1] > xiyuan[2]  # the 2024 regression
    gangcheng = totals("gangcheng")
    assert gangcheng[0] < gangcheng[1] < gangcheng[2]
    assert [bool(_result(scored, "gangcheng", y).score.vetoed_by) for y in (2022, 2023, 2024)] == [
        True,
        True,
        False,
    ]


def test_a_gap_nobody_followed_up_persists(scored: Scored) -> None:
    # 新湖村 never discusses the work at a Party meeting nor trains its cadres.
    for year in (2022, 2023, 2024):
        result = _result(scored, "xinhu", year)
        for rule_id in ("LEAD-01", "STAF-11"):
            assert result.rule(rule_id).status is Status.fail, (year, rule_id)


# --- the generator ---------------------------------------------------------------------------


def test_generating_twice_gives_identical_bytes(tmp_path: Path, pack: RulePack) -> None:
    first = generate(tmp_path / "a", pack)
    second = generate(tmp_path / "b", pack)
    assert [p.name for p in first] == [p.name for p in second] == [e.file for e in EXAMPLES]
    for name in [p.name for p in first] + ["README.md"]:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


# --- forms filled against an older pack (2026.1) ------------------------------------------------


@pytest.fixture(scope="module")
def old_scored(old_pack: RulePack) -> Scored:
    """The kept 2026.1 forms, scored under the pack they were filled against."""
    out: Scored = {}
    for path in _old_forms():
        assessment = read_assessment(path, old_pack)
        out[path.name] = (assessment, score(assessment, old_pack))
    return out


@pytest.fixture(scope="module")
def rescored(pack: RulePack) -> Scored:
    """The same forms under the current pack."""
    out: Scored = {}
    for path in _old_forms():
        assessment = read_assessment(path, pack)
        out[path.name] = (assessment, score(assessment, pack))
    return out


def test_two_forms_of_the_older_pack_are_kept(old_pack: RulePack, pack: RulePack) -> None:
    assert old_pack.version == "2026.1"
    assert pack.version != old_pack.version
    assert [p.name for p in _old_forms()] == sorted(
        ["东林村2023年群团工作自评表.xlsx", "城厢镇东林村-2024年度群团自评表.xlsx"]
    )


def test_old_forms_read_under_the_new_pack(
    old_pack: RulePack, pack: RulePack, old_scored: Scored, rescored: Scored
) -> None:
    """A rule that kept its id keeps the answer the form gave it; rules new since are blank."""
    for name in old_scored:
        (old, _), (new, result) = old_scored[name], rescored[name]
        assert (new.unit.type, new.unit.year) == (old.unit.type, old.unit.year)
        for rule_id, answer in old.answers.items():
            if rule_id in pack.rules_by_id:
                assert new.answers[rule_id].raw == answer.raw, rule_id
        added = set(pack.rules_by_id) - set(old_pack.rules_by_id)
        answered = {r.rule_id for r in result.rules if r.answer.raw} & added
        # Only a row the old pack had no rule for may feed a new rule.
        assert answered <= {"SERV-02"}, answered
        assert all(
            r.status is Status.missing
            for r in result.rules
            if r.rule_id in added - answered and r.possible > 0
        )
        # The new rules left blank pull an old form below what it scored under its own pack.
        assert result.score.total < old_scored[name][1].score.total


def test_a_row_no_rule_held_is_now_a_rule(rescored: Scored) -> None:
    assessment, result = rescored["东林村2023年群团工作自评表.xlsx"]
    assert not assessment.unmatched or all("巾帼" not in row.text for row in assessment.unmatched)
    assert result.rule("SERV-02").answer.raw


def test_rows_of_retired_rules_match_nothing_of_opposite_meaning(
    old_scored: Scored, rescored: Scored
) -> None:
    """LEAD-10 asked about cancelled activities (yes was bad), LIFE-01 about the oldest of three
    elections, STAF-12's row counts untrained cadres: none may land on the rule that replaced it."""
    for name, (assessment, result) in rescored.items():
        for rule_id in ("LEAD-12", "LIFE-08", "LIFE-09", "LIFE-10", "STAF-16", "STAF-17"):
            assert not result.rule(rule_id).answer.raw, (name, rule_id)
        if "LEAD-10" in old_scored[name][0].answers:
            assert any("挤占" in to_simplified(row.text) for row in assessment.unmatched), name


def test_history_saved_under_2026_1_rescores_and_trends_under_the_live_pack(
    tmp_path: Path, old_pack: RulePack, pack: RulePack
) -> None:
    from checklist.history import open_history
    from checklist.rescore import rescored as rescore_saved
    from checklist.trend import build_trend

    with open_history(tmp_path / "h.db") as history:
        for path in _old_forms():
            assessment = read_assessment(path, old_pack)
            history.save(assessment, score(assessment, old_pack))
        saved = history.unit_history("东林村")
    for stored in saved.assessments:
        assert str(stored.entry.scored_pack) == "grassroots 2026.1"
        now = rescore_saved(stored, pack)
        assert (now.pack_id, now.pack_version) == ("grassroots", pack.version)
        for rule_id, answer in stored.answers.items():
            if rule_id in pack.rules_by_id and answer.raw:
                assert now.rule(rule_id).answer.raw == answer.raw, rule_id
        assert now.rule("RGHT-12").status is Status.missing  # new in 2026.2: blank then
    trend = build_trend(saved.unit, saved.assessments, pack)
    (change,) = trend.pack_changes
    assert change.years == (2023, 2024)
    assert set(change.retired) == {"LEAD-10", "LIFE-01"}
    assert {"RGHT-01", "SERV-02", "LIFE-08", "STAF-16"} <= set(change.added)
