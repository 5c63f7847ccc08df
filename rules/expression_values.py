"""Values as rule-engine's typed expressions see them, and the run-time pieces the compiled
closures of ``rules.expression_compiler`` share: coercion, the frame of one evaluation, and
rule-engine's checks and attribute lookups, each giving what rule-engine 5.1 gives."""

from __future__ import annotations

import datetime
import decimal
import operator
from collections.abc import Callable, Mapping
from typing import Any

from rule_engine import errors
from rule_engine.builtins import Builtins
from rule_engine.engine._attribute_resolver import _AttributeResolver
from rule_engine.suggestions import suggest_symbol
from rule_engine.types import DataType, coerce_value

from rules.form_types import Record

Node = Any  # rule_engine.ast nodes (partly untyped)
Closure = Callable[["Frame"], Any]

PYTHON_TYPES: dict[Any, type[Any]] = {
    DataType.FLOAT: decimal.Decimal,
    DataType.STRING: str,
    DataType.BOOLEAN: bool,
}
UNCHANGED = (str, decimal.Decimal, bool, type(None), Record)
ABSENT = object()
# Values whose ``length``, ``to_set`` and ``is_empty`` rule-engine's attribute resolver gives
# as ``len``, ``set`` and ``len == 0`` (their type is never unmappable, and the result's type
# always matches what the resolver expects).
SIZED = (str, tuple, set, bytes)
# rule-engine's own attribute functions whose result needs no coercion and always has the type
# the resolver expects (text from text or a number), called without the resolver's lookups
RESOLVERS = _AttributeResolver.attribute.type_map
PLAIN_ATTRIBUTES: dict[tuple[type[Any], str], Callable[[Any, Any], Any]] = {
    (decimal.Decimal, "to_str"): RESOLVERS[DataType.FLOAT]["to_str"].function,
    (str, "to_str"): RESOLVERS[DataType.STRING]["to_str"].function,
    (str, "as_lower"): RESOLVERS[DataType.STRING]["as_lower"].function,
    (str, "as_upper"): RESOLVERS[DataType.STRING]["as_upper"].function,
}


def new_value(value: Any, timezone: datetime.tzinfo) -> Any:
    """rule-engine's ``ExpressionBase._new_value(value, verify_type=False)``, with a fast path
    for the values that coercion leaves as they are."""
    kind = type(value)
    if kind in UNCHANGED:
        return value
    if kind is tuple and all(type(v) in UNCHANGED for v in value):
        return value  # coercion would build an equal tuple of the same values
    value = coerce_value(value, verify_type=False)
    if isinstance(value, datetime.datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=timezone)
    return value


def coerced_fields(thing: Mapping[str, Any], timezone: datetime.tzinfo) -> dict[str, Any]:
    """Every field's value as a rule-engine symbol gives it (coerced once per form)."""
    return {name: new_value(value, timezone) for name, value in thing.items()}


class Frame:
    """One evaluation: the data, its coerced fields and the comprehension variables bound,
    and ``decimals``: the decimal context a rule set's check opened for all its expressions
    (None: each evaluation opens its own when it needs one)."""

    __slots__ = ("decimals", "fields", "names", "thing")

    def __init__(self, thing: Any, fields: Mapping[str, Any]) -> None:
        self.thing = thing
        self.fields = fields
        self.names: dict[str, Any] = {}
        self.decimals: decimal.Context | None = None


def null_attribute(safe: bool) -> None:
    """An attribute of null: null with ``?.``, else rule-engine's error for a NULLABLE."""
    if safe:
        return None
    raise errors.EvaluationError(
        "attribute access on a null value (use ?. to safely navigate a NULLABLE expression)"
    )


def text_kind(container: Any) -> type[Any] | None:
    """``str``/``bytes`` when rule-engine types the container as STRING/BYTES, else None
    (``DataType.from_value`` raising its TypeError for an unmappable value, as rule-engine)."""
    if isinstance(container, str):
        return str
    if isinstance(container, bytes):
        return bytes
    DataType.from_value(container)
    return None


def all_are(kind: type[Any], message: str, *values: Any) -> None:
    """rule-engine's ``_assert_is_*``: ``message`` unless every value is a ``kind``."""
    if not all(isinstance(v, kind) for v in values):
        raise errors.EvaluationError(message)


def ordered_values(op: Callable[[Any, Any], Any], a: Any, b: Any) -> Any:
    """rule-engine's ordered comparison of two values (arrays element by element)."""
    if a is None and b is None:
        return op in (operator.ge, operator.le)
    if isinstance(a, tuple) and isinstance(b, tuple):
        for x, y in zip(a, b, strict=False):
            if ordered_values(operator.ne, x, y):
                return ordered_values(op, x, y)
        if len(a) != len(b):
            return ordered_values(op, len(a), len(b))
        return op in (operator.ge, operator.le)
    if type(a) is not type(b):
        raise errors.EvaluationError("data type mismatch")
    return op(a, b)


def attribute_of(node: Node, thing: Any, value: Any, timezone: datetime.tzinfo) -> Any:
    """An attribute of a value that is not an OBJECT of the form: the common ones directly,
    the others through rule-engine's resolver."""
    name = node.name
    if type(value) in SIZED:
        if name == "length":
            return decimal.Decimal(len(value))
        if name == "to_set":
            return set(value)
        if name == "is_empty":
            return len(value) == 0
    plain = PLAIN_ATTRIBUTES.get((type(value), name))
    if plain is not None:
        return plain(None, value)
    return new_value(resolve_attribute(node, thing, value), timezone)


def resolve_attribute(node: Node, thing: Any, value: Any) -> Any:
    """rule-engine's ``GetAttributeExpression.evaluate`` after the object is known (not an
    OBJECT schema): the context's attribute resolver, then the mapping fallback."""
    context, name = node.context, node.name
    try:
        return context.resolve_attribute(thing, value, name)
    except errors.AttributeResolutionError as error:
        attribute_error = error
    if isinstance(value, Mapping) and not isinstance(value, Builtins):
        if not context.mapping_attribute_lookup:
            raise attribute_error
        context._warn_mapping_fallback(name)
    try:
        return context.resolve(value, name)
    except errors.SymbolResolutionError as symbol_error:
        suggestion = attribute_error.suggestion or symbol_error.suggestion
        if attribute_error.suggestion and symbol_error.suggestion:
            suggestion = suggest_symbol(name, (attribute_error.suggestion, symbol_error.suggestion))
        attribute_error.suggestion = suggestion
        raise attribute_error from None


def checked_symbol(node: Node, value: Any) -> Any:
    """rule-engine's type check of a typed symbol's value (``SymbolExpression.evaluate``)."""
    expected = node.result_type
    if DataType.is_type(expected, DataType.NULLABLE):
        if value is None:
            return value
        expected = expected.inner_type
    value_type = DataType.from_value(value)
    if DataType.is_compatible(value_type, expected):
        if expected.is_scalar:
            return value
        if expected.value_type == DataType.UNDEFINED or value_type.value_type == DataType.UNDEFINED:
            return value
        if (
            expected.value_type != DataType.NULL
            and not expected.value_type_nullable
            and any(v is None for v in value)
        ):
            raise errors.SymbolTypeError(
                node.name, is_value=value, is_type=value_type, expected_type=node.result_type
            )
        if DataType.is_compatible(expected.value_type, value_type.value_type):
            return value
    if value_type == DataType.NULL:
        return value
    raise errors.SymbolTypeError(
        node.name, is_value=value, is_type=value_type, expected_type=node.result_type
    )
