"""A field's value three ways: as stored (JSON-able), as its widget holds it, as text to read.

``to_widget`` / ``from_widget`` turn stored values into widget values and back (dates as ISO
strings when stored, ``datetime.date`` in the widget; decimals as strings; tags as lines).
``display_text`` and ``option_format`` are how a value reads in the read-only view and in
choice widgets. No Streamlit here.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Mapping
from typing import Any

from forms.specs import FieldSpec
from i18n import Lang, t
from i18n.numbers import format_percent


def to_widget(spec: FieldSpec, raw: Any) -> Any:
    """The widget value that shows ``raw`` (a JSON-able value of the field); None if unusable."""
    kind = spec.kind
    if kind in ("text", "textarea"):
        return "" if raw is None else str(raw)
    if kind == "tags":
        return "\n".join(str(item) for item in raw) if isinstance(raw, list) else ""
    if kind == "int":
        return raw if isinstance(raw, int) and not isinstance(raw, bool) else None
    if kind in ("float", "decimal"):
        return to_float(raw)
    if kind == "bool":
        return bool(raw) if isinstance(raw, bool) else False
    if kind in ("date", "datetime", "time"):
        return parse_temporal(kind, raw)
    if kind in ("select", "radio"):
        value = raw.value if spec.enum_type and isinstance(raw, spec.enum_type) else raw
        return value if value in spec.options else None
    if kind == "multiselect":
        return [v for v in raw if v in spec.options] if isinstance(raw, list) else []
    return raw


def from_widget(spec: FieldSpec, value: Any) -> Any:
    """The JSON-able value of the field whose widget shows ``value``."""
    kind = spec.kind
    if kind in ("text", "textarea"):
        text = value or ""
        return None if spec.optional and text == "" else text
    if kind == "tags":
        return [line.strip() for line in str(value or "").splitlines() if line.strip()]
    if value is None:
        return None
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    if kind == "decimal":
        return str(decimal.Decimal(str(value)))
    if isinstance(value, dt.date | dt.time | dt.datetime):
        return value.isoformat()
    if kind == "multiselect":
        return list(value)
    return value


def to_float(raw: Any) -> float | None:
    """A number (or a numeric string) as a float; None for anything else, booleans included."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float | decimal.Decimal):
        return float(raw)
    if isinstance(raw, str):
        try:
            return float(decimal.Decimal(raw))
        except (decimal.InvalidOperation, ValueError):
            return None
    return None


def parse_temporal(kind: str, raw: Any) -> Any:
    """``raw`` as the date, datetime or time ``kind`` names (ISO strings parsed); else None."""
    if kind == "datetime":
        if isinstance(raw, dt.datetime):
            return raw
        parse: Callable[[str], Any] = dt.datetime.fromisoformat
    elif kind == "date":
        if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
            return raw
        parse = dt.date.fromisoformat
    else:
        if isinstance(raw, dt.time):
            return raw
        parse = dt.time.fromisoformat
    if isinstance(raw, str):
        try:
            return parse(raw)
        except ValueError:
            return None
    return None


def option_format(spec: FieldSpec, lang: Lang) -> Callable[[Any], str]:
    """How a select, radio or multiselect shows each stored value to a ``lang`` reader."""
    empty = t("forms.option.empty", lang)

    def show(option: Any) -> str:
        if option == "" or option is None:
            return empty
        return spec.option_text(option, lang)

    return show


def display_text(spec: FieldSpec, value: Any, lang: Lang) -> str:
    """A stored value as the read-only view shows it (not yet Markdown-escaped)."""
    if value is None or value == "" or value == []:
        return t("forms.readonly.empty", lang)
    if isinstance(value, bool):
        return t("forms.readonly.yes" if value else "forms.readonly.no", lang)
    if spec.kind == "file" and isinstance(value, list):
        return "、".join(str(a.get("name", "")) for a in value if isinstance(a, Mapping))
    if spec.options:
        show = option_format(spec, lang)
        if isinstance(value, list):
            return "、".join(show(v) for v in value)
        return show(value)
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if spec.percent and isinstance(value, int | float):
        return format_percent(value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
