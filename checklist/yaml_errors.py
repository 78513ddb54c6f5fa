"""A YAML syntax error as the person who typed the file can act on it, in both languages.

PyYAML says what its parser expected (``expected <block end>, but found
'?'``), in English and in parser terms. Rule packs and waiver files are
typed by county staff, so the tool says where (file, line, column) and what
that usually means in words they know (indentation, a colon, a quote), the
parser's own words kept in brackets for whoever needs them.
"""

from __future__ import annotations

import re

from checklist.patterns import lazy_compile
from checklist.text import Text

_MEANINGS: tuple[tuple[re.Pattern[str], Text], ...] = tuple(
    (lazy_compile(pattern), meaning)
    for pattern, meaning in (
        (
            r"expected chomping or indentation indicators|found '[<>|]'",
            Text(
                '值不能以 > 或 | 开头：比较条件须加引号，如 ">=2"',
                'a value cannot start with > or |: quote conditions, e.g. ">=2"',
            ),
        ),
        (
            r"mapping values are not allowed",
            Text(
                "此处不能再有“键: 值”：值里的冒号须加引号，或缩进有误",
                "a 'key: value' is not allowed here: quote a value that holds a colon, "
                "or fix the indentation",
            ),
        ),
        (
            r"expected <block end>|did not find expected key|did not find expected '-'",
            Text(
                "缩进与上文对不齐（同一层的键和“-”须左对齐，只用空格缩进）",
                "the indentation does not line up with the lines above (keys and '-' of one "
                "level start in the same column; indent with spaces only)",
            ),
        ),
        (
            r"found character '\\t'",
            Text("不能用 Tab 缩进，请改用空格", "a tab cannot indent YAML: use spaces"),
        ),
        (
            r"found unexpected end of stream|while scanning a quoted scalar",
            Text("引号没有配对（缺少结尾的引号）", "a quote is not closed"),
        ),
        (
            r"expected ',' or '\]'",
            Text(
                "方括号 [ ] 没有配对，或两项之间缺逗号",
                "a [ ] is not closed, or a comma is missing",
            ),
        ),
        (
            r"expected ',' or '\}'",
            Text(
                "花括号 { } 没有配对，或两项之间缺逗号",
                "a { } is not closed, or a comma is missing",
            ),
        ),
        (
            r"could not find expected ':'",
            Text("缺少冒号“:”，或引号没有配对", "a ':' is missing, or a quote is not closed"),
        ),
        (
            r"that cannot start any token",
            Text(
                "这个字符不能放在值的开头：请给这个值加引号",
                "a value cannot start with this character: quote the value",
            ),
        ),
        (
            r"found undefined alias|found unhashable key",
            Text("出现了 YAML 的特殊写法（*、&、? 等）：请给这个值加引号", "quote the value"),
        ),
    )
)


def yaml_syntax_text(file: str, error: Exception) -> Text:
    """``leadership.yaml：第 12 行第 5 列：YAML 语法错误，缩进…`` for a PyYAML ``error``."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    problem = str(getattr(error, "problem", None) or error).strip()
    where = Text(file, file)
    if mark is not None:
        line, column = mark.line + 1, mark.column + 1
        where = Text(f"{file}：第 {line} 行第 {column} 列", f"{file}: line {line}, column {column}")
    meaning = next(
        (m for pattern, m in _MEANINGS if pattern.search(problem)),
        Text("格式不符合 YAML 的写法", "not valid YAML"),
    )
    said = problem.replace("\n", " ")
    return Text(
        f"{where.zh}：YAML 语法错误，{meaning.zh}（{said}）",
        f"{where.en}: YAML syntax error, {meaning.en} ({said})",
    )
