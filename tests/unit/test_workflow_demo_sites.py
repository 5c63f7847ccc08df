"""Demo sites (S5, S6): ranking by priority, the quota, 立项 → 实施 → 验收, and who may do what."""

from __future__ import annotations

import pytest

from forms.registry import default_registry
from tests.unit.demo_site_world import add_branches, applied, set_settings
from tests.unit.workflow_world import World, make_world
from workflow.errors import (
    Conflict,
    InvalidTransition,
    PermissionDenied,
    QuotaExceeded,
    ValidationFailed,
)
from workflow.models import CampaignSettings, Status


@pytest.fixture
def world() -> World:
    return make_world()


def test_ranking_puts_ties_to_central_work_first_with_the_reasons(world: World) -> None:
    plain = applied(world, 0, [])
    two = applied(world, 1, ["校庆", "学科建设"])
    one = applied(world, 2, ["本科教学评估"])
    ranked = world.services.demo_sites.ranking(world.reviewer, world.campaign.id)
    assert [a.submission.id for a in ranked] == [two.id, one.id, plain.id]
    assert [a.priority for a in ranked] == [20, 10, 0]
    assert "结合校庆，优先加 10 分。" in ranked[0].reasons
    assert any("学科建设" in r for r in ranked[0].reasons)
    assert ranked[2].reasons == []  # no tie, nothing failing: nothing to explain


def test_equal_priority_ranks_the_earlier_application_first(world: World) -> None:
    first = applied(world, 0, ["校庆"])
    second = applied(world, 1, ["学位点建设"])
    ranked = world.services.demo_sites.ranking(world.reviewer, world.campaign.id)
    assert [a.submission.id for a in ranked] == [first.id, second.id]


def test_one_approval_over_the_quota_is_refused_and_changes_nothing(world: World) -> None:
    add_branches(world, 3)
    subs = world.services.submissions
    apps = [applied(world, i, ["校庆"]) for i in range(3)]
    for app in apps[:2]:
        subs.approve(world.reviewer, app.id, app.rev)
    with pytest.raises(QuotaExceeded) as refused:
        subs.approve(world.reviewer, apps[2].id, apps[2].rev)
    assert "2 个" in str(refused.value) and "示范点1" in str(refused.value)
    assert subs.get(world.reviewer, apps[2].id).status == Status.SUBMITTED
    assert len(world.services.demo_sites.sites(world.reviewer, world.campaign.id)) == 2


def test_the_quota_is_the_campaign_setting(world: World) -> None:
    set_settings(world, demo_site_quota=1)
    subs = world.services.submissions
    first, second = applied(world, 0), applied(world, 1)
    subs.approve(world.reviewer, first.id, first.rev)
    with pytest.raises(QuotaExceeded):
        subs.approve(world.reviewer, second.id, second.rev)
    set_settings(world, demo_site_quota=2)
    assert subs.approve(world.reviewer, second.id, second.rev).status == Status.APPROVED


def test_a_failed_approval_gives_its_place_back(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_settings(world, demo_site_quota=1)
    subs = world.services.submissions
    first, second = applied(world, 0), applied(world, 1)

    def lost_race(*args: object, **kwargs: object) -> None:  # the submission changed meanwhile
        raise Conflict("submissions", first.id, first.rev, None)

    with monkeypatch.context() as patch:
        patch.setattr(subs, "decide", lost_race)
        with pytest.raises(Conflict):
            subs.approve(world.reviewer, first.id, first.rev)
    assert world.services.demo_sites.sites(world.reviewer, world.campaign.id) == []
    subs.approve(world.reviewer, second.id, second.rev)


def test_a_site_moves_from_approval_through_implementation_to_acceptance(world: World) -> None:
    app = applied(world, 1)
    demo = world.services.demo_sites
    demo.approve(world.reviewer, app.id, app.rev)
    cid, staff = world.campaign.id, world.staff[1]
    assert demo.advance(staff, cid, app.id, "start").state == "implementing"
    with pytest.raises(ValidationFailed):
        demo.advance(staff, cid, app.id, "report", "  ")
    assert demo.advance(staff, cid, app.id, "report", "建成窗口服务规范").state == "reported"
    with pytest.raises(ValidationFailed):
        demo.advance(world.reviewer, cid, app.id, "return", "")
    returned = demo.advance(world.reviewer, cid, app.id, "return", "缺少带动其他支部的情况")
    assert returned.state == "implementing"
    demo.advance(staff, cid, app.id, "report", "补充:带动三个支部开展联合活动")
    accepted = demo.advance(world.reviewer, cid, app.id, "accept")
    assert accepted.state == "accepted"
    assert accepted.outcome_report == "补充:带动三个支部开展联合活动"
    assert [s.action for s in accepted.steps] == [
        "approve",
        "start",
        "report",
        "return",
        "report",
        "accept",
    ]


def test_steps_out_of_order_are_refused_with_the_state_named(world: World) -> None:
    app = applied(world, 1)
    demo = world.services.demo_sites
    demo.approve(world.reviewer, app.id, app.rev)
    with pytest.raises(InvalidTransition, match="已立项"):
        demo.advance(world.staff[1], world.campaign.id, app.id, "report", "成果")
    with pytest.raises(InvalidTransition):
        demo.advance(world.reviewer, world.campaign.id, app.id, "accept")


def test_only_the_sites_branch_carries_it_out_and_only_other_reviewers_accept(
    world: World,
) -> None:
    app = applied(world, 0)
    demo, cid = world.services.demo_sites, world.campaign.id
    demo.approve(world.reviewer, app.id, app.rev)
    for outsider in (world.staff[1], world.reviewer, world.admin):
        with pytest.raises(PermissionDenied):
            demo.advance(outsider, cid, app.id, "start")
    demo.advance(world.staff[0], cid, app.id, "start")
    demo.advance(world.staff[0], cid, app.id, "report", "成果")
    # branch_reviewer belongs to branch 0, the site's own branch
    for outsider in (world.staff[0], world.branch_reviewer, world.admin, world.reader):
        with pytest.raises(PermissionDenied):
            demo.advance(outsider, cid, app.id, "accept")


def test_approving_a_demo_site_needs_a_reviewer(world: World) -> None:
    app = applied(world, 0)
    for outsider in (world.admin, world.reader, world.staff[1], world.branch_reviewer):
        with pytest.raises(PermissionDenied):
            world.services.demo_sites.approve(outsider, app.id, app.rev)


def test_every_declared_approval_quota_is_a_campaign_setting() -> None:
    declared = {ft.approval_quota for ft in default_registry().form_types()} - {None}
    assert declared and declared <= set(CampaignSettings.model_fields)
