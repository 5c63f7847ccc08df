"""Reviewers re-check submissions with the rule set in force: one, or all of a stage (S3, S4),
and preview which would change under a rule-set draft.

Nothing is written: each submission's last submitted version is checked as it was on submit
(the latest published rule-set version of the store, similarity against the other branches and
the branch's previous-campaign form) by ``workflow.check_runs.CheckRun``, so a reviewer sees
which plans pass, would be returned, or fail a veto rule, and why. Reports are cached per
process and only what changed is checked again.
"""

from __future__ import annotations

from dataclasses import dataclass

from forms.registry import FormRegistry
from rules import engine
from rules.errors import RuleLoadError
from rules.report import RuleReport
from workflow.check_runs import CheckRun, ReportCache
from workflow.impact import ImpactRow, affected, impact
from workflow.models import Role, Submission, User
from workflow.permissions import may_view_submission, require
from workflow.rule_sets import RuleSetInvalid, may_read_rule_sets
from workflow.similarity_corpus import SUBMITTED_STATES
from workflow.submissions import SubmissionService

OUTCOMES = ("pass", "return", "veto")


@dataclass(frozen=True)
class CheckedSubmission:
    """One submission and the report the rules in force give it now."""

    submission: Submission
    report: RuleReport

    @property
    def outcome(self) -> str:
        """``pass``, ``return`` or ``veto``."""
        return self.report.decision


def may_batch_check(actor: User) -> bool:
    """Re-check submissions in bulk: active reviewers and administrators."""
    return actor.active and actor.role in (Role.REVIEWER, Role.ADMIN)


def checked_forms(forms: FormRegistry, stage: str | None = None) -> list[str]:
    """The form types (of ``stage``, or all) that a rule set checks."""
    return sorted(
        name
        for name, model in forms.all_forms().items()
        if model.ruleset and (stage is None or model.stage == stage)
    )


class BatchCheckService:
    """Runs the rules in force, or a draft, over stored submissions for reviewers."""

    def __init__(self, submissions: SubmissionService, cache: ReportCache | None = None) -> None:
        self.submissions = submissions
        self.cache = cache or ReportCache()

    def forms(self, stage: str | None = None) -> list[str]:
        """The form types (of ``stage``, or all) that a rule set checks."""
        return checked_forms(self.submissions.forms, stage)

    def check(
        self,
        actor: User,
        *,
        campaign_id: str,
        stage: str | None = None,
        submission_id: str | None = None,
        outcome: str | None = None,
    ) -> list[CheckedSubmission]:
        """Check one submission (``submission_id``) or every submitted one of ``stage``.

        ``outcome`` keeps only those whose decision is ``pass``, ``return`` or ``veto``.
        Drafts are never checked here (they belong to their branch until submitted).
        """
        require(may_batch_check(actor), actor, "rules.batch.denied")
        run = CheckRun(self.submissions, self.cache)
        if submission_id is not None:
            targets = [self.submissions.get(actor, submission_id)]
        else:
            targets = [
                s
                for form_type in checked_forms(self.submissions.forms, stage)
                for s in run.submitted({"campaign_id": campaign_id, "form_type": form_type})
            ]
        rows: list[CheckedSubmission] = []
        for submission in targets:
            if submission.status not in SUBMITTED_STATES:
                continue
            if not may_view_submission(actor, submission):
                continue
            rules = run.in_force(submission)
            if rules is None:
                continue
            report = run.report(submission, rules)
            if outcome and report.decision != outcome:
                continue
            rows.append(CheckedSubmission(submission, report))
        return rows

    def preview_impact(
        self, actor: User, name: str, text: str, *, linking: bool = False
    ) -> tuple[int, list[ImpactRow]]:
        """Submitted forms whose outcome would change if rule set ``name``'s draft ``text``
        replaced the one in force, and how many were checked: those of the current campaign
        and of any campaign recording no version of ``name`` (``workflow.impact.affected``)
        that the rule set checks once published (``linking``: publishing also links the form
        to it, ``workflow.impact.impact``)."""
        require(may_read_rule_sets(actor), actor, "rules.service.read_only_staff")
        label = f"{name}.yaml"
        try:
            form = engine.load_text(text, label, forms=self.submissions.forms).form
        except RuleLoadError as exc:
            raise RuleSetInvalid(str(exc)) from None
        run = CheckRun(self.submissions, self.cache)
        visible = [s for s in affected(run, form, name) if may_view_submission(actor, s)]
        return impact(run, visible, name, text, label, linking=linking)
