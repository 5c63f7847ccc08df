"""Server-side validation of form data, with errors in the user's language at each field.

``validate(model, data)`` never raises on bad data: it returns the model instance (or None) and
the errors keyed by dotted field path (``items.0.owner``; ``""`` for the form as a whole;
``schedule.0`` for a repeat-group row). Before validation, fields whose ``relevant`` condition
does not hold are dropped and ``calculate`` fields are filled in, so the server computes what the
browser showed and stores nothing the user could not see.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from core.storable import MAX_DEPTH, find_unstorable
from forms.explain import explain
from forms.expressions import calculate, is_relevant
from forms.specs import FieldSpec, describe, path_label
from i18n import Lang, t

ROOT = ""


def prepare(model: type[BaseModel], data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` as it will be validated and stored: hidden fields dropped, calculations filled,
    computed properties removed. Keys the model does not know are kept (validation names them)."""
    return _prepare_scope(model, data, {})


def _prepare_scope(
    model: type[BaseModel], values: Mapping[str, Any], outer: Mapping[str, Any]
) -> dict[str, Any]:
    specs = describe(model)
    scope = {**outer, **values}
    prepared: dict[str, Any] = {}
    calculated: list[FieldSpec] = []
    for spec in specs:
        if spec.kind == "computed" or not is_relevant(spec, scope):
            continue
        if spec.calculate:
            calculated.append(spec)
            continue
        if spec.name not in values:
            continue
        value = values[spec.name]
        if spec.kind == "section" and spec.model is not None and isinstance(value, Mapping):
            value = _prepare_scope(spec.model, value, scope)
        elif spec.kind == "repeat" and spec.model is not None and isinstance(value, list):
            value = [
                _prepare_scope(spec.model, row, scope) if isinstance(row, Mapping) else row
                for row in value
            ]
        prepared[spec.name] = value
    known = {spec.name for spec in specs}
    prepared.update({k: v for k, v in values.items() if k not in known})
    # Calculations see the prepared values of their scope (rows already cleaned).
    for spec in calculated:
        value = calculate(spec, {**outer, **prepared})
        if value is not None or spec.optional:
            prepared[spec.name] = value
    return prepared


def validate(
    model: type[BaseModel], data: Any, lang: Lang = "zh", *, stored: bool = False
) -> tuple[BaseModel | None, dict[str, str]]:
    """Validate ``data`` against ``model``: ``(instance, {})`` or ``(None, errors)``.

    Errors are keyed by dotted path (``""`` for the whole form) and say, in ``lang``, which field
    is wrong and how to fix it. Never raises on bad data. ``stored``: ``data`` was read back
    from the store, which refuses what it cannot hold on every write, so the walk looking for
    unstorable text is skipped (it is a third of re-checking a stored form).
    """
    if not isinstance(data, Mapping):
        return None, {ROOT: t("forms.error.not_a_form", lang)}
    unstorable = {} if stored else unstorable_errors(model, data, lang)
    if unstorable:
        return None, unstorable
    try:
        instance = model.model_validate(prepare(model, data))
    except ValidationError as error:
        return None, explain(error, model, lang)
    return instance, {}


def unstorable_errors(model: type[BaseModel], data: Any, lang: Lang = "zh") -> dict[str, str]:
    """``{dotted path: message}`` for the first text no store can hold (a NUL character, half a
    surrogate pair) or nesting deeper than ``core.storable.MAX_DEPTH``; ``{}`` when all can be
    stored. The same on every backend: see ``core.storable``."""
    found = find_unstorable(data)
    if found is None:
        return {}
    if found.reason == "depth":  # at the field: no input exists that deep
        field = found.path[:1]
        name = path_label(model, field, lang)
        return {
            ".".join(map(str, field)): t("forms.error.too_deep", lang, field=name, depth=MAX_DEPTH)
        }
    name = path_label(model, found.path, lang)
    if found.reason == "number":
        return {
            ".".join(str(part) for part in found.path): t(
                "forms.error.bad_number", lang, field=name
            )
        }
    return {
        ".".join(str(part) for part in found.path): t(
            "forms.error.unstorable", lang, field=name, position=found.position, code=found.code
        )
    }
