"""Finding the header row of a self-assessment table and what each column holds.

Real forms name their columns many ways (序号/编号, 考核内容/考评内容指标/指标,
自评/自评情况/填报情况, 自评分/自评得分/自查得分 …), in either script, with
stray spaces (编 号), sometimes over two header rows (得分 over 自评分 | 考评分).
A header cell is read by its normalised text: an exact synonym wins, otherwise
the longest synonym it contains.
"""

from __future__ import annotations

from functools import cache, lru_cache

from checklist.layout import COLUMNS
from checklist.patterns import lazy_compile
from checklist.records import record
from checklist.textnorm import conversion_fingerprint, match_key
from checklist.workbook import Sheet

HEADER_SCAN_ROWS = 20
"""The header is the best of this many rows: from the top, or from the first header row below."""

# Column roles and the words that name them. Order inside a tuple is irrelevant;
# the longest matching synonym decides. `ignore` names columns that must not be
# mistaken for ours (the reviewer's score, the scoring method).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": (
        "序号",
        "编号",
        "编码",
        "次序",
        "项目编号",
        "指标编号",
        "no",
        "no.",
        "number",
        "id",
        "item no",
    ),
    "area": (
        "类别",
        "一级指标",
        "考评项目",
        "考核项目",
        "工作类别",
        "项目类别",
        "分类",
        "类目",
        "考评项目及标准分",
        "评定项目",
        "area",
        "category",
        "dimension",
    ),
    "indicator": (
        "指标",
        "考核内容",
        "考评内容",
        "考核内容指标",
        "考评内容指标",
        "二级指标",
        "三级指标",
        "具体指标",
        "具体内容",
        "考核指标",
        "考评指标",
        "评价指标",
        "具体目标要求",
        "目标要求",
        "验收标准",
        "评定内容",
        "检查内容",
        "工作内容",
        "评估内容",
        "指标内容",
        "考核要点",
        # Published forms head the standard a row sets, which is the indicator
        # to the unit (评定标准 in 对标定级, 验收标准 in 职工之家, 考核要求 …).
        "评定标准",
        "考核要求",
        "内容标准",
        "评价内容",
        "参考标准",
        "具体要求",
        "工作要求",
        "考核细则",
        "调查项目",
        "建设内容",
        "建设标准",
        "创建标准",
        # The standard a row sets (考核标准 in 规范化建设 细则); when its cells
        # are deductions instead (每少1次扣1分), the content check below
        # takes the column for the scoring method.
        "考核标准",
        "考评标准",
        "评价标准",
        "达标要求",
        "indicator",
        "question",
        "item",
        "criterion",
    ),
    "answer": (
        "自评",
        "自评填报",
        "自评情况",
        "填报情况",
        "答案",
        "工作情况",
        "完成情况",
        "落实情况",
        "实际情况",
        "工作情况和数字说明",
        "填报内容",
        "自评结果",
        "自评内容",
        "填报",
        "自查情况",
        "情况说明",
        "具体情况",
        "基本情况",
        "开展情况",
        "工作开展情况",
        "完成情况说明",
        "自评说明",
        "自查说明",
        "达标情况",
        "执行情况",
        "实际完成情况",
        "填写内容",
        "本单位情况",
        "履职情况",
        "填报内容说明",
        "自检情况",
        "自查结果",
        "自检结果",
        "落实情况说明",
        "answer",
        "status",
        "actual",
        "response",
        "self-assessment",
    ),
    "evidence": (
        "佐证",
        "佐证材料",
        "佐证资料",
        "证明材料",
        "证明资料",
        "支撑材料",
        "评分依据",
        "附件",
        "evidence",
        "supporting documents",
    ),
    "claimed": (
        "自评分",
        "自评得分",
        "自查得分",
        "自评分数",
        "自评打分",
        "自查分",
        "自检分",
        "自检分数",
        "自检得分",
        "自查分数",
        "自评分值",
        "self-score",
        "self score",
        "claimed score",
    ),
    "remarks": ("备注", "说明", "注", "remarks", "notes", "note", "comment", "comments"),
    "guidance": (
        "填报说明",
        "评分标准",
        "评分细则",
        "考评办法",
        "评分办法",
        "计分方法",
        "评分方法",
        "扣分标准",
        "扣分办法",
        "扣分细则",
        "计分标准",
        "考核办法",
        "how to answer",
        "scoring",
        "guidance",
    ),
    "points": ("分值", "标准分", "应得分", "满分", "points", "max points"),
    "ignore": (
        "考评分",
        "考评得分",
        "验收分",
        "检查得分",
        "上级评分",
        "群众评分",
        "上级党组织评分",
        "考评方式",
        "考评分数",
        "复核分",
        "复核得分",
        "核定分",
        "审核得分",
        "扣分原因",
        "扣分情况",
    ),
    # Check-box columns: the unit ticks 是 or 否 (有/无) instead of writing an answer.
    "tick_yes": ("是", "有", "已完成", "符合", "达标", "yes", "√"),
    "tick_no": ("否", "无", "未完成", "不符合", "不达标", "no", "×"),
    # A score column that does not say whose score it is: the unit's own when the
    # table has no self-score column (温州's 标准分 | 考核得分 filled in by the unit).
    "score": ("得分", "考核得分", "考核分", "考核分数", "实得分", "得分情况", "自我评分", "score"),
}

# 项目 names the category when the table also has an indicator column, and the
# indicator itself otherwise (both layouts are common).
_AMBIGUOUS_ITEM = "项目"


@cache
def _synonym_keys() -> tuple[tuple[str, str], ...]:
    """Each header word's match key and role (kept in the cache folder: a millisecond and a
    half of every run, and the same until this module, textnorm or OpenCC change)."""
    from checklist import packcache

    key = packcache.code_tables_key(
        "header synonyms", ("intake/headers.py", "textnorm.py"), conversion_fingerprint()
    )
    stored = packcache.load_tables(key)
    if type(stored) is list and all(
        type(pair) is list and len(pair) == 2 and all(type(x) is str for x in pair)
        for pair in stored
    ):
        return tuple((text, role) for text, role in stored)
    keys = _build_synonym_keys()
    packcache.store_tables(key, keys, "header synonyms")
    return keys


def _build_synonym_keys() -> tuple[tuple[str, str], ...]:
    # In the order written (a set's order changed from run to run, and with it which
    # role a word two roles list went to: "no" is both a number column and a tick).
    keys = dict.fromkeys(
        (match_key(word), role) for role, words in SYNONYMS.items() for word in words
    )
    for role, text in COLUMNS:
        keys.update(dict.fromkeys(((match_key(text.zh), role), (match_key(text.en), role))))
    # Longest first so that 自评得分 is read before 自评.
    return tuple(sorted(keys, key=lambda kr: -len(kr[0])))


@record
class _SynonymIndex:
    """The synonyms arranged for reading many cells quickly."""

    exact: dict[str, str]
    """Synonym key → role (where two roles share a key, the first in ``_synonym_keys``)."""
    contained: tuple[tuple[int, dict[str, str]], ...]
    """Synonyms a longer cell may contain, by length, longest first."""
    openings: frozenset[str]
    """The first two characters of each of ``contained``: most cells hold none of them
    (a set, not one regex of all the synonyms: that takes a millisecond to compile)."""


@cache
def _synonym_index() -> _SynonymIndex:
    exact: dict[str, str] = {}
    contained: dict[int, dict[str, str]] = {}
    for synonym, role in _synonym_keys():
        exact.setdefault(synonym, role)
        # One-character words (注) and short Latin words only count when exact.
        if len(synonym) >= 2 and not (synonym.isascii() and len(synonym) < 4):
            contained.setdefault(len(synonym), {}).setdefault(synonym, role)
    return _SynonymIndex(
        exact,
        tuple(sorted(contained.items(), reverse=True)),
        frozenset(word[:2] for group in contained.values() for word in group),
    )


@lru_cache(maxsize=4096)
def header_role(text: str) -> tuple[str, int] | None:
    """The role a header cell names and how surely (2 exact, 1 contained), or None."""
    if len(text) > 40:
        return None  # an indicator or a title, never a column name
    key = match_key(text)
    if not key or len(key) > 24:
        return None
    if key == _AMBIGUOUS_ITEM:
        return ("item", 2)
    index = _synonym_index()
    role = index.exact.get(key)
    if role is not None:
        return (role, 2)
    if not any(key[at : at + 2] in index.openings for at in range(len(key) - 1)):
        return None
    # The longest synonym the cell contains decides; between two as long, the
    # one written first (考核内容及评分标准 names the indicator, not the criterion).
    for length, synonyms in index.contained:
        for at in range(len(key) - length + 1):
            role = synonyms.get(key[at : at + length])
            if role is not None:
                return (role, 1)
    return None


@record
class Header:
    """Where a table's header is and which column holds what."""

    row: int
    """0-based row of the (last) header row; data starts below it."""
    columns: dict[str, int]
    """Role → 0-based column (id, area, subarea, indicator, answer, answer2, tick_yes, tick_no,
    evidence, claimed, remarks, guidance, points)."""
    labels: dict[str, str]
    """Role → header text as written, for messages."""
    score_as_claimed: bool = False
    """The self-score column is a score column that does not say whose (得分, 考核得分)."""
    from_content: bool = False
    """No header word was known: the columns were told by what they hold."""
    told_by_content: tuple[str, ...] = ()
    """Roles whose column the header words named wrongly or not at all, told by what the
    column holds instead (a 项目 column of merged categories beside the standards' column)."""


def _roles_in_row(sheet: Sheet, row: int) -> dict[int, tuple[str, int, str]]:
    found: dict[int, tuple[str, int, str]] = {}
    cells = sheet.rows[row] if row < len(sheet.rows) else ()
    seen_merged: set[object] = set()
    for col, value in enumerate(cells):
        if value is None or not isinstance(value, str):
            continue
        role = header_role(value)
        if role is None:
            continue
        # A merged header cell is copied into each column it spans; keep the first.
        marker = (value, role)
        if marker in seen_merged and col > 0 and cells[col - 1] == value:
            continue
        seen_merged.add(marker)
        found[col] = (role[0], role[1], value)
    return found


def _assign(cells: dict[int, tuple[str, int, str]]) -> tuple[dict[str, int], dict[str, str]]:
    columns: dict[str, int] = {}
    strength: dict[str, int] = {}
    labels: dict[str, str] = {}
    has_indicator = any(role == "indicator" for role, _, _ in cells.values())
    for col in sorted(cells):
        role, sure, label = cells[col]
        if role == "item":
            role = "area" if has_indicator else "indicator"
        if role == "ignore":
            continue
        if role == "indicator" and role in columns and sure == strength[role]:
            # Indicators nest left to right (二级指标 | 三级指标): the right one is
            # the indicator, the left one its heading.
            columns["subarea"], labels["subarea"] = columns[role], labels[role]
            columns[role], labels[role] = col, label
            continue
        if role == "answer" and role in columns:
            # Of two answer columns (完成情况（数量） | 情况说明) the left one is read
            # first and the right one where it is blank.
            if "answer2" not in columns:
                columns["answer2"], labels["answer2"] = col, label
            continue
        if role not in columns or sure > strength[role]:
            columns[role] = col
            strength[role] = sure
            labels[role] = label
    return columns, labels


def _score_as_claimed(columns: dict[str, int], labels: dict[str, str]) -> bool:
    """Read a bare score column (得分) as the self-score when there is no other."""
    col = columns.pop("score", None)
    label = labels.pop("score", "")
    if col is None or "claimed" in columns:
        return False
    columns["claimed"] = col
    labels["claimed"] = label
    return True


def _second_header_row(
    sheet: Sheet, row: int, cells: dict[int, tuple[str, int, str]], columns: dict[str, int]
) -> dict[int, tuple[str, int, str]] | None:
    """The row below as the lower half of a two-level header, when it is one.

    In a two-level header (得分 over 自评分 | 考评分) the cells that are not split
    are merged down, so the row below repeats the indicator header (or is blank
    there) and names columns the upper row left unnamed or named vaguely.
    """
    if row + 1 >= len(sheet.rows):
        return None
    indicator_col = columns.get("indicator")
    if indicator_col is not None:
        below_indicator = sheet.value(row + 1, indicator_col)
        if below_indicator not in (None, "", sheet.value(row, indicator_col)):
            return None
    below = _roles_in_row(sheet, row + 1)
    fresh = {
        c: v
        for c, v in below.items()
        if cells.get(c, ("ignore",))[0] in ("ignore", "answer", "score")
    }
    return fresh or None


def header_at(sheet: Sheet, row: int) -> Header | None:
    """The table header starting at ``row`` (with the row below when two-level), or None."""
    cells = _roles_in_row(sheet, row)
    if len(cells) < 2:
        return None
    columns, labels = _assign(cells)
    header_row = row
    lower = _second_header_row(sheet, row, cells, columns)
    if lower is not None:
        columns, labels = _assign({**cells, **lower})
        header_row = row + 1
    guessed = _score_as_claimed(columns, labels)
    if ("tick_yes" in columns) != ("tick_no" in columns):
        # A lone 是 or 有 column is no check-box pair.
        for role in ("tick_yes", "tick_no"):
            columns.pop(role, None)
            labels.pop(role, None)
    if "indicator" not in columns:
        return None
    told = _indicator_by_content(sheet, row, header_row, columns, labels)
    told += _answer_by_content(sheet, row, header_row, columns, labels)
    if not {"answer", "claimed", "tick_yes"} & set(columns):
        told += _self_score_by_content(sheet, row, header_row, columns, labels)
        if "claimed" not in columns:
            return None
    if "points" not in columns and "claimed" in columns:
        told += _points_by_content(sheet, row, header_row, columns, labels)
    return Header(header_row, columns, labels, guessed, told_by_content=told)


# Deductions and additions: the scoring method's language, not a standard (每少1次扣1分).
_SCORING_TEXT = lazy_compile(
    r"扣\s*[0-9０-９.一二三四五六七八九十半]*\s*分|不得分|不计分|加\s*[0-9０-９.]+\s*分|每[^，。；,;]{0,10}[扣加减]"
)


def _body(sheet: Sheet, header_row: int) -> tuple[tuple[object, ...], ...]:
    return sheet.rows[header_row + 1 : header_row + 1 + _SAMPLE_ROWS]


def _column_texts(sheet: Sheet, header_row: int, col: int) -> list[str]:
    """The non-blank texts in ``col`` of the rows below the header (a sample)."""
    texts = []
    for cells in _body(sheet, header_row):
        value = cells[col] if col < len(cells) else None
        if isinstance(value, str) and value.strip():
            texts.append(value.strip())
    return texts


def _reads_as_standards(texts: list[str]) -> bool:
    """Long, varied texts that are no scoring method: what an indicator column holds."""
    return (
        len(texts) >= 3
        and len(set(texts)) >= 0.8 * len(texts)
        and sum(map(len, texts)) >= 6 * len(texts)
        and sum(bool(_SCORING_TEXT.search(t)) for t in texts) < 0.5 * len(texts)
    )


def _indicator_by_content(
    sheet: Sheet, row: int, header_row: int, columns: dict[str, int], labels: dict[str, str]
) -> tuple[str, ...]:
    """Move the indicator to the column that holds the standards when the named one does not.

    A 项目 column read as the indicator may hold the categories merged over
    several rows, the standards standing in a column headed with words we do
    not know; a 考核标准 column may hold deductions (每少1次扣1分) while the
    standards stand in its left neighbour. Returns ``("indicator",)`` when moved.
    """
    named = columns["indicator"]
    texts = _column_texts(sheet, header_row, named)
    if _reads_as_standards(texts) or len(texts) < 3:
        return ()
    scoring = sum(bool(_SCORING_TEXT.search(t)) for t in texts) >= 0.5 * len(texts)
    taken = set(columns.values())
    width = max((len(sheet.rows[r]) for r in range(row, header_row + 1)), default=0)
    # A 评分标准 column may hold the standards themselves (团支部委员会健全，每年按期
    # 改选) beside short labels (支部班子): it is then the indicator, but only when
    # not one of its texts is a scoring method (设置不规范扣2分 says it scores).
    guidance = columns.get("guidance")
    if guidance is not None and any(
        _SCORING_TEXT.search(t) for t in _column_texts(sheet, header_row, guidance)
    ):
        guidance = None
    candidates = [c for c in (columns.get("subarea"), guidance) if c is not None] + [
        c for c in range(named + 1, width) if c not in taken
    ]
    better = next(
        (c for c in candidates if _reads_as_standards(_column_texts(sheet, header_row, c))), None
    )
    if better is None:
        return ()
    old_label = labels.pop("indicator")
    if better == columns.get("guidance"):
        columns.pop("guidance")
        labels.pop("guidance")
        scoring = False
        demoted = "subarea"  # the short labels name each row's theme, as 工作内容 does
    else:
        demoted = "guidance" if scoring else "area"
    columns.pop("subarea", None)
    labels.pop("subarea", None)
    columns["indicator"] = better
    labels["indicator"] = _header_text(sheet, row, header_row, better)
    if demoted not in columns:
        columns[demoted] = named
        labels[demoted] = old_label
    return ("indicator",)


# What a unit's account of its work says (已建立, 未召开, 4次, √), as against a
# column of how the standard is checked (查阅会议记录, 实地查看).
_ANSWER_TEXT = lazy_compile(
    r"\d|[√✓×]|已|未|是|否|有|无|没|完成|建立|开展|召开|落实|达到|设立|配备"
)


def _answer_by_content(
    sheet: Sheet, row: int, header_row: int, columns: dict[str, int], labels: dict[str, str]
) -> tuple[str, ...]:
    """The answer column told by what it holds, when no header word named it.

    Forms head the unit's account of its work in many ways (推进情况, 做法与成效,
    落实举措): the first unnamed column right of the indicator that holds text in
    most rows, varied and no scoring method, is the answers. A column named for
    answers (自评) that holds only small numbers is the self-score, when the table
    has none, and gives way to such a text column.
    """
    if "tick_yes" in columns:
        return ()
    body = _body(sheet, header_row)
    told: tuple[str, ...] = ()
    named = columns.get("answer")
    if named is not None:
        values = [cells[named] for cells in body if named < len(cells) and cells[named] is not None]
        numeric = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
        if len(numeric) < 3 or len(numeric) < len(values) or not all(0 <= v <= 30 for v in numeric):
            return ()
        label = labels.pop("answer")
        del columns["answer"]
        if "claimed" not in columns:
            columns["claimed"], labels["claimed"] = named, label
            told = ("claimed",)
    taken = set(columns.values()) | ({named} if named is not None else set())
    width = max((len(sheet.rows[r]) for r in range(row, header_row + 1)), default=0)
    for col in range(columns["indicator"] + 1, width):
        if col in taken or any(
            header_role(t) is not None
            for r in range(row, header_row + 1)
            if isinstance(t := sheet.value(r, col), str)
        ):
            continue
        texts = _column_texts(sheet, header_row, col)
        filled = sum(1 for cells in body if col < len(cells) and cells[col] not in (None, ""))
        if (
            len(texts) >= 3
            and len(texts) >= 0.5 * filled
            and filled >= 0.5 * len(body)
            and len(set(texts)) >= 0.8 * len(texts)
            and sum(bool(_SCORING_TEXT.search(t)) for t in texts) < 0.5 * len(texts)
            and sum(bool(_ANSWER_TEXT.search(t)) for t in texts) >= 0.5 * len(texts)
        ):
            columns["answer"] = col
            labels["answer"] = _header_text(sheet, row, header_row, col)
            return (*told, "answer")
    return told


def _points_by_content(
    sheet: Sheet, row: int, header_row: int, columns: dict[str, int], labels: dict[str, str]
) -> tuple[str, ...]:
    """The points column told by its numbers when its word is unknown (权重, 赋分, 基础分).

    The first unnamed column between the indicator and the self-score whose
    numbers are small and never below the self-score beside them: without it a
    form sent in with only its scores could not say which standards were met.
    """
    claimed = columns["claimed"]
    body = _body(sheet, header_row)
    for col in range(columns["indicator"] + 1, claimed):
        if col in columns.values() or any(
            header_role(t) is not None
            for r in range(row, header_row + 1)
            if isinstance(t := sheet.value(r, col), str)
        ):
            continue
        pairs = [
            (_number(cells[col]), _number(cells[claimed]) if claimed < len(cells) else None)
            for cells in body
            if col < len(cells) and cells[col] is not None
        ]
        if len(pairs) < 3 or any(points is None for points, _ in pairs):
            continue
        if all(
            points is not None and 0 < points <= 30 and (score is None or score <= points)
            for points, score in pairs
        ):
            columns["points"] = col
            labels["points"] = _header_text(sheet, row, header_row, col)
            return ("points",)
    return ()


def _self_score_by_content(
    sheet: Sheet, row: int, header_row: int, columns: dict[str, int], labels: dict[str, str]
) -> tuple[str, ...]:
    """The unit's own score column told by its numbers, when no header word named it.

    Forms sent in with only their scores filled head that column in many ways
    (初评分, 单位打分 …): the first unnamed column right of the indicator whose
    numbers never exceed the row's points (or 30 where the table has none).
    """
    taken = set(columns.values())
    width = max((len(sheet.rows[r]) for r in range(row, header_row + 1)), default=0)
    points_col = columns.get("points")
    body = _body(sheet, header_row)
    for col in range(columns["indicator"] + 1, width):
        if col in taken:
            continue
        scores = [
            (
                _number(cells[col]),
                _number(cells[points_col])
                if points_col is not None and points_col < len(cells)
                else 30.0,
            )
            for cells in body
            if col < len(cells) and isinstance(cells[col], int | float)
        ]
        within = [
            score
            for score, most in scores
            if score is not None and most is not None and 0 <= score <= most <= 100
        ]
        if len(within) >= 3 and len(within) == len(scores):
            columns["claimed"] = col
            labels["claimed"] = _header_text(sheet, row, header_row, col)
            return ("claimed",)
    return ()


def _number(value: object) -> float | None:
    """A cell's number (not a True/False tick), or None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _header_text(sheet: Sheet, row: int, header_row: int, col: int) -> str:
    """What the header rows say over ``col`` (the lower row first), for messages."""
    for r in range(header_row, row - 1, -1):
        value = sheet.value(r, col)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def find_header(sheet: Sheet) -> Header | None:
    """The best header of ``sheet``, or None when it has none.

    The best row of the first ``HEADER_SCAN_ROWS`` rows; when none of them is
    a header, of the ``HEADER_SCAN_ROWS`` rows from the first one further down
    that is (a form under a long preamble, a table pasted below other text).
    """
    best: tuple[int, int, Header] | None = None
    window_end = HEADER_SCAN_ROWS
    for row, cells in enumerate(sheet.rows):
        if row >= window_end:
            if best is not None:
                break
            if not _may_be_header(cells):
                continue
        header = header_at(sheet, row)
        if header is None:
            continue
        if best is None:
            window_end = max(window_end, row + HEADER_SCAN_ROWS)
        rank = (len(header.columns), -header.row)
        if best is None or rank > (best[0], best[1]):
            best = (rank[0], rank[1], header)
    if best is not None:
        return best[2]
    return next(
        (
            h
            for row in range(min(HEADER_SCAN_ROWS, len(sheet.rows)))
            if (h := _by_content(sheet, row))
        ),
        None,
    )


def _may_be_header(cells: tuple[object, ...]) -> bool:
    """Whether a row has the two short texts a header needs (a cheap test before reading them)."""
    short = 0
    for value in cells:
        if isinstance(value, str) and len(value) <= 40:
            short += 1
            if short == 2:
                return True
    return False


_SAMPLE_ROWS = 40
"""Rows below a header looked at to tell its columns by content."""


def _by_content(sheet: Sheet, row: int) -> Header | None:
    """The header at ``row`` when no word names its indicator but its columns show their roles.

    A row of three or more short labels heads a table when the column below
    one of them holds long, varied text (the indicator), and one to its right
    holds answers (text) or small numbers: the first such number column is the
    points, a second whose numbers never exceed them the self-score. Words the
    row does name are kept (序号, 分值, 自评得分, 完成情况) where what their column
    holds agrees: one unknown word (评价要点 for the indicator) must not cost the
    form its table. A column named for answers that holds only small numbers
    beside the points (自评 | 4) is the self-score.
    """
    labels = sheet.rows[row] if row < len(sheet.rows) else ()
    named = {
        c: v.strip()
        for c, v in enumerate(labels)
        if isinstance(v, str) and 0 < len(v.strip()) <= 12
    }
    if len(named) < 3:
        return None
    worded = {c: role[0] for c, v in named.items() if (role := header_role(v)) is not None}
    if "indicator" in worded.values() or len(worded) == len(named):
        return None  # read by its words (header_at), or nothing left to tell
    body = sheet.rows[row + 1 : row + 1 + _SAMPLE_ROWS]
    if len(body) < 3:
        return None

    def column(col: int) -> list[object]:
        return [cells[col] for cells in body if col < len(cells) and cells[col] not in (None, "")]

    texts = {c: [v for v in column(c) if isinstance(v, str)] for c in named}
    numbers = {
        c: [float(v) for v in column(c) if isinstance(v, int | float) and not isinstance(v, bool)]
        for c in named
    }
    long_text = {
        c: sum(map(len, t)) / len(t)
        for c, t in texts.items()
        if c not in worded
        and len(t) >= 3
        and len(t) >= 0.6 * len(body)
        and len(set(t)) >= 0.8 * len(t)
    }
    if not long_text or max(long_text.values()) < 6:
        return None
    indicator = max(long_text, key=lambda c: long_text[c])
    columns = {"indicator": indicator}
    if worded.get(min(named)) == "id" and min(named) < indicator:
        columns["id"] = min(named)
    right = [c for c in sorted(named) if c > indicator and worded.get(c) != "ignore"]
    small = [c for c in right if len(numbers[c]) >= 3 and all(0 <= n <= 30 for n in numbers[c])]
    by_word = {worded[c]: c for c in right if c in worded and c in small}
    points = by_word.get("points", next((c for c in small if c not in worded), None))
    if points is not None:
        columns["points"] = points
        scores = [
            c
            for c in small
            if c != points and worded.get(c) in (None, "claimed", "score", "answer")
        ]
        if scores:
            columns["claimed"] = by_word.get("claimed", by_word.get("score", scores[0]))
    # Of the text columns to its right, the answers are the first that is no
    # scoring criterion (少1次扣1分 in most of its cells).
    answers = [
        c
        for c in right
        if c not in columns.values()
        and worded.get(c) in (None, "answer")
        and len(texts[c]) >= 0.5 * len(body)
        and sum("分" in t for t in texts[c]) < 0.5 * len(texts[c])
    ]
    if answers:
        columns["answer"] = next((c for c in answers if worded.get(c) == "answer"), answers[0])
    if not {"answer", "claimed"} & set(columns):
        return None
    return Header(
        row, columns, {role: str(named[c]) for role, c in columns.items()}, from_content=True
    )
