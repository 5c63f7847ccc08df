"""Campaigns (一期先锋工程): read by everyone, written by admins."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from i18n import Lang, t
from storage.base import Repository
from workflow import permissions
from workflow.errors import NotFound, ValidationFailed
from workflow.model_errors import errors_by_field
from workflow.models import Campaign, User
from workflow.store_calls import stored_update

KIND = "campaigns"


class CampaignService:
    """Campaigns in kind ``campaigns``; one per year, ``current()`` is the latest year."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo

    def list(self) -> list[Campaign]:
        """Every campaign, newest year first."""
        campaigns = [Campaign.model_validate(d) for d in self.repo.find(KIND)]
        return sorted(campaigns, key=lambda c: c.year, reverse=True)

    def get(self, id: str) -> Campaign:
        """One campaign; raises ``NotFound``."""
        doc = self.repo.get(KIND, id)
        if doc is None:
            raise NotFound(KIND, id)
        return Campaign.model_validate(doc)

    def current(self) -> Campaign | None:
        """The campaign of the latest year, or None before the first one is created."""
        campaigns = self.list()
        return campaigns[0] if campaigns else None

    def previous(self, campaign: Campaign) -> Campaign | None:
        """The campaign before ``campaign``: its ``previous_campaign_id``, else the year before."""
        if campaign.previous_campaign_id:
            doc = self.repo.get(KIND, campaign.previous_campaign_id)
            return Campaign.model_validate(doc) if doc else None
        earlier = [c for c in self.list() if c.year < campaign.year]
        return earlier[0] if earlier else None

    def create(self, actor: User, campaign: Campaign | Mapping[str, Any]) -> Campaign:
        """Store a new campaign (admins only). ``ValidationFailed`` names the field: a year
        that already has a campaign, stage dates out of order, an unknown previous campaign."""
        permissions.require(
            permissions.may_manage_campaigns(actor), actor, "workflow.denied.campaigns"
        )
        new = self._parse(campaign, actor.lang)
        self._check(new, actor.lang, own_id=None)
        doc = new.model_dump(mode="json", exclude={"rev", "updated_at", "updated_by"})
        if not doc["id"]:
            del doc["id"]
        return Campaign.model_validate(self.repo.insert(KIND, doc, actor=actor.login))

    def update(
        self, actor: User, campaign: Campaign | Mapping[str, Any], expected_rev: int
    ) -> Campaign:
        """Replace a campaign's fields (admins only); raises ``Conflict`` on a stale revision."""
        permissions.require(
            permissions.may_manage_campaigns(actor), actor, "workflow.denied.campaigns"
        )
        new = self._parse(campaign, actor.lang)
        self.get(new.id)
        self._check(new, actor.lang, own_id=new.id)
        return Campaign.model_validate(
            stored_update(
                self.repo,
                KIND,
                new.model_dump(mode="json"),
                actor=actor.login,
                expected_rev=expected_rev,
            )
        )

    @staticmethod
    def _parse(campaign: Campaign | Mapping[str, Any], lang: Lang) -> Campaign:
        try:
            data = campaign.model_dump() if isinstance(campaign, Campaign) else dict(campaign)
            return Campaign.model_validate(data)
        except ValidationError as error:
            raise ValidationFailed(errors_by_field(error, lang)) from None

    def _check(self, campaign: Campaign, lang: Lang, own_id: str | None) -> None:
        errors: dict[str, str] = {}
        if any(c.year == campaign.year and c.id != own_id for c in self.list()):
            errors["year"] = t("workflow.campaign.year_taken", lang, year=campaign.year)
        for stage, dates in campaign.stage_dates.items():
            if dates.start and dates.end and dates.end < dates.start:
                stage_name = t(f"stage.{stage.value}", lang)
                errors[f"stage_dates.{stage.value}.end"] = t(
                    "workflow.campaign.dates_reversed", lang, stage=stage_name
                )
        previous = campaign.previous_campaign_id
        if previous and (previous == own_id or self.repo.get(KIND, previous) is None):
            errors["previous_campaign_id"] = t("workflow.campaign.previous_unknown", lang)
        if errors:
            raise ValidationFailed(errors)
