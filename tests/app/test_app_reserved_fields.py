"""Fields reserved to reviewers in the app: the branch sees 机关党委评分 read-only on its
nomination; the reviewer sets it (and 总结定级) on the review screen and the score follows."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from i18n import t
from tests.app.campaign_fixture import PASSWORD, build_campaign
from tests.app.driver import login, no_traceback, open_page
from tests.app.test_app_summary_figures import evaluation_stage
from tests.unit.test_workflow_field_roles import nomination
from workflow.models import Campaign, Submission, User
from workflow.services import Services


@pytest.fixture
def users(svc: Services) -> dict[str, User]:
    return build_campaign(svc)


def submitted_nomination(svc: Services, staff: User, campaign: Campaign) -> Submission:
    draft = svc.submissions.save_draft(
        staff, campaign_id=campaign.id, form_type="nomination", data=nomination()
    )
    return svc.submissions.submit(staff, draft.id, draft.rev)


def test_the_branch_sees_the_committee_score_read_only(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    evaluation_stage(svc, users["admin"])
    login(app, "branch1", PASSWORD)
    open_page(app, "pages/fill.py")
    app.selectbox(key="fill_type").select("nomination")
    app.run()
    no_traceback(app)
    keys = {str(w.key) for w in app.number_input}
    assert any(k.endswith("|self_score") for k in keys)
    assert not any(k.endswith("|committee_score") for k in keys), keys
    assert any(str(m.value).startswith("**机关党委评分**") for m in app.markdown)
    assert not any(str(s.key).endswith("|summary_grade") for s in app.selectbox)


def test_the_reviewer_scores_a_nomination_on_the_review_screen(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    campaign = evaluation_stage(svc, users["admin"])
    sent = submitted_nomination(svc, users["branch1"], campaign)
    login(app, "reviewer", PASSWORD)
    open_page(app, "pages/review.py")
    app.session_state["rv_open"] = sent.id
    app.run()
    no_traceback(app)
    key = f"vanguard.form:rv_reserved:{sent.id}:{sent.rev}"
    app.number_input(key=f"{key}|committee_score").set_value(92.0)
    app.selectbox(key=f"{key}|summary_grade").set_value("先进")
    next(b for b in app.button if b.label == t("pages.review.save_reserved")).click()
    app.run()
    no_traceback(app)
    stored = svc.submissions.get(users["reviewer"], sent.id)
    assert (stored.data["committee_score"], stored.data["summary_grade"]) == (92, "先进")
    assert stored.report is not None and stored.report["score"] == 93.2


def test_autosave_of_a_returned_nomination_keeps_the_committee_score(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    """The branch's editor saves on every change: it must neither refuse the save nor touch
    the score and grade the reviewer set, and the summary's figures stay the server's."""
    campaign = evaluation_stage(svc, users["admin"])
    sent = submitted_nomination(svc, users["branch1"], campaign)
    reviewer = users["reviewer"]
    scored = svc.submissions.set_reserved_fields(
        reviewer, sent.id, sent.rev, {"committee_score": 92, "summary_grade": "先进"}
    )
    svc.submissions.return_(reviewer, scored.id, scored.rev, "事迹请再具体些")
    login(app, "branch1", PASSWORD)
    open_page(app, "pages/fill.py")
    app.selectbox(key="fill_type").select("nomination")
    app.run()
    app.selectbox(key="pick:nomination").select(sent.id)
    app.run()
    no_traceback(app)
    deeds = next(a for a in app.text_area if str(a.key).endswith("|deeds"))
    deeds.input(deeds.value + "补充:组织志愿服务12次。")
    app.run()
    no_traceback(app)
    assert not app.error, [e.value for e in app.error]
    stored = svc.submissions.get(users["branch1"], sent.id)
    assert stored.data["deeds"].endswith("补充:组织志愿服务12次。")  # the autosave happened
    assert (stored.data["committee_score"], stored.data["summary_grade"]) == (92, "先进")
