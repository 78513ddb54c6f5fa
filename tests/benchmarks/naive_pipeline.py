"""The yardstick for ``checklist batch``: the pipeline a capable analyst would write.

A county office without checklist would script it like this: read each unit's
workbook with openpyxl (default mode), find the table by a header cell
containing 指标, match each row's indicator to the rule list with rapidfuzz
``extractOne``, score what was answered, and write a two-sheet openpyxl report
(summary with a bar chart of the areas, then the rows) per file, over a
``multiprocessing.Pool(2)``; the parent keeps every unit's rows and writes a
roll-up of all units.

Run as ``python naive_pipeline.py FOLDER OUT_FOLDER``; the benchmark imports
:func:`run` instead.
"""

from __future__ import annotations

import multiprocessing
import sys
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.chart import BarChart, Reference
from rapidfuzz import fuzz, process

Rule = tuple[str, str, str, float]
"""id, area title, indicator, points."""

_RULES: list[Rule] = []


def _init(rules: list[Rule]) -> None:
    _RULES[:] = rules


def _answered(value: Any) -> bool:
    text = str(value).strip() if value is not None else ""
    return text not in ("", "否", "无", "没有", "0")


def score_file(path: Path, out: Path) -> dict[str, Any]:
    """One unit: its name, total, per-area points and matched rows; writes its report."""
    book = openpyxl.load_workbook(path)
    name = path.stem
    indicators = [rule[2] for rule in _RULES]
    rows: list[tuple[str, str, Any, float]] = []
    for sheet in book.worksheets:
        header: dict[str, int] | None = None
        for values in sheet.iter_rows(values_only=True):
            cells = ["" if v is None else str(v) for v in values]
            joined = " ".join(cells)
            if "单位名称" in joined and not cells[0].startswith("单位名称："):
                name = cells[1] or name
            elif cells and cells[0].startswith("单位名称："):
                name = cells[0].partition("：")[2]
            if header is None:
                if any("指标" in c for c in cells):
                    header = {c: i for i, c in enumerate(cells) if c}
                continue
            column = next((i for c, i in header.items() if "指标" in c), None)
            answer_at = next(
                (i for c, i in header.items() if ("填报" in c or "情况" in c) and "说明" not in c),
                None,
            )
            if column is None or answer_at is None or column >= len(cells):
                continue
            match = process.extractOne(cells[column], indicators, scorer=fuzz.WRatio)
            if match is None or match[1] < 80:
                continue
            rule = _RULES[match[2]]
            value = values[answer_at] if answer_at < len(values) else None
            rows.append((rule[0], rule[1], value, rule[3] if _answered(value) else 0.0))
    areas: dict[str, float] = {}
    for _, area, _, points in rows:
        areas[area] = areas.get(area, 0.0) + points
    total = sum(areas.values())

    report = openpyxl.Workbook()
    summary = report.active
    assert summary is not None
    summary.title = "汇总"
    summary.append(["单位", name])
    summary.append(["总分", total])
    summary.append(["领域", "得分"])
    for area, points in areas.items():
        summary.append([area, points])
    chart = BarChart()
    chart.title = "各领域得分"
    data = Reference(summary, min_col=2, min_row=3, max_row=3 + len(areas))
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(summary, min_col=1, min_row=4, max_row=3 + len(areas)))
    summary.add_chart(chart, "D2")
    detail = report.create_sheet("明细")
    detail.append(["编号", "领域", "填报", "得分"])
    for row in rows:
        detail.append(list(row))
    report.save(out / f"{path.stem}-report.xlsx")
    return {"file": str(path), "name": name, "total": total, "areas": areas, "rows": rows}


def _job(args: tuple[Path, Path]) -> dict[str, Any]:
    return score_file(*args)


def run(files: list[Path], rules: list[Rule], out: Path) -> list[dict[str, Any]]:
    """Every file scored on two processes; the roll-up written to ``out/roll-up.xlsx``."""
    out.mkdir(parents=True, exist_ok=True)
    with multiprocessing.Pool(2, initializer=_init, initargs=(rules,)) as pool:
        results = pool.map(_job, [(path, out) for path in files])
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["文件", "单位", "总分"])
    for result in results:
        sheet.append([result["file"], result["name"], result["total"]])
    book.save(out / "roll-up.xlsx")
    return results


def pack_rules() -> list[Rule]:
    """The built-in pack's rules, as the analyst would copy them out of its YAML."""
    from checklist.rulepack import load_pack

    pack = load_pack(None)
    return [
        (rule.id, pack.area(rule.area).title.zh, rule.indicator.zh, float(rule.points))
        for rule in pack.rules
    ]


if __name__ == "__main__":
    folder, target = Path(sys.argv[1]), Path(sys.argv[2])
    run(sorted(folder.rglob("*.xlsx")), pack_rules(), target)
