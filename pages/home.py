"""Home: the current campaign and stage, counts per status, and what this user has to do."""

from __future__ import annotations

from collections import Counter

import streamlit as st

from forms.renderer import escape_markdown
from pages.common import (
    current_campaign,
    current_user,
    form_title,
    lang,
    services,
    stage_label,
    status_label,
    tr,
)
from workflow.models import Role, Status, Submission, User

user = current_user()
if user is None:
    st.stop()
assert user is not None
st.title(tr("pages.home.welcome", name=escape_markdown(user.display_name)))
campaign = current_campaign()
if campaign is None:
    st.info(
        tr(
            "pages.home.no_campaign_admin"
            if user.role is Role.ADMIN
            else "pages.common.no_campaign"
        )
    )
    st.stop()
assert campaign is not None
st.subheader(escape_markdown(campaign.title))
dates = campaign.stage_dates.get(campaign.stage)
period = f"{dates.start or ''} ~ {dates.end or ''}" if dates else ""
st.markdown(tr("pages.home.stage", stage=stage_label(campaign.stage), period=period))

submissions = services().submissions.list(user, campaign_id=campaign.id)
counts = Counter(s.status for s in submissions)
shown = [s for s in Status if counts.get(s)] or [Status.SUBMITTED, Status.APPROVED]
for column, status in zip(st.columns(len(shown)), shown, strict=True):
    with column.container(border=True):
        st.markdown(f"{status_label(status)}  \n**:blue[{counts.get(status, 0)}]**")


def _tasks(user: User, submissions: list[Submission]) -> list[str]:
    if user.role is Role.BRANCH:
        tasks = [
            tr("pages.home.task_returned", form=form_title(s.form_type))
            for s in submissions
            if s.status == Status.RETURNED
        ]
        tasks += [
            tr("pages.home.task_draft", form=form_title(s.form_type))
            for s in submissions
            if s.status == Status.DRAFT
        ]
        written = {s.form_type for s in submissions}
        tasks += [
            tr("pages.home.task_missing", form=form_type.title(lang()))
            for form_type in services().forms.form_types(lambda ft: ft.remind_if_missing)
            if form_type.name not in written
        ]
        return tasks
    if user.role is Role.REVIEWER:
        waiting = sum(1 for s in submissions if s.status == Status.SUBMITTED)
        return [tr("pages.home.task_review", n=waiting)] if waiting else []
    return []


st.subheader(tr("pages.home.tasks"))
tasks = _tasks(user, submissions)
if tasks:
    st.markdown("\n".join(f"- {task}" for task in tasks))
else:
    st.success(tr("pages.home.no_tasks"))
