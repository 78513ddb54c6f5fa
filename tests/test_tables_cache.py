"""Intake's tables derived from a cached pack are kept in the pack cache, and never trusted blindly.

Matching a form in its own layout needs every rule's wording normalised and
indexed (``matching.wording_keys``), which costs more than reading the form.
For a pack that came through the pack cache the tables are stored beside it,
keyed by the pack's files and the code that builds them; a stored entry that
is edited, forged or of another shape is ignored and rebuilt.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from checklist import packcache, textnorm
from checklist.intake import headers, matching, read_assessment
from checklist.model import Assessment, RulePack
from checklist.rulepack import load_pack, resolve_pack
from tests.forms import Form, sample_answers, shuffled_without_ids


@pytest.fixture
def tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty user cache folder of this test alone; returns where tables are kept."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "checklist" / "tables"


@pytest.fixture(autouse=True)
def new_process() -> Iterator[None]:
    """Each load below sees the tables as a new ``checklist`` process would: not yet in memory."""
    yield
    _forget()


def _forget() -> None:
    matching._KEYS.clear()
    matching._WORDING_KEYS.clear()


@pytest.fixture
def pack_folder(tmp_path: Path) -> Path:
    return Path(shutil.copytree(resolve_pack("grassroots"), tmp_path / "pack"))


def _of_packs(tables: Path) -> list[Path]:
    """The entries derived from a pack (not the code's own tables: header words, OpenCC's)."""
    return [
        entry
        for entry in tables.glob("*.json")
        if json.loads(entry.read_text(encoding="utf-8").split("\n", 1)[0])["pack"].startswith(
            "grassroots"
        )
    ]


def _form(pack: RulePack, path: Path) -> Path:
    form = Form("城厢镇新华村", "村", 2024, "城厢镇", sample_answers(pack, "village"))
    return shuffled_without_ids(pack, form, path)


def _read(pack_folder: Path, form: Path) -> tuple[RulePack, Assessment]:
    _forget()
    pack = load_pack(pack_folder)
    return pack, read_assessment(form, pack)


def _answers(assessment: Assessment) -> list[tuple[str, object, str, str]]:
    return [(rule, a.value, a.cell, a.match_method) for rule, a in assessment.answers.items()]


def _plain(keys: matching.WordingKeys) -> dict[str, Any]:
    fields = {f.name: getattr(keys, f.name) for f in dataclasses.fields(keys)}
    fields["folds"] = [(p.pattern, first) for p, first in keys.folds]
    return fields


def test_tables_are_stored_and_read_back(
    tables: Path, pack_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pack = load_pack(pack_folder)
    form = _form(pack, tmp_path / "自评.xlsx")
    _, cold = _read(pack_folder, form)
    built = _plain(matching.wording_keys(pack))
    assert len(_of_packs(tables)) == 2  # the keys every form needs, and the wordings

    def refuse(pack: RulePack) -> None:
        raise AssertionError("built again although stored")

    monkeypatch.setattr(matching, "_build_wording_keys", refuse)
    monkeypatch.setattr(matching, "_build_pack_keys", refuse)
    _, warm = _read(pack_folder, form)
    assert _answers(warm) == _answers(cold)
    assert sum(a.value is not None for a in warm.answers.values()) > 50
    _forget()
    assert _plain(matching.wording_keys(load_pack(pack_folder))) == built


def test_an_edited_indicator_gets_tables_of_its_own(
    tables: Path, pack_folder: Path, tmp_path: Path
) -> None:
    pack = load_pack(pack_folder)
    rule = next(r for r in pack.rules if r.id == "LEAD-01")
    form = _form(pack, tmp_path / "自评.xlsx")
    _read(pack_folder, form)
    before = matching.wording_keys(load_pack(pack_folder))
    assert any(owner == "LEAD-01" for owner in before.owners)

    rule_file = next(
        p for p in pack_folder.glob("*.yaml") if rule.indicator.zh in p.read_text("utf-8")
    )
    text = rule_file.read_text(encoding="utf-8")
    rule_file.write_text(
        text.replace(rule.indicator.zh, "村级青年之家建设达标", 1), encoding="utf-8"
    )
    _forget()
    edited = load_pack(pack_folder)
    assert edited.cache_key != pack.cache_key
    wordings = dict(matching.wording_keys(edited).wordings)
    assert any("青年之家" in key for key in wordings["LEAD-01"])
    assert len(_of_packs(tables)) == 3  # the old wordings are not reused


@pytest.mark.parametrize(
    "tamper",
    [
        "payload",
        "owners not texts",
        "posting out of range",
        "unknown organisation",
        "missing field",
    ],
)
def test_a_tampered_tables_entry_is_ignored_and_rebuilt(
    tables: Path, pack_folder: Path, tmp_path: Path, tamper: str
) -> None:
    pack = load_pack(pack_folder)
    form = _form(pack, tmp_path / "自评.xlsx")
    _, cold = _read(pack_folder, form)
    entry = max(_of_packs(tables), key=lambda p: p.stat().st_size)  # the wording keys
    head, payload = entry.read_text(encoding="utf-8").split("\n", 1)
    header = json.loads(head)
    data = json.loads(payload)
    if tamper == "payload":
        forged = payload.replace('"LEAD-01"', '"LEAD-02"')
        text = head + "\n" + forged  # digest no longer matches
    else:
        if tamper == "owners not texts":
            data["owners"][0] = 7
        elif tamper == "posting out of range":
            gram = next(iter(data["postings"]))
            data["postings"][gram][0][0] = 10**6
        elif tamper == "unknown organisation":
            data["orgs"][next(iter(data["orgs"]))] = "party"
        else:
            del data["texts"]
        forged = json.dumps(data, ensure_ascii=False)
        digest = packcache.hashlib.sha256(forged.encode()).hexdigest()
        text = json.dumps({**header, "digest": digest}) + "\n" + forged
    entry.write_text(text, encoding="utf-8")

    _, again = _read(pack_folder, form)
    assert _answers(again) == _answers(cold)
    assert entry.read_text(encoding="utf-8").split("\n", 1)[1] == payload  # rewritten


def test_a_pack_not_from_the_cache_keeps_nothing(tables: Path, tmp_path: Path) -> None:
    pack = dataclasses.replace(load_pack(None), cache_key="")
    form = _form(pack, tmp_path / "自评.xlsx")
    _forget()
    assessment = read_assessment(form, pack)
    assert sum(a.value is not None for a in assessment.answers.values()) > 50
    assert not _of_packs(tables)


def _labelled(tables: Path, label: str) -> Path:
    (entry,) = [
        e
        for e in tables.glob("*.json")
        if json.loads(e.read_text(encoding="utf-8").split("\n", 1)[0])["pack"] == label
    ]
    return entry


@pytest.mark.parametrize(
    ("label", "forge"),
    [
        ("OpenCC t2s", lambda data: {**data, "chars": 7}),
        ("OpenCC t2s", lambda data: {**data, "phrases": {"覆覆": ["反覆"]}}),
        ("header synonyms", lambda data: [[1, "id"], *data]),
        ("header synonyms", lambda data: {"no": "id"}),
    ],
)
def test_the_codes_own_tables_are_kept_and_a_forged_one_rebuilt(
    tables: Path, label: str, forge: Any
) -> None:
    def fresh() -> tuple[object, object]:
        textnorm._changes.cache_clear()
        textnorm._touched.cache_clear()
        headers._synonym_keys.cache_clear()
        headers._synonym_index.cache_clear()
        headers.header_role.cache_clear()
        return textnorm._changes(), headers._synonym_keys()

    built = fresh()
    entry = _labelled(tables, label)
    head, payload = entry.read_text(encoding="utf-8").split("\n", 1)
    assert fresh() == built  # read back, the same
    forged = json.dumps(forge(json.loads(payload)), ensure_ascii=False)
    digest = packcache.hashlib.sha256(forged.encode()).hexdigest()
    entry.write_text(
        json.dumps({**json.loads(head), "digest": digest}) + "\n" + forged, encoding="utf-8"
    )
    assert fresh() == built
    assert entry.read_text(encoding="utf-8").split("\n", 1)[1] == payload  # rewritten
    assert textnorm.to_simplified("組織會議") == "组织会议"
    assert headers.header_role("指标编号") == ("id", 2)
