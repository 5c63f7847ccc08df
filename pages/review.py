"""Submissions awaiting review (reviewers) or to read (admins, readers), filtered; one opened."""

from __future__ import annotations

import streamlit as st

from i18n import format_time
from pages.common import (
    form_title,
    require_campaign,
    require_role,
    services,
    status_label,
    tr,
)
from pages.review_panel import review_panel
from workflow.models import Role, Status

user = require_role(Role.REVIEWER, Role.ADMIN, Role.READER)
st.title(tr("pages.review.title") if user.role is Role.REVIEWER else tr("pages.nav.submissions"))
campaign = require_campaign()

branches = {b.id: b.name for b in services().branches.list()}
ALL = ""
type_col, status_col, branch_col = st.columns(3)
form_type = type_col.selectbox(
    tr("pages.review.filter_type"),
    [ALL, *(ft.name for ft in services().forms.form_types())],
    format_func=lambda ft: tr("pages.review.all") if ft == ALL else form_title(ft),
    key="rv_type",
)
statuses = [s.value for s in Status if s is not Status.DRAFT]
status = status_col.selectbox(
    tr("pages.review.filter_status"),
    [ALL, *statuses],
    index=1 + statuses.index(Status.SUBMITTED) if user.role is Role.REVIEWER else 0,
    format_func=lambda s: tr("pages.review.all") if s == ALL else status_label(s),
    key="rv_status",
)
branch_id = branch_col.selectbox(
    tr("pages.review.filter_branch"),
    [ALL, *branches],
    format_func=lambda b: tr("pages.review.all") if b == ALL else branches[b],
    key="rv_branch",
)
found = services().submissions.list(
    user,
    campaign_id=campaign.id,
    form_type=form_type or None,
    status=status or None,
    branch_id=branch_id or None,
)
if not found:
    st.info(tr("pages.review.empty"))
    st.stop()
by_id = {s.id: s for s in found}
st.dataframe(
    [
        {
            tr("pages.review.branch"): branches.get(s.branch_id, s.branch_id),
            tr("pages.review.form"): form_title(s.form_type),
            tr("pages.records.status"): status_label(s.status),
            tr("pages.records.version"): s.version,
            tr("pages.review.updated"): format_time(s.updated_at),
        }
        for s in found
    ],
    hide_index=True,
)
picked = st.selectbox(
    tr("pages.review.open"),
    list(by_id),
    format_func=lambda i: (
        f"{branches.get(by_id[i].branch_id, '?')} · "
        f"{form_title(by_id[i].form_type)} · {status_label(by_id[i].status)}"
    ),
    key="rv_pick",
)
st.divider()
review_panel(user, by_id[picked], branch_name=branches.get(by_id[picked].branch_id, ""))
