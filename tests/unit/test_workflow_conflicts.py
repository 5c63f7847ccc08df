"""已被他人修改: merging a stale edit with the version saved meanwhile (nothing typed is lost)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.workflow_world import PASSWORD, World, make_world
from workflow.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from workflow.models import Role, Submission, User


def _colleague(world: World) -> User:
    """A second account of branch 0, editing the same draft at the same time."""
    return world.services.accounts.create_user(
        world.admin,
        login="branch1b",
        display_name="组织委员",
        role=Role.BRANCH,
        password=PASSWORD,
        branch_id=world.branches[0].id,
    )


def _two_edits(world: World, mine: dict[str, Any], theirs: dict[str, Any]) -> Submission:
    """A plan draft of branch 0 edited by the colleague after staff[0] opened it; staff[0]'s
    save of ``mine`` then meets the conflict. Returns the draft as staff[0] opened it."""
    subs = world.services.submissions
    opened = subs.save_draft(
        world.staff[0], campaign_id=world.campaign.id, form_type="plan", data=world.good_plan(0)
    )
    subs.save_draft(
        _colleague(world),
        campaign_id=world.campaign.id,
        form_type="plan",
        data={**opened.data, **theirs},
        submission_id=opened.id,
        expected_rev=opened.rev,
    )
    with pytest.raises(Conflict):
        subs.save_draft(
            world.staff[0],
            campaign_id=world.campaign.id,
            form_type="plan",
            data={**opened.data, **mine},
            submission_id=opened.id,
            expected_rev=opened.rev,
        )
    return opened


def test_merge_conflict_takes_each_sides_one_sided_changes() -> None:
    world = make_world()
    opened = _two_edits(world, mine={"title": "我的新标题"}, theirs={"budget": 8000})
    outcome = world.services.submissions.merge_conflict(
        world.staff[0], opened.id, opened.rev, {**opened.data, "title": "我的新标题"}
    )
    assert outcome.clean and outcome.clashes == [] and outcome.labels == []
    assert outcome.data["title"] == "我的新标题"
    assert outcome.data["budget"] == 8000
    assert outcome.data["goals"] == opened.data["goals"]
    assert outcome.rev == opened.rev + 1
    saved = world.services.submissions.save_draft(
        world.staff[0],
        campaign_id=world.campaign.id,
        form_type="plan",
        data=outcome.data,
        submission_id=opened.id,
        expected_rev=outcome.rev,
    )
    assert (saved.data["title"], saved.data["budget"]) == ("我的新标题", 8000)


def test_merge_conflict_reports_both_side_changes_by_chinese_label_and_keeps_mine() -> None:
    world = make_world()
    opened = _two_edits(
        world,
        mine={"features": "我写的特色", "supervision": "我写的督查"},
        theirs={"features": "同事写的特色", "budget": 5000},
    )
    mine = {**opened.data, "features": "我写的特色", "supervision": "我写的督查"}
    outcome = world.services.submissions.merge_conflict(world.staff[0], opened.id, opened.rev, mine)
    assert not outcome.clean
    assert [c.path for c in outcome.clashes] == ["features"]
    assert outcome.labels == ["「特色与亮点」"]
    assert outcome.data["features"] == "我写的特色"  # the user's value is kept
    assert outcome.data["supervision"] == "我写的督查"
    assert outcome.data["budget"] == 5000


def test_merge_conflict_names_a_changed_row_of_a_repeat_group() -> None:
    world = make_world()
    plan = world.good_plan(0)
    items_mine = [dict(row) for row in plan["items"]]
    items_mine[0]["owner"] = "张老师"
    items_theirs = [dict(row) for row in plan["items"]]
    items_theirs[0]["owner"] = "李老师"
    opened = _two_edits(world, mine={"items": items_mine}, theirs={"items": items_theirs})
    outcome = world.services.submissions.merge_conflict(
        world.staff[0], opened.id, opened.rev, {**opened.data, "items": items_mine}
    )
    assert [c.path for c in outcome.clashes] == ["items"]
    assert outcome.labels == ["「主要内容」"]
    assert outcome.data["items"][0]["owner"] == "张老师"


def test_merge_conflict_labels_follow_the_users_language() -> None:
    world = make_world()
    opened = _two_edits(world, mine={"features": "mine"}, theirs={"features": "theirs"})
    english = world.staff[0].model_copy(update={"lang": "en"})
    outcome = world.services.submissions.merge_conflict(
        english, opened.id, opened.rev, {**opened.data, "features": "mine"}
    )
    assert outcome.labels == ["“Distinctive features”"]


def test_merge_conflict_is_refused_to_other_branches_and_reviewers() -> None:
    world = make_world()
    opened = _two_edits(world, mine={"title": "我的标题"}, theirs={"title": "同事的标题"})
    subs = world.services.submissions
    for outsider in (world.staff[1], world.reviewer, world.reader):
        with pytest.raises(PermissionDenied):
            subs.merge_conflict(outsider, opened.id, opened.rev, opened.data)


def test_merge_conflict_is_refused_once_submitted_and_for_an_unknown_base() -> None:
    world = make_world()
    subs = world.services.submissions
    opened = _two_edits(world, mine={"title": "我的标题"}, theirs={"title": "同事的标题"})
    with pytest.raises(ValidationFailed) as excinfo:
        subs.merge_conflict(world.staff[0], opened.id, 99, opened.data)
    assert "rev" in excinfo.value.errors
    current = subs.get(world.staff[0], opened.id)
    subs.submit(world.staff[0], current.id, current.rev)
    with pytest.raises(InvalidTransition):
        subs.merge_conflict(world.staff[0], opened.id, opened.rev, opened.data)
