"""Issue 10 point 10 and point 8 in chromium, on a server of its own.

- The very first page load after the server starts, of a pasted screen URL, opens the app
  (sign-in, then that screen), never Streamlit's English "Page not found" (it did: the router
  switched Streamlit off its automatic ``pages/`` routing only during the first script run).
- Every screen of every role at 1366×768, and the branch's screens at 390×844: no error, no
  "Page not found", nothing wider than the window; the reviewer sees the queue's rows in the
  first screenful. A screenshot of the first screenful of each goes to
  ``/tmp/e2e-shots/fit-<size>-<role>-<screen>.png``.
- A user changes their password on 我的账号: the strength shows as typed; the other browser
  signed in to the account is signed out, this one stays in; the new password signs in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from pages.menu import MENUS, SCREENS
from tests.e2e.conftest import SHOTS
from tests.e2e.test_launch_journey import click, idle, login
from tests.e2e.test_sessions import NOT_FOUND, session_cookie, signed_in, signed_out
from workflow.models import Role

pytestmark = pytest.mark.e2e
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
LOGIN = {
    Role.BRANCH: "branch1",
    Role.REVIEWER: "reviewer",
    Role.ADMIN: "admin",
    Role.READER: "reader",
}


def _context(browser: Browser, viewport: dict[str, int]) -> BrowserContext:
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone = viewport["width"] < 600
    context = browser.new_context(
        viewport=viewport,  # type: ignore[arg-type]
        locale="zh-CN",
        is_mobile=phone,
        has_touch=phone,
    )
    context.set_default_timeout(20_000)
    expect.set_options(timeout=15_000)
    return context


@pytest.fixture
def desktop(browser: Browser) -> Iterator[BrowserContext]:
    context = _context(browser, DESKTOP)
    yield context
    context.close()


def test_the_first_page_load_after_start_up_opens_a_pasted_url(
    passwords: dict[str, str], app_url: str, desktop: BrowserContext
) -> None:
    """Must stay this module's first test: its server has served nothing yet."""
    page = desktop.new_page()
    page.goto(f"{app_url}/submissions")
    idle(page)
    page.screenshot(path=str(SHOTS / "fit-first-load.png"))
    expect(page.get_by_text(NOT_FOUND)).to_have_count(0)
    signed_out(page)
    login(page, "reviewer", passwords["reviewer"])
    session_cookie(page)
    expect(page.get_by_text(NOT_FOUND)).to_have_count(0)
    expect(
        page.get_by_test_id("stMain").get_by_role("heading", name="待审核材料", exact=True)
    ).to_be_visible()


def _overflow(page: Page) -> int:
    """How many pixels the page is wider than the window (0: nothing cut or scrolled sideways)."""
    return int(
        page.evaluate(
            "() => Math.max(document.documentElement.scrollWidth,"
            " document.querySelector('[data-testid=stMain]')?.scrollWidth || 0)"
            " - window.innerWidth"
        )
    )


def _screens(role: Role) -> list[str]:
    return [f for files in MENUS[role].values() for f in files]


def _visit_all(
    browser: Browser, app_url: str, passwords: dict[str, str], role: Role, viewport: dict[str, int]
) -> dict[str, int]:
    """Open every screen of ``role`` at ``viewport``; the sideways overflow of each."""
    context = _context(browser, viewport)
    page = context.new_page()
    page.goto(app_url)
    login(page, LOGIN[role], passwords[LOGIN[role]])
    session_cookie(page)
    overflow: dict[str, int] = {}
    size = f"{viewport['width']}x{viewport['height']}"
    for file in _screens(role):
        path = "" if file == "home" else SCREENS[file][0]  # the start page lives at /
        page.goto(f"{app_url}/{path}")
        idle(page)
        if viewport is DESKTOP:  # a phone folds the sidebar (and its 退出登录) away
            signed_in(page)
        expect(page.get_by_text(NOT_FOUND)).to_have_count(0)
        expect(page.get_by_test_id("stMain").get_by_role("heading").first).to_be_visible()
        page.wait_for_timeout(500)  # tables draw on a canvas after the run
        page.screenshot(path=str(SHOTS / f"fit-{size}-{role.value}-{file}.png"))
        overflow[file] = _overflow(page)
    context.close()
    return overflow


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_every_screen_fits_1366_by_768(
    passwords: dict[str, str], app_url: str, browser: Browser, role: Role
) -> None:
    overflow = _visit_all(browser, app_url, passwords, role, DESKTOP)
    assert {f: px for f, px in overflow.items() if px > 0} == {}


def test_the_branchs_screens_fit_a_phone(
    passwords: dict[str, str], app_url: str, browser: Browser
) -> None:
    overflow = _visit_all(browser, app_url, passwords, Role.BRANCH, PHONE)
    assert {f: px for f, px in overflow.items() if px > 0} == {}


def test_the_reviewer_sees_the_queue_in_the_first_screenful(
    passwords: dict[str, str], app_url: str, desktop: BrowserContext
) -> None:
    page = desktop.new_page()
    page.goto(f"{app_url}/submissions")
    login(page, "reviewer", passwords["reviewer"])
    session_cookie(page)
    table = page.get_by_test_id("stMain").get_by_test_id("stDataFrame").first
    expect(table).to_be_visible()
    box = table.bounding_box()
    assert box is not None
    header_and_two_rows = 3 * 35
    assert box["y"] + header_and_two_rows <= DESKTOP["height"], box
    assert box["x"] + box["width"] <= DESKTOP["width"], box
    hidden = page.evaluate(  # the grid's own sideways scroll: a column cut at the right edge
        "() => { const s = document.querySelector('[data-testid=stMain] "
        "[data-testid=stDataFrame] .dvn-scroller'); return s.scrollWidth - s.clientWidth; }"
    )
    page.screenshot(path=str(SHOTS / "fit-queue-1366x768.png"))
    assert hidden <= 0, f"the queue's last {hidden} px (提交时间) are cut off"


def enter(page: Page, box: Locator, text: str) -> None:
    """Type into a password box and press Enter (Tab would only reach its show-password
    button, which keeps the value in the browser)."""
    box.fill(text)
    box.press("Enter")
    idle(page)


def test_changing_the_password_signs_the_other_browser_out_and_keeps_this_one(
    passwords: dict[str, str], app_url: str, browser: Browser
) -> None:
    here, there = _context(browser, DESKTOP), _context(browser, PHONE)
    mine, other = here.new_page(), there.new_page()
    for page in (mine, other):
        page.goto(app_url)
        login(page, "branch3", passwords["branch3"])
        session_cookie(page)
    mine.goto(f"{app_url}/my-account")
    idle(mine)
    main = mine.get_by_test_id("stMain")
    new = "Quiet-Lantern-42"
    enter(mine, main.get_by_label("当前密码"), passwords["branch3"])
    enter(mine, main.get_by_label("新密码", exact=True), new)
    expect(main.get_by_text(re.compile(r"^密码强度:\s*强$"))).to_be_visible()
    enter(mine, main.get_by_label("再次输入新密码"), new)
    mine.screenshot(path=str(SHOTS / "fit-password-typed.png"))
    click(mine, "修改密码")
    expect(mine.get_by_text("密码已修改")).to_be_visible()
    mine.screenshot(path=str(SHOTS / "fit-password-changed.png"))

    other.reload()  # the other browser: signed out
    idle(other)
    signed_out(other)
    mine.reload()  # this one: still in
    idle(mine)
    signed_in(mine)
    login(other, "branch3", new)
    signed_in(other)
    here.close()
    there.close()
