"""Where am I in the year (issue 10 point 9): stages with their dates, what every branch owes
and its status in the committee's table, and what is due or overdue for one user."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.unit.workflow_world import YEAR, World, make_world
from workflow.errors import PermissionDenied
from workflow.models import Stage
from workflow.progress import TaskStatus

IN_LAUNCH = dt.date(YEAR, 4, 1)
AFTER_LAUNCH = dt.date(YEAR, 5, 3)  # the launch stage ended on 04-30


@pytest.fixture
def world() -> World:
    return make_world()


def test_the_stages_carry_their_dates_and_say_when_the_current_one_is_over(world: World) -> None:
    windows = world.services.progress.stages(world.campaign, IN_LAUNCH)
    assert [(w.stage, w.start, w.end, w.current) for w in windows] == [
        (Stage.LAUNCH, dt.date(YEAR, 3, 1), dt.date(YEAR, 4, 30), True),
        (Stage.IMPLEMENT, dt.date(YEAR, 5, 1), dt.date(YEAR, 10, 31), False),
        (Stage.EVALUATE, dt.date(YEAR, 11, 1), dt.date(YEAR, 12, 31), False),
    ]
    assert not windows[0].passed
    assert world.services.progress.stages(world.campaign, AFTER_LAUNCH)[0].passed


def test_every_branch_owes_its_plan_by_the_end_of_launch_and_its_summary_by_year_end(
    world: World,
) -> None:
    tasks = world.services.progress.tasks(world.campaign)
    assert [(t.form_type, t.stage, t.due) for t in tasks] == [
        ("plan", Stage.LAUNCH, dt.date(YEAR, 4, 30)),
        ("summary", Stage.EVALUATE, dt.date(YEAR, 12, 31)),
    ]


def test_the_committee_table_shows_submitted_returned_missing_and_late(world: World) -> None:
    subs = world.services.submissions
    world.submitted_plan(0)
    returned = world.submitted_plan(1)
    subs.return_(world.reviewer, returned.id, returned.rev, "特色不够鲜明")
    subs.save_draft(  # a draft: the committee cannot see it, so it reads as not submitted
        world.staff[2], campaign_id=world.campaign.id, form_type="plan", data=world.good_plan(2)
    )
    table = world.services.progress.table(world.reviewer, world.campaign, AFTER_LAUNCH)
    plan = [row.cells[0] for row in table.rows]
    by_branch = {row.branch.id: row.cells[0] for row in table.rows}
    assert by_branch[world.branches[0].id].status is TaskStatus.SUBMITTED
    assert by_branch[world.branches[1].id].status is TaskStatus.RETURNED
    assert by_branch[world.branches[1].id].late  # returned and past its due date
    assert by_branch[world.branches[2].id].status is TaskStatus.MISSING
    assert by_branch[world.branches[2].id].late
    assert not by_branch[world.branches[0].id].late
    assert by_branch[world.branches[0].id].submitted_late  # handed in today, due in April
    assert len(plan) == 3
    early = world.services.progress.table(world.admin, world.campaign, dt.date(YEAR, 12, 1))
    assert early.rows[0].cells[1].status is TaskStatus.MISSING and not early.rows[0].cells[1].late


def test_branch_staff_may_not_see_the_committee_table(world: World) -> None:
    with pytest.raises(PermissionDenied):
        world.services.progress.table(world.staff[0], world.campaign)


def test_a_branch_sees_its_returned_and_missing_work_overdue_first_with_what_opens_it(
    world: World,
) -> None:
    subs = world.services.submissions
    plan = world.submitted_plan(0)
    subs.return_(world.reviewer, plan.id, plan.rev, "请补充督查机制")
    draft = subs.save_draft(
        world.staff[0],
        campaign_id=world.campaign.id,
        form_type="study_session",
        data={"topic": "学习党章"},
    )
    items = world.services.progress.due(world.staff[0], world.campaign, AFTER_LAUNCH)
    assert [(i.kind, i.form_type, i.submission_id, i.overdue) for i in items] == [
        ("returned", "plan", plan.id, True),
        ("draft", "study_session", draft.id, True),  # due with its stage
    ]
    fresh = world.services.progress.due(world.staff[1], world.campaign, IN_LAUNCH)
    assert [(i.kind, i.form_type, i.submission_id, i.due, i.overdue) for i in fresh] == [
        ("missing", "plan", None, dt.date(YEAR, 4, 30), False)  # the summary is not due yet
    ]


def test_a_reviewer_is_due_the_submissions_waiting_and_not_their_own_branchs(
    world: World,
) -> None:
    world.submitted_plan(0)
    other = world.submitted_plan(1)
    mine = world.services.progress.due(world.branch_reviewer, world.campaign, IN_LAUNCH)
    assert [(i.kind, i.submission_id) for i in mine] == [("review", other.id)]
    later = dt.date.today() + dt.timedelta(days=30)
    assert all(
        i.overdue for i in world.services.progress.due(world.reviewer, world.campaign, later)
    )


def test_without_a_date_the_stages_are_judged_by_the_schools_calendar(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server may run on UTC while the school is already on the next day: "today" is the
    one clock's date in the school's zone, as the 公示 and the due dates are judged."""
    from workflow import clock

    monkeypatch.setattr(clock, "today", lambda now=None: AFTER_LAUNCH)
    assert world.services.progress.stages(world.campaign)[0].passed
    monkeypatch.setattr(clock, "today", lambda now=None: IN_LAUNCH)
    assert not world.services.progress.stages(world.campaign)[0].passed
