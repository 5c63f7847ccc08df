"""材料汇编 in the app: a reviewer builds the campaign dossier in the background, watches its
progress and downloads it; branch staff cannot open the screen."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from forms.markdown import escape_markdown
from i18n import t
from tests.app.campaign_fixture import PASSWORD, build_campaign
from tests.app.conftest import ROOT
from tests.app.driver import button, login, no_traceback, open_page, texts
from workflow.background import BackgroundBuilds
from workflow.errors import NotFound
from workflow.services import Services


def test_a_reviewer_builds_the_campaign_dossier_and_downloads_it(
    app: AppTest, svc: Services
) -> None:
    users = build_campaign(svc)
    login(app, "reviewer", PASSWORD)
    open_page(app, "pages/dossiers.py")
    assert t("dossiers.none") in texts(app)
    button(app, t("dossiers.build_campaign")).click()
    app.run()
    no_traceback(app)
    jobs = svc.dossiers.jobs(users["reviewer"])
    assert len(jobs) == 1
    job = svc.dossiers.builds.wait(jobs[0])
    assert job.status == "done", job.error
    app.run()
    no_traceback(app)
    downloads = app.get("download_button")
    assert [d.proto.label for d in downloads] == [
        t("dossiers.download", size=round(len(job.result or b"") / 1_048_576, 1))
    ]
    assert job.filename.endswith(".pdf") and "全校" in job.filename
    # another reviewer's screen does not list it
    assert svc.dossiers.jobs(users["admin"]) == []


def test_branch_staff_are_refused_even_when_the_screen_is_run_directly(
    fresh_store: None, svc: Services
) -> None:
    users = build_campaign(svc)
    at = AppTest.from_file(str(ROOT / "pages" / "dossiers.py"), default_timeout=60)
    at.session_state["vg_user_id"] = users["branch1"].id
    at.session_state["vg_user"] = users["branch1"]
    at.run()
    no_traceback(at)
    assert [e.value for e in at.error] == [t("pages.error.no_access")]
    assert t("dossiers.build_campaign") not in [b.label for b in at.button]


def test_a_running_build_shows_its_progress(app: AppTest, svc: Services) -> None:
    users = build_campaign(svc)
    svc.dossiers.builds = BackgroundBuilds(in_process=True)
    release = threading.Event()

    def slow(progress: Callable[[int, int], None]) -> bytes:
        progress(3, 10)
        release.wait(30)
        return b"%PDF-1.4"

    job = svc.dossiers.builds.start(users["reviewer"].id, "全校汇编", "x.pdf", slow)
    try:
        while job.done != 3:
            time.sleep(0.01)
        login(app, "reviewer", PASSWORD)
        open_page(app, "pages/dossiers.py")
        bars = app.get("progress")
        assert len(bars) == 1
        assert bars[0].proto.value == 30
        assert t("dossiers.running", percent=30) in bars[0].proto.text
    finally:
        release.set()
    svc.dossiers.builds.wait(job)


def test_a_failed_build_shows_a_chinese_message_never_the_technical_detail(
    app: AppTest, svc: Services
) -> None:
    users = build_campaign(svc)
    svc.dossiers.builds = BackgroundBuilds(in_process=True)

    def broken(progress: Callable[[int, int], None]) -> bytes:
        raise RuntimeError("worker ended unexpectedly (exit code -9)")

    def named(progress: Callable[[int, int], None]) -> bytes:
        raise NotFound("users", "**bob**")  # a user-typed value: escaped, not Markdown

    for build in (broken, named):
        svc.dossiers.builds.wait(
            svc.dossiers.builds.start(users["reviewer"].id, "汇编", "x", build)
        )
    login(app, "reviewer", PASSWORD)
    open_page(app, "pages/dossiers.py")
    no_traceback(app)
    shown = [e.value for e in app.error]
    assert sorted(shown) == sorted(
        [
            t(
                "dossiers.failed",
                reason=escape_markdown(t("workflow.not_found.users", id="**bob**")),
            ),
            t("dossiers.failed", reason=escape_markdown(t("dossiers.failure.unexpected"))),
        ]
    )
    assert not any("exit code" in text for text in shown)


def test_the_branch_picker_offers_the_campaigns_branches_only(app: AppTest, svc: Services) -> None:
    users = build_campaign(svc)
    campaign = svc.campaigns.current()
    assert campaign is not None
    every = svc.branches.list()
    assert len(every) > 1
    kept = every[0]
    svc.campaigns.update(
        users["admin"], campaign.model_copy(update={"branch_ids": [kept.id]}), campaign.rev
    )
    login(app, "reviewer", PASSWORD)
    open_page(app, "pages/dossiers.py")
    no_traceback(app)
    assert app.selectbox(key="dossier_branch").options == [kept.name]
