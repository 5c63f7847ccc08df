"""Campaigns (一期先锋工程): read by everyone, written by admins."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal

from i18n import Lang, t
from storage.base import Repository
from workflow import permissions
from workflow.admin_records import AdminRecordService
from workflow.errors import DomainError, ValidationFailed
from workflow.models import Campaign, User

KIND = "campaigns"
# The fields of a campaign recording the versions it uses (``Campaign``).
PinKind = Literal["rule_set_versions", "form_versions"]
# A check another service makes on a campaign before it is stored: field path → message.
CampaignCheck = Callable[[Campaign, Lang], Mapping[str, str]]
# Held while a campaign is checked and stored, and by every write its ``checks`` read (a grant
# from the budget): a budget lowered while a grant is written would otherwise pass its check
# on the granted sum read just before the grant landed.
SETTINGS_LOCK = "campaign-settings"


class CampaignService(AdminRecordService[Campaign]):
    """Campaigns in kind ``campaigns``; one per year, ``current()`` is the latest year."""

    kind = KIND
    model = Campaign
    may_manage = staticmethod(permissions.may_manage_campaigns)
    denied_key = "workflow.denied.campaigns"
    write_lock = SETTINGS_LOCK

    def __init__(self, repo: Repository) -> None:
        super().__init__(repo)
        # Checks of services whose records depend on a campaign's settings (the funding
        # ledger: the budget never below what was granted), run on every create, update and
        # restore; ``FundingService`` adds its own.
        self.checks: list[CampaignCheck] = []

    def list(self) -> list[Campaign]:
        """Every campaign, newest year first."""
        campaigns = [Campaign.model_validate(d) for d in self.repo.find(KIND)]
        return sorted(campaigns, key=lambda c: c.year, reverse=True)

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

    def adopt(self, actor: User, pins: PinKind, name: str, number: int) -> None:
        """A newly published version is the one the current campaign uses: where it records a
        version of ``name`` (``pins``: ``rule_set_versions`` or ``form_versions``), that pin
        moves to ``number``; earlier campaigns keep theirs, and so their forms' checks."""
        current = self.current()
        if current is None or name not in getattr(current, pins):
            return
        data = current.model_dump(mode="json")
        data[pins][name] = number
        self.update(actor, data, current.rev)

    def archive(self, actor: User, campaign_id: str) -> int:
        """Archive a closed campaign (admins only): its records become read-only and, on the
        TinyDB store, leave every process's memory for a file read on demand; every reading
        screen (同比, next-year copy, dossiers, audit) reads them as before. The current
        campaign stays open. Returns how many records moved (0: archived already)."""
        self._require_admin(actor)
        campaign = self.get(campaign_id)
        current = self.current()
        if current is not None and current.id == campaign.id:
            raise DomainError.keyed("workflow.campaign.archive_current", actor.lang)
        return self.repo.archive_campaign(campaign.id, actor=actor.login)

    def unarchive(self, actor: User, campaign_id: str) -> int:
        """Reopen an archived campaign (admins only) so its records can be changed again;
        returns how many records it has (0: it was not archived)."""
        self._require_admin(actor)
        return self.repo.unarchive_campaign(self.get(campaign_id).id, actor=actor.login)

    def archived(self) -> set[str]:
        """The ids of the archived campaigns."""
        return set(self.repo.archived_campaigns())

    def create(self, actor: User, campaign: Campaign | Mapping[str, Any]) -> Campaign:
        """Store a new campaign (admins only). ``ValidationFailed`` names the field: a year
        that already has a campaign, stage dates out of order, an unknown previous campaign."""
        return super().create(actor, campaign)

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
        for check in self.checks:
            errors.update(check(campaign, lang))
        if errors:
            raise ValidationFailed(errors)
