"""What a widget tells the user about its field: its label with the required mark, a help line
with the field's limits, the number bounds and format, and why a picked file is refused.

Everything here is read from the field's ``FieldSpec`` (the model's constraints), so a bound
lives once, in the model. No Streamlit here.
"""

from __future__ import annotations

import datetime as dt
import decimal

from forms.markdown import escape_label
from forms.specs import FieldSpec
from i18n import Lang, t

DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)


def label(spec: FieldSpec, lang: Lang) -> str:
    """The field's label in ``lang`` for a widget (whose label renders Markdown: the label, an
    admin's text, is escaped), with the required mark when it must be filled."""
    mark = t("forms.required_mark", lang) if spec.required else ""
    return f"{escape_label(spec.label(lang))}{mark}"


def plain_label(spec: FieldSpec, lang: Lang) -> str:
    """``label`` as plain text, for places that do not render Markdown (table headers)."""
    mark = t("forms.required_mark", lang) if spec.required else ""
    return f"{spec.label(lang)}{mark}"


def help_text(spec: FieldSpec, lang: Lang) -> str | None:
    """The field's help and its limits (characters, range, one tag per line), or None."""
    parts = [spec.help(lang)]
    if spec.max_length and spec.kind in ("text", "textarea"):
        parts.append(t("forms.hint.max_chars", lang, n=spec.max_length))
    if spec.kind in ("int", "float", "decimal"):
        parts.append(bounds_hint(spec, lang))
    if spec.kind == "tags":
        parts.append(t("forms.hint.one_per_line", lang))
    text = " ".join(p for p in parts if p)
    return text or None


def bounds(spec: FieldSpec) -> tuple[float | None, float | None]:
    """The lowest and highest value a number field takes (inclusive bound first)."""
    low = spec.ge if spec.ge is not None else spec.gt
    high = spec.le if spec.le is not None else spec.lt
    return low, high


def bounds_hint(spec: FieldSpec, lang: Lang) -> str:
    """ "范围 0 – 20" for a number field with bounds; empty without."""
    low, high = bounds(spec)
    if low is None and high is None:
        return ""
    return t(
        "forms.hint.range",
        lang,
        low=_plain(low) if low is not None else "—",
        high=_plain(high) if high is not None else "—",
    )


def number_step(spec: FieldSpec) -> float:
    """The step of a number widget: the field's ``multiple_of``, else 1 or 0.01."""
    return spec.multiple_of or (1 if spec.kind == "int" else 0.01)


def number_format(spec: FieldSpec) -> str:
    """The printf format of a number widget: whole numbers for int fields, else as many
    decimals as ``multiple_of`` has (two without)."""
    if spec.kind == "int":
        return "%d"
    if spec.multiple_of:
        decimals = max(0, -decimal.Decimal(str(spec.multiple_of)).normalize().as_tuple().exponent)  # type: ignore[operator]
        return f"%.{decimals}f"
    return "%.2f"


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def file_hint(spec: FieldSpec, lang: Lang) -> str:
    """The file types and size an attachment field accepts, in words."""
    kinds = "、".join(spec.accept) if spec.accept else t("forms.file.any_type", lang)
    size = f"{(spec.max_bytes or 0) / 1024 / 1024:g} MB" if spec.max_bytes else "—"
    return t("forms.file.limits", lang, types=kinds, size=size)
