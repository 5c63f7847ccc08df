"""归档往期 on the admin's campaigns screen: a past campaign is archived after a confirmation
and reopened the same way; the current campaign offers no archive button (and the workflow
refuses it)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.campaign_fixture import PASSWORD, build_campaign
from tests.app.driver import login, no_traceback, open_page, texts
from workflow.errors import DomainError
from workflow.models import Campaign, User
from workflow.services import Services


@pytest.fixture
def past(svc: Services) -> tuple[Campaign, Campaign, User]:
    """The fixture's campaign, now past, and the next year's, started from it."""
    users = build_campaign(svc)
    (last,) = svc.campaigns.list()
    current = svc.next_year.start_from(users["admin"], last.year + 1, "下一期", last.id)
    return last, current, users["admin"]


def on_campaign(app: AppTest, campaign: Campaign) -> AppTest:
    login(app, "admin", PASSWORD)
    open_page(app, "pages/admin_campaigns.py")
    app.selectbox(key="campaign_pick").set_value(campaign.id).run()
    no_traceback(app)
    return app


def confirm(app: AppTest, key: str) -> None:
    app.button(key=key).click().run()
    app.button(key=f"{key}:yes").click().run()
    no_traceback(app)


def test_an_admin_archives_a_past_campaign_and_reopens_it(
    app: AppTest, svc: Services, past: tuple[Campaign, Campaign, User]
) -> None:
    last, _current, _admin = past
    on_campaign(app, last)
    confirm(app, f"campaign_archive:{last.id}")
    assert svc.campaigns.archived() == {last.id}
    shown = texts(app)
    assert "这一期已归档" in shown
    assert "已归档" in str(app.dataframe[0].value)

    confirm(app, f"campaign_reopen:{last.id}")
    assert svc.campaigns.archived() == set()
    assert "已恢复" in texts(app)


def test_the_current_campaign_has_no_archive_button_and_the_workflow_refuses_it(
    app: AppTest, svc: Services, past: tuple[Campaign, Campaign, User]
) -> None:
    _last, current, admin = past
    on_campaign(app, current)
    assert not [b for b in app.button if str(b.key).startswith("campaign_archive:")]
    assert "不能归档" in texts(app)
    with pytest.raises(DomainError):
        svc.campaigns.archive(admin, current.id)
