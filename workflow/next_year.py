"""The next year's campaign (长效机制): started from the last one, and last year's weak points
shown to each branch beside this year's plan.

A new campaign copies the last one's settings (quotas, ratios, budget), the rule-set versions
it recorded and the branches taking part; its stage dates move on by the years between them.
A form type whose ``recalls_weak_points`` is set shows, to its own branch only, what the
branch named as its weak points (the field a form type names in ``weak_points``, e.g. the
summary's 不足之处) in its last submitted version of the previous campaign.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from forms.registry import FormRegistry
from forms.specs import field_spec
from i18n import t
from rules.errors import RuleLoadError, RuleSetNotFound
from storage.base import Repository
from workflow import permissions
from workflow.branches import BranchService
from workflow.campaigns import CampaignService
from workflow.errors import NotFound, ValidationFailed
from workflow.models import Campaign, Stage, StageDates, Submission, User
from workflow.rule_sets import RuleSetService
from workflow.similarity_corpus import submitted_data
from workflow.statistics import COUNTED


@dataclass(frozen=True)
class WeakPoint:
    """What a branch wrote as its weak points in a form of an earlier campaign."""

    year: int
    form_type: str
    label: str  # the field's label, in the asker's language
    text: str


class NextYearService:
    """Start a campaign from the last one; recall a branch's weak points of last year."""

    def __init__(
        self,
        repo: Repository,
        campaigns: CampaignService,
        branches: BranchService,
        rule_sets: RuleSetService,
        forms: FormRegistry,
    ) -> None:
        """``forms``: which form types name weak points and which recall them."""
        self.repo = repo
        self.campaigns = campaigns
        self.branches = branches
        self.rule_sets = rule_sets
        self.forms = forms

    def rule_set_versions(self) -> dict[str, str]:
        """Each rule set's version in force now, as ``version · hash`` (first 8 characters)."""
        versions: dict[str, str] = {}
        for name in self.rule_sets.names():
            try:
                rules = self.rule_sets.in_force(name)
            except (RuleSetNotFound, RuleLoadError):  # one broken set must not block a year
                continue
            version = rules.ruleset.version if rules.ruleset is not None else ""
            versions[name] = f"{version} · {rules.hash[:8]}" if version else rules.hash[:8]
        return versions

    def start_next(self, actor: User, year: int, title: str) -> Campaign:
        """A new campaign for ``year`` copying the latest campaign before it (admins only):
        its settings, rule-set versions (those in force now when it recorded none) and
        branches (every current branch when it named none), stage dates moved on, stage
        back to 启动. ``ValidationFailed`` when no earlier campaign exists, or as ``create``
        (a year already taken)."""
        earlier = [c for c in self.campaigns.list() if c.year < year]
        if not earlier:
            permissions.require(
                permissions.may_manage_campaigns(actor), actor, "workflow.denied.campaigns"
            )
            message = t("workflow.campaign.no_previous", actor.lang, year=year)
            raise ValidationFailed({"year": message}, actor.lang)
        last = earlier[0]
        shift = year - last.year
        return self.campaigns.create(
            actor,
            {
                "year": year,
                "title": title,
                "stage": Stage.LAUNCH,
                "stage_dates": {
                    stage: _moved(span, shift) for stage, span in last.stage_dates.items()
                },
                "settings": last.settings.model_dump(),
                "previous_campaign_id": last.id,
                "branch_ids": last.branch_ids or [b.id for b in self.branches.list()],
                "rule_set_versions": last.rule_set_versions or self.rule_set_versions(),
            },
        )

    def weak_points(
        self, actor: User, campaign_id: str, form_type: str, branch_id: str
    ) -> list[WeakPoint]:
        """Last campaign's weak points of ``branch_id`` to show beside ``form_type`` (empty
        when the form type recalls none, or nothing was submitted). Only that branch's own
        staff may ask: it is their reminder, not a public record."""
        permissions.require(
            permissions.may_edit_branch_forms(actor, branch_id), actor, "workflow.denied.edit"
        )
        if not self.forms.form_type(form_type).recalls_weak_points:
            return []
        found = self.repo.get("campaigns", campaign_id)
        if found is None:
            raise NotFound("campaigns", campaign_id)
        previous = self.campaigns.previous(Campaign.model_validate(found))
        if previous is None:
            return []
        points: list[WeakPoint] = []
        for source in self.forms.form_types(lambda ft: ft.weak_points is not None):
            field_name = str(source.weak_points)
            records = self.repo.find(
                "submissions",
                {"campaign_id": previous.id, "branch_id": branch_id, "form_type": source.name},
            )
            sent = [Submission.model_validate(d) for d in records]
            sent = [s for s in sent if s.status in COUNTED and s.versions]
            for record in sent:
                text = str(submitted_data(record).get(field_name) or "").strip()
                spec = field_spec(self.forms.get(source.name, record.form_version), field_name)
                if text and spec is not None:
                    points.append(
                        WeakPoint(previous.year, source.name, spec.label(actor.lang), text)
                    )
        return points


def _moved(span: StageDates, years: int) -> dict[str, dt.date | None]:
    return {"start": _plus_years(span.start, years), "end": _plus_years(span.end, years)}


def _plus_years(day: dt.date | None, years: int) -> dt.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a year without one
        return day.replace(year=day.year + years, day=28)
