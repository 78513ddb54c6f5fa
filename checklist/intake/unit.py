"""Finding who the form is about: unit name, type, town, year, who filled it in.

Units put this information anywhere: a label with the value to its right or
below, both in one cell (单位名称：东林村), a stamped title line
(单位：东林村（盖章）), or only in the file name (东林村2024.xlsx).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import PurePath

from checklist.codes import NoteCode
from checklist.layout import UNIT_FIELDS
from checklist.model import IntakeNote, NoteLevel, RulePack
from checklist.patterns import lazy_compile
from checklist.records import record
from checklist.text import Text
from checklist.textnorm import clean, match_key, to_simplified
from checklist.workbook import Sheet, cell_ref

LABELS: dict[str, tuple[str, ...]] = {
    "name": (
        "单位名称",
        "单位",
        "填报单位",
        "填表单位",
        "报送单位",
        "参评单位",
        "自评单位",
        "被考核单位",
        "单位全称",
        "申报单位",
        "考核对象",
        "被考核对象",
        "评定对象",
        "团支部名称",
        "支部名称",
        "村社区",
        "名称",
        "村社区名称",
        "村名称",
        "村名",
        "社区名称",
        "企业名称",
        "学校名称",
        "单位名称盖章",
        "工会名称",
        "基层工会名称",
        "团组织名称",
        "妇联名称",
        "组织名称",
        "unit name",
        "name of unit",
        "organisation name",
        "organization name",
        "unit",
        "organisation",
        "organization",
    ),
    "type": ("单位类型", "单位性质", "类型", "组织类型", "单位类别", "unit type", "type"),
    "town": (
        "所属镇街道",
        "所属镇",
        "所属街道",
        "所属乡镇",
        "镇街道",
        "乡镇街道",
        "镇街",
        "乡镇",
        "town",
        "town street",
        "township",
    ),
    "year": (
        "年度",
        "考核年度",
        "自评年度",
        "评估年度",
        "年份",
        "填报年度",
        "year",
        "assessment year",
        "reporting year",
    ),
    "filled_by": ("填报人", "填表人", "联系人", "经办人", "filled in by", "contact"),
    "phone": ("联系电话", "电话", "手机", "联系方式", "phone", "telephone", "tel"),
}

_STAMP = lazy_compile(r"[（(]?\s*(?:盖章|签章|公章|签字|盖 章)\s*[)）]?")
_COLON = lazy_compile(r"\s*[:：]")
_CJK_LABEL = lazy_compile(r"[^\s:：,，;；]{1,12}$")
_LATIN_LABEL = lazy_compile(r"[A-Za-z][A-Za-z '/-]{0,30}$")
_YEAR_IN_TEXT = lazy_compile(r"(19[9]\d|20\d\d)\s*年(?!\s*\d{1,2}\s*月)")
_DATE_YEAR = lazy_compile(r"(19[9]\d|20\d\d)\s*(?:年\s*\d{1,2}\s*月|[./-]\d{1,2}[./-]\d{1,2})")
# What is left of a title such as 东林村2024年度群团工作自评表 once its form words go.
_TITLE_NOISE = lazy_compile(
    r"(?:19[9]\d|20\d\d)\s*年?度?|年度|基层|群团组织建设|群团工作|群团|组织建设|工作|"
    r"(?:自评|自查|考核|考评|评分|验收|目标管理|考核细则|细则|情况)+(?:表|材料|报告)?|[（(【\[]?附件\d*[）)】\]]?"
    r"|[\s\d.、:：_\-—()（）]+"
)
# Bodies a unit's name is often followed by (…学校工会, 共青团…村支部委员会):
# the unit type is read from what comes before them.
_ORG_SUFFIX = lazy_compile(
    r"(?:总工会|工会联合会|联合工会|工会委员会|工会|团支部委员会|支部委员会|团总支|团支部|团委|妇女联合会|妇联"
    r"|党总支|党支部|党委|委员会)$"
)
_ORG_PREFIX = lazy_compile(r"^(?:共青团|中共)")
_YEAR_IN_NAME = lazy_compile(r"(?<!\d)(19[9]\d|20\d\d)(?!\d)")
_FILE_NOISE = lazy_compile(
    r"(?:19[9]\d|20\d\d)\s*年?度?|年度|自评表|自评|自查表|自查|考核表|考核|群团工作|群团|工作|报送|终稿|最终版|定稿|修改|副本|"
    r"附件|新建|工作簿|工作表|microsoft|excel|book|表格|copy|final|v\d+|[_\-—()（）\s\d.]+",
    re.IGNORECASE,
)


@cache
def _label_keys() -> tuple[tuple[str, str], ...]:
    keys = {(match_key(label), field) for field, labels in LABELS.items() for label in labels}
    for field, text in UNIT_FIELDS:
        keys.add((match_key(text.zh), field))
        keys.add((match_key(text.en), field))
    return tuple(sorted(keys, key=lambda kf: -len(kf[0])))


def label_field(text: object) -> str | None:
    """The unit field a label cell names (exact after normalisation), or None."""
    if not isinstance(text, str):
        return None
    key = match_key(_STAMP.sub("", text))  # 填报单位（盖章）
    if not key or len(key) > 10:
        return None
    for label, field in _label_keys():
        if key == label:
            return field
    return None


# A stamped unit line ends with the date it was signed: 单位：…工会（盖章）　2024年12月30日.
_SIGNED_ON = lazy_compile(
    r"\s+(?:19|20)\d\d\s*(?:年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|[./-]\d{1,2}[./-]\d{1,2})$"
)


def _value_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value == int(value):
        value = int(value)
    text = clean(_STAMP.sub(" ", clean(value))).strip(" :：,，;；")
    return _SIGNED_ON.sub("", text).strip()


def _label_before(text: str, colon: int) -> tuple[int, str | None]:
    """Where the label ending at ``colon`` starts, and the field it names (None: unknown)."""
    before = text[:colon]
    cjk = _CJK_LABEL.search(before)
    if cjk is not None and (field := label_field(cjk.group())) is not None:
        return cjk.start(), field
    # English labels have spaces (Unit name:); the shortest known tail of the
    # words before the colon is the label (…Chengxiang Year: → Year).
    latin = _LATIN_LABEL.search(before)
    if latin is not None:
        words = latin.group().split()
        for i in range(len(words)):
            tail = " ".join(words[i:])
            if (field := label_field(tail)) is not None:
                return colon - len(before) + before.rstrip().rfind(tail), field
    return (cjk.start() if cjk is not None else colon), None


def inline_pairs(text: str) -> list[tuple[str, str]]:
    """(field, value) pairs written inside one cell: ``单位名称：东林村 年度：2024年``."""
    text = clean(text)
    # Any "word：" ends the value before it, known label or not (填表日期：…).
    labels = [(*_label_before(text, m.start()), m.end()) for m in _COLON.finditer(text)]
    pairs = []
    for i, (_, field, end_of_label) in enumerate(labels):
        if field is None:
            continue
        end = labels[i + 1][0] if i + 1 < len(labels) else len(text)
        pairs.append((field, _value_text(text[end_of_label:end])))
    return pairs


@record
class Found:
    """A unit field value and where it was read."""

    value: str
    """The value as text."""
    sheet: str
    """Sheet name."""
    cell: str
    """Cell reference."""


def scan_unit_fields(sheets: Iterable[tuple[Sheet, int]]) -> dict[str, Found]:
    """Label/value pairs in the first ``limit`` rows of each (sheet, limit)."""
    found: dict[str, Found] = {}

    def keep(field: str, value: str, sheet: Sheet, row: int, col: int) -> None:
        if value and field not in found and label_field(value) is None:
            found[field] = Found(value, sheet.name, cell_ref(row, col))

    for sheet, limit in sheets:
        for row in range(min(limit, len(sheet.rows))):
            cells = sheet.rows[row]
            for col, cell in enumerate(cells):
                if not isinstance(cell, str) or not cell.strip():
                    continue
                field = label_field(cell)
                if field is not None:
                    right = next(
                        (
                            (c, cells[c])
                            for c in range(col + 1, min(col + 4, len(cells)))
                            if cells[c] not in (None, "") and cells[c] != cell
                        ),
                        None,
                    )
                    if right is not None and label_field(right[1]) is None:
                        keep(field, _value_text(right[1]), sheet, row, right[0])
                        continue
                    below = sheet.value(row + 1, col)
                    if below not in (None, "") and below != cell:
                        keep(field, _value_text(below), sheet, row + 1, col)
                    continue
                # "单位名称：东林村 年度：2024" — one or more pairs inside one cell.
                for inline_field, value in inline_pairs(cell):
                    keep(inline_field, value, sheet, row, col)
    return found


def year_from_titles(sheets: Iterable[tuple[Sheet, int]], dates: bool = False) -> Found | None:
    """A year written in a title line such as ``2024年度群团工作自评表``.

    A date (填报日期：2025年1月6日) is no title: a 2024 form is often filled in
    January 2025. With ``dates``, the year of the first date is taken instead,
    for forms that name no year but their date.
    """
    pattern = _DATE_YEAR if dates else _YEAR_IN_TEXT
    for sheet, limit in sheets:
        for row in range(min(limit, len(sheet.rows))):
            for col, cell in enumerate(sheet.rows[row]):
                if isinstance(cell, str):
                    match = pattern.search(_digit_years(clean(cell)))
                    if match:
                        return Found(match.group(1), sheet.name, cell_ref(row, col))
    return None


_CHINESE_DIGITS = str.maketrans("〇○零一二三四五六七八九", "000123456789")
_CHINESE_YEAR = lazy_compile(r"[〇○零一二三四五六七八九]{4}(?=\s*年)")


def _digit_years(text: str) -> str:
    """Years written in Chinese numerals as digits: 二〇二四年度 → 2024年度."""
    return _CHINESE_YEAR.sub(lambda m: m.group().translate(_CHINESE_DIGITS), text)


def name_from_titles(sheets: Iterable[tuple[Sheet, int]], pack: RulePack) -> Found | None:
    """A unit named only in a title line: ``东林村2024年度群团工作自评表`` → 东林村.

    Only a remainder that ends like a unit (…村, …社区, …有限公司, …学校工会) is
    taken; a title such as 2024年度村级党建带团建工作考核表 names none.
    """
    for sheet, limit in sheets:
        for row in range(min(limit, len(sheet.rows))):
            for col, cell in enumerate(sheet.rows[row]):
                if not isinstance(cell, str) or len(cell) > 60 or _COLON.search(cell):
                    continue
                left = sheet.rows[row][col - 1] if col else None
                if label_field(cell) is not None or label_field(left) is not None:
                    # A label (所属镇（街道）) or the value beside one (城厢镇) is no title,
                    # though both end like the name of a town.
                    continue
                name = _TITLE_NOISE.sub("", to_simplified(clean(cell))).strip()
                if _names_a_unit(name, pack):
                    return Found(name, sheet.name, cell_ref(row, col))
    return None


# Titles for a whole kind of unit: 沙溪镇村（社区）…考核表, 2024年度村级…自评表.
_KIND_OF_UNIT = lazy_compile(r"村社区|村\(社区\)|村（社区）|^各|全镇|全市|全县|全区")


def _names_a_unit(name: str, pack: RulePack) -> bool:
    """Whether what is left of a title is a unit's own name, not a kind of unit."""
    if len(name) < 2 or _KIND_OF_UNIT.search(name) or type_from_name(name, pack) is None:
        return False
    # Something must come before the type word (东林 in 东林村), and not only a
    # place: a city's (昆山市教育工会 is the county body), or a town's for a
    # village or community (沙溪镇社区; 城厢镇卫生院 is a unit of its own).
    full = match_key(name)
    bare = _ORG_PREFIX.sub("", _ORG_SUFFIX.sub("", full))
    words = sorted(
        (
            (match_key(w), t.id)
            for t in pack.unit_types
            for w in (t.title.zh, *t.synonyms)
            if match_key(w)
        ),
        key=lambda wt: len(wt[0]),
        reverse=True,
    )
    for key in (full, bare):
        for word, type_id in words:
            if key.endswith(word):
                own = key[: -len(word)]
                local = type_id in _LOCAL
                places = ("市", "县", "区", "镇", "街道", "乡") if local else ("市", "县", "区")
                return len(own) >= 2 and not own.endswith(places)
    return False


_LOCAL = frozenset({"village", "community"})
"""Unit types named after the place they are in, so a bare town name is none of them."""


def year_from_filename(source: str) -> int | None:
    """A plausible year in the file name (东林村2024.xlsx → 2024)."""
    match = _YEAR_IN_NAME.search(PurePath(source).stem)
    return int(match.group(1)) if match else None


def name_from_filename(source: str) -> str:
    """The file name without years and form words (东林村-2024年度自评表.xlsx → 东林村)."""
    return _FILE_NOISE.sub("", to_simplified(clean(PurePath(source).stem))).strip()


def match_unit_type(text: str, pack: RulePack) -> str | None:
    """The pack's unit-type id for a typed type (行政村 → village), or None."""
    key = match_key(text)
    if not key:
        return None
    candidates: list[tuple[int, str]] = []
    for unit_type in pack.unit_types:
        words = (unit_type.id, unit_type.title.zh, unit_type.title.en, *unit_type.synonyms)
        for word in words:
            word_key = match_key(word)
            if not word_key:
                continue
            if key == word_key:
                return unit_type.id
            if word_key in key:
                candidates.append((len(word_key), unit_type.id))
    return max(candidates)[1] if candidates else None


def type_from_name(name: str, pack: RulePack) -> str | None:
    """A unit type guessed from the end of the unit's name (…村, …社区, …有限公司).

    The body that sent the form may follow the unit's name (玉峰实验学校工会,
    共青团东林村支部委员会); the type is read from what comes before it.
    """
    key = match_key(name)
    for _ in range(3):
        found = _type_from_key(key, pack)
        bare = _ORG_PREFIX.sub("", _ORG_SUFFIX.sub("", key))
        if found is not None or bare == key or not bare:
            return found
        key = bare
    return _type_from_key(key, pack)


def _type_from_key(key: str, pack: RulePack) -> str | None:
    best: tuple[int, str] | None = None
    for unit_type in pack.unit_types:
        for word in (unit_type.title.zh, *unit_type.synonyms):
            word_key = match_key(word)
            if word_key and key.endswith(word_key) and (best is None or len(word_key) > best[0]):
                best = (len(word_key), unit_type.id)
    return best[1] if best else None


def note(
    level: NoteLevel, code: NoteCode, zh: str, en: str, found: Found | None = None
) -> IntakeNote:
    """An intake note, located at ``found`` when given."""
    return IntakeNote(
        level=level,
        code=code,
        message=Text(zh, en),
        sheet=found.sheet if found else "",
        cell=found.cell if found else "",
    )
