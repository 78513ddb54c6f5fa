"""Build small rule packs in a temporary folder from Python data (test helper)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

BASE_PACK: dict[str, Any] = {
    "id": "mini",
    "version": "1.0",
    "title": {"zh": "测试规则包", "en": "Test pack"},
    "veto_cap": "pass",
    "bonus_cap": 5,
    "unit_types": [
        {"id": "village", "title": {"zh": "村", "en": "Village"}, "synonyms": ["村", "村委会"]},
        {"id": "community", "title": {"zh": "社区", "en": "Community"}, "synonyms": ["社区"]},
        {"id": "enterprise", "title": {"zh": "非公企业", "en": "Enterprise"}, "synonyms": ["公司"]},
    ],
    "areas": [
        {"id": "lead", "title": {"zh": "领导重视", "en": "Leadership"}},
        {"id": "cover", "title": {"zh": "组织覆盖", "en": "Coverage"}},
    ],
    "grades": [
        {"id": "excellent", "min": 90, "title": {"zh": "优秀", "en": "Excellent"}},
        {"id": "good", "min": 80, "title": {"zh": "良好", "en": "Good"}},
        {"id": "pass", "min": 60, "title": {"zh": "合格", "en": "Pass"}},
        {"id": "fail", "min": 0, "title": {"zh": "不合格", "en": "Fail"}},
    ],
}


def full_rule(snippet: dict[str, Any]) -> dict[str, Any]:
    """A complete rule from a snippet: texts, area, org and severity filled in."""
    rule_id = snippet["id"]
    rule: dict[str, Any] = {
        "id": rule_id,
        "area": "lead",
        "org": "all",
        "indicator": {"zh": f"指标{rule_id}", "en": f"Indicator {rule_id}"},
        "answer": {"type": "yesno"},
        "points": 2,
        "severity": "major",
        "finding": {"zh": f"问题{rule_id}", "en": f"Finding {rule_id}"},
        "recommendation": {"zh": f"建议{rule_id}", "en": f"Recommendation {rule_id}"},
        "source": "test",
    }
    rule.update(copy.deepcopy(snippet))
    return rule


def write_pack(
    folder: Path,
    rules: list[dict[str, Any]],
    checks: list[dict[str, Any]] | None = None,
    pack: dict[str, Any] | None = None,
    complete: bool = True,
) -> Path:
    """Write a pack folder (pack.yaml, rules.yaml, checks.yaml) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    data = copy.deepcopy(BASE_PACK)
    data.update(pack or {})
    dump = {"allow_unicode": True, "sort_keys": False}
    (folder / "pack.yaml").write_text(yaml.safe_dump(data, **dump), encoding="utf-8")
    body = [full_rule(r) for r in rules] if complete else rules
    (folder / "rules.yaml").write_text(yaml.safe_dump(body, **dump), encoding="utf-8")
    if checks:
        (folder / "checks.yaml").write_text(yaml.safe_dump(checks, **dump), encoding="utf-8")
    return folder
