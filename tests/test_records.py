"""``checklist.records.record`` behaves as ``@dataclass(frozen=True, slots=True)`` does."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checklist.records import record


def _shape(decorate: Any) -> tuple[type, type, type]:
    class Point:
        """Two fields, one with a default."""

        x: int
        y: float = 0.5

    class Bag:
        """Defaults, a factory, a field left out of comparison and repr, and __post_init__."""

        name: str
        tags: tuple[str, ...] = ()
        items: tuple[int, ...] = field(default_factory=tuple)
        note: str = field(default="", compare=False, repr=False)
        size: int = field(init=False, repr=False, compare=False, hash=False)

        def __post_init__(self) -> None:
            object.__setattr__(self, "size", len(self.items))

    class Empty:
        """No fields at all."""

    return decorate(Point), decorate(Bag), decorate(Empty)


STANDARD = _shape(dataclass(frozen=True, slots=True))
RECORDS = _shape(record)
# Module-level copies so that pickle can find the classes by name.
Point, Bag, Empty = RECORDS
Point.__qualname__ = Point.__name__ = "Point"
Bag.__qualname__ = Bag.__name__ = "Bag"
Empty.__qualname__ = Empty.__name__ = "Empty"


def _pair(index: int, *args: Any, **kwargs: Any) -> tuple[Any, Any]:
    return STANDARD[index](*args, **kwargs), RECORDS[index](*args, **kwargs)


def test_constructor_defaults_factory_and_post_init() -> None:
    standard, made = _pair(1, "a", ("x",), note="n")
    assert [getattr(made, f.name) for f in dataclasses.fields(made)] == [
        getattr(standard, f.name) for f in dataclasses.fields(standard)
    ]
    assert made.items == ()
    assert RECORDS[1]("c", items=(1, 2)).size == 2
    with pytest.raises(TypeError):
        RECORDS[1]("d", size=3)
    with pytest.raises(TypeError):
        RECORDS[0]()


def test_repr_matches_the_dataclass() -> None:
    for index, args in ((0, (1,)), (1, ("a", ("x",), (3,), "hidden")), (2, ())):
        standard, made = _pair(index, *args)
        assert repr(made) == repr(standard).replace("_shape.<locals>.", "")


@given(st.integers(), st.floats(allow_nan=True), st.integers(), st.floats(allow_nan=True))
def test_equality_and_hash_match_the_dataclass(x1: int, y1: float, x2: int, y2: float) -> None:
    s1, r1 = _pair(0, x1, y1)
    s2, r2 = _pair(0, x2, y2)
    assert (r1 == r2) == (s1 == s2)
    assert (r1 == r1) == (s1 == s1)
    assert hash(r1) == hash(s1)


def test_fields_left_out_of_comparison_do_not_count() -> None:
    assert RECORDS[1]("a", note="one") == RECORDS[1]("a", note="two")
    assert hash(RECORDS[1]("a", (), (), "one")) == hash(STANDARD[1]("a", (), (), "two"))
    assert RECORDS[0](1) != STANDARD[0](1)
    assert RECORDS[2]() == RECORDS[2]() and hash(RECORDS[2]()) == hash(STANDARD[2]())


def test_frozen_and_slotted() -> None:
    made = RECORDS[0](1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.x = 2  # type: ignore[attr-defined]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del made.x  # type: ignore[attr-defined]
    with pytest.raises((dataclasses.FrozenInstanceError, AttributeError)):
        setattr(made, "z", 3)  # noqa: B010 - an attribute the class does not declare
    assert not hasattr(made, "__dict__")


def test_replace_asdict_fields() -> None:
    made = RECORDS[1]("a", items=(1,))
    changed = dataclasses.replace(made, name="b", items=(1, 2, 3))
    assert (changed.name, changed.size, made.name) == ("b", 3, "a")
    assert dataclasses.asdict(RECORDS[0](1)) == {"x": 1, "y": 0.5}
    assert [f.name for f in dataclasses.fields(made)] == ["name", "tags", "items", "note", "size"]
    assert dataclasses.is_dataclass(made)
    assert RECORDS[0].__match_args__ == ("x", "y")


def test_pickle_and_copy() -> None:
    for made in (Point(1, 2.0), Bag("a", ("t",), (1,), "n"), Empty()):
        for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
            again = pickle.loads(pickle.dumps(made, protocol))
            assert again == made and repr(again) == repr(made)
        assert copy.copy(made) == made and copy.deepcopy(made) == made
    assert pickle.loads(pickle.dumps(Bag("a", items=(4,)))).size == 1


def test_the_constructor_signature_is_the_dataclass_one() -> None:
    for index, args in ((0, (1,)), (1, ("a",)), (2, ())):
        standard, made = _pair(index, *args)  # the first record built compiles its __init__
        assert str(inspect.signature(type(made).__init__)) == str(
            inspect.signature(type(standard).__init__)
        )
    assert RECORDS[1](name="k", note="n", tags=("t",)).tags == ("t",)
    assert RECORDS[0](y=2.0, x=3) == RECORDS[0](3, 2.0)


def test_two_records_of_one_shape_keep_their_own_fields_and_defaults() -> None:
    @record
    class Left:
        """Two fields."""

        a: int
        b: str = "left"

    @record
    class Right:
        """The same shape, other names and default."""

        c: int
        d: str = "right"

    assert (Left(1).b, Right(2).d, Right(c=3, d="x").d) == ("left", "right", "x")
    with pytest.raises(TypeError):
        Left(c=1)


def test_a_field_without_default_after_one_with_is_refused_when_defined() -> None:
    class Wrong:
        """A default, then none."""

        a: int = 0
        b: int

    with pytest.raises(TypeError, match="non-default argument 'b'"):
        record(Wrong)
