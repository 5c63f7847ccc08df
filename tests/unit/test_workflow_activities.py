"""Theme practice and innovation activities, member posts (S7, S8): each branch's lists, joint
activities on every partner's pages and in its figures, drafts kept to their own branch, a
partner branch picked from the branch list, and the near-repeat theme warning."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.workflow_world import World, make_world
from workflow.errors import PermissionDenied, ValidationFailed
from workflow.models import Status, Submission


@pytest.fixture
def world() -> World:
    return make_world()


def _save(world: World, i: int, form_type: str, data: dict[str, Any]) -> Submission:
    return world.services.submissions.save_draft(
        world.staff[i], campaign_id=world.campaign.id, form_type=form_type, data=data
    )


def _submit(world: World, i: int, form_type: str, data: dict[str, Any]) -> Submission:
    draft = _save(world, i, form_type, data)
    return world.services.submissions.submit(world.staff[i], draft.id, draft.rev)


def joint(world: World, *partners: int, **over: Any) -> dict[str, Any]:
    return {
        "title": "窗口服务联合创优",
        "area": "服务质量",
        "mode": "跨支部联合",
        "partner_branches": [world.branches[p].name for p in partners],
        "start": "2026-05-01",
        "end": "2026-06-30",
        **over,
    }


def theme(name: str, forms: list[str], **over: Any) -> dict[str, Any]:
    return {"theme": name, "date": "2026-05-04", "forms": forms, "participants": 12, **over}


def test_a_joint_activity_shows_on_every_partners_page_once_submitted(world: World) -> None:
    acts, cid = world.services.activities, world.campaign.id
    draft = _save(world, 0, "innovation_activity", joint(world, 1, 2))
    for partner in (1, 2):  # a draft is its own branch's alone
        assert acts.branch(world.staff[partner], cid, world.branches[partner].id).joint == []
    assert acts.branch(world.staff[0], cid, world.branches[0].id).innovation[0].id == draft.id

    done = world.services.submissions.submit(world.staff[0], draft.id, draft.rev)
    for partner in (1, 2):
        shown = acts.branch(world.staff[partner], cid, world.branches[partner].id)
        assert [s.id for s in shown.joint] == [done.id]
        assert shown.counted("innovation") == 1
    own = acts.branch(world.staff[0], cid, world.branches[0].id)
    assert own.joint == [] and own.counted("innovation") == 1


def test_a_joint_activity_counts_in_every_partners_figures(world: World) -> None:
    stats, cid = world.services.statistics, world.campaign.id
    _save(world, 0, "innovation_activity", joint(world, 1))  # a draft counts for nobody
    assert stats.statistics(world.reviewer, cid, world.branches[1].id).innovation_activities == 0
    _submit(world, 0, "innovation_activity", joint(world, 1))
    for i, expected in ((0, 1), (1, 1), (2, 0)):
        figures = stats.statistics(world.reviewer, cid, world.branches[i].id)
        assert figures.innovation_activities == expected, world.branches[i].name


def test_the_dashboard_counts_a_joint_activity_for_every_partner(world: World) -> None:
    _save(world, 0, "innovation_activity", joint(world, 1, 2))  # a draft counts for nobody
    _submit(world, 0, "innovation_activity", joint(world, 1))
    figures = world.services.dashboards.figures(world.reviewer, world.campaign.id)
    counted = {b.name: f.innovation_activities for b, f in figures.by_branch}
    assert counted == {
        world.branches[0].name: 1,
        world.branches[1].name: 1,
        world.branches[2].name: 0,
    }


def test_a_returned_joint_activity_shows_partners_what_was_submitted(world: World) -> None:
    subs, cid = world.services.submissions, world.campaign.id
    done = _submit(world, 0, "innovation_activity", joint(world, 1))
    back = subs.return_(world.reviewer, done.id, done.rev, "请补充成效")
    subs.save_draft(
        world.staff[0],
        submission_id=back.id,
        expected_rev=back.rev,
        campaign_id=cid,
        form_type="innovation_activity",
        data=joint(world, 1, title="尚未提交的新名称"),
    )
    (seen,) = world.services.activities.branch(world.staff[1], cid, world.branches[1].id).joint
    assert seen.data["title"] == "窗口服务联合创优"


def test_other_branches_see_neither_the_lists_nor_the_joint_work_of_a_branch(
    world: World,
) -> None:
    acts, cid = world.services.activities, world.campaign.id
    _submit(world, 0, "innovation_activity", joint(world, 1))
    with pytest.raises(PermissionDenied):
        acts.branch(world.staff[2], cid, world.branches[1].id)
    with pytest.raises(PermissionDenied):
        acts.overview(world.staff[0], cid)
    assert acts.branch(world.staff[2], cid, world.branches[2].id).joint == []


def test_the_committee_sees_each_branch_with_its_joint_work_but_no_drafts(world: World) -> None:
    acts, cid = world.services.activities, world.campaign.id
    _submit(world, 0, "innovation_activity", joint(world, 1))
    _save(world, 2, "theme_activity", theme("草稿里的主题", ["座谈"]))
    for reader in (world.reviewer, world.reader, world.admin):
        by_branch = {b.branch_id: b for b in acts.overview(reader, cid)}
        assert by_branch[world.branches[1].id].counted("innovation") == 1
        assert by_branch[world.branches[2].id].theme == []


def rename(world: World, i: int, name: str) -> None:
    branches = world.services.branches
    current = branches.get(world.branches[i].id)
    branches.update(world.admin, {**current.model_dump(), "name": name}, current.rev)


def test_a_renamed_branch_keeps_the_joint_work_named_under_its_former_name(
    world: World,
) -> None:
    acts, stats, cid = world.services.activities, world.services.statistics, world.campaign.id
    old = world.branches[1].name
    done = _submit(world, 0, "innovation_activity", joint(world, 1))
    rename(world, 1, "机关第二党支部(更名)")
    partner = world.branches[1].id
    assert world.services.branches.get(partner).former_names == [old]
    shown = acts.branch(world.staff[1], cid, partner)  # the partner still reads it
    assert [s.id for s in shown.joint] == [done.id] and shown.counted("innovation") == 1
    assert stats.statistics(world.reviewer, cid, partner).innovation_activities == 1
    figures = world.services.dashboards.figures(world.reviewer, cid).by_branch
    assert {b.id: f.innovation_activities for b, f in figures}[partner] == 1
    overview = {b.branch_id: b for b in acts.overview(world.reviewer, cid)}
    assert [s.id for s in overview[partner].joint] == [done.id]


def test_a_former_name_is_not_given_to_another_branch_and_survives_edits(world: World) -> None:
    branches, old = world.services.branches, world.branches[1].name
    rename(world, 1, "机关第二党支部(更名)")
    other = branches.get(world.branches[2].id)
    with pytest.raises(ValidationFailed) as refused:
        branches.update(world.admin, {**other.model_dump(), "name": old}, other.rev)
    assert refused.value.errors == {
        "name": f"支部名称“{old}”是“机关第二党支部(更名)”以前的名称,"
        "已有记录中按此名称填写的合作支部仍指该支部;请换一个名称"
    }
    renamed = branches.get(world.branches[1].id)  # an edit cannot drop what the service keeps
    branches.update(
        world.admin, {**renamed.model_dump(), "member_count": 9, "former_names": []}, renamed.rev
    )
    assert branches.get(renamed.id).former_names == [old]
    rename(world, 1, old)  # taking the earlier name back
    assert branches.get(renamed.id).former_names == ["机关第二党支部(更名)"]


def test_partners_are_picked_from_the_other_branches(world: World) -> None:
    subs = world.services.submissions
    offered = world.services.branches.choices(world.staff[0])["branches"]
    assert sorted(offered) == sorted(b.name for b in world.branches[1:])
    for wrong in ("后勤处", world.branches[0].name):  # not a branch; the own branch
        draft = _save(
            world, 0, "innovation_activity", joint(world, 1) | {"partner_branches": [wrong]}
        )
        with pytest.raises(ValidationFailed) as refused:
            subs.submit(world.staff[0], draft.id, draft.rev)
        assert wrong in refused.value.errors["partner_branches"]
        assert subs.get(world.staff[0], draft.id).status == Status.DRAFT
    needs = _save(world, 0, "innovation_activity", joint(world))
    with pytest.raises(ValidationFailed) as missing:
        subs.submit(world.staff[0], needs.id, needs.rev)
    assert "合作支部" in str(missing.value.errors)


def test_a_department_partner_is_named_and_is_no_branch_partner(world: World) -> None:
    data = joint(world, mode="与院系联合", partners="机械工程学院", partner_branches=[])
    _submit(world, 0, "innovation_activity", data)
    acts, cid = world.services.activities, world.campaign.id
    assert acts.branch(world.staff[1], cid, world.branches[1].id).joint == []


def test_member_posts_are_listed_per_branch_and_counted(world: World) -> None:
    post = {
        "member": "张明",
        "post": "党员先进岗",
        "position": "财务报销窗口",
        "commitment": "当日受理、当日答复,不让师生跑第二趟",
        "start": "2026-03-01",
        "end": "2026-12-31",
    }
    done = _submit(world, 0, "member_post", post)
    acts, cid = world.services.activities, world.campaign.id
    assert [s.id for s in acts.branch(world.staff[0], cid, world.branches[0].id).posts] == [done.id]
    figures = world.services.statistics.statistics(world.reviewer, cid, world.branches[0].id)
    assert figures.innovation_posts == 1
    late = _save(world, 0, "member_post", post | {"end": "2026-01-01"})
    with pytest.raises(ValidationFailed):
        world.services.submissions.submit(world.staff[0], late.id, late.rev)


def test_a_theme_nearly_repeating_another_branchs_is_warned_and_shown(world: World) -> None:
    _submit(world, 1, "theme_activity", theme("迎校庆·党员讲解员走进校史馆", ["参观学习"]))
    near = _submit(world, 0, "theme_activity", theme("迎校庆·党员讲解员进校史馆", ["志愿服务"]))
    assert near.status == Status.SUBMITTED  # a warning, not a refusal
    apart = _submit(world, 0, "theme_activity", theme("学科馆员服务进学院", ["座谈", "志愿服务"]))
    acts, cid = world.services.activities, world.campaign.id
    shown = acts.branch(world.reviewer, cid, world.branches[0].id)
    assert world.branches[1].name in " ".join(shown.warnings[near.id])
    assert apart.id not in shown.warnings
    assert shown.forms_used == {"志愿服务": 2, "座谈": 1}


def test_restoring_a_branch_from_before_its_rename_keeps_every_name(world: World) -> None:
    branches, branch = world.services.branches, world.branches[1]
    done = _submit(world, 0, "innovation_activity", joint(world, 1))
    rename(world, 1, "机关第二党支部(更名)")
    world.services.audit.restore(world.admin, "branches", branch.id, branch.rev)
    restored = branches.get(branch.id)
    assert (restored.name, restored.former_names) == (branch.name, ["机关第二党支部(更名)"])
    shown = world.services.activities.branch(world.staff[1], world.campaign.id, branch.id)
    assert [s.id for s in shown.joint] == [done.id]
