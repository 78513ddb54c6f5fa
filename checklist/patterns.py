"""Regular expressions compiled the first time they are used, not when their module is imported.

Compiling a pattern costs from a tenth of a millisecond to several; the
package holds well over a hundred module-level patterns, and one ``checklist
score`` run uses a fraction of them (a form of numbers never needs the date
patterns). :func:`lazy_compile` returns a stand-in used exactly like the
compiled pattern (``.search``, ``.sub``, ``.pattern`` …) that compiles on first
use and then keeps the compiled pattern's own methods, so that every later
call costs what a call on the compiled pattern costs.

The stand-in is not an instance of ``re.Pattern``: hand ``re`` functions the
pattern's own methods (``PATTERN.sub(...)``), not the stand-in.
"""

from __future__ import annotations

import re
from typing import Any, AnyStr, cast

_KEPT = (
    "search",
    "match",
    "fullmatch",
    "findall",
    "finditer",
    "split",
    "sub",
    "subn",
    "pattern",
    "flags",
    "groups",
    "groupindex",
)
"""What the stand-in takes over from the compiled pattern on first use."""


class LazyPattern:
    """``re.compile(pattern, flags)``, done on first use."""

    def __init__(self, pattern: Any, flags: int) -> None:
        self._source: tuple[Any, int] = (pattern, flags)
        # Known without compiling: patterns built from others read it at import.
        self.pattern = pattern

    def __getattr__(self, name: str) -> Any:
        # Called only for what the instance does not hold yet: the first use.
        if name not in _KEPT:
            raise AttributeError(name)
        compiled = re.compile(*self._source)
        for kept in _KEPT:
            setattr(self, kept, getattr(compiled, kept))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        pattern, flags = self._source
        return f"lazy_compile({pattern!r}, {flags!r})"


def lazy_compile(pattern: AnyStr, flags: int | re.RegexFlag = 0) -> re.Pattern[AnyStr]:
    """A pattern compiled on first use (see the module docs); same arguments as ``re.compile``."""
    return cast("re.Pattern[AnyStr]", LazyPattern(pattern, int(flags)))
