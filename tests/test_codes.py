"""docs/error-codes.md lists exactly the codes checklist/codes.py defines."""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path

import pytest

from checklist.codes import ErrorCode, MatchMethod, NoteCode

_DOC = Path(__file__).resolve().parent.parent / "docs" / "error-codes.md"
_ROW = re.compile(r"^\| `([^`]*)` \| (.+) \|$")


def _documented(section: str) -> list[str]:
    """Codes in the table rows under the ``## section`` heading, in order."""
    text = _DOC.read_text(encoding="utf-8")
    start = text.index(f"\n## {section}\n")
    end = text.find("\n## ", start + 1)
    body = text[start : end if end != -1 else len(text)]
    codes = []
    for line in body.splitlines():
        if m := _ROW.match(line):
            assert m.group(2).strip(), f"{m.group(1)!r} has no meaning in {section}"
            codes.append("" if m.group(1) == '""' else m.group(1))
    return codes


@pytest.mark.parametrize(
    ("section", "enum"),
    [("Error codes", ErrorCode), ("Intake note codes", NoteCode), ("Match methods", MatchMethod)],
)
def test_doc_lists_exactly_the_members(section: str, enum: type[StrEnum]) -> None:
    documented = _documented(section)
    assert len(documented) == len(set(documented)), f"a code is listed twice in {section}"
    assert set(documented) == {member.value for member in enum}


def test_member_names_are_their_values() -> None:
    # Programs read the values; code reads the names: one spelling for both.
    for enum in (ErrorCode, NoteCode):
        assert all(member.name == member.value for member in enum)
