"""Issue 13 in a real browser: a branch's news report through the committee to the column, and
a bulletin issued from it and downloaded from the archive.

Load the demo; as branch 1, write a news report with a photo and its caption and submit it
(the news_report rules run); as the reviewer, edit the headline (the change shows word by
word), approve, forward it to the school committee and publish it; as the reader, find it in
the 先锋工程 column with its photo and caption and open its share link in a fresh session after
signing in; as the admin, compose an issue of 《机关工作简报》 from it, rewrite its summary and
preview the PDF without saving (the preview prints the summary on screen), and issue it; as the
reader, download the PDF from the archive: it carries the edited headline, the rewritten
summary, the issue number and the image.
"""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from tests.e2e.conftest import SHOTS
from tests.e2e.test_launch_journey import (
    click,
    confirm,
    field,
    idle,
    load_demo,
    login,
    logout,
    main,
    open_menu,
    pick_many,
    shot,
    type_text,
)

pytestmark = pytest.mark.e2e
TITLE = "党办支部党员走进校史馆"
EDITED = "党办支部全体党员走进校史馆"
CAPTION = "党员在校史馆认真参观学习"
BODY = (
    "九月二十日上午,党政办公室党支部组织全体党员走进校史馆,开展“迎校庆、学校史、办实事”主题党日活动。"
    "讲解员带领大家回顾了学校七十年来的办学历程。"
) * 5


SUMMARY = "全体党员重温七十年办学历程"


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 200), "#2e7d32").save(out, format="PNG")
    return out.getvalue()


def type_date(page: Page, label: str, digits: str) -> None:
    """Type a date into its year, month and day segments, as a person does, and look that the
    year took: keystrokes that reach the page while a run redraws the form are lost, and a
    person seeing the field still empty types the date again (at most three times)."""
    year = field(page, label).locator("[role=spinbutton]").first
    for _ in range(3):
        idle(page)
        year.click()
        page.keyboard.type(digits)
        page.keyboard.press("Tab")
        idle(page)
        if year.inner_text().strip() == digits[:4]:
            return
    expect(year).to_have_text(digits[:4])


def _sign_in_and_open(page: Page, url: str, login_: str, password: str) -> None:
    page.goto(url)
    login(page, login_, password)
    idle(page)


def test_news_to_column_and_bulletin_journey(page: Page, browser: Browser, setup_url: str) -> None:
    passwords = load_demo(page, setup_url)  # the first-run link from the server's console

    # Branch 1 writes a report with a photo and its caption, saves and submits it.
    login(page, "branch1", passwords["branch1"])
    open_menu(page, "通讯报道")
    type_text(page, field(page, "标题"), TITLE)
    type_date(page, "日期", "20260920")
    type_text(page, field(page, "正文"), BODY)
    type_text(page, field(page, "撰稿"), "张明")
    type_text(page, field(page, "摄影"), "李华")
    type_text(page, field(page, "审稿"), "王芳")
    photo = SHOTS / "news-photo.png"
    photo.write_bytes(_photo())
    main(page).locator("input[type=file]").first.set_input_files(str(photo))
    idle(page)
    click(page, "保存草稿")
    expect(page.get_by_text("草稿已保存。")).to_be_visible()
    type_text(page, field(page, "图片说明"), CAPTION)
    click(page, "保存草稿")
    shot(page, "news-01-branch-draft")
    click(page, "提交")
    expect(page.get_by_text("已提交,等待审核。")).to_be_visible()
    shot(page, "news-02-branch-submitted")
    logout(page)

    # The reviewer edits the headline (tracked word by word), approves, forwards, publishes.
    login(page, "reviewer", passwords["reviewer"])
    open_menu(page, "通讯审核与报送")
    headline = main(page).get_by_label("标题", exact=True).last
    expect(headline).to_have_value(TITLE)
    headline.fill(EDITED)
    click(page, "保存修改")
    expect(page.get_by_text("修改已保存,修改痕迹已记录")).to_be_visible()
    expect(main(page).locator("ins").filter(has_text="全体")).to_be_visible()
    shot(page, "news-03-tracked-change")
    confirm(page, "审核通过", "news-approve-dialog")
    main(page).get_by_label("状态").click()
    page.get_by_role("option", name="审核通过", exact=True).click()
    idle(page)
    type_text(page, main(page).get_by_label("报送说明(如报送对象)"), "报学校党委宣传部")
    confirm(page, "报送学校党委", "news-forward-dialog")
    expect(page.get_by_text("已报送学校党委", exact=True).first).to_be_visible()
    main(page).get_by_label("状态").click()
    page.get_by_role("option", name="已报送学校党委", exact=True).click()
    idle(page)
    expect(main(page).get_by_text(re.compile("reviewer 于 .* 报送学校党委"))).to_be_visible()
    shot(page, "news-04-forwarded")
    confirm(page, "在“先锋工程”专栏刊发", "news-publish-dialog")
    expect(page.get_by_text("已刊发,专栏中可以看到这篇报道")).to_be_visible()
    logout(page)

    # The reader finds it in the column with its photo and caption, and its share link.
    login(page, "reader", passwords["reader"])
    open_menu(page, "先锋工程专栏")
    expect(main(page).get_by_text(EDITED)).to_be_visible()
    expect(main(page).get_by_text(CAPTION)).to_be_visible()
    expect(main(page).locator("img").first).to_be_visible()
    share = main(page).get_by_role("textbox", name="分享链接").first.input_value()
    assert "/vanguard-column?report=" in share
    shot(page, "news-05-column")

    # A colleague pastes the link in a fresh browser session and signs in: the report opens.
    other = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    pasted = other.new_page()
    pasted.set_default_timeout(20_000)
    _sign_in_and_open(pasted, share, "branch2", passwords["branch2"])
    expect(pasted.get_by_text("分享给您的报道")).to_be_visible()
    expect(pasted.get_by_test_id("stMain").get_by_text(EDITED).first).to_be_visible()
    pasted.screenshot(path=str(SHOTS / "news-06-shared-link.png"), full_page=True)
    other.close()
    logout(page)

    # The admin composes, previews and issues a bulletin from it.
    login(page, "admin", passwords["admin"])
    open_menu(page, "简报编辑")
    click(page, "新建")
    expect(page.get_by_text("已新建一期简报,请选择要收录的报道")).to_be_visible()
    shot(page, "news-07-bulletin-new")
    picker = main(page).get_by_role("combobox", name="收录的报道(按此顺序排版)")
    pick_many(page, picker, [f"{EDITED} · 党政办公室党支部 · 活动报道"])
    click(page, "保存")
    expect(page.get_by_text("已保存本期的报道和摘要")).to_be_visible()
    shot(page, "news-08-bulletin-draft")
    idle(page)  # the save's own rerun has finished before the next click
    # The summary is rewritten and, without saving or leaving the box, previewed at once.
    summary = main(page).get_by_label(f"第 1 篇「{EDITED}」的摘要")
    summary.click()
    summary.fill(SUMMARY)
    click(page, "预览PDF")  # renders what is on screen: slow on a busy runner
    preview = main(page).get_by_role("button", name="下载预览PDF")
    expect(preview).to_be_visible(timeout=60_000)
    with page.expect_download() as download:
        preview.click()
    text = _pdf_text(download.value.path().read_bytes())
    assert "机关工作简报" in text and "第 1 期" in text and SUMMARY in text and EDITED in text
    shot(page, "news-09-bulletin-preview")
    click(page, "印发")  # reserves the number and renders the PDF once: slow on a busy runner
    expect(page.get_by_text(re.compile(r"最近印发:\d+ 年第 1 期"))).to_be_visible(timeout=60_000)
    shot(page, "news-10-bulletin-issued")
    logout(page)

    # Everyone downloads it from the archive — here the reader; the PDF has the report as
    # issued (the summary typed on screen) and its image.
    login(page, "reader", passwords["reader"])
    open_menu(page, "简报")
    shot(page, "news-11-archive")
    with page.expect_download() as download:
        main(page).get_by_role("button", name="下载PDF").first.click()
    pdf = download.value.path().read_bytes()
    (SHOTS / "news-bulletin.pdf").write_bytes(pdf)
    text = _pdf_text(pdf)
    assert "机关工作简报" in text and "第 1 期" in text and EDITED in text and CAPTION in text
    assert SUMMARY in text
    assert sum(len(p.images) for p in PdfReader(io.BytesIO(pdf)).pages) == 1
