"""Markdown injection: text typed by one person and rendered as Markdown on another's screen
(a reviewer's per-field reason in the branch's editor, an admin-set display name in the
sidebar, a branch's credits and photo captions in the 先锋工程 column, an uploaded file's name)
is shown as typed: no remote image is fetched, no link, no bold, no HTML, no ``:red[…]``."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from forms.markdown import escape_label
from i18n import t
from tests.app.campaign_fixture import PASSWORD, YEAR, build_campaign
from tests.app.conftest import APP
from tests.app.driver import button, login, no_traceback, open_page
from tests.unit.demo_site_world import application, receipt
from tests.unit.news_samples import news_data, png
from workflow.models import Stage
from workflow.services import Services

ATTACK = "![x](http://evil.example/p.png) :red[紧急] [点我](http://evil.example) <b>粗</b>"
LIVE = ("![", "](", ":red[", "<b>")  # any of these unescaped would render
# At most 50 characters (a credit's limit); no "/" in NAMED (a file name keeps its last part).
SHORT = "![x](http://evil/p.png)**b**<script>:red[x]"
NAMED = "![x](evil.png)**b**<script>:red[x]<img src=x onerror=alert(1)>"
LIVE_TOO = (*LIVE, "**", "<script", "<img")


def _rendered(app: AppTest) -> list[str]:
    """Every Markdown source the page sent: text, message boxes, captions, sidebar."""
    parts = [m.value for m in app.markdown] + [m.value for m in app.sidebar.markdown]
    for kind in (app.error, app.warning, app.info, app.success, app.caption, app.title):
        parts += [str(e.value) for e in kind]
    return parts


def _assert_shown_as_typed(app: AppTest, live: tuple[str, ...] = LIVE) -> list[str]:
    """The page ran, showed the attack somewhere, and nowhere as live Markdown."""
    no_traceback(app)
    shown = [s for s in _rendered(app) if "evil" in s]
    assert shown, _rendered(app)
    for source in shown:
        assert not _live(source, live), source
    return shown


def _live(source: str, live: tuple[str, ...] = LIVE_TOO) -> bool:
    """True when ``source`` holds one of ``live`` unescaped (a backslash before a character
    makes it literal, so escaped pairs are dropped before looking)."""
    bare = re.sub(r"\\.", "", source)
    return any(x in bare for x in live)


def _image_captions(app: AppTest) -> list[str]:
    """The captions under ``st.image`` pictures (Streamlit renders them as Markdown)."""
    return [img.caption for element in app.get("image") for img in element.proto.imgs]


def test_reviewers_field_reason_is_shown_as_typed_in_the_branch_editor(
    app: AppTest, svc: Services
) -> None:
    users = build_campaign(svc)
    campaign = svc.campaigns.current()
    assert campaign is not None
    plan = svc.submissions.list(users["reviewer"], campaign_id=campaign.id, form_type="plan")[0]
    svc.submissions.return_(
        users["reviewer"], plan.id, plan.rev, ATTACK, field_reasons={"features": ATTACK}
    )
    login(app, "branch2", PASSWORD)
    open_page(app, "pages/plan.py")
    shown = _assert_shown_as_typed(app)
    assert len(shown) >= 2, shown  # the overall reason and the one at the field
    for source in shown:
        assert r"\!\[x\]\(http://evil\.example/p\.png\)" in source


def test_admin_set_display_name_is_shown_as_typed_in_the_sidebar(
    app: AppTest, svc: Services
) -> None:
    users = build_campaign(svc)
    staff = svc.accounts.get_user(users["admin"], "branch2")
    svc.accounts.update_user(
        users["admin"], staff.model_copy(update={"display_name": ATTACK[:50]}), staff.rev
    )
    login(app, "branch2", PASSWORD)
    _assert_shown_as_typed(app)


def test_an_admin_set_branch_name_is_shown_as_typed_in_a_dossier_title(
    app: AppTest, svc: Services
) -> None:
    """The 材料汇编 screen's build titles name the branch (or campaign) an admin typed."""
    users = build_campaign(svc)
    campaign = svc.campaigns.current()
    assert campaign is not None
    branch = svc.branches.list()[0]
    svc.branches.update(users["admin"], branch.model_copy(update={"name": ATTACK[:60]}), branch.rev)
    svc.dossiers.start_branch_dossier(users["reviewer"], campaign.id, branch.id)
    login(app, "reviewer", PASSWORD)
    open_page(app, "pages/dossiers.py")
    _assert_shown_as_typed(app)


def test_an_admin_set_campaign_title_is_shown_as_typed_above_the_plan(
    app: AppTest, svc: Services
) -> None:
    users = build_campaign(svc)
    campaign = svc.campaigns.current()
    assert campaign is not None
    svc.campaigns.update(
        users["admin"], campaign.model_copy(update={"title": ATTACK}), campaign.rev
    )
    login(app, "branch2", PASSWORD)
    open_page(app, "pages/plan.py")
    _assert_shown_as_typed(app)


def test_a_branchs_credits_captions_and_name_are_shown_as_typed_in_the_column(
    app: AppTest, svc: Services
) -> None:
    """The column prints what a branch typed (author, photographer, reviewer, a photo's
    caption) and the branch's name in the byline, on every reader's screen."""
    users = build_campaign(svc)
    campaign = svc.campaigns.current()
    assert campaign is not None
    branch = svc.branches.get(users["branch1"].branch_id or "")
    svc.branches.update(users["admin"], branch.model_copy(update={"name": SHORT}), branch.rev)
    data = news_data(svc, author=SHORT, photographer=SHORT, reviewer=SHORT)
    data["images"][0]["caption"] = SHORT
    subs, reviewer = svc.submissions, users["reviewer"]
    draft = subs.save_draft(
        users["branch1"], campaign_id=campaign.id, form_type="news_report", data=data
    )
    sub = subs.submit(users["branch1"], draft.id, draft.rev)
    sub = subs.approve(reviewer, sub.id, sub.rev)
    sub = svc.news.forward(reviewer, sub.id, sub.rev)
    svc.news.publish(reviewer, sub.id, sub.rev)

    login(app, "reader", PASSWORD)
    open_page(app, "pages/news_column.py")
    shown = _assert_shown_as_typed(app, LIVE_TOO)
    byline = next(s for s in shown if t("news.column.published_at", at="").strip() in s)
    assert r"\!\[x\]\(http://evil/p\.png\)\*\*b\*\*\<script\>" in byline
    credits = next(s for s in shown if "撰稿" in s)
    assert credits.count(r"\*\*b\*\*") == 3, credits  # author, photographer, reviewer
    (caption,) = _image_captions(app)
    assert caption == r"\!\[x\]\(http://evil/p\.png\)\*\*b\*\*\<script\>:red\[x\]"


def test_an_uploaded_files_name_is_shown_as_typed_under_its_thumbnail_and_on_its_button(
    app: AppTest, svc: Services
) -> None:
    """A reviewer opening a record sees its photos captioned, and its other files offered for
    download, by the names the branch's uploader gave them: Markdown both (an image caption,
    a button label), so both escaped."""
    users = build_campaign(svc)
    campaign = svc.campaigns.current()
    assert campaign is not None
    staff = users["branch1"]

    class Upload:
        def __init__(self, name: str, content_type: str, data: bytes) -> None:
            self.path, self.name, self.content_type, self.data = (
                "attachments",
                name,
                content_type,
                data,
            )

    data = {
        "branch": "",
        "date": f"{YEAR}-03-12",
        "topic": "学习全国教育大会精神",
        "documents": ["全国教育大会重要讲话精神"],
        "members": 12,
        "attendees": 11,
        "hours": 2,
        "notes": "书记领学实施意见,党员逐一发言,围绕校庆筹备服务工作讨论支部实施方案框架。",
    }
    uploads = [
        Upload(NAMED + ".png", "image/png", png()),
        Upload(NAMED + ".pdf", "application/pdf", b"%PDF-1.4 minutes"),
    ]
    data = svc.attachments.attach(staff, svc.forms.get("study_session"), data, uploads)
    draft = svc.submissions.save_draft(
        staff, campaign_id=campaign.id, form_type="study_session", data=data
    )
    session = svc.submissions.submit(staff, draft.id, draft.rev)

    login(app, "reviewer", PASSWORD)
    app.query_params["open"] = session.id
    open_page(app, "pages/review.py")
    (caption,) = _image_captions(app)
    assert "evil" in caption and not _live(caption), caption
    labels = [d.proto.label for d in app.get("download_button") if "evil" in d.proto.label]
    assert labels == [t("pages.attachments.download", name=escape_label(NAMED + ".pdf"))]
    assert not _live(labels[0]), labels


def test_a_receipts_file_name_is_shown_as_typed_on_its_download_button(
    app: AppTest, svc: Services
) -> None:
    """The demo site's ledger offers each receipt for download under the name its branch's
    uploader gave it (a button label: Markdown)."""
    users = build_campaign(svc)
    campaign = svc.campaigns.current()
    assert campaign is not None
    staff, reviewer = users["branch1"], users["reviewer"]
    subs = svc.submissions
    draft = subs.save_draft(
        staff,
        campaign_id=campaign.id,
        form_type="demo_site",
        data=application("窗口服务示范点", ["校庆"]),
    )
    site = subs.submit(staff, draft.id, draft.rev)
    site = subs.approve(reviewer, site.id, site.rev)
    settings = campaign.model_dump(mode="json")
    settings["settings"]["budget"] = 20000
    svc.campaigns.update(users["admin"], settings, campaign.rev)
    svc.funding.grant(reviewer, campaign.id, site.id, 1000)
    svc.funding.spend(staff, campaign.id, site.id, 10, "交通", [receipt(NAMED + ".png")])
    login(app, "reviewer", PASSWORD)
    open_page(app, "pages/funding.py")
    labels = [d.proto.label for d in app.get("download_button") if "evil" in d.proto.label]
    assert labels, [d.proto.label for d in app.get("download_button")]
    for label in labels:
        assert not _live(label), label


TITLE = "![x](http://evil.example/t.png) **粗** :red[红]"  # a form title an admin typed
TITLE_LIVE = (*LIVE, "**粗**")
VOLUNTEER = {
    "member": "张三",
    "date": "2026-03-05",
    "hours": 2.0,
    "place": "社区服务中心",
    "kind": "社区服务",
    "description": "为社区老人讲解防范电信诈骗知识",
    "participants": [{"name": "李四", "hours": 1.5}],
}


def _assert_title_inert(sources: list[str]) -> None:
    """Each source shows the hostile form title, and only escaped."""
    assert sources
    for source in sources:
        assert "evil" in source, source
        unescaped = re.sub(r"\\.", "", source)  # what Markdown would still read as syntax
        assert not any(live in unescaped for live in TITLE_LIVE), source
        assert r"\!\[x\]\(http://evil\.example/t\.png\) \*\*粗\*\* :red\[红\]" in source, source


def _retitle_on_builder(app: AppTest, form_type: str) -> None:
    """An admin opens ``form_type`` in the 表单设计 screen, types TITLE and publishes it."""
    open_page(app, "pages/admin_form_builder.py")
    app.radio(key="fb:mode").set_value("open").run()
    app.selectbox(key="fb:open_pick").set_value(form_type).run()
    app.button(key="fb:open").click().run()
    no_traceback(app)
    app.text_input(key=f"fb:tz:{app.session_state['fb:epoch']}").input(TITLE).run()
    no_traceback(app)
    app.button(key="fb:publish").click().run()
    no_traceback(app)


def test_a_hostile_form_title_is_shown_as_typed_on_the_builder_review_checks_and_home(
    app: AppTest, svc: Services
) -> None:
    """A form title is typed by an admin and shown on every role's screens: the builder's
    publish and copy messages, the review page's caption and heading, the rule checks' rows
    and the home page's task links all show it as typed, never as Markdown."""
    users = build_campaign(svc)
    campaign = svc.campaigns.current()
    assert campaign is not None
    svc.campaigns.update(
        users["admin"], campaign.model_copy(update={"stage": Stage.IMPLEMENT}), campaign.rev
    )
    branch = next(b for b in svc.branches.list() if b.id == users["branch1"].branch_id)
    svc.branches.update(users["admin"], branch.model_copy(update={"name": ATTACK[:60]}), branch.rev)

    login(app, "admin", PASSWORD)
    _retitle_on_builder(app, "volunteer_service")
    _assert_title_inert([str(s.value) for s in app.success])  # 已发布《…》第 2 版
    assert svc.forms.form_type("volunteer_service").title("zh") == TITLE
    app.radio(key="fb:mode").set_value("copy").run()
    app.selectbox(key="fb:copy_pick").set_value("volunteer_service@2").run()
    app.text_input(key="fb:copy_type").input("volunteer_copy")
    app.text_input(key="fb:copy_title").input(TITLE + " 副本")
    app.button(key="fb:copy").click().run()
    no_traceback(app)
    _assert_title_inert([str(s.value) for s in app.success])  # 已复制为新表单《…》

    draft = svc.submissions.save_draft(
        users["branch1"],
        campaign_id=campaign.id,
        form_type="volunteer_service",
        data=VOLUNTEER,
    )
    submitted = svc.submissions.submit(users["branch1"], draft.id, draft.rev)

    reviewer = AppTest.from_file(APP, default_timeout=60)
    login(reviewer, "reviewer", PASSWORD)
    links = [e.proto.label for e in reviewer.get("page_link")]
    _assert_title_inert([label for label in links if "evil" in label])  # 审核“…”(表单)

    open_page(reviewer, "pages/review.py")
    reviewer.selectbox(key="rv_type").set_value("volunteer_service")
    reviewer.selectbox(key="rv_branch").set_value(branch.id)
    reviewer.text_input(key="rv_query").input("![x](http://evil.example/p.png)")
    reviewer.session_state["rv_open"] = submitted.id
    reviewer.run()
    no_traceback(reviewer)
    captions = [str(c.value) for c in reviewer.caption if "evil" in c.value]
    assert any(t("pages.review.showing", n=1, what="")[:4] in c for c in captions), captions
    for source in captions:  # the form, the branch and the query the reviewer typed
        unescaped = re.sub(r"\\.", "", source)  # what Markdown would still read as syntax
        assert not any(live in unescaped for live in TITLE_LIVE), source
        assert r"\!\[x\]\(http://evil\.example/p\.png\)" in source, source
    _assert_title_inert([str(h.value) for h in reviewer.subheader if "evil" in h.value])

    open_page(reviewer, "pages/review_checks.py")
    reviewer.button(key="rc_run").click().run()
    no_traceback(reviewer)
    _assert_title_inert([e.label for e in reviewer.expander if "evil" in e.label])


def test_a_hostile_title_saved_on_the_definition_screen_is_shown_as_typed(
    app: AppTest, svc: Services
) -> None:
    """The 表单定义 screen's 已保存 message names the title the admin wrote in the YAML."""
    build_campaign(svc)
    login(app, "admin", PASSWORD)
    open_page(app, "pages/admin_forms.py")
    text = (Path(__file__).parents[2] / "forms/definitions/volunteer_service.yaml").read_text(
        encoding="utf-8"
    )
    hostile = text.replace("form_type: volunteer_service", "form_type: volunteer_days").replace(
        "title: {zh: 党员志愿服务登记,", f'title: {{zh: "{TITLE}",'
    )
    app.text_area(key="admin_forms:text").input(hostile).run()
    button(app, t("admin_forms.save")).click()
    app.run()
    no_traceback(app)
    _assert_title_inert([str(s.value) for s in app.success if "evil" in s.value])
