"""batch: copied answers are flagged; boilerplate and shared document titles never are."""

from __future__ import annotations

from pathlib import Path

from checklist.batch.copied import find_copied
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
