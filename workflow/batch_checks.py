"""Reviewers re-check submissions with the rule set in force: one, or all of a stage (S3, S4).

Nothing is written: each submission is checked as it would be on submit (the latest published
rule-set version of the store, similarity against the other branches), so a reviewer sees which
plans pass, would be returned, or fail a veto rule, and why.
"""

from __future__ import annotations

from dataclasses import dataclass

from forms import registry
from rules.report import RuleReport
from workflow.models import Role, Submission, User
from workflow.permissions import require
from workflow.submissions import SUBMITTED_STATES, SubmissionService

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


def checked_forms(stage: str | None = None) -> list[str]:
    """The form types (of ``stage``, or all) that a rule set checks."""
    return sorted(
        name
        for name, model in registry.all_forms().items()
        if model.ruleset and (stage is None or model.stage == stage)
    )


class BatchCheckService:
    """Runs the rules in force over stored submissions for reviewers."""

    def __init__(self, submissions: SubmissionService) -> None:
        self.submissions = submissions

    def forms(self, stage: str | None = None) -> list[str]:
        """The form types (of ``stage``, or all) that a rule set checks."""
        return checked_forms(stage)

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
        if submission_id is not None:
            targets = [self.submissions.get(actor, submission_id)]
        else:
            targets = [
                s
                for form_type in checked_forms(stage)
                for s in self.submissions.list(actor, campaign_id=campaign_id, form_type=form_type)
            ]
        rows: list[CheckedSubmission] = []
        for submission in targets:
            if submission.status not in SUBMITTED_STATES:
                continue
            report = self.submissions.preview_report(
                actor, submission.id, submission.form_type, submission.data, submission.campaign_id
            )
            if report is None:
                continue
            if outcome and report.decision != outcome:
                continue
            rows.append(CheckedSubmission(submission, report))
        return rows
