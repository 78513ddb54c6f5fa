"""The rich console every command prints through, safe for text a unit typed.

Every ``str`` rich prints — ``console.print`` of a string, table cells, column
heads, titles — becomes rich text through :meth:`Console.render_str`, so
cleaning there covers them all: control and bidi characters come out as
visible escapes (:func:`checklist.text.printable`) instead of acting on the
terminal. Markup is parsed after cleaning; it never contains such characters.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text as RichText

from checklist.text import printable


class SafeConsole(Console):
    """A rich console that never lets text move the cursor, colour the screen or reorder lines."""

    def render_str(self, text: str, **kwargs: Any) -> RichText:
        """Clean ``text`` (see :func:`checklist.text.printable`), then render it as rich does."""
        return super().render_str(printable(text), **kwargs)


def safe_console() -> SafeConsole:
    """The console for terminal output: no highlighting guesses, long lines left to the table."""
    return SafeConsole(highlight=False, soft_wrap=False)
