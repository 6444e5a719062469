"""Pydantic models built from trusted values without `model_construct`'s per-field alias and
default handling (a few microseconds per model, several models per check)."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)

_set = object.__setattr__
# Per model class: its field names in order, or None when the fast path does not apply.
_FIELDS: dict[type[BaseModel], tuple[str, ...] | None] = {}


def _fields(cls: type[BaseModel]) -> tuple[str, ...] | None:
    fields = tuple(cls.model_fields)
    simple = (
        cls.__pydantic_post_init__ is None
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
    m = cls.__new__(cls)
    _set(m, "__dict__", values)
    _set(m, "__pydantic_fields_set__", set(values))
    _set(m, "__pydantic_extra__", None)
    _set(m, "__pydantic_private__", None)
    return m
