"""What a form model's fields look like to the renderer and the validator.

``describe(model)`` walks a Pydantic model once and returns one ``FieldSpec`` per field: its kind
(which widget shows it), labels, constraints, options and presentation hints. Everything that
renders, validates or prints a form works from these specs, never from per-form code.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import functools
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Literal

import annotated_types
from pydantic import BaseModel
from pydantic.fields import ComputedFieldInfo, FieldInfo
from pydantic_core import PydanticUndefined

Kind = Literal[
    "text",
    "textarea",
    "int",
    "float",
    "decimal",
    "bool",
    "date",
    "datetime",
    "time",
    "select",
    "radio",
    "multiselect",
    "tags",
    "section",
    "repeat",
    "file",
    "readonly",
    "computed",
]


@dataclass(frozen=True)
class FieldSpec:
    """One field of a form model, as the renderer and validator see it."""

    name: str
    kind: Kind
    label_zh: str
    label_en: str
    help_zh: str = ""
    help_en: str = ""
    required: bool = False
    optional: bool = False  # None is a valid value: the widget starts empty
    default: Any = None  # JSON-able default (None when required or optional)
    options: tuple[Any, ...] = ()  # allowed values of select / radio / multiselect
    enum_type: type[enum.Enum] | None = None
    min_length: int | None = None
    max_length: int | None = None
    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    lt: float | None = None
    multiple_of: float | None = None
    relevant: str | None = None
    calculate: str | None = None
    accept: tuple[str, ...] = ()
    max_bytes: int | None = None
    model: type[BaseModel] | None = None  # nested model of a section or repeat group
    layout: str = "cards"  # repeat groups: cards or table
    extra: dict[str, Any] = field(default_factory=dict)

    def label(self, lang: str) -> str:
        """The field's label in ``lang`` (English falls back to Chinese)."""
        return (self.label_en or self.label_zh) if lang == "en" else self.label_zh

    def help(self, lang: str) -> str:
        """The field's help text in ``lang`` (English falls back to Chinese)."""
        return (self.help_en or self.help_zh) if lang == "en" else self.help_zh

    def option_text(self, value: Any, lang: str) -> str:
        """How a choice's stored ``value`` reads in ``lang`` (``options_en`` / ``options_zh``
        metadata); a value without a display text shows as stored."""
        names = self.extra.get("options_en" if lang == "en" else "options_zh")
        if isinstance(names, dict) and value in names:
            return str(names[value])
        return str(value)

    @property
    def stores_value(self) -> bool:
        """Computed properties are derived by the model and never part of the stored data."""
        return self.kind != "computed"


def _strip_optional(annotation: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional = len(args) < len(typing.get_args(annotation))
        if len(args) == 1:
            return args[0], optional
        return annotation, optional
    return annotation, False


def _literal_options(annotation: Any) -> tuple[Any, ...] | None:
    if typing.get_origin(annotation) is Literal:
        return tuple(typing.get_args(annotation))
    return None


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _scalar_kind(annotation: Any, widget: str | None) -> tuple[Kind, tuple[Any, ...], Any]:
    """Kind, options and enum type of a non-list, non-model annotation."""
    options = _literal_options(annotation)
    if options is not None:
        return ("radio" if widget == "radio" else "select"), options, None
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        values = tuple(member.value for member in annotation)
        return ("radio" if widget == "radio" else "select"), values, annotation
    if annotation is bool:
        return "bool", (), None
    if annotation is int:
        return "int", (), None
    if annotation is float:
        return "float", (), None
    if annotation is decimal.Decimal:
        return "decimal", (), None
    if annotation is dt.datetime:
        return "datetime", (), None
    if annotation is dt.date:
        return "date", (), None
    if annotation is dt.time:
        return "time", (), None
    return ("textarea" if widget == "textarea" else "text"), (), None


def _constraints(metadata: list[Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for item in metadata:
        for name in ("min_length", "max_length", "ge", "gt", "le", "lt", "multiple_of"):
            value = getattr(item, name, None)
            if value is not None and isinstance(
                item,
                (
                    annotated_types.MinLen,
                    annotated_types.MaxLen,
                    annotated_types.Ge,
                    annotated_types.Gt,
                    annotated_types.Le,
                    annotated_types.Lt,
                    annotated_types.MultipleOf,
                ),
            ):
                found[name] = value
    return found


def _json_default(info: FieldInfo) -> Any:
    if info.default is not PydanticUndefined:
        value = info.default
    elif info.default_factory is not None:
        value = info.default_factory()  # type: ignore[call-arg]
    else:
        return None
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, dt.date | dt.time | dt.datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def _extra(info: FieldInfo | ComputedFieldInfo) -> dict[str, Any]:
    extra = info.json_schema_extra
    return dict(extra) if isinstance(extra, dict) else {}


def _spec_for(name: str, info: FieldInfo) -> FieldSpec:
    extra = _extra(info)
    widget = extra.get("widget")
    annotation, optional = _strip_optional(info.annotation)
    common: dict[str, Any] = {
        "name": name,
        "label_zh": info.title or name,
        "label_en": str(extra.get("label_en") or ""),
        "help_zh": info.description or "",
        "help_en": str(extra.get("help_en") or ""),
        "required": info.is_required(),
        "optional": optional,
        "default": _json_default(info),
        "relevant": extra.get("relevant"),
        "calculate": extra.get("calculate"),
        "extra": extra,
        **_constraints(info.metadata),
    }
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation) or (str,)
        if widget == "file" or (_is_model(item) and item.__name__ == "Attachment"):
            return FieldSpec(
                kind="file",
                model=item if _is_model(item) else None,
                accept=tuple(extra.get("accept") or ()),
                max_bytes=extra.get("max_bytes"),
                **common,
            )
        if _is_model(item):
            kind: Kind = "readonly" if widget == "readonly" else "repeat"
            layout = "table" if widget == "table" else "cards"
            return FieldSpec(kind=kind, model=item, layout=layout, **common)
        item, _ = _strip_optional(item)
        options = _literal_options(item)
        if options is None and isinstance(item, type) and issubclass(item, enum.Enum):
            return FieldSpec(
                kind="multiselect",
                options=tuple(m.value for m in item),
                enum_type=item,
                **common,
            )
        if options is not None:
            return FieldSpec(kind="multiselect", options=options, **common)
        return FieldSpec(kind="tags", **common)
    if _is_model(annotation):
        kind = "readonly" if widget == "readonly" else "section"
        return FieldSpec(kind=kind, model=annotation, **common)
    if widget == "readonly" or common["calculate"]:
        scalar, options, enum_type = _scalar_kind(annotation, widget)
        return FieldSpec(
            kind="readonly",
            options=options,
            enum_type=enum_type,
            extra={**extra, "value_kind": scalar},
            **{k: v for k, v in common.items() if k != "extra"},
        )
    scalar, options, enum_type = _scalar_kind(annotation, widget)
    return FieldSpec(kind=scalar, options=options, enum_type=enum_type, **common)


def _computed_spec(name: str, info: ComputedFieldInfo) -> FieldSpec:
    extra = _extra(info)
    return FieldSpec(
        name=name,
        kind="computed",
        label_zh=info.title or name,
        label_en=str(extra.get("label_en") or ""),
        help_zh=info.description or "",
        help_en=str(extra.get("help_en") or ""),
        extra=extra,
    )


@functools.cache
def describe(model: type[BaseModel]) -> tuple[FieldSpec, ...]:
    """The fields of ``model`` in declaration order, computed properties last."""
    specs = [_spec_for(name, info) for name, info in model.model_fields.items()]
    specs += [_computed_spec(name, info) for name, info in model.model_computed_fields.items()]
    return tuple(specs)


def spec_at(model: type[BaseModel], path: tuple[str | int, ...]) -> FieldSpec | None:
    """The spec of the field a Pydantic error ``loc`` points at (row indexes skipped)."""
    current: type[BaseModel] | None = model
    found: FieldSpec | None = None
    for part in path:
        if isinstance(part, int):
            continue
        if current is None:
            return found
        found = next((s for s in describe(current) if s.name == part), None)
        if found is None:
            return None
        current = found.model
    return found
