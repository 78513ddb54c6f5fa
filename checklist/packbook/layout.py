"""The sheets and columns of a pack workbook, and how a value reads in a cell.

Headers, sheet names and fixed words (答案类型 计数 / count) are written in
the chosen language and read back in either, so a workbook exported in English
imports like one exported in Chinese.
"""

from __future__ import annotations

import re
from enum import Enum

from checklist.records import record
from checklist.text import Text


class Kind(Enum):
    """How a column's cells read."""

    text = "text"
    number = "number"
    whole = "whole"
    flag = "flag"
    word = "word"
    texts = "texts"
    ids = "ids"
    bands = "bands"
    words = "words"


@record
class Word:
    """One allowed value of a fixed-choice column."""

    value: str
    """The value in the YAML pack (``count``)."""
    label: Text
    """What the cell shows (计数 / count)."""


@record
class Column:
    """One column of a sheet (or one setting of the pack)."""

    key: str
    """Dotted path in the pack document (``answer.type``)."""
    label: Text
    """Header text."""
    help: Text
    """What the column holds, for the 说明 sheet."""
    kind: Kind = Kind.text
    """How cells read."""
    width: float = 12
    """Column width in characters."""
    words: tuple[Word, ...] = ()
    """Allowed values of a ``word`` column."""

    def word_list(self, lang: str) -> str:
        """The allowed values as the 说明 sheet lists them."""
        if self.kind is Kind.flag:
            return FLAG_WORDS.get(lang)
        return ("、" if lang == "zh" else ", ").join(w.label.get(lang) for w in self.words)


@record
class Table:
    """One sheet of rows, each row one item with an ``id``."""

    section: str
    """Where the rows live in the pack document: ``rules``, ``areas``, ``choices``…"""
    name: Text
    """Sheet name."""
    help: Text
    """What one row is, for the 说明 sheet."""
    columns: tuple[Column, ...]
    """Columns in order."""

    def column(self, key: str) -> Column:
        """The column holding ``key``."""
        return next(c for c in self.columns if c.key == key)


FLAG_WORDS = Text("是、否（留空即否）", "yes, no (blank means no)")
YES = ("是", "yes", "y", "true", "√", "✓", "1")
NO = ("否", "no", "n", "false", "×", "0")


def _words(pairs: dict[str, Text]) -> tuple[Word, ...]:
    return tuple(Word(value, label) for value, label in pairs.items())


# The reports' words for these (checklist.display) are presentation, which the pack
# loader may not import; a workbook cell also needs words that are never ambiguous.
ORG_WORDS = _words(
    {
        "all": Text("群团", "All"),
        "union": Text("工会", "Union"),
        "league": Text("共青团", "Youth League"),
        "women": Text("妇联", "Women's Federation"),
    }
)
ANSWER_WORDS = _words(
    {
        "yesno": Text("是否", "yesno"),
        "count": Text("计数", "count"),
        "number": Text("数值", "number"),
        "percent": Text("百分比", "percent"),
        "ratio": Text("比率", "ratio"),
        "choice": Text("选项", "choice"),
        "date": Text("日期", "date"),
        "text": Text("文本", "text"),
    }
)
SEVERITY_WORDS = _words(
    {
        "critical": Text("严重", "Critical"),
        "major": Text("重要", "Major"),
        "minor": Text("一般", "Minor"),
    }
)
EVIDENCE_WORDS = _words(
    {"required": Text("必须", "required"), "optional": Text("可选", "optional")}
)
EXPECT_WORDS = _words({"yes": Text("是", "yes"), "no": Text("否", "no")})

_TEXT_HELP = Text("中文文本", "Chinese text")


def _pair(key: str, zh: str, en: str, help_: Text, width: float = 40) -> tuple[Column, Column]:
    """The zh and en columns of one bilingual text."""
    return (
        Column(
            f"{key}.zh",
            Text(f"{zh}（中文）", f"{en} (zh)"),
            Text(f"{help_.zh}（中文）", f"{help_.en} (Chinese)"),
            width=width,
        ),
        Column(
            f"{key}.en",
            Text(f"{zh}（英文）", f"{en} (en)"),
            Text(f"{help_.zh}（英文）", f"{help_.en} (English)"),
            width=width,
        ),
    )


_ID_HELP = Text(
    "编号：字母开头，只含字母、数字、- 和 _；发布后不再改动",
    "Id: starts with a letter; letters, digits, - and _ only; never changed once published",
)

_DISABLED = Column(
    "disabled",
    Text("停用", "Off"),
    Text(
        "只用于扩展包（说明表填了基础规则包）：填“是”停用基础规则包中的这一条",
        "Overlays only (a base pack named on the Guide sheet): yes switches this base item off",
    ),
    Kind.flag,
    6,
)

RULES = Table(
    "rules",
    Text("规则", "Rules"),
    Text("每行一条规则（一个自评指标）", "One row per rule (one self-assessment indicator)"),
    (
        Column("id", Text("编号", "ID"), _ID_HELP, width=10),
        Column(
            "area",
            Text("类别", "Area"),
            Text("“类别”表中的类别编号", "An area id from the Areas sheet"),
            width=12,
        ),
        Column(
            "org",
            Text("组织", "Organisation"),
            Text("规则针对的群团组织", "The mass organisation the rule is about"),
            Kind.word,
            8,
            ORG_WORDS,
        ),
        *_pair(
            "indicator",
            "指标",
            "Indicator",
            Text("模板中印出的问题", "The question as printed in the template"),
            34,
        ),
        Column(
            "answer.type",
            Text("答案类型", "Answer type"),
            Text("单位填报什么样的答案", "What kind of answer the unit gives"),
            Kind.word,
            9,
            ANSWER_WORDS,
        ),
        Column(
            "answer.unit",
            Text("计量单位", "Unit"),
            Text(
                "数字后的单位，如 人、次、万元（可空）",
                "Unit after numbers: 人, 次, 万元 (optional)",
            ),
            width=7,
        ),
        Column(
            "points",
            Text("分值", "Points"),
            Text(
                "满分，不小于 0（只供比率和检查引用的数据项可为 0）",
                "Full points, 0 or more (0 only for data items that ratios and checks use)",
            ),
            Kind.number,
            7,
        ),
        Column(
            "bands",
            Text("分档", "Bands"),
            Text(
                "计数、数值、百分比、比率、日期答案的得分档：每行一档“条件: 得分比例”，"
                "如“>=2: 1”换行“>=1: 0.5”；条件为 >=N、>N、<=N、<N、==N，比例 0 到 1",
                "Scoring steps of count, number, percent, ratio and date answers: one step a line, "
                '"condition: share", e.g. ">=2: 1" then ">=1: 0.5"; conditions >=N, >N, <=N, <N, '
                "==N; shares 0 to 1",
            ),
            Kind.bands,
            14,
        ),
        Column(
            "deduct.target",
            Text("扣分标准", "Deduct target"),
            Text(
                "按次扣分（与分档二选一）：达到即满分的条件，如 >=4",
                'Per-occurrence deduction (instead of bands): the condition for full points, e.g. ">=4"',
            ),
            width=9,
        ),
        Column(
            "deduct.per",
            Text("每差", "Deduct per"),
            Text("每差多少扣一次（默认 1）", "How far short counts as one step (default 1)"),
            Kind.number,
            6,
        ),
        Column(
            "deduct.points",
            Text("扣分", "Deduct points"),
            Text("每一步扣的分，扣完为止", "Points taken off per step, down to zero"),
            Kind.number,
            6,
        ),
        Column(
            "severity",
            Text("严重程度", "Severity"),
            Text("未达标时问题的严重程度", "How serious a gap is"),
            Kind.word,
            8,
            SEVERITY_WORDS,
        ),
        Column(
            "veto",
            Text("否决项", "Veto"),
            Text("一票否决：未完全达标时等次封顶", "Veto: not fully met caps the grade"),
            Kind.flag,
            7,
        ),
        Column(
            "bonus",
            Text("加分项", "Bonus"),
            Text("加分项：分值另计，受加分上限约束", "Bonus: points count above the base, capped"),
            Kind.flag,
            7,
        ),
        Column(
            "evidence",
            Text("佐证材料", "Evidence"),
            Text(
                "必须：肯定回答没有佐证材料时只得部分分",
                "required: a positive answer without evidence earns only part of its credit",
            ),
            Kind.word,
            8,
            EVIDENCE_WORDS,
        ),
        Column(
            "na_allowed",
            Text("可填不适用", "N/A allowed"),
            Text("单位可以填“不适用”", "The unit may answer N/A"),
            Kind.flag,
            8,
        ),
        Column(
            "applies_to",
            Text("适用单位类型", "Unit types"),
            Text(
                "“单位类型”表中的编号，多个用换行或逗号分隔；留空表示全部",
                "Unit type ids from the Unit types sheet, one a line or comma-separated; blank = all",
            ),
            Kind.ids,
            12,
        ),
        Column(
            "applies_if",
            Text("适用条件", "Applies if"),
            Text(
                "只在此条件成立时适用，如 COV-01 >= 200",
                'Applies only when this holds, e.g. "COV-01 >= 200"',
            ),
            width=12,
        ),
        Column(
            "since",
            Text("起始年度", "Since"),
            Text("从哪一考核年度起适用（可空）", "First assessment year it applies to (optional)"),
            Kind.whole,
            7,
        ),
        Column(
            "answer.expect",
            Text("期望答案", "Expected answer"),
            Text(
                "是否题得满分的答案（默认 是）",
                "The yes/no answer that earns the points (default yes)",
            ),
            Kind.word,
            7,
            EXPECT_WORDS,
        ),
        Column(
            "answer.numerator",
            Text("分子", "Numerator"),
            Text("比率题：分子（计数规则编号）", "Ratio: the numerator (a count rule id)"),
            width=9,
        ),
        Column(
            "answer.denominator",
            Text("分母", "Denominator"),
            Text("比率题：分母（计数规则编号）", "Ratio: the denominator (a count rule id)"),
            width=9,
        ),
        Column(
            "answer.words",
            Text("答案词语", "Answer words"),
            Text(
                "本题特有的说法及含义，每行一个“词语 = 含义”，如“齐全 = 0”；含义为 yes、no、partial、"
                "na、数字或选项编号",
                'Words units write for this rule and their meaning, one a line, "word = meaning", '
                'e.g. "齐全 = 0"; meanings yes, no, partial, na, a number or a choice id',
            ),
            Kind.words,
            16,
        ),
        Column(
            "aliases",
            Text("别名", "Aliases"),
            Text(
                "实际表格中的其他说法（用于匹配），每行一个",
                "Other wordings seen in real forms (for matching), one a line",
            ),
            Kind.texts,
            26,
        ),
        *_pair(
            "guidance",
            "填报说明",
            "Guidance",
            Text("填报说明（可空）", "Filling-in guidance (optional)"),
        ),
        *_pair(
            "finding",
            "问题表述",
            "Finding",
            Text("未达标时指出的问题", "The problem a gap reveals"),
        ),
        *_pair(
            "recommendation",
            "整改建议",
            "Recommendation",
            Text("整改建议", "What to do about it"),
        ),
        Column(
            "source",
            Text("依据", "Source"),
            Text("文件、标准或文中出处", "Document, standard or essay section"),
            width=30,
        ),
        _DISABLED,
    ),
)

CHOICES = Table(
    "choices",
    Text("选项", "Choices"),
    Text(
        "选项题的选项，每行一个，按顺序属于“规则编号”列的规则",
        "The choices of choice rules, one a row, in order, belonging to the rule named",
    ),
    (
        Column(
            "rule",
            Text("规则编号", "Rule"),
            Text("“规则”表中选项题的编号", "The id of a choice rule on the Rules sheet"),
            width=10,
        ),
        Column("id", Text("选项编号", "Choice ID"), _ID_HELP, width=11),
        Column(
            "zh",
            Text("选项（中文）", "Choice (zh)"),
            Text("选项文字（中文）", "Choice text (Chinese)"),
            width=20,
        ),
        Column(
            "en",
            Text("选项（英文）", "Choice (en)"),
            Text("选项文字（英文）", "Choice text (English)"),
            width=26,
        ),
        Column(
            "credit",
            Text("得分比例", "Credit"),
            Text("选此项得满分的几成，0 到 1", "Share of the points this choice earns, 0 to 1"),
            Kind.number,
            8,
        ),
        Column(
            "aliases",
            Text("别名", "Aliases"),
            Text("单位可能写的其他说法，每行一个", "Other words units write for it, one a line"),
            Kind.texts,
            24,
        ),
    ),
)

CHECKS = Table(
    "checks",
    Text("一致性检查", "Checks"),
    Text(
        "答案之间的比较；不成立时记一条审核意见，不影响得分",
        "Comparisons between answers; a failed one is an audit finding and never changes points",
    ),
    (
        Column("id", Text("编号", "ID"), _ID_HELP, width=9),
        Column(
            "when",
            Text("前提条件", "When"),
            Text(
                "只在此条件成立时检查（可空），如 SITE-01 == 0",
                'Checked only when this holds, e.g. "SITE-01 == 0"',
            ),
            width=16,
        ),
        Column(
            "assert",
            Text("检查条件", "Assert"),
            Text(
                "应当成立的比较：规则编号 运算符 规则编号或数字，如 STAF-02 <= STAF-01",
                'What must hold: RULE-ID op RULE-ID-or-number, e.g. "STAF-02 <= STAF-01"',
            ),
            width=18,
        ),
        *_pair(
            "message",
            "提示",
            "Message",
            Text("不成立时的提示", "What to tell the unit when it fails"),
            46,
        ),
        _DISABLED,
    ),
)

AREAS = Table(
    "areas",
    Text("类别", "Areas"),
    Text("规则的类别，按显示顺序", "Rule areas, in display order"),
    (
        Column("id", Text("编号", "ID"), _ID_HELP, width=12),
        *_pair("title", "名称", "Title", Text("类别名称", "Area name"), 16),
        *_pair(
            "description",
            "说明",
            "Description",
            Text("类别说明（可空）", "What the area covers (optional)"),
            40,
        ),
        Column(
            "points",
            Text("分值小计", "Points"),
            Text(
                "可空；填写时须等于本类别非加分规则分值之和",
                "Optional; when given, must equal the sum of the area's non-bonus rule points",
            ),
            Kind.number,
            8,
        ),
    ),
)

GRADES = Table(
    "grades",
    Text("等次", "Grades"),
    Text(
        "等次，由高到低；最后一档最低分为 0", "Grades, highest first; the last one's minimum is 0"
    ),
    (
        Column("id", Text("编号", "ID"), _ID_HELP, width=12),
        Column(
            "min",
            Text("最低分", "Minimum"),
            Text("达到此分数即为该等次", "Score from which the grade applies"),
            Kind.number,
            8,
        ),
        *_pair("title", "名称", "Title", Text("等次名称", "Grade name"), 14),
    ),
)

UNIT_TYPES = Table(
    "unit_types",
    Text("单位类型", "Unit types"),
    Text("规则包认识的单位类型", "The unit types the pack knows"),
    (
        Column("id", Text("编号", "ID"), _ID_HELP, width=12),
        *_pair("title", "名称", "Title", Text("类型名称", "Type name"), 16),
        Column(
            "synonyms",
            Text("同义词", "Synonyms"),
            Text(
                "单位填写的其他说法，每行一个", "Other words units write for the type, one a line"
            ),
            Kind.texts,
            60,
        ),
    ),
)

CONCEPTS = Table(
    "concepts",
    Text("词汇", "Concepts"),
    Text(
        "同一事物在各种表格中的不同说法，匹配指标时视为相同",
        "The many words forms use for one thing, treated alike when rows are matched to rules",
    ),
    (
        Column("id", Text("编号", "ID"), _ID_HELP, width=16),
        Column(
            "terms",
            Text("词语", "Terms"),
            Text(
                "第一行为标准说法，其后每行一个别称或简称",
                "The standard word first, then one other word or abbreviation a line",
            ),
            Kind.texts,
            40,
        ),
        Column(
            "source",
            Text("出处", "Source"),
            Text("这些说法见于哪些表格或文件", "Where these wordings come from"),
            width=50,
        ),
    ),
)

TABLES = (RULES, CHOICES, CHECKS, AREAS, GRADES, UNIT_TYPES, CONCEPTS)
"""Every table sheet, in workbook order (after the 说明 sheet)."""

GUIDE = Text("说明", "Guide")
"""Name of the sheet holding the pack settings and the explanation of every column."""

SETTINGS = (
    Column("id", Text("规则包编号", "Pack ID"), _ID_HELP, width=30),
    Column(
        "version",
        Text("版本", "Version"),
        Text("版本号，随每个结果保存", "Version, stored with every result"),
    ),
    *_pair("title", "规则包名称", "Pack title", Text("规则包名称", "Pack title")),
    *_pair(
        "description",
        "规则包简介",
        "Pack description",
        Text("简介（可空）", "What the pack is for (optional)"),
    ),
    Column(
        "veto_cap",
        Text("否决封顶等次", "Veto cap"),
        Text(
            "否决项未达标时等次最高为此等次（“等次”表的编号）",
            "A failed veto caps the grade at this grade id",
        ),
    ),
    Column(
        "bonus_cap",
        Text("加分上限", "Bonus cap"),
        Text("加分项最多计多少分", "Most bonus points that count"),
        Kind.number,
    ),
    Column(
        "unsupported_credit",
        Text("缺佐证得分比例", "Unsupported credit"),
        Text(
            "需佐证的肯定回答没有佐证材料时保留的得分比例，0 到 1（默认 0.5）",
            "Share of credit kept by a positive answer lacking required evidence, 0 to 1 (default 0.5)",
        ),
        Kind.number,
    ),
    Column(
        "ratio_tolerance",
        Text("比率容差", "Ratio tolerance"),
        Text(
            "填报的比率与由人数算出的比率相差超过多少个百分点时记审核意见（默认 5）",
            "Percentage points a stated rate may differ from the rate recomputed from counts (default 5)",
        ),
        Kind.number,
    ),
    Column(
        "extends",
        Text("基础规则包", "Base pack"),
        Text(
            "留空即独立规则包；填基础规则包（内置编号或文件夹，可附所据版本，如 grassroots 2026.2）"
            "即为扩展包：各表只列与基础规则包不同的行，空格沿用基础规则包",
            "Blank for a pack of its own; a base pack (built-in id or folder, optionally with the "
            "version it was made against, e.g. grassroots 2026.2) makes this an overlay: each "
            "sheet lists only rows that differ, and blank cells keep the base's value",
        ),
        width=30,
    ),
)
"""The pack's own settings, one a row at the top of the 说明 sheet."""


# --- cells ------------------------------------------------------------------------------

_ITEM_SPLIT = re.compile(r"\s*[\n;；]\s*")
_ID_SPLIT = re.compile(r"[\s,，、;；]+")
_BAND = re.compile(r"^(.*?)\s*[:：]\s*(.*)$")
_WORD = re.compile(r"^(.*?)\s*[=＝]\s*(.*)$")


def number_text(value: float) -> str:
    """``3.0`` → ``3``, ``0.83`` → ``0.83``: the shortest text that reads back the same."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def to_cell(column: Column, value: object, lang: str) -> str | float | int | None:
    """A pack-document value as the cell shows it."""
    if value is None:
        return None
    kind = column.kind
    if kind in (Kind.number, Kind.whole):
        assert isinstance(value, int | float)
        return int(value) if float(value).is_integer() else float(value)
    if kind is Kind.flag:
        return (YES[0] if lang == "zh" else "yes") if value else None
    if kind is Kind.word:
        word = next((w for w in column.words if w.value == value), None)
        return word.label.get(lang) if word else str(value)
    if kind in (Kind.texts, Kind.ids):
        assert isinstance(value, list | tuple)
        return "\n".join(str(v) for v in value) or None
    if kind is Kind.bands:
        assert isinstance(value, dict)
        return "\n".join(f"{cond}: {number_text(credit)}" for cond, credit in value.items()) or None
    if kind is Kind.words:
        assert isinstance(value, dict)
        return (
            "\n".join(
                f"{word} = {number_text(v) if isinstance(v, int | float) else v}"
                for word, v in value.items()
            )
            or None
        )
    return str(value)


def cell_text(value: object) -> str:
    """Any cell value as text (numbers without a trailing .0)."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return number_text(value)
    return str(value).strip()


def _number_or_text(text: str) -> object:
    try:
        number = float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
    except ValueError:
        return text
    return int(number) if number.is_integer() else number


def from_cell(column: Column, value: object) -> tuple[object, Text | None]:
    """A cell as a pack-document value, and what is wrong with it (None when fine).

    A value that does not read is still returned (as text) so that the pack
    checks see it; the caller reports the problem given here instead of theirs.
    """
    kind = column.kind
    if kind in (Kind.number, Kind.whole):
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value, None
        return cell_text(value), None  # the pack checks say "must be a number"
    text = cell_text(value)
    if kind is Kind.text:
        return text, None
    if kind is Kind.flag:
        if value is True or text.lower() in YES:
            return True, None
        if value is False or text.lower() in NO:
            return False, None
        return text, Text(f"须为 {FLAG_WORDS.zh}", f"must be {FLAG_WORDS.en}")
    if kind is Kind.word:
        wanted = text.lower()
        for word in column.words:
            if wanted in (word.value.lower(), word.label.zh.lower(), word.label.en.lower()):
                return word.value, None
        return text, Text(
            f"须为以下之一：{column.word_list('zh')}", f"must be one of: {column.word_list('en')}"
        )
    if kind is Kind.texts:
        return [part for part in _ITEM_SPLIT.split(text) if part], None
    if kind is Kind.ids:
        return [part for part in _ID_SPLIT.split(text) if part], None
    pattern = _BAND if kind is Kind.bands else _WORD
    mapping: dict[str, object] = {}
    for line in (part for part in _ITEM_SPLIT.split(text) if part):
        match = pattern.match(line)
        if match is None or not match.group(1):
            if kind is Kind.bands:
                return text, Text(
                    "每行一档，写成“条件: 得分比例”，如“>=2: 1”",
                    'one step a line, "condition: share", e.g. ">=2: 1"',
                )
            return text, Text(
                "每行一个，写成“词语 = 含义”，如“齐全 = 0”",
                'one a line, "word = meaning", e.g. "齐全 = 0"',
            )
        mapping[match.group(1)] = _number_or_text(match.group(2))
    return mapping, None
