"""Issue 10 point 1 in chromium: a reload, a new tab, the back button and a pasted URL keep the
user signed in; the cookie is HttpOnly and SameSite=Strict; a screen the role may not see says
so in Chinese; a pasted URL asks a signed-out user to sign in and then opens that screen;
signing out ends the session everywhere (the old cookie no longer signs anyone in).

Screenshots at 1366×768 (and the branch's screens at 390×844) go to ``/tmp/e2e-shots``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import SHOTS
from tests.e2e.test_launch_journey import idle, login, logout
from workflow.sessions import COOKIE

pytestmark = pytest.mark.e2e
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
NOT_FOUND = "Page not found"
REFUSED = "您没有权限访问此页面"


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    context.set_default_timeout(20_000)
    expect.set_options(timeout=15_000)
    yield context
    context.close()


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"session-{name}.png"), full_page=True)


def open_url(page: Page, url: str) -> None:
    page.goto(url)
    idle(page)


def session_cookie(page: Page) -> dict[str, object]:
    """The session cookie, once the sign-in's page load has set it."""
    for _ in range(900):  # a busy 2-core runner (the whole suite at once) may take many seconds
        found = [c for c in page.context.cookies() if c["name"] == COOKIE]
        if found:
            idle(page)  # the screen after the hand-off has loaded
            return dict(found[0])
        page.wait_for_timeout(100)
    raise AssertionError("no session cookie after signing in")


def signed_in(page: Page) -> None:
    expect(page.get_by_role("button", name="退出登录", exact=True)).to_be_visible()
    expect(page.get_by_text(NOT_FOUND)).to_have_count(0)


def signed_out(page: Page) -> None:
    expect(page.get_by_role("button", name="登录", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="退出登录", exact=True)).to_have_count(0)


def title(page: Page, text: str) -> None:
    expect(
        page.get_by_test_id("stMain").get_by_role("heading", name=text, exact=True)
    ).to_be_visible()


def test_sign_in_survives_reload_new_tab_back_button_and_pasted_url(
    passwords: dict[str, str], app_url: str, context: BrowserContext
) -> None:
    page = context.new_page()
    open_url(page, app_url)
    login(page, "branch1", passwords["branch1"])
    cookie = session_cookie(page)
    signed_in(page)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict", cookie
    assert passwords["branch1"] not in cookie["value"]
    shot(page, "1-signed-in")

    page.reload()
    idle(page)
    signed_in(page)
    shot(page, "2-after-reload")

    open_url(page, f"{app_url}/branch-plan")  # a pasted URL of the branch's own screen
    signed_in(page)
    title(page, "支部“先锋工程”实施方案")
    page.go_back()
    idle(page)
    signed_in(page)

    tab = context.new_page()  # a new tab of the same browser
    open_url(tab, f"{app_url}/study-sessions")
    signed_in(tab)
    title(tab, "组织生活学习记录")
    shot(tab, "3-new-tab")

    open_url(tab, f"{app_url}/start")  # the start page's own URL opens it at /
    signed_in(tab)
    expect(tab.get_by_text("待办事项", exact=True)).to_be_visible()
    assert tab.url.rstrip("/") == app_url.rstrip("/"), tab.url

    open_url(tab, f"{app_url}/submissions")  # a reviewer's screen
    signed_in(tab)
    expect(tab.get_by_text(REFUSED)).to_be_visible()
    shot(tab, "4-refused-in-chinese")

    logout(page)
    idle(page)
    assert COOKIE not in {c["name"] for c in context.cookies()}
    open_url(tab, app_url)  # the other tab is signed out too
    signed_out(tab)
    shot(tab, "5-signed-out-everywhere")


def test_an_old_cookie_signs_nobody_in_after_sign_out(
    passwords: dict[str, str], app_url: str, browser: Browser
) -> None:
    first = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = first.new_page()
    open_url(page, app_url)
    login(page, "branch2", passwords["branch2"])
    stolen = session_cookie(page)
    second = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    second.add_cookies([stolen])  # type: ignore[list-item]  # the same cookie in another browser: signed in while it lasts
    other = second.new_page()
    open_url(other, app_url)
    signed_in(other)
    logout(page)
    idle(page)
    open_url(other, app_url)
    signed_out(other)
    expect(other.get_by_text("您的登录已结束")).to_be_visible()
    first.close()
    second.close()


def test_pasted_url_asks_a_signed_out_user_to_sign_in_then_opens_it(
    passwords: dict[str, str], app_url: str, context: BrowserContext
) -> None:
    page = context.new_page()
    open_url(page, f"{app_url}/submissions")
    signed_out(page)
    expect(page.get_by_text(NOT_FOUND)).to_have_count(0)
    login(page, "reviewer", passwords["reviewer"])
    session_cookie(page)
    assert urlsplit(page.url).path == "/submissions", page.url
    title(page, "待审核材料")
    shot(page, "6-pasted-url-after-sign-in")


def test_branch_screens_on_a_phone_keep_the_sign_in(
    passwords: dict[str, str], app_url: str, browser: Browser
) -> None:
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    open_url(page, f"{app_url}/branch-plan")
    login(page, "branch1", passwords["branch1"])
    session_cookie(page)
    page.reload()
    idle(page)
    title(page, "支部“先锋工程”实施方案")
    shot(page, "7-phone-plan-after-reload")
    context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366x768", "390x844"])
def test_what_is_typed_survives_a_reload(
    passwords: dict[str, str], app_url: str, browser: Browser, viewport: dict[str, int]
) -> None:
    context = browser.new_context(viewport=viewport, locale="zh-CN")  # type: ignore[arg-type]
    page = context.new_page()
    open_url(page, f"{app_url}/branch-plan")
    login(page, "branch1", passwords["branch1"])  # branch 2's demo plan is submitted already
    session_cookie(page)
    typed = f"党政办公室党支部先锋工程方案(自动保存 {viewport['width']})"
    box = page.get_by_test_id("stMain").get_by_label(re.compile(r"^方案标题( \*)?$"))
    shot(page, "8-before-typing")
    box.fill(typed)
    box.press("Tab")  # leaving the field sends it, like any click elsewhere
    idle(page)
    expect(page.get_by_text(re.compile(r"已自动保存 \d\d:\d\d"))).to_be_visible()
    name = f"8-autosaved-{viewport['width']}"
    shot(page, name)
    page.reload()
    idle(page)
    box = page.get_by_test_id("stMain").get_by_label(re.compile(r"^方案标题( \*)?$"))
    expect(box).to_have_value(typed)
    shot(page, f"{name}-after-reload")
    context.close()
