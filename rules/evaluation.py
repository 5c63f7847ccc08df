"""Fast evaluation of compiled rules, giving the same results as the fully typed rules.

Every expression is compiled twice from the same text:

- **typed**, against the form's field types (``RuleContext``): this is what lint sees, and it
  is the reference for every result;
- **trusted**, against a context that leaves the form's fields untyped (``TrustedContext``).

rule-engine 5.1 re-checks the type of a field's value every time an expression names it,
walking every element of a list (``items``/``schedule`` are named dozens of times per form, so
half the cost of a check went there). Here the typed check of each field runs once per form
(``FieldTypeCheck``, which evaluates each field's name as a typed rule-engine expression); a
form whose fields all pass is wrapped as ``TrustedData`` and its rules run on the trusted
compiles. Any other data (a field of the wrong type, a non-object where the model has one) runs
on the typed compiles, so errors and their messages stay exactly those of the typed rules.
Both are rule-engine expressions over data: nothing reaches Python attributes, imports or files.
``tests/unit/test_rules_fast_evaluation.py`` proves both give identical reports.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from typing import Any

import rule_engine
from rule_engine.types import DataType

from forms.expression_engine import Rule
from rules.form_types import Record, TypeDef

__all__ = ["Expression", "FieldTypeCheck", "TrustedData", "trusted_attribute"]


class TrustedData(dict[str, Any]):
    """Converted form data whose field values passed the typed check for this form."""

    __slots__ = ()


def trusted_attribute(object_: Any, name: str) -> tuple[bool, Any]:
    """``(True, value)`` for attribute reads the trusted context answers itself.

    A ``Record`` (a nested form object) answers its own keys, as the typed OBJECT accessor
    does (a missing key is null). ``length`` of a text or a list is its length as rule-engine
    computes it (``len`` as a Decimal) without re-deriving the list's element types first.
    Anything else goes to rule-engine's own resolver.
    """
    kind = type(object_)
    if kind is Record:
        return True, object_.data.get(name)
    if name == "length" and (kind is str or kind is tuple):
        return True, decimal.Decimal(len(object_))
    return False, None


class Expression:
    """One expression of a rule file: its typed and its trusted compile."""

    __slots__ = ("fast", "typed")

    def __init__(self, typed: rule_engine.Rule, fast: rule_engine.Rule | None) -> None:
        self.typed = typed
        self.fast = fast

    @property
    def result_type(self) -> TypeDef:
        """The type the typed compile says this expression gives."""
        return self.typed.statement.expression.result_type

    def evaluate(self, thing: Mapping[str, Any]) -> Any:
        """The value on ``thing``: trusted compile for ``TrustedData``, typed otherwise."""
        if self.fast is not None and type(thing) is TrustedData:
            return self.fast.evaluate(thing)
        return self.typed.evaluate(thing)


def _unwrap(type_def: TypeDef) -> TypeDef:
    return type_def.inner_type if DataType.is_type(type_def, DataType.NULLABLE) else type_def


def _needs_records(type_def: TypeDef) -> bool:
    inner = _unwrap(type_def)
    if DataType.is_type(inner, DataType.OBJECT):
        return True
    if DataType.is_type(inner, DataType.ARRAY):
        return _needs_records(inner.value_type)
    return False


def _records_in_place(type_def: TypeDef, value: Any) -> bool:
    """Every place the model has an object holds a ``Record`` (not null, not text…).

    The typed accessor reads a non-Record as null where rule-engine's resolver would raise,
    so only data shaped like this is trusted.
    """
    inner = _unwrap(type_def)
    if DataType.is_type(inner, DataType.OBJECT):
        if type(value) is not Record:
            return False
        attributes = inner.attributes
        return all(
            _records_in_place(attributes[k], v)
            for k, v in value.data.items()
            if k in attributes and _needs_records(attributes[k])
        )
    if DataType.is_type(inner, DataType.ARRAY):
        if value is None:
            return True
        if type(value) is not tuple:
            return False
        item = inner.value_type
        return all(_records_in_place(item, v) for v in value)
    return True


class FieldTypeCheck:
    """The typed check of each field's value, run once per form instead of once per use."""

    def __init__(self, type_map: Mapping[str, TypeDef], context: rule_engine.Context) -> None:
        self._symbols = {
            name: Rule(name, context=context).statement.expression for name in type_map
        }
        self._records = {name: t for name, t in type_map.items() if _needs_records(t)}

    def trust(self, thing: dict[str, Any]) -> dict[str, Any]:
        """``thing`` as ``TrustedData`` when every field passes, else ``thing`` unchanged."""
        symbols = self._symbols
        try:
            for name in thing:
                symbol = symbols.get(name)
                if symbol is not None:
                    symbol.evaluate(thing)
        except Exception:  # the typed rules will report it, with their own messages
            return thing
        for name, type_def in self._records.items():
            if name in thing and not _records_in_place(type_def, thing[name]):
                return thing
        return TrustedData(thing)
