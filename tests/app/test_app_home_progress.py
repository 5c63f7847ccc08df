"""The home page says where the campaign stands (issue 10 point 9): its stages with dates, a
warning once the current stage's dates have passed, what is due or overdue for this user with
links that open each item, and the committee's branch × task table."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from i18n import t
from tests.app.campaign_fixture import PASSWORD, build_campaign
from tests.app.driver import login, no_traceback, open_page, texts
from workflow.models import User
from workflow.services import Services

TODAY = dt.date.today()


@pytest.fixture
def users(svc: Services) -> dict[str, User]:
    return build_campaign(svc)


def _launch_ended(svc: Services, users: dict[str, User], days_ago: int = 3) -> None:
    campaign = svc.campaigns.current()
    assert campaign is not None
    dates = {
        "launch": {
            "start": str(TODAY - dt.timedelta(days=60)),
            "end": str(TODAY - dt.timedelta(days=days_ago)),
        },
        "implement": {"start": str(TODAY), "end": str(TODAY + dt.timedelta(days=90))},
    }
    svc.campaigns.update(
        users["admin"],
        {**campaign.model_dump(mode="json"), "stage_dates": dates},
        campaign.rev,
    )


def _links(app: AppTest) -> list[Any]:
    return [e.proto for e in app.get("page_link")]


def test_a_branch_sees_the_stages_with_dates_a_warning_and_its_overdue_plan_linked(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    _launch_ended(svc, users)
    login(app, "branch1", PASSWORD)
    shown = texts(app)
    assert t("stage.launch") in shown and t("stage.evaluate") in shown
    assert f"{TODAY - dt.timedelta(days=60)} ~ {TODAY - dt.timedelta(days=3)}" in shown
    assert any(
        str(TODAY - dt.timedelta(days=3)) in w.value and t("stage.launch") in w.value
        for w in app.warning
    ), "the stage's dates have passed"
    assert t("pages.home.overdue_count", n=1) in shown
    [link] = _links(app)
    assert "本支部还没有填写" in link.label and "已逾期" in link.label
    assert link.page.endswith("branch-plan")


def test_a_returned_record_links_to_its_editor_and_the_link_opens_it(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    [plan] = svc.submissions.list(users["branch2"], campaign_id=svc.campaigns.current().id)  # type: ignore[union-attr]
    svc.submissions.return_(users["reviewer"], plan.id, plan.rev, "请补充督查机制")
    study = svc.submissions.save_draft(
        users["branch2"],
        campaign_id=plan.campaign_id,
        form_type="study_session",
        data={"topic": "学习新党章"},
    )
    login(app, "branch2", PASSWORD)
    labels = [link.label for link in _links(app)]
    assert any("被退回修改" in label for label in labels)
    assert any("学习新党章" in label and "草稿" in label for label in labels)
    draft_link = next(link for link in _links(app) if "学习新党章" in link.label)
    assert draft_link.page.endswith("study-sessions")
    assert f"open={study.id}" in draft_link.query_string

    app.query_params["open"] = study.id  # what following the link does
    open_page(app, "pages/study_sessions.py")
    assert app.selectbox(key="pick:study_session").value == study.id


def test_a_reviewer_sees_the_waiting_plan_linked_into_the_queue_and_the_progress_table(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    _launch_ended(svc, users)
    login(app, "reviewer", PASSWORD)
    no_traceback(app)
    [link] = _links(app)
    assert link.page.endswith("submissions") and "open=" in link.query_string
    assert t("pages.home.progress") in texts(app)
    table = app.dataframe[-1].value
    rows = {row[t("workflow.field.name")]: row for _, row in table.iterrows()}
    plan_col = next(c for c in table.columns if c.startswith("支部“先锋工程”实施方案"))
    assert set(rows) == {b.name for b in svc.branches.list()}
    assert sorted(rows[name][plan_col] for name in rows) == ["待审核(逾期提交)", "未提交(逾期)"]
    assert "逾期未交 1 项" in texts(app)


def test_branch_staff_see_no_committee_table(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "branch1", PASSWORD)
    open_page(app, "pages/home.py")
    assert t("pages.home.progress") not in texts(app)
