"""Find, load and validate rule packs.

A pack is refused with *every* problem listed at once; each problem names the
file, the rule (or check / area), the key, the bad value and what is allowed.
The result is a :class:`checklist.model.RulePack` of frozen dataclasses.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checklist import packcache
from checklist.errors import ChecklistError
from checklist.model import (
    AnswerSpec,
    AnswerType,
    Area,
    Band,
    Check,
    Choice,
    Comparison,
    Concept,
    Condition,
    Deduction,
    Grade,
    Op,
    Operand,
    Org,
    Rule,
    RulePack,
    Severity,
    UnitType,
)
from checklist.patterns import lazy_compile
from checklist.records import record
from checklist.text import Text
from checklist.yaml_errors import yaml_syntax_text

if TYPE_CHECKING:
    # YAML and pydantic are needed only when a pack is not in the cache.
    from checklist import schema

DEFAULT_PACK = "grassroots"
PACK_FILE = "pack.yaml"
CHECKS_FILE = "checks.yaml"
CONCEPTS_FILE = "concepts.yaml"

_CONDITION = lazy_compile(r"^\s*(>=|<=|==|!=|>|<|≥|≤)\s*(-?\d+(?:\.\d+)?)\s*%?\s*$")
_UNICODE_OPS = {"≥": ">=", "≤": "<="}
_RULE_ID = lazy_compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_NUMBER = lazy_compile(r"^-?\d+(?:\.\d+)?$")
_LITERALS = {"yes": 1.0, "no": 0.0, "true": 1.0, "false": 0.0}


# --- finding packs ---------------------------------------------------------------


def builtin_pack_roots() -> tuple[Path, ...]:
    """Folders holding built-in packs: inside the installed wheel, or the source checkout."""
    package_dir = Path(__file__).resolve().parent
    roots = (package_dir / "rules", package_dir.parent / "rules")
    return tuple(root for root in roots if root.is_dir())


def builtin_pack_ids() -> tuple[str, ...]:
    """Ids of the packs shipped with checklist."""
    ids = {
        child.name
        for root in builtin_pack_roots()
        for child in root.iterdir()
        if (child / PACK_FILE).is_file()
    }
    return tuple(sorted(ids))


def resolve_pack(spec: str | Path | None) -> Path:
    """The folder of the pack named by ``spec``: a folder, a pack.yaml, or a built-in id."""
    if spec is None or str(spec) == "":
        spec = DEFAULT_PACK
    path = Path(spec)
    if path.is_file() and path.name == PACK_FILE:
        return path.parent
    if path.is_dir():
        return path
    for root in builtin_pack_roots():
        candidate = root / str(spec)
        if (candidate / PACK_FILE).is_file():
            return candidate
    available = ", ".join(builtin_pack_ids()) or "-"
    raise ChecklistError(
        Text(
            f"找不到规则包“{spec}”：它既不是文件夹也不是内置规则包（内置：{available}）。"
            "请用 --rules 指定规则包文件夹或内置规则包名称。",
            f"Rule pack '{spec}' not found: it is neither a folder nor a built-in pack "
            f"(built-in: {available}). Give --rules a pack folder or a built-in pack id.",
        )
    )


# --- problems ----------------------------------------------------------------------


@record
class Problem:
    """One thing wrong with a pack."""

    file: str
    """File name within the pack."""
    owner: str
    """``rule LEAD-01``, ``check CHK-02``, ``area x`` or ``pack``."""
    key: str
    """Dotted key, e.g. ``bands.>=2``."""
    value: object
    """The bad value (``None`` when missing)."""
    allowed: Text
    """What is allowed instead."""

    def text(self) -> Text:
        """The problem as one line in both languages."""
        if self.owner == _YAML:
            return self.allowed  # file, line, column and meaning, said whole
        value = "（缺失）" if self.value is _MISSING else _show(self.value)
        value_en = "(missing)" if self.value is _MISSING else _show(self.value)
        owner_zh = (
            self.owner.replace("rule ", "规则 ")
            .replace("check ", "检查 ")
            .replace("area ", "类别 ")
            .replace("grade ", "等次 ")
            .replace("pack", "规则包")
        )
        line = _LINE_KEY.match(self.key)
        if line is not None:
            # Where a YAML error or a repeated key sits: a line, not a key.
            rest_zh = f"：{line.group(2)}" if line.group(2) else ""
            rest_en = f": {line.group(2)}" if line.group(2) else ""
            return Text(
                f"{self.file}：第 {line.group(1)} 行{rest_zh}（{value}）— {self.allowed.zh}",
                f"{self.file}: line {line.group(1)}{rest_en} ({value_en}) — {self.allowed.en}",
            )
        return Text(
            f"{self.file}：{owner_zh}：键 {self.key} = {value} — {self.allowed.zh}",
            f"{self.file}: {self.owner}: key {self.key} = {value_en} — {self.allowed.en}",
        )


_LINE_KEY = lazy_compile(r"^line (\d+)(?:: (.*))?$")
_YAML = "yaml"
"""Owner of a YAML syntax error: the file could not be parsed at all."""
_NO_SUCH_RULE = Text(
    "引用的规则不存在，须为本规则包中的规则编号",
    "refers to a rule that does not exist in this pack",
)
_NO_SUCH_COUNT = Text(
    "比率规则指向的规则不存在，须为本规则包中计数（count）规则的编号",
    "the ratio points at a rule that does not exist; name a count rule of this pack",
)


_MISSING = object()


def _show(value: object) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _allowed_from_pydantic(error: dict[str, Any]) -> Text:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return Text("必填项，请补上", "required; add it")
    if kind == "extra_forbidden":
        return Text(
            "未知的键（可能拼写错误），请删除或改正", "unknown key (a typo?); remove or fix it"
        )
    if kind == "literal_error":
        # pydantic words the choices in English ("'a', 'b' or 'c'"): list them ourselves.
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return Text(f"只能是 {'、'.join(choices)} 之一", f"must be one of {', '.join(choices)}")
    if kind == "string_too_short":
        return Text(
            "不能为空，中文和英文文本都必须填写", "must not be blank; zh and en text are required"
        )
    if kind == "string_pattern_mismatch":
        return Text(
            "须以字母开头，只含字母、数字、- 和 _",
            "must start with a letter and use only letters, digits, - and _",
        )
    if kind in {"greater_than_equal", "greater_than", "less_than_equal", "less_than"}:
        bounds = {k: v for k, v in ctx.items() if k in {"ge", "gt", "le", "lt"}}
        words = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<"}
        bound = " ".join(f"{words[k]} {v}" for k, v in bounds.items())
        return Text(f"须满足 {bound}", f"must be {bound}")
    if kind in {"float_parsing", "float_type", "int_parsing", "int_type", "int_from_float"}:
        return Text("须为数字", "must be a number")
    if kind in {"bool_parsing", "bool_type"}:
        return Text("须为 true 或 false", "must be true or false")
    if kind in {"list_type", "too_short"}:
        return Text("须为非空列表", "must be a non-empty list")
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return Text("须为映射（键: 值）", "must be a mapping (key: value)")
    if kind == "string_type":
        return Text("须为文本", "must be text")
    return Text(f"无效（{error['msg']}）", f"invalid ({error['msg']})")


def _pydantic_problems(
    exc: Any, file: str, owner: str, data: object, prefix: str = ""
) -> Iterator[Problem]:
    for error in exc.errors():
        loc = [str(part) for part in error["loc"]]
        key = ".".join(part if part != "assert_" else "assert" for part in loc)
        value = _MISSING if error["type"] == "missing" else error.get("input")
        yield Problem(file, owner, prefix + key, value, _allowed_from_pydantic(error))


# --- YAML ------------------------------------------------------------------------


class _UniqueKeys:
    """Mixed into a safe YAML loader: duplicate mapping keys are recorded, not silently
    overwritten, and line folding leaves no space inside Chinese text."""

    duplicates: list[tuple[str, int]]
    lines: list[str]
    """The document's lines, to see where a folded scalar's lines were joined."""

    def construct_scalar(self, node: Any) -> Any:
        value = super().construct_scalar(node)  # type: ignore[misc]
        if (
            isinstance(value, str)
            and not value.isascii()
            and node.style != "|"
            and node.end_mark.line > node.start_mark.line
        ):
            return unfold_cjk(value, self.lines[node.start_mark.line : node.end_mark.line + 1])
        return value

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[attr-defined]
            if key in seen:
                self.duplicates.append((str(key), key_node.start_mark.line + 1))
            seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[misc, no-any-return]


def _is_cjk(ch: str) -> bool:
    # CJK ideographs and punctuation, kana, full-width forms.
    return (
        "\u2e80" <= ch <= "\u9fff"
        or "\uf900" <= ch <= "\ufaff"
        or "\ufe30" <= ch <= "\ufe4f"
        or "\uff00" <= ch <= "\uffef"
        or ch in "“”‘’—…"
    )


_CJK_STOPS = frozenset("、，。；：！？")
"""Chinese punctuation that carries its own spacing: never followed by a space."""


def unfold_cjk(value: str, lines: Sequence[str]) -> str:
    """``value`` without the spaces YAML put where its source ``lines`` were joined
    between two Chinese characters or punctuation marks ("空白点、 编制", "妇联 考核").

    YAML folds a line break into a space, right for English and wrong for
    Chinese. Only the joins of the source lines are touched: a space a
    maintainer typed inside a line ("张某某 党总支副书记") stays.
    """
    parts = [line.strip() for line in lines]
    joins = {
        f"{a[-1]} {b[0]}"
        for a, b in pairwise(p for p in parts if p)
        if a[-1] in _CJK_STOPS or (_is_cjk(a[-1]) and _is_cjk(b[0]))
    }
    for join in joins:
        value = value.replace(join, join.replace(" ", ""))
    return value


@cache
def _loaders() -> tuple[type[Any], ...]:
    """The loaders to try: libyaml's parser first when PyYAML was built with it (a tenth of
    the time), then the pure-Python one, whose words syntax errors are reported in."""
    import yaml

    bases = [getattr(yaml, "CSafeLoader", None), yaml.SafeLoader]
    return tuple(
        type(f"Unique{base.__name__}", (_UniqueKeys, base), {})
        for base in dict.fromkeys(b for b in bases if b is not None)
    )


def _read_yaml(name: str, data: bytes | OSError, problems: list[Problem]) -> object:
    """The YAML document in ``data`` (a file's bytes, or the error reading it)."""
    import yaml

    try:
        if isinstance(data, OSError):
            raise data
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(
            Problem(
                name,
                "pack",
                "-",
                type(exc).__name__,
                Text("文件须可读且为 UTF-8 编码", "the file must be readable UTF-8"),
            )
        )
        return None
    loaders = _loaders()
    for attempt, loader_type in enumerate(loaders, start=1):
        loader = loader_type(text)
        loader.duplicates = []
        loader.lines = text.splitlines()
        try:
            value = loader.get_single_data()
        except yaml.YAMLError as exc:
            if attempt < len(loaders):
                continue  # reported in the pure-Python parser's words
            problems.append(Problem(name, _YAML, "-", None, yaml_syntax_text(name, exc)))
            return None
        finally:
            loader.dispose()
        for key, line in loader.duplicates:
            problems.append(
                Problem(
                    name,
                    "pack",
                    f"line {line}: {key}",
                    key,
                    Text("同一映射中的键重复，后者会覆盖前者", "duplicate key in one mapping"),
                )
            )
        return value
    return None


# --- conditions ----------------------------------------------------------------------


def parse_condition(text: str) -> Condition | None:
    """``">=2"`` → Condition; None when the text is not a condition."""
    match = _CONDITION.match(str(text))
    if match is None:
        return None
    op = _UNICODE_OPS.get(match.group(1), match.group(1))
    return Condition(Op(op), float(match.group(2)))


def _parse_operand(text: str) -> Operand | None:
    token = text.strip()
    if _NUMBER.match(token):
        return Operand(constant=float(token))
    if token.lower() in _LITERALS:
        return Operand(constant=_LITERALS[token.lower()])
    if _RULE_ID.match(token):
        return Operand(rule_id=token)
    return None


def parse_comparison(text: str) -> Comparison | None:
    """``"STAF-02 <= STAF-01"`` → Comparison; None when malformed."""
    match = re.match(r"^\s*(\S+)\s*(>=|<=|==|!=|>|<|≥|≤)\s*(\S+)\s*$", text)
    if match is None:
        return None
    left, right = _parse_operand(match.group(1)), _parse_operand(match.group(3))
    if left is None or right is None:
        return None
    op = Op(_UNICODE_OPS.get(match.group(2), match.group(2)))
    return Comparison(left, op, right)


def _bands_in_order(bands: list[Band]) -> bool:
    ordered = [b for b in bands if b.condition.op not in (Op.eq, Op.ne)]
    if any(b.condition.op is Op.ne for b in bands):
        return False
    ups = {b.condition.op in (Op.ge, Op.gt) for b in ordered}
    if len(ups) > 1:
        return False
    thresholds = [b.condition.threshold for b in ordered]
    if ups == {True} and any(a <= b for a, b in pairwise(thresholds)):
        return False
    if ups == {False} and any(a >= b for a, b in pairwise(thresholds)):
        return False
    credits = [b.credit for b in bands]
    return all(a >= b for a, b in pairwise(credits))


# --- building --------------------------------------------------------------------


def _text(model: schema.TextModel | None) -> Text | None:
    return None if model is None else _words(model.zh, model.en)


# The Chinese answer quoted in an English text, with its gloss: '"是" (yes)'.
_QUOTED_ANSWER = lazy_compile(r'["“]([^"”]{1,6})["”]\s*\(([A-Za-z][A-Za-z /-]{0,20})\)')
_ENGLISH_ANSWER = {"是": "Yes", "否": "No", "不适用": "N/A"}


def _words(zh: str, en: str) -> Text:
    """A pack text as units read it: the English says the English answer words.

    The English form's dropdowns offer Yes, No and N/A, so guidance written as
    'Answer "是" (yes)' is read as 'Answer "Yes"' (intake reads both).
    """
    if '"' in en or "“" in en:
        en = _QUOTED_ANSWER.sub(
            lambda m: (
                f'"{_ENGLISH_ANSWER[m.group(1)]}"' if m.group(1) in _ENGLISH_ANSWER else m.group(0)
            ),
            en,
        )
    return Text(zh, en)


_NUMERIC = {AnswerType.count, AnswerType.number, AnswerType.percent}
_BANDED = _NUMERIC | {AnswerType.ratio, AnswerType.date}


def _build_rule(model: schema.RuleModel, file: str, problems: list[Problem]) -> Rule:
    owner = f"rule {model.id}"
    kind = AnswerType(model.answer.type)

    def problem(key: str, value: object, zh: str, en: str) -> None:
        problems.append(Problem(file, owner, key, value, Text(zh, en)))

    bands: list[Band] = []
    for condition_text, credit in (model.bands or {}).items():
        condition = parse_condition(condition_text)
        if condition is None:
            problem(
                f"bands.{condition_text}",
                condition_text,
                '条件须写成 ">=N"、">N"、"<=N"、"<N" 或 "==N"',
                'a condition must read ">=N", ">N", "<=N", "<N" or "==N"',
            )
            continue
        bands.append(Band(condition, credit))
    if bands and not _bands_in_order(bands):
        problem(
            "bands",
            dict(model.bands or {}),
            "分档顺序错误：须同向排列（>= 由高到低，或 <= 由低到高），得分比例逐档不增",
            "bands out of order: all >= with thresholds descending, or all <= ascending, "
            "and credits must not increase down the list",
        )

    deduction = None
    if model.deduct is not None:
        target = parse_condition(model.deduct.target)
        if target is None or target.op not in (Op.ge, Op.gt, Op.le, Op.lt):
            problem(
                "deduct.target",
                model.deduct.target,
                '须写成 ">=N" 或 "<=N"',
                'must read ">=N" or "<=N"',
            )
        else:
            deduction = Deduction(target, model.deduct.per, model.deduct.points)

    if kind in _BANDED:
        scorers = int(bool(model.bands)) + int(model.deduct is not None)
        allowed_deduct = kind in _NUMERIC
        if model.points > 0 and scorers == 0:
            problem(
                "bands",
                _MISSING,
                "数值类答案须给出 bands 或 deduct 计分方式",
                "a numeric answer needs bands or deduct to earn points",
            )
        if scorers > 1:
            problem(
                "deduct",
                "bands + deduct",
                "bands 与 deduct 只能取其一",
                "use bands or deduct, not both",
            )
        if model.deduct is not None and not allowed_deduct:
            problem(
                "deduct",
                kind.value,
                "deduct 只用于 count、number、percent 答案",
                "deduct is only for count, number and percent answers",
            )
    else:
        for key, present in (("bands", model.bands), ("deduct", model.deduct)):
            if present:
                problem(
                    key,
                    kind.value,
                    f"{kind.value} 答案不使用 {key}",
                    f"{kind.value} answers do not use {key}",
                )

    spec = model.answer
    if kind is AnswerType.choice:
        if len(spec.choices) < 2:
            problem("answer.choices", len(spec.choices), "至少需要两个选项", "at least two choices")
        ids = Counter(c.id for c in spec.choices)
        for choice_id, n in ids.items():
            if n > 1:
                problem(
                    "answer.choices", choice_id, "选项 id 不能重复", "choice ids must be unique"
                )
    elif spec.choices:
        problem(
            "answer.choices",
            kind.value,
            "只有 choice 答案有选项",
            "only choice answers have choices",
        )
    if kind is AnswerType.ratio:
        for key in ("numerator", "denominator"):
            if getattr(spec, key) is None:
                problem(
                    f"answer.{key}",
                    _MISSING,
                    "比率规则须指明分子、分母规则编号",
                    "a ratio rule names its numerator and denominator rule ids",
                )
    elif spec.numerator or spec.denominator:
        problem(
            "answer.numerator",
            kind.value,
            "只有 ratio 答案有分子分母",
            "only ratio answers have a numerator and denominator",
        )
    if spec.expect is not None and kind is not AnswerType.yesno:
        problem("answer.expect", spec.expect, "只用于 yesno 答案", "only for yesno answers")
    if model.bonus and model.veto:
        problem("veto", True, "加分项不能同时是否决项", "a bonus rule cannot also be a veto rule")
    if model.veto and model.points == 0:
        problem("points", 0, "否决项须有分值（大于 0）", "a veto rule needs points above 0")

    applies_if = None
    if model.applies_if is not None:
        applies_if = parse_comparison(model.applies_if)
        if applies_if is None:
            problem(
                "applies_if",
                model.applies_if,
                '须写成“规则编号 运算符 规则编号或数字”，如 "COV-01 >= 200"',
                'must read "RULE-ID op RULE-ID-or-number", e.g. "COV-01 >= 200"',
            )
    words: list[tuple[str, object]] = []
    for word, meaning in spec.words.items():

        def bad_word(value: object, zh: str, en: str, word: str = word) -> None:
            problem(f"answer.words.{word}", value, zh, en)

        value = _word_value(kind, meaning, spec, bad_word)
        if value is not _BAD_WORD:
            words.append((word, value))

    choices = tuple(
        Choice(c.id, _words(c.zh, c.en), c.credit, tuple(c.aliases)) for c in spec.choices
    )
    return Rule(
        id=model.id,
        area=model.area,
        org=Org(model.org),
        indicator=_words(model.indicator.zh, model.indicator.en),
        answer=AnswerSpec(
            type=kind,
            unit=spec.unit,
            choices=choices,
            numerator=spec.numerator,
            denominator=spec.denominator,
            expect=spec.expect != "no",
            words=tuple(words),  # type: ignore[arg-type]
        ),
        points=model.points,
        severity=Severity(model.severity),
        finding=_words(model.finding.zh, model.finding.en),
        recommendation=_words(model.recommendation.zh, model.recommendation.en),
        source=model.source,
        guidance=_text(model.guidance),
        aliases=tuple(model.aliases),
        bands=tuple(bands),
        deduction=deduction,
        veto=model.veto,
        bonus=model.bonus,
        evidence_required=model.evidence == "required",
        na_allowed=model.na_allowed,
        applies_to=tuple(model.applies_to or ()),
        applies_if=applies_if,
        since=model.since,
        file=file,
    )


_BAD_WORD = object()
_YESNO_WORDS: dict[str, object] = {"yes": True, "no": False, "partial": "partial", "na": None}


def _word_value(
    kind: AnswerType,
    meaning: str | float,
    spec: schema.AnswerModel,
    problem: Callable[[object, str, str], None],
) -> object:
    """What a rule's answer word stands for, checked against the answer type."""
    if meaning == "na":
        return None
    if kind is AnswerType.yesno:
        if isinstance(meaning, str) and meaning in _YESNO_WORDS:
            return _YESNO_WORDS[meaning]
        problem(meaning, "须为 yes、no、partial 或 na", "must be yes, no, partial or na")
    elif kind is AnswerType.choice:
        ids = [c.id for c in spec.choices]
        if meaning in ids:
            return meaning
        problem(
            meaning,
            f"须为选项 id 之一：{', '.join(ids)} 或 na",
            f"must be a choice id: {', '.join(ids)} or na",
        )
    elif kind in (AnswerType.count, AnswerType.number, AnswerType.percent, AnswerType.ratio):
        if isinstance(meaning, int | float) and not isinstance(meaning, bool) and meaning >= 0:
            is_whole = float(meaning).is_integer()
            if kind is not AnswerType.count or is_whole:
                return int(meaning) if is_whole else float(meaning)
        problem(
            meaning,
            "须为非负数（计数须为整数）或 na",
            "must be a number >= 0 (whole for counts) or na",
        )
    else:
        problem(meaning, f"{kind.value} 答案不使用 words", f"{kind.value} answers do not use words")
    return _BAD_WORD


def _build_check(model: schema.CheckModel, file: str, problems: list[Problem]) -> Check | None:
    owner = f"check {model.id}"
    assertion = parse_comparison(model.assert_)
    when = parse_comparison(model.when) if model.when is not None else None
    allowed = Text(
        '须写成“规则编号 运算符 规则编号或数字”，如 "STAF-02 <= STAF-01"',
        'must read "RULE-ID op RULE-ID-or-number", e.g. "STAF-02 <= STAF-01"',
    )
    ok = True
    if assertion is None:
        problems.append(Problem(file, owner, "assert", model.assert_, allowed))
        ok = False
    if model.when is not None and when is None:
        problems.append(Problem(file, owner, "when", model.when, allowed))
        ok = False
    if not ok or assertion is None:
        return None
    return Check(model.id, assertion, _words(model.message.zh, model.message.en), when, file)


def _rule_items(data: object, file: str, problems: list[Problem]) -> Iterable[object]:
    if data is None:
        return ()
    if not isinstance(data, list):
        problems.append(
            Problem(
                file,
                "pack",
                "-",
                type(data).__name__,
                Text(
                    "规则文件须为规则列表（以 - 开头的条目）", "a rule file must be a list of rules"
                ),
            )
        )
        return ()
    return data


def _owner_of(item: object, kind: str, index: int) -> str:
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return f"{kind} {item['id']}"
    return f"{kind} #{index + 1}"


@record
class RawItem:
    """One rule or check as read from a pack file, before validation."""

    file: str
    """Name the item's problems are reported under (its file)."""
    owner: str
    """``rule LEAD-01`` (or ``rule #3`` when the item has no id)."""
    data: object
    """The item as parsed."""


@record
class RawPack:
    """A pack's files as parsed but not yet validated: what an overlay merges into."""

    folder: str
    """Where the pack was read from."""
    pack: object
    """``pack.yaml`` as parsed (None when unreadable)."""
    rules: tuple[RawItem, ...]
    """Every rule item of every rule file, in file order."""
    checks: tuple[RawItem, ...]
    """Every item of ``checks.yaml``."""
    rule_files: tuple[str, ...]
    """Names of the rule files read."""
    problems: tuple[Problem, ...]
    """What was wrong with reading the files (YAML syntax, duplicate keys, not a list)."""
    concepts: bytes | OSError | None = None
    """``concepts.yaml`` as read (None when the pack has none)."""


def load_pack(spec: str | Path | None = None) -> RulePack:
    """Load and validate a pack (folder, pack.yaml or built-in id); raise with every problem.

    A pack whose files are byte for byte those of a pack that validated before
    comes from the cache (see :mod:`checklist.packcache`) without being parsed.
    A pack whose ``pack.yaml`` says ``extends: BASE`` is an overlay: it is
    merged into its base first (:mod:`checklist.overlay`), and its cache key
    covers the base's files too, so an edited base is validated afresh.
    """
    from checklist.packbook import WORKBOOK_SUFFIXES

    if str(spec).lower().endswith(WORKBOOK_SUFFIXES):
        from checklist.packbook.read import load_pack_workbook

        return load_pack_workbook(Path(str(spec)))
    from checklist import overlay

    folder = resolve_pack(spec)
    files = pack_files(folder)
    base = overlay.base_named(folder, files[PACK_FILE])
    hashed = dict(files)
    if base is not None:
        hashed.update({f"{overlay.EXTENDS}/{k}": v for k, v in pack_files(base).items()})
    contents = [(name, data) for name, data in hashed.items() if isinstance(data, bytes)]
    # What is validated is exactly what was hashed: a file saved in between
    # cannot leave a stale pack under the new key.
    key = packcache.pack_key(contents) if len(contents) == len(hashed) else None
    if key is not None and (cached := packcache.load(key, str(folder))) is not None:
        return cached
    raw = read_pack(folder, files)
    if base is not None and not isinstance(raw.pack, dict):
        # An overlay whose pack.yaml does not parse: its items are no pack of their own.
        raise pack_refused(str(folder), list(raw.problems))
    is_overlay = overlay.extends(raw) is not None
    pack = overlay.load_overlay(raw) if is_overlay else build_pack(raw)
    # Kept only when the key covered the base (an overlay spelt so that the quick
    # look at pack.yaml missed it is validated each time instead).
    if key is not None and is_overlay == (base is not None):
        packcache.store(key, pack)
        return replace(pack, cache_key=key)
    return pack


def pack_files(folder: Path) -> dict[str, bytes | OSError]:
    """The pack's files (pack.yaml, rule files, checks.yaml) in load order: name → bytes."""
    if not (folder / PACK_FILE).is_file():
        raise ChecklistError(
            Text(
                f"{folder} 不是规则包：缺少 {PACK_FILE}。",
                f"{folder} is not a rule pack: {PACK_FILE} is missing.",
            )
        )
    rule_files = sorted(
        p for p in folder.glob("*.yaml") if p.name not in (PACK_FILE, CHECKS_FILE, CONCEPTS_FILE)
    )
    names = [PACK_FILE, *(p.name for p in rule_files)]
    for extra in (CHECKS_FILE, CONCEPTS_FILE):
        if (folder / extra).is_file():
            names.append(extra)
    return {name: _read_bytes(folder / name) for name in names}


def _read_bytes(path: Path) -> bytes | OSError:
    try:
        return path.read_bytes()
    except OSError as exc:
        return exc


def read_pack(folder: Path, files: dict[str, bytes | OSError] | None = None) -> RawPack:
    """Parse the pack in ``folder`` (its ``files`` when already read)."""
    if files is None:
        files = pack_files(folder)
    problems: list[Problem] = []
    pack_data = _read_yaml(PACK_FILE, files[PACK_FILE], problems)
    rule_files = [name for name in files if name not in (PACK_FILE, CHECKS_FILE, CONCEPTS_FILE)]
    rules: list[RawItem] = []
    for name in rule_files:
        data = _read_yaml(name, files[name], problems)
        for index, item in enumerate(_rule_items(data, name, problems)):
            rules.append(RawItem(name, _owner_of(item, "rule", index), item))
    checks: list[RawItem] = []
    if CHECKS_FILE in files:
        data = _read_yaml(CHECKS_FILE, files[CHECKS_FILE], problems)
        for index, item in enumerate(_rule_items(data, CHECKS_FILE, problems)):
            checks.append(RawItem(CHECKS_FILE, _owner_of(item, "check", index), item))
    return RawPack(
        str(folder),
        pack_data,
        tuple(rules),
        tuple(checks),
        tuple(rule_files),
        tuple(problems),
        files.get(CONCEPTS_FILE),
    )


def build_pack(raw: RawPack) -> RulePack:
    """Validate ``raw`` into a pack, or raise listing every problem."""
    pack, problems = validate_pack(raw)
    if problems or pack is None:
        raise pack_refused(raw.folder, problems)
    return pack


def pack_refused(folder: str, problems: list[Problem]) -> ChecklistError:
    """The error listing every problem of the pack in ``folder``.

    A file that is not YAML at all is said in one line: nothing else in it can be read.
    """
    if any(p.owner == _YAML for p in problems):
        # The rules of a file that could not be read are unknown to the others: a
        # reference to one of them is no problem of its own until the file reads.
        problems = [p for p in problems if p.allowed not in (_NO_SUCH_RULE, _NO_SUCH_COUNT)]
    if problems and all(p.owner == _YAML for p in problems):
        said = [p.text() for p in problems]
        zh, en = "；".join(t.zh for t in said), "; ".join(t.en for t in said)
        # An unquoted condition (>=2) is the mistake pack authors make most.
        hint = (
            Text("", "")
            if '">=2"' in en
            else Text('比较条件须加引号，如 ">=2"。', 'Quote conditions, e.g. ">=2".')
        )
        return ChecklistError(
            Text(
                f"规则包 {folder} 未加载：{zh}。{hint.zh}",
                f"Rule pack {folder} was not loaded: {en}. {hint.en}".rstrip(),
            )
        )
    return ChecklistError(
        Text(
            f"规则包 {folder} 有 {len(problems)} 处问题，未加载。请逐条改正：",
            f"Rule pack {folder} has {len(problems)} problem(s) and was not loaded. "
            "Fix each of these:",
        ),
        details=tuple(p.text() for p in problems),
    )


def validate_pack(raw: RawPack) -> tuple[RulePack | None, list[Problem]]:
    """The pack ``raw`` makes and every problem with it (reading problems first)."""
    from pydantic import ValidationError

    from checklist import schema

    problems = list(raw.problems)
    pack_model: schema.PackModel | None = None
    try:
        pack_model = schema.PackModel.model_validate(raw.pack)
    except ValidationError as exc:
        if raw.pack is not None:
            problems.extend(_pydantic_problems(exc, PACK_FILE, "pack", raw.pack))

    if not raw.rule_files:
        problems.append(
            Problem(
                PACK_FILE,
                "pack",
                "-",
                raw.folder,
                Text("规则包中没有规则文件（*.yaml）", "the pack has no rule files (*.yaml)"),
            )
        )
    rules: list[Rule] = []
    # Every id a rule item gives, valid or not, so that a repeated id is reported
    # in the same run as the other problems of those rules.
    raw_ids: list[tuple[str, str, bool]] = []
    for item in raw.rules:
        rule_id = item.data.get("id") if isinstance(item.data, dict) else None
        try:
            model = schema.RuleModel.model_validate(item.data)
        except ValidationError as exc:
            problems.extend(_pydantic_problems(exc, item.file, item.owner, item.data))
            if isinstance(rule_id, str):
                raw_ids.append((rule_id, item.file, False))
            continue
        raw_ids.append((model.id, item.file, True))
        rules.append(_build_rule(model, item.file, problems))
    _invalid_duplicates(raw_ids, problems)

    checks: list[Check] = []
    for item in raw.checks:
        try:
            check_model = schema.CheckModel.model_validate(item.data)
        except ValidationError as exc:
            problems.extend(_pydantic_problems(exc, item.file, item.owner, item.data))
            continue
        check = _build_check(check_model, item.file, problems)
        if check is not None:
            checks.append(check)

    concepts = _load_concepts(raw.concepts, problems)

    pack = None
    if pack_model is not None:
        pack = _assemble(pack_model, rules, checks, raw.folder, problems)
        pack = replace(pack, concepts=concepts)
    else:
        _cross_check_rules(rules, checks, None, problems)
    return pack, problems


def _load_concepts(data: bytes | OSError | None, problems: list[Problem]) -> tuple[Concept, ...]:
    """The shared vocabulary of ``concepts.yaml`` (none when the pack has no such file)."""
    if data is None:
        return ()
    items = _rule_items(_read_yaml(CONCEPTS_FILE, data, problems), CONCEPTS_FILE, problems)
    return build_concepts([(CONCEPTS_FILE, item) for item in items], problems)


def build_concepts(
    items: Iterable[tuple[str, object]], problems: list[Problem]
) -> tuple[Concept, ...]:
    """Concepts from (where, item) pairs, every problem listed.

    A word may name one concept only: two concepts claiming it would fold it
    two ways depending on their order.
    """
    from pydantic import ValidationError

    from checklist import schema

    concepts: list[Concept] = []
    owners: dict[str, str] = {}
    for index, (where, item) in enumerate(items):
        owner = _owner_of(item, "concept", index)
        try:
            model = schema.ConceptModel.model_validate(item)
        except ValidationError as exc:
            problems.extend(_pydantic_problems(exc, where, owner, item))
            continue
        for term in model.terms:
            if owners.setdefault(term, model.id) != model.id or model.terms.count(term) > 1:
                problems.append(
                    Problem(
                        where,
                        owner,
                        "terms",
                        term,
                        Text(
                            f"同一词语只能属于一个概念（已属于 {owners[term]}）",
                            f"a word may belong to one concept only (already in {owners[term]})",
                        ),
                    )
                )
        if model.id in {c.id for c in concepts}:
            problems.append(
                Problem(where, owner, "id", model.id, Text("编号不能重复", "ids must be unique"))
            )
        concepts.append(Concept(model.id, tuple(model.terms), model.source))
    return tuple(concepts)


def _assemble(
    model: schema.PackModel,
    rules: list[Rule],
    checks: list[Check],
    folder: str,
    problems: list[Problem],
) -> RulePack:
    areas = tuple(
        Area(a.id, _words(a.title.zh, a.title.en), _text(a.description)) for a in model.areas
    )
    grades = tuple(Grade(g.id, g.min, _words(g.title.zh, g.title.en)) for g in model.grades)
    unit_types = tuple(
        UnitType(t.id, _words(t.title.zh, t.title.en), tuple(t.synonyms)) for t in model.unit_types
    )

    for kind, ids in (
        ("area", [a.id for a in areas]),
        ("grade", [g.id for g in grades]),
        ("unit_types", [t.id for t in unit_types]),
    ):
        for item_id, n in Counter(ids).items():
            if n > 1:
                problems.append(
                    Problem(
                        PACK_FILE,
                        "pack",
                        f"{kind}.id" if kind != "unit_types" else "unit_types.id",
                        item_id,
                        Text("编号不能重复", "ids must be unique"),
                    )
                )
    # Titles are looked up by id across both (RulePack.title_of).
    for item_id in sorted({a.id for a in areas} & {g.id for g in grades}):
        problems.append(
            Problem(
                PACK_FILE,
                "pack",
                "grade.id",
                item_id,
                Text("不能与类别编号相同", "must differ from every area id"),
            )
        )
    mins = [g.min for g in grades]
    if any(a <= b for a, b in pairwise(mins)) or (mins and mins[-1] != 0):
        problems.append(
            Problem(
                PACK_FILE,
                "pack",
                "grades",
                [f"{g.id}>={g.min:g}" for g in grades],
                Text(
                    "等次须由高到低排列，min 严格递减，最后一档 min 为 0",
                    "grades go highest first with min strictly descending; the last min is 0",
                ),
            )
        )
    if model.veto_cap not in {g.id for g in grades}:
        problems.append(
            Problem(
                PACK_FILE,
                "pack",
                "veto_cap",
                model.veto_cap,
                Text(
                    f"须为等次编号之一：{', '.join(g.id for g in grades)}",
                    f"must be a grade id: {', '.join(g.id for g in grades)}",
                ),
            )
        )

    # Sums are only meaningful when every rule was read: a YAML error in one file
    # would otherwise also show up as every area's points being wrong.
    _cross_check_rules(rules, checks, model, problems, sums=not problems)

    order = {a.id: i for i, a in enumerate(areas)}
    ordered = tuple(sorted(rules, key=lambda r: order.get(r.area, len(order))))
    return RulePack(
        id=model.id,
        version=model.version,
        title=_words(model.title.zh, model.title.en),
        areas=areas,
        rules=ordered,
        checks=tuple(checks),
        grades=grades,
        unit_types=unit_types,
        veto_cap=model.veto_cap,
        bonus_cap=model.bonus_cap,
        unsupported_credit=model.unsupported_credit,
        ratio_tolerance=model.ratio_tolerance,
        description=_text(model.description),
        path=folder,
        coverage=_coverage(model, rules, problems),
    )


def _coverage(
    model: schema.PackModel, rules: list[Rule], problems: list[Problem]
) -> tuple[tuple[Org, tuple[str, ...]], ...]:
    """``coverage`` checked: every id names a yes/no rule of that organisation."""
    by_id = {rule.id: rule for rule in rules}
    for org, ids in model.coverage.items():
        for rule_id in ids:
            rule = by_id.get(rule_id)
            if rule is None or rule.answer.type is not AnswerType.yesno or rule.org.value != org:
                problems.append(
                    Problem(
                        PACK_FILE,
                        "pack",
                        f"coverage.{org}",
                        rule_id,
                        Text(
                            f"须为本包中组织为 {org} 的是/否规则编号",
                            f"must be the id of a yes/no rule of this pack with org {org}",
                        ),
                    )
                )
    return tuple((Org(org), tuple(ids)) for org, ids in model.coverage.items())


def _duplicate_rule(file: str, rule_id: str, first_file: str) -> Problem:
    return Problem(
        file,
        f"rule {rule_id}",
        "id",
        rule_id,
        Text(
            f"规则编号重复（{first_file} 中已有同一编号），编号须唯一",
            f"duplicate rule id (already used in {first_file}); ids must be unique",
        ),
    )


def _invalid_duplicates(ids: list[tuple[str, str, bool]], problems: list[Problem]) -> None:
    """Repeated ids where one of the rules did not validate (the others are found by
    :func:`_cross_check_rules`, which sees only the rules that did)."""
    first: dict[str, tuple[str, bool]] = {}
    for rule_id, file, valid in ids:
        if rule_id not in first:
            first[rule_id] = (file, valid)
        elif not (valid and first[rule_id][1]):
            problems.append(_duplicate_rule(file, rule_id, first[rule_id][0]))


def _cross_check_rules(
    rules: list[Rule],
    checks: list[Check],
    pack: schema.PackModel | None,
    problems: list[Problem],
    sums: bool = True,
) -> None:
    by_id: dict[str, Rule] = {}
    for rule in rules:
        if rule.id in by_id:
            problems.append(_duplicate_rule(rule.file, rule.id, by_id[rule.id].file))
        else:
            by_id[rule.id] = rule

    area_ids = [a.id for a in pack.areas] if pack else None
    type_ids = [t.id for t in pack.unit_types] if pack else None
    for rule in rules:
        owner = f"rule {rule.id}"
        if area_ids is not None and rule.area not in area_ids:
            problems.append(
                Problem(
                    rule.file,
                    owner,
                    "area",
                    rule.area,
                    Text(
                        f"须为 pack.yaml 中的类别之一：{', '.join(area_ids)}",
                        f"must be an area of pack.yaml: {', '.join(area_ids)}",
                    ),
                )
            )
        if type_ids is not None:
            for unit_type in rule.applies_to:
                if unit_type not in type_ids:
                    problems.append(
                        Problem(
                            rule.file,
                            owner,
                            "applies_to",
                            unit_type,
                            Text(
                                f"须为 pack.yaml 中的单位类型之一：{', '.join(type_ids)}",
                                f"must be a unit type of pack.yaml: {', '.join(type_ids)}",
                            ),
                        )
                    )
        if rule.answer.type is AnswerType.ratio:
            for key in ("numerator", "denominator"):
                target_id = getattr(rule.answer, key)
                if target_id is None:
                    continue
                target = by_id.get(target_id)
                if target is None:
                    problems.append(
                        Problem(
                            rule.file,
                            owner,
                            f"answer.{key}",
                            target_id,
                            _NO_SUCH_COUNT,
                        )
                    )
                elif target.answer.type is not AnswerType.count:
                    problems.append(
                        Problem(
                            rule.file,
                            owner,
                            f"answer.{key}",
                            target_id,
                            Text(
                                f"须指向计数（count）规则，而 {target_id} 是 {target.answer.type.value}",
                                f"must name a count rule; {target_id} is {target.answer.type.value}",
                            ),
                        )
                    )
                elif target.applies_to and (
                    not rule.applies_to or not set(rule.applies_to) <= set(target.applies_to)
                ):
                    problems.append(
                        Problem(
                            rule.file,
                            owner,
                            f"answer.{key}",
                            target_id,
                            Text(
                                f"{target_id} 适用的单位类型须涵盖本规则的单位类型",
                                f"{target_id} must apply to every unit type this rule applies to",
                            ),
                        )
                    )

    if pack is not None and sums:
        for area in pack.areas:
            if area.points is None:
                continue
            total = sum(r.points for r in rules if r.area == area.id and not r.bonus)
            if abs(total - area.points) > 1e-9:
                problems.append(
                    Problem(
                        PACK_FILE,
                        f"area {area.id}",
                        "points",
                        area.points,
                        Text(
                            f"须等于该类别非加分规则分值之和 {total:g}",
                            f"must equal the sum of the area's non-bonus rule points, {total:g}",
                        ),
                    )
                )

    for rule in rules:
        if rule.applies_if is not None:
            _check_references(
                rule.applies_if, "applies_if", f"rule {rule.id}", rule.file, by_id, problems
            )

    seen_checks: set[str] = set()
    for check in checks:
        owner = f"check {check.id}"
        if check.id in seen_checks:
            problems.append(
                Problem(
                    check.file, owner, "id", check.id, Text("检查编号重复", "duplicate check id")
                )
            )
        seen_checks.add(check.id)
        for key, comparison in (("assert", check.assertion), ("when", check.when)):
            if comparison is not None:
                _check_references(comparison, key, owner, check.file, by_id, problems)


_COMPARABLE = (
    AnswerType.yesno,
    AnswerType.count,
    AnswerType.number,
    AnswerType.percent,
    AnswerType.ratio,
    AnswerType.date,
)


def _check_references(
    comparison: Comparison,
    key: str,
    owner: str,
    file: str,
    by_id: dict[str, Rule],
    problems: list[Problem],
) -> None:
    """The rules a comparison names exist and hold comparable answers."""
    for rule_id in comparison.rule_ids:
        if rule_id not in by_id:
            problems.append(
                Problem(
                    file,
                    owner,
                    key,
                    rule_id,
                    _NO_SUCH_RULE,
                )
            )
        elif by_id[rule_id].answer.type not in _COMPARABLE:
            problems.append(
                Problem(
                    file,
                    owner,
                    key,
                    rule_id,
                    Text(
                        "只能比较是否、计数、数值、百分比、比率或日期答案",
                        "only yesno, count, number, percent, ratio and date answers compare",
                    ),
                )
            )
    dated = {by_id[r].answer.type is AnswerType.date for r in comparison.rule_ids if r in by_id}
    if len(dated) > 1:
        problems.append(
            Problem(
                file,
                owner,
                key,
                str(comparison),
                Text(
                    "日期只能与日期或年份数字比较",
                    "a date compares only with another date or a year",
                ),
            )
        )
