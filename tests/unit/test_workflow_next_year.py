"""Next year (长效机制): a new campaign copies the last one's settings, rule-set and form
versions and branches (从模板开始: tests/unit/test_workflow_campaign_templates.py); last year's
weak points (the summary's 不足) are recalled beside the plan, to that branch only."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.unit.test_workflow_summary_figures import sample
from tests.unit.workflow_world import World, make_world
from workflow.errors import PermissionDenied, ValidationFailed

WEAK = (
    "一是理论学习不够系统,全年 12 次学习有 3 次只读原文;"
    "二是 9 月、10 月的主题党日因迎评工作冲突没有开展。"
)


def summarised(world: World, i: int, shortcomings: str, *, submit: bool = True) -> None:
    subs, staff = world.services.submissions, world.staff[i]
    data = {**sample("summary_quality"), "branch": world.branches[i].name}
    data["shortcomings"] = shortcomings
    draft = subs.save_draft(staff, campaign_id=world.campaign.id, form_type="summary", data=data)
    if submit:
        subs.submit(staff, draft.id, draft.rev)


def test_the_new_campaign_copies_settings_rule_set_versions_and_branches() -> None:
    world = make_world()
    admin = world.admin
    last = world.services.campaigns.update(
        admin,
        {
            **world.campaign.model_dump(),
            "stage": "evaluate",
            "settings": {**world.campaign.settings.model_dump(), "budget": 36000},
            "branch_ids": [world.branches[0].id, world.branches[2].id],
            "rule_set_versions": {"plan_quality": 0},
        },
        expected_rev=world.campaign.rev,
    )
    new = world.services.next_year.start_next(admin, 2027, "2027年机关“先锋工程”建设")
    assert new.settings == last.settings and new.settings.budget == 36000
    assert new.branch_ids == [world.branches[0].id, world.branches[2].id]
    assert new.rule_set_versions["plan_quality"] == 0  # as the last campaign used it
    assert set(new.rule_set_versions) >= {"plan_quality", "summary_quality", "evaluation"}
    assert new.previous_campaign_id == last.id and new.stage == "launch"
    assert new.stage_dates["launch"].start == dt.date(2027, 3, 1)
    taking_part = world.services.branches.of_campaign(new)
    assert [b.id for b in taking_part] == sorted(
        new.branch_ids, key=lambda i: next(b.name for b in world.branches if b.id == i)
    )


def test_a_first_copy_records_every_branch_and_the_rule_sets_in_force() -> None:
    world = make_world()
    new = world.services.next_year.start_next(world.admin, 2027, "2027年机关“先锋工程”建设")
    assert sorted(new.branch_ids) == sorted(b.id for b in world.branches)
    assert {"plan_quality", "summary_quality", "evaluation"} <= set(new.rule_set_versions)
    assert all(v == 0 for v in new.rule_set_versions.values())  # none published: the files
    assert new.form_versions["plan"] == world.services.forms.get("plan").form_version


def test_only_admins_start_a_year_and_only_from_an_earlier_one() -> None:
    world = make_world()
    with pytest.raises(PermissionDenied):
        world.services.next_year.start_next(world.reviewer, 2027, "2027年机关“先锋工程”建设")
    with pytest.raises(ValidationFailed, match="2020"):
        world.services.next_year.start_next(world.admin, 2020, "2020年机关“先锋工程”建设")
    with pytest.raises(ValidationFailed):  # the year is taken
        world.services.next_year.start_next(world.admin, 2026, "重复的一期")
    assert len(world.services.campaigns.list()) == 1


def test_last_years_weak_points_are_recalled_beside_the_plan_for_that_branch_only() -> None:
    world = make_world()
    summarised(world, 0, WEAK)
    summarised(world, 1, "草稿里写的不足,尚未提交", submit=False)
    new = world.services.next_year.start_next(world.admin, 2027, "2027年机关“先锋工程”建设")
    recall = world.services.next_year.weak_points
    (point,) = recall(world.staff[0], new.id, "plan", world.branches[0].id)
    assert (point.year, point.text, point.label) == (2026, WEAK, "不足之处与薄弱环节")
    assert recall(world.staff[1], new.id, "plan", world.branches[1].id) == []  # a draft
    assert recall(world.staff[0], new.id, "study_session", world.branches[0].id) == []
    assert recall(world.staff[0], world.campaign.id, "plan", world.branches[0].id) == []
    for other in (world.staff[1], world.reviewer, world.admin, world.reader):
        with pytest.raises(PermissionDenied):
            recall(other, new.id, "plan", world.branches[0].id)
