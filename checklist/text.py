"""Bilingual text: every user-facing string exists in simplified Chinese and English."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Lang(StrEnum):
    """Languages of user-facing output."""

    zh = "zh"
    en = "en"


@dataclass(frozen=True, slots=True)
class Text:
    """One piece of user-facing text in both languages."""

    zh: str
    """Simplified Chinese (the default language)."""
    en: str
    """English (``--lang en``)."""

    def get(self, lang: str) -> str:
        """The text in ``lang`` (``zh`` or ``en``)."""
        return self.en if lang == Lang.en else self.zh

    def as_dict(self) -> dict[str, str]:
        """The JSON form ``{"zh": …, "en": …}``."""
        return {"zh": self.zh, "en": self.en}

    def format(self, **params: object) -> Text:
        """Both languages with ``str.format`` placeholders filled in."""
        return Text(self.zh.format(**params), self.en.format(**params))
