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

The operators' closures are in ``rules.expression_operators``, the run-time pieces they share
(coercion, rule-engine's checks and attribute lookups) in ``rules.expression_values``.

A node kind without a compiler here (bit operations, rule-engine's unbounded nodes, anything a
later rule-engine adds) is evaluated by rule-engine itself inside the compiled tree: the
expression records it in ``fallbacks`` and it is logged once per kind, and
``tests/unit/test_rules_compiled.py`` fails if a shipped rule set needs one.
"""

from __future__ import annotations

import collections
import decimal
import logging
from collections.abc import Callable, Mapping
from typing import Any

from rule_engine import ast, errors
from rule_engine.ast.base import Assignment
from rule_engine.builtins import Builtins, BuiltinValueGenerator
from rule_engine.suggestions import suggest_symbol
from rule_engine.types import DataType, coerce_value, is_integer_number

from forms.expression_engine import (
    BOUNDED_KINDS,
    MAX_SECONDS,
    MAX_STEPS,
    Budget,
    BudgetExceeded,
    budget,
    item_size,
    open_budget,
    seconds_left,
)
from rules import expression_operators as operators
from rules.expression_values import (
    ABSENT,
    PYTHON_TYPES,
    SIZED,
    UNCHANGED,
    Closure,
    Frame,
    Node,
    attribute_of,
    checked_symbol,
    new_value,
    null_attribute,
    text_kind,
)
from rules.form_types import Record, record_attribute

__all__ = ["CompiledExpression", "compile_statement"]

log = logging.getLogger(__name__)
_logged: set[str] = set()
CLOCK_EVERY = 64  # comprehension items between two readings of the budget's clock


class CompiledExpression:
    """An expression's closure tree and what it needs around it (decimal context, budget)."""

    __slots__ = ("closure", "context", "direct", "fallbacks", "resets_context", "uses_decimals")

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
        # nothing to do before calling the closure once a check's scope is open
        self.direct = not resets_context

    def evaluate(self, thing: Any, fields: Mapping[str, Any]) -> Any:
        """The value on ``thing`` (whose coerced ``fields`` are given), as rule-engine's
        ``Rule.evaluate`` of the typed expression would give it."""
        return self.run(Frame(thing, fields))

    def run(self, frame: Frame) -> Any:
        """``evaluate`` in a frame made once per form (no comprehension variable is left
        bound in it between evaluations)."""
        if open_budget() is None:
            with budget():
                return self.run(frame)
        if self.resets_context:
            self.context._tls.reset()
        if self.uses_decimals:
            # rule-engine computes in a copy of the context's decimal context, opened for
            # each evaluation; the context itself (in the thread that made it) or one copy
            # opened for a whole check give the same results (only flags differ)
            current = decimal.getcontext()
            if current is not self.context.decimal_context and current is not frame.decimals:
                with decimal.localcontext(self.context.decimal_context):
                    return self.closure(frame)
        return self.closure(frame)


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
        # id(closure) → (closure, its object's closure, the attribute of a value) for the
        # closures of ``x.length`` where x is no form object
        self.lengths: dict[int, tuple[Closure, Closure, Callable[[Frame, Any], Any]]] = {}
        self.compilers: dict[type[Any], Callable[[Node], Closure]] = {
            ast.Statement: lambda node: self.compile(node.expression),
            ast.SymbolExpression: self.symbol,
            ast.GetAttributeExpression: self.attribute,
            ast.GetItemExpression: self.item,
            ast.GetSliceExpression: self.slice,
            ast.ContainsExpression: self.contains,
            ast.ComprehensionExpression: self.comprehension,
            ast.TernaryExpression: self.ternary,
            ast.CoalesceExpression: self.binary(operators.coalesce),
            ast.UnaryExpression: self.unary,
            ast.LogicExpression: self.binary(operators.logic),
            ast.ArithmeticComparisonExpression: self.comparison(operators.ordered),
            ast.FuzzyComparisonExpression: self.regex,
            ast.ComparisonExpression: self.comparison(operators.equality),
            ast.AddExpression: self.binary(operators.add),
            ast.SubtractExpression: self.binary(operators.subtract),
            ast.ArithmeticExpression: self.binary(operators.arithmetic),
            ast.FunctionCallExpression: self.call,
            ast.ArrayExpression: self.collection,
            ast.SetExpression: self.collection,
            ast.MappingExpression: self.mapping,
            ast.LiteralExpressionBase: self.literal,
        }

    def binary(
        self, make: Callable[[Node, Closure, Closure], Closure]
    ) -> Callable[[Node], Closure]:
        """The compiler of a node with a left and a right operand."""
        return lambda node: make(node, self.compile(node.left), self.compile(node.right))

    def comparison(
        self, make: Callable[[Node, Closure, Closure], Closure]
    ) -> Callable[[Node], Closure]:
        """The compiler of a comparison: ``x.length`` against a constant number is fused
        into one closure (``operators.length_compared``)."""

        def compile_comparison(node: Node) -> Closure:
            left, right = self.compile(node.left), self.compile(node.right)
            length = self.lengths.get(id(left))
            constant = self.constants.get(id(right))
            if length is not None and constant is not None:
                limit = constant[1]
                if type(limit) is decimal.Decimal and limit.is_finite():
                    return operators.length_compared(node, length[1], length[2], limit)
            return make(node, left, right)

        return compile_comparison

    def unary(self, node: Node) -> Closure:
        return operators.unary(node, self.compile(node.right))

    def ternary(self, node: Node) -> Closure:
        when_true, when_false = self.compile(node.case_true), self.compile(node.case_false)
        return operators.ternary(node, self.compile(node.condition), when_true, when_false)

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
            value = frame.fields.get(name, ABSENT)
            if value is ABSENT:
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

            def object_variable(frame: Frame) -> Any:
                value = frame.names[name]
                return value if type(value) in UNCHANGED else new_value(value, timezone)

            return object_variable
        fast = {DataType.STRING: str, DataType.FLOAT: decimal.Decimal, DataType.BOOLEAN: bool}
        fast_type = next((t for d, t in fast.items() if inner == d), None)

        def variable(frame: Frame) -> Any:
            value = frame.names[name]
            if type(value) is fast_type:  # such values are left as they are by coercion
                return value
            return checked_symbol(node, new_value(value, timezone))

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
                    return found if type(found) in UNCHANGED else new_value(found, timezone)
                if value is None and stops_at_null:
                    return null_attribute(safe)
                try:
                    found = accessor(value, name)
                except (AttributeError, KeyError):
                    raise errors.ObjectAttributeError(
                        name,
                        object_type,
                        thing=frame.thing,
                        suggestion=suggest_symbol(name, object_type.attributes.keys()),
                    ) from None
                return found if type(found) in UNCHANGED else new_value(found, timezone)

            return object_attribute

        def attribute_of_value(frame: Frame, value: Any) -> Any:
            if value is None and stops_at_null:
                return null_attribute(safe)
            return attribute_of(node, frame.thing, value, timezone)

        if name == "length":  # the commonest attribute, read without attribute_of's lookups

            def length(frame: Frame) -> Any:
                value = get_object(frame)
                if type(value) in SIZED:
                    return decimal.Decimal(len(value))
                return attribute_of_value(frame, value)

            self.lengths[id(length)] = (length, get_object, attribute_of_value)
            return length
        return lambda frame: attribute_of_value(frame, get_object(frame))

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
                return value if type(value) in UNCHANGED else new_value(value, timezone)
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
            kind = text_kind(container) if type(container) is not tuple else None
            member = get_member(frame)
            if kind is not None and not isinstance(member, kind):
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
            outer = names.get(variable, ABSENT)
            output = []
            # the steps the budget's charge would take, counted here; its clock is read
            # before the loop and every CLOCK_EVERY items (each item's own work is bounded:
            # loops inside charge themselves, regexes run under the time left)
            allowance = open_budget() or Budget()
            allowance.seconds_left()
            ticks = CLOCK_EVERY
            try:
                for value in items:
                    allowance.steps -= 1
                    if allowance.steps < 0:
                        raise BudgetExceeded("steps", steps=MAX_STEPS)
                    ticks -= 1
                    if not ticks:
                        ticks = CLOCK_EVERY
                        allowance.seconds_left()
                    if not shadowed:
                        names[variable] = value
                    result: Any
                    if pushes:
                        with context.assignments(Assignment(variable, value=value)):
                            keep = get_condition is None or get_condition(frame)
                            result = get_result(frame) if keep else ABSENT
                    else:
                        keep = get_condition is None or get_condition(frame)
                        result = get_result(frame) if keep else ABSENT
                    if result is not ABSENT:
                        kind = type(result)
                        allowance.steps -= len(result) if kind in SIZED else item_size(result)
                        if allowance.steps < 0:
                            raise BudgetExceeded("steps", steps=MAX_STEPS)
                        output.append(result)
            finally:
                if not shadowed:
                    if outer is ABSENT:
                        names.pop(variable, None)
                    else:
                        names[variable] = outer
            return tuple(output)

        return comprehension

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
        plain_arguments = tuple(PYTHON_TYPES.get(a.result_type) for a in node.arguments)

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
