"""The bridge between a form's Pydantic model and rule-engine.

``engine_types(model)`` derives rule-engine types from the model's fields (nested models become
OBJECT types, lists of models ARRAYs of them, ``X | None`` NULLABLE), so a misspelt field or a
comparison of a date with a number fails when the rule file is loaded, not at review time.
``Converter`` turns the form's JSON data (``model_dump(mode="json")``) into the values those types
expect: ISO dates into datetimes, nested objects into ``Record``s, lists into tuples.

Nested models are OBJECT types rather than MAPPINGs because rule-engine deprecates dotted access
on mappings; an OBJECT's attributes are also checked at load.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Callable, Mapping
from typing import Any, Literal

from pydantic import BaseModel
from rule_engine.types import DataType

from forms.specs import describe, strip_optional

TypeDef = Any  # rule_engine's _DataTypeDef is private
Convert = Callable[[Any], Any]


class Record:
    """A nested form object as rule-engine sees it: attributes only, nothing else reachable."""

    __slots__ = ("data",)

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data

    def __repr__(self) -> str:
        return f"Record({dict(self.data)!r})"


def record_attribute(value: Any, name: str) -> Any:
    """The OBJECT accessor of nested form objects: a Record's key (null when absent), null for
    anything else."""
    return value.data.get(name) if isinstance(value, Record) else None


def _field_types(model: type[BaseModel], objects: dict[str, TypeDef]) -> dict[str, TypeDef]:
    """Field name → type for every field and computed field of ``model`` (``FieldSpec``)."""
    return {s.name: _typed(s.value_type, s.optional, objects) for s in describe(model)}


def _type_of(annotation: Any, objects: dict[str, TypeDef]) -> TypeDef:
    inner, nullable = strip_optional(annotation)
    return _typed(inner, nullable, objects)


def _typed(inner: Any, nullable: bool, objects: dict[str, TypeDef]) -> TypeDef:
    result = _base_type(inner, objects)
    return DataType.NULLABLE(result) if nullable and result is not DataType.UNDEFINED else result


def _base_type(annotation: Any, objects: dict[str, TypeDef]) -> TypeDef:
    origin = typing.get_origin(annotation)
    if annotation is bool:
        return DataType.BOOLEAN
    if annotation in (int, float):
        return DataType.FLOAT
    if annotation is str or origin is Literal:
        return DataType.STRING
    if annotation in (dt.date, dt.datetime):
        return DataType.DATETIME
    if origin in (list, tuple, set, frozenset):
        args = typing.get_args(annotation)
        return DataType.ARRAY(_type_of(args[0], objects) if args else DataType.UNDEFINED)
    if origin is dict:
        return DataType.MAPPING(DataType.STRING)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return object_type(annotation, objects)
    return DataType.UNDEFINED


def object_type(model: type[BaseModel], objects: dict[str, TypeDef] | None = None) -> TypeDef:
    """The OBJECT type of a nested model (its attributes typed like a form's fields)."""
    objects = {} if objects is None else objects
    if model.__name__ not in objects:
        objects[model.__name__] = DataType.OBJECT.reference(model.__name__)
        attributes = _field_types(model, objects)
        objects[model.__name__] = DataType.OBJECT(
            model.__name__, attributes=attributes, accessor=record_attribute
        )
    return objects[model.__name__]


def engine_types(model: type[BaseModel]) -> dict[str, TypeDef]:
    """Field name → rule-engine type for every field (and computed field) of a form model."""
    return _field_types(model, {})


def attribute_names(type_def: TypeDef) -> list[str]:
    """The attributes of an OBJECT type (or of the items of an ARRAY of them)."""
    inner = type_def
    for _ in range(3):
        if DataType.is_type(inner, DataType.NULLABLE):
            inner = inner.inner_type
        elif DataType.is_type(inner, DataType.ARRAY):
            inner = inner.value_type
    return sorted(inner.attributes) if DataType.is_type(inner, DataType.OBJECT) else []


def _to_datetime(value: Any) -> Any:
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            return value  # left as text: the rule using it reports that it cannot be evaluated
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    return value


def _identity(value: Any) -> Any:
    return value


def _converter_for(type_def: TypeDef) -> Convert:
    inner = type_def.inner_type if DataType.is_type(type_def, DataType.NULLABLE) else type_def
    if DataType.is_type(inner, DataType.DATETIME):
        return _to_datetime
    if DataType.is_type(inner, DataType.ARRAY):
        item = _converter_for(inner.value_type)

        def convert_list(value: Any) -> Any:
            if isinstance(value, list | tuple):
                return tuple(item(v) for v in value)
            return value

        return convert_list
    if DataType.is_type(inner, DataType.OBJECT):
        attributes = {n: _converter_for(t) for n, t in inner.attributes.items()}
        if all(convert is _identity for convert in attributes.values()):  # text, numbers…

            def copy_object(value: Any) -> Any:
                return Record(dict(value)) if isinstance(value, Mapping) else value

            return copy_object

        def convert_object(value: Any) -> Any:
            if isinstance(value, Mapping):
                return Record({k: attributes.get(k, _identity)(v) for k, v in value.items()})
            return value

        return convert_object
    return _identity


class Converter:
    """Turns form JSON data into rule-engine values (built once per form model)."""

    def __init__(self, type_map: Mapping[str, TypeDef]) -> None:
        self._convert = {name: _converter_for(t) for name, t in type_map.items()}

    def __call__(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """A new dict: known fields converted, unknown ones passed through."""
        convert = self._convert
        return {k: convert[k](v) if k in convert else v for k, v in data.items()}


def plain_value(value: Any) -> Any:
    """A rule-engine value back in plain Python (for messages and JSON)."""
    if isinstance(value, Record):
        return {k: plain_value(v) for k, v in value.data.items()}
    if isinstance(value, tuple | list):
        return [plain_value(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    return value
