"""Turn a Pydantic ``ValidationError`` on a core object into field → Chinese message.

Core objects (campaigns, branches, users) are edited on admin screens; their errors must name
the field and the fix in the user's language, like form errors do.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from i18n import Lang, lookup, t

# Pydantic error type → catalogue key; the context (``ge``, ``max_length``...) fills it in.
_KEYS = {
    "missing": "workflow.invalid.missing",
    "string_too_short": "workflow.invalid.too_short",
    "string_too_long": "workflow.invalid.too_long",
    "string_pattern_mismatch": "workflow.invalid.pattern",
    "greater_than_equal": "workflow.invalid.ge",
    "greater_than": "workflow.invalid.gt",
    "less_than_equal": "workflow.invalid.le",
    "less_than": "workflow.invalid.lt",
    "int_parsing": "workflow.invalid.int",
    "int_type": "workflow.invalid.int",
    "int_from_float": "workflow.invalid.int",
    "float_parsing": "workflow.invalid.number",
    "float_type": "workflow.invalid.number",
    "enum": "workflow.invalid.choice",
    "literal_error": "workflow.invalid.choice",
    "date_from_datetime_parsing": "workflow.invalid.date",
    "date_parsing": "workflow.invalid.date",
    "date_type": "workflow.invalid.date",
}


def field_label(path: str, lang: Lang) -> str:
    """The label of a core-object field (``workflow.field.<name>``, innermost name first),
    else the path itself."""
    names = [p for p in reversed(path.split(".")) if not p.isdigit()]
    for name in names:
        label = lookup(f"workflow.field.{name}", lang)
        if label is not None:
            return label
    return path


def errors_by_field(error: ValidationError, lang: Lang) -> dict[str, str]:
    """One message per failing field path, e.g. ``{"year": "年度:不能小于 2000"}``."""
    out: dict[str, str] = {}
    for item in error.errors(include_url=False):
        path = ".".join(str(p) for p in item["loc"]) or "_"
        ctx: dict[str, Any] = dict(item.get("ctx") or {})
        key = _KEYS.get(item["type"])
        text = t(key, lang, **ctx) if key else str(item["msg"]).removeprefix("Value error, ")
        out.setdefault(path, f"{field_label(path, lang)}:{text}")
    return out
