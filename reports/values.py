"""Field values as the short strings a report prints (dates, numbers, yes/no, empty as "—")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from i18n import Lang, t

EMPTY = "—"


def is_empty(value: Any) -> bool:
    """True for values printed as "—": None, blank strings and empty collections."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, list | tuple | dict | set) and not value


def format_number(value: float) -> str:
    """A number without a trailing ``.0`` and without float noise."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):d}"
    return f"{value:.4f}".rstrip("0").rstrip(".")


def format_value(value: Any, lang: Lang = "zh", labels: dict[str, str] | None = None) -> str:
    """``value`` as printed text; ``labels`` maps stored codes (e.g. ``launch``) to display text."""
    if is_empty(value):
        return EMPTY
    if isinstance(value, bool):
        return t("reports.value.yes" if value else "reports.value.no", lang)
    if isinstance(value, int | float):
        return format_number(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return (", " if lang == "en" else "、").join(format_value(i, lang, labels) for i in value)
    if isinstance(value, dict):
        pairs = [(k, format_value(v, lang, labels)) for k, v in value.items()]
        if lang == "en":
            return "; ".join(f"{k}: {v}" for k, v in pairs)
        return "；".join(f"{k}：{v}" for k, v in pairs)
    text = str(value)
    return (labels or {}).get(text, text)


def format_size(size: Any) -> str:
    """A byte count as B / KB / MB."""
    try:
        number = float(size)
    except (TypeError, ValueError):
        return EMPTY
    for unit in ("B", "KB"):
        if number < 1024:
            return f"{format_number(round(number, 1))} {unit}"
        number /= 1024
    return f"{format_number(round(number, 1))} MB"
