"""CLI commands, one module per command group; :mod:`checklist.cli` registers them.

Modules here import only typer, the standard library and
:mod:`checklist.commands.options` at import time; everything heavy is imported
inside the command functions so that ``checklist --help`` stays fast.
"""
