"""Submissions awaiting review (reviewers) or to read (admins, readers): filters that say what
they show, a search over titles and branch names, a table whose rows open by a click."""

from __future__ import annotations

import hashlib

import streamlit as st

from forms.markdown import escape_markdown
from i18n import format_time, join_words
from pages.common import (
    form_title,
    lang,
    require_campaign,
    require_role,
    services,
    status_label,
    tr,
)
from pages.links import OPEN_PARAM  # the row opened, so the URL can be shared or kept
from pages.review_panel import review_panel
from workflow.models import Role, Status, Submission

OPEN_KEY = "rv_open"  # session key other pages set to open a submission here
TABLE_KEY = "rv_table"
DEFAULT_KEY = "rv_default"
ARRIVED_KEY = "rv_arrived"  # the URL's ?open= has been read once
MAX_QUERY = 50

user = require_role(Role.REVIEWER, Role.ADMIN, Role.READER)
st.title(tr("pages.review.title") if user.role is Role.REVIEWER else tr("pages.nav.submissions"))
campaign = require_campaign()

branches = {b.id: b.name for b in services().branches.list()}
ALL = ""
search_col, type_col, status_col, branch_col = st.columns([3, 2, 2, 2])
query = search_col.text_input(
    tr("pages.review.search"),
    placeholder=tr("pages.review.search_placeholder"),
    max_chars=MAX_QUERY,
    key="rv_query",
)
form_type = type_col.selectbox(
    tr("pages.review.filter_type"),
    [ALL, *(ft.name for ft in services().forms.form_types())],
    format_func=lambda ft: tr("pages.review.all_types") if ft == ALL else form_title(ft),
    key="rv_type",
)
statuses = [s.value for s in Status if s is not Status.DRAFT]
status = status_col.selectbox(
    tr("pages.review.filter_status"),
    [ALL, *statuses],
    index=1 + statuses.index(Status.SUBMITTED) if user.role is Role.REVIEWER else 0,
    format_func=lambda s: tr("pages.review.all_statuses") if s == ALL else status_label(s),
    key="rv_status",
)
branch_id = branch_col.selectbox(
    tr("pages.review.filter_branch"),
    [ALL, *branches],
    format_func=lambda b: tr("pages.review.all_branches") if b == ALL else branches[b],
    key="rv_branch",
)
found = services().submissions.list(
    user,
    campaign_id=campaign.id,
    form_type=form_type or None,
    status=status or None,
    branch_id=branch_id or None,
)


def _matches(submission: Submission, words: list[str]) -> bool:
    text = f"{submission.title()} {branches.get(submission.branch_id, '')}".casefold()
    return all(word in text for word in words)


words = query.casefold().split()[:10]
if words:
    found = [s for s in found if _matches(s, words)]
found.sort(key=lambda s: s.submitted_at() or s.updated_at, reverse=True)
shown = [
    tr("pages.review.showing_type", form=escape_markdown(form_title(form_type)))
    if form_type
    else "",
    tr("pages.review.showing_status", status=status_label(status)) if status else "",
    tr("pages.review.showing_branch", branch=escape_markdown(branches[branch_id]))
    if branch_id
    else "",
    tr("pages.review.showing_query", query=escape_markdown(query.strip())) if words else "",
]
st.caption(
    tr("pages.review.showing", n=len(found), what=join_words(shown, lang()))
    if any(shown)
    else tr("pages.review.showing_all", n=len(found))
)
if not found:
    st.info(tr("pages.review.empty"))
    st.stop()

# The record to open: one another page asked for (OPEN_KEY), else the URL's on arrival; then
# clicks in the table decide. The opened record is remembered by id (DEFAULT_KEY), never by its
# row: a different list (other filters, a record gone) is a different table, whose selection
# starts at that record, or at nothing if the filters hide it.
ids = [s.id for s in found]
table_key = f"{TABLE_KEY}:{hashlib.sha1(' '.join(ids).encode()).hexdigest()[:16]}"
requested = st.session_state.pop(OPEN_KEY, None)
if requested is None and not st.session_state.get(ARRIVED_KEY):
    requested = st.query_params.get(OPEN_PARAM)
st.session_state[ARRIVED_KEY] = True
if requested is not None:
    st.session_state.pop(table_key, None)
    st.session_state[DEFAULT_KEY] = requested
wanted = st.session_state.get(DEFAULT_KEY)
# that record's row; the first row on arrival; nothing when the opened record is filtered out
default_rows = [ids.index(wanted)] if wanted in ids else [0] if wanted is None else []
event = st.dataframe(
    [
        {
            tr("pages.review.col_title"): s.title() or "—",
            tr("pages.review.branch"): branches.get(s.branch_id, "—"),
            tr("pages.review.form"): form_title(s.form_type),
            tr("pages.records.status"): status_label(s.status),
            tr("pages.records.version"): tr("pages.history.version_n", n=s.version)
            if s.version
            else "—",
            tr("pages.review.submitted"): format_time(s.submitted_at()) or "—",
        }
        for s in found
    ],
    hide_index=True,
    # Widths in pixels that add up to less than the main area at 1366 px with the sidebar
    # open (about 900), so 提交时间 is never cut; a long title shows in full when hovered.
    column_config={
        tr("pages.review.col_title"): st.column_config.TextColumn(width=290),
        tr("pages.review.branch"): st.column_config.TextColumn(width=120),
        tr("pages.review.form"): st.column_config.TextColumn(width=160),
        tr("pages.records.status"): st.column_config.TextColumn(width=70),
        tr("pages.records.version"): st.column_config.TextColumn(width=62),
        tr("pages.review.submitted"): st.column_config.TextColumn(width=132),
    },
    on_select="rerun",
    selection_mode="single-row",
    selection_default={"selection": {"rows": default_rows, "columns": []}},
    height=min(38 + 35 * len(found), 320),
    key=table_key,
)
rows = [r for r in event.selection.rows if 0 <= r < len(ids)]
opened_id = ids[rows[0]] if rows else None
st.session_state[DEFAULT_KEY] = opened_id or ""
if opened_id is None:
    st.query_params.pop(OPEN_PARAM, None)
    st.caption(tr("pages.review.click_to_open"))
    st.stop()
st.query_params[OPEN_PARAM] = opened_id
opened = found[ids.index(opened_id)]
st.divider()
review_panel(user, opened, branch_name=branches.get(opened.branch_id, ""))
