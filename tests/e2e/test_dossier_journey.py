"""材料汇编 in chromium: a reviewer starts the campaign dossier; the build runs in a child process
of the server and the screen redraws itself, without a click, until the download appears; the
PDF downloads under its Chinese name and holds the progress table and the review trail.

Screenshot at 1366×768 goes to ``/tmp/e2e-shots``.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pypdf import PdfReader

from storage.factory import open_repository
from tests.e2e.conftest import SHOTS
from tests.e2e.test_launch_journey import idle, login, open_menu
from workflow.models import Status
from workflow.services import build_services
from workflow.setup import seed_demo

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def passwords(store_url: str) -> dict[str, str]:
    """The demo campaign with one plan approved, loaded before the app starts."""
    repo = open_repository(store_url)
    try:
        passwords = seed_demo(repo)
        services = build_services(repo)
        reviewer = services.accounts.authenticate("reviewer", passwords["reviewer"])
        campaign = services.campaigns.current()
        assert campaign is not None
        plans = services.submissions.list(reviewer, campaign_id=campaign.id, form_type="plan")
        plan = next(p for p in plans if p.status == Status.SUBMITTED)
        services.submissions.approve(reviewer, plan.id, plan.rev)
        return passwords
    finally:
        repo.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    context.set_default_timeout(30_000)
    expect.set_options(timeout=60_000)
    yield context
    context.close()


def test_a_reviewer_builds_and_downloads_the_campaign_dossier(
    context: BrowserContext, app_url: str, passwords: dict[str, str]
) -> None:
    page: Page = context.new_page()
    page.goto(app_url)
    login(page, "reviewer", passwords["reviewer"])
    open_menu(page, "材料汇编")
    page.get_by_role("button", name="生成全校汇编").click()
    # the button's own run ends at once; the build goes on in the background and the screen
    # redraws itself until the download appears
    download_button = page.get_by_role("button", name="下载 PDF", exact=False)
    expect(download_button).to_be_visible()
    idle(page)
    page.screenshot(path=str(SHOTS / "dossier-ready.png"), full_page=True)
    with page.expect_download() as download:
        download_button.click()
    pdf = download.value.path().read_bytes()
    assert download.value.suggested_filename.endswith("先锋工程材料汇编.pdf")
    text = "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "各支部进展" in text and "审核记录" in text
