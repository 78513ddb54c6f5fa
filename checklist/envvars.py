"""Environment variables checklist reads, named where a command can check them cheaply.

A command that only asks whether one is set imports this, not the module that
acts on it (``checklist.history`` and what it imports cost a start-up).
"""

from __future__ import annotations

DB_ENV_VAR = "CHECKLIST_DB"
"""Environment variable naming the history database."""
