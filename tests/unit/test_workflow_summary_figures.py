"""The summary's 数据统计 are the branch's figures as its records stand, bound by the server (S11).

Regression: the summary showed 0 for everything ("本支部没有学习记录") while the branch had study
records and an approved news report, because nothing ever filled the section in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.unit.test_workflow_statistics import session
from tests.unit.workflow_world import World, make_world
from workflow.errors import RulesFailed
from workflow.models import Status, Submission

RULES = Path(__file__).resolve().parents[2] / "rules"


def sample(ruleset: str) -> dict[str, Any]:
    """The data of the first (passing) test written in a shipped rule file."""
    given: dict[str, Any] = yaml.safe_load((RULES / f"{ruleset}.yaml").read_text("utf-8"))["tests"][
        0
    ]["given"]
    return {k: v for k, v in given.items() if k != "statistics"}


def submitted(world: World, form_type: str, data: dict[str, Any]) -> Submission:
    subs, staff = world.services.submissions, world.staff[0]
    draft = subs.save_draft(staff, campaign_id=world.campaign.id, form_type=form_type, data=data)
    return subs.submit(staff, draft.id, draft.rev)


def approved(world: World, form_type: str, data: dict[str, Any]) -> Submission:
    sent = submitted(world, form_type, data)
    return world.services.submissions.approve(world.reviewer, sent.id, sent.rev)


def news() -> dict[str, Any]:
    return {**sample("news_report"), "images": []}


def test_a_summary_counts_the_study_sessions_and_the_approved_news_report() -> None:
    world = make_world()
    submitted(world, "study_session", session(world, 0, 8))
    submitted(world, "study_session", session(world, 0, 10))
    approved(world, "news_report", news())
    subs, staff = world.services.submissions, world.staff[0]
    typed = {**sample("summary_quality"), "statistics": {"study_sessions": 99}}
    draft = subs.save_draft(staff, campaign_id=world.campaign.id, form_type="summary", data=typed)
    figures = draft.data["statistics"]
    assert figures["study_sessions"] == 2  # counted, not what was typed
    assert figures["average_attendance"] == pytest.approx(0.9)
    assert (figures["news_reports"], figures["published_reports"]) == (1, 0)
    report = subs.preview_report(staff, draft.id, "summary", draft.data, world.campaign.id)
    assert report is not None and "records_exist" not in {r.rule for r in report.failures()}
    done = subs.submit(staff, draft.id, draft.rev)
    assert done.versions[-1].data["statistics"]["study_sessions"] == 2
    stored = (done.report or {})["results"]
    assert "records_exist" not in {r["rule"] for r in stored if not r["passed"]}


def test_the_figures_follow_the_records_until_the_summary_is_submitted() -> None:
    world = make_world()
    subs, staff = world.services.submissions, world.staff[0]
    draft = subs.save_draft(
        staff, campaign_id=world.campaign.id, form_type="summary", data=sample("summary_quality")
    )
    assert draft.data["statistics"]["study_sessions"] == 0
    submitted(world, "study_session", session(world, 0, 5))
    live = subs.live_data(staff, world.campaign.id, "summary", draft.data)
    assert live["statistics"]["study_sessions"] == 1
    done = subs.submit(staff, draft.id, draft.rev)
    submitted(world, "study_session", session(world, 0, 6))
    kept = subs.get(staff, done.id)
    assert kept.data["statistics"]["study_sessions"] == 1  # as submitted
    assert subs.bound_data(kept)["statistics"]["study_sessions"] == 1


def test_posts_activities_and_the_demo_site_status_are_counted() -> None:
    world = make_world()
    activity = {
        "title": "窗口服务党员先锋岗",
        "area": "服务质量",
        "posts": ["党员先进岗", "优质岗"],
        "start": "2026-04-01",
        "end": "2026-06-30",
    }
    submitted(world, "innovation_activity", activity)
    submitted(world, "innovation_activity", {**activity, "posts": ["优质岗"]})
    approved(world, "demo_site", sample("demo_site"))
    figures = world.services.statistics.statistics(
        world.staff[0], world.campaign.id, world.branches[0].id
    )
    assert (figures.innovation_activities, figures.innovation_posts) == (2, 3)
    assert figures.demo_site == "approved"
    other = world.services.statistics.statistics(
        world.reviewer, world.campaign.id, world.branches[1].id
    )
    assert other.demo_site == "none" and other.innovation_posts == 0


def test_a_summary_without_real_shortcomings_is_returned_through_the_service() -> None:
    world = make_world()
    submitted(world, "study_session", session(world, 0, 8))
    subs, staff = world.services.submissions, world.staff[0]
    data = {**sample("summary_quality"), "shortcomings": "无"}
    draft = subs.save_draft(staff, campaign_id=world.campaign.id, form_type="summary", data=data)
    with pytest.raises(RulesFailed) as caught:
        subs.submit(staff, draft.id, draft.rev)
    assert "shortcomings_named" in {r.rule for r in caught.value.report.failures()}
    assert subs.get(staff, draft.id).status == Status.DRAFT
