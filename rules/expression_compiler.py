"""Rule expressions compiled once into Python closures over rule-engine's typed AST.

rule-engine evaluates a parsed expression by walking its tree on every call: each node
re-derives value types (``DataType.from_value`` walks every element of a list), coerces the
values it reads and goes through the context's resolvers. Here the typed tree of each
expression (the one lint checks, ``rules.ruleset.RuleContext``) is walked **once**, when the
rule set is compiled, into a tree of closures with the same semantics, node by node: the same
values (``Decimal`` numbers, tuples, timezone-aware datetimes), the same null handling and the
same exceptions (class and message), so a rule that cannot be computed gets the very same
"无法计算" result. The budget of ``forms.expression_engine`` is kept: comprehensions charge
the same steps, regexes match with the ``regex`` package under the time left, ``$range`` and
the other builtins are rule-engine's bounded ones.

Compiled closures run only on ``TrustedData`` (``rules.evaluation``): form data whose every
field passed the typed field check once, so the per-use type check rule-engine does when an
expression names a field always passes and is skipped; each field's value is coerced once per
form. Other data runs on rule-engine's own evaluation of the typed tree.

A node kind without a compiler here (bit operations, rule-engine's unbounded nodes, anything a
later rule-engine adds) is evaluated by rule-engine itself inside the compiled tree: the
expression records it in ``fallbacks`` and it is logged once per kind, and
``tests/unit/test_rules_compiled.py`` fails if a shipped rule set needs one.
"""

from __future__ import annotations

import collections
import datetime
import decimal
import logging
import operator
from collections.abc import Callable, Mapping
from typing import Any

from rule_engine import ast, errors
from rule_engine.ast.base import Assignment
from rule_engine.builtins import Builtins, BuiltinValueGenerator
from rule_engine.engine._attribute_resolver import _AttributeResolver
from rule_engine.suggestions import suggest_symbol
from rule_engine.types import DataType, coerce_value, is_integer_number, is_numeric

from forms.expression_engine import (
    BOUNDED_KINDS,
    MAX_SECONDS,
    BudgetExceeded,
    budget,
    item_size,
    open_budget,
    seconds_left,
)
from rules.form_types import Record, record_attribute

__all__ = ["CompiledExpression", "Frame", "coerced_fields", "compile_statement"]

log = logging.getLogger(__name__)
_logged: set[str] = set()

Node = Any  # rule_engine.ast nodes (partly untyped)
Closure = Callable[["Frame"], Any]

_PYTHON_TYPES: dict[Any, type[Any]] = {
    DataType.FLOAT: decimal.Decimal,
    DataType.STRING: str,
    DataType.BOOLEAN: bool,
}
_UNCHANGED = (str, decimal.Decimal, bool, type(None), Record)
_ABSENT = object()
# Values whose ``length``, ``to_set`` and ``is_empty`` rule-engine's attribute resolver gives
# as ``len``, ``set`` and ``len == 0`` (their type is never unmappable, and the result's type
# always matches what the resolver expects).
_SIZED = (str, tuple, set, bytes)
# rule-engine's own attribute functions whose result needs no coercion and always has the type
# the resolver expects (text from text or a number), called without the resolver's lookups
_RESOLVERS = _AttributeResolver.attribute.type_map
_PLAIN_ATTRIBUTES: dict[tuple[type[Any], str], Callable[[Any, Any], Any]] = {
    (decimal.Decimal, "to_str"): _RESOLVERS[DataType.FLOAT]["to_str"].function,
    (str, "to_str"): _RESOLVERS[DataType.STRING]["to_str"].function,
    (str, "as_lower"): _RESOLVERS[DataType.STRING]["as_lower"].function,
    (str, "as_upper"): _RESOLVERS[DataType.STRING]["as_upper"].function,
}


def new_value(value: Any, timezone: datetime.tzinfo) -> Any:
    """rule-engine's ``ExpressionBase._new_value(value, verify_type=False)``, with a fast path
    for the values that coercion leaves as they are."""
    if type(value) in _UNCHANGED:
        return value
    value = coerce_value(value, verify_type=False)
    if isinstance(value, datetime.datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=timezone)
    return value


def coerced_fields(thing: Mapping[str, Any], timezone: datetime.tzinfo) -> dict[str, Any]:
    """Every field's value as a rule-engine symbol gives it (coerced once per form)."""
    return {name: new_value(value, timezone) for name, value in thing.items()}


class Frame:
    """One evaluation: the data, its coerced fields and the comprehension variables bound."""

    __slots__ = ("fields", "names", "thing")

    def __init__(self, thing: Any, fields: Mapping[str, Any]) -> None:
        self.thing = thing
        self.fields = fields
        self.names: dict[str, Any] = {}


class CompiledExpression:
    """An expression's closure tree and what it needs around it (decimal context, budget)."""

    __slots__ = ("closure", "context", "fallbacks", "resets_context", "uses_decimals")

    def __init__(
        self,
        closure: Closure,
        context: Any,
        fallbacks: tuple[str, ...],
        resets_context: bool,
        uses_decimals: bool,
    ) -> None:
        self.closure = closure
        self.context = context
        self.fallbacks = fallbacks
        self.resets_context = resets_context
        self.uses_decimals = uses_decimals

    def evaluate(self, thing: Any, fields: Mapping[str, Any]) -> Any:
        """The value on ``thing`` (whose coerced ``fields`` are given), as rule-engine's
        ``Rule.evaluate`` of the typed expression would give it."""
        if open_budget() is None:
            with budget():
                return self.evaluate(thing, fields)
        if self.resets_context:
            self.context._tls.reset()
        if self.uses_decimals and decimal.getcontext() is not self.context.decimal_context:
            # rule-engine computes in a copy of the context's decimal context; in the thread
            # that made it the context itself gives the same results (only flags differ)
            with decimal.localcontext(self.context.decimal_context):
                return self.closure(Frame(thing, fields))
        return self.closure(Frame(thing, fields))


# Node kinds whose closures do no decimal arithmetic and touch no context state.
_PLAIN = (
    ast.Statement,
    ast.FuzzyComparisonExpression,
    ast.SymbolExpression,
    ast.GetAttributeExpression,
    ast.GetItemExpression,
    ast.LiteralExpressionBase,
    ast.LogicExpression,
    ast.CoalesceExpression,
    ast.TernaryExpression,
    ast.ContainsExpression,
    ast.ComprehensionExpression,
)


class _Compiler:
    def __init__(self, context: Any) -> None:
        self.context = context
        self.timezone = context.default_timezone
        self.fallbacks: list[str] = []
        self.uses_decimals = False
        self.resets_context = False
        # whether anything in the expression reads $re_groups (rule-engine resets them before
        # each evaluation, so a match's groups matter only within the same expression)
        self.groups_read = [False]
        self.bound: list[str] = []  # comprehension variables, outermost first
        # id(closure) → (closure, value) for closures of constants (the closure kept alive so
        # that its id is not reused while compiling)
        self.constants: dict[int, tuple[Closure, Any]] = {}
        self.compilers: dict[type[Any], Callable[[Node], Closure]] = {
            ast.Statement: lambda node: self.compile(node.expression),
            ast.SymbolExpression: self.symbol,
            ast.GetAttributeExpression: self.attribute,
            ast.GetItemExpression: self.item,
            ast.GetSliceExpression: self.slice,
            ast.ContainsExpression: self.contains,
            ast.ComprehensionExpression: self.comprehension,
            ast.TernaryExpression: self.ternary,
            ast.CoalesceExpression: self.coalesce,
            ast.UnaryExpression: self.unary,
            ast.LogicExpression: self.logic,
            ast.ArithmeticComparisonExpression: self.ordered,
            ast.FuzzyComparisonExpression: self.regex,
            ast.ComparisonExpression: self.equality,
            ast.AddExpression: self.add,
            ast.SubtractExpression: self.subtract,
            ast.ArithmeticExpression: self.arithmetic,
            ast.FunctionCallExpression: self.call,
            ast.ArrayExpression: self.collection,
            ast.SetExpression: self.collection,
            ast.MappingExpression: self.mapping,
            ast.LiteralExpressionBase: self.literal,
        }

    def compile(self, node: Node) -> Closure:
        kind = type(node)
        if not isinstance(node, _PLAIN):
            self.uses_decimals = True
        compiler = self._compiler_for(kind)
        if compiler is None:
            return self.fallback(node)
        return compiler(node)

    def _compiler_for(self, kind: type[Any]) -> Callable[[Node], Closure] | None:
        if kind in BOUNDED_KINDS.values():
            return self.compilers.get(kind.__mro__[1])
        if kind in BOUNDED_KINDS:  # rule-engine's unbounded node: never compiled
            return None
        for base in kind.__mro__:
            if base in self.compilers:
                return self.compilers[base]
        return None

    def fallback(self, node: Node) -> Closure:
        """rule-engine evaluates this node itself (its comprehension variables are pushed
        onto the context by the compiled comprehensions around it)."""
        name = type(node).__name__
        self.fallbacks.append(name)
        self.groups_read[0] = True
        self.resets_context = self.uses_decimals = True
        if name not in _logged:
            _logged.add(name)
            log.info("rule expression node %s is not compiled; rule-engine evaluates it", name)
        evaluate = node.evaluate
        return lambda frame: evaluate(frame.thing)

    # ----- names -------------------------------------------------------------------------
    def symbol(self, node: Node) -> Closure:
        name, evaluate = node.name, node.evaluate
        if node.scope == Builtins.scope_name:
            return self.builtin(node)
        if node.scope is not None:
            return lambda frame: evaluate(frame.thing)  # raises rule-engine's own error
        if name in self.bound:
            return self.variable(node)

        def field(frame: Frame) -> Any:
            value = frame.fields.get(name, _ABSENT)
            if value is _ABSENT:
                return evaluate(frame.thing)  # the missing field's own error
            return value

        return field

    def builtin(self, node: Node) -> Closure:
        evaluate = node.evaluate
        builtins = self.context.builtins
        raw = builtins._Builtins__values.get(node.name) if node.name in builtins else None
        if raw is not None and not isinstance(raw, BuiltinValueGenerator | Mapping):
            try:
                value = evaluate(None)
            except Exception:  # leave the error to evaluation time
                return lambda frame: evaluate(frame.thing)
            return self.constant_closure(value)
        self.resets_context = True  # $re_groups, $today … read the context
        self.groups_read[0] = True
        return lambda frame: evaluate(frame.thing)

    def variable(self, node: Node) -> Closure:
        name, timezone = node.name, self.timezone
        expected = node.result_type
        if expected == DataType.UNDEFINED:
            return lambda frame: new_value(frame.names[name], timezone)
        inner = expected.inner_type if DataType.is_type(expected, DataType.NULLABLE) else expected
        if DataType.is_type(inner, DataType.OBJECT):
            return lambda frame: new_value(frame.names[name], timezone)
        fast = {DataType.STRING: str, DataType.FLOAT: decimal.Decimal, DataType.BOOLEAN: bool}
        fast_type = next((t for d, t in fast.items() if inner == d), None)

        def variable(frame: Frame) -> Any:
            value = new_value(frame.names[name], timezone)
            if type(value) is fast_type:
                return value
            return _checked_symbol(node, value)

        return variable

    # ----- access ------------------------------------------------------------------------
    def attribute(self, node: Node) -> Closure:
        get_object, name, safe = self.compile(node.object), node.name, node.safe
        stops_at_null = safe or DataType.is_type(node.object.result_type, DataType.NULLABLE)
        timezone = self.timezone
        object_type = node._object_type
        if object_type is not None:
            accessor = object_type.accessor
            if id(get_object) in self.constants and accessor is record_attribute:
                return self.constant_attribute(get_object, name)  # $settings.NAME

            def object_attribute(frame: Frame) -> Any:
                value = get_object(frame)
                if type(value) is Record and accessor is record_attribute:
                    found = value.data.get(name)
                    return found if type(found) in _UNCHANGED else new_value(found, timezone)
                if value is None and stops_at_null:
                    return _null_attribute(safe)
                try:
                    found = accessor(value, name)
                except (AttributeError, KeyError):
                    raise errors.ObjectAttributeError(
                        name,
                        object_type,
                        thing=frame.thing,
                        suggestion=suggest_symbol(name, object_type.attributes.keys()),
                    ) from None
                return found if type(found) in _UNCHANGED else new_value(found, timezone)

            return object_attribute

        def attribute(frame: Frame) -> Any:
            value = get_object(frame)
            if value is None and stops_at_null:
                return _null_attribute(safe)
            return _attribute_of(node, frame.thing, value, timezone)

        return attribute

    def constant_attribute(self, get_object: Closure, name: str) -> Closure:
        """An attribute of a constant Record (``$settings.NAME``), read once."""
        _, record = self.constants[id(get_object)]
        return self.constant_closure(new_value(record_attribute(record, name), self.timezone))

    def item(self, node: Node) -> Closure:
        get_container, get_item = self.compile(node.container), self.compile(node.item)
        safe, timezone = node.safe, self.timezone

        def item(frame: Frame) -> Any:
            container = get_container(frame)
            if container is None:
                if safe:
                    return None
                raise errors.EvaluationError("data type mismatch (container is null)")
            key = get_item(frame)
            if (
                type(container) is tuple
                and type(key) is decimal.Decimal
                and key.is_finite()
                and key == key.to_integral_value()
            ):
                index = int(key)
                try:
                    value = container[index]
                except IndexError:
                    if safe:
                        return None
                    raise errors.LookupError(container, index) from None
                return value if type(value) in _UNCHANGED else new_value(value, timezone)
            if isinstance(container, bytes | str | tuple):
                if not is_integer_number(key):
                    raise errors.EvaluationError("data type mismatch (not an integer number)")
                key = int(key)
            try:
                value = container[key]
            except (IndexError, KeyError):
                if safe:
                    return None
                raise errors.LookupError(container, key) from None
            return new_value(value, timezone)

        return item

    def slice(self, node: Node) -> Closure:
        get_container, get_start = self.compile(node.container), self.compile(node.start)
        get_stop, safe = self.compile(node.stop), node.safe

        def bound(value: Any) -> Any:
            if value is None:
                return None
            if not is_integer_number(value):
                raise errors.EvaluationError("data type mismatch (not an integer number)")
            return int(value)

        def slice_(frame: Frame) -> Any:
            container = get_container(frame)
            if container is None:
                if safe:
                    return None
                raise errors.EvaluationError("data type mismatch")
            start = bound(get_start(frame))
            stop = bound(get_stop(frame))
            return coerce_value(container[start:stop], verify_type=False)

        return slice_

    def contains(self, node: Node) -> Closure:
        get_container, get_member = self.compile(node.container), self.compile(node.member)

        def contains(frame: Frame) -> bool:
            container = get_container(frame)
            text_kind = _text_kind(container) if type(container) is not tuple else None
            member = get_member(frame)
            if text_kind is not None and not isinstance(member, text_kind):
                DataType.from_value(member)  # rule-engine's TypeError for an unmappable value
                raise errors.EvaluationError("data type mismatch")
            return bool(member in container)

        return contains

    # ----- control -----------------------------------------------------------------------
    def comprehension(self, node: Node) -> Closure:
        get_items = self.compile(node.iterable)
        variable = node.variable
        shadowed = variable in self.bound  # rule-engine resolves the outermost binding
        self.bound.append(variable)
        before = len(self.fallbacks)
        get_condition = self.compile(node.condition) if node.condition is not None else None
        get_result = self.compile(node.result)
        self.bound.pop()
        pushes = len(self.fallbacks) > before  # rule-engine nodes inside read the context
        context = self.context

        def comprehension(frame: Frame) -> tuple[Any, ...]:
            items = get_items(frame)
            if type(items) is not tuple and not DataType.from_value(items).is_iterable:
                raise errors.EvaluationError(
                    "data type mismatch (comprehension requires an iterable)"
                )
            names = frame.names
            outer = names.get(variable, _ABSENT)
            output = []
            charged = open_budget()
            charge = _free if charged is None else charged.charge
            try:
                for value in items:
                    charge(1)
                    if not shadowed:
                        names[variable] = value
                    if pushes:
                        with context.assignments(Assignment(variable, value=value)):
                            keep = get_condition is None or get_condition(frame)
                            result = get_result(frame) if keep else _ABSENT
                    else:
                        keep = get_condition is None or get_condition(frame)
                        result = get_result(frame) if keep else _ABSENT
                    if result is not _ABSENT:
                        charge(item_size(result))
                        output.append(result)
            finally:
                if not shadowed:
                    if outer is _ABSENT:
                        names.pop(variable, None)
                    else:
                        names[variable] = outer
            return tuple(output)

        return comprehension

    def ternary(self, node: Node) -> Closure:
        condition = self.compile(node.condition)
        when_true, when_false = self.compile(node.case_true), self.compile(node.case_false)
        return lambda frame: when_true(frame) if condition(frame) else when_false(frame)

    def coalesce(self, node: Node) -> Closure:
        left, right = self.compile(node.left), self.compile(node.right)

        def coalesce(frame: Frame) -> Any:
            value = left(frame)
            return right(frame) if value is None else value

        return coalesce

    def unary(self, node: Node) -> Closure:
        right = self.compile(node.right)
        if node.type == "not":
            return lambda frame: not right(frame)

        def minus(frame: Frame) -> Any:
            value = right(frame)
            if not is_numeric(value) and not isinstance(value, datetime.timedelta):
                raise errors.EvaluationError(
                    "data type mismatch (not a numeric or timedelta value)"
                )
            return -value

        return minus

    def logic(self, node: Node) -> Closure:
        left, right = self.compile(node.left), self.compile(node.right)
        if node.type == "and":
            return lambda frame: bool(left(frame) and right(frame))
        return lambda frame: bool(left(frame) or right(frame))

    # ----- comparisons -------------------------------------------------------------------
    def equality(self, node: Node) -> Closure:
        left, right = self.compile(node.left), self.compile(node.right)
        if node.type == "eq":

            def equal(frame: Frame) -> bool:
                a, b = left(frame), right(frame)
                return type(a) is type(b) and a == b

            return equal

        def unequal(frame: Frame) -> bool:
            a, b = left(frame), right(frame)
            return type(a) is not type(b) or a != b

        return unequal

    def ordered(self, node: Node) -> Closure:
        left, right = self.compile(node.left), self.compile(node.right)
        op = {"ge": operator.ge, "gt": operator.gt, "le": operator.le, "lt": operator.lt}[node.type]

        def ordered(frame: Frame) -> Any:
            a, b = left(frame), right(frame)
            if type(a) is decimal.Decimal and type(b) is decimal.Decimal:
                return op(a, b)
            return _ordered_values(op, a, b)

        return ordered

    def regex(self, node: Node) -> Closure:
        left, context = self.compile(node.left), self.context
        method = "match" if node.type.endswith("fzm") else "search"
        wants_match = node.type.startswith("eq")
        constant = isinstance(node.right, ast.StringExpression)
        right = None if constant else self.compile(node.right)
        compiled = node._right if constant else None
        compile_regex = node._compile_regex
        groups_read = self.groups_read

        def regex(frame: Frame) -> Any:
            text = left(frame)
            if not isinstance(text, str) and text is not None:
                raise errors.EvaluationError("data type mismatch")
            if right is None:
                pattern = compiled
            else:
                pattern = right(frame)
                if isinstance(pattern, str):
                    pattern = compile_regex(pattern)
                elif pattern is not None:
                    raise errors.EvaluationError("data type mismatch")
            if text is None or pattern is None:
                # rule-engine: not modifier(left, pattern), modifier is `is not` / `is`
                return (text is pattern) if wants_match else (text is not pattern)
            try:
                match = getattr(pattern, method)(text, timeout=seconds_left())
            except TimeoutError:
                raise BudgetExceeded("regex", seconds=MAX_SECONDS) from None
            if match is not None and groups_read[0]:  # only $re_groups reads them
                context._tls.regex_groups = coerce_value(match.groups())
            return (match is not None) if wants_match else (match is None)

        return regex

    # ----- arithmetic --------------------------------------------------------------------
    def add(self, node: Node) -> Closure:
        left, right = self.compile(node.left), self.compile(node.right)

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
                _all_are(bytes, "data type mismatch (not a bytes value)", a, b)
            elif isinstance(a, str) or isinstance(b, str):
                _all_are(str, "data type mismatch (not a string value)", a, b)
            elif not (is_numeric(a) and is_numeric(b)):
                raise errors.EvaluationError("data type mismatch (not a numeric value)")
            return a + b

        return add

    def subtract(self, node: Node) -> Closure:
        left, right = self.compile(node.left), self.compile(node.right)

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

    def arithmetic(self, node: Node) -> Closure:
        left, right = self.compile(node.left), self.compile(node.right)
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

    def call(self, node: Node) -> Closure:
        get_function = self.compile(node.function)
        arguments = [self.compile(argument) for argument in node.arguments]
        function_type = node.function.result_type
        typed = function_type != DataType.UNDEFINED
        name = function_type.value_name if typed else None
        result_type = node.result_type
        # a list of whole numbers (``$range``) is an ARRAY of FLOATs: does it fit the result?
        numbers_fit = DataType.is_compatible(DataType.ARRAY(DataType.FLOAT), result_type)
        # rule-engine validated the call with the arguments' static types at parse; values of
        # exactly those scalar types pass the same validation at run time
        plain_arguments = tuple(_PYTHON_TYPES.get(a.result_type) for a in node.arguments)

        def call(frame: Frame) -> Any:
            function = get_function(frame)
            if not callable(function):
                raise errors.EvaluationError("data type mismatch (not a callable value)")
            values = tuple(argument(frame) for argument in arguments)
            function_name = name
            if typed and not (
                len(values) == len(plain_arguments)
                and all(type(v) is t for v, t in zip(values, plain_arguments, strict=True))
            ):
                node._validate_function(function_type, values)
            else:
                function_name = (
                    function.__name__ + "?" if hasattr(function, "__name__") else "<unknown>"
                )
            try:
                result = function(*values)
            except errors.FunctionCallError as error:
                error.function_name = function_name
                raise
            except Exception as error:
                raise errors.FunctionCallError(
                    "function call failed", error=error, function_name=function_name
                ) from None
            if numbers_fit and type(result) in (list, tuple, range):
                numbers = tuple(decimal.Decimal(v) for v in result if type(v) is int)
                if len(numbers) == len(result):  # coerced and typed as rule-engine does
                    return numbers
            result = node._new_value(result)
            if not DataType.is_compatible(DataType.from_value(result), result_type):
                raise errors.FunctionCallError(
                    "function call failed (data type mismatch on returned value)",
                    function_name=function_name,
                )
            return result

        return call

    # ----- literals ----------------------------------------------------------------------
    def literal(self, node: Node) -> Closure:
        return self.constant_closure(node.value)

    def constant_closure(self, value: Any) -> Closure:
        """A closure giving ``value``, remembered as a constant."""

        def constant(frame: Frame) -> Any:
            return value

        self.constants[id(constant)] = (constant, value)
        return constant

    def collection(self, node: Node) -> Closure:
        members = [self.compile(member) for member in node.value]
        make = node.result_type.python_type
        if node.is_reduced:
            return self.constant(lambda frame: make(member(frame) for member in members))
        return lambda frame: make(member(frame) for member in members)

    def constant(self, closure: Closure) -> Closure:
        """A literal collection is built once (nothing in an expression modifies a value);
        one that cannot be built raises its error at each evaluation, as in rule-engine."""
        try:
            value = closure(Frame(None, {}))
        except Exception:
            return closure
        return self.constant_closure(value)

    def mapping(self, node: Node) -> Closure:
        pairs = [(self.compile(k), self.compile(v)) for k, v in node.value]
        if node.is_reduced:
            return self.constant(self._mapping(pairs))
        return self._mapping(pairs)

    def _mapping(self, pairs: list[tuple[Closure, Closure]]) -> Closure:

        def mapping(frame: Frame) -> Any:
            result: collections.OrderedDict[Any, Any] = collections.OrderedDict()
            for get_key, get_value in pairs:
                key = get_key(frame)
                key_type = DataType.from_value(key)
                if key_type.is_compound and not DataType.is_type(key_type, DataType.ARRAY):
                    raise errors.EngineError(
                        f"the {key_type.name} data type may not be used for mapping keys"
                    )
                result[key] = get_value
            for key, get_value in result.items():  # values of repeated keys are not evaluated
                result[key] = get_value(frame)
            return result

        return mapping


def _free(_steps: int) -> None:
    """Charging when no budget is open."""


def _null_attribute(safe: bool) -> None:
    """An attribute of null: null with ``?.``, else rule-engine's error for a NULLABLE."""
    if safe:
        return None
    raise errors.EvaluationError(
        "attribute access on a null value (use ?. to safely navigate a NULLABLE expression)"
    )


def _text_kind(container: Any) -> type[Any] | None:
    """``str``/``bytes`` when rule-engine types the container as STRING/BYTES, else None
    (``DataType.from_value`` raising its TypeError for an unmappable value, as rule-engine)."""
    if isinstance(container, str):
        return str
    if isinstance(container, bytes):
        return bytes
    DataType.from_value(container)
    return None


def _all_are(kind: type[Any], message: str, *values: Any) -> None:
    if not all(isinstance(v, kind) for v in values):
        raise errors.EvaluationError(message)


def _ordered_values(op: Callable[[Any, Any], Any], a: Any, b: Any) -> Any:
    """rule-engine's ordered comparison of two values (arrays element by element)."""
    if a is None and b is None:
        return op in (operator.ge, operator.le)
    if isinstance(a, tuple) and isinstance(b, tuple):
        for x, y in zip(a, b, strict=False):
            if _ordered_values(operator.ne, x, y):
                return _ordered_values(op, x, y)
        if len(a) != len(b):
            return _ordered_values(op, len(a), len(b))
        return op in (operator.ge, operator.le)
    if type(a) is not type(b):
        raise errors.EvaluationError("data type mismatch")
    return op(a, b)


def _attribute_of(node: Node, thing: Any, value: Any, timezone: datetime.tzinfo) -> Any:
    """An attribute of a value that is not an OBJECT of the form: the common ones directly,
    the others through rule-engine's resolver."""
    name = node.name
    if type(value) in _SIZED:
        if name == "length":
            return decimal.Decimal(len(value))
        if name == "to_set":
            return set(value)
        if name == "is_empty":
            return len(value) == 0
    plain = _PLAIN_ATTRIBUTES.get((type(value), name))
    if plain is not None:
        return plain(None, value)
    return new_value(_resolve_attribute(node, thing, value), timezone)


def _resolve_attribute(node: Node, thing: Any, value: Any) -> Any:
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


def _checked_symbol(node: Node, value: Any) -> Any:
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


def compile_statement(statement: Node) -> CompiledExpression:
    """The closure tree of a parsed (typed) rule-engine statement."""
    compiler = _Compiler(statement.context)
    closure = compiler.compile(statement)
    return CompiledExpression(
        closure,
        statement.context,
        tuple(compiler.fallbacks),
        compiler.resets_context,
        compiler.uses_decimals,
    )
