"""Display names of form fields, statuses, stages and decisions in the report's language."""

from __future__ import annotations

from typing import Any

from forms.registry import FormRegistry, UnknownFormType, default_registry
from forms.specs import path_label
from i18n import Lang, lookup


def form_path_label(
    form_type: str | None,
    path: str,
    lang: Lang,
    form_version: int | None = None,
    forms: FormRegistry | None = None,
) -> str:
    """``forms.specs.path_label`` for a form type of ``forms`` (default ``default_registry()``;
    its ``form_version``, default the current one); paths are kept as is for unknown types."""
    try:
        model = (forms or default_registry()).get(form_type, form_version) if form_type else None
    except UnknownFormType:
        model = None
    return path_label(model, path, lang)


def form_title(
    form_type: str, lang: Lang, form_version: int | None = None, forms: FormRegistry | None = None
) -> str:
    """The title of a form type of ``forms`` (default ``default_registry()``; its
    ``form_version``, default the current one), or the type itself when unknown."""
    try:
        return (forms or default_registry()).form_type(form_type).title(lang, form_version)
    except UnknownFormType:
        return form_type


def coded(area: str, code: Any, lang: Lang) -> str:
    """The display text of a stored code (``status``/``stage``/``decision``…), else the code."""
    text = lookup(f"{area}.{code}", lang)
    return str(code) if text is None else text
