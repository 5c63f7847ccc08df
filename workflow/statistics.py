"""A branch's figures for its summary (S11), computed from its records, never typed."""

from __future__ import annotations

from collections.abc import Iterable

from forms.evaluate import SummaryStatistics
from forms.registry import FormRegistry, UnknownFormType
from storage.base import Repository
from workflow import permissions
from workflow.form_types import standard_forms
from workflow.joint_work import partner_records
from workflow.models import Branch, Status, Submission, User
from workflow.similarity_corpus import as_submitted

# Drafts are work in progress, not yet a record of something done.
COUNTED = frozenset(s for s in Status if s != Status.DRAFT)
# A branch's demo-site status is the furthest its applications got.
DEMO_SITE_STEPS = (Status.APPROVED, Status.SUBMITTED, Status.RETURNED)


class StatisticsService:
    """Counts over the submissions of one branch in one campaign."""

    def __init__(self, repo: Repository, forms: FormRegistry | None = None) -> None:
        """``forms``: whose ``counted_in`` says which count a record adds to (default:
        ``standard_forms()``; ``build_services`` passes the store's registry)."""
        self.repo = repo
        self.forms = forms if forms is not None else standard_forms()

    def statistics(self, actor: User, campaign_id: str, branch_id: str) -> SummaryStatistics:
        """Study sessions and their average attendance rate, theme and innovation activities
        (with their member posts), news reports sent and published, the demo-site
        application's status — counting everything but drafts.

        The branch's own staff and every non-branch role may ask.
        """
        permissions.require(
            permissions.may_view_branch_records(actor, branch_id),
            actor,
            "workflow.denied.statistics",
        )
        return self.figures(campaign_id, branch_id)

    def figures(self, campaign_id: str, branch_id: str) -> SummaryStatistics:
        """The figures of ``statistics`` without a permission check: for services that bind
        them into a form of the branch after checking their own permission."""
        found = self.repo.find("submissions", {"campaign_id": campaign_id, "branch_id": branch_id})
        branch = self.repo.get("branches", branch_id)
        names = Branch.model_validate(branch).names if branch else set()
        # Joint activities count for every partner branch they name (S8), once submitted.
        joint = partner_records(self.repo, self.forms, campaign_id, branch_id, names)
        return self.count((Submission.model_validate(d) for d in found), joint)

    def count(
        self, submissions: Iterable[Submission], joint: Iterable[Submission] = ()
    ) -> SummaryStatistics:
        """The figures of one branch's ``submissions`` (drafts among them are skipped) and
        of the ``joint`` activities other branches ran with it (``workflow.joint_work``): for
        services that read a whole campaign once and count it branch by branch. Each record
        counts as last submitted (``as_submitted``): a returned one being revised counts as
        it was sent, not with the edits its branch has not sent yet."""
        counted: dict[str, list[Submission]] = {}
        for record in submissions:
            counter = self._counter(record.form_type) if record.status in COUNTED else None
            if counter is not None:
                counted.setdefault(counter, []).append(as_submitted(record))

        def of(counter: str) -> list[Submission]:
            return counted.get(counter, [])

        rates = [_attendance(s) for s in of("study_sessions")]
        known = [r for r in rates if r is not None]
        news = of("news_reports")
        own_innovation = of("innovation_activities")
        innovation = [
            *own_innovation,
            *(s for s in joint if self._counter(s.form_type) == "innovation_activities"),
        ]
        applied = {s.status for s in of("demo_site")}
        return SummaryStatistics(
            study_sessions=len(rates),
            average_attendance=round(sum(known) / len(known), 4) if known else 0,
            theme_activities=len(of("theme_activities")),
            innovation_activities=len(innovation),
            # the posts an activity of its own creates, and its members' posts on record
            innovation_posts=sum(_count(s.data.get("posts")) for s in own_innovation)
            + len(of("innovation_posts")),
            news_reports=len(news),
            published_reports=sum(1 for s in news if s.status == Status.PUBLISHED),
            demo_site=next((status for status in DEMO_SITE_STEPS if status in applied), "none"),
        )

    def _counter(self, form_type: str) -> str | None:
        try:
            return self.forms.form_type(form_type).counted_in
        except UnknownFormType:  # a form type no longer defined counts towards nothing
            return None


def _count(value: object) -> int:
    """How many entries a list field holds (0 for anything else)."""
    return len(value) if isinstance(value, list) else 0


def _attendance(session: Submission) -> float | None:
    """attendees / members of a study session, capped at 1; None when unusable."""
    try:
        members = float(session.data.get("members") or 0)
        attendees = float(session.data.get("attendees") or 0)
    except (TypeError, ValueError):
        return None
    if members <= 0:
        return None
    return min(1.0, max(0.0, attendees / members))
