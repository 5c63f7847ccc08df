"""Which stored submissions a rule-set draft would treat differently (the impact preview).

Published, the draft would check the forms of the campaigns that follow the rule set in force:
the current campaign (publishing moves its record to the new version) and any campaign that
records no version of the rule set (``workflow.rule_checks.follows_rules_in_force``). Earlier
campaigns recording a version keep it, so their forms are not re-checked: after ten years
started from the year before, a preview reads one campaign's forms, not ten.

Each submitted form of the draft's form type in those campaigns (drafts never: a draft is seen
by its own branch only) is checked twice by the same ``workflow.check_runs.CheckRun``: with the
rule set in force and with the draft, both compiled against the form version it was filled in,
on its last submitted version, compared with the same corpus. A row is listed when the outcomes
differ, so a draft identical to the rules in force lists nothing, whatever the store holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rules.errors import RuleSetNotFound
from rules.report import RuleReport
from workflow.check_runs import CheckRun
from workflow.models import Submission
from workflow.rule_checks import follows_rules_in_force
from workflow.rule_sets import RuleSetService
from workflow.similarity_corpus import SUBMITTED_STATES, by_age, submitted_data


@dataclass(frozen=True)
class Outcome:
    """What a reviewer sees of a report: decision, grade and the rules that failed."""

    decision: str
    grade: str | None
    failing: tuple[str, ...]
    # what each failing rule said (zh, en), in ``failing``'s order; for people, not compared:
    # a reworded message alone changes no outcome
    said: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def describe(self) -> str:
        """The outcome in one Chinese line (the CLI's)."""
        grade = f"，定级 {self.grade}" if self.grade else ""
        failing = "、".join(self.failing) or "无"
        return f"{self.decision}{grade}，未通过：{failing}"


NOT_CHECKED = Outcome("未检查", None, ())


def outcome_of(report: RuleReport | None) -> Outcome:
    """The outcome of a report (``NOT_CHECKED`` for none)."""
    if report is None:
        return NOT_CHECKED
    failed = sorted((r for r in report.results if not r.passed), key=lambda r: r.rule)
    return Outcome(
        report.decision,
        report.grade,
        tuple(r.rule for r in failed),
        tuple((r.message or r.rule, r.message_en or r.message or r.rule) for r in failed),
    )


@dataclass(frozen=True)
class ImpactRow:
    """One submission whose outcome would change under the draft."""

    submission_id: str
    branch_id: str
    campaign_id: str
    title: str
    before: Outcome
    after: Outcome

    def line(self) -> str:
        """The row in one tab-separated line (the CLI's)."""
        change = f"{self.before.describe()} → {self.after.describe()}"
        return f"{self.submission_id}\t{self.title}\t{change}"


def title_of(submission: Submission) -> str:
    """The name a reviewer knows a submission by: its title or theme, else its id."""
    data = submitted_data(submission)
    return str(data.get("title") or data.get("theme") or submission.id)


def affected(run: CheckRun, form_type: str, name: str) -> list[Submission]:
    """The submitted forms (never drafts) of ``form_type`` that rule set ``name`` would check
    once a new version is published: those of the campaigns following it (module docstring),
    oldest first."""
    campaigns = run.submissions.campaigns
    service = RuleSetService(run.submissions.repo, run.submissions.forms)
    current = campaigns.current()
    following = [
        c.id for c in campaigns.list() if c == current or follows_rules_in_force(c, name, service)
    ]
    return by_age(
        s
        for campaign_id in following
        for s in run.submitted({"campaign_id": campaign_id, "form_type": form_type})
    )


def impact(
    run: CheckRun,
    submissions: list[Submission],
    name: str,
    text: str,
    label: str,
    *,
    linking: bool = False,
) -> tuple[int, list[ImpactRow]]:
    """How many of ``submissions`` were re-checked with rule set ``name``'s draft ``text``
    (those submitted, of the draft's form type, whose version the rule set would check once
    published: ``FormType.ruleset_at``, the link the submit and batch checks follow), and
    those whose outcome changes. ``linking``: publishing also links the form's current
    version to ``name`` (the rule builder's publish), so versions naming no rule set are
    checked by it afterwards; before, they were not checked at all."""
    service = RuleSetService(run.submissions.repo, run.submissions.forms)
    try:
        in_force_source: tuple[str, str] | None = service.source(name)
    except RuleSetNotFound:
        in_force_source = None
    checked = 0
    rows: list[ImpactRow] = []
    for submission in submissions:
        if submission.status not in SUBMITTED_STATES:
            continue
        version = submission.form_version
        form_type = run.submissions.forms.form_type(submission.form_type)
        if form_type.ruleset_at(version, name if linking else None) != name:
            continue  # published, the draft would not check it: the version names another
        checked += 1
        after = run.report(submission, run.of_text(text, label, version))
        before = None
        if in_force_source is not None and form_type.ruleset_at(version) == name:
            before = run.report(submission, run.of_text(*in_force_source, version))
        if outcome_of(before) != outcome_of(after):
            rows.append(
                ImpactRow(
                    submission.id,
                    submission.branch_id,
                    submission.campaign_id,
                    title_of(submission),
                    outcome_of(before),
                    outcome_of(after),
                )
            )
    return checked, rows
