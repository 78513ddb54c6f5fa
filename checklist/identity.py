"""Unit identity: which names, towns and unit records are one unit. Pure; no I/O.

Identity is a normalised name key (:func:`unit_key`) plus the unit type and
town when both sides know them, so ``东林村`` and ``城厢镇东林村村委会`` are one
unit while ``东林村`` and ``西林村`` are not. Comparing two years
(:mod:`checklist.compare`) and finding a unit's saved years
(:mod:`checklist.history`) both go by these rules.
"""

from __future__ import annotations

import re
import unicodedata

from checklist.codes import ErrorCode
from checklist.errors import ChecklistError
from checklist.model import UnitInfo
from checklist.patterns import lazy_compile
from checklist.text import Text
from checklist.textnorm import to_simplified

# Bodies that run a unit's 群团 work; the unit is the village or community
# itself, so "东林村村委会", "东林村党支部" and "东林村" name one unit. A
# village committee suffix implies the name ends in 村 (东林村委会 → 东林村).
_BODY_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("社区居民委员会", "社区"),
    ("社区居委会", "社区"),
    ("居民委员会", "社区"),
    ("居委会", "社区"),
    ("村民委员会", "村"),
    ("村委会", "村"),
    ("工会委员会", ""),
    ("工会联合会", ""),
    ("妇女联合会", ""),
    ("委员会", ""),
    ("党总支部", ""),
    ("党总支", ""),
    ("党支部", ""),
    ("党委", ""),
    ("工会", ""),
    ("联合工会", ""),
    ("团支部", ""),
    ("团委", ""),
    ("妇联", ""),
    ("股份有限公司", "公司"),
    ("有限责任公司", "公司"),
    ("有限公司", "公司"),
)
# Administrative divisions written before the unit (江苏省太仓市城厢镇…).
# At least two characters before the marker: 城市花园社区 and 北区第一小学 are names.
_PREFIX = lazy_compile(r"^(.{2,7}?(?:自治区|自治州|街道|开发区|高新区|省|市|县|区|镇|乡))(.+)$")
_BRACKETED = lazy_compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕")
_TYPE_WORDS = frozenset({"村", "社区", "公司", "企业", "厂", "学校"})
_TOWN_SUFFIX = lazy_compile(r"(?:街道|镇|乡)$")
_TOWN_OFFICE = lazy_compile(r"(?:街道办事处|办事处|人民政府|政府)$")
_COUNTY_LEVEL = lazy_compile(r"(?:市|县|区)$")


def _plain(text: str) -> str:
    """NFKC, simplified, without bracketed remarks, spaces, punctuation or symbols."""
    value = to_simplified(unicodedata.normalize("NFKC", text))
    stripped = _BRACKETED.sub("", value)
    if any(ch.isalnum() for ch in stripped):
        value = stripped
    return "".join(ch for ch in value if ch.isalnum()).lower()


def _strip_bodies(key: str) -> str:
    changed = True
    while changed:
        changed = False
        for suffix, implied in _BODY_SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                rest = key[: -len(suffix)]
                if implied and not rest.endswith(implied):
                    rest += implied
                if rest in _TYPE_WORDS:
                    continue
                key, changed = rest, True
                break
    return key


def _split_prefixes(key: str) -> tuple[str, str]:
    """(divisions written before the unit, the rest)."""
    prefix = ""
    while True:
        match = _PREFIX.match(key)
        if match is None:
            return prefix, key
        rest = match.group(2)
        # A remainder that is only a type word means the "division" was the
        # unit's own name (集市村 is not 集市 + 村).
        if len(rest) < 2 or rest in _TYPE_WORDS:
            return prefix, key
        prefix += match.group(1)
        key = rest


def unit_key(name: str) -> str:
    """A stable key for a unit name: ``城厢镇东林村村委会`` and ``東林村`` → ``东林村``.

    NFKC, traditional → simplified, bracketed remarks (盖章) and spaces and
    punctuation dropped, then administrative divisions in front (省/市/县/区/
    镇/乡/街道) and the body running the work at the end (村委会, 居委会,
    党支部, 有限公司 → 公司 …) removed.
    """
    key = _plain(name)
    key = _strip_bodies(key)
    key = _split_prefixes(key)[1]
    return _strip_bodies(key)


def town_key(town: str) -> str:
    """A key for a town or street: ``城厢镇``, ``城厢`` and ``城厢镇人民政府`` → ``城厢``.

    A county-level place (太仓市) is no town: it gives '' (unknown), so it
    neither matches nor rules out any town.
    """
    key = _TOWN_OFFICE.sub("", _plain(town)) or _plain(town)
    if _COUNTY_LEVEL.search(key) and not key.endswith("街道"):
        return ""
    key = _split_prefixes(key)[1] if len(key) > 3 else key
    stripped = _TOWN_SUFFIX.sub("", key)
    return stripped or key


def town_hint(name: str) -> str:
    """The town written in front of a unit name (``城厢镇东林村`` → ``城厢``), or ''."""
    prefix = _split_prefixes(_strip_bodies(_plain(name)))[0]
    parts = re.findall(r".+?(?:街道|镇|乡)", prefix)
    return town_key(parts[-1]) if parts else ""


def same_name(a: str, b: str) -> bool:
    """Whether two unit names name the same unit (see :func:`same_key`)."""
    return same_key(unit_key(a), unit_key(b))


def same_key(key_a: str, key_b: str) -> bool:
    """Whether two :func:`unit_key` keys are one unit: equal, or a place name apart.

    No fuzzy matching: 华东精密 and 华西精密, or 一分公司 and 二分公司, differ by one
    character and are different units. Merging two units would put one's years
    under the other (and --replace could overwrite them); a split is harmless.
    """
    if not key_a or not key_b:
        return False
    if key_a == key_b:
        return True
    short, long = sorted((key_a, key_b), key=len)
    # A place name written without 市/县 in front (太仓华东精密机械公司 vs
    # 华东精密机械公司). Short names are left out: there a prefix is what tells
    # two units apart (浏河第一中学, 沙溪第一中学).
    return len(short) >= 5 and long.endswith(short) and len(long) - len(short) <= 4


def unit_town(unit: UnitInfo) -> str:
    """The town key of ``unit``: from its town field, else from a town written in its name."""
    return town_key(unit.town) if unit.town.strip() else town_hint(unit.name)


def compatible(a: UnitInfo, b: UnitInfo) -> bool:
    """Whether nothing known rules out one unit: types equal and towns equal, where both are known."""
    if a.type and b.type and a.type != b.type:
        return False
    town_a, town_b = unit_town(a), unit_town(b)
    return not (town_a and town_b and town_a != town_b)


def same_unit(a: UnitInfo, b: UnitInfo) -> bool:
    """Whether ``a`` and ``b`` are one unit: same name key (or fuzzy-close), same type and town when known."""
    return compatible(a, b) and same_name(a.name, b.name)


def _describe(unit: UnitInfo) -> str:
    # The type is an id of the pack (village, community): no word for people, so
    # a difference in type is said separately, in words (see check_same_unit).
    parts = [unit.name or "?"]
    if unit.town:
        parts.append(unit.town)
    if unit.year is not None:
        parts.append(str(unit.year))
    return " / ".join(parts)


def check_same_unit(old: UnitInfo, new: UnitInfo) -> None:
    """Raise a ChecklistError naming both units when they are not the same unit."""
    if same_unit(old, new):
        return
    types_differ = bool(old.type and new.type and old.type != new.type)
    raise ChecklistError(
        Text(
            f"两份自评不是同一单位：“{_describe(old)}”与“{_describe(new)}”"
            f"{'（单位类型也不同）' if types_differ else ''}。"
            "如确为同一单位（例如已更名），请加 --force。",
            f"The two assessments are of different units: '{_describe(old)}' and "
            f"'{_describe(new)}'{' (of different unit types)' if types_differ else ''}. "
            "If they really are the same unit (renamed, say), add --force.",
        ),
        code=ErrorCode.different_unit,
    )


def abbreviates(short: str, name: str) -> bool:
    """Whether ``short`` may be a short form of the unit name ``name``.

    Its characters (after the same normalising as :func:`unit_key`, so
    traditional script counts) appear in order in the name: 华东精密 and
    太仓市华东精密机械有限公司, 沙溪一中 and 沙溪镇第一中学, 港城物流 and
    港城物流股份有限公司. Loose on purpose: it only serves to find a saved unit
    from what someone typed, and several fits are listed, never guessed.
    """
    typed, full = _plain(short), _plain(name)
    if len(typed) < 2 or len(typed) > len(full):
        return False
    rest = iter(full)
    return all(ch in rest for ch in typed)
