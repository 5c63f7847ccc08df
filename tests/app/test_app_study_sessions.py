"""S1 in the app: a study session with its attendance warning and sign-in sheet upload."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from forms.launch import StudySession
from i18n import t
from tests.app.campaign_fixture import PASSWORD, YEAR, build_campaign
from tests.app.driver import button, login, no_traceback, open_page, texts
from tests.app.form_filler import fill_form
from tests.sample_files import PNG
from workflow.models import Status, User
from workflow.services import Services

NEW_KEY = "vg_ed:study_session:new:0"
SESSION = {
    "branch": "党政办公室党支部",
    "date": dt.date(YEAR, 3, 12).isoformat(),
    "topic": "学习贯彻全国教育大会精神",
    "documents": ["全国教育大会重要讲话精神"],
    "members": 20,
    "attendees": 15,
    "hours": 2.0,
    "notes": "书记领学实施意见,党员逐一发言,围绕本支部窗口服务工作讨论落实措施,形成三条整改意见。",
}


@pytest.fixture
def users(svc: Services) -> dict[str, User]:
    return build_campaign(svc)


def sessions(svc: Services, user: User) -> list:  # type: ignore[type-arg]
    campaign = svc.campaigns.current()
    assert campaign is not None
    return svc.submissions.list(user, campaign_id=campaign.id, form_type="study_session")


def test_low_attendance_is_warned_and_the_session_can_still_be_submitted(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "branch1", PASSWORD)
    open_page(app, "pages/study_sessions.py")
    fill_form(app, StudySession, SESSION, key=NEW_KEY)
    button(app, t("pages.editor.check")).click()
    app.run()
    no_traceback(app)
    assert "80%" in texts(app), "the rule warning below 80% attendance is shown"
    button(app, t("common.submit")).click()
    app.run()
    no_traceback(app)
    [stored] = sessions(svc, users["branch1"])
    assert stored.status == Status.SUBMITTED, texts(app)
    assert stored.data["attendees"] == 15 and stored.data["members"] == 20


def test_sign_in_sheet_of_a_wrong_type_is_refused_and_a_photo_is_kept(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "branch1", PASSWORD)
    open_page(app, "pages/study_sessions.py")
    fill_form(app, StudySession, SESSION, key=NEW_KEY)
    app.get("file_uploader")[0].set_value([("sheet.exe", b"MZ", "application/octet-stream")])
    app.run()
    assert any(".exe" in e.value or "类型" in e.value for e in app.error), [
        e.value for e in app.error
    ]
    app.get("file_uploader")[0].set_value([("sheet.png", PNG, "image/png")])
    app.run()
    button(app, t("common.save_draft")).click()
    app.run()
    no_traceback(app)
    [stored] = sessions(svc, users["branch1"])
    [attachment] = stored.data["attachments"]
    assert attachment["name"] == "sheet.png" and attachment["size"] == len(PNG)
    assert svc.repo.get_blob(attachment["blob"]) == PNG
    assert "sheet.png" in texts(app) or any("sheet.png" in str(x.value) for x in app.text)
