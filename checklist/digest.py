"""SHA-256 from CPython's own implementation, without loading OpenSSL.

``hashlib`` loads OpenSSL's library when it is first imported, about 2 ms of
every ``checklist`` start, a fiftieth of one ``score`` run. The digests taken
on that path (pack and table cache keys, a form's record id) are of a few
hundred kilobytes at most, where CPython's built-in SHA-256 is as quick. A
Python built without it falls back to ``hashlib``; both give the same digest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hashlib import sha256
else:
    try:
        from _sha2 import sha256  # Python 3.12 and later
    except ImportError:
        try:
            from _sha256 import sha256  # Python 3.11
        except ImportError:  # a Python built with OpenSSL's SHA-256 only
            from hashlib import sha256

__all__ = ["sha256"]
