"""Campaign and branch administration: validation messages name the field, revisions guard."""

from __future__ import annotations

import pytest

from tests.unit.workflow_world import YEAR, make_world
from workflow.errors import Conflict, NotFound, ValidationFailed


def test_campaign_bad_data_names_the_field_in_chinese() -> None:
    world = make_world()
    with pytest.raises(ValidationFailed) as caught:
        world.services.campaigns.create(
            world.admin, {"year": 1990, "title": "x", "settings": {"demo_site_quota": -1}}
        )
    errors = caught.value.errors
    assert errors["year"] == "「年度」不能小于 2000,请修改"
    assert errors["title"].startswith("「标题」")
    assert errors["settings.demo_site_quota"].startswith("「设置」的「示范点名额」不能小于 0")


def test_one_campaign_per_year_and_stage_dates_in_order() -> None:
    world = make_world()
    campaigns = world.services.campaigns
    with pytest.raises(ValidationFailed, match=str(YEAR)):
        campaigns.create(world.admin, {"year": YEAR, "title": "重复的一期"})
    with pytest.raises(ValidationFailed) as caught:
        campaigns.create(
            world.admin,
            {
                "year": 2031,
                "title": "2031年先锋工程",
                "stage_dates": {"launch": {"start": "2031-05-01", "end": "2031-03-01"}},
            },
        )
    assert "启动阶段" in caught.value.errors["stage_dates.launch.end"]


def test_campaign_update_and_previous_and_conflict() -> None:
    world = make_world()
    campaigns = world.services.campaigns
    older = campaigns.create(world.admin, {"year": 2025, "title": "2025年先锋工程"})
    assert campaigns.previous(world.campaign) == older
    assert campaigns.current() == world.campaign
    changed = world.campaign.model_copy(update={"title": "新标题"})
    updated = campaigns.update(world.admin, changed, world.campaign.rev)
    assert campaigns.get(world.campaign.id).title == "新标题" == updated.title
    with pytest.raises(Conflict):
        campaigns.update(world.admin, changed, world.campaign.rev)
    with pytest.raises(NotFound):
        campaigns.get("missing")


def test_branch_names_unique_and_central_work_from_the_list() -> None:
    world = make_world()
    branches = world.services.branches
    with pytest.raises(ValidationFailed) as taken:
        branches.create(world.admin, {"name": world.branches[0].name, "member_count": 5})
    assert "已存在" in taken.value.errors["name"]
    with pytest.raises(ValidationFailed) as unknown:
        branches.create(
            world.admin, {"name": "新支部", "member_count": 5, "central_work": ["迎新"]}
        )
    assert "迎新" in unknown.value.errors["central_work"]
    with pytest.raises(ValidationFailed) as count:
        branches.create(world.admin, {"name": "新支部", "member_count": 0})
    assert count.value.errors["member_count"].startswith("「党员人数」")
    branch = world.branches[0]
    renamed = branches.update(world.admin, branch.model_copy(update={"member_count": 30}), 1)
    assert renamed.member_count == 30 and renamed.rev == 2
