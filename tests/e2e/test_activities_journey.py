"""Issue 13 points 2 and 3 in a real browser (chromium, 1366×768; the partner's screen at
390×844): theme practice activities with a near-repeat warning and the variety of forms, a
joint innovation activity with a partner picked from the branch list that shows on the
partner's page once submitted, and the committee's table per branch.

Screenshots go to ``/tmp/e2e-shots`` (activities-*.png).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.test_launch_journey import (
    click,
    field,
    idle,
    load_demo,
    login,
    logout,
    main,
    open_menu,
    pick,
    pick_many,
    shot,
    type_text,
)
from tests.e2e.test_news_journey import type_date

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}
THEIRS = "迎校庆·党员讲解员走进校史馆"
OURS = "迎校庆·党员讲解员进校史馆"
JOINT = "窗口服务联合创优行动"


@pytest.fixture
def viewport() -> dict[str, int]:
    """1366×768, the size of the school office's laptops."""
    return {"width": 1366, "height": 768}


def record_theme(page: Page, theme: str, forms: str) -> None:
    open_menu(page, "主题实践")
    type_text(page, field(page, "活动主题"), theme)
    type_date(page, "活动日期", "20260920")
    type_text(page, field(page, "活动形式"), forms)
    type_text(page, field(page, "参加人数"), "12")
    click(page, "提交")
    expect(page.get_by_text("已提交,等待审核。")).to_be_visible()


def test_activities_journey(page: Page, browser: Browser, setup_url: str, app_url: str) -> None:
    passwords = load_demo(page, setup_url)  # the first-run link from the server's console

    # Branch 2 records a theme activity; branch 1's nearly repeats it and is warned.
    login(page, "branch2", passwords["branch2"])
    record_theme(page, THEIRS, "参观学习")
    logout(page)
    login(page, "branch1", passwords["branch1"])
    record_theme(page, OURS, "参观学习\n志愿服务")
    open_menu(page, "主题实践")
    warning = main(page).get_by_text(re.compile("主题相似度达"))
    expect(warning.first).to_be_visible()
    expect(warning.first).to_contain_text("教务处党支部")
    expect(main(page).get_by_text("活动形式 2 种:参观学习 ×1、志愿服务 ×1")).to_be_visible()
    shot(page, "activities-01-theme-warning")

    # Branch 1 runs an innovation activity jointly with branch 2, picked from the list.
    open_menu(page, "创新活动")
    type_text(page, field(page, "活动名称"), JOINT)
    main(page).get_by_text("服务质量", exact=True).click()
    idle(page)
    main(page).get_by_text("跨支部联合", exact=True).click()
    idle(page)
    partners = field(page, "合作支部")
    pick_many(page, partners, ["教务处党支部"])
    type_date(page, "开始日期", "20260501")
    type_date(page, "结束日期", "20260630")
    shot(page, "activities-02-joint-activity")
    click(page, "提交")
    expect(page.get_by_text("已提交,等待审核。")).to_be_visible()
    logout(page)

    # Branch 2, on a phone, finds it on its own innovation page (pasted URL, then sign-in).
    phone = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    mobile = phone.new_page()
    mobile.set_default_timeout(20_000)
    mobile.goto(f"{app_url}/innovation-activities")
    login(mobile, "branch2", passwords["branch2"])
    idle(mobile)
    mobile.get_by_role("tab", name=re.compile(r"其他支部邀请联合开展\(1\)")).click()
    idle(mobile)
    expect(main(mobile).get_by_text(JOINT)).to_be_visible()
    expect(main(mobile).get_by_text(re.compile("党政办公室党支部发起"))).to_be_visible()
    expect(main(mobile).get_by_text(re.compile("计入本支部的创新活动:1 项"))).to_be_visible()
    shot(mobile, "activities-03-partner-phone")
    phone.close()

    # The committee reads every branch's counts and picks branch 1's list.
    login(page, "reviewer", passwords["reviewer"])
    open_menu(page, "主题实践")
    expect(main(page).get_by_test_id("stDataFrame").first).to_be_visible()
    pick(page, main(page).get_by_label("查看支部"), "党政办公室党支部")
    expect(main(page).get_by_text(re.compile("主题相似度达")).first).to_be_visible()
    shot(page, "activities-04-committee")
