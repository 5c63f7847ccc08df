"""Issue 16 in a real browser at 1366×768: build a form and its rules without YAML.

On the demo store the admin creates 党员服务日登记 on 表单设计, types its fields into the table
cell by cell (a text, a long text, a number, a month, a choice with its options), sees the form
drawn beside the table and its YAML under 高级, and publishes it (every other field type goes
through the same table in tests/app/test_form_builder_page.py). On 规则设计 the admin adds
three rules (服务内容 至少 20 字 退回, 服务时长 0.5–24 提醒, 服务地点 必填 一票否决), previews
the impact and publishes; the form's next version names the rule set. Branch 1 fills the form
on 填报: a short 服务内容 is returned with the rule's wording; written out in full it is
submitted, and its PDF downloads. The admin then copies 主题实践活动记录 as 党员志愿服务日登记
(复制为新表单 keeps it as a draft), moves it to the launch stage and publishes it; branch 1 finds
it on 填报 with the copied fields. No screen ever shows a traceback.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.test_launch_journey import (
    click,
    idle,
    login,
    logout,
    main,
    open_menu,
    open_options,
    pick,
    shot,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def viewport() -> dict[str, int]:
    return {"width": 1366, "height": 768}


def passwords_of(page: Page) -> dict[str, str]:
    """Each demo login → its password, as the sign-in screen lists them (login, password …)."""
    rows = page.get_by_test_id("stTable").locator("tbody tr")
    expect(rows.first).to_be_visible()
    found = {}
    for i in range(rows.count()):
        cells = [c.strip() for c in rows.nth(i).locator("td").all_inner_texts()]
        found[cells[0]] = cells[1]
    return found


def open_screen(page: Page, title: str) -> None:
    """Open a menu entry, unfolding the menu first when it shows only its first entries."""
    more = page.get_by_test_id("stSidebarNav").get_by_text(re.compile(r"^View \d+ more$"))
    if more.count():
        more.click()
    open_menu(page, title)


def box(page: Page, label: str, nth: int = 0) -> Locator:
    return main(page).get_by_role("textbox", name=label).nth(nth)


def type_in(page: Page, target: Locator, text: str) -> None:
    target.click()
    target.fill(text)
    target.press("Tab")
    idle(page)


ROW = 35  # glide-data-grid's row and header height in Streamlit
MARKER = 33  # the row-marker column on the left


def cell(page: Page, row: int, column_x: int) -> tuple[float, float]:
    """Where a cell is on the screen, scrolling the page until it is in view."""
    found = grid(page).bounding_box()
    assert found is not None
    x, y = found["x"] + MARKER + column_x, found["y"] + ROW * (row + 1) + ROW / 2
    if not 80 < y < 768 - 60:
        grid(page).evaluate("el => el.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(300)
        found = grid(page).bounding_box()
        assert found is not None
        x, y = found["x"] + MARKER + column_x, found["y"] + ROW * (row + 1) + ROW / 2
    return x, y


def grid(page: Page) -> Locator:
    return main(page).get_by_test_id("stDataFrame").first


LABEL, KIND, OPTIONS = 20, 145, 289  # x of a cell in each column, from the row markers


def type_cell(page: Page, row: int, column_x: int, text: str) -> None:
    """Open a text cell's editor, type, and leave it (Tab commits the edit)."""
    x, y = cell(page, row, column_x)
    page.mouse.click(x, y)
    page.keyboard.press("Enter")  # opens the cell's editor (typed Chinese goes into it)
    page.wait_for_timeout(200)
    page.keyboard.type(text)
    page.keyboard.press("Tab")
    idle(page)


def add_field(page: Page, row: int, label: str, kind: str | None, options: str = "") -> None:
    """Add a table row, type its label, pick its type (Tab moves to the type cell), and type
    its options."""
    grid(page).hover()  # shows the table's toolbar
    main(page).get_by_role("button", name="Add row").first.click(force=True)
    page.wait_for_timeout(300)
    type_cell(page, row, LABEL, label)
    if kind:
        page.keyboard.press("Enter")  # the type cell is selected: open its list
        page.wait_for_timeout(300)
        page.keyboard.type(kind)
        page.keyboard.press("Enter")
        idle(page)
    if options:
        type_cell(page, row, OPTIONS, options)


FIELDS = [
    ("服务地点", None, ""),
    ("服务内容", "多行文字", ""),
    ("服务时长", "数字", ""),
    ("计入月份", "月份", ""),
    ("服务类别", "单选(下拉)", "社区服务；校园服务；其他"),
]  # every other type is built through the same table in tests/app/test_form_builder_page.py
SHORT = "帮忙打扫"
FULL = "为社区孤寡老人打扫卫生、讲解防范电信诈骗知识,并帮助三户老人安装反诈软件。"


def pick_option(page: Page, label: str, option: str) -> None:
    pick(page, main(page).get_by_label(label, exact=True), option)


def build_form(page: Page) -> None:
    open_screen(page, "表单设计")
    main(page).get_by_text("新建空白表单").click()
    idle(page)
    type_in(page, box(page, "表单英文名"), "service_days")
    type_in(page, box(page, "表单名称(中文)"), "党员服务日登记")
    pick_option(page, "所属阶段", "启动阶段")
    click(page, "新建")
    grid(page).scroll_into_view_if_needed()
    for row, (label, kind, options) in enumerate(FIELDS):
        add_field(page, row, label, kind, options)
    shot(page, "b01-form-table-and-preview")
    preview = main(page).get_by_test_id("stWidgetLabel")  # the form drawn beside the table
    expect(preview.filter(has_text="计入月份")).to_be_visible()
    expect(preview.filter(has_text="服务类别")).to_be_visible()
    expect(main(page).get_by_test_id("glide-cell-1-3")).to_have_text("计入月份")  # the table
    main(page).get_by_role("tab", name="高级").click()
    expect(main(page).get_by_text("type: month")).to_be_visible()
    shot(page, "b02-form-yaml")
    main(page).get_by_role("tab", name="发布").click()
    click(page, "发布为新版本")
    expect(page.get_by_text("已发布《党员服务日登记》第 1 版")).to_be_visible()
    shot(page, "b03-form-published")


def add_rule(page: Page, field: str, condition: str, severity: str, **numbers: str) -> None:
    pick_option(page, "字段", field)
    pick_option(page, "条件", condition)
    for label, value in numbers.items():
        type_in(page, main(page).get_by_label(label, exact=True), value)
    main(page).get_by_text(severity, exact=True).click()
    idle(page)
    click(page, "保存规则到草稿")


def build_rules(page: Page) -> None:
    open_screen(page, "规则设计")
    pick_option(page, "表单", "党员服务日登记(service_days)")
    add_rule(page, "服务内容", "至少 N 字", "退回", N="20")
    add_rule(
        page, "服务时长", "数值范围", "提醒", **{"最小值(可不填)": "0.5", "最大值(可不填)": "24"}
    )
    add_rule(page, "服务地点", "必填", "一票否决")
    rules = main(page).get_by_test_id("stDataFrame").first
    expect(rules).to_be_visible()
    shot(page, "b04-three-rules")
    click(page, "预览影响")
    shot(page, "b05-impact")
    click(page, "发布为新版本")
    expect(page.get_by_text(re.compile("已发布为第 1 版"))).to_be_visible()
    expect(page.get_by_text("表单已发布第 2 版")).to_be_visible()
    shot(page, "b06-rules-published")


COPY = "党员志愿服务日登记"


def copy_form(page: Page) -> None:
    """Copy the built-in 主题实践活动记录 as a new form, adapt its stage, publish it."""
    open_screen(page, "表单设计")
    copy_mode = main(page).get_by_text("复制模板或往期表单")
    if not copy_mode.is_visible():  # the start panel is folded while a form is open
        main(page).get_by_text("打开、新建或复制表单").click()
        idle(page)
    expect(copy_mode).to_be_visible()
    copy_mode.click()
    idle(page)
    open_options(main(page).get_by_label("复制哪一张表单", exact=True))
    page.get_by_role(
        "option", name=re.compile(r"^主题实践活动记录\(theme_activity 第 1 版")
    ).click()
    idle(page)
    type_in(page, box(page, "表单英文名"), "volunteer_days")
    type_in(page, box(page, "表单名称(中文)"), COPY)
    click(page, "复制为新表单")
    expect(page.get_by_text(re.compile(f"已复制为新表单《{COPY}》"))).to_be_visible()
    pick_option(page, "所属阶段", "启动阶段")  # adapted: branches fill it in this stage
    shot(page, "b09-copied-form")
    main(page).get_by_role("tab", name="发布").click()
    click(page, "发布为新版本")
    expect(page.get_by_text(f"已发布《{COPY}》第 1 版")).to_be_visible()


def test_builder_journey(page: Page, setup_url: str) -> None:
    page.goto(setup_url)
    expect(page.get_by_role("button", name="载入演示数据")).to_be_visible(timeout=30_000)
    click(page, "载入演示数据")
    expect(page.get_by_text("演示数据已载入")).to_be_visible(timeout=30_000)
    passwords = passwords_of(page)
    login(page, "admin", passwords["admin"])
    build_form(page)
    build_rules(page)
    copy_form(page)
    logout(page)

    login(page, "branch1", passwords["branch1"])
    open_screen(page, "填报")
    pick_option(page, "表单类型", "党员服务日登记")
    type_in(page, box(page, "服务地点"), "社区服务中心")
    type_in(page, box(page, "服务内容"), SHORT)
    type_in(page, main(page).get_by_label("服务时长", exact=True), "2.5")
    type_in(page, box(page, "计入月份"), "2026-03")
    click(page, "提交")
    expect(main(page).get_by_text("写得太简单").first).to_be_visible()
    shot(page, "b07-returned-by-rule")
    type_in(page, box(page, "服务内容"), FULL)
    click(page, "提交")
    expect(page.get_by_text("已提交,等待审核。")).to_be_visible()
    with page.expect_download() as download:
        main(page).get_by_role("button", name="下载PDF").click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    shot(page, "b08-submitted")
    open_screen(page, "填报")
    pick_option(page, "表单类型", COPY)
    expect(box(page, "活动主题")).to_be_visible()
    shot(page, "b10-branch-fills-the-copy")
