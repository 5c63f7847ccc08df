"""Server-side validation of form data, with errors in the user's language at each field.

``validate(model, data)`` never raises on bad data: it returns the model instance (or None) and
the errors keyed by dotted field path (``items.0.owner``; ``""`` for the form as a whole;
``schedule.0`` for a repeat-group row). Before validation, fields whose ``relevant`` condition
does not hold are dropped and ``calculate`` fields are filled in, so the server computes what the
browser showed and stores nothing the user could not see.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from forms.errors import CrossFieldError
from forms.expressions import calculate, is_relevant
from forms.specs import FieldSpec, describe, spec_at
from i18n import Lang, t

ROOT = ""

# Pydantic error types grouped by the message that explains them; prefixes match families.
_TYPE_MESSAGES: dict[str, str] = {
    "missing": "forms.error.missing",
    "string_too_short": "forms.error.string_too_short",
    "string_too_long": "forms.error.string_too_long",
    "too_short": "forms.error.too_short",
    "too_long": "forms.error.too_long",
    "greater_than_equal": "forms.error.ge",
    "greater_than": "forms.error.gt",
    "less_than_equal": "forms.error.le",
    "less_than": "forms.error.lt",
    "multiple_of": "forms.error.multiple_of",
    "literal_error": "forms.error.choice",
    "enum": "forms.error.choice",
    "extra_forbidden": "forms.error.extra",
    "string_pattern_mismatch": "forms.error.pattern",
    "string_type": "forms.error.text",
    "list_type": "forms.error.list",
    "model_type": "forms.error.group",
    "model_attributes_type": "forms.error.group",
    "dict_type": "forms.error.group",
    "decimal_max_places": "forms.error.decimal_places",
    "decimal_max_digits": "forms.error.decimal_digits",
    "int_from_float": "forms.error.int",
}
_PREFIX_MESSAGES: tuple[tuple[str, str], ...] = (
    ("datetime_", "forms.error.datetime"),
    ("date_", "forms.error.date"),
    ("time_", "forms.error.time"),
    ("int_", "forms.error.int"),
    ("float_", "forms.error.number"),
    ("decimal_", "forms.error.number"),
    ("bool_", "forms.error.bool"),
    ("finite_number", "forms.error.number"),
)


def prepare(model: type[BaseModel], data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` as it will be validated and stored: hidden fields dropped, calculations filled,
    computed properties removed. Keys the model does not know are kept (validation names them)."""
    return _prepare_scope(model, data, {})


def _prepare_scope(
    model: type[BaseModel], values: Mapping[str, Any], outer: Mapping[str, Any]
) -> dict[str, Any]:
    specs = describe(model)
    scope = {**outer, **values}
    prepared: dict[str, Any] = {}
    calculated: list[FieldSpec] = []
    for spec in specs:
        if spec.kind == "computed" or not is_relevant(spec, scope):
            continue
        if spec.calculate:
            calculated.append(spec)
            continue
        if spec.name not in values:
            continue
        value = values[spec.name]
        if spec.kind == "section" and spec.model is not None and isinstance(value, Mapping):
            value = _prepare_scope(spec.model, value, scope)
        elif spec.kind == "repeat" and spec.model is not None and isinstance(value, list):
            value = [
                _prepare_scope(spec.model, row, scope) if isinstance(row, Mapping) else row
                for row in value
            ]
        prepared[spec.name] = value
    known = {spec.name for spec in specs}
    prepared.update({k: v for k, v in values.items() if k not in known})
    # Calculations see the prepared values of their scope (rows already cleaned).
    for spec in calculated:
        value = calculate(spec, {**outer, **prepared})
        if value is not None or spec.optional:
            prepared[spec.name] = value
    return prepared


def validate(
    model: type[BaseModel], data: Any, lang: Lang = "zh"
) -> tuple[BaseModel | None, dict[str, str]]:
    """Validate ``data`` against ``model``: ``(instance, {})`` or ``(None, errors)``.

    Errors are keyed by dotted path (``""`` for the whole form) and say, in ``lang``, which field
    is wrong and how to fix it. Never raises on bad data.
    """
    if not isinstance(data, Mapping):
        return None, {ROOT: t("forms.error.not_a_form", lang)}
    try:
        instance = model.model_validate(prepare(model, data))
    except ValidationError as error:
        return None, error_messages(model, error.errors(), lang)
    return instance, {}


def error_messages(
    model: type[BaseModel], errors: list[ErrorDetails], lang: Lang = "zh"
) -> dict[str, str]:
    """Pydantic error details as ``{dotted path: message}``, first error of each field kept."""
    messages: dict[str, str] = {}
    for detail in errors:
        loc = tuple(detail["loc"])
        path = ".".join(str(part) for part in loc)
        cause = (detail.get("ctx") or {}).get("error")
        if isinstance(cause, CrossFieldError):
            text = cause.text(lang)
            messages.setdefault(path, text)
            for name in cause.fields:
                messages.setdefault(".".join(str(p) for p in (*loc, name)), text)
            continue
        messages.setdefault(path, _message(model, loc, detail, lang))
    return messages


def _message(
    model: type[BaseModel], loc: tuple[str | int, ...], detail: ErrorDetails, lang: Lang
) -> str:
    name = field_name(model, loc, lang)
    kind = detail["type"]
    ctx = dict(detail.get("ctx") or {})
    if kind in ("value_error", "assertion_error"):
        cause = ctx.get("error")
        text = str(cause) if cause is not None else detail["msg"]
        return t("forms.error.custom", lang, field=name, message=text) if loc else text
    key = _TYPE_MESSAGES.get(kind) or next(
        (key for prefix, key in _PREFIX_MESSAGES if kind.startswith(prefix)), None
    )
    if key is None:
        return t("forms.error.invalid", lang, field=name)
    if key == "forms.error.choice":
        spec = spec_at(model, loc)
        shown = [spec.option_text(o, lang) for o in spec.options if o != ""] if spec else []
        ctx["options"] = "、".join(shown) or str(ctx.get("expected", ""))
    if key == "forms.error.string_too_short" and ctx.get("min_length") == 1:
        key = "forms.error.missing"
    values = {k: _number(v) for k, v in ctx.items() if k != "error"}
    return t(key, lang, field=name, **values)


def _number(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def field_name(model: type[BaseModel], loc: tuple[str | int, ...], lang: Lang = "zh") -> str:
    """How a message names the field at ``loc``: 「主要内容」第 1 项的「责任人」."""
    name = ""
    row: int | None = None
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int):
            row = part + 1
            continue
        spec = next((s for s in describe(current) if s.name == part), None) if current else None
        label = t("forms.label.quoted", lang, label=spec.label(lang) if spec else part)
        current = spec.model if spec else None
        if row is not None and name:
            name = t("forms.label.row_field", lang, group=name, n=row, field=label)
        else:
            name = label
        row = None
    if row is not None:
        name = t("forms.label.row", lang, group=name, n=row) if name else str(row)
    return name or t("forms.label.form", lang)
