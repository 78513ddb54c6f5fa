"""``@record``: a frozen, slotted dataclass that costs a fifth as much to define.

The package defines well over a hundred ``@dataclass(frozen=True, slots=True)``
records, and one ``checklist score`` process imports seventy of them. The
standard decorator compiles six methods from source for each (``__init__``,
``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__``, ``__delattr__``), about
40 ms of a 190 ms run. :func:`record` lets :func:`dataclasses.dataclass` do the
field bookkeeping and the slots, compiles only ``__init__`` (the one method
whose speed matters per instance), and that only when the first record of its
class is built; one plain function for each of the other five serves all records.

What a record does is what the frozen slotted dataclass does: the same
constructor signature, defaults, ``default_factory`` and ``__post_init__``;
``dataclasses.fields``, ``replace`` and ``asdict`` work; equality and hashing
over the fields with ``compare=True`` (the hash is the same number, so sets and
dicts of records iterate in the same order); the same ``repr``; assignment
raises :class:`dataclasses.FrozenInstanceError`; records pickle and copy.
tests/test_records.py holds each of these against the standard decorator.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from functools import cache
from operator import attrgetter
from types import CodeType, FunctionType
from typing import Any, TypeVar, dataclass_transform

_T = TypeVar("_T")

_KEY = "__record_key__"
_HASH_KEY = "__record_hash_key__"
_REPR = "__record_repr__"
_NAMES = "__record_fields__"


class _NoDefault:
    """Marks a parameter whose default comes from a ``default_factory``."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _NoDefault()


def _getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The fields ``names`` of a record as one tuple (attrgetter returns a bare value for one name)."""
    if len(names) >= 2:
        return attrgetter(*names)
    if names:
        (name,) = names
        return lambda obj: (getattr(obj, name),)
    return lambda obj: ()


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        key = self.__record_key__
        return key(self) == key(other)
    return NotImplemented


def _hash(self: Any) -> int:
    return hash(self.__record_hash_key__(self))


def _repr(self: Any) -> str:
    fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__record_repr__)
    return f"{self.__class__.__qualname__}({fields})"


def _setattr(self: Any, name: str, value: Any) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _delattr(self: Any, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


def _getstate(self: Any) -> list[Any]:
    return [getattr(self, name) for name in self.__record_fields__]


def _setstate(self: Any, state: list[Any]) -> None:
    for name, value in zip(self.__record_fields__, state, strict=True):
        object.__setattr__(self, name, value)


_SHARED: dict[str, Callable[..., Any]] = {
    "__repr__": _repr,
    "__eq__": _eq,
    "__hash__": _hash,
    "__setattr__": _setattr,
    "__delattr__": _delattr,
    "__getstate__": _getstate,
    "__setstate__": _setstate,
}
"""The methods every record shares, driven by the field names its class holds."""


def _kind(f: dataclasses.Field[Any]) -> str:
    """How ``__init__`` treats a field: a parameter ("param"), a parameter whose default comes
    from a factory ("param factory"), or no parameter and set from its default or factory."""
    factory = f.default_factory is not dataclasses.MISSING
    if f.init:
        return "param factory" if factory else "param"
    if factory:
        return "factory"
    return "default" if f.default is not dataclasses.MISSING else "unset"


@cache
def _template(kinds: tuple[str, ...], post_init: bool) -> CodeType:
    """``__init__``'s code for fields of these kinds, named ``f0``, ``f1`` … (renamed per class).

    Compiling a function costs about 0.1 ms, and a ``score`` run builds some
    fifty kinds of record; their ``__init__`` take a dozen shapes, each compiled once.
    """
    params = ["self"]
    body = []
    for n, kind in enumerate(kinds):
        name = f"f{n}"
        if kind == "param":
            params.append(name)
            body.append(f"_set(self, {name!r}, {name})")
        elif kind == "param factory":
            params.append(name)
            body.append(f"_set(self, {name!r}, _made_{n}() if {name} is _FACTORY else {name})")
        elif kind == "factory":
            body.append(f"_set(self, {name!r}, _made_{n}())")
        elif kind == "default":
            body.append(f"_set(self, {name!r}, _default_{n})")
    if post_init:
        body.append("self.__post_init__()")
    source = f"def __init__({', '.join(params)}):\n " + "\n ".join(body or ["pass"])
    module = compile(source, "<record>", "exec")
    return next(c for c in module.co_consts if isinstance(c, CodeType))


def _init(cls: type, fields: tuple[dataclasses.Field[Any], ...]) -> Callable[..., None]:
    """``__init__`` for ``cls``: its parameters and defaults exactly as dataclasses writes them."""
    kinds = tuple(_kind(f) for f in fields)
    names = {f"f{n}": f.name for n, f in enumerate(fields)}
    template = _template(kinds, hasattr(cls, "__post_init__"))
    code = template.replace(
        co_varnames=tuple(names.get(v, v) for v in template.co_varnames),
        co_consts=tuple(names.get(c, c) if isinstance(c, str) else c for c in template.co_consts),
        co_name="__init__",
        co_qualname=f"{cls.__qualname__}.__init__",
    )
    scope: dict[str, Any] = {"_set": object.__setattr__, "_FACTORY": _FACTORY}
    defaults = []
    for n, (f, kind) in enumerate(zip(fields, kinds, strict=True)):
        if kind == "param factory":
            defaults.append(_FACTORY)
        elif kind == "param" and f.default is not dataclasses.MISSING:
            defaults.append(f.default)
        if "factory" in kind:
            scope[f"_made_{n}"] = f.default_factory
        elif kind == "default":
            scope[f"_default_{n}"] = f.default
    init = FunctionType(code, scope, "__init__", tuple(defaults) or None)
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__annotations__.update({f.name: f.type for f in fields if f.init})
    init.__annotations__["return"] = None
    return init


def _compiled_on_first_call(
    cls: type, fields: tuple[dataclasses.Field[Any], ...]
) -> Callable[..., None]:
    """An ``__init__`` that compiles the real one and puts it in its place: a run defines
    every record its modules hold but builds only some of them."""

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        init = _init(cls, fields)
        type.__setattr__(cls, "__init__", init)
        init(self, *args, **kwargs)

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return __init__


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, dataclasses.Field))
def record(cls: type[_T]) -> type[_T]:
    """Make ``cls`` a frozen dataclass with slots (see the module docs)."""
    if not cls.__doc__:
        # What dataclasses would write, without its inspect.signature (the first call
        # in a process compiles tokenize's patterns, 1.5 ms).
        cls.__doc__ = f"{cls.__name__}({', '.join(inspect.get_annotations(cls))})"
    made: Any = dataclasses.dataclass(init=False, repr=False, eq=False, slots=True)(cls)
    fields = dataclasses.fields(made)
    defaulted = ""
    for f in fields:
        if not f.init:
            continue
        if f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING:
            defaulted = f.name
        elif defaulted:
            raise TypeError(f"non-default argument {f.name!r} follows default argument")
    setattr(made, _NAMES, tuple(f.name for f in fields))
    setattr(made, _KEY, staticmethod(_getter(tuple(f.name for f in fields if f.compare))))
    hashed = tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash))
    setattr(made, _HASH_KEY, staticmethod(_getter(hashed)))
    setattr(made, _REPR, tuple(f.name for f in fields if f.repr))
    made.__init__ = _compiled_on_first_call(made, fields)
    for name, method in _SHARED.items():
        setattr(made, name, method)
    return made  # type: ignore[no-any-return]
