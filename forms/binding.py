"""Fields whose value the server decides, not the person filling the form.

Which branch a form belongs to is known from the account that writes it; a typed ``branch``
field could name any branch (and would then appear in PDFs and similarity messages). Such a
field is *bound*: the workflow overwrites it on every save and submit, and the renderer shows it
read-only. The same holds for figures computed from the branch's records: a summary's
``statistics`` section is bound to ``"statistics"`` and filled by the workflow from the records
of the submission's branch and campaign, never typed.

A top-level field is bound when

- its metadata says so (``forms.fields.field(..., bound="branch")``, the built-in models), or
- it is a text field named ``branch`` (forms defined in YAML, which carry no ``bound`` key: a
  field of that name is always the form's branch).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from forms.specs import FieldSpec, describe

BRANCH = "branch"
STATISTICS = "statistics"
SOURCES = frozenset({BRANCH, STATISTICS})
_TEXT_KINDS = frozenset({"text", "textarea"})


def bound_to(spec: FieldSpec) -> str | None:
    """What a top-level field is bound to (``"branch"``, ``"statistics"``), or None when it
    is typed."""
    source = spec.extra.get("bound")
    if isinstance(source, str) and source in SOURCES:
        return source
    if spec.name == BRANCH and spec.kind in _TEXT_KINDS:
        return BRANCH
    return None


def bound_fields(model: type[BaseModel]) -> dict[str, str]:
    """The bound top-level fields of ``model``: field name → what it is bound to."""
    found: dict[str, str] = {}
    for spec in describe(model):
        source = bound_to(spec)
        if source is not None:
            found[spec.name] = source
    return found


def bind(
    model: type[BaseModel], data: Mapping[str, Any], values: Mapping[str, Any]
) -> dict[str, Any]:
    """``data`` with every bound field set from ``values`` (``{"branch": "教务处党支部"}``).

    A source missing from ``values`` leaves the field as it is.
    """
    bound = dict(data)
    for name, source in bound_fields(model).items():
        if source in values:
            bound[name] = values[source]
    return bound
