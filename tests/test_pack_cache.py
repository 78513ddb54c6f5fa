"""Validated packs come from the cache only when every pack file is byte for byte the same.

The cache (``checklist.packcache``) lives in the user's cache folder and is
untrusted input: an edited, truncated or foreign entry is ignored and rebuilt,
and a pack file changed in any way is validated again.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from checklist import packcache
from checklist.errors import ChecklistError
from checklist.rulepack import load_pack, resolve_pack
from tests.conftest import Cli


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty user cache folder of this test alone."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder / "checklist" / "packs"


@pytest.fixture
def pack_folder(tmp_path: Path) -> Path:
    """A copy of the shipped pack that a test may edit."""
    return Path(shutil.copytree(resolve_pack("grassroots"), tmp_path / "pack"))


def _entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.json"))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_cached_pack_equals_the_validated_one(cache: Path, pack_folder: Path) -> None:
    validated = load_pack(pack_folder)
    assert len(_entries(cache)) == 1
    cached = load_pack(pack_folder)
    assert cached == validated
    assert repr(cached) == repr(validated)  # every field, float and tuple alike
    assert cached.path == str(pack_folder)


def test_the_cached_pack_keeps_the_folder_it_was_loaded_from(cache: Path, tmp_path: Path) -> None:
    first = Path(shutil.copytree(resolve_pack("grassroots"), tmp_path / "a"))
    second = Path(shutil.copytree(first, tmp_path / "b"))
    assert load_pack(first).path == str(first)
    assert load_pack(second).path == str(second)
    assert len(_entries(cache)) == 1  # same bytes, one entry


def test_an_edited_threshold_is_validated_and_used(cache: Path, pack_folder: Path) -> None:
    before = load_pack(pack_folder).rule("LEAD-01")
    assert [str(b.condition) for b in before.bands] == [">=2", ">=1"]
    _edit(pack_folder / "leadership.yaml", '">=2": 1.0', '">=3": 1.0')
    after = load_pack(pack_folder).rule("LEAD-01")
    assert [str(b.condition) for b in after.bands] == [">=3", ">=1"]
    assert len(_entries(cache)) == 2


def test_an_edit_that_breaks_the_pack_reports_every_problem(
    cache: Path, pack_folder: Path, cli: Cli
) -> None:
    load_pack(pack_folder)  # the valid pack is cached
    _edit(pack_folder / "leadership.yaml", '">=2": 1.0', '">=2": 1.0\n    "about 1": 0.5')
    _edit(pack_folder / "funding.yaml", "severity: major", "severity: huge")
    with pytest.raises(ChecklistError) as raised:
        load_pack(pack_folder)
    problems = "\n".join(d.en for d in raised.value.details)
    assert "bands.about 1" in problems
    assert "funding.yaml" in problems and "severity" in problems
    result = cli(["rules", "validate", str(pack_folder), "--lang", "en"], code=2)
    assert "2 problem(s)" in result.stderr
    assert len(_entries(cache)) == 1  # a broken pack is never stored


def test_a_new_or_removed_rule_file_is_noticed(cache: Path, pack_folder: Path) -> None:
    count = len(load_pack(pack_folder).rules)
    (pack_folder / "funding.yaml").rename(pack_folder / "funding.yaml.off")
    with pytest.raises(ChecklistError):
        load_pack(pack_folder)  # area points no longer add up
    (pack_folder / "funding.yaml.off").rename(pack_folder / "funding.yaml")
    assert len(load_pack(pack_folder).rules) == count


@pytest.mark.parametrize(
    "tamper",
    [
        "payload",  # a rule's points edited, digest left as it was
        "digest",  # payload and digest both edited: a consistent forgery of another class
        "truncated",
        "not json",
        "format",
        "key",
        "enum with a stray key",
        "enum of another module",
        "object naming no class",
    ],
)
def test_a_tampered_entry_is_ignored_and_rebuilt(
    cache: Path, pack_folder: Path, tamper: str
) -> None:
    validated = load_pack(pack_folder)
    (entry,) = _entries(cache)
    head, payload = entry.read_text(encoding="utf-8").split("\n", 1)
    header = json.loads(head)
    points = json.dumps(validated.rule("LEAD-01").points)
    forged = payload.replace(f'"points": {points}', '"points": 99.0', 1)
    assert forged != payload
    if tamper == "payload":
        text = head + "\n" + forged
    elif tamper == "digest":
        # Well-formed and signed with the right digest, but naming a class the
        # cache may not build: nothing but checklist.model's types is built.
        forged = payload.replace('"$": "Text"', '"$": "Path"', 1)
        digest = packcache.hashlib.sha256(forged.encode()).hexdigest()
        text = json.dumps({**header, "digest": digest}) + "\n" + forged
    elif tamper == "truncated":
        text = head + "\n" + payload[: len(payload) // 2]
    elif tamper == "not json":
        text = "\x80garbage"
    elif tamper in ("enum with a stray key", "enum of another module", "object naming no class"):
        old = '{"$enum": "Severity", "value": "major"}'
        new = {
            "enum with a stray key": '{"$enum": "Severity", "value": "major", "x": 1}',
            "enum of another module": '{"$enum": "ErrorCode", "value": "major"}',
            "object naming no class": '{"value": "major"}',
        }[tamper]
        assert old in payload
        forged = payload.replace(old, new, 1)
        digest = packcache.hashlib.sha256(forged.encode()).hexdigest()
        text = json.dumps({**header, "digest": digest}) + "\n" + forged
    elif tamper == "format":
        text = json.dumps({**header, "format": header["format"] + 1}) + "\n" + payload
    else:
        text = json.dumps({**header, "key": "0" * 64}) + "\n" + payload
    entry.write_text(text, encoding="utf-8", errors="surrogateescape")

    reloaded = load_pack(pack_folder)
    assert reloaded == validated
    assert reloaded.rule("LEAD-01").points == validated.rule("LEAD-01").points
    # The bad entry was replaced by a good one.
    assert load_pack(pack_folder) == validated
    assert entry.read_text(encoding="utf-8").split("\n", 1)[1] == payload


def test_an_unwritable_cache_folder_only_costs_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pack_folder: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert load_pack(pack_folder) == load_pack(pack_folder)
