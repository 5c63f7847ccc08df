"""Issue 3 in a real browser: the launch stage from demo load to an approved plan and its PDF.

One journey: load the demo on the first-run screen; branch 1 submits a plan the rules return
(too few items), adds the missing items and submits; the reviewer draws a spot-check (ratio 1)
and returns
the plan with a reason; branch 1 revises and resubmits; the reviewer approves and downloads the
PDF, which starts with %PDF and carries the Chinese title.

The long first draft of branch 1's plan is saved through the workflow API (typing a whole plan
is covered by the AppTests); every other step is a click or keystroke in chromium.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from storage.factory import open_repository
from tests.e2e.conftest import SHOTS
from workflow.services import build_services

pytestmark = pytest.mark.e2e
YEAR = dt.date.today().year
BRANCH = "党政办公室党支部"


def first_draft() -> dict[str, Any]:
    """Branch 1's plan with one main item: complete otherwise, so only the item count fails."""
    return {
        "branch": BRANCH,
        "title": f"{BRANCH}{YEAR}年“先锋工程”实施方案",
        "goals": "围绕建校七十周年校庆筹备,把文稿起草、会务保障和督查督办三项核心业务"
        "与党员教育结合起来,做到重要文稿零差错、重大会议零失误、督办事项按期办结率百分之百。",
        "items": [
            {
                "content": "校庆文稿党员把关岗",
                "measures": "校庆期间的讲话稿、新闻稿由党员实行二审二校,支委每周抽查一次校对记录。",
                "owner": "刘洋",
                "deadline": f"{YEAR}-10-20",
            }
        ],
        "schedule": [
            {
                "stage": "launch",
                "start": f"{YEAR}-03-01",
                "end": f"{YEAR}-04-30",
                "tasks": "组织学习,征求意见,制定方案。",
            },
            {
                "stage": "implement",
                "start": f"{YEAR}-05-01",
                "end": f"{YEAR}-10-31",
                "tasks": "校庆筹备各项任务分解到党员,按月推进。",
            },
            {
                "stage": "evaluate",
                "start": f"{YEAR}-11-01",
                "end": f"{YEAR}-12-31",
                "tasks": "总结校庆服务经验,开展党员互评。",
            },
        ],
        "requirements": "每名党员在校庆筹备中认领至少一项具体任务,"
        "认领和完成情况在支部大会上公开通报。",
        "activity_forms": ["专题学习", "岗位练兵", "志愿服务"],
        "features": "把校庆筹备的文稿、会务、督办三条线变成党员练兵场,"
        "每条线由一名支委带队,用办文办会的质量检验党性修养。",
        "central_work": ["校庆"],
        "supervision": "支部书记每月查看任务台账,机关党委在校庆前组织一次现场检查。",
    }


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def idle(page: Page) -> None:
    """Wait until Streamlit has finished rerunning the script."""
    page.wait_for_timeout(300)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=30_000)


def click(page: Page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).first.click()
    idle(page)


def login(page: Page, name: str, password: str) -> None:
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(password)
    click(page, "登录")
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()


def logout(page: Page) -> None:
    click(page, "退出登录")
    expect(page.get_by_role("button", name="登录")).to_be_visible()


def open_menu(page: Page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
    idle(page)


def choose(page: Page, label: str, option: str) -> None:
    page.get_by_label(label, exact=True).click()
    page.get_by_role("option", name=option).first.click()
    idle(page)


def demo_passwords(page: Page) -> dict[str, str]:
    expect(page.get_by_test_id("stTable").locator("tbody tr").first).to_be_visible()
    rows = page.get_by_test_id("stTable").locator("tbody tr")
    found: dict[str, str] = {}
    for i in range(rows.count()):
        cells = [c.strip() for c in rows.nth(i).locator("th, td").all_inner_texts()]
        found[cells[-2]] = cells[-1]
    return found


def test_launch_stage_journey(page: Page, app_url: str, store_url: str) -> None:
    page.goto(app_url)
    expect(page.get_by_role("button", name="载入演示数据")).to_be_visible(timeout=30_000)
    shot(page, "01-first-run")
    click(page, "载入演示数据")
    expect(page.get_by_text("演示数据已载入")).to_be_visible(timeout=30_000)
    passwords = demo_passwords(page)
    shot(page, "02-login-demo")
    assert {"branch1", "reviewer"} <= set(passwords)

    services = build_services(open_repository(store_url))
    branch1 = services.accounts.authenticate("branch1", passwords["branch1"])
    campaign = services.campaigns.current()
    assert campaign is not None
    services.submissions.save_draft(
        branch1, campaign_id=campaign.id, form_type="plan", data=first_draft()
    )

    # Branch 1 submits; the rules return it for too few items.
    login(page, "branch1", passwords["branch1"])
    shot(page, "03-branch-home")
    open_menu(page, "实施方案")
    click(page, "提交")
    expect(page.get_by_text(re.compile("“主要内容”只有 1 项")).first).to_be_visible()
    shot(page, "04-plan-returned-by-rules")

    # It adds two items with their 四落实 and submits again.
    for n, (content, owner) in enumerate(
        [("会务保障党员先锋岗", "陈晨"), ("督办事项限时办结", "王磊")], start=2
    ):
        click(page, "添加一项:主要内容")
        page.get_by_label(re.compile("^工作内容")).nth(n - 1).fill(content)
        page.get_by_label(re.compile("^具体措施")).nth(n - 1).fill(
            f"{content}由党员牵头,建立任务清单,每周报告进度,完成情况在支部会议上通报。"
        )
        page.get_by_label(re.compile("^责任人")).nth(n - 1).fill(owner)
        deadline = page.get_by_label(re.compile("^完成时限")).nth(n - 1)
        deadline.locator("[role=spinbutton]").first.click()
        page.keyboard.type(f"{YEAR}1130")
        page.keyboard.press("Tab")
        idle(page)
    shot(page, "05-plan-items-added")
    click(page, "提交")
    expect(page.get_by_text("已提交,等待审核。")).to_be_visible()
    shot(page, "06-plan-submitted")
    logout(page)

    # The reviewer draws a spot-check of every plan and returns branch 1's with a reason.
    login(page, "reviewer", passwords["reviewer"])
    open_menu(page, "抽查")
    page.get_by_label("抽查比例").fill("1.00")  # every plan; no Enter: it would submit early
    click(page, "抽取")
    expect(page.get_by_text(re.compile(r"已抽取 \d+ 份"))).to_be_visible()
    choose(page, "审核抽中的方案", BRANCH)
    shot(page, "07-spot-check")
    reasons = page.get_by_label("总体意见(退回时必填)")
    reasons.fill("特色还不够鲜明,请写出党办与众不同的做法")
    reasons.press("Control+Enter")
    idle(page)
    click(page, "退回修改")
    expect(page.get_by_text("已退回支部修改。")).to_be_visible()
    logout(page)

    # Branch 1 sees the reason, revises the features and resubmits (version 2).
    login(page, "branch1", passwords["branch1"])
    open_menu(page, "实施方案")
    expect(page.get_by_text(re.compile("特色还不够鲜明")).first).to_be_visible()
    shot(page, "08-plan-with-reasons")
    features = page.get_by_label(re.compile("^特色与亮点"))
    features.fill(features.input_value() + "每次大型会议后由党员写一份复盘,汇编成《办会手册》。")
    features.press("Control+Enter")
    idle(page)
    click(page, "提交")
    expect(page.get_by_text("已提交,等待审核。")).to_be_visible()
    logout(page)

    # The reviewer approves it and downloads the PDF.
    login(page, "reviewer", passwords["reviewer"])
    open_menu(page, "审核材料")
    choose(page, "表单类型", "支部“先锋工程”实施方案")
    choose(page, "支部", BRANCH)
    expect(page.get_by_text(re.compile("v2")).first).to_be_visible()
    shot(page, "09-review")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="下载PDF").click()
    pdf = download_info.value.path().read_bytes()
    click(page, "审核通过")
    expect(page.get_by_text("已审核通过。")).to_be_visible()
    shot(page, "10-approved")

    assert pdf.startswith(b"%PDF")
    text = "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
    assert f"{BRANCH}{YEAR}年“先锋工程”实施方案" in text.replace("\n", "")
    final = services.submissions.list(branch1, campaign_id=campaign.id, form_type="plan")[0]
    assert final.status == "approved" and final.version == 2
