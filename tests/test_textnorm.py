"""textnorm's traditional-character set, read from OpenCC's tables without building the converter."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from checklist import textnorm


def test_the_set_read_from_the_tables_is_the_converters() -> None:
    from_tables = textnorm._traditional_chars_from_tables()
    assert from_tables  # the installed OpenCC's files are where the reader looks
    assert from_tables == textnorm._traditional_chars_of(textnorm._converter())
    assert "組" in from_tables and "组" not in from_tables


@given(st.text(alphabet=st.sampled_from("組織组织會议會議台臺后後发發髮乾干 abc1"), max_size=12))
def test_to_simplified_is_what_opencc_gives(text: str) -> None:
    assert textnorm.to_simplified(text) == textnorm._converter().convert(text)


def test_simplified_text_does_not_build_the_converter() -> None:
    textnorm._converter.cache_clear()
    textnorm._traditional_chars.cache_clear()
    assert textnorm.to_simplified("基层组织建设") == "基层组织建设"
    assert textnorm._converter.cache_info().currsize == 0
