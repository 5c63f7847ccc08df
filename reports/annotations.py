"""Reading Pydantic field annotations: optional unwrapping and nested models."""

from __future__ import annotations

import types
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel


def unwrap_optional(annotation: Any) -> Any:
    """``X`` for ``X | None`` (and ``Optional[X]``); anything else unchanged."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def is_model(annotation: Any) -> bool:
    """True for a Pydantic model class."""
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def list_item(annotation: Any) -> Any | None:
    """The item type of ``list[X]`` (optional unwrapped), else None."""
    annotation = unwrap_optional(annotation)
    if get_origin(annotation) in (list, tuple, set):
        args = get_args(annotation)
        return unwrap_optional(args[0]) if args else Any
    return None


def nested_model(annotation: Any) -> type[BaseModel] | None:
    """The model inside ``M``, ``M | None`` or ``list[M]``, if any."""
    inner = unwrap_optional(annotation)
    item = list_item(inner)
    candidate = item if item is not None else inner
    return candidate if is_model(candidate) else None
