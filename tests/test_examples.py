"""The bundled example assessments: every file reads and scores, and the set tells its stories.

The files in checklist/examples/ are what ``checklist demo`` shows a county
office, so they must go through intake like any unit's file and, between
them, produce every kind of finding the reports explain. They are the forms
units filled in 2022–2024 against pack 2026.1, so their stories are checked
under that pack (a frozen copy the generator keeps); the last section checks
what the live pack makes of the same files.
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
from scripts.make_examples import EXAMPLES, EXAMPLES_PACK, UNITS, Example, Unit, generate

Scored = dict[str, tuple[Assessment, Result]]


def _shipped() -> Path:
    # Where the installed package keeps them, not where the generator writes them.
    return Path(str(resources.files("checklist") / "examples"))


@pytest.fixture(scope="module")
def pack() -> RulePack:
    """The pack the forms were filled against (2026.1)."""
    return load_pack(EXAMPLES_PACK)


@pytest.fixture(scope="module")
def live() -> RulePack:
    return load_pack("grassroots")


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
    assert [n.rule_id for n in unreadable] == ["INNO-06"]
    assert result.rule("INNO-06").status is Status.missing

    example = next(e for e in EXAMPLES if e.unit.key == "donglin" and e.year == 2023)
    assessment, _ = scored[example.file]
    assert [row.text for row in assessment.unmatched] == ["垃圾分类巾帼志愿服务开展次数"]


def test_scores_tell_each_units_story(scored: Scored) -> None:
    def totals(unit: str) -> list[float]:
        return [_result(scored, unit, year).score.total for year in (2022, 2023, 2024)]

    donglin = totals("donglin")
    assert donglin[0] < donglin[1] < donglin[2]  # gaps close
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


# --- the same files under the live pack --------------------------------------------------------


@pytest.fixture(scope="module")
def rescored(live: RulePack) -> Scored:
    out: Scored = {}
    for example in EXAMPLES:
        assessment = read_assessment(_shipped() / example.file, live)
        out[example.file] = (assessment, score(assessment, live))
    return out


def test_the_live_pack_is_a_newer_version(pack: RulePack, live: RulePack) -> None:
    assert pack.version == "2026.1"
    assert live.version != pack.version


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.file)
def test_old_forms_read_under_the_new_pack(
    example: Example, pack: RulePack, live: RulePack, scored: Scored, rescored: Scored
) -> None:
    """A rule that kept its id keeps the answer the form gave it; rules new since are blank."""
    (old, _), (new, result) = scored[example.file], rescored[example.file]
    assert (new.unit.type, new.unit.year) == (old.unit.type, old.unit.year)
    for rule_id, answer in old.answers.items():
        if rule_id in live.rules_by_id:
            assert new.answers[rule_id].raw == answer.raw, rule_id
    added = set(live.rules_by_id) - set(pack.rules_by_id)
    answered = {r.rule_id for r in result.rules if r.answer.raw} & added
    # Only a row the old pack had no rule for may feed a new rule.
    assert answered <= {"SERV-02"}, answered
    assert all(
        r.status is Status.missing
        for r in result.rules
        if r.rule_id in added - answered and r.possible > 0
    )


def test_a_row_no_rule_held_is_now_a_rule(rescored: Scored) -> None:
    example = next(e for e in EXAMPLES if e.unit.key == "donglin" and e.year == 2023)
    assessment, result = rescored[example.file]
    assert not assessment.unmatched or all("巾帼" not in row.text for row in assessment.unmatched)
    assert result.rule("SERV-02").answer.raw


def test_rows_of_retired_rules_match_nothing_of_opposite_meaning(
    scored: Scored, rescored: Scored
) -> None:
    """LEAD-10 asked about cancelled activities (yes was bad), LIFE-01 about the oldest of three
    elections, STAF-12's row counts untrained cadres: none may land on the rule that replaced it."""
    for name, (assessment, result) in rescored.items():
        for rule_id in ("LEAD-12", "LIFE-08", "LIFE-09", "LIFE-10", "STAF-16", "STAF-17"):
            assert not result.rule(rule_id).answer.raw, (name, rule_id)
        if "LEAD-10" in scored[name][0].answers:
            assert any("挤占" in to_simplified(row.text) for row in assessment.unmatched), name


def test_history_saved_under_2026_1_rescores_and_trends_under_the_live_pack(
    tmp_path: Path, pack: RulePack, live: RulePack
) -> None:
    from checklist.history import open_history
    from checklist.rescore import rescored as rescore_saved
    from checklist.trend import build_trend

    years = _years("donglin")
    with open_history(tmp_path / "h.db") as history:
        for example in years:
            assessment = read_assessment(_shipped() / example.file, pack)
            history.save(assessment, score(assessment, pack))
        saved = history.unit_history("东林村")
    for stored in saved.assessments:
        assert str(stored.entry.scored_pack) == "grassroots 2026.1"
        now = rescore_saved(stored, live)
        assert (now.pack_id, now.pack_version) == ("grassroots", live.version)
        for rule_id, answer in stored.answers.items():
            if rule_id in live.rules_by_id and answer.raw:
                assert now.rule(rule_id).answer.raw == answer.raw, rule_id
        assert now.rule("RGHT-12").status is Status.missing  # new in 2026.2: blank then
    trend = build_trend(saved.unit, saved.assessments, live)
    (change,) = trend.pack_changes
    assert change.years == (2022, 2023, 2024)
    assert set(change.retired) == {"LEAD-10", "LIFE-01"}
    assert {"RGHT-01", "SERV-02", "LIFE-08", "STAF-16"} <= set(change.added)
