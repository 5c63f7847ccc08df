"""First run, login, roles and language: who reaches which screen, and nothing ever crashes."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from i18n import t
from pages.menu import MENUS
from tests.app.campaign_fixture import PASSWORD, build_campaign
from tests.app.conftest import ROOT
from tests.app.driver import button, login, no_traceback, open_page, texts
from workflow.models import Role, User
from workflow.services import Services

LOGIN_OF_ROLE = {
    Role.BRANCH: "branch1",
    Role.REVIEWER: "reviewer",
    Role.ADMIN: "admin",
    Role.READER: "reader",
}
PAGES_BY_ROLE = {
    LOGIN_OF_ROLE[role]: [f for files in groups.values() for f in files]
    for role, groups in MENUS.items()
}


@pytest.fixture
def users(svc: Services) -> dict[str, User]:
    return build_campaign(svc)


def test_first_run_offers_setup_and_creates_the_first_admin(app: AppTest, svc: Services) -> None:
    app.run()
    no_traceback(app)
    assert [b.label for b in app.button][:2] == [
        t("pages.setup.create_admin"),
        t("pages.setup.load_demo"),
    ]
    inputs = {w.label: w for w in app.text_input}
    inputs[t("pages.setup.login")].input("zhangsan")
    inputs[t("pages.setup.display_name")].input("张三")
    inputs[t("pages.setup.password")].input("short")
    inputs[t("pages.setup.password_again")].input("short")
    button(app, t("pages.setup.create_admin")).click()
    app.run()
    no_traceback(app)
    assert any("设置口令不正确" in e.value for e in app.error), "no token: refused, saying so"
    assert svc.repo.find("users") == []

    token = svc.setup.token()
    assert token is not None
    {w.label: w for w in app.text_input}[t("pages.setup.token")].input(token)
    button(app, t("pages.setup.create_admin")).click()
    app.run()
    no_traceback(app)
    assert any("10" in e.value for e in app.error), "a short password is refused, naming the rule"

    inputs = {w.label: w for w in app.text_input}
    inputs[t("pages.setup.password")].input("long-enough-1")
    inputs[t("pages.setup.password_again")].input("long-enough-1")
    button(app, t("pages.setup.create_admin")).click()
    app.run()
    no_traceback(app)
    assert t("pages.setup.admin_created") in texts(app)
    login(app, "zhangsan", "long-enough-1")
    assert "张三" in texts(app)


def test_first_run_demo_load_shows_the_demo_passwords_and_they_work(
    app: AppTest, svc: Services
) -> None:
    app.query_params["token"] = svc.setup.token() or ""  # the link printed on the console
    app.run()
    button(app, t("pages.setup.load_demo")).click()
    app.run()
    no_traceback(app)
    table = app.table[0].value
    logins = list(table[t("pages.login.login")])
    passwords = dict(zip(logins, table[t("pages.login.password")], strict=True))
    assert {"admin", "reviewer", "branch1", "branch2", "reader"} <= set(logins)
    login(app, "branch1", passwords["branch1"])
    campaign = svc.campaigns.current()
    assert campaign is not None and campaign.title in texts(app)


def test_login_with_the_right_password_opens_home(app: AppTest, users: dict[str, User]) -> None:
    login(app, "reviewer", PASSWORD)
    assert t("pages.home.welcome", name="机关党委审核员") in texts(app)


@pytest.mark.parametrize("name", ["reviewer", "nobody"])
def test_wrong_password_or_unknown_login_say_the_same_thing(
    app: AppTest, users: dict[str, User], name: str
) -> None:
    login(app, name, "wrong-password")
    assert [e.value for e in app.error] == ["用户名或密码错误"]
    assert app.text_input(key="login_name").value == name  # what was typed stays


def test_branch_staff_cannot_reach_reviewer_or_admin_pages(
    app: AppTest, users: dict[str, User]
) -> None:
    login(app, "branch1", PASSWORD)
    for page in ("review", "spot_check", "admin_users", "audit"):
        with pytest.raises(ValueError, match=r"Could not find a navigation page"):
            app.switch_page(f"pages/{page}.py")


@pytest.mark.parametrize("name", sorted(PAGES_BY_ROLE))
def test_every_page_of_every_role_renders_without_a_traceback(
    app: AppTest, users: dict[str, User], name: str
) -> None:
    login(app, name, PASSWORD)
    for page in PAGES_BY_ROLE[name]:
        open_page(app, f"pages/{page}.py")
        assert not [e.value for e in app.error], (page, [e.value for e in app.error])


def test_language_switch_is_kept_per_user(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "reviewer", PASSWORD)
    app.selectbox(key="vg_lang_select").select("en")
    app.run()
    no_traceback(app)
    assert t("pages.home.welcome", "en", name="机关党委审核员") in texts(app)
    assert svc.accounts.get_user(users["reviewer"], "reviewer").lang == "en"
    button(app, t("pages.sidebar.logout", "en")).click()
    app.run()
    login(app, "branch1", PASSWORD)
    assert t("pages.home.welcome", name="党办组织委员") in texts(app)  # branch1 still Chinese


def test_unexpected_error_shows_a_chinese_message_not_a_traceback(
    app: AppTest, svc: Services, users: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    login(app, "reviewer", PASSWORD)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(svc.spot_checks, "list", broken)
    open_page(app, "pages/spot_check.py")
    shown = texts(app)
    assert t("pages.error.unexpected") in shown
    assert "secret internal detail" not in shown and "Traceback" not in shown


@pytest.mark.parametrize(
    "page", ["review", "spot_check", "admin_users", "audit", "admin_rules", "review_checks"]
)
def test_reviewer_and_admin_screens_refuse_branch_staff_even_when_run_directly(
    fresh_store: None, users: dict[str, User], page: str
) -> None:
    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=60)
    at.session_state["vg_user_id"] = users["branch1"].id
    at.session_state["vg_user"] = users["branch1"]
    at.run()
    no_traceback(at)
    assert [e.value for e in at.error] == [t("pages.error.no_access")]
    assert not at.button and not at.dataframe and not at.text_area
