"""Issue 13 point 1 in a real browser at 1366×768: a demo site from application to acceptance.

On the demo store (quota 2, budget 20,000): branch 1 applies on 申报示范点 with ties to 校庆; the
reviewer sees it ranked with its reasons on 示范点立项 and approves it; on 经费台账 a grant above
the budget is refused at the amount and 5,000 is granted; branch 1 starts the site, is refused a
spending without a receipt, then records 300 with a PNG receipt, and hands in its outcome
report; the reviewer exports the ledger to Excel (header, frozen first row, both entries) and
accepts the site. Branch 1 records two theme activities, the reviewer approves the first. Another
branch (branch 2) opens the 示范点 page (以点带面) at 1366×768 and on a 390×844 phone: the site
accepted with its aims and the approved activity, never the pending one nor the site's money,
nothing wider than the window (screenshots demo-06/07). No screen ever shows a traceback.
"""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from PIL import Image
from playwright.sync_api import Page, expect

from tests.e2e.conftest import SHOTS
from tests.e2e.test_activities_journey import PHONE, record_theme
from tests.e2e.test_launch_journey import (
    choose,
    click,
    confirm,
    demo_passwords,
    field,
    idle,
    login,
    logout,
    main,
    open_menu,
    pick_many,
    shot,
    type_text,
)
from tests.e2e.test_screens_fit import _overflow

pytestmark = pytest.mark.e2e
SITE = "窗口服务示范点"
APPROVED_THEME = "校庆志愿服务进窗口"
PENDING_THEME = "窗口服务之星评选"
APPLICATION = {
    "示范点名称": SITE,
    "申报理由": "支部党员全部在财务、教务等窗口岗位,服务师生面广量大,"
    "近三年获得校级文明窗口称号两次,具备建设示范点的基础。",
    "建设思路与措施": "以“党员先锋岗”为抓手,推行预约办理、一次办结和上门服务三项举措,每季度开展一次"
    "服务之星评选,年底前形成可复制的窗口服务规范并在全校推广,由支部书记牵头,组织委员负责台账。",
    "预期成效": "服务投诉为零,一次办结率达到九成以上,形成窗口服务规范一套。",
}


@pytest.fixture
def viewport() -> dict[str, int]:
    """1366×768, the size of the school office's laptops."""
    return {"width": 1366, "height": 768}


def receipt_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (240, 240, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_demo_site_journey(page: Page, setup_url: str) -> None:
    page.goto(setup_url)  # the link with the setup token, from the server's console
    expect(page.get_by_role("button", name="载入演示数据")).to_be_visible(timeout=60_000)
    click(page, "载入演示数据")
    expect(page.get_by_text("演示数据已载入")).to_be_visible(timeout=30_000)
    passwords = demo_passwords(page)

    # Branch 1 applies, tied to the anniversary.
    login(page, "branch1", passwords["branch1"])
    open_menu(page, "申报示范点")
    expect(main(page).get_by_text(re.compile("本期示范点名额 2 个"))).to_be_visible()
    for label, text in APPLICATION.items():
        type_text(page, field(page, label), text)
    pick_many(page, field(page, "与学校中心工作的关系"), ["校庆"])
    shot(page, "demo-01-application")
    click(page, "提交")
    expect(page.get_by_text("已提交,等待审核。")).to_be_visible()
    record_theme(page, APPROVED_THEME, "志愿服务")
    logout(page)

    # The reviewer sees it ranked with its reasons and approves it (立项).
    login(page, "reviewer", passwords["reviewer"])
    open_menu(page, "示范点立项")
    expect(main(page).get_by_text("0 / 2")).to_be_visible()
    reason = main(page).get_by_role("paragraph").filter(has_text="结合校庆，优先加 10 分。")
    expect(reason).to_be_visible()  # under the application, and in the table's 理由 column
    shot(page, "demo-02-ranking")
    click(page, "立项")
    expect(page.get_by_text(f"“{SITE}”已立项")).to_be_visible()
    expect(main(page).get_by_text("1 / 2")).to_be_visible()

    # A grant above the budget is refused at the amount; 5,000 is granted.
    open_menu(page, "经费台账")
    amount = main(page).get_by_label("金额(元)")
    amount.fill("25000")
    click(page, "下拨经费")
    expect(page.get_by_text(re.compile("本期还可下拨 20,000.00 元"))).to_be_visible()
    expect(amount).to_have_value(re.compile("^25000"))  # nothing typed is lost
    amount.fill("5000")
    click(page, "下拨经费")
    expect(page.get_by_text("已下拨 5,000.00 元")).to_be_visible()
    shot(page, "demo-03-granted")
    open_menu(page, "审核材料")  # and approves the site's theme activity
    choose(page, "表单类型", "主题实践活动记录")
    confirm(page, "审核通过", "demo-theme-approve-dialog")
    expect(page.get_by_text("已审核通过。")).to_be_visible()
    logout(page)

    # Branch 1 starts the site, records a spending with a receipt, and reports.
    login(page, "branch1", passwords["branch1"])
    open_menu(page, "申报示范点")
    click(page, "开始实施")
    expect(main(page).get_by_text(re.compile("实施中")).first).to_be_visible()
    main(page).get_by_label("金额(元)").fill("300")
    type_text(page, main(page).get_by_label("用途/说明"), "印制学习资料")
    click(page, "登记支出")
    expect(page.get_by_text("请上传至少一张收据(图片或 PDF)")).to_be_visible()
    main(page).locator("input[type=file]").set_input_files(
        {"name": "收据.png", "mimeType": "image/png", "buffer": receipt_png()}
    )
    idle(page)
    click(page, "登记支出")
    expect(page.get_by_text("已登记支出 300.00 元")).to_be_visible()
    record_theme(page, PENDING_THEME, "评选")  # stays 待审核: no one else sees it
    open_menu(page, "申报示范点")
    type_text(
        page, main(page).get_by_label("成果报告"), "建成窗口服务规范,带动两个支部开展联合服务"
    )
    click(page, "提交成果报告")
    expect(main(page).get_by_text("成果报告已提交,等待机关党委验收")).to_be_visible()
    shot(page, "demo-04-branch-reported")
    logout(page)

    # The reviewer exports the ledger and accepts the site.
    login(page, "reviewer", passwords["reviewer"])
    open_menu(page, "经费台账")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="导出 Excel").click()
    data = download_info.value.path().read_bytes()
    (SHOTS / "ledger.xlsx").write_bytes(data)
    idle(page)
    shot(page, "demo-05-ledger")
    book = load_workbook(io.BytesIO(data))
    entries = book["台账明细"]
    assert entries.freeze_panes == "A2"
    assert [c.value for c in entries[1]][:3] == ["序号", "时间", "类别"]
    assert [entries.cell(row, 3).value for row in (2, 3)] == ["下拨", "支出"]
    assert entries.cell(3, 8).value == "收据.png"
    assert [c.value for c in book["示范点经费"][2]][1:] == [SITE, "待验收", 5000, 300, 4700]
    open_menu(page, "示范点立项")
    expect(
        main(page).get_by_text("建成窗口服务规范,带动两个支部开展联合服务").first
    ).to_be_visible()
    click(page, "验收通过")
    expect(page.get_by_text("验收通过").first).to_be_visible()
    expect(main(page).get_by_text("没有等待验收的示范点")).to_be_visible()
    logout(page)

    # Another branch reads what the site does for others, on a laptop and on a phone.
    login(page, "branch2", passwords["branch2"])
    open_menu(page, "示范点")
    site = main(page)
    expect(site.get_by_role("heading", name=SITE)).to_be_visible()
    expect(site.get_by_text("党政办公室党支部 · 验收通过")).to_be_visible()
    expect(site.get_by_text(APPLICATION["预期成效"])).to_be_visible()
    expect(site.get_by_text(APPROVED_THEME)).to_be_visible()
    expect(site.get_by_text("还没有刊发的通讯报道")).to_be_visible()
    for private in (PENDING_THEME, APPLICATION["申报理由"], "收据.png", "经费"):
        expect(site.get_by_text(private)).to_have_count(0)
    shot(page, "demo-06-site-page-other-branch")
    assert _overflow(page) <= 0
    page.set_viewport_size({"width": PHONE["width"], "height": PHONE["height"]})
    page.reload()
    expect(main(page).get_by_text(APPROVED_THEME)).to_be_visible(timeout=30_000)
    idle(page)
    assert _overflow(page) <= 0
    shot(page, "demo-07-site-page-phone")
