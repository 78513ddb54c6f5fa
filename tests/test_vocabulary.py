"""One vocabulary: gap, closed, new, persistent and regressed mean the same in every command.

西园社区 2023→2024 once gave three counts of 退步 (compare 16, the score summary
and report 0, trend 17), and demo counted 缺项 30 where score and trend counted
问题 25 for 东林村 2022. Every command now reads the lists from one definition
(:mod:`checklist.compare`), so on the same two years the counts agree.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest

from checklist.compare import Change, change_between, regressed
from checklist.model import Answer, AnswerState, Decision, DecisionKind, RuleResult, Status
from tests.conftest import Cli

EXAMPLES = Path(__file__).resolve().parent.parent / "checklist" / "examples"
THEN = EXAMPLES / "西园社区-2023-自评(修改稿).xlsx"
NOW = EXAMPLES / "西园社区-2024-自评(终稿).xlsx"


def _lists(block: dict[str, list[str]]) -> dict[str, list[str]]:
    return {key: sorted(block[key]) for key in ("closed", "new", "persistent", "regressed")}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """compare, score --save (JSON, terminal line, report) and trend on the same two years."""
    cli = Cli()
    tmp = tmp_path_factory.mktemp("vocabulary")
    db = str(tmp / "h.db")
    compared = json.loads(cli(["compare", str(THEN), str(NOW), "--json"]).stdout)
    cli(["score", str(THEN), "--db", db, "--save", "-o", str(tmp / "then.xlsx")])
    summary = cli(["score", str(NOW), "--db", db, "--save", "-o", str(tmp / "now.xlsx")]).stdout
    scored = json.loads(cli(["score", str(NOW), "--db", db, "--json"]).stdout)
    trend = json.loads(cli(["trend", "西园社区", "--db", db, "--json"]).stdout)
    return {
        "compare": compared,
        "summary": summary,
        "score": scored,
        "trend": trend,
        "report": tmp / "now.xlsx",
    }


def test_compare_score_and_trend_name_the_same_rules(runs: dict[str, object]) -> None:
    compared = _lists(runs["compare"]["gaps"])  # type: ignore[index]
    scored = _lists(runs["score"]["previous"]["gaps"])  # type: ignore[index]
    years = runs["trend"]["years"]  # type: ignore[index]
    assert [y["year"] for y in years] == [2023, 2024]
    trended = _lists(years[1]["since_previous"])
    assert compared == scored == trended
    assert compared["regressed"], "the example has regressions: the test must be able to fail"
    # The trend's own per-rule regressions are the same rules.
    assert sorted(runs["trend"]["regressed"]) == compared["regressed"]  # type: ignore[index]
    # Every regressed rule is a gap now (new or persistent), never a missed bonus.
    assert set(compared["regressed"]) <= set(compared["new"]) | set(compared["persistent"])


def test_the_summary_line_and_the_report_count_the_same(runs: dict[str, object]) -> None:
    lists = _lists(runs["compare"]["gaps"])  # type: ignore[index]
    line = " ".join(str(runs["summary"]).split())
    found = re.search(
        r"已整改 (\d+) 项，新增问题 (\d+) 项，持续问题 (\d+) 项（其中退步 (\d+) 项）", line
    )
    assert found is not None, line
    counts = [len(lists[k]) for k in ("closed", "new", "persistent", "regressed")]
    assert [int(n) for n in found.groups()] == counts

    book = openpyxl.load_workbook(runs["report"])  # type: ignore[arg-type]
    values = [[c for c in row] for ws in book.worksheets for row in ws.iter_rows(values_only=True)]
    header = next(r for r in values if "其中退步" in r)
    row = values[values.index(header) + 1]
    at = header.index("已整改")
    assert list(row[at : at + 4]) == counts
    # The gaps sheet marks exactly the regressed rules 退步.
    marked = {
        r[0] for ws in book.worksheets for r in ws.iter_rows(values_only=True) if "退步" in r[1:]
    }
    assert set(lists["regressed"]) <= marked


def test_demo_counts_gaps_as_score_does(cli: Cli, tmp_path: Path) -> None:
    out = cli(["demo", "-o", str(tmp_path / "demo")]).stdout
    assert "缺项" not in out
    row = next(line for line in out.splitlines() if "东林村" in line and "2022" in line)
    scored = json.loads(
        cli(["score", str(EXAMPLES / "东林村2022年群团工作自评表.xlsx"), "--json"]).stdout
    )
    gaps = sum(1 for r in scored["rules"] if r["status"] not in ("pass", "na") and not r["bonus"])
    cells = [c.strip() for c in row.split("│") if c.strip()]
    assert cells[4] == str(gaps)


def test_a_bonus_that_earns_less_is_no_regression() -> None:
    def result(status: Status, earned: float, bonus: bool) -> RuleResult:
        answer = Answer(AnswerState.given)
        decision = Decision(DecisionKind.data)
        return RuleResult("X", "a", status, earned, 2.0, answer, decision, bonus=bonus)

    assert change_between(result(Status.passed, 2, True), result(Status.fail, 0, True)) is (
        Change.bonus_lost
    )
    assert not regressed(result(Status.passed, 2, True), result(Status.fail, 0, True))
    assert regressed(result(Status.passed, 2, False), result(Status.partial, 1, False))
    assert regressed(result(Status.partial, 1.5, False), result(Status.partial, 0.5, False))
