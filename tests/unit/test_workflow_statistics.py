"""Summary statistics (S11) come from the branch's own records, drafts excluded."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.workflow_world import World, make_world
from workflow.errors import PermissionDenied


def session(world: World, i: int, attendees: int, members: int = 10) -> dict[str, Any]:
    return {
        "branch": world.branches[i].name,
        "date": "2026-03-12",
        "topic": "学习贯彻全国教育大会精神",
        "documents": ["全国教育大会重要讲话"],
        "members": members,
        "attendees": attendees,
        "hours": 2,
        "notes": "书记领学实施意见,党员逐一交流发言,结合本职工作谈体会,"
        "会后整理学习笔记并交支部存档。",
    }


def add(world: World, i: int, form_type: str, data: dict[str, Any], submit: bool) -> None:
    subs = world.services.submissions
    draft = subs.save_draft(
        world.staff[i], campaign_id=world.campaign.id, form_type=form_type, data=data
    )
    if submit:
        subs.submit(world.staff[i], draft.id, draft.rev)


def test_statistics_count_submitted_sessions_and_average_attendance() -> None:
    world = make_world()
    add(world, 0, "study_session", session(world, 0, 8), submit=True)
    add(world, 0, "study_session", session(world, 0, 10), submit=True)
    add(world, 0, "study_session", session(world, 0, 1), submit=False)  # draft: not counted
    add(world, 1, "study_session", session(world, 1, 2), submit=True)  # other branch
    stats = world.services.statistics.statistics(
        world.staff[0], world.campaign.id, world.branches[0].id
    )
    assert stats.study_sessions == 2
    assert stats.average_attendance == pytest.approx(0.9)
    assert (stats.theme_activities, stats.news_reports, stats.published_reports) == (0, 0, 0)


def test_branch_staff_see_only_their_own_statistics() -> None:
    world = make_world()
    with pytest.raises(PermissionDenied):
        world.services.statistics.statistics(
            world.staff[0], world.campaign.id, world.branches[1].id
        )
    stats = world.services.statistics.statistics(
        world.reviewer, world.campaign.id, world.branches[1].id
    )
    assert stats.study_sessions == 0 and stats.average_attendance == 0


def test_a_returned_record_counts_as_last_submitted_everywhere() -> None:
    """The branch revising a returned session (8 of 10 → 2 of 10, not sent yet) changes no
    figure: its summary, the dossier and the dashboard all count what was submitted."""
    world = make_world()
    subs, staff = world.services.submissions, world.staff[0]
    add(world, 0, "study_session", session(world, 0, 10), submit=True)
    draft = subs.save_draft(
        staff, campaign_id=world.campaign.id, form_type="study_session", data=session(world, 0, 8)
    )
    sent = subs.submit(staff, draft.id, draft.rev)
    back = subs.return_(world.reviewer, sent.id, sent.rev, "请核对出席人数")
    subs.save_draft(
        staff,
        campaign_id=world.campaign.id,
        form_type="study_session",
        data={**back.data, "attendees": 2},
        submission_id=back.id,
        expected_rev=back.rev,
    )
    branch = world.branches[0]
    own = world.services.statistics.statistics(staff, world.campaign.id, branch.id)
    seen = world.services.statistics.statistics(world.reviewer, world.campaign.id, branch.id)
    board = world.services.dashboards.figures(world.reviewer, world.campaign.id).by_branch
    on_board = next(f for b, f in board if b.id == branch.id)
    for figures in (own, seen, on_board):
        assert figures.study_sessions == 2
        assert figures.average_attendance == pytest.approx(0.9)
