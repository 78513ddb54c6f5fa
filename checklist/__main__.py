"""Allow ``python -m checklist``."""

from checklist.cli import main

main()
