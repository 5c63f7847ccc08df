"""Issue 10 points 2, 3 and 7 in the app: what is typed is saved as it is typed (invalid too),
the page says when; an old error goes once its field changes and the shown report is checked
again; an attached photo satisfies the upload rule; the submit banner lists the problems, and
the outcome shows under the buttons; approving asks first, and 取消 changes nothing."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from forms.launch import Plan, StudySession
from i18n import t
from tests.app.campaign_fixture import PASSWORD, build_campaign, good_plan
from tests.app.conftest import APP
from tests.app.driver import button, login, no_traceback, open_page, texts
from tests.app.form_filler import fill_form
from tests.app.test_app_launch_stage import own_plan, plan_key
from tests.app.test_app_study_sessions import NEW_KEY, SESSION, sessions
from workflow.models import Status, User
from workflow.services import Services

UPLOAD_RULE = "没有上传签到表或照片"
SAVED_AT = re.compile(r"已自动保存 \d\d:\d\d")


@pytest.fixture
def users(svc: Services) -> dict[str, User]:
    return build_campaign(svc)


def title_box(app: AppTest, svc: Services):  # type: ignore[no-untyped-def]
    return app.text_input(key=f"vanguard.form:{plan_key(svc)}|title")


def test_typing_saves_the_draft_and_says_when(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "branch1", PASSWORD)
    open_page(app, "pages/plan.py")
    assert own_plan(svc, users["branch1"]) is None
    assert not SAVED_AT.search(texts(app))
    title_box(app, svc).input("党办方")  # too short to submit: drafts may be invalid
    app.run()
    no_traceback(app)
    saved = own_plan(svc, users["branch1"])
    assert saved is not None and saved.data["title"] == "党办方"
    assert saved.status == Status.DRAFT
    assert SAVED_AT.search(texts(app)), texts(app)


def test_a_new_browser_session_finds_what_was_typed(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "branch1", PASSWORD)
    open_page(app, "pages/plan.py")
    title_box(app, svc).input("党办2026年先锋工程方案")
    app.run()
    reload = AppTest.from_file(APP, default_timeout=60)  # a reload: nothing in session_state
    login(reload, "branch1", PASSWORD)
    open_page(reload, "pages/plan.py")
    assert title_box(reload, svc).value == "党办2026年先锋工程方案"


def test_a_reload_on_a_list_screen_comes_back_to_the_record_being_typed(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    """On a screen with a list (学习记录, 通讯报道, 填报 …) the record being typed is in the
    address, so F5 or the copied address opens it again, not a blank 新建."""
    login(app, "branch1", PASSWORD)
    open_page(app, "pages/study_sessions.py")
    topic = app.text_input(key=f"vanguard.form:{NEW_KEY}|topic")
    topic.input("学习贯彻全国教育大会精神")
    app.run()
    no_traceback(app)
    [draft] = sessions(svc, users["branch1"])
    app.run()  # the next run opens the draft the editor started
    assert app.selectbox(key="pick:study_session").value == draft.id
    assert app.query_params["open"] == draft.id
    headings = list(app.dataframe[0].value.columns)  # labels as the form shows them
    assert len(headings) == 5 and not any("「" in h for h in headings), headings

    reload = AppTest.from_file(APP, default_timeout=60)  # F5: the same address, a new session
    reload.query_params["open"] = draft.id
    login(reload, "branch1", PASSWORD)
    open_page(reload, "pages/study_sessions.py")
    assert reload.selectbox(key="pick:study_session").value == draft.id
    assert any(box.value == "学习贯彻全国教育大会精神" for box in reload.text_input)

    reload.selectbox(key="pick:study_session").select("__new__").run()  # the pick on screen
    assert reload.selectbox(key="pick:study_session").value == "__new__"  # wins over the
    assert "open" not in reload.query_params  # address, which follows it


def test_a_fields_old_error_goes_when_it_changes_and_stays_while_it_is_wrong(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "branch1", PASSWORD)
    open_page(app, "pages/plan.py")
    plan = good_plan("党政办公室党支部")
    fill_form(app, Plan, {**plan, "title": "方"}, key=plan_key(svc))
    button(app, t("common.submit")).click()
    app.run()
    no_traceback(app)
    assert any("方案标题" in e.value for e in app.error)
    goals = app.text_area(key=f"vanguard.form:{plan_key(svc)}|goals")
    goals.input(goals.value + "再补充一句。")
    app.run()
    no_traceback(app)
    assert any("方案标题" in e.value for e in app.error)  # another field changed: still wrong
    title_box(app, svc).input(plan["title"])
    app.run()
    no_traceback(app)
    assert not any("方案标题" in e.value for e in app.error), [e.value for e in app.error]  # fixed


def test_an_attached_photo_satisfies_the_upload_rule_at_once(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "branch1", PASSWORD)
    open_page(app, "pages/study_sessions.py")
    fill_form(app, StudySession, SESSION, key=NEW_KEY)
    button(app, t("pages.editor.check")).click()
    app.run()
    assert UPLOAD_RULE in texts(app)
    photo = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(photo, format="PNG")
    app.get("file_uploader")[0].set_value([("photo.png", photo.getvalue(), "image/png")])
    app.run()
    no_traceback(app)
    [stored] = sessions(svc, users["branch1"])
    assert [a["name"] for a in stored.data["attachments"]] == ["photo.png"]
    assert UPLOAD_RULE not in texts(app)
    assert t("pages.editor.report_title") in texts(app)  # the report was checked again


def test_the_submit_banner_lists_the_problems_and_the_outcome_is_under_the_buttons(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "branch1", PASSWORD)
    open_page(app, "pages/plan.py")
    plan = good_plan("党政办公室党支部")
    fill_form(app, Plan, {**plan, "items": plan["items"][:1]}, key=plan_key(svc))
    button(app, t("common.submit")).click()
    app.run()
    no_traceback(app)
    [banner] = [e.value for e in app.error if "必须修改后才能提交" in e.value]
    assert "\n- " in banner and "。;" not in banner, banner  # one problem per line
    under_button = t("pages.editor.submit_stopped", n=1)
    assert under_button in [e.value for e in app.error]


def test_approving_asks_first_and_cancel_changes_nothing(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    plan = good_plan("党政办公室党支部")
    campaign = svc.campaigns.current()
    assert campaign is not None
    draft = svc.submissions.save_draft(
        users["branch1"], campaign_id=campaign.id, form_type="plan", data=plan
    )
    submitted = svc.submissions.submit(users["branch1"], draft.id, draft.rev)
    login(app, "reviewer", PASSWORD)
    open_page(app, "pages/review.py")
    button(app, t("pages.review.approve")).click()
    app.run()
    no_traceback(app)
    shown = texts(app)
    assert "审核通过" in shown and t("pages.confirm.undo") in shown
    assert svc.submissions.get(users["reviewer"], submitted.id).status == Status.SUBMITTED
    button(app, t("pages.confirm.no")).click()
    app.run()
    no_traceback(app)
    assert svc.submissions.get(users["reviewer"], submitted.id).status == Status.SUBMITTED
    assert t("pages.confirm.undo") not in texts(app)  # the dialog is closed
