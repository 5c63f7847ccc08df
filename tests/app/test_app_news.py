"""The news screens (S9): a branch's reports, the committee's desk (edit with tracked changes,
forward, publish) and the 先锋工程 column with its filters and share links."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

import pypdf
import pytest
from streamlit.testing.v1 import AppTest

from i18n import t
from tests.app.campaign_fixture import PASSWORD, build_campaign
from tests.app.driver import button, confirm, login, open_page, texts
from tests.unit.news_samples import submitted_news
from workflow.models import Status, Submission, User
from workflow.services import Services


@pytest.fixture
def users(svc: Services) -> dict[str, User]:
    return build_campaign(svc)


def _campaign_id(svc: Services) -> str:
    campaign = svc.campaigns.current()
    assert campaign is not None
    return campaign.id


def _news(
    svc: Services, users: dict[str, User], login_: str = "branch1", **over: object
) -> Submission:
    return submitted_news(svc, users[login_], _campaign_id(svc), **over)


def _published(svc: Services, users: dict[str, User], **over: object) -> Submission:
    sub = _news(svc, users, **over)
    reviewer = users["reviewer"]
    sub = svc.submissions.approve(reviewer, sub.id, sub.rev)
    sub = svc.news.forward(reviewer, sub.id, sub.rev)
    return svc.news.publish(reviewer, sub.id, sub.rev)


def test_branch_news_page_lists_its_reports_with_their_status(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    _published(svc, users, title="党办支部走进校史馆")
    login(app, "branch1", PASSWORD)
    open_page(app, "pages/news_reports.py")
    table = app.dataframe[0].value
    assert "党办支部走进校史馆" in list(table.iloc[:, -3])
    assert t("status.published") in list(table.iloc[:, 0])


def test_reviewer_edits_with_tracked_changes_then_forwards_and_publishes(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    sub = _news(svc, users, title="党办支部走进校史馆")
    login(app, "reviewer", PASSWORD)
    open_page(app, "pages/news_desk.py")
    title = next(w for w in app.text_input if w.value == "党办支部走进校史馆")
    title.input("党办支部走进校史馆<b>参观</b>")
    button(app, t("news.desk.save_edit")).click()
    app.run()
    stored = svc.submissions.get(users["reviewer"], sub.id)
    assert stored.data["title"] == "党办支部走进校史馆<b>参观</b>"
    assert stored.edits[0].changes[0].path == "title"
    diff = texts(app)
    assert ">&lt;b&gt;参观&lt;/b&gt;</ins>" in diff  # escaped, marked inserted

    confirm(app, t("pages.review.approve"))
    app.selectbox(key="nd_status").set_value(Status.APPROVED.value).run()
    app.text_input(key=f"nd_fw_note:{sub.id}").input("报校党委宣传部")
    confirm(app, t("news.desk.forward"))
    assert svc.submissions.get(users["reviewer"], sub.id).status == Status.FORWARDED
    app.selectbox(key="nd_status").set_value(Status.FORWARDED.value).run()
    assert "报校党委宣传部" in texts(app)
    confirm(app, t("news.desk.publish"))
    assert svc.submissions.get(users["reviewer"], sub.id).status == Status.PUBLISHED


def test_an_admin_publishes_a_forwarded_report_from_the_desk_in_the_menu(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    """Admins may publish (permissions.may_publish_news): the desk is in their menu and offers
    刊发 for a forwarded report, but not the reviewers' edit and forward steps."""
    sub = _news(svc, users, title="党办支部走进校史馆")
    reviewer = users["reviewer"]
    sub = svc.submissions.approve(reviewer, sub.id, sub.rev)
    sub = svc.news.forward(reviewer, sub.id, sub.rev)
    login(app, "admin", PASSWORD)
    open_page(app, "pages/news_desk.py")
    app.selectbox(key="nd_status").set_value(Status.FORWARDED.value).run()
    assert t("news.desk.save_edit") not in [b.label for b in app.button]
    confirm(app, t("news.desk.publish"))
    assert svc.submissions.get(users["admin"], sub.id).status == Status.PUBLISHED


def test_the_column_shows_published_reports_with_images_filters_and_share_links(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    first = _published(svc, users, title="党办支部走进校史馆")
    _published(svc, users, title="教务处先进人物李老师", category="先进人物")
    _news(svc, users, "branch2", title="尚未刊发的一篇报道")
    login(app, "branch2", PASSWORD)
    open_page(app, "pages/news_column.py")
    shown = texts(app)
    assert shown.index("教务处先进人物李老师") < shown.index("党办支部走进校史馆")
    assert "尚未刊发的一篇报道" not in shown
    assert [i.proto.imgs[0].caption for i in app.get("image")][:2] == ["党员在校史馆参观学习"] * 2
    share = app.text_input(key=f"share:{first.id}").value
    assert share.endswith(f"/vanguard-column?report={first.id}")

    app.selectbox(key="col_kind").set_value("先进人物").run()
    assert "党办支部走进校史馆" not in texts(app) and "教务处先进人物李老师" in texts(app)

    app.query_params["report"] = first.id
    app.selectbox(key="col_kind").set_value("先进人物").run()
    assert t("news.column.shared") in texts(app) and "党办支部走进校史馆" in texts(app)


def test_a_share_link_to_an_unpublished_report_shows_nothing_of_it(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    hidden = _news(svc, users, title="尚未刊发的一篇报道")
    login(app, "reader", PASSWORD)
    app.query_params["report"] = hidden.id
    open_page(app, "pages/news_column.py")
    assert "尚未刊发的一篇报道" not in texts(app)
    assert app.error  # said plainly, no traceback


def test_admin_composes_saves_and_issues_a_bulletin(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    first = _published(svc, users, title="党办支部走进校史馆")
    second = _published(svc, users, title="教务处先进人物李老师", category="先进人物")
    login(app, "admin", PASSWORD)
    open_page(app, "pages/bulletin_editor.py")
    button(app, t("news.editor.create")).click()
    app.run()
    (draft,) = svc.bulletins.drafts(users["admin"])
    key = f"be:{draft.id}:{draft.rev}"
    app.multiselect(key=f"{key}:picked").set_value([second.id, first.id]).run()
    app.text_area(key=f"{key}:summary:{second.id}").input("改写后的人物摘要").run()
    button(app, t("news.editor.save")).click()
    app.run()
    (draft,) = svc.bulletins.drafts(users["admin"])
    assert (draft.picks[0].submission_id, draft.picks[0].summary) == (second.id, "改写后的人物摘要")
    assert draft.picks[1].submission_id == first.id
    assert draft.picks[1].summary.startswith("九月二十日上午")  # the opening, editable
    button(app, t("news.editor.issue")).click()
    app.run()
    (issued,) = svc.bulletins.archive(users["admin"])
    assert issued.number == 1 and issued.headlines == ["教务处先进人物李老师", "党办支部走进校史馆"]
    assert t("news.editor.issued", n=1, year=issued.year) in texts(app)


def _served(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The bytes of every file a page hands to a download button, by the file's media id."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    served: dict[str, bytes] = {}
    keep = MemoryMediaFileStorage.load_and_get_id

    def spy(self: MemoryMediaFileStorage, data: Any, *args: Any, **kwargs: Any) -> str:
        file_id = keep(self, data, *args, **kwargs)
        served[file_id] = bytes(data)
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    return served


def _download(app: AppTest, served: dict[str, bytes], label: str) -> bytes:
    """What clicking the download button ``label`` would fetch."""
    (found,) = [d for d in app.get("download_button") if d.proto.label == label]
    return served[found.proto.url.rsplit("/", 1)[-1].split(".")[0]]


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_preview_and_issue_take_the_picks_order_and_summaries_on_screen_unsaved(
    app: AppTest, svc: Services, users: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing is saved after the summary is changed and the reports reordered: the preview
    and the issued PDF print what the screen shows, and moving a report keeps its summary."""
    import datetime as dt

    served = _served(monkeypatch)
    first = _published(svc, users, title="党办支部走进校史馆")
    second = _published(svc, users, title="教务处先进人物李老师", category="先进人物")
    admin = users["admin"]
    draft = svc.bulletins.create(admin, date=dt.date(2026, 10, 1))
    picks = [{"submission_id": first.id}, {"submission_id": second.id, "summary": "已保存的摘要"}]
    draft = svc.bulletins.compose(admin, draft.id, draft.rev, picks)
    login(app, "admin", PASSWORD)
    app.session_state["be_open"] = draft.id
    open_page(app, "pages/bulletin_editor.py")
    key = f"be:{draft.id}:{draft.rev}"

    app.text_area(key=f"{key}:summary:{second.id}").input("屏幕上改写的人物摘要").run()
    button(app, t("news.editor.preview")).click()
    app.run()
    text = _pdf_text(_download(app, served, t("news.editor.preview_download")))
    assert "屏幕上改写的人物摘要" in text and "已保存的摘要" not in text
    assert text.index("党办支部走进校史馆") < text.index("教务处先进人物李老师")

    app.button(key=f"{key}:news.editor.up:{second.id}").click().run()  # second to the top
    assert app.multiselect(key=f"{key}:picked").value == [second.id, first.id]
    assert app.text_area(key=f"{key}:summary:{second.id}").value == "屏幕上改写的人物摘要"
    assert not [d for d in app.get("download_button")], "a preview of the old order is gone"
    button(app, t("news.editor.preview")).click()
    app.run()
    text = _pdf_text(_download(app, served, t("news.editor.preview_download")))
    assert text.index("教务处先进人物李老师") < text.index("党办支部走进校史馆")
    assert "屏幕上改写的人物摘要" in text
    (stored,) = svc.bulletins.drafts(admin)
    assert stored.rev == draft.rev, "previewing saves nothing"

    button(app, t("news.editor.issue")).click()
    app.run()
    (issued,) = svc.bulletins.archive(admin)
    assert issued.headlines == ["教务处先进人物李老师", "党办支部走进校史馆"]
    assert issued.picks[0].summary == "屏幕上改写的人物摘要"
    assert "屏幕上改写的人物摘要" in _pdf_text(svc.bulletins.pdf(users["reader"], issued.id))


def test_everyone_sees_issued_bulletins_in_the_archive_but_not_drafts(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    import datetime as dt

    report = _published(svc, users, title="党办支部走进校史馆")
    admin = users["admin"]
    issue = svc.bulletins.create(admin, date=dt.date(2026, 10, 1))
    issue = svc.bulletins.compose(admin, issue.id, issue.rev, [{"submission_id": report.id}])
    svc.bulletins.issue(admin, issue.id, issue.rev)
    draft = svc.bulletins.create(admin, date=dt.date(2026, 11, 1))
    svc.bulletins.compose(
        admin, draft.id, draft.rev, [{"submission_id": report.id, "summary": "草稿摘要"}]
    )
    login(app, "branch2", PASSWORD)
    open_page(app, "pages/bulletins.py")
    shown = texts(app)
    assert t("news.archive.number", year=2026, n=1) in shown and "党办支部走进校史馆" in shown
    assert len(app.get("download_button")) == 1
    assert "草稿摘要" not in shown


def test_signing_in_from_a_pasted_share_link_comes_back_to_it_with_its_query(
    app: AppTest, svc: Services, users: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    import pages.browser

    loaded: list[str] = []
    monkeypatch.setattr(pages.browser, "_load", loaded.append)  # the browser's page load
    shared = _published(svc, users, title="党办支部走进校史馆")
    app.query_params["report"] = shared.id  # pasted into a fresh session: signed out
    login(app, "branch2", PASSWORD)
    (handoff,) = loaded
    assert handoff.endswith("&next=" + quote(f"/?report={shared.id}"))
