"""The one exception type users ever see.

Every failure caused by the user's input (a broken rule pack, an unreadable
workbook, an output path that cannot be written) is raised as
:class:`ChecklistError`. It carries its message in both languages so that code
deep in the library does not need to know which language the CLI speaks; the
CLI prints one line in the chosen language and exits 2.
"""

from __future__ import annotations

from checklist.codes import ErrorCode
from checklist.text import Text, printable


class ChecklistError(Exception):
    """A problem the user can fix, with a one-line message in zh and en."""

    def __init__(
        self, message: Text, *, details: tuple[Text, ...] = (), code: ErrorCode | None = None
    ) -> None:
        super().__init__(message.en)
        self.message = message
        """What went wrong, where, and what to do."""
        self.code = code
        """Stable kind of failure for programs such as batch (``docs/error-codes.md``);
        None where no program needs to tell it apart (a rule pack that does not validate)."""
        self.details = details
        """Further lines (e.g. every problem in a rule pack), printed after the message."""

    def render(self, lang: str) -> str:
        """The message and its details in ``lang``, one problem per line, safe to print.

        File names and unit text inside come out with control characters
        escaped, so they cannot act on the terminal.
        """
        lines = [printable(self.message.get(lang))]
        lines.extend(f"  - {printable(detail.get(lang))}" for detail in self.details)
        return "\n".join(lines)
