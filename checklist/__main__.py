"""Allow ``python -m checklist``."""

from checklist.cli import run

run()
