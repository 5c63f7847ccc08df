"""评优与公示 in the app: reviewers select within the quota (a refusal is a message, not a
traceback), hold the 公示, and the final list offers the commendation zip."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from i18n import t
from tests.app.campaign_fixture import PASSWORD, build_campaign
from tests.app.driver import button, login, no_traceback, open_page, texts
from tests.app.test_app_reserved_fields import submitted_nomination
from tests.app.test_app_summary_figures import evaluation_stage
from workflow.models import Campaign, Submission, User
from workflow.services import Services


@pytest.fixture
def users(svc: Services) -> dict[str, User]:
    return build_campaign(svc)


def one_place(svc: Services, admin: User) -> Campaign:
    campaign = evaluation_stage(svc, admin)
    new = campaign.settings.model_copy(
        update={"award_shares": {}, "award_quotas": {"先进党支部": 1}}
    )
    return svc.campaigns.update(admin, campaign.model_copy(update={"settings": new}), campaign.rev)


def pick(app: AppTest, submission: Submission) -> None:
    app.selectbox(key="aw_pick").set_value(submission.id)
    button(app, t("pages.awards.select")).click()
    app.run()
    no_traceback(app)


def test_a_reviewer_selects_within_the_quota_and_publishes_the_notice(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    campaign = one_place(svc, users["admin"])
    first = submitted_nomination(svc, users["branch1"], campaign)
    second = submitted_nomination(svc, users["branch2"], campaign)
    login(app, "reviewer", PASSWORD)
    open_page(app, "pages/awards.py")
    assert "先进党支部:名额 1,已确定 0" in texts(app)
    pick(app, first)
    pick(app, second)
    assert "名额为 1 个,已确定 1 个" in texts(app)
    book = svc.awards.book(users["reviewer"], campaign.id)
    assert [s.submission_id for s in book.selections] == [first.id]
    today = dt.date.today()
    app.date_input(key="aw_start").set_value(today)
    app.date_input(key="aw_end").set_value(today + dt.timedelta(days=3))
    button(app, t("pages.awards.start_notice")).click()
    app.run()
    no_traceback(app)
    assert svc.awards.book(users["reviewer"], campaign.id).notice is not None
    assert "公示期到" in texts(app)  # the final list waits for the notice to end
    # published once: the dates are shown, no longer offered for change
    assert f"公示期:{today} 至 {today + dt.timedelta(days=3)}" in texts(app)
    assert not [d for d in app.date_input if d.key in ("aw_start", "aw_end")]
    assert not [b for b in app.button if b.label == t("pages.awards.start_notice")]


def test_the_notice_form_offers_no_date_before_today(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    campaign = one_place(svc, users["admin"])
    svc.awards.select(
        users["reviewer"], campaign.id, submitted_nomination(svc, users["branch1"], campaign).id
    )
    today = dt.date(2026, 6, 20)
    svc.awards.today = lambda: today  # the page offers dates from the same clock
    login(app, "reviewer", PASSWORD)
    open_page(app, "pages/awards.py")
    assert app.date_input(key="aw_start").value == today
    app.date_input(key="aw_start").set_value(today - dt.timedelta(days=7))
    app.date_input(key="aw_end").set_value(today - dt.timedelta(days=1))
    button(app, t("pages.awards.start_notice")).click()
    app.run()
    no_traceback(app)
    notice = svc.awards.book(users["reviewer"], campaign.id).notice
    assert notice is not None and notice.start == today  # the field's minimum is today
    assert "公示期:2026-06-20" in texts(app)


def test_after_the_notice_the_final_list_offers_the_commendation(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    campaign = one_place(svc, users["admin"])
    chosen = submitted_nomination(svc, users["branch1"], campaign)
    svc.awards.select(users["reviewer"], campaign.id, chosen.id)
    today = dt.date(2026, 6, 20)
    svc.awards.today = lambda: today
    svc.awards.start_notice(users["reviewer"], campaign.id, today, today + dt.timedelta(days=6))
    svc.awards.today = lambda: today + dt.timedelta(days=7)  # the notice has ended
    login(app, "reader", PASSWORD)
    open_page(app, "pages/awards.py")
    labels = [str(getattr(b, "proto", b).label) for b in app.get("download_button")]
    assert t("pages.awards.download") in labels
    assert "党政办公室党支部" in str(app.dataframe[-1].value)
