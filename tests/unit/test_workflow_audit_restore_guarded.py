"""Restoring an old revision from the audit log never breaks a rule a service keeps: issued
bulletins and their numbers, the funding ledger, the demo-site register, the award book and
upload usage are refused with a message saying where to change them; a rule set comes back
only as a draft, never withdrawing a published version."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from rules.engine import resolve_path
from tests.unit.demo_site_world import applied, set_settings
from tests.unit.news_samples import submitted_news
from tests.unit.workflow_world import World, make_world
from workflow.audit_log import GUARDED
from workflow.errors import PermissionDenied


@pytest.fixture
def world() -> World:
    return make_world()


def refused(world: World, kind: str, id: str, rev: int) -> str:
    """The message of the refused restore; the record and its history are unchanged."""
    before = world.repo.history(kind, id)
    with pytest.raises(PermissionDenied) as caught:
        world.services.audit.restore(world.admin, kind, id, rev)
    assert world.repo.history(kind, id) == before
    assert world.repo.find("audit_restores") == []
    return str(caught.value)


def test_the_funding_ledger_is_not_restored_and_keeps_every_entry(world: World) -> None:
    set_settings(world, budget=1000)
    app = applied(world, 1)
    world.services.submissions.approve(world.reviewer, app.id, app.rev)
    funding, cid = world.services.funding, world.campaign.id
    funding.grant(world.reviewer, cid, app.id, 300)
    funding.grant(world.reviewer, cid, app.id, 200)
    message = refused(world, "ledgers", cid, 1)
    assert message.startswith("经费台账不能恢复到以前的版本") and "“经费台账”中另记一笔" in message
    assert funding.summary(world.reviewer, cid).granted == 500


def test_the_demo_site_register_is_not_restored_and_keeps_its_sites(world: World) -> None:
    apps = [applied(world, i) for i in (1, 2)]
    for app in apps:
        world.services.submissions.approve(world.reviewer, app.id, app.rev)
    register = world.repo.find("demo_site_registers")[0]
    assert register["rev"] == 2
    message = refused(world, "demo_site_registers", register["id"], 1)
    assert message.startswith("示范点名册不能恢复到以前的版本") and "“示范点立项”" in message
    sites = world.services.demo_sites.sites(world.reviewer, world.campaign.id)
    assert [s.submission_id for s in sites] == [a.id for a in apps]


def test_an_issued_bulletin_and_its_number_are_not_restored(world: World) -> None:
    svc, reviewer = world.services, world.reviewer
    news = submitted_news(svc, world.staff[1], world.campaign.id)
    news = svc.submissions.approve(reviewer, news.id, news.rev)
    news = svc.news.forward(reviewer, news.id, news.rev)
    news = svc.news.publish(reviewer, news.id, news.rev)
    issue = svc.bulletins.create(world.admin, date=dt.date(2026, 10, 1))
    picks = [{"submission_id": news.id, "summary": ""}]
    issue = svc.bulletins.compose(world.admin, issue.id, issue.rev, picks)
    issued = svc.bulletins.issue(world.admin, issue.id, issue.rev)
    message = refused(world, "bulletins", issued.id, 1)
    assert message.startswith("简报不能恢复到以前的版本") and "“简报编辑”" in message
    assert svc.bulletins.get(world.admin, issued.id).status == "issued"
    number = world.repo.find("bulletin_numbers")[0]
    message = refused(world, "bulletin_numbers", number["id"], 1)
    assert message.startswith("简报期号不能恢复到以前的版本")


@pytest.mark.parametrize("kind", sorted(GUARDED))
def test_every_guarded_kind_is_refused_in_both_languages(world: World, kind: str) -> None:
    doc: dict[str, Any] = world.repo.insert(kind, {"id": "x", "n": 1}, actor="t")
    world.repo.update(kind, {**doc, "n": 2}, actor="t", expected_rev=doc["rev"])
    zh = refused(world, kind, "x", 1)
    assert "不能恢复到以前的版本" in zh
    with pytest.raises(PermissionDenied) as caught:
        world.services.audit.restore(world.admin, kind, "x", 1)
    assert caught.value.message("en") != zh and "restore" in caught.value.message("en")
    assert world.repo.get(kind, "x")["n"] == 2  # type: ignore[index]


def test_awards_and_upload_usage_name_where_to_change_them(world: World) -> None:
    for kind, where in (("awards", "“评优与公示”"), ("upload_usage", "上传限额")):
        doc = world.repo.insert(kind, {"id": "x", "n": 1}, actor="t")
        world.repo.update(kind, {**doc, "n": 2}, actor="t", expected_rev=doc["rev"])
        assert where in refused(world, kind, "x", 1)


def test_a_rule_set_comes_back_as_a_draft_never_without_a_published_version(
    world: World,
) -> None:
    rule_sets, audit = world.services.rule_sets, world.services.audit
    text = resolve_path("plan_quality").read_text(encoding="utf-8")
    stricter = text.replace("min_activity_forms: 2", "min_activity_forms: 3")
    saved = rule_sets.save_draft(world.admin, "plan_quality", stricter, base_rev=0)  # rev 1
    rule_sets.publish(world.admin, "plan_quality", base_rev=saved.rev)  # rev 2
    again = rule_sets.save_draft(world.admin, "plan_quality", text, base_rev=2)  # rev 3
    rule_sets.save_draft(world.admin, "plan_quality", text + "\n# 备注\n", base_rev=again.rev)
    message = refused(world, "rule_sets", "plan_quality", 1)
    assert message.startswith("规则集已发布的版本不能通过恢复撤回或改动")
    assert "另存为草稿,再发布为新版本" in message
    assert [v["number"] for v in rule_sets.versions("plan_quality")] == [1]
    audit.restore(world.admin, "rule_sets", "plan_quality", 3)  # same published versions
    assert rule_sets.draft_text(world.admin, "plan_quality") == text
    assert [v["number"] for v in rule_sets.versions("plan_quality")] == [1]


def test_an_approved_demo_site_application_keeps_its_decision_but_its_content_may_come_back(
    world: World,
) -> None:
    """Restoring the 待审核 revision of an approved application would leave its site in the
    register holding a place, and a second approval would found it twice."""
    app = applied(world, 1)
    approved = world.services.submissions.approve(world.reviewer, app.id, app.rev)
    history = world.repo.history("submissions", app.id)
    pending = next(d for d in history if d["status"] != approved.status.value)
    message = refused(world, "submissions", app.id, pending["rev"])
    assert message.startswith("这份示范点申报的审核结果不能通过恢复历史版本改变")
    assert "“示范点立项”" in message
    sites = world.services.demo_sites.sites(world.reviewer, world.campaign.id)
    assert [s.submission_id for s in sites] == [app.id]
    same_status = next(d for d in history if d["status"] == approved.status.value)
    world.services.audit.restore(world.admin, "submissions", app.id, same_status["rev"])


def test_another_forms_status_still_comes_back_by_restore(world: World) -> None:
    """The undo the user guide describes stays for forms whose decision holds no place."""
    plan = world.submitted_plan(0)
    world.services.submissions.approve(world.reviewer, plan.id, plan.rev)
    restored = world.services.audit.restore(world.admin, "submissions", plan.id, plan.rev)
    assert restored["status"] == plan.status.value
