"""Sessions in the running app (issue 10 point 1): a sign-in opens a session in the store, and a
session ended elsewhere (sign-out in another tab, an admin disabling the account) signs this
tab out at its next click, saying why in Chinese."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from i18n import t
from tests.app.campaign_fixture import PASSWORD, build_campaign
from tests.app.driver import login, no_traceback, texts
from workflow.models import User
from workflow.services import Services
from workflow.sessions import KIND


@pytest.fixture
def users(svc: Services) -> dict[str, User]:
    return build_campaign(svc)


def test_signing_in_opens_a_session_in_the_store(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "branch1", PASSWORD)
    stored = svc.repo.find(KIND, {"user_id": "branch1"})
    assert [d["id"] for d in stored] == [app.session_state["vg_session_id"]]


def test_a_sign_out_in_another_tab_signs_this_tab_out(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "branch1", PASSWORD)
    svc.sessions.end_all(users["branch1"])  # what 退出登录 in the other tab does
    app.run()
    no_traceback(app)
    assert app.text_input(key="login_name") is not None
    assert t("pages.login.ended") in texts(app)


def test_an_account_disabled_by_an_admin_is_signed_out_at_its_next_click(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "branch1", PASSWORD)
    account = svc.accounts.get_user(users["admin"], "branch1")
    svc.accounts.update_user(
        users["admin"], account.model_copy(update={"active": False}), account.rev
    )
    app.run()
    no_traceback(app)
    assert "请重新登录" in texts(app)  # why, in Chinese
    assert not [b for b in app.button if b.label == t("pages.sidebar.logout")]
    assert svc.repo.find(KIND, {"user_id": "branch1"}) == []  # no session left to resume
