"""Issue 5 point 2 "Explanations" in the app: the form page marks the fields a failed rule names,
the report links to them (the branch's editor after 检查 or a refused 提交, and the reviewer's
view of a submission); the version history shows times as the school reads them."""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from forms.launch import Plan
from i18n import format_time, t
from tests.app.campaign_fixture import PASSWORD, build_campaign, good_plan
from tests.app.driver import button, login, no_traceback, open_page
from tests.app.form_filler import fill_form
from workflow.models import Status, Submission, User
from workflow.services import Services

ITEMS_NOTE = "“主要内容”未填写"  # empty: not "只有 0 项" (issue 11 point 5)
FORMS_NOTE = "“活动方式”只有 1 种"


@pytest.fixture
def users(svc: Services) -> dict[str, User]:
    return build_campaign(svc)


def plan_key(svc: Services) -> str:
    campaign = svc.campaigns.current()
    assert campaign is not None
    return f"vg_ed:plan:{campaign.id}:0"


def shown(at: AppTest) -> list[tuple[str, str]]:
    """The page's elements in display order, as (kind, text or widget key)."""
    return [
        (node.type, str(getattr(node, "key", None) or getattr(node, "value", "")))
        for node in at.main
        if node.type not in ("flex_container", "column", "main")
    ]


def index_of(at: AppTest, kind: str, contains: str) -> int:
    found = [i for i, (k, text) in enumerate(shown(at)) if k == kind and contains in text]
    assert len(found) == 1, (kind, contains, [s for s in shown(at) if s[0] == kind])
    return found[0]


def note_at(at: AppTest, kind: str, message: str) -> int:
    """Where the rule note (not a flash message) with ``message`` is shown."""
    label = t(f"forms.note.{'warning' if kind == 'warning' else 'error'}")
    found = [
        i
        for i, (k, text) in enumerate(shown(at))
        if k == kind and label in text and message in text
    ]
    assert len(found) == 1, (kind, message, [s for s in shown(at) if s[0] == kind])
    return found[0]


def report_links(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown if "](#vg-f-" in m.value)


def fill_plan(at: AppTest, svc: Services, **changes: Any) -> None:
    open_page(at, "pages/plan.py")
    fill_form(at, Plan, {**good_plan("党政办公室党支部"), **changes}, key=plan_key(svc))


def test_check_marks_the_items_field_with_the_failed_rule_and_the_report_links_to_it(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "branch1", PASSWORD)
    fill_plan(app, svc, items=[])
    assert not any(ITEMS_NOTE in e.value for e in app.error)  # nothing marked before 检查
    button(app, t("pages.editor.check")).click()
    app.run()
    no_traceback(app)
    group = index_of(app, "subheader", "主要内容")
    assert shown(app)[group - 1] == ("markdown", '<span id="vg-f-items"></span>')
    note = note_at(app, "error", ITEMS_NOTE)
    assert group < note < index_of(app, "subheader", "阶段安排")
    assert "[「主要内容」](#vg-f-items)" in report_links(app)
    # the report sits below the form, the note at the field above it
    assert note < index_of(app, "subheader", t("pages.editor.report_title"))


def test_a_warning_is_marked_at_its_field_styled_apart_from_an_error(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "branch1", PASSWORD)
    fill_plan(app, svc, items=[], activity_forms=["主题党日"])
    button(app, t("pages.editor.check")).click()
    app.run()
    no_traceback(app)
    warning = next(w for w in app.warning if FORMS_NOTE in w.value)
    error = next(e for e in app.error if ITEMS_NOTE in e.value)
    assert not any(FORMS_NOTE in e.value for e in app.error)
    assert t("forms.note.warning") in warning.value and t("forms.note.error") in error.value
    assert warning.icon != error.icon
    assert index_of(app, "text_area", "|activity_forms") < note_at(app, "warning", FORMS_NOTE)
    assert "(#vg-f-activity_forms)" in report_links(app)


def test_a_submit_refused_by_the_rules_marks_the_fields_it_names(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "branch1", PASSWORD)
    fill_plan(app, svc, items=[])
    button(app, t("common.submit")).click()
    app.run()
    no_traceback(app)
    assert index_of(app, "subheader", "主要内容") < note_at(app, "error", ITEMS_NOTE)
    assert "(#vg-f-items)" in report_links(app)


def _branch1_plan(svc: Services, users: dict[str, User]) -> Submission:
    campaign = svc.campaigns.current()
    assert campaign is not None
    return svc.submissions.list(users["branch1"], campaign_id=campaign.id, form_type="plan")[0]


def test_reviewer_view_of_a_submission_marks_the_field_and_links_the_report_to_it(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "branch1", PASSWORD)
    fill_plan(app, svc, activity_forms=["主题党日"])  # passes, with one warning
    button(app, t("common.submit")).click()
    app.run()
    no_traceback(app)
    plan = _branch1_plan(svc, users)
    assert plan.status == Status.SUBMITTED

    button(app, t("pages.sidebar.logout")).click()
    app.run()
    login(app, "reviewer", PASSWORD)
    app.query_params["open"] = plan.id  # the queue opens the record its URL names
    open_page(app, "pages/review.py")
    label = index_of(app, "markdown", "**活动方式**")
    assert shown(app)[label - 1] == ("markdown", '<span id="vg-f-activity_forms"></span>')
    assert shown(app)[label + 1][0] == "warning" and FORMS_NOTE in shown(app)[label + 1][1]
    assert "[「活动方式」](#vg-f-activity_forms)" in report_links(app)


def test_version_history_shows_submission_times_in_the_schools_time(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "branch1", PASSWORD)
    fill_plan(app, svc)
    button(app, t("common.submit")).click()
    app.run()
    no_traceback(app)
    snapshot = svc.submissions.versions(users["branch1"], _branch1_plan(svc, users).id)[0]
    open_page(app, "pages/plan.py")
    cells = [str(v) for table in app.table for v in table.value.to_numpy().ravel()]
    assert format_time(snapshot.submitted_at) in cells, cells
