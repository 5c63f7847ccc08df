"""The register of a campaign's demo sites: the quota on approvals and each site's state.

Approving an application whose form type declares an ``approval_quota`` first reserves a place
here (``reserve``), then marks the submission approved; a failed approval gives the place back
(``release``) only when that call added the site and no later approval of the same application
has reserved it since (each reservation stamps the site with its own claim), so two reviewers
approving the same application at once never lose the site the winner's approval stands on.
The register is one document per campaign and quota setting, changed only by
``store_calls.change_document``: the count is read and the site added in one revision-checked
write, so two reviewers approving at the same moment cannot both take the last place, on any
backend and across app processes. A reserved site whose approval did not get stored (the process
died in between) is taken as approved when a reviewer approves it again.
"""

from __future__ import annotations

import builtins
import uuid
from collections.abc import Callable

from forms.form_type import FormType
from i18n import t
from storage.base import Document, Repository
from workflow import permissions
from workflow.campaigns import CampaignService
from workflow.clock import now_iso
from workflow.demo_site_states import (
    BRANCH_ACTIONS,
    TRANSITIONS,
    Action,
    DemoSite,
    SiteRegister,
    SiteStep,
)
from workflow.errors import InvalidTransition, NotFound, QuotaExceeded, ValidationFailed
from workflow.models import Campaign, Submission, User
from workflow.store_calls import change_document

KIND = "demo_site_registers"


def quota_of(campaign: Campaign, setting: str) -> int:
    """The campaign's value of the quota setting ``setting`` (e.g. ``demo_site_quota``)."""
    return int(getattr(campaign.settings, setting))


class DemoSiteRegister:
    """Reserve, release and advance demo sites; read the sites of a campaign."""

    def __init__(self, repo: Repository, campaigns: CampaignService) -> None:
        self.repo = repo
        self.campaigns = campaigns

    # -- reading ---------------------------------------------------------------------------

    def register(self, campaign_id: str, setting: str) -> SiteRegister:
        """The register of ``campaign_id`` under ``setting`` (empty before the first approval)."""
        doc = self.repo.get(KIND, _register_id(campaign_id, setting))
        if doc is None:
            return SiteRegister(campaign_id=campaign_id, quota_setting=setting)
        return SiteRegister.model_validate(doc)

    def sites(self, campaign_id: str) -> builtins.list[DemoSite]:
        """Every approved demo site of the campaign, in the order they were approved."""
        found = [
            site
            for doc in self.repo.find(KIND, {"campaign_id": campaign_id})
            for site in SiteRegister.model_validate(doc).sites
        ]
        return sorted(found, key=lambda s: s.approved_at)

    def site(self, campaign_id: str, submission_id: str) -> DemoSite:
        """One approved site; ``NotFound`` when the application was not approved."""
        for site in self.sites(campaign_id):
            if site.submission_id == submission_id:
                return site
        raise NotFound(KIND, submission_id)

    # -- the quota -------------------------------------------------------------------------

    def reserve(self, actor: User, submission: Submission, form: FormType) -> str | None:
        """Take one of the campaign's places for ``submission`` (idempotent per submission);
        ``QuotaExceeded`` naming the quota and the sites holding it when none is left.

        Returns the claim to hand to ``release`` when this call added the site, None when the
        site was already there (another approval of the same application reserved it, or one
        whose approval was never stored) or the form type has no quota. Either way the site is
        stamped with this call's claim, so an earlier caller no longer gives it back.
        """
        setting = form.approval_quota
        if setting is None:
            return None
        claim = uuid.uuid4().hex
        added = False
        campaign = self.campaigns.get(submission.campaign_id)
        quota = quota_of(campaign, setting)
        title = str(submission.data.get("title") or "")

        def take(doc: Document) -> Document:
            nonlocal added
            register = SiteRegister.model_validate(doc)
            held = register.site(submission.id)
            if held is not None:
                added = False
                held.claim = claim
                return register.model_dump(mode="json")
            if len(register.sites) >= quota:
                taken = "、".join(s.title or s.branch_id for s in register.sites) or "-"
                raise QuotaExceeded.keyed(
                    "demo_sites.quota_full", actor.lang, quota=quota, taken=taken
                )
            step = SiteStep(action="approve", by=actor.login, at=now_iso())
            site = DemoSite(
                submission_id=submission.id,
                branch_id=submission.branch_id,
                title=title,
                steps=[step],
                claim=claim,
            )
            register.sites.append(site)
            added = True
            return register.model_dump(mode="json")

        self._change(actor, submission.campaign_id, setting, take)
        return claim if added else None

    def release(self, actor: User, submission: Submission, form: FormType, claim: str) -> None:
        """Give back the place a ``reserve`` returning ``claim`` added, when the approval itself
        was not stored; a site another approval has reserved since (its claim differs) stays."""
        setting = form.approval_quota
        if setting is None:
            return

        def give_back(doc: Document) -> Document:
            register = SiteRegister.model_validate(doc)
            register.sites = [
                s
                for s in register.sites
                if not (s.submission_id == submission.id and s.claim == claim)
            ]
            return register.model_dump(mode="json")

        self._change(actor, submission.campaign_id, setting, give_back)

    # -- 立项 → 实施 → 验收 -------------------------------------------------------------------

    def advance(
        self, actor: User, campaign_id: str, submission_id: str, action: Action, text: str = ""
    ) -> DemoSite:
        """Take the step ``action`` (start, report, accept, return) of a site.

        The site's branch starts it and reports (the outcome report is ``text``); a reviewer
        not of that branch accepts or returns it (reasons in ``text``). ``PermissionDenied``
        for anyone else, ``InvalidTransition`` from the wrong state, ``ValidationFailed`` when
        a report or the reasons of a return are empty.
        """
        if action not in TRANSITIONS:
            raise ValueError(f"unknown demo-site step {action!r}")
        site = self.site(campaign_id, submission_id)
        if action in BRANCH_ACTIONS:
            allowed = permissions.may_carry_out_demo_site(actor, site.branch_id)
            permissions.require(allowed, actor, "demo_sites.denied.carry_out")
        else:
            allowed = permissions.may_accept_demo_site(actor, site.branch_id)
            permissions.require(allowed, actor, "demo_sites.denied.accept")
        text = text.strip()
        if action in ("report", "return") and not text:
            raise ValidationFailed({"text": t(f"demo_sites.{action}.text_required", actor.lang)})
        source, target = TRANSITIONS[action]

        def step(doc: Document) -> Document:
            register = SiteRegister.model_validate(doc)
            current = register.site(submission_id)
            if current is None:
                raise NotFound(KIND, submission_id)
            if current.state != source:
                raise InvalidTransition.keyed(
                    "demo_sites.wrong_state",
                    actor.lang,
                    state=t(f"demo_sites.state.{current.state.value}", actor.lang),
                    action=t(f"demo_sites.action.{action}", actor.lang),
                )
            current.state = target
            if action == "report":
                current.outcome_report = text
            current.steps.append(SiteStep(action=action, by=actor.login, at=now_iso(), text=text))
            return register.model_dump(mode="json")

        setting = self._setting_holding(campaign_id, submission_id)
        stored = SiteRegister.model_validate(self._change(actor, campaign_id, setting, step))
        result = stored.site(submission_id)
        assert result is not None
        return result

    # -- internals -------------------------------------------------------------------------

    def _setting_holding(self, campaign_id: str, submission_id: str) -> str:
        for doc in self.repo.find(KIND, {"campaign_id": campaign_id}):
            register = SiteRegister.model_validate(doc)
            if register.site(submission_id) is not None:
                return register.quota_setting
        raise NotFound(KIND, submission_id)

    def _change(
        self,
        actor: User,
        campaign_id: str,
        setting: str,
        change: Callable[[Document], Document],
    ) -> Document:
        empty = SiteRegister(campaign_id=campaign_id, quota_setting=setting)
        return change_document(
            self.repo,
            KIND,
            _register_id(campaign_id, setting),
            change,
            actor=actor.login,
            empty=empty.model_dump(mode="json", exclude={"id", "rev", "updated_at", "updated_by"}),
        )


def _register_id(campaign_id: str, setting: str) -> str:
    return f"{campaign_id}.{setting}"
