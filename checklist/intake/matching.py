"""Tying rows of a unit's table to the pack's rules.

A row whose id cell holds a rule id is tied by id. Every other row is tied by
its indicator text, compared with each rule's wordings (indicator in both
languages and the aliases) on a key that keeps only what tells indicators
apart: normalised text without scoring criteria ("不少于2次", "（2分）",
"少1次扣1分"), filler words (是否, 情况, 工作 …) or the many names of one body
(团支部/团委 → 团组织, 教代会 → 职工代表大会). English rows are compared by word.

The similarity of a row and a wording mixes two measures that fail
differently: a weighted overlap of character pairs (0.6), which does not care
about word order ("召开职代会" / "职代会召开") and weighs each pair by how few
rules use it, so that shared vocabulary (群团, 工会, 组织) counts for little and
telling words (团课, 述职, 入会率) for much; and rapidfuzz's partial ratio (0.4),
which finds a wording inside a row that carries extra words. A row of several
clauses is also compared clause by clause. A row loses most of its score for
a rule of another organisation than the one it names (团的工作经费 is not the
妇联's), and some for a rule asking another kind of answer (…率 is no count).
When a short indicator is not clear alone (经费保障), its scoring criterion
(评分标准) is compared with it.

Meaning, not only characters (issue 11):

- the pack's concepts fold a term's other names into one (职代会/教代会, 换届/改选,
  技术比武/岗位练兵), and a unit size that scopes a rule (团员3人以上, 会员不少于25名)
  or what a threshold measures (学时, 人数) stays in the key;
- a row's category only confirms: it may lift a rule the row itself is near,
  never bring in one of its own; a short label beside its standard (党建带团建 |
  党组织每年听取…汇报) is read by the standard, the label confirming;
- a clause that only says the organisation exists (依法建立工会，…) is a preamble;
  a long row is also read for the specific wording it holds;
- a quoted name the pack knows (“最美家庭”) counts for its rule, a unit's own
  (“石门职工”) for little; a row that is only such a name meets a higher bar;
- problem wording (未参加培训的人数) and standard wording (已参训) are told apart;
  a problem row against a yes/no standard (活动被挤占 / 按期开展) is tied once the
  other rows are, marked opposite: intake reads its answer the other way round;
- the answer's shape (100%, 16人) decides between near-tied rules.

Rows are then tied one to one over the whole table, best pair first, so no
rule takes two rows. A row is left unmatched, never forced, when its best free
rule scores below the threshold or when two free rules score about the same
for it (the note names both).
"""

from __future__ import annotations

import math
import operator
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, TypeVar

from checklist import packcache
from checklist.codes import MatchMethod
from checklist.model import AnswerType, Concept, Org, RulePack
from checklist.patterns import lazy_compile
from checklist.records import record
from checklist.textnorm import (
    clean,
    conversion_fingerprint,
    match_key,
    quick_key,
    to_simplified,
)

ACCEPT_SCORE = 55.0
"""Lowest similarity (0..100) at which a row is tied to a rule.

Calibrated on the shipped pack against retyped, shortened, traditional-script,
numbered and criterion-carrying wordings (tests/cases/matching.yaml and the
forms of tests/test_intake_realworld.py): the right rule scores 56–100 there,
while rows that belong to no rule (党员发展人数, 工会工作, 村民代表大会召开次数)
stay below it or are refused as ambiguous or as another organisation's.
"""

AMBIGUOUS_MARGIN = 2.0
"""A row whose two best free rules are closer than this is left unmatched."""

_PARTIAL_WEIGHT = 0.4
"""Share of the partial ratio in a similarity; the rest is the weighted pair overlap."""

_UNIQUE_TERM_SCORE = 75.0
"""Similarity of a two- or three-character row whose every character pair only one rule uses."""

# Words a category heading is made of (其他工作, 工作创新, 制度建设): even when
# only one rule happens to use them, they name no indicator.
_GENERIC_TERMS = frozenset(
    re.findall(
        r"\S+",
        "其他 创新 特色 建设 管理 保障 活动 组织 制度 阵地 队伍 宣传 服务 培训 考核 经费 基础 日常 "
        "加分 扣分 综合 其它 亮点",
    )
)

_GENERIC_HEADING = lazy_compile(f"^(?:{'|'.join(sorted(_GENERIC_TERMS, key=len, reverse=True))})+$")

_OTHER_ORG_FACTOR = 0.5
"""A row that names another organisation than the rule's keeps this share of its score."""

_OTHER_TYPE_FACTOR = 0.9
"""A rule that does not apply to the form's unit type keeps this share of a row's score."""


# Words nearly every indicator carries; left in, they let unrelated short rows
# ("是否建立党支部") reach the threshold on shared filler alone.
_FILLER = lazy_compile(
    "是否|情况|工作|年度|年内|本单位|有无|村社区|等|的|每学年|每年|一年|全年|当年|本年|几|多少"
    "|至少|不少于|不低于|按时|按期|及时"
)

_TIMELY = lazy_compile("按时|按期|及时")

Folds = tuple[tuple[re.Pattern[str], str], ...]
"""The pack's vocabulary as (pattern of a concept's other words, its first word), in order."""


def concept_folds(concepts: tuple[Concept, ...]) -> Folds:
    """One body, many names: each concept's words folded into its first, on both sides.

    The first word is in the pattern too, so that a shorter word it contains
    (团干部 in 群团干部) is not folded inside it: the match at its start wins.
    """
    return tuple(
        (
            # Compiled when a key holds one of its first characters (see _fold).
            lazy_compile("|".join(sorted(map(re.escape, c.terms), key=len, reverse=True))),
            c.terms[0],
        )
        for c in concepts
    )


# Scoring criteria typed into the indicator cell, and the thresholds inside it:
# "（2分）", "（每年不少于2次，少1次扣1.5分）", "，每解决1个加1分", "达95%以上".
_NUMBER = (
    r"[0-9一二两三四五六七八九十]+(?:\.[0-9]+)?(?:\s*[-~～—至到]\s*[0-9一二两三四五六七八九十]+)?"
)
_POINTS_BRACKET = lazy_compile(
    r"[(（][^()（）]*(?:\d\s*分|不得分|扣完为止|酌情[扣加]分)[^()（）]*[)）]"
)
_SCORING_CLAUSE = lazy_compile(
    r"[,，;；。]?[^,，;；。()（）]*(?:[扣加得]\s*[0-9.、,，和或]+\s*分|不得分|扣完为止|酌情[扣加]分)"
    r"[^,，;；。()（）]*"
)
_THRESHOLD = lazy_compile(
    rf"(?:不少于|不低于|不超过|至少|达到|达|超过|高于|低于|不足)?{_NUMBER}"
    r"\s*(?:次|%|％|个|人|户|名|篇|天|学时|小时|项)(?:以上|及以上|以下|以内)?"
    r"|每(?:季度|半年|学期|月|周)"
)
_CLAUSES = lazy_compile(r"[,，;；。\n]")
_BRACKETED = lazy_compile(r"[(（][^()（）]*[)）]")

# Words that say which organisation a row is about. 群团 (all three) is removed
# first; 女职工 is the union's women-workers' committee, not the 妇联.
_ORG_WORDS: tuple[tuple[Org, re.Pattern[str]], ...] = (
    (Org.union, lazy_compile("工会|职代会|教代会|职工|会员|女职委|经审会")),
    (
        Org.league,
        lazy_compile("团员|团组织|团支部|团总支|团委|共青团|团课|团建|团的|团籍|青年|少先队"),
    ),
    (Org.women, lazy_compile("妇联|妇女|执委|妇代会|巾帼")),
)
_ALL_ORGS = lazy_compile("群团|工青妇")
# Rows about people no mass organisation stands for (村民代表大会, 党员发展).
_NOT_MASS_ORG = lazy_compile("村民|居民|党员|党组织|党支部|党总支|党委|民兵|老年|计生|业主|股东")

_SCORING_WORDS = lazy_compile(r"(?:分别|每\S{1,3}?)?[扣加得]\s*[0-9.、,，和或]+\s*分")
_ITEM_NUMBER = lazy_compile(r"^\s*第\s*[0-9一二三四五六七八九十百]+\s*[项条]\s*[:：、.．]?")

_EN_STOP = frozenset(
    re.findall(
        r"\S+",
        "a an the of in on at to for and or is are was were be been there this that it its with "
        "by from as any how many much per each has have does do did what which who whose year "
        "years unit",
    )
)


# A size that says which units a rule is about (会员25人以上单独建会, 团员3人以上
# 的单位建团支部) is part of the indicator, not a threshold to meet: COV-05 and
# COV-09 are told from COV-04 and COV-10 by it.
_SCOPE = lazy_compile(
    rf"(?:不少于|不低于|至少|满)?({_NUMBER})\s*(?:人|名)(?:以上|及以上)?(?=的?(?:单位|企业|学校|村|社区)?[^,，;；。]{{0,6}}"
    r"(?:单独|建立|成立|组建|设立|建会|建团|建有))"
)


# What a threshold measures, when that tells indicators apart (人均16学时: STAF-11).
_MEASURE = lazy_compile(r"学时|小时|天|篇")


_HEADCOUNT = lazy_compile(r"(?:不少于|不低于|至少|达到|达)[^人名]*[人名]$")


def _keep_scope(match: re.Match[str]) -> str:
    scope = _SCOPE.match(match.string, match.start())
    if scope is not None and scope.end() == match.end():
        return f"{scope.group(1)}人以上"  # 不少于3名 and 3人以上 alike
    measure = _MEASURE.search(match.group(0))
    if measure is not None:
        return measure.group(0)
    # 执委不少于7名: a headcount the standard sets says the row is about how many.
    return "人数" if _HEADCOUNT.search(match.group(0)) else ""


# A date in the row (2024年5月完成改选) is what a unit did, not what the row asks.
_DATE = lazy_compile(r"(?:19|20)\d{2}\s*年(?:度|\s*\d{1,2}\s*月(?:份|\s*\d{1,2}\s*日)?)?")


# Spaces typed inside Chinese text (学 时, 24 学时) would hide a criterion from the patterns.
_INNER_SPACE = lazy_compile(r"(?<![A-Za-z])\s+(?![A-Za-z])")


# Each pattern below is tried only on a text holding a character every match of
# it holds (a test checks each against the pattern): most rows hold no
# criterion, and the scans cost more than the rest of a row's key.


def _has_space(text: str) -> bool:
    """Whether ``text`` holds what ``\\s`` matches (a space, or a character that is not
    printable: tab, newline, ideographic space …)."""
    return " " in text or not text.isprintable()


def _has_points(text: str) -> bool:
    """Whether ``text`` may hold points (…分, 扣完为止): _POINTS_BRACKET, _SCORING_CLAUSE,
    _SCORING_WORDS, _DEDUCTION."""
    return "分" in text or "扣完为止" in text


_THRESHOLD_CHARS = lazy_compile("[次%％个人户名篇天时项每]")
"""A threshold's unit (次, 人, 学时 …) or 每 (每季度): every match of _THRESHOLD holds one."""


def _thresholds_kept(text: str) -> str:
    """``text`` with its thresholds replaced by what of them tells indicators apart."""
    if not _THRESHOLD_CHARS.search(text):
        return text
    return _THRESHOLD.sub(_keep_scope, text)


def _strip_criteria(text: str) -> str:
    if _has_space(text) and not _is_english(text):
        text = _INNER_SPACE.sub("", text)
    if "第" in text:
        text = _ITEM_NUMBER.sub("", text)
    if "年" in text:
        text = _DATE.sub("", text)
    if _has_points(text):
        text = _POINTS_BRACKET.sub("", text)
        without = _SCORING_CLAUSE.sub("", text)
        # A row that is all criterion (获市级模范之家加1、3、5分) keeps its words.
        text = without if len(without) >= 4 else _SCORING_WORDS.sub("", text)
    return _thresholds_kept(text)


@lru_cache(maxsize=8192)
def _stripped(text: str) -> str:
    """A text cleaned, simplified and without criteria (its key and its clauses start here)."""
    return _strip_criteria(_simplified(text))


# Two words of one concept side by side (技术比武、岗位练兵) fold into one word twice.
_REPEATED = lazy_compile(r"(\w{2,}?)\1+")


_cleaned = lru_cache(maxsize=8192)(clean)
"""A row's text cleaned, asked for by several steps of its matching."""

# A row's text is keyed for its own words, for the organisations it names and
# (when it holds no criterion) as its comparison key's start.
_row_key = lru_cache(maxsize=1024)(match_key)


@lru_cache(maxsize=8192)
def _simplified(text: str) -> str:
    """A text cleaned and in simplified script (the criteria's patterns are written so)."""
    return to_simplified(_cleaned(text))


class _FoldTable:
    """A vocabulary's folds with what lets :func:`_fold` skip the concepts a key cannot hold."""

    def __init__(self, folds: Folds) -> None:
        self.folds = folds
        self.steps = tuple(
            (pattern, replacement, frozenset(_terms(pattern))) for pattern, replacement in folds
        )
        # First character of a word → the concepts (in order) that have a word starting so.
        starts: dict[str, list[int]] = defaultdict(list)
        for number, (_, _, words) in enumerate(self.steps):
            for first in sorted({w[0] for w in words}):
                starts[first].append(number)
        self.starts = {first: tuple(numbers) for first, numbers in starts.items()}
        # One scan of a key for them (a set's intersection() makes a string of each character).
        # (A vocabulary of no words has none: the class would be empty, which re refuses.)
        self.initials = re.compile(
            "[" + "".join(map(re.escape, sorted(starts))) + "]" if starts else "(?!)"
        )

    def candidates(self, key: str, after: int) -> list[int]:
        """The concepts past ``after`` with a word starting with a character of ``key``, in order."""
        hits = set(self.initials.findall(key))
        if not hits:
            return []
        found: set[int] = set()
        for first in hits:
            found.update(self.starts[first])
        return sorted(n for n in found if n > after)


def _terms(pattern: re.Pattern[str]) -> list[str]:
    return [t for t in re.sub(r"\\(.)", r"\1", pattern.pattern).split("|") if t]


_FOLD_TABLES: dict[int, _FoldTable] = {}


def _fold_table(folds: Folds) -> _FoldTable:
    # Found by identity (a pack's folds are one tuple for the life of its keys):
    # hashing 30-odd compiled patterns for every row cost more than the lookup saves.
    table = _FOLD_TABLES.get(id(folds))
    if table is None or table.folds is not folds:
        if len(_FOLD_TABLES) >= 64:
            _FOLD_TABLES.clear()
        table = _FOLD_TABLES[id(folds)] = _FoldTable(folds)
    return table


def _fold(key: str, folds: Folds) -> str:
    if not folds:
        return key
    # Only a concept one of whose words starts with a character of the key can
    # change it: the others are not tried (the key's characters are looked at
    # again after each change, as a fold brings in its first word's).
    table = _fold_table(folds)
    steps = table.steps
    pending = table.candidates(key, -1)
    while pending:
        number = pending.pop(0)
        pattern, replacement, _ = steps[number]
        # Compiled when first needed, as before: most rows need a few of the concepts.
        changed = pattern.sub(replacement, key)
        if changed != key:
            key = changed
            pending = table.candidates(key, number)
    return _unrepeated(key)


def _unrepeated(key: str) -> str:
    """``key`` with a run of one word repeated (技术比武技术比武) written once."""
    if len(set(key)) == len(key):
        return key  # not even a character twice (most keys): the scan is not needed
    pairs = list(map(operator.add, key, key[1:]))
    if len(set(pairs)) == len(pairs):
        return key  # no pair twice
    # _REPEATED matches where a word of two characters or more is followed by
    # itself: that word's first pair stands again right after it. Only a key
    # where some pair does so is handed to the pattern (the scan costs far more).
    seen: dict[str, list[int]] = {}
    for end in range(len(key) - 1):
        earlier = seen.setdefault(key[end : end + 2], [])
        for start in earlier:
            if end - start >= 2 and key[start:end] == key[end : 2 * end - start]:
                return _REPEATED.sub(r"\1", key)
        earlier.append(end)
    return key


def indicator_key(text: str, folds: Folds = ()) -> str:
    """The comparison key of an indicator text (unchanged filler-free key if nothing remains)."""
    # Simplified first: the criteria's words (個, 項, 學時) are matched in simplified script.
    key = _row_key(_stripped(text))  # most often the row as written, keyed already
    # Words of time go before folding, so that they do not split a term (智慧团建中按时报到).
    key = _fold(_TIMELY.sub("", key) or key, folds)
    return _FILLER.sub("", key) or key


# A text worded as a problem (未参加培训的人数, 活动被挤占, 台账缺项) rather than as
# what is to be done; a deduction (未列席的，一次扣2分) states the standard, so
# it is no problem wording.
_PROBLEM = lazy_compile(
    r"未(?!成年)|没有|缺|挤占|挪用|抽调|被取消|空白|不到位|不健全|不规范|不落实"
)
_DEDUCTION = lazy_compile(r"[扣减]\s*[0-9一二两三四五六七八九十.]+\s*分|不得分|扣分|扣完为止")


@lru_cache(maxsize=4096)
def problem_worded(text: str) -> bool:
    """Whether a text asks about a problem (未…, 挤占, 缺项) rather than a standard to meet."""
    value = _simplified(text)
    if not _has_points(value):
        return bool(_PROBLEM.search(value))  # nothing for _POINTS_BRACKET or _DEDUCTION
    value = _POINTS_BRACKET.sub("", value)  # 未参加培训的人数（每人扣1分）: a problem
    return bool(_PROBLEM.search(value)) and not _DEDUCTION.search(value)


def _english_key(text: str) -> str:
    """Word stems of an English text, in order: ``Union dues paid`` → ``union dues paid``."""
    words = re.findall(r"[a-z0-9]+", clean(text).lower())
    return " ".join(w[:5] for w in words if w not in _EN_STOP)


@lru_cache(maxsize=1024)
def _is_english(text: str) -> bool:
    letters = list(filter(str.isalpha, text))
    return bool(letters) and len(list(filter(str.isascii, letters))) >= 0.8 * len(letters)


def _keys(text: str, folds: Folds) -> tuple[str, ...]:
    """The keys a text is compared by: with and without bracketed asides."""
    if _is_english(text):
        key = _english_key(_strip_criteria(text))
        return (key,) if key else ()
    full = indicator_key(text, folds)
    cleaned = _cleaned(text)
    if cleaned == text and _BRACKETED.search(cleaned) is None:
        bare = full  # nothing bracketed to leave out: the same key again
    else:
        bare = indicator_key(_BRACKETED.sub("", cleaned), folds)
    return tuple(dict.fromkeys(k for k in (full, bare) if k))


def _clause_keys(text: str, folds: Folds) -> tuple[str, ...]:
    """Keys of each clause of a row that says more than one thing (建立…制度，每年召开…)."""
    if _is_english(text):
        return ()
    parts = [p for p in _CLAUSES.split(_stripped(text)) if p.strip()]
    if len(parts) < 2:
        return ()
    keys = [k for part in parts for k in _keys(part, folds) if len(k) >= 2]
    said = [k for k in keys if len(_PREAMBLE.sub("", k)) >= 2]
    return tuple(dict.fromkeys(said or keys))


# A clause that only says an organisation exists (村团支部组织健全, 依法建立工会) is the
# preamble of a standard that goes on to say what it asks (…团员3人以上单独建立团支部):
# alone it would tie the row to the plain 是否建立 rule.
_PREAMBLE = lazy_compile(
    "工会|团组织|妇联|群团|组织|执委会|委员会|班子|机构|建立|依法|按规定|村|社区|镇|街道|单位|企业"
)


class Kind:
    """What an indicator text asks for, by its wording: a rate, a count, yes/no, a date."""

    rate = "rate"
    count = "count"
    yesno = "yesno"
    date = "date"


_KIND_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (Kind.rate, lazy_compile(r"率|占比|比例|百分比|%|rate|share|percent")),
    (Kind.date, lazy_compile(r"时间|日期|何时|date|when")),
    (Kind.yesno, lazy_compile(r"^(?:是否|有无|是不是)|是否|有无|\?$")),
    (
        Kind.count,
        lazy_compile(
            r"(?:次数|人数|个数|件数|篇数|户数|天数|项数|数量|几次|多少|总数|学时|[数次])$"
            r"|^(?:number|times|how many)"
        ),
    ),
)
_TYPE_KINDS = {
    AnswerType.percent: Kind.rate,
    AnswerType.ratio: Kind.rate,
    AnswerType.count: Kind.count,
    AnswerType.number: Kind.count,
    AnswerType.yesno: Kind.yesno,
    AnswerType.date: Kind.date,
}
_OTHER_KIND_FACTOR = 0.75
"""A row asking for another kind of answer than the rule's keeps this share of its score."""


# The shape of an answer: a rate (报到率100%, 全部报到, 均已参训) or a headcount (16人).
_RATE_ANSWER = lazy_compile(r"%|％|率|百分之|全部|全员|均已|均参加|均为|都已")
_COUNT_ANSWER = lazy_compile(r"^\D{0,8}?[0-9一二两三四五六七八九十]+\s*(?:人|名|个|次|件|篇|户|项)")


@lru_cache(maxsize=1024)
def answer_kind(text: str) -> str | None:
    """The kind of rule an answer fits by its shape alone: a rate, a count, or neither."""
    value = clean(text)
    if _RATE_ANSWER.search(value):
        return Kind.rate
    if _COUNT_ANSWER.search(value):
        return Kind.count
    return None


_ANSWER_SHAPE_FACTOR = 0.95
"""A rule of another kind than the answer's shape keeps this share: it tells near ties apart."""


_NEAR_TIE = 8.0
"""Rules this close to a row's best are near-tied: the answer's shape may decide between them."""


def _decide_by_answer(scores: dict[str, float], shape: str | None, keys: WordingKeys) -> None:
    """Among near-tied rules, lower those whose kind the answer's shape does not fit.

    A rate-shaped answer (报到率100%, 5人全部报到) goes to the rate rule, a headcount
    (已报到16人) to the count rule; a lone candidate is left as it is.
    """
    if shape is None or not scores:
        return
    best = max(s for s in scores.values())
    near = [r for r, s in scores.items() if s >= best - _NEAR_TIE and s <= 100]
    fits = [r for r in near if shape in keys.kinds[r]]
    if not fits or len(fits) == len(near):
        return
    for rule_id in near:
        if rule_id not in fits:
            scores[rule_id] *= _ANSWER_SHAPE_FACTOR


_UNIT_BRACKET = lazy_compile(r"[(（][^()（）]*[)）]$")


def text_kind(text: str) -> str | None:
    """The kind of answer an indicator text asks for, when its wording says so."""
    value = _simplified(text).lower()
    if _has_space(value) and not _is_english(value):
        value = _INNER_SPACE.sub("", value)
    if _has_points(value):
        value = _POINTS_BRACKET.sub("", value)
    value = value.strip()
    # A frequency the standard sets (每年改选一次) is not a count asked for.
    value = _thresholds_kept(value).strip()
    if value.endswith((")", "）")):
        value = _UNIT_BRACKET.sub("", value).strip()  # 职工入会率（%）, 团员人数（人）
    for kind, pattern in _KIND_WORDS:
        if pattern.search(value):
            return kind
    return None


def _grams(key: str) -> frozenset[str]:
    if " " in key or key.isascii():
        return frozenset(key.split())
    if len(key) == 1:
        return frozenset((key,))
    # Each character joined to the next: the pairs key[i : i + 2], in the same order.
    return frozenset(map(operator.add, key, key[1:]))


@lru_cache(maxsize=4096)
def orgs_named(text: str) -> frozenset[Org | None]:
    """The organisations a text names (None: people no mass organisation stands for).

    A text about all three (群团组织, 工青妇) names :attr:`Org.all`: its 换届时间 is
    not one organisation's.
    """
    whole = _row_key(text)
    key = _ALL_ORGS.sub("", whole).replace("女职工", "女职委")
    found: set[Org | None] = {org for org, pattern in _ORG_WORDS if pattern.search(key)}
    if len(key) < len(whole):
        found.add(Org.all)
    if _NOT_MASS_ORG.search(key):
        found.add(None)
    return frozenset(found)


@record
class RowText:
    """A data row to be matched."""

    index: int
    """Position in the caller's list of rows."""
    rule_id: str
    """Text of the row's id cell (may be a plain number such as 3)."""
    text: str
    """The row's indicator text."""
    context: str = ""
    """The row's scoring criterion (评分标准 …), used when the indicator alone is not clear."""
    org_hint: str = ""
    """Text around the row (its category, the sheet's title) that may name its organisation."""
    answer: str = ""
    """The row's answer as written: its shape (100%, 16人) decides between near-tied rules."""


@record
class RowMatch:
    """The outcome for one row."""

    index: int
    """Position in the caller's list of rows."""
    rule_id: str | None
    """Rule the row was tied to, or None when unmatched."""
    method: MatchMethod
    """How the row was tied to its rule; none when unmatched."""
    confidence: float
    """0..100."""
    best_rule: str = ""
    """For unmatched rows: the closest rule, even below the threshold."""
    best_score: float = 0.0
    """For unmatched rows: its score."""
    rival_rule: str = ""
    """For rows left unmatched as ambiguous: the rule that scored about the same."""
    opposite: bool = False
    """The row asks its rule the other way round (活动被挤占 vs 活动按期开展): a yes/no
    answer to the row is the reverse answer to the rule."""


@record
class PackKeys:
    """Normalised texts of a pack that every form needs, computed once per pack and process."""

    indicators: dict[str, frozenset[str]]
    """Rule id → quick and match keys of its indicator texts (to spot edited texts)."""
    areas: tuple[str, ...]
    """Match keys of the area titles (to skip area heading rows)."""
    ids: dict[str, str]
    """Typed id in canonical form → rule id."""


@record
class WordingKeys:
    """What rows are matched to by their text, computed once per pack and process.

    Kept apart from :class:`PackKeys` because a template-made form, tied by
    rule ids, never needs it.
    """

    wordings: tuple[tuple[str, tuple[str, ...]], ...]
    """(rule id, comparison keys of its indicator in both languages and its aliases)."""
    exact: dict[str, str]
    """Comparison key → the one rule it belongs to (keys two rules share are left out)."""
    verbatim: dict[str, str]
    """Match key of each wording as written (criteria and numbers kept) → its one rule."""
    orgs: dict[str, Org]
    """Rule id → the organisation it concerns."""
    kinds: dict[str, frozenset[str]]
    """Rule id → the kinds of answer its type and its wordings ask for."""
    postings: dict[str, tuple[tuple[int, float], ...]]
    """Character pair (or English stem) → (wording number, weight) of the wordings holding it."""
    owners: tuple[str, ...]
    """Wording number → rule id."""
    texts: tuple[str, ...]
    """Wording number → its key."""
    problems: tuple[bool, ...]
    """Wording number → whether it is worded as a problem (未参加…人数)."""
    preambles: tuple[bool, ...]
    """Wording number → whether it only says an organisation exists (村是否建立团组织)."""
    standard_yesno: frozenset[str]
    """Yes/no rules none of whose wordings is a problem's: a problem row asks them reversed."""
    mass: tuple[float, ...]
    """Wording number → total weight of its pairs."""
    unseen: float
    """Weight of a pair no wording holds."""
    folds: Folds = ()
    """The pack's vocabulary, folded on rows as on wordings."""


_KEYS: dict[tuple[str, str, str, str], PackKeys] = {}
_WORDING_KEYS: dict[tuple[str, str, str, str], tuple[tuple[Concept, ...], WordingKeys]] = {}

_Tables = TypeVar("_Tables")

_CODE = ("intake/matching.py", "textnorm.py")
"""The modules whose code decides the tables below: a change to either makes stored ones stale."""


def pack_keys(pack: RulePack) -> PackKeys:
    """The normalised texts of ``pack`` every form needs (kept per pack and process, and for
    a cached pack in the pack cache)."""
    cache_key = (pack.id, pack.version, pack.path, pack.cache_key)
    keys = _KEYS.get(cache_key)
    if keys is None:
        keys = _stored(pack, "pack keys", _build_pack_keys, _pack_keys_data, _pack_keys_from)
        _KEYS[cache_key] = keys
    return keys


def wording_keys(pack: RulePack) -> WordingKeys:
    """What rows are matched to by text (kept per pack, process and vocabulary, and for a
    cached pack in the pack cache: building them costs more than reading a form)."""
    cache_key = (pack.id, pack.version, pack.path, pack.cache_key)
    cached = _WORDING_KEYS.get(cache_key)
    # The vocabulary is compared by identity first: equal packs share it.
    if cached is None or (cached[0] is not pack.concepts and cached[0] != pack.concepts):
        made = _stored(
            pack, "wording keys", _build_wording_keys, _wording_keys_data, _wording_keys_from
        )
        cached = (pack.concepts, made)
        _WORDING_KEYS[cache_key] = cached
    return cached[1]


def _stored(
    pack: RulePack,
    name: str,
    build: Callable[[RulePack], _Tables],
    data: Callable[[_Tables], object],
    read: Callable[[Any], _Tables],
) -> _Tables:
    """``build(pack)``, read back from the pack cache when it was stored before."""
    key = packcache.tables_key(pack, name, _CODE, conversion_fingerprint())
    if key is not None:
        stored = packcache.load_tables(key)
        if stored is not None:
            try:
                return read(stored)
            except (KeyError, TypeError, ValueError, AttributeError):
                pass  # not what was written: built and stored again below
    made = build(pack)
    if key is not None:
        packcache.store_tables(key, data(made), f"{pack.id} {pack.version} {name}")
    return made


# --- the tables as JSON ----------------------------------------------------------------
#
# Written by this module and read back field by field: a value of another type
# raises TypeError, a missing field KeyError, and the entry is rebuilt.


def _pack_keys_data(keys: PackKeys) -> object:
    return {
        "indicators": {rule: sorted(texts) for rule, texts in keys.indicators.items()},
        "areas": keys.areas,
        "ids": keys.ids,
    }


def _pack_keys_from(data: Any) -> PackKeys:
    return PackKeys(
        indicators={
            _str(rule): frozenset(_strs(texts)) for rule, texts in data["indicators"].items()
        },
        areas=_strs(data["areas"]),
        ids=_str_map(data["ids"]),
    )


def _wording_keys_data(keys: WordingKeys) -> object:
    return {
        "wordings": keys.wordings,
        "exact": keys.exact,
        "verbatim": keys.verbatim,
        "orgs": {rule: org.value for rule, org in keys.orgs.items()},
        "kinds": {rule: sorted(kinds) for rule, kinds in keys.kinds.items()},
        "postings": keys.postings,
        "owners": keys.owners,
        "texts": keys.texts,
        "problems": keys.problems,
        "preambles": keys.preambles,
        "standard_yesno": sorted(keys.standard_yesno),
        "mass": keys.mass,
        "unseen": keys.unseen,
        "folds": [(pattern.pattern, first) for pattern, first in keys.folds],
    }


def _wording_keys_from(data: Any) -> WordingKeys:
    texts = _strs(data["texts"])
    count = len(texts)
    owners = _strs(data["owners"])
    problems = _flags(data["problems"])
    preambles = _flags(data["preambles"])
    mass = tuple(_number(m) for m in data["mass"])
    if not len(owners) == len(problems) == len(preambles) == len(mass) == count:
        raise ValueError("wording tables of different lengths")
    postings: dict[str, tuple[tuple[int, float], ...]] = {}
    for gram, posted in data["postings"].items():
        postings[_str(gram)] = tuple((_index(n, count), _number(w)) for n, w in posted)
    return WordingKeys(
        wordings=tuple((_str(rule), _strs(keys)) for rule, keys in data["wordings"]),
        exact=_str_map(data["exact"]),
        verbatim=_str_map(data["verbatim"]),
        orgs={_str(rule): Org(org) for rule, org in data["orgs"].items()},
        kinds={_str(rule): frozenset(_strs(kinds)) for rule, kinds in data["kinds"].items()},
        postings=postings,
        owners=owners,
        texts=texts,
        problems=problems,
        preambles=preambles,
        standard_yesno=frozenset(_strs(data["standard_yesno"])),
        mass=mass,
        unseen=_number(data["unseen"]),
        folds=tuple((lazy_compile(_str(p)), _str(first)) for p, first in data["folds"]),
    )


def _str(value: object) -> str:
    if type(value) is not str:
        raise TypeError("not a text")
    return value


def _strs(values: Any) -> tuple[str, ...]:
    if type(values) is not list or not all(type(v) is str for v in values):
        raise TypeError("not a list of texts")
    return tuple(values)


def _str_map(values: Any) -> dict[str, str]:
    if not all(type(v) is str for v in values.values()):
        raise TypeError("not a map of texts")
    return dict(values)


def _flags(values: Any) -> tuple[bool, ...]:
    if type(values) is not list or not all(type(v) is bool for v in values):
        raise TypeError("not a list of flags")
    return tuple(values)


def _number(value: object) -> float:
    if type(value) not in (int, float):
        raise TypeError("not a number")
    return float(value)  # type: ignore[arg-type]


def _index(value: object, count: int) -> int:
    if type(value) is not int or not 0 <= value < count:
        raise ValueError("not a wording number")
    return value


def _build_pack_keys(pack: RulePack) -> PackKeys:
    indicators = {
        rule.id: frozenset(
            f(t) for t in (rule.indicator.zh, rule.indicator.en) for f in (quick_key, match_key)
        )
        for rule in pack.rules
    }
    areas = tuple(
        k for a in pack.areas for k in (match_key(a.title.zh), match_key(a.title.en)) if k
    )
    ids = {rule.id.upper(): rule.id for rule in pack.rules}
    ids.update({normalise_id(rule.id): rule.id for rule in pack.rules})
    return PackKeys(indicators=indicators, areas=areas, ids=ids)


def _build_wording_keys(pack: RulePack) -> WordingKeys:
    folds = concept_folds(pack.concepts)
    wordings = tuple(
        (
            rule.id,
            tuple(
                dict.fromkeys(
                    k
                    for text in (rule.indicator.zh, rule.indicator.en, *rule.aliases)
                    for k in _keys(text, folds)
                )
            ),
        )
        for rule in pack.rules
    )
    problem_keys = {
        k
        for rule in pack.rules
        for text in (rule.indicator.zh, *rule.aliases)
        if problem_worded(text)
        for k in _keys(text, folds)
    }
    owners_of: dict[str, set[str]] = defaultdict(set)
    for rule_id, keys in wordings:
        for key in keys:
            owners_of[key].add(rule_id)
    exact = {key: next(iter(owners)) for key, owners in owners_of.items() if len(owners) == 1}
    written: dict[str, set[str]] = defaultdict(set)
    for rule in pack.rules:
        for text in (rule.indicator.zh, rule.indicator.en, *rule.aliases):
            written[match_key(text)].add(rule.id)
    verbatim = {key: next(iter(ids)) for key, ids in written.items() if key and len(ids) == 1}

    # A pair's weight is its inverse rule frequency: pairs most rules share say little.
    frequency: dict[str, int] = defaultdict(int)
    for _, keys in wordings:
        for gram in frozenset().union(*(_grams(k) for k in keys)):
            frequency[gram] += 1
    count = len(wordings)

    def weight(gram: str) -> float:
        return math.log((count + 1) / (frequency.get(gram, 0) + 1)) + 1.0

    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    owners: list[str] = []
    texts: list[str] = []
    problems: list[bool] = []
    mass: list[float] = []
    for rule_id, keys in wordings:
        for key in keys:
            number = len(owners)
            grams = _grams(key)
            for gram in grams:
                postings[gram].append((number, weight(gram)))
            owners.append(rule_id)
            texts.append(key)
            problems.append(key in problem_keys)
            mass.append(sum(weight(g) for g in grams))
    return WordingKeys(
        wordings=wordings,
        exact=exact,
        verbatim=verbatim,
        orgs={rule.id: rule.org for rule in pack.rules},
        kinds={
            rule.id: frozenset(
                k
                for k in (
                    _TYPE_KINDS.get(rule.answer.type),
                    *(text_kind(t) for t in (rule.indicator.zh, rule.indicator.en, *rule.aliases)),
                )
                if k is not None
            )
            for rule in pack.rules
        },
        postings={g: tuple(p) for g, p in postings.items()},
        owners=tuple(owners),
        texts=tuple(texts),
        problems=tuple(problems),
        preambles=tuple(not k.isascii() and len(_PREAMBLE.sub("", k)) <= 2 for k in texts),
        standard_yesno=frozenset(
            rule.id
            for rule in pack.rules
            if rule.answer.type is AnswerType.yesno
            and not any(problem_worded(t) for t in (rule.indicator.zh, *rule.aliases))
        ),
        mass=tuple(mass),
        unseen=math.log((count + 1) / 2) + 1.0,
        folds=folds,
    )


def normalise_id(text: str) -> str:
    """A typed rule id in canonical form: upper case, full-width folded, no spaces."""
    return match_key(text).upper().replace("_", "-") if text else ""


def match_rows(
    rows: Sequence[RowText], pack: RulePack, unit_type: str | None = None
) -> list[RowMatch]:
    """Tie each row to at most one rule, each rule to at most one row.

    A unit's form asks about its own kind of unit: with ``unit_type`` known,
    rules that do not apply to it weigh a little less (a 团支部 row in an
    enterprise's form is not the village rule's).
    """
    ids = pack_keys(pack).ids
    taken: set[str] = set()
    results: dict[int, RowMatch] = {}

    fuzzy_rows: list[RowText] = []
    for row in rows:
        typed = row.rule_id.strip().upper()
        rule_id = ids.get(typed) or (ids.get(normalise_id(typed)) if typed else None)
        if rule_id is not None and rule_id not in taken:
            taken.add(rule_id)
            results[row.index] = RowMatch(row.index, rule_id, MatchMethod.id, 100.0)
        else:
            fuzzy_rows.append(row)

    if fuzzy_rows:
        _match_by_text(fuzzy_rows, pack, taken, results, unit_type)
    return [results[row.index] for row in rows]


_LONG_ROW = 16
"""A row key this long is read for the wordings it holds, not only for how alike the two are."""

_SPECIFIC_WORDING = 8
"""Only wordings this long are found inside a long row: a short one (建立团组织) is in many."""

_CONTAINED = 0.7
"""Share of the held part of a wording that counts as overlap when a long row holds it."""

_PREAMBLE_FACTOR = 0.85
"""A wording that only says an organisation exists keeps this share for a row that says more
(村团组织按期完成换届 is no 村是否建立团组织)."""

_POLARITY_FACTOR = 0.85
"""A wording of a problem (未参加培训的人数) keeps this share of its score for a row of a
standard (参加培训的人数), and the other way round."""


def _similarity(
    row_key: str, keys: WordingKeys, problem: bool | None = False, org: Org | None = None
) -> dict[str, float]:
    """Rule id → similarity (0..100) of one comparison key with the rule's best wording.

    ``problem``: the row is worded as a problem (see :func:`problem_worded`); None: not weighed.
    ``org``: the one organisation the row names, if any: a short term that only one
    of its rules uses names that rule (团支部…按期改选: 换届 is LIFE-09's among the League's).
    """
    from rapidfuzz import fuzz

    grams = _grams(row_key)
    if not grams:
        return {}
    row_mass = 0.0
    shared: dict[int, float] = {}
    so_far = shared.get
    postings = keys.postings
    for gram in grams:
        posting = postings.get(gram)
        if posting is None:
            row_mass += keys.unseen
            continue
        row_mass += posting[0][1]
        for number, weight in posting:
            shared[number] = so_far(number, 0.0) + weight
    # A wording that shares no pair with the row cannot be its rule; checking
    # only those that do keeps a 120-row retyped table to a few thousand pairs.
    scores: dict[str, float] = {}
    if len(row_key) < 4 and " " not in row_key:
        # Too short for similarity to mean much (工会, 团员数), unless every pair
        # in it belongs to one rule alone: 团课, 述职, 换届 name their rule.
        owners = {keys.owners[n] for gram in grams for n, _ in keys.postings.get(gram, ())}
        if len(owners) > 1 and org is not None:
            owners = {o for o in owners if keys.orgs[o] is org}
        if (
            len(owners) == 1
            and all(gram in keys.postings for gram in grams)
            and row_key not in _GENERIC_TERMS
        ):
            scores[owners.pop()] = _UNIQUE_TERM_SCORE
    english = " " in row_key
    # The partial ratio says little about a short row (three characters in
    # common are most of it) or about a short wording found inside a long row
    # (the row mentions it, as 按团员人数设置团组织 mentions 团员人数).
    length = 6 if english else len(row_key)
    damp = min(1.0, length / 6) if length >= 4 else 0.0
    # A long row that holds all of a specific wording and says more besides (基层党组织
    # 领导班子成员每人负责结对联系…团组织负责人) is scored by how much of the wording it
    # holds, a little below an equal pair.
    long_row = len(row_key) >= _LONG_ROW and not english
    mass = keys.mass
    if long_row:
        texts = keys.texts
        found = []
        for n, common in shared.items():
            overlap = 200.0 * common / (row_mass + mass[n])
            if len(texts[n]) >= _SPECIFIC_WORDING:
                held = _CONTAINED * 100.0 * common / mass[n]
                if held > overlap:  # what max() keeps: the first of equals
                    overlap = held
            found.append((overlap, n))
    else:
        found = [(200.0 * common / (row_mass + mass[n]), n) for n, common in shared.items()]
    if not found:
        return scores
    # The partial ratio is the costly half. A wording whose overlap leaves it
    # short of the threshold even with a perfect partial ratio is not worth
    # it (past the best, which names the closest rule of an unmatched row).
    # So the best is taken first and only the wordings that may reach the
    # threshold are sorted after it: the order a sort of all of them would
    # visit until the first that cannot (the best case grows with the overlap).
    lift = _PARTIAL_WEIGHT * 100.0 * damp
    top = max(found)
    overlaps = [top]
    if (1 - _PARTIAL_WEIGHT) * top[0] + lift >= ACCEPT_SCORE:  # else none of the rest can
        overlaps.extend(
            sorted(
                (
                    pair
                    for pair in found
                    if pair is not top and (1 - _PARTIAL_WEIGHT) * pair[0] + lift >= ACCEPT_SCORE
                ),
                reverse=True,
            )
        )
    says_more: bool | None = None
    for overlap, number in overlaps:
        text = keys.texts[number]
        partial = 0.0
        if damp and len(text) >= 4:
            share = min(1.0, len(text) / len(row_key)) if not english else 1.0
            partial = fuzz.partial_ratio(row_key, text) * damp * share**0.25
        score = (1 - _PARTIAL_WEIGHT) * overlap + _PARTIAL_WEIGHT * partial
        if problem is not None and keys.problems[number] != problem:
            score *= _POLARITY_FACTOR
        if keys.preambles[number]:
            if says_more is None:
                says_more = not english and len(_PREAMBLE.sub("", row_key)) > 2
            if says_more:
                score *= _PREAMBLE_FACTOR
        rule_id = keys.owners[number]
        if score > scores.get(rule_id, 0.0):
            scores[rule_id] = score
    return scores


# Remembered by the vocabulary's fold table, which hashes by identity: a key of the
# folds themselves hashed 30-odd patterns on every look-up.


def _text_keys(text: str, folds: Folds) -> tuple[str, ...]:
    return _table_keys(text, _fold_table(folds))


@lru_cache(maxsize=8192)
def _table_keys(text: str, table: _FoldTable) -> tuple[str, ...]:
    return _keys(text, table.folds)


def _text_clauses(text: str, folds: Folds) -> tuple[str, ...]:
    return _table_clauses(text, _fold_table(folds))


@lru_cache(maxsize=8192)
def _table_clauses(text: str, table: _FoldTable) -> tuple[str, ...]:
    return _clause_keys(text, table.folds)


_CLAUSE_FACTOR = 0.95
"""A clause of a row that matches a rule counts a little less than the whole row would."""


# A quoted name: a campaign or brand the pack knows (“最美家庭”, “儿童之家”, “六有”), or a
# unit's own (“望江青年夜校”, “石门职工”, 《工会理论与实践》) that says nothing of a rule.
_QUOTED = lazy_compile(r"[“\"「『《]([^“”\"「」『』《》]{2,16})[”\"」』》]")

_STOCK_TERM_LIFT = 12.0
"""Added to the one rule whose wordings hold a quoted name of the row (“最美家庭”)."""

_OWN_NAME_FACTOR = 0.9
"""Share of its score a row keeps with a name of its own in it (the rest is compared without)."""

_NAME_ONLY_FACTOR = 1 / 1.2
"""A row that says little but a name of its own: the threshold is in effect raised by 1.2."""


def _row_scores(text: str, keys: WordingKeys, polarity: bool = True) -> dict[str, float]:
    """Rule id → score of a row's text; ``polarity`` False leaves problem wording unweighed."""
    scores = _plain_scores(text, keys, polarity)
    names = _QUOTED.findall(_cleaned(text))
    if not names or any(s > 100 for s in scores.values()):
        return scores
    own: list[str] = []
    for name in names:
        owners = _holders(indicator_key(name, keys.folds), keys)
        if len(owners) == 1:
            (rule_id,) = owners
            scores[rule_id] = scores.get(rule_id, 0.0) + _STOCK_TERM_LIFT
        elif not owners:
            own.append(name)
    if own:
        rest = _QUOTED.sub(lambda m: "" if m.group(1) in own else m.group(0), _cleaned(text))
        if _says_little(rest, keys.folds):
            for rule_id, score in scores.items():
                scores[rule_id] = score * _NAME_ONLY_FACTOR
        else:
            without = _plain_scores(rest, keys, polarity)
            for rule_id in scores.keys() | without.keys():
                scores[rule_id] = max(
                    scores.get(rule_id, 0.0) * _OWN_NAME_FACTOR, without.get(rule_id, 0.0)
                )
    return scores


@lru_cache(maxsize=1024)
def _holders_cached(key: str, texts: tuple[str, ...], owners: tuple[str, ...]) -> frozenset[str]:
    return frozenset(owners[n] for n, text in enumerate(texts) if key in text)


def _holders(key: str, keys: WordingKeys) -> frozenset[str]:
    """The rules whose wordings hold ``key`` (a quoted name of two characters or more)."""
    if len(key) < 2:
        return frozenset()
    return _holders_cached(key, keys.texts, keys.owners)


def _plain_scores(text: str, keys: WordingKeys, polarity: bool = True) -> dict[str, float]:
    verbatim = keys.verbatim.get(_row_key(text))
    if verbatim is not None:
        return {verbatim: 101.0}  # the rule's own words: nothing to weigh
    scores: dict[str, float] = {}
    problem = problem_worded(text) if polarity else None
    named = [o for o in orgs_named(text) if o is not None and o is not Org.all]
    org = named[0] if len(named) == 1 else None
    for key in _text_keys(text, keys.folds):
        exact = keys.exact.get(key)
        if exact is not None:
            scores[exact] = 101.0  # equal keys beat any similarity
        if _GENERIC_HEADING.match(key):
            continue  # 组织建设, 经费保障, 工作创新: a category, not an indicator
        for rule_id, score in _similarity(key, keys, problem, org).items():
            if score > scores.get(rule_id, 0.0):
                scores[rule_id] = score
    clauses = _text_clauses(text, keys.folds)
    for key in clauses:
        # A short clause names its organisation's rule only in a row that says
        # little else (团支部委员会健全，按期改选), not as one of many (…分工明确、结构
        # 合理，按期换届，选举民主).
        clause_org = org if len(clauses) <= 2 else None
        for rule_id, score in _similarity(key, keys, problem, clause_org).items():
            score *= _CLAUSE_FACTOR
            if score > scores.get(rule_id, 0.0):
                scores[rule_id] = score
    kind = text_kind(text)
    if kind is not None:
        for rule_id, score in scores.items():
            if score <= 100 and kind not in keys.kinds[rule_id]:
                scores[rule_id] = score * _OTHER_KIND_FACTOR
    return scores


def _apply_orgs(scores: dict[str, float], named: frozenset[Org | None], keys: WordingKeys) -> None:
    """Lower the rules of organisations other than the ones the row names."""
    if not named:
        return
    for rule_id, score in scores.items():
        org = keys.orgs[rule_id]
        if org is not Org.all and org not in named and score <= 100:
            scores[rule_id] = score * _OTHER_ORG_FACTOR


def _ranked(scores: dict[str, float], taken: set[str]) -> list[tuple[float, str]]:
    return sorted(((s, r) for r, s in scores.items() if r not in taken), reverse=True)


def _free_top(order: list[tuple[float, str]], taken: set[str]) -> list[tuple[float, str]]:
    """The two best rules of a ranked list that no row has taken yet."""
    top: list[tuple[float, str]] = []
    for pair in order:
        if pair[1] not in taken:
            top.append(pair)
            if len(top) == 2:
                break
    return top


def _clear(ranked: list[tuple[float, str]]) -> bool:
    if not ranked or ranked[0][0] < ACCEPT_SCORE:
        return False
    return ranked[0][0] > 100 or len(ranked) == 1 or ranked[0][0] - ranked[1][0] >= AMBIGUOUS_MARGIN


_CONFIRM_FLOOR = 30.0
"""A rule a row alone scores below this is not brought in by the row's category or criterion."""

_CONFIRM_LIFT = 20.0
"""Most a category or criterion adds to what a row that says something scores alone."""

_CONFIRM_NEAR = 5.0
"""Only rules this close to a row's best alone are confirmed: a category does not reorder."""

_SHORT_KEY = 6
"""A row whose key is this long or shorter says too little alone (经费保障, 党建带团建)."""


def _says_little(text: str, folds: Folds) -> bool:
    keys = _text_keys(text, folds)
    return not keys or all(len(k) <= _SHORT_KEY or _GENERIC_HEADING.match(k) for k in keys)


def _confirm(scores: dict[str, float], other: dict[str, float]) -> None:
    """Lift the rules near the top of ``scores`` by what ``other`` (a category) says of them."""
    best = max(scores.values(), default=0.0)
    for rule_id, score in other.items():
        alone = scores.get(rule_id, 0.0)
        if alone < max(_CONFIRM_FLOOR, best - _CONFIRM_NEAR):
            continue
        score = min(score, alone + _CONFIRM_LIFT)
        if score > alone:
            scores[rule_id] = score


def _shown(score: float) -> float:
    """An unmatched row's best score, rounded down: 54.99 is not shown as the threshold."""
    return math.floor(min(score, 100.0) * 10) / 10


def _match_by_text(
    rows: list[RowText],
    pack: RulePack,
    taken: set[str],
    results: dict[int, RowMatch],
    unit_type: str | None,
) -> None:
    keys = wording_keys(pack)
    elsewhere = frozenset(
        r.id for r in pack.rules if unit_type and r.applies_to and unit_type not in r.applies_to
    )
    table: list[dict[str, float]] = []
    problems: list[bool] = []  # whether each row's main text is worded as a problem
    for row in rows:
        scores = _row_scores(row.text, keys)
        # A sheet titled 群团组织建设情况, or filled in by a 党支部, says nothing of which
        # organisation a row is about.
        named = orgs_named(row.text) or orgs_named(row.org_hint) - {Org.all, None}
        _apply_orgs(scores, named, keys)
        if row.context and _says_little(row.text, keys.folds):
            if _says_little(row.context, keys.folds):
                # A short 二级指标 such as 经费保障 is told apart by its criterion.
                combined = _row_scores(f"{row.text}，{row.context}", keys)
                _apply_orgs(combined, named or orgs_named(row.context) - {Org.all}, keys)
                for rule_id, score in combined.items():
                    scores[rule_id] = max(score, scores.get(rule_id, 0.0))
            else:
                # A short label beside the standard it heads (党建带团建 | 党组织每年听取
                # 团支部工作汇报): the standard says what the row asks, the label
                # only confirms it.
                label = scores
                scores = _row_scores(row.context, keys)
                _apply_orgs(scores, orgs_named(row.context) or named, keys)
                combined = _row_scores(f"{row.text}，{row.context}", keys)
                _apply_orgs(combined, orgs_named(row.context) or named, keys)
                _confirm(scores, {r: max(s, combined.get(r, 0.0)) for r, s in label.items()})
                _confirm(scores, combined)
        elif row.context and not _clear(_ranked(scores, taken)):
            # A row that says something itself is only confirmed by its
            # category (组织设置 over 团支部按期换届): the category may lift a
            # rule the row is already near, never bring in one of its own.
            combined = _row_scores(f"{row.text}，{row.context}", keys)
            _apply_orgs(combined, named or orgs_named(row.context) - {Org.all}, keys)
            _confirm(scores, combined)
        for rule_id in elsewhere & scores.keys():
            if scores[rule_id] <= 100:
                scores[rule_id] *= _OTHER_TYPE_FACTOR
        if row.answer:
            _decide_by_answer(scores, answer_kind(row.answer), keys)
        main = _main_text(row, keys)
        problems.append(problem_worded(main))
        if problems[-1]:
            # 活动被挤占 is 活动按期开展 asked the other way round: its yes is that rule's
            # no. Such a row is tied once the others are, marked opposite (_opposite).
            for rule_id in keys.standard_yesno & scores.keys():
                del scores[rule_id]
        table.append(scores)

    # Best pairs first; a row whose two best free rules tie waits, since one of
    # them may yet go to another row, and is unmatched if the tie remains.
    pending = set(range(len(rows)))
    order = [_ranked(scores, set()) for scores in table]
    rivals: dict[int, tuple[float, str, float, str]] = {}
    progress = True
    while progress and pending:
        progress = False
        pairs = sorted(
            (
                (score, -position, position, rule_id)
                for position in pending
                for score, rule_id in order[position]
                if score >= ACCEPT_SCORE and rule_id not in taken
            ),
            reverse=True,
        )
        for score, _, position, rule_id in pairs:
            if position not in pending or rule_id in taken:
                continue
            ranked = _free_top(order[position], taken)
            if not _clear(ranked) or ranked[0][1] != rule_id:
                if len(ranked) > 1 and ranked[0][0] >= ACCEPT_SCORE:
                    rivals[position] = (*ranked[0], *ranked[1])
                continue
            pending.discard(position)
            rivals.pop(position, None)
            taken.add(rule_id)
            progress = True
            row = rows[position]
            method = MatchMethod.text if score > 100 else MatchMethod.fuzzy
            results[row.index] = RowMatch(row.index, rule_id, method, round(min(score, 100.0), 1))

    for position in pending:
        row = rows[position]
        if position in rivals:
            score, rule_id, _, rival = rivals[position]
            results[row.index] = RowMatch(
                row.index, None, MatchMethod.none, 0.0, rule_id, _shown(score), rival
            )
            continue
        opposite = _opposite(row, keys, taken) if problems[position] else None
        if opposite is not None:
            # The row asks the rule the other way round: tied, and intake reads
            # a yes/no answer reversed with a warning naming the cell.
            score, rule_id = opposite
            taken.add(rule_id)
            results[row.index] = RowMatch(
                row.index, rule_id, MatchMethod.fuzzy, round(min(score, 100.0), 1), opposite=True
            )
            continue
        ranked = order[position]  # the row's rules ranked, none left out
        score, rule_id = ranked[0] if ranked else (0.0, "")
        results[row.index] = RowMatch(
            row.index,
            None,
            MatchMethod.none,
            0.0,
            best_rule=rule_id,
            best_score=_shown(score),
        )


def _main_text(row: RowText, keys: WordingKeys) -> str:
    """What says what a row asks: its text, or the standard beside a short label."""
    return row.context if row.context and _says_little(row.text, keys.folds) else row.text


def _opposite(row: RowText, keys: WordingKeys, taken: set[str]) -> tuple[float, str] | None:
    """The free rule an unmatched problem-worded row is tied to, were wording not weighed.

    群团计划活动被生产任务挤占 reads as LEAD-12 (群团年度计划活动是否按期开展) asked the
    other way round: a yes there is a no here, which intake reads so.
    """
    text = _main_text(row, keys)
    if not problem_worded(text):
        return None
    scores = _row_scores(text, keys, polarity=False)
    _apply_orgs(scores, orgs_named(text), keys)
    scores = {r: s for r, s in scores.items() if r in keys.standard_yesno}
    ranked = _free_top(_ranked(scores, set()), taken)
    if not _clear(ranked) or ranked[0][0] > 100:
        return None
    return ranked[0]
