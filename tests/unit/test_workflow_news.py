"""News reports through the committee (S9): edits kept as tracked changes, approval, forwarding
to the school committee, publishing in the 先锋工程 column — and who may take each step."""

from __future__ import annotations

import pytest

from tests.unit.news_samples import BODY, news_data, submitted_news
from tests.unit.workflow_world import World, make_world
from workflow.errors import (
    InvalidTransition,
    NotFound,
    PermissionDenied,
    RulesFailed,
    ValidationFailed,
)
from workflow.models import Status, Submission


@pytest.fixture
def world() -> World:
    return make_world()


def _submitted(world: World, i: int = 1, **over: object) -> Submission:
    return submitted_news(world.services, world.staff[i], world.campaign.id, **over)


def _approved(world: World, i: int = 1, **over: object) -> Submission:
    sub = _submitted(world, i, **over)
    return world.services.submissions.approve(world.reviewer, sub.id, sub.rev)


def _published(world: World, i: int = 1, **over: object) -> Submission:
    news = world.services.news
    sub = _approved(world, i, **over)
    sub = news.forward(world.reviewer, sub.id, sub.rev, note="报校党委宣传部")
    return news.publish(world.reviewer, sub.id, sub.rev)


def test_news_rules_run_before_submission(world: World) -> None:
    subs = world.services.submissions
    draft = subs.save_draft(
        world.staff[1],
        campaign_id=world.campaign.id,
        form_type="news_report",
        data=news_data(world.services, body="太短", author=""),
    )
    with pytest.raises(RulesFailed) as failed:
        subs.submit(world.staff[1], draft.id, draft.rev)
    assert {r.rule for r in failed.value.report.results if not r.passed} >= {
        "body_length",
        "author_credited",
    }
    assert subs.get(world.staff[1], draft.id).status == Status.DRAFT


def test_committee_edit_keeps_the_branch_version_and_tracks_each_change(world: World) -> None:
    sub = _submitted(world)
    edited = dict(
        sub.data, title="机关第一党支部开展迎校庆志愿服务", body=BODY + "活动取得良好效果。"
    )
    after = world.services.news.edit(world.reviewer, sub.id, sub.rev, edited, note="润色标题")
    assert after.data["title"] == "机关第一党支部开展迎校庆志愿服务"
    assert after.versions[-1].data["title"] == "机关第一党支部开展校庆志愿服务"  # branch's own
    (edit,) = after.edits
    assert edit.editor == "reviewer" and edit.note == "润色标题" and edit.version == 1
    assert {c.path: (c.old, c.new) for c in edit.changes}["title"] == (
        "机关第一党支部开展校庆志愿服务",
        "机关第一党支部开展迎校庆志愿服务",
    )
    assert {c.path for c in edit.changes} == {"title", "body"}
    assert after.status == Status.SUBMITTED


def test_an_edit_that_changes_nothing_stores_nothing(world: World) -> None:
    sub = _submitted(world)
    same = world.services.news.edit(world.reviewer, sub.id, sub.rev, sub.data)
    assert same.rev == sub.rev and same.edits == []


def test_an_invalid_edit_is_refused_and_nothing_changes(world: World) -> None:
    sub = _submitted(world)
    with pytest.raises(ValidationFailed) as failed:
        world.services.news.edit(world.reviewer, sub.id, sub.rev, dict(sub.data, title=""))
    assert "title" in failed.value.errors
    assert world.services.submissions.get(world.reviewer, sub.id).data == sub.data


@pytest.mark.parametrize("who", ["staff", "branch_reviewer", "admin", "reader"])
def test_only_reviewers_of_other_branches_edit_news(world: World, who: str) -> None:
    sub = _submitted(world, 0)
    actor = world.staff[0] if who == "staff" else getattr(world, who)
    with pytest.raises(PermissionDenied):
        world.services.news.edit(actor, sub.id, sub.rev, dict(sub.data, title="改过的标题"))


def test_forwarding_records_who_and_when_and_needs_approval_first(world: World) -> None:
    news = world.services.news
    sub = _submitted(world)
    with pytest.raises(InvalidTransition):
        news.forward(world.reviewer, sub.id, sub.rev)
    sub = world.services.submissions.approve(world.reviewer, sub.id, sub.rev)
    forwarded = news.forward(world.reviewer, sub.id, sub.rev, note="报校党委宣传部")
    assert forwarded.status == Status.FORWARDED
    step = forwarded.reviews[-1]
    assert (step.decision, step.reviewer, step.reasons) == ("forward", "reviewer", "报校党委宣传部")
    assert step.at


def test_publishing_needs_forwarding_first(world: World) -> None:
    sub = _approved(world)
    with pytest.raises(InvalidTransition):
        world.services.news.publish(world.reviewer, sub.id, sub.rev)


def test_a_forwarded_report_can_no_longer_be_edited(world: World) -> None:
    news = world.services.news
    sub = _approved(world)
    sub = news.forward(world.reviewer, sub.id, sub.rev)
    with pytest.raises(InvalidTransition):
        news.edit(world.reviewer, sub.id, sub.rev, dict(sub.data, title="再改一次标题"))


@pytest.mark.parametrize("who", ["staff", "branch_reviewer", "reader"])
def test_branch_staff_readers_and_own_branch_reviewers_neither_forward_nor_publish(
    world: World, who: str
) -> None:
    news = world.services.news
    sub = _approved(world, 0)
    actor = world.staff[0] if who == "staff" else getattr(world, who)
    with pytest.raises(PermissionDenied):
        news.forward(actor, sub.id, sub.rev)
    sub = news.forward(world.reviewer, sub.id, sub.rev)
    with pytest.raises(PermissionDenied):
        news.publish(actor, sub.id, sub.rev)


def test_admins_publish_forwarded_reports(world: World) -> None:
    news = world.services.news
    sub = _approved(world)
    sub = news.forward(world.reviewer, sub.id, sub.rev)
    assert news.publish(world.admin, sub.id, sub.rev).status == Status.PUBLISHED


def test_other_forms_do_not_go_through_the_news_pipeline(world: World) -> None:
    plan = world.submitted_plan(1)
    plan = world.services.submissions.approve(world.reviewer, plan.id, plan.rev)
    with pytest.raises(InvalidTransition):
        world.services.news.forward(world.reviewer, plan.id, plan.rev)


def test_the_column_shows_published_reports_newest_first_to_every_account(world: World) -> None:
    first = _published(world, 1, title="第一篇报道")
    second = _published(world, 2, title="第二篇先进人物", category="先进人物")
    _approved(world, 0, title="尚未刊发的报道")
    for actor in (world.staff[0], world.reader, world.admin, world.reviewer):
        assert [e.title for e in world.services.news.column(actor)] == [
            "第二篇先进人物",
            "第一篇报道",
        ]
    entry = world.services.news.column(world.reader)[1]
    assert entry.id == first.id and entry.branch == world.branches[1].name
    assert entry.forwarded_by == "reviewer" and entry.published_at
    assert [(i.name, i.caption) for i in entry.images] == [("现场.png", "党员在校史馆参观学习")]
    news = world.services.news
    assert [e.id for e in news.column(world.reader, category="先进人物")] == [second.id]
    assert [e.id for e in news.column(world.reader, branch_id=world.branches[1].id)] == [first.id]


def test_a_share_link_opens_only_published_reports(world: World) -> None:
    published = _published(world)
    approved = _approved(world, 2)
    news = world.services.news
    assert news.entry(world.staff[0], published.id).title == published.data["title"]
    with pytest.raises(NotFound):
        news.entry(world.staff[0], approved.id)


def test_images_of_published_reports_are_readable_by_all_others_only_by_viewers(
    world: World,
) -> None:
    news = world.services.news
    published = _published(world)
    blob = published.data["images"][0]["blob"]
    assert news.image(world.staff[0], published.id, blob).startswith(b"\x89PNG")
    draft = world.services.submissions.save_draft(
        world.staff[2],
        campaign_id=world.campaign.id,
        form_type="news_report",
        data=news_data(world.services, images=published.data["images"]),
    )
    with pytest.raises(PermissionDenied):
        news.image(world.staff[0], draft.id, blob)
    with pytest.raises(NotFound):  # a blob the report does not refer to
        news.image(world.staff[0], published.id, "0" * 64)


def test_the_kinds_of_report_come_from_the_news_form(world: World) -> None:
    assert world.services.news.kinds("zh") == {
        "活动报道": "活动报道",
        "典型事例": "典型事例",
        "先进人物": "先进人物",
    }
    assert world.services.news.kinds("en")["先进人物"] == "Exemplary person"
