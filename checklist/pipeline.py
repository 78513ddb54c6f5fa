"""The main job as one library call: a unit's file → (Assessment, Result).

A JSON result written by ``checklist score --json`` is accepted too, so that
results can be compared without the original workbooks.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from checklist.codes import ErrorCode
from checklist.errors import ChecklistError
from checklist.model import Assessment, Result, RulePack, Waiver
from checklist.text import Text

if TYPE_CHECKING:
    from checklist.compare import Comparison


def assess_file(
    path: Path, pack: RulePack, waivers: Sequence[Waiver] = ()
) -> tuple[Assessment, Result]:
    """Read a unit's workbook with intake and score it against ``pack`` with the ``waivers``
    that hold for it (:func:`checklist.waivers.for_unit`).

    A form that names no year is assessed for the current one (the form's own
    year always wins); the clock is read here, at the edge, not by the engine.
    """
    from checklist.intake import read_assessment
    from checklist.waivers import score_waived

    assessment = read_assessment(Path(path), pack)
    return assessment, score_waived(assessment, pack, dt.date.today().year, waivers)


def load_result(path: Path) -> Result:
    """A result saved as JSON by ``checklist score --json``."""
    from checklist.serialize import result_from_dict

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
        return result_from_dict(data)
    except (
        OSError,
        UnicodeDecodeError,
        json.JSONDecodeError,
        KeyError,
        TypeError,
        ValueError,
    ) as exc:
        why = _why_not_a_result(exc)
        raise ChecklistError(
            Text(
                f"{path} 不是 checklist score --json 输出的结果文件（{why.zh}）。",
                f"{path} is not a result written by 'checklist score --json' ({why.en}).",
            ),
            code=ErrorCode.bad_result_json,
        ) from None


def _why_not_a_result(exc: Exception) -> Text:
    """What is wrong with a result file, in words (never a Python exception name)."""
    if isinstance(exc, UnicodeDecodeError):
        return Text("不是 UTF-8 文本", "not UTF-8 text")
    if isinstance(exc, OSError):
        return Text(f"无法读取：{exc.strerror or exc}", f"cannot be read: {exc.strerror or exc}")
    if isinstance(exc, json.JSONDecodeError):
        return Text(f"第 {exc.lineno} 行不是有效的 JSON", f"not valid JSON at line {exc.lineno}")
    if isinstance(exc, KeyError):
        key = exc.args[0] if exc.args else ""
        return Text(f"缺少字段 {key}", f"field {key} is missing")
    detail = str(exc).strip()
    return Text(f"字段内容无效：{detail}", f"a field is invalid: {detail}")


def previous_comparison(
    result: Result, pack: RulePack, db: Path | None, *, required: bool = False
) -> Comparison | None:
    """The change since the unit's previous saved year, re-scored under ``pack``.

    None when there is no earlier year, or no database yet; with ``required`` a
    missing database is an error (a mistyped --db must not look like "no
    previous year").
    """
    from checklist.compare import compare

    previous = previous_result(result, pack, db, required=required)
    if previous is None:
        return None
    # History has already matched the unit (by its key, type and town).
    return compare(previous, result, force=True)


def previous_result(
    result: Result, pack: RulePack, db: Path | None, *, required: bool = False
) -> Result | None:
    """The unit's previous saved year re-scored under ``pack`` (see :func:`previous_comparison`)."""
    from checklist.history import open_history, resolve_db_path

    if not required and not resolve_db_path(db).exists():
        return None
    if result.unit.year is None:
        return None
    with open_history(db, create=False) as history:
        return history.previous_year(result.unit, result.unit.year, pack=pack)
