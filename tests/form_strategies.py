"""Hypothesis strategies that generate form data from a model's FieldSpecs.

``valid_data(model)`` yields JSON-able dicts the model accepts (as ``model_dump(mode="json")``
of an instance, hidden fields at their defaults); ``garbage_data(model)`` yields dicts with the
model's field names and values of any JSON type.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from typing import Any

from hypothesis import assume
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from forms.specs import FieldSpec, describe
from forms.validation import prepare

_CHARS = "先锋工程支部党员学习计划abcXYZ019-_,。"
_DATES = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 31))


def _text(spec: FieldSpec, multiline: bool) -> st.SearchStrategy[str]:
    low = spec.min_length or 0
    high = max(low, min(spec.max_length or 40, 40))
    alphabet = _CHARS + (" \n" if multiline else " ")
    return (
        st.text(alphabet=alphabet, min_size=low, max_size=high)
        .map(str.strip)
        .filter(lambda s: len(s) >= low)
    )


def _number(spec: FieldSpec) -> st.SearchStrategy[Any]:
    if spec.kind == "int":
        low = math.ceil(spec.ge if spec.ge is not None else (spec.gt + 1 if spec.gt else 0))
        high = math.floor(spec.le if spec.le is not None else (spec.lt - 1 if spec.lt else 10_000))
        return st.integers(min_value=low, max_value=min(high, low + 10_000))
    step = spec.multiple_of or 0.01
    low_f = spec.ge if spec.ge is not None else (spec.gt + step if spec.gt is not None else 0)
    high_f = spec.le if spec.le is not None else (spec.lt - step if spec.lt is not None else 1e5)
    return st.integers(
        min_value=math.ceil(low_f / step), max_value=math.floor(min(high_f, 1e6) / step)
    ).map(lambda n: round(n * step, 6))


def field_strategy(spec: FieldSpec) -> st.SearchStrategy[Any]:
    """Valid JSON-able values of one field (constraints of the spec respected)."""
    kind = spec.kind
    strategy: st.SearchStrategy[Any]
    if kind in ("text", "textarea"):
        strategy = _text(spec, kind == "textarea")
    elif kind in ("int", "float", "decimal"):
        strategy = _number(spec)
    elif kind == "bool":
        strategy = st.booleans()
    elif kind == "date":
        strategy = _DATES.map(dt.date.isoformat)
    elif kind in ("select", "radio"):
        strategy = st.sampled_from(spec.options)
    elif kind == "multiselect":  # names of its own for a list the server keeps (choices=)
        item = (
            st.sampled_from(spec.options)
            if spec.choices is None
            else st.text(alphabet=_CHARS, min_size=1, max_size=12)
        )
        strategy = st.lists(item, unique=True, max_size=3)
    elif kind == "tags":
        line = st.text(alphabet=_CHARS, min_size=1, max_size=12)
        strategy = st.lists(line, max_size=min(spec.max_length or 4, 4))
    elif kind in ("section", "readonly") and spec.model is not None:
        strategy = model_values(spec.model)
    elif kind == "repeat" and spec.model is not None:
        strategy = st.lists(
            model_values(spec.model),
            min_size=spec.min_length or 0,
            max_size=min(spec.max_length or 3, 3),
        )
    elif kind == "file":
        attachment = st.fixed_dictionaries(
            {
                "name": st.text(alphabet=_CHARS, min_size=1, max_size=10).map(lambda s: s + ".png"),
                "content_type": st.just("image/png"),
                "size": st.integers(min_value=0, max_value=10_000),
                "blob": st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
            }
        )
        strategy = st.lists(attachment, max_size=2)
    else:
        strategy = st.none()
    if spec.optional:
        strategy = st.none() | strategy
    return strategy


@functools.cache  # built once per model: rebuilding it on every draw cost most of a fuzz
def model_values(model: type[BaseModel]) -> st.SearchStrategy[dict[str, Any]]:
    """Dicts with a value for every stored field of ``model`` (not checked by the model)."""
    return st.fixed_dictionaries(
        {
            spec.name: field_strategy(spec)
            for spec in describe(model)
            if spec.stores_value and not spec.calculate
        }
    )


@st.composite
def valid_data(draw: st.DrawFn, model: type[BaseModel]) -> dict[str, Any]:
    """A dump of a valid instance of ``model`` (hidden fields at defaults, totals computed)."""
    values = draw(model_values(model))
    try:
        instance = model.model_validate(prepare(model, values))
    except ValidationError:
        assume(False)
        raise AssertionError("unreachable") from None
    return instance.model_dump(mode="json", exclude=set(model.model_computed_fields))


_ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


def garbage_data(model: type[BaseModel]) -> st.SearchStrategy[dict[str, Any]]:
    """Dicts with some of the model's field names (and a stray one) holding any JSON value."""
    names = [spec.name for spec in describe(model)] + ["not_a_field"]
    return st.dictionaries(st.sampled_from(names), _ANY_JSON, max_size=len(names))
