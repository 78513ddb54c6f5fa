"""Pack texts for the year-over-year workbooks, with ids where the pack lacks them.

The comparison and the trend show results that may come from a pack that
cannot be loaded (or no longer has a rule), so every title falls back to its id.
"""

from __future__ import annotations

from checklist.display import STATUS_TEXT
from checklist.model import RulePack, Status


class Labels:
    """Pack texts, falling back to ids when the pack lacks them (or there is no pack)."""

    def __init__(self, pack: RulePack | None, lang: str) -> None:
        self.pack = pack
        """The pack supplying texts, if any."""
        self.lang = lang
        """Language of the texts."""

    def grade(self, grade_id: str) -> str:
        """Grade title."""
        return self.pack.title_of(grade_id).get(self.lang) if self.pack is not None else grade_id

    def area(self, area_id: str) -> str:
        """Area title."""
        return self.pack.title_of(area_id).get(self.lang) if self.pack is not None else area_id

    def indicator(self, rule_id: str) -> str:
        """The rule's question, or '' when the pack does not have the rule."""
        if self.pack is not None and rule_id in self.pack.rules_by_id:
            return self.pack.rule(rule_id).indicator.get(self.lang)
        return ""

    def recommendation(self, rule_id: str) -> str:
        """What to do about a gap on the rule, or ''."""
        if self.pack is not None and rule_id in self.pack.rules_by_id:
            return self.pack.rule(rule_id).recommendation.get(self.lang)
        return ""

    def unit_type(self, type_id: str | None) -> str:
        """Unit type title."""
        if not type_id:
            return ""
        if self.pack is not None:
            known = self.pack.unit_type(type_id)
            if known is not None:
                return known.title.get(self.lang)
        return type_id

    def status(self, status: Status | None) -> str:
        """Status word, or '-' when that side lacks the rule."""
        return STATUS_TEXT[status].get(self.lang) if status is not None else "-"
