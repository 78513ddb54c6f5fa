"""The shortcuts that make row matching cheap give what the plain code gives (issue 12).

A sheet of 20,000 rows of text that match no rule (an activity log pasted under
the table) is matched row by row, so each step of a row's matching skips what
cannot change its result: a pattern is tried only on a text holding a character
every match of it holds, a concept folds only a key holding the start of one of
its words, the overlaps of a row are sorted only as far as they are visited.
Each shortcut is compared here with the code it stands for, written out plainly
below: on the pack's wordings, on rows made from them with criteria, brackets,
quotes, dates and traditional script, and on texts hypothesis makes from the
characters the patterns turn on. Scores must be equal to the last bit.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from checklist import textnorm
from checklist.intake import matching as m
from checklist.model import Org, RulePack
from checklist.rulepack import load_pack
from tests.properties import examples

PACK = load_pack("grassroots")
KEYS = m.wording_keys(PACK)
FOLDS = KEYS.folds

# --- the plain code each shortcut stands for ---------------------------------------------


def plain_clean(text: str) -> str:
    value = unicodedata.normalize("NFKC", text).translate(textnorm._INVISIBLE)
    return " ".join(value.split())


def plain_has_cjk(text: str) -> bool:
    return not text.isascii() and any(
        "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" for char in text
    )


def plain_to_simplified(text: str) -> str:
    if not plain_has_cjk(text):
        return text
    changes = textnorm._changes()
    if (
        changes is not None
        and changes.chars.isdisjoint(text)
        and not any(
            char in text and any(phrase in text for phrase in phrases)
            for char, phrases in changes.phrases.items()
        )
    ):
        return text
    return str(textnorm._converter().convert(text))


def plain_is_english(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isascii() for c in letters) >= 0.8 * len(letters)


def plain_strip_criteria(text: str) -> str:
    text = m._INNER_SPACE.sub("", text) if not plain_is_english(text) else text
    text = m._DATE.sub("", m._ITEM_NUMBER.sub("", text))
    text = m._POINTS_BRACKET.sub("", text)
    without = m._SCORING_CLAUSE.sub("", text)
    text = without if len(without) >= 4 else m._SCORING_WORDS.sub("", text)
    return m._THRESHOLD.sub(m._keep_scope, text)


def plain_fold(key: str, folds: m.Folds) -> str:
    if not folds:
        return key
    for pattern, replacement in folds:
        words = re.sub(r"\\(.)", r"\1", pattern.pattern).split("|")
        if not {w[0] for w in words if w}.isdisjoint(key):
            key = pattern.sub(replacement, key)
    return m._REPEATED.sub(r"\1", key)


def plain_problem_worded(text: str) -> bool:
    value = m._POINTS_BRACKET.sub("", plain_to_simplified(plain_clean(text)))
    return bool(m._PROBLEM.search(value)) and not m._DEDUCTION.search(value)


def plain_text_kind(text: str) -> str | None:
    value = plain_to_simplified(plain_clean(text)).lower()
    value = m._INNER_SPACE.sub("", value) if not plain_is_english(value) else value
    value = m._POINTS_BRACKET.sub("", value).strip()
    value = m._THRESHOLD.sub(m._keep_scope, value).strip()
    value = re.sub(r"[(（][^()（）]*[)）]$", "", value).strip()
    for kind, pattern in m._KIND_WORDS:
        if pattern.search(value):
            return kind
    return None


def plain_grams(key: str) -> frozenset[str]:
    if " " in key or key.isascii():
        return frozenset(key.split())
    if len(key) == 1:
        return frozenset((key,))
    return frozenset(key[i : i + 2] for i in range(len(key) - 1))


def plain_similarity(
    row_key: str, keys: m.WordingKeys, problem: bool | None = False, org: Org | None = None
) -> dict[str, float]:
    """_similarity with every overlap sorted and visited until one cannot reach the threshold."""
    grams = plain_grams(row_key)
    if not grams:
        return {}
    row_mass = 0.0
    shared: dict[int, float] = defaultdict(float)
    for gram in grams:
        posting = keys.postings.get(gram)
        if posting is None:
            row_mass += keys.unseen
            continue
        row_mass += posting[0][1]
        for number, weight in posting:
            shared[number] += weight
    scores: dict[str, float] = {}
    if len(row_key) < 4 and " " not in row_key:
        owners = {keys.owners[n] for gram in grams for n, _ in keys.postings.get(gram, ())}
        if len(owners) > 1 and org is not None:
            owners = {o for o in owners if keys.orgs[o] is org}
        if (
            len(owners) == 1
            and all(gram in keys.postings for gram in grams)
            and row_key not in m._GENERIC_TERMS
        ):
            scores[owners.pop()] = m._UNIQUE_TERM_SCORE
    english = " " in row_key
    length = 6 if english else len(row_key)
    damp = min(1.0, length / 6) if length >= 4 else 0.0
    long_row = len(row_key) >= m._LONG_ROW and not english
    says_more = not english and len(m._PREAMBLE.sub("", row_key)) > 2
    overlaps = sorted(
        (
            (
                max(
                    200.0 * common / (row_mass + keys.mass[n]),
                    m._CONTAINED * 100.0 * common / keys.mass[n]
                    if long_row and len(keys.texts[n]) >= m._SPECIFIC_WORDING
                    else 0.0,
                ),
                n,
            )
            for n, common in shared.items()
        ),
        reverse=True,
    )
    weight = m._PARTIAL_WEIGHT
    for rank, (overlap, number) in enumerate(overlaps):
        best_case = (1 - weight) * overlap + weight * 100.0 * damp
        if rank and best_case < m.ACCEPT_SCORE:
            break
        text = keys.texts[number]
        partial = 0.0
        if damp and len(text) >= 4:
            share = min(1.0, len(text) / len(row_key)) if not english else 1.0
            partial = fuzz.partial_ratio(row_key, text) * damp * share**0.25
        score = (1 - weight) * overlap + weight * partial
        if problem is not None and keys.problems[number] != problem:
            score *= m._POLARITY_FACTOR
        if keys.preambles[number] and says_more:
            score *= m._PREAMBLE_FACTOR
        rule_id = keys.owners[number]
        if score > scores.get(rule_id, 0.0):
            scores[rule_id] = score
    return scores


# --- texts -----------------------------------------------------------------------------


def _wordings(pack: RulePack) -> list[str]:
    return [
        t
        for rule in pack.rules
        for t in (
            rule.indicator.zh,
            rule.indicator.en,
            *rule.aliases,
            rule.guidance.zh if rule.guidance else "",
        )
        if t
    ]


WORDINGS = _wordings(PACK)

# Pieces that set each pattern off: criteria, thresholds, dates, numbering, brackets,
# quotes, spaces of every kind, invisible and traditional characters, repeated words.
PIECES = [
    "（2分）",
    "(每人扣1分)",
    "，每年不少于2次，少1次扣1.5分",
    "不得分",
    "扣完为止",
    "酌情扣分",
    "获市级模范之家加1、3、5分",
    "达95%以上",
    "不低于90％",
    "团员3人以上单独建立团支部",
    "会员不少于25名的单位",
    "执委不少于7名",
    "人均16学时",
    "每季度",
    "2024年5月完成改选",
    "2021年度",
    "第3项：",
    "第十二条",
    "1、",
    "（三）",
    "“最美家庭”",
    "《工会理论与实践》",
    "“石门职工”",
    "未参加培训的人数",
    "活动被挤占",
    "职工入会率（%）",
    "团员人数（人）",
    "是否",
    "？",
    "?",
    "how many",
    " ",
    "\t",
    "\u3000",
    "\u00a0",
    "\n",
    "\u200b",
    "\u00ad",
    "組織學時",
    "反覆",
    "技術比武",
    "技术比武技术比武",
    "岗位练兵",
    "组(zǔ)织(zhī)",
    "群团",
    "工青妇",
    "女职工",
    "村民代表大会",
    "附：12号台账 张12同志参加3月培训",
]

CHARS = sorted(
    set("".join(PIECES) + "".join(WORDINGS[:60]) + "()（）[]分次人年第每时项个户名篇天%％")
)

TEXTS = st.one_of(
    st.text(alphabet=st.sampled_from(CHARS), max_size=40),
    st.lists(st.sampled_from(PIECES + WORDINGS), min_size=1, max_size=4).map("".join),
    st.lists(st.sampled_from(PIECES + WORDINGS), min_size=1, max_size=3).map("，".join),
)

PROPERTY = settings(
    max_examples=examples(600), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _corpus() -> Iterator[str]:
    """The pack's wordings, each also with pieces around it, as retyped forms carry them."""
    for number, text in enumerate(WORDINGS):
        yield text
        piece = PIECES[number % len(PIECES)]
        yield text + piece
        yield piece + text
        other = WORDINGS[(number * 7 + 3) % len(WORDINGS)]
        yield f"{text}，{other}"
        yield text[: len(text) // 2] + other[len(other) // 2 :]
    for n in range(1, 200, 7):
        yield f"附：{n}号台账 张{n % 97}同志参加{n % 12 + 1}月培训"


CORPUS = list(dict.fromkeys(_corpus()))


# --- the guards ---------------------------------------------------------------------------


def test_every_whitespace_is_a_space_or_unprintable() -> None:
    # _has_space stands for a search of \s: it must hold for every character \s matches.
    space = re.compile(r"\s")
    missed = [
        hex(code)
        for code in range(sys.maxunicode + 1)
        if space.match(chr(code)) and not m._has_space(chr(code))
    ]
    assert missed == []


@pytest.mark.parametrize(
    ("pattern", "guard"),
    [
        (m._POINTS_BRACKET, m._has_points),
        (m._SCORING_CLAUSE, m._has_points),
        (m._SCORING_WORDS, m._has_points),
        (m._DEDUCTION, m._has_points),
        (m._THRESHOLD, lambda t: m._THRESHOLD_CHARS.search(t) is not None),
        (m._INNER_SPACE, m._has_space),
        (m._ITEM_NUMBER, lambda t: "第" in t),
        (m._DATE, lambda t: "年" in t),
        (textnorm._PINYIN, lambda t: "(" in t or "（" in t),
    ],
    ids=[
        "points",
        "scoring clause",
        "scoring words",
        "deduction",
        "threshold",
        "inner space",
        "item number",
        "date",
        "pinyin",
    ],
)
def test_a_text_the_guard_turns_away_has_no_match(pattern: re.Pattern[str], guard: object) -> None:
    assert callable(guard)
    for text in CORPUS:
        if pattern.search(text):
            assert guard(text), text

    @PROPERTY
    @given(TEXTS)
    def check(text: str) -> None:
        if pattern.search(text):
            assert guard(text), text

    check()


# --- each step against its plain code ---------------------------------------------------


def test_every_character_is_cjk_or_not_as_before() -> None:
    differ = [
        hex(code)
        for code in range(sys.maxunicode + 1)
        if textnorm.has_cjk(chr(code)) != plain_has_cjk(chr(code))
    ]
    assert differ == []


def _same_steps(text: str) -> None:
    assert textnorm.has_cjk(text) == plain_has_cjk(text)
    assert textnorm.clean(text) == plain_clean(text)
    assert textnorm.to_simplified(text) == plain_to_simplified(text)
    assert m._is_english(text) == plain_is_english(text)
    assert m._strip_criteria(text) == plain_strip_criteria(text)
    assert m.problem_worded(text) == plain_problem_worded(text)
    assert m.text_kind(text) == plain_text_kind(text)
    key = textnorm.match_key(text)
    assert m._fold(key, FOLDS) == plain_fold(key, FOLDS)
    assert m._fold(key, ()) == plain_fold(key, ()) == key  # a pack without concepts
    assert m._text_keys(text, ()) == m._keys(text, ())
    assert m._text_clauses(text, FOLDS) == m._clause_keys(text, FOLDS)
    assert m._unrepeated(key) == m._REPEATED.sub(r"\1", key)
    assert m._grams(key) == plain_grams(key)
    assert list(m._grams(key)) == list(plain_grams(key))  # the order sums are taken in
    for row_key in {key, m.indicator_key(text, FOLDS)}:
        for problem, org in ((False, None), (True, Org.union), (None, Org.league)):
            assert m._similarity(row_key, KEYS, problem, org) == plain_similarity(
                row_key, KEYS, problem, org
            ), row_key


def test_steps_on_the_pack_wordings_and_rows_made_from_them() -> None:
    for text in CORPUS:
        _same_steps(text)


@PROPERTY
@given(TEXTS)
def test_steps_on_any_text(text: str) -> None:
    _same_steps(text)


def test_repeated_words_are_still_written_once() -> None:
    # The shortcut hands these to the pattern; keys without such a run it returns as they are.
    for key in (
        "技术比武技术比武岗位",
        "xx群团群团yy",
        "abab",
        "附16号台账张16同志",
        "组织职工参加培训",
    ):
        assert m._unrepeated(key) == m._REPEATED.sub(r"\1", key)
    assert m._unrepeated("技术比武技术比武岗位") == "技术比武岗位"
