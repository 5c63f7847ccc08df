"""Demo sites (示范点, S5/S6): rank the applications, approve within the quota, follow each site.

Applications are the submissions of form types that ``found_demo_site``. The committee ranks
them by the priority their rule set grants (the bonus points for ties to 校庆 / 本科教学评估 /
学科建设 / 学位点建设), then by score, then by who applied first, with the rule messages as the
reasons; approval (立项) goes through ``SubmissionService.approve``, which holds the quota. A
site's page shows every account what it does for others (以点带面): its approved activities,
published news and joint work with other branches (``workflow.demo_site_showcase``).
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from forms.registry import FormRegistry
from rules.report import RuleReport
from workflow.branches import BranchService
from workflow.demo_site_register import DemoSiteRegister, quota_of
from workflow.demo_site_showcase import DemoSiteShowcase, SiteShowcase
from workflow.demo_site_states import Action, DemoSite
from workflow.models import Campaign, Status, Submission, User
from workflow.submissions import SubmissionService

# Applications a reviewer ranks: waiting for 立项, or approved.
RANKED = (Status.SUBMITTED, Status.APPROVED)


class Applicant(BaseModel):
    """One application in the ranking, with the reasons for its place."""

    submission: Submission
    priority: float = 0  # bonus points its rule set granted
    score: float | None = None
    reasons: list[str] = Field(default_factory=list)
    site: DemoSite | None = None  # set once approved

    @property
    def title(self) -> str:
        return str(self.submission.data.get("title") or "")


class DemoSiteService:
    """The committee's and the branches' side of demo sites."""

    def __init__(
        self,
        submissions: SubmissionService,
        register: DemoSiteRegister,
        forms: FormRegistry,
        branches: BranchService,
    ) -> None:
        self.submissions = submissions
        self.branches = branches
        self.register = register
        self.forms = forms
        self.pages = DemoSiteShowcase(submissions.repo, register, forms, branches)

    def form_types(self) -> list[str]:
        """The form types whose approval founds a demo site (the application forms)."""
        return [ft.name for ft in self.forms.form_types(lambda ft: ft.founds_demo_site)]

    def quota(self, campaign: Campaign) -> int:
        """How many sites the campaign may approve (its first application form's setting)."""
        for name in self.form_types():
            setting = self.forms.form_type(name).approval_quota
            if setting:
                return quota_of(campaign, setting)
        return 0

    def ranking(self, actor: User, campaign_id: str) -> list[Applicant]:
        """The applications ``actor`` may see, highest priority first (then score, then the
        earliest submitted), each with its rule messages in ``actor``'s language."""
        sites = {s.submission_id: s for s in self.register.sites(campaign_id)}
        found: list[Applicant] = []
        for form_type in self.form_types():
            for status in RANKED:
                for submission in self.submissions.list(
                    actor, campaign_id=campaign_id, form_type=form_type, status=status
                ):
                    found.append(_applicant(submission, sites.get(submission.id), actor.lang))
        return sorted(found, key=lambda a: (-a.priority, -(a.score or 0), _submitted_at(a)))

    def sites(self, actor: User, campaign_id: str) -> list[DemoSite]:
        """The approved sites (every signed-in user may see which branches are demo sites)."""
        return self.register.sites(campaign_id) if actor.active else []

    def approve(self, actor: User, submission_id: str, expected_rev: int) -> Submission:
        """立项: approve an application within the campaign's quota (``QuotaExceeded``)."""
        return self.submissions.approve(actor, submission_id, expected_rev)

    def advance(
        self, actor: User, campaign_id: str, submission_id: str, action: Action, text: str = ""
    ) -> DemoSite:
        """Take a step of the site's life (see ``DemoSiteRegister.advance``)."""
        return self.register.advance(actor, campaign_id, submission_id, action, text)

    def showcase(self, actor: User, campaign_id: str) -> list[SiteShowcase]:
        """Every approved site's page (以点带面) as ``actor`` may read it
        (``workflow.demo_site_showcase``)."""
        return self.pages.sites(actor, campaign_id)


def _applicant(submission: Submission, site: DemoSite | None, lang: str) -> Applicant:
    if submission.report is None:
        return Applicant(submission=submission, site=site)
    report = RuleReport.model_validate(submission.report)
    bonus = [r for r in report.results if r.passed and (r.points or 0) > 0]
    failing = report.failures()
    reasons = [
        r.message_en if lang == "en" and r.message_en else r.message for r in bonus + failing
    ]
    return Applicant(
        submission=submission,
        priority=sum(r.points or 0 for r in bonus),
        score=report.score,
        reasons=reasons,
        site=site,
    )


def _submitted_at(applicant: Applicant) -> str:
    versions = applicant.submission.versions
    return versions[-1].submitted_at if versions else applicant.submission.created_at
