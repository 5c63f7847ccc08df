"""通讯审核与报送 (S9): the committee edits submitted reports (changes tracked), approves or
returns them, forwards approved ones to the school committee and publishes forwarded ones."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from forms.markdown import escape_markdown
from forms.specs import describe
from i18n import format_time
from pages.common import (
    flash,
    guarded,
    lang,
    require_campaign,
    require_role,
    services,
    status_label,
    tr,
)
from pages.confirm import confirmed_button
from pages.news_view import show_edits
from pages.review_panel import review_panel
from workflow.models import Role, Status, Submission, User
from workflow.news import last_step
from workflow.permissions import may_edit_news, may_forward_news, may_publish_news

user = require_role(Role.REVIEWER, Role.ADMIN)
st.title(tr("news.desk.title"))
campaign = require_campaign()

STAGES = [Status.SUBMITTED, Status.APPROVED, Status.FORWARDED, Status.PUBLISHED, Status.RETURNED]
branches = {b.id: b.name for b in services().branches.list()}
status = st.selectbox(
    tr("news.desk.filter_status"),
    [s.value for s in STAGES],
    format_func=status_label,
    key="nd_status",
)
found = [
    s
    for form_type in services().news.news_types()
    for s in services().submissions.list(
        user, campaign_id=campaign.id, form_type=form_type, status=status
    )
]
if not found:
    st.info(tr("news.desk.empty"))
    st.stop()
by_id = {s.id: s for s in found}
picked = st.selectbox(
    tr("news.desk.open"),
    list(by_id),
    format_func=lambda i: (
        f"{branches.get(by_id[i].branch_id, '?')} · {by_id[i].data.get('title', '')} · "
        f"{status_label(by_id[i].status)}"
    ),
    key="nd_pick",
)
submission = by_id[picked]
model = services().forms.get(submission.form_type, submission.form_version)
labels = {spec.name: spec.label(lang()) for spec in describe(model)}


def _edit_form(sub: Submission, actor: User) -> None:
    """Title, kind, body and image captions as the committee corrects them."""
    key = f"nd_edit:{sub.id}:{sub.rev}"
    kinds = services().news.kinds(lang())
    with st.form(key):
        title = st.text_input(labels["title"], value=str(sub.data.get("title", "")))
        current = str(sub.data.get("category", ""))
        category = st.selectbox(
            labels["category"],
            list(kinds),
            index=list(kinds).index(current) if current in kinds else 0,
            format_func=lambda k: kinds[k],
        )
        body = st.text_area(labels["body"], value=str(sub.data.get("body", "")), height=300)
        images = [dict(i) for i in sub.data.get("images") or [] if isinstance(i, dict)]
        for n, image in enumerate(images):
            image["caption"] = st.text_input(
                tr("news.desk.caption", name=image.get("name", n + 1)),
                value=str(image.get("caption", "")),
                max_chars=200,
            )
        note = st.text_input(tr("news.desk.edit_note"))
        if st.form_submit_button(tr("news.desk.save_edit"), type="primary"):
            data = dict(sub.data, title=title, category=category, body=body, images=images)
            with guarded():
                after = services().news.edit(actor, sub.id, sub.rev, data, note=note)
                flash(tr("news.desk.saved") if after.rev != sub.rev else tr("news.desk.unchanged"))
                st.rerun()


review_panel(user, submission, branch_name=branches.get(submission.branch_id, ""))
st.markdown(f"#### {tr('news.desk.changes')}")
show_edits(submission.edits, labels)
if may_edit_news(user, submission) and submission.status in (Status.SUBMITTED, Status.APPROVED):
    with st.expander(tr("news.desk.edit"), expanded=submission.status == Status.SUBMITTED):
        _edit_form(submission, user)


def step_button(step: str, key: str, run: Callable[[], object], done: str) -> None:
    """The button of a weighty step (forward, publish): it asks in the confirmation dialog,
    then runs the step and says it is done."""

    def action() -> None:
        run()
        flash(tr(done))
        st.rerun()

    confirmed_button(
        tr(f"news.desk.{step}"),
        key=f"{key}:{submission.id}",
        consequence=tr(f"news.desk.confirm_{step}", title=escape_markdown(submission.title())),
        action=action,
        kind="primary",
    )


if submission.status == Status.APPROVED and may_forward_news(user, submission):
    st.markdown(f"#### {tr('news.desk.forward_title')}")
    note = st.text_input(tr("news.desk.forward_note"), key=f"nd_fw_note:{submission.id}")
    step_button(
        "forward",
        "nd_fw",
        lambda: services().news.forward(user, submission.id, submission.rev, note=note),
        "news.desk.forwarded",
    )
forwarded = last_step(submission.reviews, "forward")
if forwarded is not None:
    st.caption(
        tr("news.desk.forwarded_by", who=forwarded.reviewer, at=format_time(forwarded.at))
        + (f" — {escape_markdown(forwarded.reasons)}" if forwarded.reasons else "")
    )
if submission.status == Status.FORWARDED and may_publish_news(user, submission):
    step_button(
        "publish",
        "nd_pub",
        lambda: services().news.publish(user, submission.id, submission.rev),
        "news.desk.published",
    )
