"""Benchmark: intake + scoring of a 120-row template-made file against openpyxl's floor.

Issue 4: intake + score must take no longer than ``openpyxl.load_workbook(
read_only=True)`` takes merely to open and iterate the same file; both are
measured in one run and printed as a ratio. Run with ``make bench``; start-up
is measured in test_bench_process.py.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

from checklist.intake import read_assessment
from checklist.model import RulePack
from checklist.scoring import score
from checklist.template import write_template
from tests.benchmarks.test_bench_report import best_of, build


def _filled_template(pack: RulePack, folder: Path) -> Path:
    blank = write_template(pack, folder / "blank.xlsx", "zh", "village")
    book = openpyxl.load_workbook(blank)
    info = book["单位信息"]
    for row, value in ((1, "城厢镇新华村"), (2, "村"), (3, "城厢镇"), (4, 2024)):
        info.cell(row=row, column=2, value=value)
    sheet = book["自评表"]
    answers = {"yesno": "是", "count": 3, "percent": 96, "choice": "部分落实"}
    for n, row in enumerate(sheet.iter_rows(min_row=2), start=1):
        rule_id = row[0].value
        if not rule_id:
            continue
        rule = pack.rule(str(rule_id))
        row[4].value = answers.get(rule.answer.type.value, "是")
        row[5].value = "2024年会议纪要" if n % 3 else None
        row[6].value = rule.points if n % 5 == 0 else None
    path = folder / "filled.xlsx"
    book.save(path)
    return path


def _openpyxl_floor(path: Path) -> None:
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    for sheet in book.worksheets:
        for _ in sheet.iter_rows(values_only=True):
            pass
    book.close()


def test_intake_speed(tmp_path: Path) -> None:
    pack, _ = build(tmp_path)
    path = _filled_template(pack, tmp_path)
    assessment = read_assessment(path, pack)
    assert len(assessment.answers) == 120, len(assessment.answers)

    ours = best_of(lambda: score(read_assessment(path, pack), pack))
    floor = best_of(lambda: _openpyxl_floor(path))
    print(
        f"\nintake + score, 120-row template-made file: {ours:.1f} ms; "
        f"openpyxl read_only open + iterate: {floor:.1f} ms; "
        f"ratio {ours / floor:.2f}x (target <= 1.0x)"
    )
