"""Display names of form fields, statuses, stages and decisions in the report's language."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from pydantic.fields import ComputedFieldInfo, FieldInfo

from forms.registry import FormRegistry, UnknownFormType, default_registry
from i18n import Lang, lookup, t
from reports.annotations import nested_model


def field_label(name: str, info: FieldInfo | ComputedFieldInfo, lang: Lang) -> str:
    """The field's Chinese ``title`` (its ``label_en`` in English), else its name."""
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    if lang == "en" and extra.get("label_en"):
        return str(extra["label_en"])
    return info.title or name


def split_path(path: str) -> list[str | int]:
    """``items.0.owner``, ``items[0].owner`` or ``items[].owner`` as its parts."""
    parts: list[str | int] = []
    for raw in re.split(r"[.\[\]]+", path):
        if raw in ("", "*"):
            continue
        parts.append(int(raw) if raw.isdigit() else raw)
    return parts


def model_path_label(
    model: type[BaseModel] | None, path: Sequence[str | int] | str, lang: Lang
) -> str:
    """A field path in words: ``items.1.owner`` → ``主要内容 第2项 责任人``.

    Names the model does not know are kept as they are; list indexes are 0-based in the path.
    """
    parts = split_path(path) if isinstance(path, str) else list(path)
    words: list[str] = []
    current = model
    for part in parts:
        if isinstance(part, int):
            words.append(t("reports.path.item", lang, n=part + 1))
            continue
        info = current.model_fields.get(part) if current is not None else None
        if info is not None and current is not None:
            words.append(field_label(part, info, lang))
            current = nested_model(info.annotation)
            continue
        computed = current.model_computed_fields.get(part) if current is not None else None
        words.append(field_label(part, computed, lang) if computed is not None else part)
        current = None
    return " ".join(words) or t("reports.path.form", lang)


def form_path_label(
    form_type: str | None,
    path: str,
    lang: Lang,
    form_version: int | None = None,
    forms: FormRegistry | None = None,
) -> str:
    """``model_path_label`` for a form type of ``forms`` (default ``default_registry()``; its
    ``form_version``, default the current one); paths are kept as is for unknown types."""
    try:
        model = (forms or default_registry()).get(form_type, form_version) if form_type else None
    except UnknownFormType:
        model = None
    return model_path_label(model, path, lang)


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
