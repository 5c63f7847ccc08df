"""Issue 5 point 2 in a real browser: after 检查 the form marks the field a failed rule names,
and the report's link to that field scrolls the page to it.

Branch 1 opens an empty plan (no main items) and checks it; the 「主要内容」 group shows the
rule's note, and clicking 「主要内容」 in the report below the form brings the group into view.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import SHOTS
from tests.e2e.test_launch_journey import (
    click,
    demo_passwords,
    field,
    login,
    main,
    open_menu,
    shot,
    type_text,
)

pytestmark = pytest.mark.e2e
ITEMS_NOTE = "“主要内容”未填写"  # empty: not "只有 0 项" (issue 11 point 5)


def test_report_links_to_the_field_the_rule_marks(page: Page, setup_url: str) -> None:
    page.goto(setup_url)
    expect(page.get_by_role("button", name="载入演示数据")).to_be_visible(timeout=30_000)
    click(page, "载入演示数据")
    expect(page.get_by_text("演示数据已载入")).to_be_visible(timeout=30_000)
    login(page, "branch1", demo_passwords(page)["branch1"])
    open_menu(page, "实施方案")
    type_text(page, field(page, "方案标题"), "党政办公室党支部“先锋工程”实施方案")
    click(page, "检查")

    note = main(page).get_by_test_id("stAlert").filter(has_text="规则检查 · 必须修改")
    note = note.filter(has_text=ITEMS_NOTE)
    expect(note).to_have_count(1)
    anchor = page.locator("#vg-f-items")
    expect(anchor).to_have_count(1)
    group = main(page).get_by_role("heading", name="主要内容")
    note_box, group_box = note.bounding_box(), group.bounding_box()
    assert note_box and group_box and note_box["y"] > group_box["y"]  # under the group's title

    link = main(page).get_by_role("link", name="「主要内容」").first
    expect(link).to_have_attribute("href", "#vg-f-items")
    link.scroll_into_view_if_needed()
    expect(group).not_to_be_in_viewport()  # the report is far below the group
    shot(page, "rule-explanations-01-report")
    link.click()
    expect(group).to_be_in_viewport()
    expect(note).to_be_in_viewport()
    page.screenshot(path=str(SHOTS / "rule-explanations-02-jumped.png"))
