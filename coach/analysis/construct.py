"""Pydantic models built from trusted values without `model_construct`'s per-field alias and
default handling (a few microseconds per model, several models per check)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)

_new = object.__new__


def _slot_setter(name: str) -> Callable[[Any, Any], None]:
    """BaseModel keeps its instance state in four slots; their descriptors set them directly
    (one C call each, where `object.__setattr__` looks each name up on the class first).
    Should a pydantic release lay them out otherwise, `object.__setattr__` still does it."""
    descriptor = BaseModel.__dict__.get(name)
    setter = getattr(descriptor, "__set__", None)
    if setter is not None:
        return setter
    return lambda m, value: object.__setattr__(m, name, value)


_set_dict = _slot_setter("__dict__")
_set_fields_set = _slot_setter("__pydantic_fields_set__")
_set_extra = _slot_setter("__pydantic_extra__")
_set_private = _slot_setter("__pydantic_private__")
# Per model class: its field names in order, or None when the fast path does not apply.
_FIELDS: dict[type[BaseModel], tuple[str, ...] | None] = {}


def _fields(cls: type[BaseModel]) -> tuple[str, ...] | None:
    fields = tuple(cls.model_fields)
    simple = (
        cls.__new__ is _new  # what `model_construct` itself calls to make the instance
        and cls.__pydantic_post_init__ is None
        and not cls.__pydantic_root_model__
        and cls.model_config.get("extra") != "allow"
        and all(f.alias is None and f.validation_alias is None for f in cls.model_fields.values())
    )
    _FIELDS[cls] = fields if simple else None
    return _FIELDS[cls]


def trusted(cls: type[M], values: dict[str, Any]) -> M:
    """The same instance `cls.model_construct(**values)` makes (same `__dict__`, fields set,
    no extra, no private) when `values` names every field of `cls` in declaration order;
    anything else goes through `model_construct` itself."""
    fields = _FIELDS[cls] if cls in _FIELDS else _fields(cls)
    if fields is None or tuple(values) != fields:
        return cls.model_construct(**values)
    return _build(cls, values)


def _build(cls: type[M], values: dict[str, Any]) -> M:
    """`values` becomes the new instance's `__dict__`, every field set, no extra, no private."""
    m = _new(cls)
    _set_dict(m, values)
    _set_fields_set(m, set(values))
    _set_extra(m, None)
    _set_private(m, None)
    return m


def maker(cls: type[M], fields: tuple[str, ...]) -> Callable[[dict[str, Any]], M]:
    """A constructor for a hot path that always passes a dict naming `fields`, in that order:
    the dict becomes the instance's `__dict__`, as in `trusted`, without `trusted`'s per-call
    check of the keys (made once, here: a `fields` that does not match the model raises).

    Its fields set is a copy of one made here (copying a small set costs half of building
    it from the dict's keys); each instance still has its own, as pydantic expects."""
    if (_FIELDS[cls] if cls in _FIELDS else _fields(cls)) != fields:
        raise TypeError(f"{cls.__name__}: the fast path needs exactly its fields, in order")
    every_field = set(fields)

    def build(values: dict[str, Any]) -> M:
        m = _new(cls)
        _set_dict(m, values)
        _set_fields_set(m, every_field.copy())
        _set_extra(m, None)
        _set_private(m, None)
        return m

    return build
