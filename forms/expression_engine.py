"""rule-engine as Vanguard runs every expression: with a time and size budget.

Rule files (``rules/``) and form definitions (``relevant``/``calculate``) hold expressions an
admin types in the browser and that run on text a branch types. rule-engine itself bounds
nothing: its ``=~`` is Python ``re`` (``goals =~ '(a+)+$'`` backtracks for minutes on 31
characters), ``$range(30000000)`` builds a list of 30 million numbers and a comprehension
loops as long as it is told. So every expression is parsed by ``BoundedParser``, which builds
the same tree with three node types replaced:

- a regex comparison matches with the ``regex`` package under a timeout (the time left in the
  budget), same syntax as ``re``;
- a comprehension charges one step per item it reads and the size of each item it keeps;
- a bit shift may not build a number wider than ``MAX_SHIFT_BITS``;

and its contexts (``BoundedContext``) give ``$range``, ``$split``, ``$map`` and ``$filter``
that charge for what they build before building it. A ``Budget`` (``MAX_SECONDS`` of wall
time, ``MAX_STEPS`` steps) is open while a ``Rule`` parses (constant parts are computed then)
and evaluates; ``rules.ruleset`` gives each rule one, which its ``when``, expression and
message share (a check opens one scope and restarts its budget before each rule). Going over
raises ``BudgetExceeded``, an ``EvaluationError``: the rule gets an error result naming it,
and nothing stalls.
"""

from __future__ import annotations

import collections
import contextvars
import operator
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import regex
import rule_engine
from rule_engine import ast, errors
from rule_engine.ast.base import Assignment
from rule_engine.builtins import Builtins, BuiltinValueGenerator
from rule_engine.parser import Parser
from rule_engine.types import DataType, coerce_value

from i18n import Lang, t

__all__ = [
    "BOUNDED_KINDS",
    "MAX_SECONDS",
    "MAX_SHIFT_BITS",
    "MAX_STEPS",
    "BoundedContext",
    "Budget",
    "BudgetExceeded",
    "Rule",
    "budget",
    "exceeded",
    "item_size",
    "open_budget",
    "seconds_left",
    "spend",
]

MAX_SECONDS = 1.0  # per rule evaluation; the shipped rules take well under a millisecond
MAX_STEPS = 100_000  # items loops read plus items and characters they build (≈10 MB, ≈1 s)
MAX_SHIFT_BITS = 4096


class BudgetExceeded(errors.EvaluationError):
    """An expression went over its budget: ``limit`` names which (``forms.budget.<limit>``
    in the catalogues), ``message`` says it in Chinese, ``explain`` in either language."""

    def __init__(self, limit: str, **values: Any) -> None:
        self.limit, self.values = limit, values
        super().__init__(self.explain("zh"))

    def explain(self, lang: Lang) -> str:
        """Which limit was passed, in ``lang``."""
        return t(f"forms.budget.{self.limit}", lang, **self.values)


class Budget:
    """Time and steps left for one evaluation (see the module docstring)."""

    __slots__ = ("deadline", "seconds", "steps", "steps_given")

    def __init__(self, seconds: float = MAX_SECONDS, steps: int = MAX_STEPS) -> None:
        self.seconds, self.steps_given = seconds, steps
        self.deadline = time.monotonic() + seconds
        self.steps = steps

    def restart(self) -> None:
        """The whole allowance again, from now: the next evaluation (a rule set's next rule)
        gets as much time and as many steps as the first."""
        self.deadline = time.monotonic() + self.seconds
        self.steps = self.steps_given

    def seconds_left(self) -> float:
        """Time left before the deadline; ``BudgetExceeded`` when it has passed."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise BudgetExceeded("time", seconds=MAX_SECONDS)
        return left

    def charge(self, steps: int) -> None:
        """Spend ``steps``; ``BudgetExceeded`` when none are left or time is up."""
        self.steps -= steps
        if self.steps < 0:
            raise BudgetExceeded("steps", steps=MAX_STEPS)
        self.seconds_left()


_current: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("budget", default=None)


class _BudgetScope:
    """``with budget():`` (a class rather than a generator: rules open one per rule)."""

    __slots__ = ("fresh", "token")
    token: contextvars.Token[Budget | None] | None

    def __init__(self, fresh: bool) -> None:
        self.fresh = fresh

    def __enter__(self) -> Budget:
        open_budget = _current.get()
        if open_budget is not None and not self.fresh:
            self.token = None
            return open_budget
        fresh = Budget()
        self.token = _current.set(fresh)
        return fresh

    def __exit__(self, *_exc: object) -> None:
        if self.token is not None:
            _current.reset(self.token)


def budget(*, fresh: bool = False) -> _BudgetScope:
    """Open a fresh budget for the evaluations inside the ``with`` block, unless one is open
    already (then the block spends from that one) and ``fresh`` is false."""
    return _BudgetScope(fresh)


def open_budget() -> Budget | None:
    """The budget evaluations here spend from (None when none is open)."""
    return _current.get()


def spend(steps: int) -> None:
    """Charge ``steps`` to the open budget (if any); ``BudgetExceeded`` over it."""
    open_budget = _current.get()
    if open_budget is not None:
        open_budget.charge(steps)


def seconds_left() -> float:
    """Time left in the open budget (``MAX_SECONDS`` when none is open)."""
    open_budget = _current.get()
    return open_budget.seconds_left() if open_budget is not None else MAX_SECONDS


def exceeded(exc: BaseException) -> BudgetExceeded | None:
    """The ``BudgetExceeded`` behind ``exc`` (rule-engine wraps errors raised inside a
    ``$function`` call in ``FunctionCallError``), or None."""
    if isinstance(exc, BudgetExceeded):
        return exc
    inner = getattr(exc, "error", None)
    return inner if isinstance(inner, BudgetExceeded) else None


def item_size(value: Any) -> int:
    """What keeping ``value`` costs: its length for text and collections, else 1."""
    return len(value) if isinstance(value, str | bytes | tuple | list | set | frozenset) else 1


class _BoundedComprehension(ast.ComprehensionExpression):
    def evaluate(self, thing: Any) -> Any:
        items = self.iterable.evaluate(thing)
        if not DataType.from_value(items).is_iterable:
            raise errors.EvaluationError("data type mismatch (comprehension requires an iterable)")
        output = []
        for value in items:
            spend(1)
            with self.context.assignments(Assignment(self.variable, value=value)):
                if self.condition is None or self.condition.evaluate(thing):
                    result = self.result.evaluate(thing)
                    spend(item_size(result))
                    output.append(result)
        return tuple(output)


class _BoundedRegexComparison(ast.FuzzyComparisonExpression):
    def _compile_regex(self, pattern: str) -> Any:
        try:
            return regex.compile(pattern, flags=self.context.regex_flags)
        except (regex.error, ValueError, OverflowError) as error:
            raise errors.RegexSyntaxError(
                "invalid regular expression", error=error, value=pattern
            ) from None

    def _regex(self, method: str, modifier: Callable[[Any, Any], bool], thing: Any) -> Any:
        left = self.left.evaluate(thing)
        if not isinstance(left, str) and left is not None:
            raise errors.EvaluationError("data type mismatch")
        if isinstance(self.right, ast.StringExpression):
            pattern = self._right
        else:
            pattern = self.right.evaluate(thing)
            if isinstance(pattern, str):
                pattern = self._compile_regex(pattern)
            elif pattern is not None:
                raise errors.EvaluationError("data type mismatch")
        if left is None or pattern is None:
            return not modifier(left, pattern)
        try:
            match = getattr(pattern, method)(left, timeout=seconds_left())
        except TimeoutError:
            raise BudgetExceeded("regex", seconds=MAX_SECONDS) from None
        if match is not None:
            self.context._tls.regex_groups = coerce_value(match.groups())
        return modifier(match, None)

    def _op_eq_fzm(self, thing: Any) -> Any:
        return self._regex("match", operator.is_not, thing)

    def _op_eq_fzs(self, thing: Any) -> Any:
        return self._regex("search", operator.is_not, thing)

    def _op_ne_fzm(self, thing: Any) -> Any:
        return self._regex("match", operator.is_, thing)

    def _op_ne_fzs(self, thing: Any) -> Any:
        return self._regex("search", operator.is_, thing)


class _BoundedShift(ast.BitwiseShiftExpression):
    def _op_bitwise_float(self, op: Callable[[Any, Any], Any], thing: Any, left: Any) -> Any:
        if op is operator.lshift:
            right = self.right.evaluate(thing)
            if isinstance(right, int | float) or hasattr(right, "to_integral_value"):
                try:
                    wide = int(left).bit_length() + int(right) > MAX_SHIFT_BITS
                except (ValueError, OverflowError, TypeError):
                    wide = False  # rule-engine's own check reports it
                if wide:
                    raise BudgetExceeded("shift", bits=MAX_SHIFT_BITS)
        return super()._op_bitwise_float(op, thing, left)


# rule-engine's node type → its bounded replacement (``rules.expression_compiler`` compiles
# only the bounded ones)
BOUNDED_KINDS: dict[type[Any], type[Any]] = {
    ast.ComprehensionExpression: _BoundedComprehension,
    ast.FuzzyComparisonExpression: _BoundedRegexComparison,
    ast.BitwiseShiftExpression: _BoundedShift,
}


def _bound_tree(root: Any) -> None:
    """Point every deferred node of the parsed (not yet built) tree that ``BOUNDED_KINDS`` names at
    its bounded class. Iterative: a deeply nested expression must not exhaust the stack here."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, list | tuple | collections.deque):  # arguments are a deque
            stack.extend(node)
        elif hasattr(node, "cls") and hasattr(node, "args"):
            node.cls = BOUNDED_KINDS.get(node.cls, node.cls)
            stack.extend(node.args)
            stack.extend(node.kwargs.values())


class BoundedParser(Parser):
    """rule-engine's parser building bounded node types (same grammar, same errors)."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()

    def parse(self, text: str, context: rule_engine.Context, **kwargs: Any) -> Any:
        """Parse ``text`` as rule-engine does, then build its tree with bounded nodes."""
        kwargs["lexer"] = kwargs.pop("lexer", self._lexer)
        with self._lock:
            self.context = context
            deferred = self._parser.parse(text, **kwargs)
            self.context = None
        _bound_tree(deferred)
        with budget():  # constant parts are computed while building
            return deferred.build()


class Rule(rule_engine.Rule):
    """A rule-engine rule parsed with ``BoundedParser``; ``evaluate`` runs in a budget (the
    caller's when one is open)."""

    parser = BoundedParser()

    def evaluate(self, thing: Any) -> Any:
        """The value of the expression on ``thing``; ``BudgetExceeded`` over budget."""
        with budget():
            return super().evaluate(thing)


_DEFAULTS = Builtins.from_defaults()  # rule-engine's own builtins, called once charged


def _bounded_range(start: Any, stop: Any = None, step: Any = None) -> list[int]:
    numbers = [int(v) for v in (start, stop, step) if v is not None and v == v]
    if numbers:
        try:
            length = len(range(*numbers))
        except (OverflowError, ValueError):
            length = MAX_STEPS + 1  # too long to count, or a zero step rule-engine reports
        if length > MAX_STEPS:
            raise BudgetExceeded("range", length=length, steps=MAX_STEPS)
        spend(length)
    made: list[int] = _DEFAULTS["range"](start, stop, step)
    return made


def _bounded_split(text: str, sep: str | None = None, maxsplit: Any = None) -> tuple[str, ...]:
    parts: tuple[str, ...] = _DEFAULTS["split"](text, sep, maxsplit)
    spend(len(parts))
    return parts


def _charged(function: Callable[[Callable[[Any], Any], Iterable[Any]], tuple[Any, ...]]) -> Any:
    def bounded(each: Callable[[Any], Any], items: Iterable[Any]) -> tuple[Any, ...]:
        items = tuple(items)
        spend(len(items))
        return function(each, items)

    return bounded


BOUNDED_BUILTINS: Mapping[str, Any] = {
    "range": _bounded_range,
    "split": _bounded_split,
    "map": _charged(_DEFAULTS["map"]),
    "filter": _charged(_DEFAULTS["filter"]),
}


class BoundedContext(rule_engine.Context):
    """A rule-engine context whose builtins charge the budget (see the module docstring).

    ``values``/``value_types`` add builtins (e.g. ``$settings``); ``$re_groups`` is kept.
    """

    def __init__(
        self,
        *,
        values: Mapping[str, Any] | None = None,
        value_types: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        re_groups = BuiltinValueGenerator(lambda _builtins: self._tls.regex_groups)
        self.builtins = Builtins.from_defaults(
            values={**BOUNDED_BUILTINS, "re_groups": re_groups, **(values or {})},
            value_types={"re_groups": DataType.ARRAY(DataType.STRING), **(value_types or {})},
            timezone=self.default_timezone,
        )
