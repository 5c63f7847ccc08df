"""Pydantic validation errors as Chinese (or English) lines that name the field and the fix."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from i18n import Lang, t
from reports.labels import model_path_label
from reports.values import format_number

# Pydantic error types that share one message.
_ALIASES = {
    "date_parsing": "date",
    "date_from_datetime_parsing": "date",
    "date_from_datetime_inexact": "date",
    "date_type": "date",
    "int_parsing": "int",
    "int_type": "int",
    "int_from_float": "int",
    "float_parsing": "float",
    "float_type": "float",
    "bool_parsing": "bool",
    "bool_type": "bool",
    "string_type": "string",
    "list_type": "list",
    "dict_type": "object",
    "model_type": "object",
    "model_attributes_type": "object",
}
_KNOWN = {
    "missing",
    "extra_forbidden",
    "string_too_short",
    "string_too_long",
    "too_short",
    "too_long",
    "greater_than_equal",
    "less_than_equal",
    "greater_than",
    "less_than",
    "multiple_of",
    "literal_error",
    "enum",
}
_VALUE_ERROR_PREFIXES = ("Value error, ", "Assertion failed, ")


def _shown(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(value)
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


def _message(error: Any, lang: Lang) -> str:
    kind = str(error["type"])
    ctx = {k: _shown(v) for k, v in (error.get("ctx") or {}).items()}
    if kind == "value_error" or kind == "assertion_error":
        reason = str(error.get("msg", ""))
        for prefix in _VALUE_ERROR_PREFIXES:
            reason = reason.removeprefix(prefix)
        return reason
    key = _ALIASES.get(kind, kind if kind in _KNOWN else "other")
    try:
        return t(f"reports.error.{key}", lang, msg=error.get("msg", ""), **ctx)
    except (KeyError, IndexError):
        return t("reports.error.other", lang, msg=error.get("msg", ""))


def describe(
    exc: ValidationError,
    model: type[BaseModel] | None,
    lang: Lang = "zh",
    prefix: str = "",
) -> list[str]:
    """One line per error: ``field in words: what is wrong, how to fix it (the value given)``.

    ``prefix`` names the part of the input the errors belong to (e.g. the rule report).
    """
    lines: list[str] = []
    for error in exc.errors():
        where = model_path_label(model, list(error["loc"]), lang)
        if prefix:
            where = f"{prefix} {where}"
        text = t("reports.error.line", lang, where=where, message=_message(error, lang))
        given = error.get("input")
        if error["type"] not in ("missing", "value_error", "extra_forbidden") and not isinstance(
            given, dict | list
        ):
            text += t("reports.error.given", lang, value=_shown(given))
        lines.append(text)
    return lines
