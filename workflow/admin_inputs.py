"""What the admin screens draw (with ``forms.renderer``) and how it becomes a record.

Each model here reuses the fields of the record it edits (``workflow.models``), so a bound
(a branch's member count 1–1000, a campaign's year 2000–2100 …) and a label live once, in the
record model; the screen shows them as the widgets' limits and hints, and the services refuse
the same values. Only the shape differs where a record holds what a form cannot draw: a
campaign's stage dates are a dict by stage (here one section per stage) and its settings carry
award quotas no admin screen edits yet; an account's branch is picked from the branches
there are, so its model is made for them (``account_inputs``).
"""

from __future__ import annotations

import functools
from typing import Any, Literal

from pydantic import BaseModel, create_model

from forms.fields import field
from forms.launch import CENTRAL_WORK_EN, CentralWork
from i18n import t
from workflow.models import (
    BranchFields,
    Campaign,
    CampaignFields,
    CampaignSettingsFields,
    Role,
    Stage,
    StageDates,
    User,
)
from workflow.passwords import MIN_PASSWORD_LENGTH

NEW_BRANCH: dict[str, Any] = {"member_count": 10}
NEW_ACCOUNT: dict[str, Any] = {"role": Role.BRANCH.value, "branch_id": ""}
NO_BRANCH = ""  # the branch choice of accounts tied to none (reviewers, admins, readers)


class BranchInput(BranchFields):
    """A branch on the admin screen: its central-work ties picked from the known ones."""

    central_work: list[CentralWork] = field(  # type: ignore[assignment]
        t("workflow.field.central_work", "zh"),
        en=t("workflow.field.central_work", "en"),
        widget="multiselect",
        options_en=CENTRAL_WORK_EN,
        default_factory=list,
    )


_stage_sections: dict[str, Any] = {
    stage.value: (
        StageDates,
        field(
            t(f"stage.{stage.value}", "zh"),
            en=t(f"stage.{stage.value}", "en"),
            default_factory=StageDates,
        ),
    )
    for stage in Stage
}
# One section per stage, named by its value: the paths (``stage_dates.launch.end``) are the
# record's, so the services' errors land at the right field.
StageDatesInput: type[BaseModel] = create_model("StageDatesInput", **_stage_sections)


class CampaignInput(CampaignFields):
    """A campaign on the admin screen: one section of dates per stage, then its settings."""

    stage_dates: StageDatesInput = field(
        t("workflow.field.stage_dates", "zh"),
        en=t("workflow.field.stage_dates", "en"),
        default_factory=StageDatesInput,
    )
    settings: CampaignSettingsFields = field(
        t("workflow.field.settings", "zh"),
        en=t("workflow.field.settings", "en"),
        default_factory=CampaignSettingsFields,
    )


def campaign_input(campaign: Campaign | None, year: int) -> dict[str, Any]:
    """The data the campaign screen starts from: ``campaign``'s, or a new one for ``year``."""
    if campaign is None:
        return {"year": year}
    return campaign.model_dump(mode="json")


def campaign_record(values: dict[str, Any], campaign: Campaign | None) -> dict[str, Any]:
    """The campaign the screen's ``values`` describe, over ``campaign`` when one is edited:
    stages without dates are left out, settings the screen does not show are kept."""
    dates = values.get("stage_dates") or {}
    settings = campaign.settings.model_dump() if campaign else {}
    return {
        **(campaign.model_dump() if campaign else {}),
        **values,
        "stage_dates": {
            stage: span
            for stage, span in dates.items()
            if isinstance(span, dict) and (span.get("start") or span.get("end"))
        },
        "settings": {**settings, **(values.get("settings") or {})},
    }


def _password() -> Any:
    key = "workflow.field.password"
    return (
        str,
        field(
            t(key, "zh"),
            en=t(key, "en"),
            help=t(f"{key}_help", "zh", n=MIN_PASSWORD_LENGTH),
            help_en=t(f"{key}_help", "en", n=MIN_PASSWORD_LENGTH),
            widget="password",
        ),
    )


def _one_of(values: tuple[str, ...]) -> Any:
    """``Literal[values]`` for values known only at run time (the choices of a select)."""
    return Literal.__getitem__(values)


def _user_fields(*names: str) -> dict[str, Any]:
    return {name: (User.model_fields[name].annotation, User.model_fields[name]) for name in names}


@functools.lru_cache(maxsize=8)
def account_inputs(
    branches: tuple[tuple[str, str], ...], logins: tuple[str, ...]
) -> tuple[type[BaseModel], type[BaseModel], type[BaseModel]]:
    """The account screen's models for these branches (id, name) and accounts: a new
    account (with its first password), an account's changes, and a password reset."""
    branch_key = "workflow.field.branch_id"
    names = dict(branches)
    branch = (
        _one_of((NO_BRANCH, *names)),
        field(
            t(branch_key, "zh"),
            en=t(branch_key, "en"),
            options_zh=names,
            options_en=names,
            default=NO_BRANCH,
        ),
    )
    create = create_model(
        "AccountCreateInput",
        **_user_fields("login", "display_name", "role"),
        branch_id=branch,
        password=_password(),
    )
    edit = create_model(
        "AccountEditInput",
        **_user_fields("display_name", "role"),
        branch_id=branch,
        **_user_fields("active"),
    )
    login_key = "workflow.field.login"
    reset = create_model(
        "PasswordResetInput",
        login=(_one_of(logins), field(t(login_key, "zh"), en=t(login_key, "en"))),
        password=_password(),
    )
    return create, edit, reset
