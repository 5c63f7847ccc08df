"""The 支部 field is shown read-only, filled in from the account's branch, and kept as the
server says: a branch cannot type another branch's name into its form."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.errors import AppTestError

from forms.launch import Plan
from i18n import t
from tests.app.campaign_fixture import PASSWORD, build_campaign, good_plan
from tests.app.driver import button, login, no_traceback, open_page
from tests.app.form_filler import fill_form
from workflow.models import User
from workflow.services import Services

FORM_APP = str(Path(__file__).parent / "apps" / "form_app.py")
BRANCH_KEY = "vanguard.form:test:{form_type}|branch"


def run_form(form_type: str, data: dict[str, object]) -> AppTest:
    at = AppTest.from_file(FORM_APP, default_timeout=30)
    at.session_state["form_type"] = form_type
    at.session_state["data"] = data
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("form_type", ["plan", "volunteer_service"])
def test_branch_field_is_read_only_and_round_trips_the_value_it_was_given(form_type: str) -> None:
    at = run_form(form_type, {"branch": "教务处党支部"})
    box = at.text_input(key=BRANCH_KEY.format(form_type=form_type))
    assert box.disabled and box.value == "教务处党支部"
    assert box.help == t("forms.bound.branch.help")
    assert at.session_state["values"]["branch"] == "教务处党支部"
    with pytest.raises(AppTestError):
        box.input("别的党支部")


def test_branch_field_follows_the_data_not_a_stale_widget_value() -> None:
    at = run_form("plan", {})
    assert at.text_input(key=BRANCH_KEY.format(form_type="plan")).value == ""
    at.session_state["data"] = {"branch": "教务处党支部"}  # as after a save: the server's value
    at.run()
    assert at.text_input(key=BRANCH_KEY.format(form_type="plan")).value == "教务处党支部"
    assert at.session_state["values"]["branch"] == "教务处党支部"


def test_plan_page_shows_the_accounts_branch_and_stores_it(app: AppTest, svc: Services) -> None:
    users: dict[str, User] = build_campaign(svc)
    login(app, "branch1", PASSWORD)
    open_page(app, "pages/plan.py")
    campaign = svc.campaigns.current()
    assert campaign is not None
    key = f"vg_ed:plan:{campaign.id}:0"
    box = app.text_input(key=f"vanguard.form:{key}|branch")
    assert box.disabled and box.value == "党政办公室党支部"
    fill_form(app, Plan, good_plan("教务处党支部"), key=key)  # 支部 is skipped: not typable
    button(app, t("common.save_draft")).click()
    app.run()
    no_traceback(app)
    (saved,) = svc.submissions.list(users["branch1"], campaign_id=campaign.id, form_type="plan")
    assert saved.data["branch"] == "党政办公室党支部"
