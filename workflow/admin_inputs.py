"""What the admin screens draw (with ``forms.renderer``) and how it becomes a record.

Each model here reuses the fields of the record it edits (``workflow.models``), so a bound
(a branch's member count 1–1000, a campaign's year 2000–2100 …) and a label live once, in the
record model; the screen shows them as the widgets' limits and hints, and the services refuse
the same values. Only the shape differs where a record holds what a form cannot draw: a
campaign's stage dates are a dict by stage (here one section per stage); its award quotas,
stored as three maps (``award_shares``, ``award_quotas``, ``branch_awards``), are one grid here,
an award a row, its share typed as a percentage (``AwardQuotaInput``); an account's branch is
picked from the branches there are, so its model is made for them (``account_inputs``).
"""

from __future__ import annotations

import functools
from typing import Any, Literal

from pydantic import BaseModel, ValidationError, create_model, field_validator, model_validator

from forms.errors import CrossFieldError
from forms.explain import explain
from forms.fields import field
from forms.launch import CENTRAL_WORK_EN, CentralWork
from i18n import Lang, t
from workflow.errors import ValidationFailed
from workflow.models import (
    BranchFields,
    Campaign,
    CampaignFields,
    CampaignSettings,
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


def _labelled(name: str, *, with_help: bool = False, **kwargs: Any) -> Any:
    key = f"workflow.field.{name}"
    if with_help:
        kwargs.update(help=t(f"{key}_help", "zh"), help_en=t(f"{key}_help", "en"))
    return field(t(key, "zh"), en=t(key, "en"), **kwargs)


MAX_AWARDS = 20


class AwardQuotaInput(BaseModel):
    """One award's places on the campaign screen: a share (percent of the campaign's branches
    for a branch award, else of their members) or a fixed number, never both."""

    award: str = _labelled("award_name", min_length=2, max_length=30)
    branch_award: bool = _labelled("branch_award", with_help=True, default=False)
    share_percent: float | None = _labelled(
        "award_share_percent", with_help=True, default=None, gt=0, le=100
    )
    places: int | None = _labelled("award_places", with_help=True, default=None, ge=0, le=1000)

    @field_validator("branch_award", mode="before")
    @classmethod
    def _unticked(cls, value: Any) -> Any:
        """A row added in the grid has its box neither ticked nor unticked: not ticked."""
        return False if value is None else value

    @model_validator(mode="after")
    def _one_base(self) -> AwardQuotaInput:
        if (self.share_percent is None) == (self.places is None):
            key = "workflow.awards.quota_one_base"
            raise CrossFieldError(
                t(key, "zh", award=self.award),
                fields=("share_percent", "places"),
                message_en=t(key, "en", award=self.award),
            )
        return self


class CampaignSettingsInput(CampaignSettingsFields):
    """A campaign's settings on the admin screen: the typed ones, then the award quotas."""

    awards: list[AwardQuotaInput] = _labelled(
        "award_quotas", with_help=True, widget="table", default_factory=list, max_length=MAX_AWARDS
    )

    @field_validator("awards")
    @classmethod
    def _each_award_once(cls, rows: list[AwardQuotaInput]) -> list[AwardQuotaInput]:
        seen: set[str] = set()
        for row in rows:
            name = row.award.strip()
            if name in seen:
                key = "workflow.awards.quota_twice"
                raise CrossFieldError(t(key, "zh", award=name), message_en=t(key, "en", award=name))
            seen.add(name)
        return rows


def award_rows(settings: CampaignSettings) -> list[dict[str, Any]]:
    """The award grid of ``settings``: each award with its share in percent where it has one
    (a share replaces the fixed number, so that number is not shown), else its fixed number."""
    names = [
        *settings.award_shares,
        *(a for a in settings.award_quotas if a not in settings.award_shares),
    ]
    return [
        {
            "award": name,
            "branch_award": name in settings.branch_awards,
            "share_percent": (
                round(settings.award_shares[name] * 100, 4)
                if name in settings.award_shares
                else None
            ),
            "places": settings.award_quotas.get(name)
            if name not in settings.award_shares
            else None,
        }
        for name in names
    ]


def award_settings(rows: list[AwardQuotaInput]) -> dict[str, Any]:
    """The stored maps of the award grid's rows (the inverse of ``award_rows``)."""
    return {
        "award_shares": {
            r.award.strip(): r.share_percent / 100 for r in rows if r.share_percent is not None
        },
        "award_quotas": {
            r.award.strip(): r.places
            for r in rows
            if r.share_percent is None and r.places is not None
        },
        "branch_awards": [r.award.strip() for r in rows if r.branch_award],
    }


class CampaignInput(CampaignFields):
    """A campaign on the admin screen: one section of dates per stage, then its settings."""

    stage_dates: StageDatesInput = field(
        t("workflow.field.stage_dates", "zh"),
        en=t("workflow.field.stage_dates", "en"),
        default_factory=StageDatesInput,
    )
    settings: CampaignSettingsInput = field(
        t("workflow.field.settings", "zh"),
        en=t("workflow.field.settings", "en"),
        default_factory=CampaignSettingsInput,
    )


def campaign_input(campaign: Campaign | None, year: int) -> dict[str, Any]:
    """The data the campaign screen starts from: ``campaign``'s, or a new one for ``year``."""
    if campaign is None:
        return {"year": year, "settings": {"awards": award_rows(CampaignSettings())}}
    data: dict[str, Any] = campaign.model_dump(mode="json")
    data["settings"] = {**data["settings"], "awards": award_rows(campaign.settings)}
    return data


def campaign_record(
    values: dict[str, Any], campaign: Campaign | None, lang: Lang = "zh"
) -> dict[str, Any]:
    """The campaign the screen's ``values`` describe, over ``campaign`` when one is edited:
    stages without dates are left out, settings the screen does not show are kept, the award
    grid becomes the stored quota maps. ``ValidationFailed`` at the grid's cell (a share out
    of range, an award in two rows, a row with both or neither of share and number)."""
    dates = values.get("stage_dates") or {}
    settings = campaign.settings.model_dump() if campaign else {}
    typed = dict(values.get("settings") or {})
    if "awards" in typed:
        try:
            rows = CampaignSettingsInput.model_validate({"awards": typed.pop("awards")}).awards
        except ValidationError as error:
            found = explain(error, CampaignSettingsInput, lang)
            raise ValidationFailed({f"settings.{p}": m for p, m in found.items()}, lang) from None
        typed.update(award_settings(rows))
    return {
        **(campaign.model_dump() if campaign else {}),
        **values,
        "stage_dates": {
            stage: span
            for stage, span in dates.items()
            if isinstance(span, dict) and (span.get("start") or span.get("end"))
        },
        "settings": {**settings, **typed},
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
