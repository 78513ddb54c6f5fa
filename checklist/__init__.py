"""checklist: score grassroots 群团 self-assessments against rule packs."""

__version__ = "0.1.0"
