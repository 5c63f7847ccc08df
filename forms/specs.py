"""What a model's fields look like to every layer: the one reader of Pydantic field metadata.

``describe(model)`` walks a Pydantic model once and returns one ``FieldSpec`` per field: its kind
(which widget shows it), labels, constraints, options and presentation hints. Everything that
renders, validates, prints, checks or explains a form (or a core record) works from these specs,
never from ``model_fields`` and raw annotations: ``strip_optional`` is the one place ``X | None``
is unwrapped, ``spec_at`` / ``path_label`` the one place a dotted path meets the model.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import functools
import re
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import annotated_types
from pydantic import BaseModel
from pydantic.fields import ComputedFieldInfo, FieldInfo
from pydantic_core import PydanticUndefined

from i18n import Lang, t

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
    value_type: Any = None  # the annotation with ``None`` taken out (``strip_optional``)
    many: bool = False  # the value is a list (of ``item_type``)
    item_type: Any = None  # a list's item annotation, ``None`` taken out

    @property
    def choices(self) -> str | None:
        """The server-kept list a multiselect's values are picked from (``"branches"``), if
        any: its ``options`` are then the page's (``forms.fields``, ``choices``)."""
        source = self.extra.get("choices")
        return str(source) if source else None

    @property
    def widget(self) -> str | None:
        """The declared presentation hint (``textarea``, ``table``…), if any."""
        widget = self.extra.get("widget")
        return str(widget) if widget else None

    @property
    def role(self) -> str | None:
        """The only role that writes this field (``field(..., role=...)``), if any."""
        role = self.extra.get("role")
        return str(role) if role else None

    @property
    def percent(self) -> bool:
        """The value is a ratio (0.9167) that people read as a percentage (91.7%)."""
        return bool(self.extra.get("percent"))

    def writable_by(self, role: str | None) -> bool:
        """Whether a user of ``role`` types this field (not one reserved to another role)."""
        return self.role is None or self.role == role

    @property
    def is_union(self) -> bool:
        """The value (or a list's item) may be one of several types: Pydantic then names the
        arm it tried in an error's ``loc``."""
        inner = self.item_type if self.many else self.value_type
        return typing.get_origin(inner) in (typing.Union, types.UnionType)

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
        if (
            isinstance(names, dict)
            and isinstance(value, str | int | float | bool)
            and value in names
        ):
            return str(names[value])
        return str(value)

    @property
    def stores_value(self) -> bool:
        """Computed properties are derived by the model and never part of the stored data."""
        return self.kind != "computed"


def strip_optional(annotation: Any) -> tuple[Any, bool]:
    """``(X, True)`` for ``X | None`` / ``Optional[X]``; a union of several other types keeps
    them as a union (``A | B`` for ``A | B | None``); anything else is ``(annotation, False)``."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        arms = typing.get_args(annotation)
        args = [a for a in arms if a is not type(None)]
        optional = len(args) < len(arms)
        if len(args) == 1:
            return args[0], optional
        return (typing.Union[tuple(args)] if optional else annotation), optional  # noqa: UP007
    return annotation, False


def list_item(annotation: Any) -> Any | None:
    """The item annotation of ``list[X]`` / ``tuple[X, ...]`` / ``set[X]`` (``None`` taken out),
    else None."""
    if typing.get_origin(annotation) in (list, tuple, set, frozenset):
        args = typing.get_args(annotation)
        return strip_optional(args[0])[0] if args else Any
    return None


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
    annotation, optional = strip_optional(info.annotation)
    item_type = list_item(annotation)
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
        "value_type": annotation,
        "many": item_type is not None,
        "item_type": item_type,
        **_constraints(info.metadata),
    }
    if typing.get_origin(annotation) is list:
        item: Any = item_type
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
        if extra.get("choices"):  # picked from a list the page hands the renderer
            return FieldSpec(kind="multiselect", **common)
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
    value_type, optional = strip_optional(info.return_type)
    item_type = list_item(value_type)
    return FieldSpec(
        name=name,
        kind="computed",
        label_zh=info.title or name,
        label_en=str(extra.get("label_en") or ""),
        help_zh=info.description or "",
        help_en=str(extra.get("help_en") or ""),
        optional=optional,
        extra=extra,
        value_type=value_type,
        many=item_type is not None,
        item_type=item_type,
    )


@functools.cache
def describe(model: type[BaseModel]) -> tuple[FieldSpec, ...]:
    """The fields of ``model`` in declaration order, computed properties last."""
    specs = [_spec_for(name, info) for name, info in model.model_fields.items()]
    specs += [_computed_spec(name, info) for name, info in model.model_computed_fields.items()]
    return tuple(specs)


def field_spec(model: type[BaseModel] | None, name: str) -> FieldSpec | None:
    """The spec of ``model``'s field (or computed field) ``name``, if it has one."""
    if model is None:
        return None
    return next((s for s in describe(model) if s.name == name), None)


def split_path(path: str | Sequence[str | int]) -> tuple[str | int, ...]:
    """``items.0.owner``, ``items[0].owner`` or ``items[].owner`` as its parts (row indexes as
    ints); a sequence of parts is returned as a tuple."""
    if not isinstance(path, str):
        return tuple(path)
    parts: list[str | int] = []
    for raw in re.split(r"[.\[\]]+", path):
        if raw not in ("", "*"):
            parts.append(int(raw) if raw.isdigit() else raw)
    return tuple(parts)


def spec_at(model: type[BaseModel] | None, path: str | Sequence[str | int]) -> FieldSpec | None:
    """The spec of the field a dotted path or Pydantic error ``loc`` points at (row indexes
    skipped)."""
    current: type[BaseModel] | None = model
    found: FieldSpec | None = None
    for part in split_path(path):
        if isinstance(part, int):
            continue
        if current is None:
            return found
        found = field_spec(current, part)
        if found is None:
            return None
        current = found.model
    return found


def path_label(
    model: type[BaseModel] | None, path: str | Sequence[str | int], lang: Lang = "zh"
) -> str:
    """How every message names the field at ``path``: 「主要内容」第 1 项的「责任人」.

    Parts the model does not know are shown as they are; row indexes are 0-based in the path.
    An empty path names the form as a whole.
    """
    name = ""
    row: int | None = None
    current: type[BaseModel] | None = model
    for part in split_path(path):
        if isinstance(part, int):
            row = part + 1
            continue
        spec = field_spec(current, part)
        label = t("forms.label.quoted", lang, label=spec.label(lang) if spec else part)
        current = spec.model if spec else None
        if row is not None and name:
            name = t("forms.label.row_field", lang, group=name, n=row, field=label)
        elif name:
            name = t("forms.label.part", lang, group=name, field=label)
        else:
            name = label
        row = None
    if row is not None:
        name = t("forms.label.row", lang, group=name, n=row) if name else str(row)
    return name or t("forms.label.form", lang)
