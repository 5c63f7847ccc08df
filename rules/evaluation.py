"""Fast evaluation of compiled rules, giving the same results as rule-engine's typed rules.

Every expression is parsed once by rule-engine against the form's field types
(``RuleContext``): this typed tree is what lint sees and the reference for every result. It is
then compiled once into Python closures (``rules.expression_compiler``) with the same
semantics.

rule-engine 5.1 re-checks the type of a field's value every time an expression names it,
walking every element of a list. Here the typed check of each field runs once per form
(``FieldTypeCheck``, which evaluates each field's name as a typed rule-engine expression); a
form whose fields all pass is wrapped as ``TrustedData`` and its expressions run on their
closures. Any other data (a field of the wrong type, a non-object where the model has one)
is evaluated by rule-engine itself, so errors and their messages stay exactly those of the
typed rules. Neither reaches Python attributes, imports or files.
``tests/unit/test_rules_fast_evaluation.py`` and ``tests/unit/test_rules_compiled.py`` prove
both give identical values, errors and reports.
"""

from __future__ import annotations

import datetime as dt
import decimal
import logging
from collections.abc import Callable, Mapping
from typing import Any

import rule_engine
from rule_engine.types import DataType

from forms.expression_engine import Rule
from rules.expression_compiler import CompiledExpression, compile_statement
from rules.expression_values import Frame, coerced_fields
from rules.form_types import Record, TypeDef

__all__ = ["Expression", "FieldTypeCheck", "TrustedData"]

log = logging.getLogger(__name__)


class TrustedData(dict[str, Any]):
    """Converted form data whose field values passed the typed check for this form, with
    ``fields``: each field's value as a rule-engine symbol gives it (coerced once), and the
    ``frame`` every compiled expression runs in on this form."""

    __slots__ = ("fields", "frame")

    def __init__(self, thing: Mapping[str, Any], timezone: Any) -> None:
        super().__init__(thing)
        self.fields = coerced_fields(thing, timezone)
        self.frame = Frame(self, self.fields)


class Expression:
    """One expression of a rule file: rule-engine's typed parse and its compiled closures."""

    __slots__ = ("compiled", "typed")

    def __init__(self, typed: rule_engine.Rule) -> None:
        self.typed = typed
        self.compiled: CompiledExpression | None
        try:
            self.compiled = compile_statement(typed.statement)
        except Exception:  # a tree this compiler does not understand: rule-engine runs it
            log.exception(
                "rule expression %r is not compiled; rule-engine evaluates it", typed.text
            )
            self.compiled = None

    @property
    def result_type(self) -> TypeDef:
        """The type the typed compile says this expression gives."""
        return self.typed.statement.expression.result_type

    def evaluate(self, thing: Mapping[str, Any]) -> Any:
        """The value on ``thing``: the compiled closures for ``TrustedData``, rule-engine's
        evaluation of the typed expression otherwise (or when ``compiled`` is None)."""
        compiled = self.compiled
        if compiled is not None and type(thing) is TrustedData:
            return compiled.run(thing.frame)
        return self.typed.evaluate(thing)

    def evaluate_in_check(self, thing: Mapping[str, Any]) -> Any:
        """``evaluate`` inside ``RuleSet.evaluating(thing)``, whose budget is open and whose
        decimal context is the current one: the closures are called without asking."""
        compiled = self.compiled
        if (
            compiled is not None
            and type(thing) is TrustedData
            and compiled.direct
            and thing.frame.decimals is not None
        ):
            return compiled.closure(thing.frame)
        return self.evaluate(thing)


def _unwrap(type_def: TypeDef) -> TypeDef:
    return type_def.inner_type if DataType.is_type(type_def, DataType.NULLABLE) else type_def


def records_check(type_def: TypeDef) -> Callable[[Any], bool] | None:
    """A test that every place ``type_def`` has an object holds a ``Record`` (not null, not
    text…), or None when the type holds no objects.

    The typed accessor reads a non-Record as null where rule-engine's resolver would raise,
    so only data shaped like this is trusted.
    """
    inner = _unwrap(type_def)
    if DataType.is_type(inner, DataType.OBJECT):
        nested = {
            name: check
            for name, t in inner.attributes.items()
            if (check := records_check(t)) is not None
        }
        if not nested:
            return lambda value: type(value) is Record

        def object_check(value: Any) -> bool:
            if type(value) is not Record:
                return False
            data = value.data
            return all(check(data[name]) for name, check in nested.items() if name in data)

        return object_check
    if DataType.is_type(inner, DataType.ARRAY):
        item = records_check(inner.value_type)
        if item is None:
            return None
        return lambda value: value is None or (type(value) is tuple and all(item(v) for v in value))
    return None


def _always(_value: Any) -> bool:
    return True


_SCALARS: dict[Any, tuple[type[Any], ...]] = {
    DataType.STRING: (str,),
    DataType.FLOAT: (int, float, decimal.Decimal),
    DataType.BOOLEAN: (bool,),
    DataType.DATETIME: (dt.datetime,),
}


def _member(type_def: TypeDef) -> Callable[[Any], bool] | None:
    """A test that a list element certainly passes as ``type_def`` (None: no such test)."""
    if DataType.is_type(type_def, DataType.OBJECT):
        return lambda value: type(value) is Record
    kinds = next((k for d, k in _SCALARS.items() if type_def == d), None)
    return None if kinds is None else (lambda value: type(value) in kinds)


def sure_to_pass(type_def: TypeDef) -> Callable[[Any], bool] | None:
    """A quick test that a value certainly passes rule-engine's typed check of a symbol of
    ``type_def`` (``SymbolExpression.evaluate``), or None when only that check can tell.

    A value the test refuses is still checked by rule-engine itself, so the test only has to
    be right when it says yes: an OBJECT or UNDEFINED symbol accepts any value, a scalar one
    a value of its Python types, a list one a tuple or list whose elements all have the one
    Python type of a non-nullable element type (Records for objects).
    """
    if type_def == DataType.UNDEFINED or DataType.is_type(type_def, DataType.OBJECT):
        return _always
    if DataType.is_type(type_def, DataType.NULLABLE):
        inner = sure_to_pass(type_def.inner_type)
        return None if inner is None else (lambda value: value is None or inner(value))
    if DataType.is_type(type_def, DataType.ARRAY):
        member = _member(type_def.value_type)
        if member is None:
            return None
        return lambda value: type(value) in (tuple, list) and all(member(v) for v in value)
    return _member(type_def) if type_def in _SCALARS else None


class FieldTypeCheck:
    """The typed check of each field's value, run once per form instead of once per use."""

    def __init__(self, type_map: Mapping[str, TypeDef], context: rule_engine.Context) -> None:
        self._symbols = {
            name: Rule(name, context=context).statement.expression for name in type_map
        }
        self._sure = {name: sure_to_pass(t) for name, t in type_map.items()}
        self._timezone = context.default_timezone
        self._records = {
            name: check for name, t in type_map.items() if (check := records_check(t)) is not None
        }

    def trust(self, thing: dict[str, Any]) -> dict[str, Any]:
        """``thing`` as ``TrustedData`` when every field passes, else ``thing`` unchanged."""
        symbols, sure = self._symbols, self._sure
        try:
            for name, value in thing.items():
                symbol = symbols.get(name)
                if symbol is None:
                    continue
                quick = sure[name]
                if quick is None or not quick(value):
                    symbol.evaluate(thing)
        except Exception:  # the typed rules will report it, with their own messages
            return thing
        for name, check in self._records.items():
            if name in thing and not check(thing[name]):
                return thing
        return TrustedData(thing, self._timezone)
