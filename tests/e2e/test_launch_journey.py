"""Issue 3 in a real browser: the launch stage from demo load to an approved plan and its PDF.

One journey, every step a click or keystroke in chromium: load the demo on the first-run screen;
as branch 1, type a whole plan (title, goals, one main item with its 四落实, the three schedule
rows, requirements, activity forms, features, central work, supervision, budget), save the draft
and see it survive a switch to another screen; submit, and the rules return it (only 1 main
item) with the reason at the top of the form and at the field; add the missing items and submit;
as the reviewer, draw a spot-check (ratio 1) and return the plan with a reason; as branch 1,
revise and resubmit; as the reviewer, approve and download the PDF, which starts with %PDF,
carries the Chinese title and embeds a TrueType font. No screen ever shows a traceback.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from tests.e2e.conftest import SHOTS

pytestmark = pytest.mark.e2e
YEAR = dt.date.today().year
BRANCH = "党政办公室党支部"
TITLE = f"{BRANCH}{YEAR}年“先锋工程”实施方案"


@dataclass(frozen=True)
class Item:
    """One main content item with its 四落实."""

    content: str
    measures: str
    owner: str
    deadline: str


@dataclass(frozen=True)
class Stage:
    """One schedule row: the stage as shown in the select, its dates and tasks."""

    stage: str
    start: str
    end: str
    tasks: str


TEXTS = {
    "方案标题": TITLE,
    "指导思想与目标": "围绕建校七十周年校庆筹备,把文稿起草、会务保障和督查督办三项核心业务"
    "与党员教育结合起来,做到重要文稿零差错、重大会议零失误、督办事项按期办结率百分之百。",
    "目的要求": "每名党员在校庆筹备中认领至少一项具体任务,认领和完成情况在支部大会上公开通报。",
    "活动方式": "专题学习\n岗位练兵\n志愿服务",
    "特色与亮点": "把校庆筹备的文稿、会务、督办三条线变成党员练兵场,"
    "每条线由一名支委带队,用办文办会的质量检验党性修养。",
    "督查机制": "支部书记每月查看任务台账,机关党委在校庆前组织一次现场检查。",
}
FIRST_ITEM = Item(
    "校庆文稿党员把关岗",
    "校庆期间的讲话稿、新闻稿由党员实行二审二校,支委每周抽查一次校对记录。",
    "刘洋",
    f"{YEAR}年10月底",  # a deadline as real plans write it, kept as written
)
MORE_ITEMS = [
    Item(
        content,
        f"{content}由党员牵头,建立任务清单,每周报告进度,完成情况在支部会议上通报。",
        owner,
        f"{YEAR}-11-30",
    )
    for content, owner in [("会务保障党员先锋岗", "陈晨"), ("督办事项限时办结", "王磊")]
]
SCHEDULE = [
    Stage("启动阶段", f"{YEAR}-03", f"{YEAR}-04", "组织学习,征求意见,制定方案。"),  # months
    Stage("实施阶段", f"{YEAR}-05-01", f"{YEAR}-10-31", "校庆筹备各项任务分解到党员,按月推进。"),
    Stage("评估总结阶段", f"{YEAR}-11-01", f"{YEAR}-12-31", "总结校庆服务经验,开展党员互评。"),
]
CENTRAL_WORK = "校庆"
UNEXPECTED = "系统出现意外问题"  # pages.error.unexpected: an exception a page turned into a message
BUDGET = "3000"


# -- waiting and looking ----------------------------------------------------------------------


def idle(page: Page) -> None:
    """Wait until Streamlit has finished rerunning the script; it must show no error.

    The app root's ``data-test-script-state`` says whether a run is going on (the status
    widget only appears after half a second of running, so it misses short runs). A run
    that calls ``st.rerun`` passes through "notRunning" for an instant, so the state must
    stay there across two looks.
    """
    page.wait_for_timeout(300)  # the click or keystroke reaches the server, its run starts
    app = page.get_by_test_id("stApp")
    for _ in range(100):
        expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=30_000)
        page.wait_for_timeout(100)
        if app.get_attribute("data-test-script-state") == "notRunning":
            break
    else:
        raise AssertionError("the app kept rerunning")
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=30_000)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_text(UNEXPECTED)).to_have_count(0)  # an error the pages caught


def shot(page: Page, name: str) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def main(page: Page) -> Locator:
    """The main area (the sidebar's language select is not part of any form)."""
    return page.get_by_test_id("stMain")


def fields(page: Page, label: str) -> Locator:
    """The inputs labelled ``label`` (required fields' labels end with " *")."""
    return main(page).get_by_label(re.compile(f"^{re.escape(label)}( \\*)?$"))


def field(page: Page, label: str, nth: int = 0) -> Locator:
    """The ``nth`` input labelled ``label`` (rows of a repeat group count from 0)."""
    return fields(page, label).nth(nth)


# -- typing like a person ---------------------------------------------------------------------


def confirm(page: Page, name: str, shot_name: str) -> None:
    """Click ``name``, read the dialog that says what will happen, and confirm it."""
    click(page, name)
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("操作日志")).to_be_visible()
    page.screenshot(path=str(SHOTS / f"{shot_name}.png"))
    dialog.get_by_role("button", name=f"确认{name}", exact=True).click()
    idle(page)


def click(page: Page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).first.click()
    idle(page)


def type_text(page: Page, box: Locator, text: str) -> None:
    """Type into a text input or area and leave it (Tab), which hands the value to Streamlit."""
    box.click()
    box.fill(text)
    box.press("Tab")
    idle(page)


def open_options(box: Locator) -> None:
    """Open a select's or multiselect's option list: click it (a multiselect's first click
    may only focus it; the arrow key, as a person would press next, then opens the list)."""
    box.click()
    if box.get_attribute("aria-expanded") != "true":
        box.press("ArrowDown")
    expect(box).to_have_attribute("aria-expanded", "true")


def pick(page: Page, box: Locator, option: str) -> None:
    """Open a select and click one of its options."""
    open_options(box)
    page.get_by_role("option", name=option, exact=True).click()
    idle(page)


def pick_many(page: Page, box: Locator, options: list[str]) -> None:
    """Open a multiselect, click each option, then close it with Escape."""
    open_options(box)
    for option in options:
        page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")
    idle(page)


def choose(page: Page, label: str, option: str) -> None:
    pick(page, main(page).get_by_label(label, exact=True), option)


def login(page: Page, name: str, password: str) -> None:
    idle(page)
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(password)
    expect(page.get_by_label("用户名")).to_have_value(name)
    click(page, "登录")
    expect(page.get_by_role("button", name="退出登录", exact=True)).to_be_visible()


def logout(page: Page) -> None:
    click(page, "退出登录")
    expect(page.get_by_role("button", name="登录", exact=True)).to_be_visible()


def open_menu(page: Page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
    idle(page)


def load_demo(page: Page, setup_url: str) -> dict[str, str]:
    """Open the first-run link (with the setup token from the server's console), load the
    demo data, and return the demo accounts' passwords by login."""
    page.goto(setup_url)
    expect(page.get_by_role("button", name="载入演示数据")).to_be_visible(timeout=60_000)
    click(page, "载入演示数据")
    expect(page.get_by_text("演示数据已载入")).to_be_visible(timeout=30_000)
    return demo_passwords(page)


def demo_passwords(page: Page) -> dict[str, str]:
    expect(page.get_by_test_id("stTable").locator("tbody tr").first).to_be_visible()
    table = page.get_by_test_id("stTable")
    # read by the header's names: the table also lists each account's branch now
    header = [c.strip() for c in table.locator("thead tr").first.locator("th").all_inner_texts()]
    login_at, password_at = header.index("用户名"), header.index("密码")
    rows = table.locator("tbody tr")
    found: dict[str, str] = {}
    for i in range(rows.count()):
        cells = [c.strip() for c in rows.nth(i).locator("th, td").all_inner_texts()]
        found[cells[login_at]] = cells[password_at]
    return found


# -- the plan form ------------------------------------------------------------------------------


def add_item(page: Page, index: int, item: Item) -> None:
    """Add main item number ``index + 1`` and type its 四落实."""
    click(page, "添加一项:主要内容")
    type_text(page, field(page, "工作内容", index), item.content)
    type_text(page, field(page, "具体措施", index), item.measures)
    type_text(page, field(page, "责任人", index), item.owner)
    type_text(page, field(page, "完成时限", index), item.deadline)


def add_stage(page: Page, index: int, stage: Stage) -> None:
    """Add schedule row number ``index + 1``: stage, start and end dates, tasks."""
    click(page, "添加一项:阶段安排")
    pick(page, field(page, "所属阶段", index), stage.stage)
    type_text(page, field(page, "开始", index), stage.start)
    type_text(page, field(page, "结束", index), stage.end)
    type_text(page, field(page, "主要任务", index), stage.tasks)


def drop_last_stage(page: Page) -> None:
    """Add a schedule row, start typing in it, then remove it through its row menu."""
    rows = fields(page, "主要任务").count()
    click(page, "添加一项:阶段安排")
    type_text(page, field(page, "主要任务", rows), "多余的一行")
    main(page).get_by_role("button", name="移动或删除此项").last.click()
    page.get_by_role("menuitem", name="删除此项", exact=True).click()
    idle(page)
    expect(fields(page, "主要任务")).to_have_count(rows)


def type_plan(page: Page) -> None:
    """Branch 1's plan with one main item: complete otherwise, so only the item count fails."""
    expect(field(page, "支部")).to_have_value(BRANCH)  # filled in from the account's branch
    type_text(page, field(page, "方案标题"), TEXTS["方案标题"])
    type_text(page, field(page, "指导思想与目标"), TEXTS["指导思想与目标"])
    add_item(page, 0, FIRST_ITEM)
    for index, stage in enumerate(SCHEDULE):
        add_stage(page, index, stage)
    drop_last_stage(page)
    for label in ("目的要求", "活动方式", "特色与亮点"):
        type_text(page, field(page, label), TEXTS[label])
    pick_many(page, field(page, "结合学校中心工作"), [CENTRAL_WORK])
    type_text(page, field(page, "督查机制"), TEXTS["督查机制"])
    type_text(page, field(page, "经费预算(元)"), BUDGET)


def expect_plan(page: Page, items: list[Item]) -> None:
    """Every value typed into the plan is shown in its field."""
    expect(field(page, "支部")).to_have_value(BRANCH)
    for label, text in TEXTS.items():
        expect(field(page, label)).to_have_value(text)
    expect(fields(page, "工作内容")).to_have_count(len(items))
    for index, item in enumerate(items):
        expect(field(page, "工作内容", index)).to_have_value(item.content)
        expect(field(page, "具体措施", index)).to_have_value(item.measures)
        expect(field(page, "责任人", index)).to_have_value(item.owner)
        expect(field(page, "完成时限", index)).to_have_value(item.deadline)
    expect(fields(page, "所属阶段")).to_have_count(len(SCHEDULE))
    for index, stage in enumerate(SCHEDULE):
        expect(field(page, "所属阶段", index)).to_have_value(stage.stage)
        expect(field(page, "开始", index)).to_have_value(stage.start)
        expect(field(page, "结束", index)).to_have_value(stage.end)
        expect(field(page, "主要任务", index)).to_have_value(stage.tasks)
    chosen = main(page).get_by_test_id("stMultiSelect").filter(has_text="结合学校中心工作")
    expect(chosen.locator("[data-tag]")).to_have_text([CENTRAL_WORK])
    expect(field(page, "经费预算(元)")).to_have_value(re.compile(f"^{BUDGET}(\\.0+)?$"))


# -- the PDF ------------------------------------------------------------------------------------


def truetype_fonts(reader: PdfReader) -> set[str]:
    """Names of the fonts whose descriptor embeds a TrueType program (FontFile2)."""
    found: set[str] = set()
    for pdf_page in reader.pages:
        resources: Any = pdf_page.get("/Resources")
        fonts: Any = resources.get_object().get("/Font") if resources else None
        for ref in (fonts.get_object() if fonts else {}).values():
            font = ref.get_object()
            parts = [font, *(d.get_object() for d in font.get("/DescendantFonts", []))]
            for part in parts:
                descriptor = part.get("/FontDescriptor")
                if descriptor is not None and "/FontFile2" in descriptor.get_object():
                    found.add(str(font.get("/BaseFont")))
    return found


# -- the journey --------------------------------------------------------------------------------


def test_launch_stage_journey(page: Page, setup_url: str) -> None:
    page.goto(setup_url)  # the link with the setup token, from the server's console
    expect(page.get_by_role("button", name="载入演示数据")).to_be_visible(timeout=30_000)
    shot(page, "01-first-run")
    click(page, "载入演示数据")
    expect(page.get_by_text("演示数据已载入")).to_be_visible(timeout=30_000)
    passwords = demo_passwords(page)
    shot(page, "02-login-demo")
    assert {"branch1", "reviewer"} <= set(passwords)

    # Branch 1 types its plan, saves the draft and finds it intact after another screen.
    login(page, "branch1", passwords["branch1"])
    shot(page, "03-branch-home")
    open_menu(page, "实施方案")
    type_plan(page)
    click(page, "保存草稿")
    expect(page.get_by_text("草稿已保存。")).to_be_visible()
    open_menu(page, "首页")
    expect(fields(page, "方案标题")).to_have_count(0)
    open_menu(page, "实施方案")
    expect(main(page).get_by_text(re.compile("状态:草稿"))).to_be_visible()
    expect_plan(page, [FIRST_ITEM])
    shot(page, "04-plan-draft-kept")

    # It submits; the rules return it for too few items, and only for that, above the form.
    click(page, "提交")
    returned = main(page).get_by_test_id("stAlert").filter(has_text="“主要内容”只有 1 项").first
    expect(returned).to_be_visible()
    expect(returned).to_contain_text("有 1 处必须修改后才能提交")
    title_box = field(page, "方案标题").bounding_box()
    alert_box = returned.bounding_box()
    assert title_box is not None and alert_box is not None
    assert alert_box["y"] < title_box["y"]
    report = main(page).get_by_test_id("stHeading").filter(has_text="规则检查结果")
    expect(report).to_be_visible()  # the full report also shows under the buttons
    # above the form, at the 「主要内容」 group (issue 5.2) and in the report under the buttons
    expect(main(page).get_by_text("“主要内容”只有 1 项")).to_have_count(3)
    at_field = main(page).get_by_test_id("stAlert").filter(has_text="规则检查 · 必须修改")
    expect(at_field.filter(has_text="“主要内容”只有 1 项")).to_have_count(1)
    expect_plan(page, [FIRST_ITEM])  # nothing typed is lost
    returned.scroll_into_view_if_needed()
    shot(page, "05-plan-returned-by-rules")

    # It adds two items with their 四落实 and submits again.
    for index, item in enumerate(MORE_ITEMS, start=1):
        add_item(page, index, item)
    shot(page, "06-plan-items-added")
    click(page, "提交")
    expect(page.get_by_text("已提交,等待审核。")).to_be_visible()
    expect(main(page).get_by_text(re.compile("状态:待审核"))).to_be_visible()
    shot(page, "07-plan-submitted")
    logout(page)

    # The reviewer draws a spot-check of every plan and returns branch 1's with a reason.
    login(page, "reviewer", passwords["reviewer"])
    open_menu(page, "抽查")
    page.get_by_label("抽查比例").fill("1.00")  # every plan; no Enter: it would submit early
    click(page, "抽取")
    expect(page.get_by_text(re.compile(r"已抽取 \d+ 份"))).to_be_visible()
    choose(page, "审核抽中的方案", BRANCH)
    shot(page, "08-spot-check")
    reasons = page.get_by_label("总体意见(退回时必填)")
    reasons.fill("特色还不够鲜明,请写出党办与众不同的做法")
    reasons.press("Control+Enter")
    idle(page)
    confirm(page, "退回修改", "return-dialog")
    expect(page.get_by_text("已退回支部修改。")).to_be_visible()
    logout(page)

    # Branch 1 sees the reason, revises the features and resubmits (version 2).
    login(page, "branch1", passwords["branch1"])
    open_menu(page, "实施方案")
    expect(page.get_by_text(re.compile("特色还不够鲜明")).first).to_be_visible()
    expect_plan(page, [FIRST_ITEM, *MORE_ITEMS])  # the stored plan, as typed
    shot(page, "09-plan-with-reasons")
    features = field(page, "特色与亮点")
    type_text(
        page,
        features,
        features.input_value() + "每次大型会议后由党员写一份复盘,汇编成《办会手册》。",
    )
    click(page, "提交")
    expect(page.get_by_text("已提交,等待审核。")).to_be_visible()
    logout(page)

    # The reviewer approves it and downloads the PDF.
    login(page, "reviewer", passwords["reviewer"])
    open_menu(page, "审核材料")
    choose(page, "表单类型", "支部“先锋工程”实施方案")
    choose(page, "支部", BRANCH)
    expect(main(page).get_by_text(re.compile(r"^待审核 · 第 2 版$"))).to_be_visible()
    shot(page, "10-review")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="下载PDF").click()
    pdf = download_info.value.path().read_bytes()
    (SHOTS / "plan.pdf").write_bytes(pdf)
    idle(page)
    confirm(page, "审核通过", "approve-dialog")
    expect(page.get_by_text("已审核通过。")).to_be_visible()
    choose(page, "状态", "审核通过")
    expect(main(page).get_by_text(re.compile(r"^审核通过 · 第 2 版$"))).to_be_visible()
    shot(page, "11-approved")

    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(p.extract_text() or "" for p in reader.pages)
    assert TITLE in text.replace("\n", "")
    assert truetype_fonts(reader), "the PDF embeds no TrueType font (FontFile2)"
