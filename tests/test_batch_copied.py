"""batch: copied answers are flagged; boilerplate and shared document titles never are."""

from __future__ import annotations

import math
from collections import defaultdict
from itertools import combinations
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from checklist.batch.copied import CopiedPair, Example, find_copied
from checklist.batch.model import Clue
from checklist.demo_county import _Row, _rows, write_form
from tests.batch_data import batch, pack, sheet_rows, unit
from tests.conftest import Cli


def _clues(
    unit_no: int, texts: dict[str, str], numbers: dict[str, str] | None = None
) -> tuple[Clue, ...]:
    found = [Clue(rule, text, True, f"自评表!F{unit_no}") for rule, text in texts.items()]
    found += [
        Clue(rule, value, False, f"自评表!E{unit_no}") for rule, value in (numbers or {}).items()
    ]
    return tuple(found)


def test_boilerplate_shared_by_many_units_never_flags() -> None:
    stock = {f"R{i}": "会议记录台账" for i in range(20)}
    units = [_clues(n, stock, {"N1": str(n)}) for n in range(12)]
    assert find_copied(units) == ()


def test_shared_document_titles_with_different_numbers_do_not_flag() -> None:
    titles = {f"R{i}": f"2024年度第{i}号批复文件" for i in range(6)}
    units = [
        _clues(0, titles, {f"N{i}": str(10 + i) for i in range(10)}),
        _clues(1, titles, {f"N{i}": str(40 + i) for i in range(10)}),
        *[_clues(n, {"R0": f"本单位自有文字{n}"}) for n in range(2, 30)],
    ]
    assert find_copied(units) == ()


def test_a_copied_form_is_flagged_with_its_rules_and_example_cells() -> None:
    own = {f"R{i}": f"某村第{i}次活动记录共计{i * 7}人参加" for i in range(10)}
    units = [
        _clues(0, own, {"N1": "37", "N2": "12"}),
        *[_clues(n, {f"R{i}": f"{n}号单位自有记录{i}" for i in range(10)}) for n in range(1, 20)],
        _clues(20, own, {"N1": "37", "N2": "12"}),
    ]
    (pair,) = find_copied(units)
    assert pair.units == (0, 20)
    assert pair.shared_text == 10 and pair.rules == 12 and pair.similarity == 1.0
    assert [e.rule_id for e in pair.examples] == ["R0", "R1", "R2"]


def test_batch_flags_two_units_whose_form_was_copied_with_the_name_changed(
    cli: Cli, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    towns = ("城厢镇", "璜泾镇")
    names = ("永丰村", "雅鹿村", "杨漕村", "新湖村", "泥桥村", "归庄村")
    for n, name in enumerate(names):
        who = unit(name, towns[n % 2])
        if name != "杨漕村":
            write_form(who, 2024, pack(), folder / f"{name}.xlsx")
    original = unit("雅鹿村", "璜泾镇")
    rows = [
        _Row(r.rule, r.answer, r.evidence.replace("雅鹿村", "杨漕村"), r.claimed)
        for r in _rows(original, 2024, pack())
    ]
    write_form(unit("杨漕村", "城厢镇"), 2024, pack(), folder / "杨漕村.xlsx", rows)
    data = batch(cli, [str(folder), "-o", str(tmp_path / "o.xlsx")])
    (copied,) = data["copied"]
    assert sorted(copied["units"]) == ["杨漕村", "雅鹿村"]
    assert copied["rules"] >= 3 and copied["similarity"] >= 0.6
    assert all("雅鹿村" in e["text"] or "杨漕村" in e["text"] for e in copied["examples"])
    units = {r[0]: r for r in sheet_rows(tmp_path / "o.xlsx", "单位得分")[1:]}
    flags = sheet_rows(tmp_path / "o.xlsx", "单位得分")[0].index("核查提示")
    assert "疑似与雅鹿村雷同" in units["杨漕村"][flags]
    checks = sheet_rows(tmp_path / "o.xlsx", "核查")
    assert any(row[0] == "疑似雷同" and "杨漕村" in row[1] for row in checks)


def _pairwise(units: list[tuple[Clue, ...]]) -> tuple[CopiedPair, ...]:
    """The check as first written: every clue in memory, every candidate pair compared."""
    limit = max(3, math.floor(0.05 * len(units)))
    holders: dict[tuple[str, str, bool], list[int]] = defaultdict(list)
    for index, clues in enumerate(units):
        for key in {(c.rule_id, c.text, c.free) for c in clues}:
            holders[key].append(index)
    candidates = {
        pair
        for (_, _, free), who in holders.items()
        if free and 2 <= len(who) <= limit
        for pair in combinations(who, 2)
    }
    indexed = [{(c.rule_id, c.free): c.text for c in clues} for clues in units]
    kept = [{(c.rule_id, c.free) for c in clues if c.kept} for clues in units]
    pairs = []
    for a, b in sorted(candidates):
        agree_free, agree, disagree = [], 0, 0
        for (rule_id, free), text in indexed[a].items():
            other = indexed[b].get((rule_id, free))
            if other is None or (rule_id, free) in kept[a] | kept[b]:
                continue
            if other != text:
                disagree += 1
            elif len(holders[(rule_id, text, free)]) <= limit:
                agree += 1
                agree_free += [rule_id] if free else []
        similarity = agree / (agree + disagree) if agree + disagree else 0.0
        if len(agree_free) < 3 or similarity < 0.6:
            continue
        examples = []
        for rule_id in sorted(agree_free)[:3]:
            one = next(c for c in units[a] if c.rule_id == rule_id and c.free)
            two = next(c for c in units[b] if c.rule_id == rule_id and c.free)
            examples.append(Example(rule_id, (one.cell, two.cell), one.shown or one.text))
        pairs.append(
            CopiedPair((a, b), agree, len(agree_free), round(similarity, 2), tuple(examples))
        )
    return tuple(sorted(pairs, key=lambda p: (-p.similarity, -p.rules, p.units)))


_CLUE = st.builds(
    Clue,
    st.sampled_from([f"R{i}" for i in range(8)]),
    st.sampled_from(["会议记录", "2024年台账", "3", "12", "王芳", "本村自有文字"]),
    st.booleans(),
    st.sampled_from(["自评表!E2", "自评表!F3"]),
    st.sampled_from(["", "原文"]),
    st.booleans(),
)


@given(st.lists(st.lists(_CLUE, max_size=10).map(tuple), max_size=25))
def test_the_stored_check_flags_what_the_pairwise_check_flags(
    units: list[tuple[Clue, ...]],
) -> None:
    assert find_copied(units) == _pairwise(units)
