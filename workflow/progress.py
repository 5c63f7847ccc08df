"""Where a campaign stands: its stages and their dates, what each branch owes (a *task*: a form
every branch hands in once per campaign, due at the end of its stage), the committee's
branch × task table, and what is due or overdue for one user.

The one place that decides a branch's status on a form, so the home page's table, the
dashboard's matrix and its Excel ledger agree: the furthest any of its records got —
``missing`` (nothing handed in: a draft is its branch's own and reads as missing), ``returned``,
``submitted``, ``approved``, ``forwarded``, ``published``; ``late`` when the due date has passed
while it is missing or returned; ``submitted_late`` when first handed in after its due date.
Only tasks have a due date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from forms.form_type import FormType
from forms.registry import FormRegistry
from i18n import Lang, t
from workflow import clock, permissions
from workflow.branches import BranchService
from workflow.campaigns import CampaignService
from workflow.models import Branch, Campaign, Role, Stage, Status, Submission, User
from workflow.submissions import SubmissionService

KIND_ORDER = ("returned", "draft", "missing", "review")  # among items due the same day
REVIEW_WAIT_DAYS = 7  # a submission waiting longer for review is overdue for reviewers


class TaskStatus(StrEnum):
    """A branch's status on one form, in the order of how far it got."""

    MISSING = "missing"
    RETURNED = "returned"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    FORWARDED = "forwarded"
    PUBLISHED = "published"

    def text(self, lang: Lang) -> str:
        """The status in words (未提交, 待审核, 审核通过…), as a submission's status reads."""
        missing = self is TaskStatus.MISSING
        return t("workflow.progress.missing" if missing else f"status.{self}", lang)


FURTHEST = list(TaskStatus)
HANDED_IN = (TaskStatus.SUBMITTED, TaskStatus.APPROVED, TaskStatus.FORWARDED, TaskStatus.PUBLISHED)
# past review: the statuses permissions.APPROVED_STATES names, as a branch's task status
PASSED = frozenset(TaskStatus(status) for status in permissions.APPROVED_STATES)


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
    """One branch's state on one form: the furthest status of its records, which record that
    is, and how many records were handed in (a form filled several times, like 学习记录)."""

    status: TaskStatus
    late: bool = False
    submitted_late: bool = False
    submission_id: str | None = None
    count: int = 0


@dataclass(frozen=True)
class BranchProgress:
    branch: Branch
    cells: list[Cell]


@dataclass(frozen=True)
class Progress:
    """The committee's table: the tasks (columns) and each branch's cells (rows)."""

    tasks: list[Task]
    rows: list[BranchProgress]

    def stage_cells(self, row: BranchProgress, stage: Stage) -> list[Cell]:
        """``row``'s cells of the tasks of ``stage``."""
        return [c for task, c in zip(self.tasks, row.cells, strict=True) if task.stage == stage]

    def cell(self, branch_id: str, form_type: str) -> Cell:
        """The cell of one branch and form (``missing`` when either is not in the table)."""
        column = next((i for i, t in enumerate(self.tasks) if t.form_type == form_type), None)
        row = next((r for r in self.rows if r.branch.id == branch_id), None)
        return Cell(TaskStatus.MISSING) if row is None or column is None else row.cells[column]


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
        today = today or clock.today()
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

    def tasks(self, campaign: Campaign, *, every_form: bool = False) -> list[Task]:
        """What every branch owes this campaign, in stage order: the form types handed in once
        per campaign or reminded of when missing (``every_form``: every form type, the others
        without a due date)."""
        order = list(Stage)
        types = self.forms.form_types() if every_form else self.forms.form_types(_is_task)
        return sorted(
            (Task(ft.name, Stage(ft.stage), _due(campaign, ft)) for ft in types),
            key=lambda task: (order.index(task.stage), task.form_type),
        )

    def table(
        self,
        actor: User,
        campaign: Campaign,
        today: dt.date | None = None,
        *,
        every_form: bool = False,
    ) -> Progress:
        """The campaign's branches × its tasks (``every_form``: × every form type), for
        reviewers, admins and readers. Drafts are not read: they are their branch's own."""
        permissions.require(permissions.may_view_progress(actor), actor, "workflow.denied.progress")
        today = today or clock.today()
        tasks = self.tasks(campaign, every_form=every_form)
        handed_in: dict[tuple[str, str], list[Submission]] = {}
        for s in self.submissions.list(actor, campaign_id=campaign.id):
            if s.status != Status.DRAFT:
                handed_in.setdefault((s.branch_id, s.form_type), []).append(s)
        rows = [
            BranchProgress(
                b, [_cell(handed_in.get((b.id, t.form_type), []), t, today) for t in tasks]
            )
            for b in self.branches.of_campaign(campaign)
        ]
        return Progress(tasks, rows)

    def due(self, actor: User, campaign: Campaign, today: dt.date | None = None) -> list[DueItem]:
        """What ``actor`` should do in ``campaign``, overdue first, then by due date: for
        branch staff their returned and draft records and the tasks not handed in (of the
        current and earlier stages); for reviewers the submissions waiting for review."""
        today = today or clock.today()
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


def cell_text(cell: Cell, lang: Lang) -> str:
    """A cell in words: its status, how many were handed in when several (学习记录 3 次), and
    whether it is late or was handed in late — the home page, the dashboard and the Excel
    ledger all show it so."""
    text = cell.status.text(lang)
    if cell.count > 1:
        text += f" ({cell.count})"
    if cell.late:
        text += t("workflow.progress.late", lang)
    elif cell.submitted_late:
        text += t("workflow.progress.submitted_late", lang)
    return text


def stage_text(cells: list[Cell], lang: Lang) -> str:
    """A branch's tasks of one stage in words: how many of them passed review (approved, or
    further) of how many are due, and how many were returned (已通过 1/3，退回 1); a stage that
    asks for no form says so — the campaign dossier's progress table shows it so."""
    if not cells:
        return t("workflow.progress.stage_none", lang)
    passed = sum(1 for cell in cells if cell.status in PASSED)
    text = t("workflow.progress.stage", lang, done=passed, total=len(cells))
    returned = sum(1 for cell in cells if cell.status is TaskStatus.RETURNED)
    if returned:
        text += t("workflow.progress.stage_returned", lang, n=returned)
    return text


def _is_task(form_type: FormType) -> bool:
    return form_type.one_per_campaign or form_type.remind_if_missing


def _due(campaign: Campaign, form_type: FormType) -> dt.date | None:
    if not _is_task(form_type):
        return None
    dates = campaign.stage_dates.get(Stage(form_type.stage))
    return dates.end if dates else None


def _cell(handed_in: list[Submission], task: Task, today: dt.date) -> Cell:
    """``handed_in``: one branch's records of one form, none of them a draft."""
    passed = task.due is not None and task.due < today
    furthest = max(handed_in, key=lambda s: FURTHEST.index(TaskStatus(s.status)), default=None)
    if furthest is None:
        return Cell(TaskStatus.MISSING, late=passed)
    status = TaskStatus(furthest.status)
    first = _date(furthest.versions[0].submitted_at) if furthest.versions else None
    submitted_late = bool(task.due and first and first > task.due)
    late = passed and status not in HANDED_IN
    return Cell(status, late, submitted_late, furthest.id, len(handed_in))


def _date(iso: str) -> dt.date | None:
    try:
        return dt.datetime.fromisoformat(iso).date() if iso else None
    except ValueError:
        return None
