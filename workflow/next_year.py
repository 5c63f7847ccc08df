"""The next year's campaign (长效机制): started from the last one, and last year's weak points
shown to each branch beside this year's plan.

A new campaign starts from an earlier one (从模板开始: its settings — quotas, ratios, budget —,
the rule-set and form versions it used and the branches taking part; its stage dates move on by
the years between them) or from the shipped template; it records the versions it uses.
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
from rules.engine import shipped_rulesets
from storage.base import Repository
from workflow import demo_data, permissions
from workflow.branches import BranchService
from workflow.campaigns import CampaignService
from workflow.errors import NotFound, ValidationFailed
from workflow.form_definitions import source_of
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

    def rule_set_versions(self) -> dict[str, int]:
        """Each rule set's version in force now: its latest published number, else 0 (the
        file shipped in ``rules/``)."""
        return {name: self.rule_sets.number_in_force(name) for name in self.rule_sets.names()}

    def form_versions(self) -> dict[str, int]:
        """Each form type's current version."""
        return {ft.name: ft.model.form_version for ft in self.forms.form_types()}

    def shipped_versions(self) -> tuple[dict[str, int], dict[str, int]]:
        """The shipped template's rule-set and form versions: every rule file in ``rules/``
        (0) and each form type's latest version that came with the system (not an admin's)."""
        rules = {path.stem: 0 for path in shipped_rulesets()}
        forms: dict[str, int] = {}
        for form_type in self.forms.form_types():
            shipped = [v for v in form_type.versions if source_of(form_type.at(v)) != "stored"]
            if shipped:
                forms[form_type.name] = shipped[-1]
        return rules, forms

    def start_next(self, actor: User, year: int, title: str) -> Campaign:
        """``start_from`` the latest campaign before ``year``; ``ValidationFailed`` when there
        is none."""
        earlier = [c for c in self.campaigns.list() if c.year < year]
        if not earlier:
            permissions.require(
                permissions.may_manage_campaigns(actor), actor, "workflow.denied.campaigns"
            )
            message = t("workflow.campaign.no_previous", actor.lang, year=year)
            raise ValidationFailed({"year": message}, actor.lang)
        return self.start_from(actor, year, title, earlier[0].id)

    def start_from(self, actor: User, year: int, title: str, source_id: str | None) -> Campaign:
        """从模板开始 (admins only): a new campaign for ``year`` from campaign ``source_id`` —
        its settings, branches (every current branch when it named none), the rule-set and
        form versions it used (those in force now for any it did not record), stage dates
        moved on by the years between them — or, with None, from the shipped template (the
        standard stage dates and settings, the shipped rule files and form versions, every
        branch). Either way the new campaign records every version it uses, and those check
        and shape its forms; its stage is 启动. ``ValidationFailed`` as ``create`` (a year
        already taken), ``NotFound`` for an unknown source."""
        permissions.require(
            permissions.may_manage_campaigns(actor), actor, "workflow.denied.campaigns"
        )
        every_branch = [b.id for b in self.branches.list()]
        if source_id is None:
            template = demo_data.campaign(year)
            rules, forms = self.shipped_versions()
            base = {
                "stage_dates": template["stage_dates"],
                "settings": template["settings"],
                "branch_ids": every_branch,
                "rule_set_versions": rules,
                "form_versions": forms,
            }
        else:
            source = self.campaigns.get(source_id)
            shift = year - source.year
            base = {
                "stage_dates": {
                    stage: _moved(span, shift) for stage, span in source.stage_dates.items()
                },
                "settings": source.settings.model_dump(),
                "previous_campaign_id": source.id,
                "branch_ids": source.branch_ids or every_branch,
                "rule_set_versions": {**self.rule_set_versions(), **source.rule_set_versions},
                "form_versions": {**self.form_versions(), **source.form_versions},
            }
        return self.campaigns.create(
            actor, {"year": year, "title": title, "stage": Stage.LAUNCH, **base}
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
