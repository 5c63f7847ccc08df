"""Admin screens: bad input names the field and the fix; good input is stored."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from i18n import t
from tests.app.campaign_fixture import PASSWORD, build_campaign
from tests.app.driver import button, login, no_traceback, open_page
from workflow.models import User
from workflow.services import Services


@pytest.fixture
def users(svc: Services) -> dict[str, User]:
    return build_campaign(svc)


def test_branch_with_a_too_short_name_is_refused_at_the_name_field_then_created(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "admin", PASSWORD)
    open_page(app, "pages/admin_branches.py")
    name = next(w for w in app.text_input if w.label == t("pages.branches.name"))
    name.input("图")
    button(app, t("pages.common.save")).click()
    app.run()
    no_traceback(app)
    assert "支部名称:至少 2 个字" in [e.value for e in app.error]
    assert len(svc.branches.list()) == 2

    name = next(w for w in app.text_input if w.label == t("pages.branches.name"))
    assert name.value == "图", "what was typed stays after the error"
    name.input("图书馆党支部")
    assert app.multiselect[0].proto.placeholder == "请选择(可多选)"  # not Streamlit's English
    app.multiselect[0].select("学科建设")
    button(app, t("pages.common.save")).click()
    app.run()
    no_traceback(app)
    created = [b for b in svc.branches.list() if b.name == "图书馆党支部"]
    assert created and created[0].central_work == ["学科建设"]


def test_branch_account_without_a_branch_is_refused_at_the_branch_field(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "admin", PASSWORD)
    open_page(app, "pages/admin_users.py")
    inputs = {}
    for widget in app.text_input:  # the create tab comes first; the edit tab repeats labels
        inputs.setdefault(widget.label, widget)
    inputs[t("pages.users.login")].input("wanglei")
    inputs[t("pages.users.display_name")].input("王磊")
    inputs[t("pages.users.password")].input("long-enough-2")
    button(app, t("pages.users.create")).click()
    app.run()
    no_traceback(app)
    assert "支部账户必须选择所属支部" in [e.value for e in app.error]
    assert all(u.login != "wanglei" for u in svc.accounts.list_users(users["admin"]))


def test_admin_resets_a_password_and_the_user_logs_in_with_it(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "admin", PASSWORD)
    open_page(app, "pages/admin_users.py")
    form_select = [s for s in app.selectbox if s.label == t("pages.users.pick")][-1]
    form_select.select("branch2")
    new = next(w for w in app.text_input if w.label == t("pages.users.new_password"))
    new.input("new-secret-99")
    button(app, t("pages.users.reset_password")).click()
    app.run()
    no_traceback(app)
    assert svc.accounts.authenticate("branch2", "new-secret-99").login == "branch2"
