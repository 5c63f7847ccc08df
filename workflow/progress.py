"""Where a campaign stands: its stages and their dates, what each branch owes (a *task*: a form
every branch hands in once per campaign, due at the end of its stage), the committee's
branch × task table, and what is due or overdue for one user.

The one place that decides a task's status, so the home page and the committee's dashboards
agree: ``missing`` (nothing handed in; a branch's own draft counts as missing for everyone but
that branch, who sees ``draft``), ``submitted``, ``returned``, ``approved``; and ``late`` when
its due date has passed while it is missing, a draft or returned. A task handed in after its
due date keeps ``submitted_late``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from forms.form_type import FormType
from forms.registry import FormRegistry
from workflow import permissions
from workflow.branches import BranchService
from workflow.campaigns import CampaignService
from workflow.models import Branch, Campaign, Role, Stage, Status, Submission, User
from workflow.submissions import SubmissionService

KIND_ORDER = ("returned", "draft", "missing", "review")  # among items due the same day
REVIEW_WAIT_DAYS = 7  # a submission waiting longer for review is overdue for reviewers


class TaskStatus(StrEnum):
    MISSING = "missing"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"


@dataclass(frozen=True)
class StageWindow:
    """One stage of a campaign: its dates, whether it is the current one, and whether its
    end has passed (``passed``) on the day asked about."""

    stage: Stage
    start: dt.date | None
    end: dt.date | None
    current: bool
    passed: bool


@dataclass(frozen=True)
class Task:
    """A form every branch hands in once per campaign, due at the end of its stage."""

    form_type: str
    stage: Stage
    due: dt.date | None


@dataclass(frozen=True)
class Cell:
    """One branch's state on one task."""

    status: TaskStatus
    late: bool = False
    submitted_late: bool = False
    submission_id: str | None = None


@dataclass(frozen=True)
class BranchProgress:
    branch: Branch
    cells: list[Cell]


@dataclass(frozen=True)
class Progress:
    """The committee's table: the tasks (columns) and each branch's cells (rows)."""

    tasks: list[Task]
    rows: list[BranchProgress]


@dataclass(frozen=True)
class DueItem:
    """Something this user should do: what (``kind``: returned, draft, missing, review), on
    which form, which record opens it (None: a new one), when it is due, and whether that has
    passed."""

    kind: str
    form_type: str
    submission_id: str | None
    title: str
    due: dt.date | None
    overdue: bool
    branch_id: str = ""


class ProgressService:
    """Stages, tasks and their status per branch (see the module docstring)."""

    def __init__(
        self,
        campaigns: CampaignService,
        branches: BranchService,
        submissions: SubmissionService,
        forms: FormRegistry,
    ) -> None:
        self.campaigns = campaigns
        self.branches = branches
        self.submissions = submissions
        self.forms = forms

    def stages(self, campaign: Campaign, today: dt.date | None = None) -> list[StageWindow]:
        """The campaign's three stages in order with their dates."""
        today = today or dt.date.today()
        windows = []
        for stage in Stage:
            dates = campaign.stage_dates.get(stage)
            start, end = (dates.start, dates.end) if dates else (None, None)
            windows.append(
                StageWindow(
                    stage, start, end, stage == campaign.stage, end is not None and end < today
                )
            )
        return windows

    def tasks(self, campaign: Campaign) -> list[Task]:
        """What every branch owes this campaign, in stage order: the form types handed in once
        per campaign or reminded of when missing."""
        order = list(Stage)
        types = self.forms.form_types(_is_task)
        return sorted(
            (Task(ft.name, Stage(ft.stage), _due(campaign, ft)) for ft in types),
            key=lambda task: (order.index(task.stage), task.form_type),
        )

    def table(self, actor: User, campaign: Campaign, today: dt.date | None = None) -> Progress:
        """Every branch × every task (reviewers, admins, readers): drafts show as missing."""
        permissions.require(permissions.may_view_progress(actor), actor, "workflow.denied.progress")
        today = today or dt.date.today()
        tasks = self.tasks(campaign)
        found = self.submissions.list(actor, campaign_id=campaign.id)
        latest = _latest(found)
        rows = [
            BranchProgress(b, [_cell(latest.get((b.id, t.form_type)), t, today) for t in tasks])
            for b in self.branches.list()
        ]
        return Progress(tasks, rows)

    def due(self, actor: User, campaign: Campaign, today: dt.date | None = None) -> list[DueItem]:
        """What ``actor`` should do in ``campaign``, overdue first, then by due date: for
        branch staff their returned and draft records and the tasks not handed in (of the
        current and earlier stages); for reviewers the submissions waiting for review."""
        today = today or dt.date.today()
        if actor.role is Role.BRANCH and actor.branch_id:
            items = self._branch_due(actor, campaign, today)
        elif actor.role is Role.REVIEWER:
            items = self._review_due(actor, campaign, today)
        else:
            return []
        return sorted(
            items,
            key=lambda i: (not i.overdue, i.due or dt.date.max, KIND_ORDER.index(i.kind), i.title),
        )

    # -- internals -----------------------------------------------------------------------

    def _branch_due(self, actor: User, campaign: Campaign, today: dt.date) -> list[DueItem]:
        mine = self.submissions.list(actor, campaign_id=campaign.id, branch_id=actor.branch_id)
        due_of = {t.form_type: t.due for t in self.tasks(campaign)}
        stage_end = {w.stage.value: w.end for w in self.stages(campaign, today)}
        items = []
        for s in mine:
            if s.status not in (Status.RETURNED, Status.DRAFT):
                continue
            due = due_of.get(s.form_type, stage_end.get(s.stage))
            items.append(
                DueItem(
                    s.status.value,
                    s.form_type,
                    s.id,
                    s.title(),
                    due,
                    due is not None and due < today,
                    s.branch_id,
                )
            )
        written = {s.form_type for s in mine}
        reached = list(Stage)[: list(Stage).index(campaign.stage) + 1]
        for task in self.tasks(campaign):
            if task.form_type not in written and task.stage in reached:
                overdue = task.due is not None and task.due < today
                items.append(
                    DueItem(
                        "missing",
                        task.form_type,
                        None,
                        "",
                        task.due,
                        overdue,
                        actor.branch_id or "",
                    )
                )
        return items

    def _review_due(self, actor: User, campaign: Campaign, today: dt.date) -> list[DueItem]:
        waiting = self.submissions.list(actor, campaign_id=campaign.id, status=Status.SUBMITTED)
        items = []
        for s in waiting:
            if not permissions.may_review(actor, s):
                continue
            since = _date(s.submitted_at())
            due = since + dt.timedelta(days=REVIEW_WAIT_DAYS) if since else None
            items.append(
                DueItem(
                    "review",
                    s.form_type,
                    s.id,
                    s.title(),
                    due,
                    due is not None and due < today,
                    s.branch_id,
                )
            )
        return items


def _is_task(form_type: FormType) -> bool:
    return form_type.one_per_campaign or form_type.remind_if_missing


def _due(campaign: Campaign, form_type: FormType) -> dt.date | None:
    dates = campaign.stage_dates.get(Stage(form_type.stage))
    return dates.end if dates else None


def _latest(found: list[Submission]) -> dict[tuple[str, str], Submission]:
    latest: dict[tuple[str, str], Submission] = {}
    for s in found:  # oldest first: a later one of the same form replaces it
        latest[(s.branch_id, s.form_type)] = s
    return latest


def _cell(submission: Submission | None, task: Task, today: dt.date) -> Cell:
    passed = task.due is not None and task.due < today
    if submission is None or (submission.status == Status.DRAFT and not submission.versions):
        return Cell(TaskStatus.MISSING, late=passed)
    first = _date(submission.versions[0].submitted_at) if submission.versions else None
    submitted_late = bool(task.due and first and first > task.due)
    if submission.status == Status.RETURNED:
        return Cell(TaskStatus.RETURNED, passed, submitted_late, submission.id)
    if submission.status == Status.DRAFT:  # its own branch sees its unsent draft
        return Cell(TaskStatus.DRAFT, passed, submitted_late, submission.id)
    status = TaskStatus.APPROVED if submission.status == Status.APPROVED else TaskStatus.SUBMITTED
    return Cell(status, False, submitted_late, submission.id)


def _date(iso: str) -> dt.date | None:
    try:
        return dt.datetime.fromisoformat(iso).date() if iso else None
    except ValueError:
        return None
