"""Issue 14 in a real browser at 1366×768: from the summary to the 七一 commendation PDF.

On the demo store: the admin moves the campaign to 评估总结阶段; branch 1 sees its 数据统计 counted
from its study records beside the summary (never typed), submits the summary, then nominates
itself as 先进党支部 — 机关党委评分 is read-only to it; the reviewer sets 机关党委评分 and 总结定级
on the review screen, selects the nomination within the quota on 评优与公示, publishes a
one-day 公示 starting today (no earlier date is accepted), and — once the app's calendar has moved
on a day through the test-only ``VANGUARD_TODAY_FILE`` — downloads the commendation zip: the list
PDF and one certificate naming the branch. The dashboard shows the branch's summary as 待审核.
No screen shows a traceback.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.e2e.conftest import SHOTS
from tests.e2e.test_launch_journey import (
    BRANCH,
    choose,
    click,
    demo_passwords,
    field,
    idle,
    login,
    logout,
    main,
    open_menu,
    shot,
    type_text,
)
from tests.unit.test_workflow_summary_figures import sample
from workflow import clock

pytestmark = pytest.mark.e2e
SUMMARY = "支部“先锋工程”建设总结"
NOMINATION = "评优评先推荐表"
DEEDS = (
    "支部围绕校庆和本科教学评估两项中心工作,推行党员先锋岗,十二名党员亮身份、作承诺,全年服务投诉为零。"
    "校庆期间组织三批志愿者接待返校校友一千二百余人次,评估材料按期完成无一返工,支部被学校评为文明窗口。"
) * 2


@pytest.fixture(scope="module")
def today_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The app's calendar (``VANGUARD_TODAY_FILE``): empty, the real date; the journey writes
    tomorrow's date into it to let the 公示 end."""
    return tmp_path_factory.mktemp("e2e-clock") / "today"


@pytest.fixture(scope="module")
def server_env(today_file: Path) -> dict[str, str]:
    return {"VANGUARD_TODAY_FILE": str(today_file)}


@pytest.fixture
def viewport() -> dict[str, int]:
    """1366×768, the size of the school office's laptops."""
    return {"width": 1366, "height": 768}


def set_date(page: Page, label: str, day: dt.date) -> None:
    """Set a date field as a person would: click the year, type year and month (the field moves
    on by itself), then step the day with the arrow keys (a typed 1 would wait for a second
    digit), and press Enter."""
    box = main(page).get_by_label(label, exact=True)
    box.locator('[data-type="year"]').click()
    page.keyboard.type(day.strftime("%Y%m"))
    segment = box.locator('[data-type="day"]')
    steps = day.day - int(segment.get_attribute("aria-valuenow") or day.day)
    segment.click()
    for _ in range(abs(steps)):
        page.keyboard.press("ArrowUp" if steps > 0 else "ArrowDown")
    page.keyboard.press("Enter")
    idle(page)
    shown = re.sub(r"\s", "", box.inner_text())
    assert shown == day.strftime("%Y/%m/%d"), (label, shown)


def test_from_the_summary_to_the_commendation(page: Page, setup_url: str, today_file: Path) -> None:
    page.goto(setup_url)
    expect(page.get_by_role("button", name="载入演示数据")).to_be_visible(timeout=60_000)
    click(page, "载入演示数据")
    expect(page.get_by_text("演示数据已载入")).to_be_visible(timeout=30_000)
    passwords = demo_passwords(page)

    year = clock.current_year()
    campaign_title = f"{year}年机关“先锋工程”建设"

    # The admin moves the campaign on to its evaluation stage.
    login(page, "admin", passwords["admin"])
    open_menu(page, "活动管理")
    choose(page, "选择要修改的活动", campaign_title)
    choose(page, "当前阶段", "评估总结阶段")
    click(page, "保存")
    expect(page.get_by_text(f"已保存:{campaign_title}")).to_be_visible()
    logout(page)

    # Branch 1: the summary's figures are counted from its study records, beside the form.
    login(page, "branch1", passwords["branch1"])
    open_menu(page, "填报")
    choose(page, "表单类型", SUMMARY)
    figures = main(page).get_by_text(re.compile(r"^学习次数$"))
    expect(figures.first).to_be_visible()
    expect(main(page).get_by_text("本支部没有学习记录")).to_have_count(0)
    summary = sample("summary_quality")
    for label, name in (
        ("基本情况", "basic_info"),
        ("主要做法", "practices"),
        ("成效亮点", "achievements"),
        ("不足之处与薄弱环节", "shortcomings"),
        ("下一步打算", "next_steps"),
    ):
        type_text(page, field(page, label), summary[name])
    shot(page, "eval-01-summary-figures")
    click(page, "提交")
    expect(page.get_by_text("已提交,等待审核。")).to_be_visible()

    # ... and nominates itself; the committee's score is not its to type.
    choose(page, "表单类型", NOMINATION)
    main(page).get_by_text("先进党支部", exact=True).first.click()
    idle(page)
    type_text(page, field(page, "主要事迹"), DEEDS)
    type_text(page, field(page, "自评分"), "95")
    expect(fields_named(page, "机关党委评分")).to_have_count(0)
    shot(page, "eval-02-nomination")
    click(page, "提交")
    expect(page.get_by_text("已提交,等待审核。")).to_be_visible()
    logout(page)

    # The reviewer scores and grades it on the review screen.
    login(page, "reviewer", passwords["reviewer"])
    open_menu(page, "审核材料")
    choose(page, "表单类型", NOMINATION)
    choose(page, "支部", BRANCH)
    type_text(page, field(page, "机关党委评分"), "92")
    choose(page, "总结定级", "先进")
    click(page, "保存评定")
    # 95 × 40% + 92 × 60% = 93.2, and 2 indicator points: the demo branch's study attendance
    expect(main(page).get_by_text(re.compile(r"95\.2")).first).to_be_visible()
    shot(page, "eval-03-scored")

    # 评优与公示: select within the quota, a 公示 that has ended, the commendation zip.
    open_menu(page, "评优与公示")
    expect(main(page).get_by_text(re.compile(r"先进党支部:名额 1,已确定 0"))).to_be_visible()
    click(page, "确定为拟表彰对象")
    expect(main(page).get_by_text(re.compile(r"先进党支部:名额 1,已确定 1"))).to_be_visible()
    today = clock.today()
    set_date(page, "公示结束日期", today)  # starts today, the earliest the field takes
    shot(page, "eval-04-notice-dates")
    click(page, "发布公示")
    expect(main(page).get_by_text(f"公示期:{today} 至 {today}")).to_be_visible()
    expect(main(page).get_by_text(re.compile(r"公示期满后才能形成最终名单"))).to_be_visible()
    expect(main(page).get_by_role("button", name="发布公示")).to_have_count(0)
    today_file.write_text((today + dt.timedelta(days=1)).isoformat(), encoding="utf-8")
    open_menu(page, "评优与公示")  # the next day: the notice has ended
    expect(main(page).get_by_role("button", name="下载表彰名单和荣誉证书(zip)")).to_be_visible()
    shot(page, "eval-05-final-list")
    with page.expect_download() as download_info:
        main(page).get_by_role("button", name="下载表彰名单和荣誉证书(zip)").click()
    archive = zipfile.ZipFile(io.BytesIO(download_info.value.path().read_bytes()))
    idle(page)

    # The dashboard: the branch's summary awaits review; no draft is shown with content.
    open_menu(page, "数据看板")
    expect(main(page).get_by_text("各支部任务完成情况")).to_be_visible()
    shot(page, "eval-06-dashboard")
    logout(page)

    names = archive.namelist()
    pdfs = {n: archive.read(n) for n in names if n.endswith(".pdf")}
    assert len(pdfs) == 2, names  # the list and one certificate
    for name, pdf in pdfs.items():
        (SHOTS / f"eval-{len(name)}-{name.replace('/', '_')}").write_bytes(pdf)
        text = "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
        assert BRANCH in text.replace("\n", ""), name
    (SHOTS / "commendation.zip").write_bytes(download_info.value.path().read_bytes())


def fields_named(page: Page, label: str):  # type: ignore[no-untyped-def]
    """Inputs (not read-only values) labelled ``label``."""
    return main(page).get_by_label(re.compile(f"^{re.escape(label)}( \\*)?$"))
