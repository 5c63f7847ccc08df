"""以点带面: every account reads each approved demo site's page — its approved activities,
published news and joint work — and never a draft, a returned or pending record, the funding,
or the page of an application that was not approved."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.demo_site_world import applied
from tests.unit.news_samples import submitted_news
from tests.unit.workflow_world import World, make_world
from workflow.demo_site_showcase import SiteShowcase
from workflow.models import Submission, User
from workflow.permissions import may_view_demo_site_showcase

JOINT = {"area": "服务质量", "mode": "跨支部联合", "start": "2026-05-01", "end": "2026-05-02"}


@pytest.fixture
def world() -> World:
    return make_world()


def submit(world: World, i: int, form_type: str, data: dict[str, Any]) -> Submission:
    subs = world.services.submissions
    draft = subs.save_draft(
        world.staff[i], campaign_id=world.campaign.id, form_type=form_type, data=data
    )
    return subs.submit(world.staff[i], draft.id, draft.rev)


def approve(world: World, record: Submission) -> Submission:
    return world.services.submissions.approve(world.reviewer, record.id, record.rev)


def theme(world: World, i: int, name: str) -> Submission:
    data = {"theme": name, "date": "2026-05-04", "participants": 12}
    return submit(world, i, "theme_activity", data)


def innovation(world: World, i: int, title: str, partners: list[str]) -> Submission:
    data = {**JOINT, "title": title, "partner_branches": partners}
    if not partners:
        data["mode"] = "本支部独立开展"
    return submit(world, i, "innovation_activity", data)


def published(world: World, i: int, title: str) -> Submission:
    news = world.services.news
    report = approve(
        world, submitted_news(world.services, world.staff[i], world.campaign.id, title=title)
    )
    report = news.forward(world.reviewer, report.id, report.rev)
    return news.publish(world.reviewer, report.id, report.rev)


def page_of(world: World, actor: User, site: Submission) -> SiteShowcase:
    pages = world.services.demo_sites.showcase(actor, world.campaign.id)
    return next(p for p in pages if p.site.submission_id == site.id)


def titles(items: list[Any]) -> list[str]:
    return [i.title for i in items]


@pytest.fixture
def site(world: World) -> Submission:
    """Branch 0's application, approved: a demo site."""
    return approve(world, applied(world, 0, title="窗口服务示范点"))


def test_another_branch_reads_the_sites_approved_records_only(
    world: World, site: Submission
) -> None:
    site_branch, partner = (b.name for b in world.branches[:2])
    approve(world, theme(world, 0, "校庆志愿服务"))
    theme(world, 0, "待审核的主题活动")  # pending
    returned = theme(world, 0, "退回的主题活动")
    world.services.submissions.return_(world.reviewer, returned.id, returned.rev, "请补充照片")
    world.services.submissions.save_draft(
        world.staff[0],
        campaign_id=world.campaign.id,
        form_type="theme_activity",
        data={"theme": "草稿主题"},
    )
    approve(world, innovation(world, 0, "联合服务日", [partner]))
    approve(world, innovation(world, 1, "兄弟支部联建", [site_branch]))
    approve(world, innovation(world, 2, "无关的联建", [partner]))
    innovation(world, 2, "待审核的联建", [site_branch])  # pending, names the site
    published(world, 0, "示范点开展校庆志愿服务")
    approve(
        world,
        submitted_news(world.services, world.staff[0], world.campaign.id, title="审核通过尚未刊发"),
    )

    page = page_of(world, world.staff[2], site)

    assert (page.site.title, page.branch, page.site.state) == (
        "窗口服务示范点",
        site_branch,
        "approved",
    )
    assert [label for label, _ in page.about] == ["建设思路与措施", "预期成效"]
    assert titles(page.theme) == ["校庆志愿服务"]
    assert titles(page.innovation) == ["联合服务日"]
    assert titles(page.news) == ["示范点开展校庆志愿服务"]
    assert titles(page.joint) == ["联合服务日", "兄弟支部联建"]
    assert [(j.branch, j.partners) for j in page.joint] == [
        (site_branch, [partner]),
        (partner, [site_branch]),
    ]
    shown = page.model_dump_json()
    for private in ("待审核", "退回", "草稿", "尚未刊发", "无关", "申报理由", "5000", "budget"):
        assert private not in shown, private


def test_an_application_not_approved_has_no_page(world: World, site: Submission) -> None:
    pending = applied(world, 1, title="待立项的申报")
    returned = applied(world, 2, title="退回的申报")
    world.services.submissions.return_(world.reviewer, returned.id, returned.rev, "请修改")
    # a place reserved whose approval never got stored (the process died in between)
    form = world.services.forms.form_type("demo_site")
    world.services.demo_sites.register.reserve(world.reviewer, pending, form)
    for actor in (world.staff[1], world.staff[2], world.reader, world.reviewer, world.admin):
        pages = world.services.demo_sites.showcase(actor, world.campaign.id)
        assert [p.site.submission_id for p in pages] == [site.id]


def test_the_reader_and_every_role_read_the_same_page(world: World, site: Submission) -> None:
    approve(world, theme(world, 0, "校庆志愿服务"))
    for actor in (world.reader, world.reviewer, world.admin, world.staff[0], world.staff[1]):
        assert titles(page_of(world, actor, site).theme) == ["校庆志愿服务"], actor.login


def test_the_permission_wants_an_active_account_an_approved_site_and_its_own_record(
    world: World, site: Submission
) -> None:
    approved = approve(world, theme(world, 0, "校庆志愿服务"))
    others = approve(world, theme(world, 1, "兄弟支部的活动"))
    pending_site = applied(world, 1, title="待立项的申报")
    gone = world.staff[1].model_copy(update={"active": False})
    assert may_view_demo_site_showcase(world.staff[1], site, approved)
    assert not may_view_demo_site_showcase(gone, site, approved)
    assert not may_view_demo_site_showcase(world.staff[2], pending_site, others)
    assert not may_view_demo_site_showcase(world.staff[2], site, others)
    named = frozenset({site.branch_id})
    assert may_view_demo_site_showcase(world.staff[2], site, others, named)
