"""Pydantic validation errors in words: the one translation every layer uses.

``explain(error, model, lang)`` turns a ``ValidationError`` on any model (a form, a core record,
a rule file, a report envelope) into ``{dotted field path: message}``; each message names the
field (``path_label``), says what is wrong and how to fix it, in Chinese or English. Choice
errors list the allowed values as the user reads them; an empty required field reads 必须填写.
``explain_each`` keeps one ``Explained`` per error for callers that also show where the error
sits in a file or what value was given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from forms.errors import CrossFieldError
from forms.specs import field_spec, path_label, spec_at
from i18n import Lang, t

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
    "tuple_type": "forms.error.list",
    "set_type": "forms.error.list",
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


@dataclass(frozen=True)
class Explained:
    """One validation error: where (``loc`` without union arm names, and as a dotted ``path``),
    the message, the value that was given and Pydantic's error type (``kind``)."""

    loc: tuple[str | int, ...]
    path: str
    message: str
    given: Any
    kind: str


def explain(
    error: ValidationError | Sequence[ErrorDetails],
    model: type[BaseModel] | None,
    lang: Lang = "zh",
) -> dict[str, str]:
    """``{dotted path: message}`` for every failing field, the first error of each kept.

    ``""`` is the form as a whole; a ``CrossFieldError`` is shown at its own path and again at
    each field it names.
    """
    messages: dict[str, str] = {}
    for item in explain_each(error, model, lang):
        messages.setdefault(item.path, item.message)
        if isinstance(item.given, CrossFieldError):
            for name in item.given.fields:
                messages.setdefault(_dotted((*item.loc, name)), item.message)
    return messages


def explain_each(
    error: ValidationError | Sequence[ErrorDetails],
    model: type[BaseModel] | None,
    lang: Lang = "zh",
) -> list[Explained]:
    """One ``Explained`` per Pydantic error, in Pydantic's order (a ``CrossFieldError`` is
    kept as the ``given`` of its entry so ``explain`` can repeat it at its fields)."""
    details = error.errors() if isinstance(error, ValidationError) else error
    out: list[Explained] = []
    for detail in details:
        loc, in_union = _field_loc(model, tuple(detail["loc"]))
        cause = (detail.get("ctx") or {}).get("error")
        if isinstance(cause, CrossFieldError):
            text = cause.text(lang)
            if not cause.fields and loc and isinstance(loc[-1], str):
                # raised by one field's own validator: named like the field's other errors
                label = path_label(model, loc, lang)
                text = t("forms.error.custom", lang, field=label, message=text)
            out.append(Explained(loc, _dotted(loc), text, cause, detail["type"]))
            continue
        message = _message(model, loc, detail, lang, in_union)
        out.append(Explained(loc, _dotted(loc), message, detail.get("input"), detail["type"]))
    return out


def _dotted(loc: tuple[str | int, ...]) -> str:
    return ".".join(str(part) for part in loc)


def _field_loc(
    model: type[BaseModel] | None, loc: tuple[str | int, ...]
) -> tuple[tuple[str | int, ...], bool]:
    """``loc`` without the union arms Pydantic names (``('x', 'int')`` → ``('x',)``), and
    whether one was dropped."""
    out: list[str | int] = []
    current = model
    union = dropped = False
    for part in loc:
        if isinstance(part, int):
            out.append(part)
            continue
        if union:  # the arm Pydantic tried (``int``, ``list[str]``…), not a field
            union, dropped = False, True
            continue
        spec = field_spec(current, part)
        out.append(part)
        current = spec.model if spec else None
        union = spec is not None and spec.is_union
    return tuple(out), dropped


def _message(
    model: type[BaseModel] | None,
    loc: tuple[str | int, ...],
    detail: ErrorDetails,
    lang: Lang,
    in_union: bool,
) -> str:
    name = path_label(model, loc, lang)
    kind = detail["type"]
    ctx = dict(detail.get("ctx") or {})
    if kind in ("value_error", "assertion_error"):
        cause = ctx.get("error")
        text = str(cause) if cause is not None else detail["msg"]
        return t("forms.error.custom", lang, field=name, message=text) if loc else text
    key = _TYPE_MESSAGES.get(kind) or next(
        (key for prefix, key in _PREFIX_MESSAGES if kind.startswith(prefix)), None
    )
    if key is None or (in_union and key != "forms.error.missing"):
        return t("forms.error.invalid", lang, field=name)
    spec = spec_at(model, loc)
    if key == "forms.error.choice":
        shown = [spec.option_text(o, lang) for o in spec.options if o != ""] if spec else []
        ctx["options"] = (", " if lang == "en" else "、").join(shown) or str(
            ctx.get("expected", "")
        )
    if key == "forms.error.pattern" and spec is not None and spec.help(lang):
        key, ctx["hint"] = "forms.error.pattern_hint", spec.help(lang)  # the help says the form
    if key == "forms.error.string_too_short" and ctx.get("min_length") == 1:
        key = "forms.error.missing"
    values = {k: _number(v) for k, v in ctx.items() if k != "error"}
    return t(key, lang, field=name, **values)


def _number(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
