"""My account (issue 10 point 8): a user changes their own password on the screen, sees its
strength as they type, is told at the field what is wrong, stays signed in here while the
account's other sessions end; the demo accounts are listed with their branches."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from i18n import t
from tests.app.campaign_fixture import PASSWORD, build_campaign
from tests.app.driver import button, login, no_traceback, open_page, texts
from workflow.models import User
from workflow.services import Services
from workflow.sessions import KIND

NEW = "Quiet-Lantern-42"


@pytest.fixture
def users(svc: Services) -> dict[str, User]:
    return build_campaign(svc)


def _type(app: AppTest, old: str, new: str, again: str) -> None:
    app.text_input(key="pw_old").input(old)
    app.text_input(key="pw_new").input(new)
    app.text_input(key="pw_again").input(again)


def test_a_user_changes_their_password_and_only_other_sessions_end(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    elsewhere = svc.sessions.begin(users["branch1"]).session_id  # a phone signed in earlier
    login(app, "branch1", PASSWORD)
    here = app.session_state["vg_session_id"]
    open_page(app, "pages/account.py")
    assert "所属支部" in texts(app)
    _type(app, PASSWORD, NEW, NEW)
    app.run()
    assert f"{t('pages.account.strength')} :green[**强**]" in texts(app)
    button(app, t("pages.account.submit")).click()
    app.run()
    no_traceback(app)
    assert t("pages.account.changed") in texts(app)
    assert [d["id"] for d in svc.repo.find(KIND, {"user_id": "branch1"})] == [here]
    assert elsewhere != here
    assert app.text_input(key="pw_old").value == ""  # typed passwords are not kept
    app.run()  # the next click: still signed in here
    no_traceback(app)
    assert any(b.label == t("pages.sidebar.logout") for b in app.button)
    assert svc.accounts.authenticate("branch1", NEW).login == "branch1"


def test_a_wrong_current_password_and_a_weak_new_one_are_named_at_their_fields(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "branch1", PASSWORD)
    open_page(app, "pages/account.py")
    _type(app, "not-my-password", "password2026", "password2026")
    app.run()
    assert "不能使用" in texts(app) and "常见密码" in texts(app)  # shown while typing
    button(app, t("pages.account.submit")).click()
    app.run()
    no_traceback(app)
    assert any("当前密码不正确" in e.value for e in app.error)
    _type(app, PASSWORD, NEW, NEW + "x")
    button(app, t("pages.account.submit")).click()
    app.run()
    assert any("两次输入的密码不一致" in e.value for e in app.error)
    assert svc.accounts.authenticate("branch1", PASSWORD).login == "branch1"  # unchanged


def test_every_role_reaches_its_own_account_screen(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    for name in ("reviewer", "admin", "reader"):
        fresh = AppTest.from_file(app._script_path, default_timeout=60)
        login(fresh, name, PASSWORD)
        open_page(fresh, "pages/account.py")
        assert t("pages.account.change_password") in texts(fresh), name


def test_the_demo_accounts_are_listed_with_their_branch(app: AppTest, svc: Services) -> None:
    app.query_params["token"] = svc.setup.token() or ""
    app.run()
    button(app, t("pages.setup.load_demo")).click()
    app.run()
    no_traceback(app)
    table = app.table[0].value
    rows = dict(
        zip(table[t("pages.login.login")], table[t("workflow.field.branch_id")], strict=True)
    )
    assert rows["branch1"] == "党政办公室党支部" and rows["admin"] == ""
    for password in table[t("pages.login.password")]:
        assert not set("0Oo1lIi") & set(password)
