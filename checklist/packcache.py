"""Validated rule packs kept as JSON in the user's cache folder, keyed by their content.

Parsing a pack's YAML and validating it costs more than all the rest of one
``checklist score`` run. Once a pack has validated, the resulting
:class:`~checklist.model.RulePack` is written to
``<user cache folder>/checklist/packs/<key>.json``, where the key is a hash of
every pack file's name and bytes and of the code that validates and models a
pack. A pack whose files changed in any way has another key, so it is
validated afresh; a pack that does not validate is never stored, so every
problem is reported each time.

The cache folder is treated as untrusted input: an entry is used only when it
names the key it was looked up by and its payload matches the digest stored
with it, and it is read with :mod:`json` into the model's types field by
field. Anything else (truncated, edited, written by another version) is
ignored and rewritten. Pack folders themselves are never written to: they are
shared, sent to units and shipped in the wheel.

Tables other stages derive from a cached pack (intake's normalised wordings)
are kept the same way under ``<cache folder>/tables``: their key is the
pack's key, the table's name and the bytes of the modules that build them
(:func:`tables_key`), and their owner reads them back into its own types,
treating anything unexpected as absent. Tables built from the code alone or a
library's data (header words, what OpenCC's tables change) are kept alike
(:func:`code_tables_key`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sys
from collections.abc import Sequence
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

from checklist import __version__, model
from checklist.model import RulePack
from checklist.text import Text

FORMAT = 2
"""Bumped when the layout of a cache entry changes."""

KEEP = 64
"""Entries kept; the least recently written beyond this are deleted on each write."""

# The code that decides what a pack file means: a change to any of it makes
# every entry stale even when the version number was not bumped.
_CODE = ("model.py", "rulepack.py", "overlay.py", "schema.py", "text.py", "packcache.py")


def cache_folder() -> Path:
    """Where checklist keeps its cache: the platform's per-user cache folder."""
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
        return base / "checklist" / "Cache"
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "checklist"
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    # The XDG spec says a relative path is invalid and must be ignored.
    base = Path(xdg) if os.path.isabs(xdg) else home / ".cache"
    return base / "checklist"


def pack_key(files: Sequence[tuple[str, bytes]]) -> str:
    """The key of a pack made of ``files`` (name, bytes), under the running code."""
    digest = hashlib.sha256()
    _hash_code(digest, _CODE)
    for name, data in files:
        digest.update(f"\n{len(name.encode())}:{name}\n{len(data)}\n".encode())
        digest.update(data)
    return digest.hexdigest()


def _hash_code(digest: Any, code: Sequence[str]) -> None:
    """Add the running version and the bytes of the package modules ``code`` to ``digest``."""
    digest.update(f"checklist {__version__} format {FORMAT}\n".encode())
    here = Path(__file__).resolve().parent
    for name in code:
        try:
            digest.update((here / name).read_bytes())
        except OSError:
            digest.update(b"?")


def _entry(key: str, kind: str = "packs") -> Path:
    return cache_folder() / kind / f"{key}.json"


def load(key: str, folder: str) -> RulePack | None:
    """The pack stored under ``key`` (its path set to ``folder``), or None when absent or bad."""
    payload = _read(_entry(key), key)
    if payload is None:
        return None
    try:
        pack = json.loads(payload, object_hook=_decode_object)
    except (ValueError, TypeError, KeyError, RecursionError):
        return None
    if not isinstance(pack, RulePack):
        return None
    return dataclasses.replace(pack, path=folder, cache_key=key)


def store(key: str, pack: RulePack) -> None:
    """Keep ``pack`` under ``key``; silently nothing when the cache folder is not writable."""
    try:
        payload = json.dumps(
            _encode(dataclasses.replace(pack, path="", cache_key="")), ensure_ascii=False
        )
    except TypeError:
        return  # a value JSON cannot hold: load from YAML every time instead
    _write(_entry(key), key, payload, f"{pack.id} {pack.version}")


def tables_key(pack: RulePack, name: str, code: Sequence[str], *parts: str) -> str | None:
    """The key of the tables ``name`` derived from ``pack`` by the package modules ``code``
    (paths inside ``checklist``) and whatever else ``parts`` name; None for a pack that did
    not pass through the cache, whose tables are then built afresh."""
    if not pack.cache_key:
        return None
    return code_tables_key(name, code, pack.cache_key, *parts)


def code_tables_key(name: str, code: Sequence[str], *parts: str) -> str:
    """The key of the tables ``name`` built by the package modules ``code`` from what ``parts``
    name (a pack's key, the size and time of a library's data files)."""
    digest = hashlib.sha256(f"{name}\n".encode())
    _hash_code(digest, code)
    for part in parts:
        digest.update(f"\n{len(part)}:{part}".encode())
    return digest.hexdigest()


def load_tables(key: str) -> Any:
    """The JSON value stored under tables ``key``, or None when absent or bad.

    The caller rebuilds its own types from it and treats any surprise in its
    shape (KeyError, TypeError, ValueError) as a missing entry.
    """
    payload = _read(_entry(key, "tables"), key)
    if payload is None:
        return None
    try:
        return json.loads(payload)
    except (ValueError, RecursionError):
        return None


def store_tables(key: str, data: Any, label: str) -> None:
    """Keep the JSON value ``data`` under tables ``key``; silently nothing when not writable."""
    try:
        payload = json.dumps(data, ensure_ascii=False)
    except (TypeError, ValueError):
        return
    _write(_entry(key, "tables"), key, payload, label)


def _read(path: Path, key: str) -> str | None:
    """The payload of the entry at ``path`` when it names ``key`` and matches its digest."""
    try:
        text = path.read_text(encoding="utf-8")
        head, _, payload = text.partition("\n")
        header = json.loads(head)
        if (
            not isinstance(header, dict)
            or header.get("format") != FORMAT
            or header.get("key") != key
            or header.get("digest") != hashlib.sha256(payload.encode()).hexdigest()
        ):
            return None
    except (OSError, UnicodeError, ValueError, RecursionError):
        return None
    return payload


def _write(target: Path, key: str, payload: str, label: str) -> None:
    import tempfile  # only a run that builds an entry writes one (1.6 ms of start-up)

    header = {
        "format": FORMAT,
        "key": key,
        "digest": hashlib.sha256(payload.encode()).hexdigest(),
        "pack": label,
    }
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(json.dumps(header) + "\n" + payload)
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        _prune(target.parent)
    except OSError:
        return


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        old.unlink(missing_ok=True)


# --- the model as JSON ---------------------------------------------------------------
#
# A dataclass is written as {"$": class name, field: value, ...} (fields at their
# default left out), an enum member
# as {"$enum": enum name, "value": value}, a tuple as a list. Only classes of
# checklist.model (and Text) can be named, so an entry can build nothing else.


def _encode(value: object) -> Any:
    if isinstance(value, Enum):
        return {"$enum": type(value).__name__, "value": value.value}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {"$": type(value).__name__}
        for f in dataclasses.fields(value):
            field_value = getattr(value, f.name)
            # A field at its default is left out (a third of them): less to read back.
            if f.init and not (type(field_value) is type(f.default) and field_value == f.default):
                data[f.name] = _encode(field_value)
        return data
    if isinstance(value, tuple):
        return [_encode(item) for item in value]
    if value is None or isinstance(value, str | int | float):
        return value
    raise TypeError(f"cannot cache {type(value).__name__}")


@cache
def _types() -> tuple[dict[str, type], dict[str, type[Enum]]]:
    """The classes an entry may build (checklist.model's dataclasses and Text) and the
    enums it may name, by name."""
    named = {name: kind for name, kind in vars(model).items() if isinstance(kind, type)}
    ours = {
        name: kind
        for name, kind in {**named, "Text": Text}.items()
        if kind.__module__ in (model.__name__, Text.__module__)
    }
    return (
        {name: kind for name, kind in ours.items() if dataclasses.is_dataclass(kind)},
        {name: kind for name, kind in ours.items() if issubclass(kind, Enum)},
    )


def _decode_object(data: dict[str, Any]) -> Any:
    """One JSON object as it is parsed (innermost first): a model object or an enum member.

    A name outside :func:`_types` raises KeyError, a stray key TypeError: either
    makes the entry unusable.
    """
    for name, value in data.items():
        if type(value) is list:
            data[name] = _tuple(value)
    classes, enums = _types()
    kind = data.pop("$", None)
    if kind is not None:
        return classes[kind](**data)
    enum = enums[data["$enum"]]
    if len(data) != 2:
        raise TypeError(data["$enum"])
    return enum(data["value"])


def _tuple(items: list[Any]) -> tuple[Any, ...]:
    return tuple(_tuple(item) if type(item) is list else item for item in items)
