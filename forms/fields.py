"""Field metadata shared by every form model.

A form field carries, besides its Pydantic type and constraints, what the renderer, the PDF
builders and the rule engine need to present it: a Chinese label (``title``), an English label,
help text in both languages and presentation hints. They live in ``json_schema_extra`` so that
``python -m forms schema TYPE`` shows them too.

Keys of ``json_schema_extra`` understood across the code base:

``label_en`` / ``help_en``
    English label and help (the Chinese ones are ``title`` / ``description``).
``widget``
    ``text`` (default for str), ``textarea``, ``password`` (text typed hidden), ``select``,
    ``radio``, ``tags`` (list of free strings), ``multiselect``,
    ``table`` / ``cards`` (repeat groups), ``file``, ``readonly``.
``relevant``
    A rule-engine expression over the form's fields; the field is shown, validated and stored only
    when it holds (XLSForm's ``relevant``).
``calculate``
    A rule-engine expression whose value fills this read-only field (XLSForm's ``calculate``).
``accept`` / ``max_bytes``
    Allowed file suffixes and the size limit of attachments.
``options_en`` / ``options_zh``
    Display texts of a choice field's stored values (``{"校庆": "University anniversary"}``).
    The stored value never changes with the language; values without an entry show as stored.
``choices``
    A list of text whose values are picked from a list the server keeps, not from the model:
    ``"branches"`` offers the names of the other branches (a partner branch). The page hands
    the lists to the renderer (``render_form(..., choices=...)``) and the workflow refuses a
    value not on its list when the form is submitted.
``bound``
    The field's value is set by the server, not typed: ``"branch"`` binds it to the name of the
    submission's branch, ``"statistics"`` to the branch's figures counted from its records (see
    ``forms.binding``). The renderer shows it read-only.
``role``
    Only users of this role write the field (``"reviewer"``: 机关党委评分, 定级). Others see it
    read-only; the workflow refuses their changes (``workflow.field_roles``).
``percent``
    The value is a ratio (0–1) read as a percentage wherever it is shown (0.9167 → 91.7%).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field
from pydantic_core import PydanticUndefined


def field(
    label: str,
    *,
    en: str,
    help: str = "",
    help_en: str = "",
    widget: str | None = None,
    relevant: str | None = None,
    calculate: str | None = None,
    accept: list[str] | None = None,
    max_bytes: int | None = None,
    options_en: dict[str, str] | None = None,
    options_zh: dict[str, str] | None = None,
    bound: str | None = None,
    role: str | None = None,
    percent: bool = False,
    choices: str | None = None,
    default: Any = PydanticUndefined,
    default_factory: Any = None,
    **constraints: Any,
) -> Any:
    """Declare a form field with its labels and presentation hints (see module docstring)."""
    extra: dict[str, Any] = {"label_en": en}
    if help_en:
        extra["help_en"] = help_en
    for key, value in (
        ("widget", widget),
        ("relevant", relevant),
        ("calculate", calculate),
        ("accept", accept),
        ("max_bytes", max_bytes),
        ("options_en", options_en),
        ("options_zh", options_zh),
        ("bound", bound),
        ("role", role),
        ("percent", percent or None),
        ("choices", choices),
    ):
        if value is not None:
            extra[key] = value
    if default_factory is not None:
        return Field(
            default_factory=default_factory,
            title=label,
            description=help or None,
            json_schema_extra=extra,
            **constraints,
        )
    return Field(
        default, title=label, description=help or None, json_schema_extra=extra, **constraints
    )
