"""Form types with a PDF layout of their own, attached to a registry as ``pdf_builder`` hooks,
and ``print_form``, which prints any form with its own layout or else the generic one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Unpack

from forms.launch import Plan
from forms.registry import FormRegistry, default_registry
from reports.form import FormPrintOptions, build_form_pdf
from reports.plan import build_plan_pdf


def with_layouts(forms: FormRegistry) -> FormRegistry:
    """A copy of ``forms`` whose form types carry their dedicated PDF layouts."""
    out = forms.copy()
    out.attach(Plan, pdf_builder=build_plan_pdf)
    return out


def print_form(
    form_type: str, data: Mapping[str, Any], **options: Unpack[FormPrintOptions]
) -> bytes:
    """One filled form as PDF bytes: its form type's ``pdf_builder`` (in ``options["forms"]``,
    default ``default_registry()``) if it has one, else the generic layout (of
    ``form_version``, as it was filled in). Raises ``UnknownFormType``."""
    forms = options.get("forms") or default_registry()
    builder = forms.form_type(form_type).pdf_builder
    if builder is None:
        return build_form_pdf(form_type, data, **options)
    return builder(
        data,
        report=options.get("report"),
        reviews=options.get("reviews", ()),
        meta=options.get("meta"),
        lang=options.get("lang", "zh"),
    )
