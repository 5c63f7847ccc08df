"""Submissions: draft → submitted → returned → submitted (v2) → approved, and what is refused."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.unit.workflow_world import make_world
from workflow.errors import (
    Conflict,
    DomainError,
    InvalidTransition,
    RulesFailed,
    ValidationFailed,
)
from workflow.models import Stage, Status


def test_plan_goes_draft_submitted_returned_resubmitted_approved() -> None:
    world = make_world()
    subs = world.services.submissions
    staff, reviewer = world.staff[1], world.reviewer
    draft = subs.save_draft(
        staff, campaign_id=world.campaign.id, form_type="plan", data=world.good_plan(1)
    )
    assert (draft.status, draft.version, draft.stage) == (Status.DRAFT, 0, Stage.LAUNCH)
    submitted = subs.submit(staff, draft.id, draft.rev)
    assert (submitted.status, submitted.version) == (Status.SUBMITTED, 1)
    assert submitted.report is not None and submitted.report["passed"] is True
    returned = subs.return_(
        reviewer,
        submitted.id,
        submitted.rev,
        reasons="特色不够鲜明",
        field_reasons={"features": "请结合本支部业务写具体做法", "goals": " "},
    )
    assert returned.status == Status.RETURNED
    assert returned.reviews[-1].field_reasons == {"features": "请结合本支部业务写具体做法"}
    revised = subs.save_draft(
        staff,
        campaign_id=world.campaign.id,
        form_type="plan",
        data={**returned.data, "title": "修改后的实施方案"},
        submission_id=returned.id,
        expected_rev=returned.rev,
    )
    resubmitted = subs.submit(staff, revised.id, revised.rev)
    assert (resubmitted.status, resubmitted.version) == (Status.SUBMITTED, 2)
    approved = subs.approve(reviewer, resubmitted.id, resubmitted.rev, reasons="同意")
    assert approved.status == Status.APPROVED
    assert [r.decision for r in approved.reviews] == [
        "submit",
        "return",
        "submit",
        "approve",
    ]
    assert [r.version for r in approved.reviews] == [1, 1, 2, 2]
    actions = [e["action"] for e in world.repo.audit("submissions", approved.id)]
    assert len(actions) == 6  # insert, submit, return, save, submit, approve


def test_returned_plan_cannot_be_approved_before_resubmission() -> None:
    world = make_world()
    subs = world.services.submissions
    plan = world.submitted_plan(1)
    returned = subs.return_(world.reviewer, plan.id, plan.rev, reasons="过于简单")
    with pytest.raises(InvalidTransition, match="重新提交"):
        subs.approve(world.reviewer, returned.id, returned.rev)
    assert subs.get(world.reviewer, plan.id).status == Status.RETURNED


def test_approving_twice_is_refused() -> None:
    world = make_world()
    subs = world.services.submissions
    plan = world.submitted_plan(1)
    approved = subs.approve(world.reviewer, plan.id, plan.rev)
    with pytest.raises(InvalidTransition, match="不能重复"):
        subs.approve(world.reviewer, approved.id, approved.rev)
    with pytest.raises(InvalidTransition):
        subs.return_(world.reviewer, approved.id, approved.rev, reasons="再退回")


def test_return_needs_reasons() -> None:
    world = make_world()
    plan = world.submitted_plan(1)
    with pytest.raises(ValidationFailed) as caught:
        world.services.submissions.return_(world.reviewer, plan.id, plan.rev, reasons="  ")
    assert "退回原因" in caught.value.errors["reasons"]


def test_submit_with_failing_error_rules_is_refused_with_the_report_and_stays_draft() -> None:
    world = make_world()
    subs = world.services.submissions
    data = world.good_plan(1)
    data["features"] = "无"
    draft = subs.save_draft(
        world.staff[1], campaign_id=world.campaign.id, form_type="plan", data=data
    )
    with pytest.raises(RulesFailed) as caught:
        subs.submit(world.staff[1], draft.id, draft.rev)
    failed = {r.rule for r in caught.value.report.failures() if r.severity == "error"}
    assert "features_substantive" in failed
    assert "特色与亮点" in str(caught.value)
    after = subs.get(world.staff[1], draft.id)
    assert (after.status, after.version, after.rev) == (Status.DRAFT, 0, draft.rev)


def test_submit_with_invalid_form_names_the_field() -> None:
    world = make_world()
    subs = world.services.submissions
    data = world.good_plan(1)
    data["schedule"][0]["end"] = "2000-01-01"
    draft = subs.save_draft(
        world.staff[1], campaign_id=world.campaign.id, form_type="plan", data=data
    )
    with pytest.raises(ValidationFailed) as caught:
        subs.submit(world.staff[1], draft.id, draft.rev)
    assert any(path.startswith("schedule.0") for path in caught.value.errors)
    assert subs.get(world.staff[1], draft.id).status == Status.DRAFT


def test_drafts_keep_anything_typed_even_invalid_and_dates() -> None:
    world = make_world()
    data = {"title": "", "items": [{"owner": "张三"}], "budget": "abc", "day": dt.date(2026, 3, 1)}
    draft = world.services.submissions.save_draft(
        world.staff[0], campaign_id=world.campaign.id, form_type="plan", data=data
    )
    # Everything typed is kept; only the server-bound branch name is added.
    assert draft.data == {**data, "day": "2026-03-01", "branch": world.branches[0].name}


def test_unjsonable_draft_is_refused_with_a_message() -> None:
    world = make_world()
    with pytest.raises(ValidationFailed) as caught:
        world.services.submissions.save_draft(
            world.staff[0], campaign_id=world.campaign.id, form_type="plan", data={"x": object()}
        )
    assert "data" in caught.value.errors


def test_stale_expected_rev_raises_conflict_with_the_stored_version() -> None:
    world = make_world()
    subs = world.services.submissions
    draft = subs.save_draft(
        world.staff[0], campaign_id=world.campaign.id, form_type="plan", data={"title": "一"}
    )
    kwargs = {"campaign_id": world.campaign.id, "form_type": "plan", "submission_id": draft.id}
    subs.save_draft(world.staff[0], data={"title": "二"}, expected_rev=draft.rev, **kwargs)
    with pytest.raises(Conflict) as caught:
        subs.save_draft(world.staff[0], data={"title": "三"}, expected_rev=draft.rev, **kwargs)
    assert isinstance(caught.value, DomainError)
    assert caught.value.current is not None and caught.value.current["data"]["title"] == "二"
    with pytest.raises(Conflict):
        subs.submit(world.staff[0], draft.id, draft.rev)
    plan = world.submitted_plan(1)
    subs.approve(world.reviewer, plan.id, plan.rev)
    fresh = subs.get(world.reviewer, plan.id)
    assert fresh.status == Status.APPROVED
    with pytest.raises(InvalidTransition):
        subs.return_(world.reviewer, plan.id, plan.rev, reasons="晚了一步")


def test_submitted_plan_cannot_be_edited() -> None:
    world = make_world()
    plan = world.submitted_plan(1)
    with pytest.raises(InvalidTransition, match="待审核"):
        world.services.submissions.save_draft(
            world.staff[1],
            campaign_id=world.campaign.id,
            form_type="plan",
            data={},
            submission_id=plan.id,
            expected_rev=plan.rev,
        )


def test_a_branch_writes_one_plan_per_campaign() -> None:
    world = make_world()
    subs = world.services.submissions
    subs.save_draft(world.staff[0], campaign_id=world.campaign.id, form_type="plan", data={})
    with pytest.raises(ValidationFailed, match="已有一份"):
        subs.save_draft(world.staff[0], campaign_id=world.campaign.id, form_type="plan", data={})


def test_unknown_form_type_names_the_known_ones() -> None:
    world = make_world()
    with pytest.raises(ValidationFailed) as caught:
        world.services.submissions.save_draft(
            world.staff[0], campaign_id=world.campaign.id, form_type="nope", data={}
        )
    assert "plan" in caught.value.errors["form_type"]


def test_every_version_is_kept_and_compare_shows_changed_fields() -> None:
    world = make_world()
    subs = world.services.submissions
    plan = world.submitted_plan(1)
    returned = subs.return_(world.reviewer, plan.id, plan.rev, reasons="请细化")
    data = {**returned.data, "title": "第二版方案标题"}
    data["items"] = [*data["items"], {**data["items"][0], "owner": "新责任人"}]
    data["items"][0] = {**data["items"][0], "owner": "王五"}
    draft = subs.save_draft(
        world.staff[1],
        campaign_id=world.campaign.id,
        form_type="plan",
        data=data,
        submission_id=plan.id,
        expected_rev=returned.rev,
    )
    v2 = subs.submit(world.staff[1], draft.id, draft.rev)
    versions = subs.versions(world.reviewer, v2.id)
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].data["title"] == world.good_plan(1)["title"]
    assert versions[1].data["title"] == "第二版方案标题"
    assert versions[0].report is not None
    changes = {c.path: c for c in subs.compare(world.reviewer, v2.id, 1, 2)}
    assert set(changes) == {"title", "items.0.owner", "items.3"}
    assert changes["title"].label == "「方案标题」"
    assert changes["items.0.owner"].old == world.good_plan(1)["items"][0]["owner"]
    assert changes["items.0.owner"].new == "王五"
    assert changes["items.0.owner"].label == "「主要内容」第 1 项的「责任人」"
    assert changes["items.3"].old is None and changes["items.3"].new["owner"] == "新责任人"
    assert subs.compare(world.reviewer, v2.id, 2, 2) == []
    with pytest.raises(ValidationFailed):
        subs.compare(world.reviewer, v2.id, 1, 9)


def test_preview_report_checks_without_saving_and_compares_with_other_branches() -> None:
    world = make_world()
    subs = world.services.submissions
    other = world.submitted_plan(1)
    copied = {**other.data, "branch": world.branches[0].name}
    report = subs.preview_report(world.staff[0], None, "plan", copied, world.campaign.id)
    assert report is not None
    similar = [r for r in report.results if r.evidence and not r.passed]
    assert similar, "a copied plan must be flagged as not distinct"
    assert world.branches[1].name in str(similar[0].evidence)
    assert subs.list(world.staff[0], campaign_id=world.campaign.id) == []


def test_similarity_corpus_has_other_branches_and_own_previous_plan_but_no_drafts() -> None:
    world = make_world()
    services = world.services
    previous = services.campaigns.create(world.admin, {"year": 2025, "title": "2025年先锋工程"})
    last_year = services.submissions.save_draft(
        world.staff[0], campaign_id=previous.id, form_type="plan", data=world.good_plan(0)
    )
    services.submissions.submit(world.staff[0], last_year.id, last_year.rev)
    world.submitted_plan(1)
    services.submissions.save_draft(
        world.staff[2], campaign_id=world.campaign.id, form_type="plan", data=world.good_plan(2)
    )
    corpus = services.submissions.similarity_corpus(world.campaign.id, "plan", world.branches[0].id)
    assert sorted(c.name for c in corpus) == sorted(
        [
            f"{world.campaign.title} · {world.branches[1].name}",
            f"2025年先锋工程 · {world.branches[0].name}",
        ]
    )


def test_submit_runs_the_rule_set_version_an_admin_published() -> None:
    from rules.engine import load_ruleset, resolve_path
    from workflow.rule_sets import RuleSetService

    world = make_world()
    shipped = resolve_path("plan_quality").read_text(encoding="utf-8")
    line = f'version: "{load_ruleset("plan_quality").version}"'
    assert line in shipped
    rule_sets = RuleSetService(world.repo)
    text = shipped.replace(line, 'version: "2099.9"')
    saved = rule_sets.save_draft(world.admin, "plan_quality", text, base_rev=0)
    rule_sets.publish(world.admin, "plan_quality", base_rev=saved.rev)
    plan = world.submitted_plan(1)
    assert plan.report is not None
    assert plan.report["version"] == "2099.9"
    assert plan.report["hash"] == rule_sets.active("plan_quality").hash
