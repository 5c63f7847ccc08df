"""A submission's data as stored, checked and seen: the JSON form of what was typed, what rules
see of it, a version's data, the text another role may read, the revision check before a
write, and the fixed id of a branch's one-per-campaign form."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from pydantic_core import PydanticSerializationError, to_jsonable_python

from forms.base import FormModel
from forms.validation import prepare, unstorable_errors, validate
from i18n import Lang, t
from workflow import permissions
from workflow.errors import Conflict, ValidationFailed
from workflow.models import Submission, User

KIND = "submissions"
# A branch's one-per-campaign form (``FormType.one_per_campaign``) has an id derived from
# (campaign, branch, form type), so the store's unique key refuses a second one.
_ONE_PER_CAMPAIGN_IDS = uuid.UUID("6d1f3c1e-4a55-4c38-9a49-0b8f5e0e9a11")


def checked_data(
    model: type[FormModel], data: Mapping[str, Any], *, stored: bool = False
) -> dict[str, Any]:
    """What rules see of ``data``: the model's dump (defaults and computed fields filled) when
    the form is valid, else what was typed with hidden fields dropped. ``stored``: read back
    from the store (``forms.validation.validate``)."""
    instance, _ = validate(model, data, stored=stored)
    return instance.model_dump(mode="json") if instance else prepare(model, data)


def one_per_campaign_id(campaign_id: str, branch_id: str, form_type: str) -> str:
    """The id of a branch's one ``form_type`` of a campaign (``FormType.one_per_campaign``):
    the same for every session and process, so the store's unique id refuses a second one."""
    return uuid.uuid5(_ONE_PER_CAMPAIGN_IDS, f"{campaign_id}/{branch_id}/{form_type}").hex


def as_seen(actor: User, submission: Submission) -> Submission:
    """``submission`` as ``actor`` may read it: whole for its branch; for anyone else, text
    not yet submitted (a returned submission being revised) replaced by the version last
    submitted and its report (``permissions.may_view_content``)."""
    if permissions.may_view_content(actor, submission.branch_id, submission.status):
        return submission
    last = submission.versions[-1] if submission.versions else None
    return submission.model_copy(
        update={"data": last.data if last else {}, "report": last.report if last else None}
    )


def check_rev(submission: Submission, expected_rev: int) -> None:
    if submission.rev != expected_rev:
        raise Conflict(KIND, submission.id, expected_rev, submission.model_dump(mode="json"))


def jsonable(model: type[FormModel], data: Mapping[str, Any], lang: Lang) -> dict[str, Any]:
    """``data`` in its JSON form; ``ValidationFailed`` at the field for what no store can hold
    (``forms.validation.unstorable_errors``) or what has no JSON form."""
    unstorable = unstorable_errors(model, data, lang)
    if unstorable:
        raise ValidationFailed(unstorable)
    try:
        value = to_jsonable_python(dict(data))
    except (PydanticSerializationError, ValueError):
        raise ValidationFailed({"data": t("workflow.submission.not_jsonable", lang)}) from None
    if not isinstance(value, dict):
        raise ValidationFailed({"data": t("workflow.submission.not_jsonable", lang)})
    return value


def version_data(submission: Submission, version: int, lang: Lang) -> dict[str, Any]:
    for snapshot in submission.versions:
        if snapshot.version == version:
            return snapshot.data
    raise ValidationFailed({"version": t("workflow.submission.no_version", lang, version=version)})
