"""What changed between two versions of a submission's data, field by field (S4)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from forms.specs import describe, path_label
from i18n import Lang


@dataclass(frozen=True)
class FieldChange:
    """One changed field: dotted ``path`` (``items.1.owner``), its label, old and new value.

    A repeat-group row added or removed shows as one change at the row's path
    (``items.2``) with ``old`` or ``new`` None.
    """

    path: str
    label: str
    old: Any
    new: Any


def compare_data(
    model: type[BaseModel], old: dict[str, Any], new: dict[str, Any], lang: Lang = "zh"
) -> list[FieldChange]:
    """The fields whose values differ, in the order the form shows them."""
    changes: list[tuple[tuple[str | int, ...], Any, Any]] = []
    _walk((), old, new, changes)
    order = {spec.name: i for i, spec in enumerate(describe(model))}
    changes.sort(key=lambda c: order.get(str(c[0][0]), len(order)))  # stable: rows stay in order
    return [
        FieldChange(".".join(str(p) for p in loc), path_label(model, loc, lang), a, b)
        for loc, a, b in changes
    ]


def _walk(
    loc: tuple[str | int, ...],
    old: Any,
    new: Any,
    out: list[tuple[tuple[str | int, ...], Any, Any]],
) -> None:
    if isinstance(old, dict) and isinstance(new, dict):
        keys = list(old) + [k for k in new if k not in old]
        for key in keys:
            _walk((*loc, key), old.get(key), new.get(key), out)
        return
    if _is_rows(old) and _is_rows(new):
        for i in range(max(len(old), len(new))):
            a = old[i] if i < len(old) else None
            b = new[i] if i < len(new) else None
            if a is None or b is None:
                if a != b:
                    out.append(((*loc, i), a, b))
            else:
                _walk((*loc, i), a, b, out)
        return
    if old != new:
        out.append((loc, old, new))


def _is_rows(value: Any) -> bool:
    """A repeat group: a list of records (an empty list counts, so rows can be added)."""
    return isinstance(value, list) and all(isinstance(v, dict) for v in value)
