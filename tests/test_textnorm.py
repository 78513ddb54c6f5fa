"""textnorm converts traditional text as OpenCC does, building OpenCC only for text it changes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from checklist import textnorm

# Characters OpenCC converts everywhere, ones it converts only inside phrases
# (覆 in 反覆 but not in 覆盖, 沈 in 沈默 but not as a surname), those phrases'
# neighbours, and simplified text.
ALPHABET = "組織會議臺後發髮覆反蓋回函沈默船瞭明解藉口牴牾乾隆干组织覆盖 a1"


def test_the_tables_are_read() -> None:
    changes = textnorm._changes()
    assert changes is not None  # the installed OpenCC's files are where the reader looks
    assert "組" in changes.chars and "组" not in changes.chars
    assert "覆" not in changes.chars and "反覆" in changes.phrases["覆"]


@given(st.text(alphabet=st.sampled_from(ALPHABET), max_size=12))
def test_to_simplified_is_what_opencc_gives(text: str) -> None:
    assert textnorm.to_simplified(text) == textnorm._converter().convert(text)


def test_phrases_are_converted_as_opencc_converts_them() -> None:
    assert textnorm.to_simplified("反覆检查，沈默") == textnorm._converter().convert(
        "反覆检查，沈默"
    )
    assert textnorm.to_simplified("反覆检查") == "反复检查"
    assert textnorm._converter().convert("沈阳市组织覆盖") == "沈阳市组织覆盖"


def test_simplified_text_does_not_build_the_converter() -> None:
    textnorm._converter.cache_clear()
    textnorm._changes.cache_clear()
    for text in ("基层组织建设", "组织覆盖", "集体合同覆盖职工人数", "沈阳市"):
        assert textnorm.to_simplified(text) == text
    assert textnorm._converter.cache_info().currsize == 0
