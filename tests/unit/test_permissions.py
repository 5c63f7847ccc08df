"""The permission matrix: who may see, edit, review and manage what (workflow/permissions.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.unit.workflow_world import PASSWORD, World, make_world
from workflow import permissions
from workflow.errors import PermissionDenied
from workflow.models import Submission


def draft_of(world: World, i: int) -> Submission:
    return world.services.submissions.save_draft(
        world.staff[i], campaign_id=world.campaign.id, form_type="plan", data=world.good_plan(i)
    )


def test_nobody_but_the_branch_sees_its_draft() -> None:
    world = make_world()
    draft = draft_of(world, 0)
    subs = world.services.submissions
    assert subs.get(world.staff[0], draft.id).id == draft.id
    for outsider in (world.staff[1], world.reviewer, world.admin, world.reader):
        with pytest.raises(PermissionDenied):
            subs.get(outsider, draft.id)
        assert subs.list(outsider, campaign_id=world.campaign.id) == []


def test_branch_staff_see_only_their_own_branch_even_when_submitted() -> None:
    world = make_world()
    plan = world.submitted_plan(1)
    subs = world.services.submissions
    with pytest.raises(PermissionDenied):
        subs.get(world.staff[0], plan.id)
    assert subs.list(world.staff[0], campaign_id=world.campaign.id) == []
    assert subs.list(world.staff[0], campaign_id=world.campaign.id, branch_id=plan.branch_id) == []
    assert [s.id for s in subs.list(world.staff[1], campaign_id=world.campaign.id)] == [plan.id]


def test_reviewers_admins_and_readers_see_submitted_work() -> None:
    world = make_world()
    plan = world.submitted_plan(1)
    draft_of(world, 0)
    for actor in (world.reviewer, world.admin, world.reader):
        listed = world.services.submissions.list(actor, campaign_id=world.campaign.id)
        assert [s.id for s in listed] == [plan.id]


def test_branch_staff_cannot_edit_or_submit_another_branchs_draft() -> None:
    world = make_world()
    draft = draft_of(world, 0)
    subs = world.services.submissions
    with pytest.raises(PermissionDenied):
        subs.save_draft(
            world.staff[1],
            campaign_id=world.campaign.id,
            form_type="plan",
            data={},
            submission_id=draft.id,
            expected_rev=draft.rev,
        )
    with pytest.raises(PermissionDenied):
        subs.submit(world.staff[1], draft.id, draft.rev)


@pytest.mark.parametrize("role", ["reviewer", "admin", "reader"])
def test_only_branch_staff_fill_forms(role: str) -> None:
    world = make_world()
    actor = getattr(world, role)
    with pytest.raises(PermissionDenied):
        world.services.submissions.save_draft(
            actor, campaign_id=world.campaign.id, form_type="plan", data={}
        )


def test_branch_staff_admin_and_reader_cannot_review() -> None:
    world = make_world()
    plan = world.submitted_plan(1)
    subs = world.services.submissions
    for actor in (world.staff[0], world.staff[1], world.admin, world.reader):
        with pytest.raises(PermissionDenied):
            subs.approve(actor, plan.id, plan.rev)
        with pytest.raises(PermissionDenied):
            subs.return_(actor, plan.id, plan.rev, reasons="不行")
    assert subs.get(world.reviewer, plan.id).status == "submitted"


def test_reviewer_cannot_review_own_branch_but_can_review_others() -> None:
    world = make_world()
    subs = world.services.submissions
    own = world.submitted_plan(0)
    other = world.submitted_plan(1)
    with pytest.raises(PermissionDenied, match="本支部"):
        subs.approve(world.branch_reviewer, own.id, own.rev)
    assert subs.approve(world.branch_reviewer, other.id, other.rev).status == "approved"


def test_demo_site_money_follows_approval_a_reviewer_not_of_the_sites_branch() -> None:
    world = make_world()
    own, other = world.branches[0].id, world.branches[1].id
    assert permissions.may_grant_funds(world.reviewer, own)
    assert not permissions.may_grant_funds(world.branch_reviewer, own)
    assert permissions.may_grant_funds(world.branch_reviewer, other)
    for outsider in (world.admin, world.reader, world.staff[0], world.staff[1]):
        assert not permissions.may_grant_funds(outsider, own)
    for site_branch in (own, other):  # the same people as may accept (验收) the site
        for actor in (world.reviewer, world.branch_reviewer, world.admin, world.staff[0]):
            assert permissions.may_grant_funds(
                actor, site_branch
            ) == permissions.may_accept_demo_site(actor, site_branch)


def test_only_branch_staff_with_a_branch_fill_their_own_branchs_forms() -> None:
    world = make_world()
    assert permissions.may_fill_own_branch_forms(world.staff[0])
    for other in (world.reviewer, world.branch_reviewer, world.admin, world.reader):
        assert not permissions.may_fill_own_branch_forms(other)
    unassigned = world.staff[0].model_copy(update={"branch_id": None})
    disabled = world.staff[0].model_copy(update={"active": False})
    assert not permissions.may_fill_own_branch_forms(unassigned)
    assert not permissions.may_fill_own_branch_forms(disabled)


@pytest.mark.parametrize("screen", ["activity_view.py", "theme_activities.py", "innovation.py"])
def test_the_activity_screens_ask_permissions_instead_of_comparing_roles(screen: str) -> None:
    """Who sees every branch and who edits is decided in workflow/permissions.py; a screen
    comparing ``user.role`` itself would drift from what the services enforce."""
    tree = ast.parse((Path(__file__).parents[2] / "pages" / screen).read_text(encoding="utf-8"))
    compared = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Compare)
        and any(
            isinstance(side, ast.Attribute) and side.attr == "role"
            for side in (node.left, *node.comparators)
        )
    ]
    assert compared == [], f"pages/{screen} compares roles at lines {compared}"


def test_reader_changes_nothing() -> None:
    world = make_world()
    services = world.services
    reader = world.reader
    with pytest.raises(PermissionDenied):
        services.campaigns.create(reader, {"year": 2030, "title": "2030年先锋工程"})
    with pytest.raises(PermissionDenied):
        services.branches.create(reader, {"name": "新支部", "member_count": 3})
    with pytest.raises(PermissionDenied):
        services.spot_checks.draw(reader, campaign_id=world.campaign.id)
    with pytest.raises(PermissionDenied):
        services.accounts.set_password(reader, "branch1", "x" * 10)


def test_admin_manages_campaigns_branches_and_accounts() -> None:
    world = make_world()
    services = world.services
    campaign = services.campaigns.create(world.admin, {"year": 2030, "title": "2030年先锋工程"})
    assert services.campaigns.current() == campaign
    branch = services.branches.create(world.admin, {"name": "财务处党支部", "member_count": 9})
    user = services.accounts.create_user(
        world.admin,
        login="cw",
        display_name="财务处组织委员",
        role="branch",
        password=PASSWORD,
        branch_id=branch.id,
    )
    assert services.accounts.authenticate("cw", PASSWORD).branch_id == branch.id == user.branch_id
    for actor in (world.reviewer, world.staff[0]):
        with pytest.raises(PermissionDenied):
            services.branches.update(actor, branch.model_copy(update={"member_count": 10}), 1)


def test_disabled_user_may_do_nothing() -> None:
    world = make_world()
    plan = world.submitted_plan(1)
    disabled = world.reviewer.model_copy(update={"active": False})
    with pytest.raises(PermissionDenied):
        world.services.submissions.get(disabled, plan.id)
    with pytest.raises(PermissionDenied):
        world.services.submissions.approve(disabled, plan.id, plan.rev)
