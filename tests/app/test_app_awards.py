"""评优与公示 in the app: reviewers select within the quota (a refusal is a message, not a
traceback), hold the 公示, and the final list offers the commendation zip."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from forms.tables import table_keys
from i18n import t
from tests.app.campaign_fixture import PASSWORD, build_campaign
from tests.app.conftest import APP
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
    today = dt.date(2026, 6, 20)
    svc.awards.today = lambda: today
    login(app, "reviewer", PASSWORD)
    open_page(app, "pages/awards.py")
    assert "先进党支部:名额 1,已确定 0" in texts(app)
    pick(app, first)
    pick(app, second)
    assert "名额为 1 个,已确定 1 个" in texts(app)
    book = svc.awards.book(users["reviewer"], campaign.id)
    assert [s.submission_id for s in book.selections] == [first.id]
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


def shown(app: AppTest) -> str:
    """The page's text as read (Markdown escapes removed)."""
    return texts(app).replace("\\", "")


def award_grid(app: AppTest, edits: dict[str, Any]) -> None:
    """Edit the campaign screen's award grid as a person would in the table."""
    key = f"vanguard.form:campaign_form:{app.selectbox(key='campaign_pick').value}"
    editor, _, _ = table_keys(f"{key}|settings.awards")
    app.session_state[editor] = {
        "edited_rows": {},
        "added_rows": [],
        "deleted_rows": [],
        **edits,
    }
    button(app, t("pages.common.save")).click()
    app.run()
    no_traceback(app)


def test_the_admin_sets_award_quotas_as_percentages_on_the_campaign_screen(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    campaign = svc.campaigns.current()
    assert campaign is not None
    login(app, "admin", PASSWORD)
    open_page(app, "pages/admin_campaigns.py")
    app.selectbox(key="campaign_pick").select(campaign.id).run()
    # the grid starts from the stored shares, as percentages: 先进党支部 20, 优秀共产党员 3
    award_grid(app, {"edited_rows": {0: {"share_percent": 150}}})
    assert "「评优名额」第 1 项的「名额比例(%)」不能大于 100,请修改" in shown(app)
    award_grid(app, {"added_rows": [{"award": "先进党支部", "places": 2}]})
    assert "奖项“先进党支部”填了两行" in shown(app)
    award_grid(app, {"edited_rows": {2: {"share_percent": 5}}})  # 优秀党务工作者: also 3 places
    assert "奖项“优秀党务工作者”请在“名额比例(%)”和“固定名额”中只填一项" in shown(app)
    assert svc.campaigns.get(campaign.id).settings == campaign.settings  # nothing stored

    award_grid(
        app,
        {
            "edited_rows": {0: {"share_percent": 50}, 2: {"places": None, "share_percent": 5}},
            "added_rows": [{"award": "优秀团员", "branch_award": False, "places": 4}],
        },
    )
    saved = svc.campaigns.get(campaign.id).settings
    assert saved.award_shares == {"先进党支部": 0.5, "优秀共产党员": 0.03, "优秀党务工作者": 0.05}
    assert saved.award_quotas == {"优秀团员": 4}
    assert saved.branch_awards == ["先进党支部"]
    branches = svc.branches.of_campaign(svc.campaigns.get(campaign.id))
    assert svc.awards.quotas(users["reviewer"], campaign.id)["先进党支部"] == len(branches) // 2


def test_the_ranking_marks_a_blocked_nomination_and_selecting_it_is_refused(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    campaign = one_place(svc, users["admin"])
    sent = submitted_nomination(svc, users["branch1"], campaign)
    svc.submissions.set_reserved_fields(
        users["reviewer"], sent.id, sent.rev, {"committee_score": 95, "summary_grade": "一般"}
    )
    login(app, "reviewer", PASSWORD)
    open_page(app, "pages/awards.py")
    table = app.dataframe[0].value
    assert list(table[t("pages.awards.col.eligibility")]) == ["不符合条件"]
    assert "总结定级为“一般”，不能推荐为先进党支部" in shown(app)  # the reason, under the table
    pick(app, sent)
    assert "该推荐不符合评优条件,不能入选:本支部总结定级为“一般”" in shown(app)
    assert svc.awards.book(users["reviewer"], campaign.id).selections == []


def test_an_objection_is_raised_and_resolved_on_the_awards_screen(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    campaign = one_place(svc, users["admin"])
    chosen = submitted_nomination(svc, users["branch1"], campaign)
    today = dt.date(2026, 6, 20)
    svc.awards.today = lambda: today
    svc.awards.select(users["reviewer"], campaign.id, chosen.id)
    svc.awards.start_notice(users["reviewer"], campaign.id, today, today + dt.timedelta(days=4))

    login(app, "reader", PASSWORD)
    open_page(app, "pages/awards.py")
    assert "您还可以提出 3 条异议,每条不超过 2000 字。" in shown(app)
    for n in range(3):
        app.text_area(key="aw_text").input(f"第{n + 1}条:事迹中的获奖情况与实际不符")
        button(app, t("pages.awards.raise")).click()
        app.run()
        no_traceback(app)
    assert "达到本期公示的上限" in shown(app)  # the form gives way to the limit
    assert not [a for a in app.text_area if a.key == "aw_text"]
    assert len(svc.awards.book(users["reviewer"], campaign.id).objections) == 3

    app = AppTest.from_file(APP, default_timeout=60)
    login(app, "reviewer", PASSWORD)
    open_page(app, "pages/awards.py")
    first = svc.awards.book(users["reviewer"], campaign.id).objections[0]
    key = f"aw_res:{first.id}"
    app.checkbox(key=f"{key}:upheld").check()
    app.button(key=f"{key}:go").click()
    app.run()
    no_traceback(app)
    assert "请填写处理意见" in shown(app)  # a resolution needs its reason
    app.text_input(key=f"{key}:text").input("经核实情况属实,取消推荐")
    app.checkbox(key=f"{key}:upheld").check()
    app.button(key=f"{key}:go").click()
    app.run()
    no_traceback(app)
    book = svc.awards.book(users["reviewer"], campaign.id)
    assert book.objections[0].resolved and book.objections[0].upheld
    assert book.selections == []  # an upheld objection withdraws the selection
    assert "异议成立,已取消" in shown(app) and "经核实情况属实,取消推荐" in shown(app)
