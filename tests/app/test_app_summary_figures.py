"""S11 in the app: the summary shows the branch's figures read-only beside the form, counted
from its records as they stand, and saves them as the server counts them."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from i18n import t
from tests.app.campaign_fixture import PASSWORD, build_campaign
from tests.app.driver import button, login, no_traceback, open_page, texts
from tests.app.test_app_study_sessions import SESSION
from workflow.models import Campaign, User
from workflow.services import Services


def evaluation_stage(svc: Services, admin: User) -> Campaign:
    campaign = svc.campaigns.current()
    assert campaign is not None
    return svc.campaigns.update(
        admin, {**campaign.model_dump(), "stage": "evaluate"}, expected_rev=campaign.rev
    )


def submit_session(svc: Services, staff: User, campaign: Campaign) -> None:
    draft = svc.submissions.save_draft(
        staff, campaign_id=campaign.id, form_type="study_session", data=SESSION
    )
    svc.submissions.submit(staff, draft.id, draft.rev)


@pytest.fixture
def users(svc: Services) -> dict[str, User]:
    return build_campaign(svc)


def figure(app: AppTest, label: str) -> str:
    """The text shown after the read-only figure ``label``."""
    for element in app.markdown:
        if str(element.value).startswith(f"**{label}**"):
            return str(element.value).split("\n", 1)[1]
    raise AssertionError(f"{label} not shown in {texts(app)}")


def test_the_summary_shows_and_saves_the_figures_of_the_branchs_records(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    campaign = evaluation_stage(svc, users["admin"])
    submit_session(svc, users["branch1"], campaign)
    login(app, "branch1", PASSWORD)
    open_page(app, "pages/fill.py")
    app.selectbox(key="fill_type").select("summary")
    app.run()
    no_traceback(app)
    assert figure(app, "学习次数") == "1" and figure(app, "平均出席率") == "75%"
    submit_session(svc, users["branch1"], campaign)  # a new record: the next run follows it
    app.run()
    assert figure(app, "学习次数") == "2"
    button(app, t("common.save_draft")).click()
    app.run()
    no_traceback(app)
    (saved,) = svc.submissions.list(users["branch1"], campaign_id=campaign.id, form_type="summary")
    assert saved.data["statistics"]["study_sessions"] == 2
