"""Fields reserved to a role (``forms.fields.field(..., role="reviewer")``): 机关党委评分 and
总结定级 on a nomination are the committee's, not the branch's.

The renderer shows such a field read-only to other roles; here the workflow refuses any change
to it from a user who may not write it, whatever a client sends.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from forms.base import FormModel
from forms.specs import FieldSpec, describe
from i18n import t
from workflow import permissions
from workflow.models import Submission, User


def reserved_fields(model: type[FormModel]) -> dict[str, FieldSpec]:
    """The top-level fields of ``model`` reserved to a role: name → spec."""
    return {spec.name: spec for spec in describe(model) if spec.role is not None}


def require_field_role(actor: User, spec: FieldSpec, submission: Submission | None) -> None:
    """Raise ``PermissionDenied`` naming the field and who writes it unless ``actor`` may."""
    role = spec.role or ""
    permissions.require(
        permissions.may_write_reserved_field(actor, role, submission),
        actor,
        "workflow.denied.field_role",
        field=spec.label(actor.lang),
        role=t(f"role.{role}", actor.lang),
    )


def refuse_foreign_changes(
    actor: User,
    model: type[FormModel],
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    submission: Submission | None,
) -> None:
    """Raise ``PermissionDenied`` when ``after`` changes a reserved field ``actor`` may not
    write (a value left as it was stored, or as its default on a new form, is no change)."""
    for name, spec in reserved_fields(model).items():
        if after.get(name, spec.default) != before.get(name, spec.default):
            require_field_role(actor, spec, submission)
