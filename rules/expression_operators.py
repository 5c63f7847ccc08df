"""Closures of rule-engine's operators (``rules.expression_compiler`` compiles their operands):
each gives what the operator's ``evaluate`` in rule-engine 5.1 gives, or raises the same error."""

from __future__ import annotations

import datetime
import decimal
import operator
from collections.abc import Callable
from typing import Any

from rule_engine import errors
from rule_engine.types import is_numeric

from rules.expression_values import SIZED, Closure, Frame, Node, all_are, ordered_values


def coalesce(node: Node, left: Closure, right: Closure) -> Closure:
    """``left ?? right``: ``right`` only when ``left`` is null."""

    def coalesce(frame: Frame) -> Any:
        value = left(frame)
        return right(frame) if value is None else value

    return coalesce


def logic(node: Node, left: Closure, right: Closure) -> Closure:
    """``and`` / ``or``, short-circuiting, giving a bool."""
    if node.type == "and":
        return lambda frame: bool(left(frame) and right(frame))
    return lambda frame: bool(left(frame) or right(frame))


ORDER = {"ge": operator.ge, "gt": operator.gt, "le": operator.le, "lt": operator.lt}
# two values of one of these types are compared as Python compares them (``ordered_values``
# comes to the same after its checks)
PLAINLY_ORDERED = (decimal.Decimal, str, datetime.datetime)


def _equal(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _unequal(a: Any, b: Any) -> bool:
    return type(a) is not type(b) or a != b


def compared(node: Node) -> Callable[[Any, Any], Any]:
    """The comparison of two values a ``==``, ``!=``, ``<``, ``<=``, ``>`` or ``>=`` node
    makes (what its closure below computes once both sides are known)."""
    if node.type in ORDER:
        op = ORDER[node.type]

        def ordered_pair(a: Any, b: Any) -> Any:
            kind = type(a)
            if kind is type(b) and kind in PLAINLY_ORDERED:
                return op(a, b)
            return ordered_values(op, a, b)

        return ordered_pair
    return _equal if node.type == "eq" else _unequal


def length_compared(
    node: Node,
    get_object: Closure,
    length_of: Callable[[Frame, Any], Any],
    limit: decimal.Decimal,
) -> Closure:
    """``x.length OP n`` for a constant number ``n``: the length of a text or list compared
    as the int it is — the same truth as comparing the two Decimals, without making one —
    anything else (null, a mapping…) as the comparison node itself compares it."""
    pair = compared(node)
    bound = int(limit) if limit == limit.to_integral_value() else limit
    op = ORDER.get(node.type) or (operator.eq if node.type == "eq" else operator.ne)

    def length_compared(frame: Frame) -> Any:
        value = get_object(frame)
        if type(value) in SIZED:
            return op(len(value), bound)
        return pair(length_of(frame, value), limit)

    return length_compared


def equality(node: Node, left: Closure, right: Closure) -> Closure:
    """``==`` / ``!=``: values of different Python types are never equal."""
    if node.type == "eq":

        def equal(frame: Frame) -> bool:
            a, b = left(frame), right(frame)
            return type(a) is type(b) and a == b

        return equal

    def unequal(frame: Frame) -> bool:
        a, b = left(frame), right(frame)
        return type(a) is not type(b) or a != b

    return unequal


def ordered(node: Node, left: Closure, right: Closure) -> Closure:
    """``<`` ``<=`` ``>`` ``>=``: same-type values, arrays element by element, two nulls."""
    op = ORDER[node.type]

    def ordered(frame: Frame) -> Any:
        a, b = left(frame), right(frame)
        kind = type(a)
        if kind is type(b) and kind in PLAINLY_ORDERED:
            return op(a, b)
        return ordered_values(op, a, b)

    return ordered


def add(node: Node, left: Closure, right: Closure) -> Closure:
    """``+`` of numbers, texts, bytes, or a datetime and a timedelta."""

    def add(frame: Frame) -> Any:
        a, b = left(frame), right(frame)
        if type(a) is type(b) and type(a) in (decimal.Decimal, str):
            return a + b
        if isinstance(a, datetime.datetime):
            if not isinstance(b, datetime.timedelta):
                raise errors.EvaluationError("data type mismatch (not a timedelta value)")
        elif isinstance(a, datetime.timedelta):
            if not isinstance(b, datetime.timedelta | datetime.datetime):
                raise errors.EvaluationError(
                    "data type mismatch (not a datetime or timedelta value)"
                )
        elif isinstance(a, bytes) or isinstance(b, bytes):
            all_are(bytes, "data type mismatch (not a bytes value)", a, b)
        elif isinstance(a, str) or isinstance(b, str):
            all_are(str, "data type mismatch (not a string value)", a, b)
        elif not (is_numeric(a) and is_numeric(b)):
            raise errors.EvaluationError("data type mismatch (not a numeric value)")
        return a + b

    return add


def subtract(node: Node, left: Closure, right: Closure) -> Closure:
    """``-`` of numbers, datetimes and timedeltas."""

    def subtract(frame: Frame) -> Any:
        a, b = left(frame), right(frame)
        if isinstance(a, datetime.datetime):
            if not isinstance(b, datetime.datetime | datetime.timedelta):
                raise errors.EvaluationError(
                    "data type mismatch (not a datetime or timedelta value)"
                )
        elif isinstance(a, datetime.timedelta):
            if not isinstance(b, datetime.timedelta):
                raise errors.EvaluationError("data type mismatch (not a timedelta value)")
        elif not (is_numeric(a) and is_numeric(b)):
            raise errors.EvaluationError("data type mismatch (not a numeric value)")
        return a - b

    return subtract


def arithmetic(node: Node, left: Closure, right: Closure) -> Closure:
    """``*`` ``/`` ``//`` ``%`` ``**`` of numbers; division by zero is rule-engine's error."""
    op = {
        "fdiv": operator.floordiv,
        "tdiv": operator.truediv,
        "mod": operator.mod,
        "mul": operator.mul,
        "pow": operator.pow,
    }[node.type]

    def arithmetic(frame: Frame) -> Any:
        a = left(frame)
        if not is_numeric(a):
            raise errors.EvaluationError("data type mismatch (not a numeric value)")
        b = right(frame)
        if not is_numeric(b):
            raise errors.EvaluationError("data type mismatch (not a numeric value)")
        try:
            return op(a, b)
        except ZeroDivisionError:
            raise errors.ArithmeticError("arithmetic error: division by zero") from None
        except ArithmeticError:
            raise errors.ArithmeticError("arithmetic error") from None

    return arithmetic


def unary(node: Node, right: Closure) -> Closure:
    """``not x`` and ``-x`` (a number or a timedelta)."""
    if node.type == "not":
        return lambda frame: not right(frame)

    def minus(frame: Frame) -> Any:
        value = right(frame)
        if not is_numeric(value) and not isinstance(value, datetime.timedelta):
            raise errors.EvaluationError("data type mismatch (not a numeric or timedelta value)")
        return -value

    return minus


def ternary(node: Node, condition: Closure, when_true: Closure, when_false: Closure) -> Closure:
    """``condition ? when_true : when_false``."""
    return lambda frame: when_true(frame) if condition(frame) else when_false(frame)
