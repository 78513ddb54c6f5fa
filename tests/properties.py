"""How hard the property-based tests search.

`make test` runs every property test at full strength; `make test-fast` sets
``CHECKLIST_FAST_TESTS=1`` and each searches a tenth as many examples, so a
quick run still exercises every property.
"""

from __future__ import annotations

import os


def examples(full: int) -> int:
    """Examples a property test tries: ``full``, or a tenth of it (at least 20) in a fast run."""
    if os.environ.get("CHECKLIST_FAST_TESTS"):
        return max(20, full // 10)
    return full
