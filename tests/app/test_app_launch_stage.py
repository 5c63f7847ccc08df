"""Issue 3 in the app: plan (S2), spot-check (S3), return and resubmit (S4), stale saves.

Every step goes through the screens a user sees; the store is checked through the services.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from forms.launch import Plan
from i18n import t
from tests.app.campaign_fixture import PASSWORD, build_campaign, good_plan
from tests.app.driver import button, confirm, login, no_traceback, open_page, texts
from tests.app.form_filler import fill_form
from workflow.models import Status, User
from workflow.services import Services


@pytest.fixture
def users(svc: Services) -> dict[str, User]:
    return build_campaign(svc)


def plan_key(svc: Services) -> str:
    campaign = svc.campaigns.current()
    assert campaign is not None
    return f"vg_ed:plan:{campaign.id}:0"


def own_plan(svc: Services, user: User):  # type: ignore[no-untyped-def]
    campaign = svc.campaigns.current()
    assert campaign is not None
    plans = svc.submissions.list(user, campaign_id=campaign.id, form_type="plan")
    return plans[-1] if plans else None


def submit_plan_through_page(at: AppTest, svc: Services, data: dict) -> None:  # type: ignore[type-arg]
    open_page(at, "pages/plan.py")
    fill_form(at, Plan, data, key=plan_key(svc))
    button(at, t("common.submit")).click()
    at.run()
    no_traceback(at)


def test_plan_field_error_is_shown_at_the_field_kept_and_fixed_then_submitted(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "branch1", PASSWORD)
    plan = good_plan("党政办公室党支部")
    submit_plan_through_page(app, svc, {**plan, "title": "方"})
    title_widget = app.text_input(key=f"vanguard.form:{plan_key(svc)}|title")
    assert title_widget.value == "方", "what was typed must survive the failed submit"
    assert any("方案标题" in e.value for e in app.error), [e.value for e in app.error]
    saved = own_plan(svc, users["branch1"])
    assert saved is not None and saved.status == Status.DRAFT  # kept as a draft, not submitted

    title_widget.input(plan["title"])
    app.run()
    button(app, t("common.submit")).click()
    app.run()
    no_traceback(app)
    submitted = own_plan(svc, users["branch1"])
    assert submitted is not None and submitted.status == Status.SUBMITTED, texts(app)
    assert submitted.data["title"] == plan["title"]
    assert t("pages.editor.submitted") in texts(app)


def test_plan_failing_the_rules_shows_the_report_and_stays_a_draft(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "branch1", PASSWORD)
    plan = good_plan("党政办公室党支部")
    submit_plan_through_page(app, svc, {**plan, "items": plan["items"][:1]})
    saved = own_plan(svc, users["branch1"])
    assert saved is not None and saved.status == Status.DRAFT
    shown = texts(app)
    assert t("pages.editor.report_title") in shown
    assert "主要内容" in shown  # the failed rule names the field it points at


def test_check_shows_the_rule_report_without_saving_or_submitting(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "branch1", PASSWORD)
    open_page(app, "pages/plan.py")
    plan = good_plan("党政办公室党支部")
    fill_form(app, Plan, {**plan, "items": []}, key=plan_key(svc))
    typed = own_plan(svc, users["branch1"])  # kept as a draft as it was typed (issue 10.2)
    assert typed is not None
    button(app, t("pages.editor.check")).click()
    app.run()
    no_traceback(app)
    assert t("pages.editor.report_title") in texts(app)
    checked = own_plan(svc, users["branch1"])
    assert checked is not None and checked.status == Status.DRAFT
    assert checked.rev == typed.rev  # checking saves nothing more


def test_save_draft_keeps_invalid_input(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "branch1", PASSWORD)
    open_page(app, "pages/plan.py")
    fill_form(app, Plan, {"branch": "党政办公室党支部", "title": "方"}, key=plan_key(svc))
    button(app, t("common.save_draft")).click()
    app.run()
    no_traceback(app)
    saved = own_plan(svc, users["branch1"])
    assert saved is not None and saved.data["title"] == "方"
    open_page(app, "pages/home.py")
    open_page(app, "pages/plan.py")
    assert app.text_input(key=f"vanguard.form:{plan_key(svc)}|title").value == "方"


def test_spot_check_draw_records_the_seed_and_reproduces_the_sample(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "reviewer", PASSWORD)
    open_page(app, "pages/spot_check.py")
    assert not [w for w in app.text_input if w.label == t("pages.spot.seed")]  # not typed
    button(app, t("pages.spot.draw")).click()
    app.run()
    no_traceback(app)
    campaign = svc.campaigns.current()
    assert campaign is not None
    checks = svc.spot_checks.list(users["reviewer"], campaign.id)
    assert len(checks) == 1 and checks[0].sample
    seed = str(checks[0].seed)
    assert seed in texts(app)
    button(app, t("pages.spot.reproduce")).click()
    app.run()
    no_traceback(app)
    assert any(seed in s.value for s in app.success), [s.value for s in app.success]


def test_returned_plan_shows_reasons_is_resubmitted_and_then_approved(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    campaign = svc.campaigns.current()
    assert campaign is not None
    target = svc.submissions.list(users["reviewer"], campaign_id=campaign.id, form_type="plan")[0]

    # The reviewer returns branch 2's plan with an overall and a per-field reason.
    login(app, "reviewer", PASSWORD)
    open_page(app, "pages/review.py")
    app.text_area(key=f"rv:{target.id}:reasons").input("特色不够鲜明,请结合本支部业务重写 *重点*")
    fields = app.multiselect(key=f"rv:{target.id}:fields")
    assert fields.proto.placeholder == "请选择栏目", "not Streamlit's English 'Choose options'"
    fields.select("features")
    app.run()
    app.text_input(key=f"rv:{target.id}:field:features").input("写出教务处独有的做法")
    app.run()
    confirm(app, t("pages.review.return"))
    returned = svc.submissions.get(users["reviewer"], target.id)
    assert returned.status == Status.RETURNED
    assert returned.reviews[-1].field_reasons == {"features": "写出教务处独有的做法"}

    # Branch 2 sees the reasons (overall and at the field), revises and resubmits.
    button(app, t("pages.sidebar.logout")).click()
    app.run()
    login(app, "branch2", PASSWORD)
    open_page(app, "pages/plan.py")
    shown = texts(app)
    assert "特色不够鲜明" in shown
    assert "写出教务处独有的做法" in shown
    # Typed text is shown as typed: Markdown in a reviewer's reason is escaped, not rendered.
    assert r"\*重点\*" in shown
    features = app.text_area(key=f"vanguard.form:{plan_key(svc)}|features")
    features.input(features.value + "每学期组织一次“评估观测点”党员擂台赛,擂台结果进入民主评议。")
    app.run()
    button(app, t("common.submit")).click()
    app.run()
    no_traceback(app)
    resubmitted = svc.submissions.get(users["branch2"], target.id)
    assert resubmitted.status == Status.SUBMITTED and resubmitted.version == 2
    assert len(svc.submissions.versions(users["branch2"], target.id)) == 2
    # The version history compares v1 with v2 field by field.
    open_page(app, "pages/plan.py")
    compared = texts(app)
    assert "特色与亮点" in compared and "评估观测点" in compared

    # The reviewer approves the new version.
    button(app, t("pages.sidebar.logout")).click()
    app.run()
    login(app, "reviewer", PASSWORD)
    open_page(app, "pages/review.py")
    confirm(app, t("pages.review.approve"))
    assert svc.submissions.get(users["reviewer"], target.id).status == Status.APPROVED


def test_stale_save_says_changed_by_someone_else_and_keeps_both_versions(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "branch1", PASSWORD)
    open_page(app, "pages/plan.py")
    plan = good_plan("党政办公室党支部")
    fill_form(app, Plan, {**plan, "title": "我的标题:党办方案"}, key=plan_key(svc))
    button(app, t("common.save_draft")).click()
    app.run()
    campaign = svc.campaigns.current()
    assert campaign is not None
    mine = own_plan(svc, users["branch1"])
    assert mine is not None
    # A colleague of the same branch saves meanwhile.
    svc.submissions.save_draft(
        users["branch1"],
        campaign_id=campaign.id,
        form_type="plan",
        data={**mine.data, "title": "同事的标题:党办方案"},
        submission_id=mine.id,
        expected_rev=mine.rev,
    )
    app.text_input(key=f"vanguard.form:{plan_key(svc)}|title").input("我的新标题:党办方案")
    app.run()  # the change is saved as typed, and the save finds the colleague's version
    no_traceback(app)
    assert "已被他人修改" in texts(app)
    button(app, t("pages.editor.keep_mine")).click()
    app.run()
    no_traceback(app)
    final = own_plan(svc, users["branch1"])
    assert final is not None and final.data["title"] == "我的新标题:党办方案"
