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

FORMAT = 1
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
    digest = hashlib.sha256(f"checklist {__version__} format {FORMAT}\n".encode())
    here = Path(__file__).resolve().parent
    for name in _CODE:
        try:
            digest.update((here / name).read_bytes())
        except OSError:
            digest.update(b"?")
    for name, data in files:
        digest.update(f"\n{len(name.encode())}:{name}\n{len(data)}\n".encode())
        digest.update(data)
    return digest.hexdigest()


def _entry(key: str) -> Path:
    return cache_folder() / "packs" / f"{key}.json"


def load(key: str, folder: str) -> RulePack | None:
    """The pack stored under ``key`` (its path set to ``folder``), or None when absent or bad."""
    try:
        text = _entry(key).read_text(encoding="utf-8")
        head, _, payload = text.partition("\n")
        header = json.loads(head)
        if (
            header.get("format") != FORMAT
            or header.get("key") != key
            or header.get("digest") != hashlib.sha256(payload.encode()).hexdigest()
        ):
            return None
        pack = json.loads(payload, object_hook=_decode_object)
        if not isinstance(pack, RulePack):
            return None
    except (OSError, UnicodeError, ValueError, TypeError, KeyError, RecursionError):
        return None
    return dataclasses.replace(pack, path=folder)


def store(key: str, pack: RulePack) -> None:
    """Keep ``pack`` under ``key``; silently nothing when the cache folder is not writable."""
    try:
        payload = json.dumps(_encode(dataclasses.replace(pack, path="")), ensure_ascii=False)
    except TypeError:
        return  # a value JSON cannot hold: load from YAML every time instead
    header = {
        "format": FORMAT,
        "key": key,
        "digest": hashlib.sha256(payload.encode()).hexdigest(),
        "pack": f"{pack.id} {pack.version}",
    }
    import tempfile  # only a run that validated a pack writes one (1.6 ms of start-up)

    target = _entry(key)
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
# A dataclass is written as {"$": class name, field: value, ...}, an enum member
# as {"$enum": enum name, "value": value}, a tuple as a list. Only classes of
# checklist.model (and Text) can be named, so an entry can build nothing else.


def _encode(value: object) -> Any:
    if isinstance(value, Enum):
        return {"$enum": type(value).__name__, "value": value.value}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {"$": type(value).__name__}
        for f in dataclasses.fields(value):
            if f.init:
                data[f.name] = _encode(getattr(value, f.name))
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
