"""``relevant`` and ``calculate`` expressions, evaluated with the rule-engine library (never eval)
under the time and size budget of ``forms.expression_engine``.

An expression sees the current values of its scope: the form's top-level values and, inside a
repeat-group row or section, that row's values on top. Missing values are ``null``. Each
expression is compiled once and reused (rule-engine is ~100x slower than Python per call).
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
from collections.abc import Iterable, Mapping
from typing import Any

import rule_engine

from forms.errors import FormError
from forms.expression_engine import BoundedContext, Rule
from forms.specs import FieldSpec

_CONTEXT = BoundedContext(default_value=None)


class ExpressionError(FormError, ValueError):
    """An expression that does not compile; the message says why."""


@functools.cache
def compiled(expression: str) -> rule_engine.Rule:
    """The compiled rule of ``expression``; raises ``ExpressionError``."""
    try:
        return Rule(expression, context=_CONTEXT)
    except rule_engine.errors.EngineError as error:
        raise ExpressionError(getattr(error, "message", str(error))) from error


def check(expression: str, names: Iterable[str]) -> str | None:
    """Why ``expression`` is not valid over the symbols ``names``, or None when it is."""
    resolver = rule_engine.type_resolver_from_dict(
        {name: rule_engine.DataType.UNDEFINED for name in names}
    )
    try:
        Rule(expression, context=BoundedContext(type_resolver=resolver))
    except rule_engine.errors.SymbolResolutionError as error:
        return f"未知的字段 {error.symbol_name!r}"
    except rule_engine.errors.EngineError as error:
        return str(getattr(error, "message", error))
    return None


def is_relevant(spec: FieldSpec, scope: Mapping[str, Any]) -> bool:
    """Whether the field shows (and is validated and stored) given the values of its scope.

    An expression that cannot be evaluated (e.g. comparing a missing number) keeps the field
    shown: hiding an input because of a half-filled form would drop what the user typed.
    """
    if not spec.relevant:
        return True
    try:
        return bool(compiled(spec.relevant).evaluate(dict(scope)))
    except (rule_engine.errors.EngineError, ExpressionError, TypeError, ArithmeticError):
        return True


def calculate(spec: FieldSpec, scope: Mapping[str, Any]) -> Any:
    """The value of a calculated field, converted to the field's type; None when incomputable."""
    if not spec.calculate:
        return None
    try:
        value = compiled(spec.calculate).evaluate(dict(scope))
    except (rule_engine.errors.EngineError, ExpressionError, TypeError, ArithmeticError):
        return None
    return _to_json(value, str(spec.extra.get("value_kind", spec.kind)))


def _to_json(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if isinstance(value, decimal.Decimal):
        if kind == "int":
            return int(value)
        if kind == "decimal":
            return str(value)
        if kind in ("text", "textarea"):
            return str(value.normalize())
        number = float(value)
        return round(number, 10)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_to_json(item, "text") for item in value]
    return value
