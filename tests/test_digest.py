"""checklist.digest's SHA-256 is hashlib's, digest for digest."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from checklist.digest import sha256


@given(st.lists(st.binary(max_size=300), max_size=5))
def test_the_same_digest_as_hashlib(parts: list[bytes]) -> None:
    ours, theirs = sha256(), hashlib.sha256()
    for part in parts:
        ours.update(part)
        theirs.update(part)
    assert ours.hexdigest() == theirs.hexdigest()
    assert sha256(b"".join(parts)).hexdigest() == theirs.hexdigest()
