"""Home: where the campaign stands (its stages with their dates, a warning once the current
stage's dates have passed), what is due or overdue for this user with links that open each
item, counts per status, and for the committee the branch × task progress table."""

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
from pages.links import branch_link, review_link
from workflow import clock, permissions
from workflow.models import Campaign, Role, Status, User
from workflow.progress import HANDED_IN, DueItem, StageWindow, TaskStatus, cell_text

MAX_DUE_SHOWN = 12

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
progress = services().progress
today = clock.today()


def _dates(window: StageWindow) -> str:
    if window.start is None and window.end is None:
        return tr("pages.home.no_dates")
    return f"{window.start or '…'} ~ {window.end or '…'}"


def _stages(user: User, campaign: Campaign) -> None:
    st.subheader(escape_markdown(campaign.title))
    windows = progress.stages(campaign, today)
    for column, window in zip(st.columns(len(windows)), windows, strict=True):
        with column.container(border=True):
            name = stage_label(window.stage)
            if window.current:
                st.markdown(f":blue-badge[{tr('pages.home.current')}] **{name}**")
            else:
                st.markdown(name)
            st.caption(_dates(window))
    current = next(w for w in windows if w.current)
    if current.passed:
        key = "pages.home.stage_over_admin" if user.role is Role.ADMIN else "pages.home.stage_over"
        st.warning(tr(key, stage=stage_label(current.stage), end=str(current.end)))


def _label(item: DueItem) -> str:
    form = escape_markdown(form_title(item.form_type))  # a page link's label is Markdown
    title = escape_markdown(item.title) if item.title else form
    what = tr(f"pages.home.due_{item.kind}", form=form, title=title)
    if item.due is None:
        return what
    when = "pages.home.overdue" if item.overdue else "pages.home.due_by"
    return f"{what} · {tr(when, date=str(item.due))}"


def _due(user: User, campaign: Campaign) -> None:
    st.subheader(tr("pages.home.tasks"))
    items = progress.due(user, campaign, today)
    if not items:
        st.success(tr("pages.home.no_tasks"))
        return
    overdue = sum(1 for i in items if i.overdue)
    if overdue:
        st.error(tr("pages.home.overdue_count", n=overdue))
    for item in items[:MAX_DUE_SHOWN]:
        page, params = (
            review_link(item.submission_id or "")
            if item.kind == "review"
            else branch_link(item.form_type, item.submission_id)
        )
        st.page_link(
            page,
            label=_label(item),
            icon=":material/error:" if item.overdue else ":material/arrow_forward:",
            query_params=params,
        )
    if len(items) > MAX_DUE_SHOWN:
        st.caption(tr("pages.home.more_due", n=len(items) - MAX_DUE_SHOWN))


def _counts(user: User, campaign: Campaign) -> None:
    submissions = services().submissions.list(
        user,
        campaign_id=campaign.id,
        branch_id=user.branch_id if user.role is Role.BRANCH else None,
    )
    counts = Counter(s.status for s in submissions)
    shown = [s for s in Status if counts.get(s)] or [Status.SUBMITTED, Status.APPROVED]
    for column, status in zip(st.columns(len(shown)), shown, strict=True):
        with column.container(border=True):
            st.markdown(f"{status_label(status)}  \n**:blue[{counts.get(status, 0)}]**")


def _table(user: User, campaign: Campaign) -> None:
    table = progress.table(user, campaign, today)
    st.subheader(tr("pages.home.progress"))
    if not table.tasks or not table.rows:
        st.info(tr("pages.home.progress_empty"))
        return
    branch_col = tr("workflow.field.name")
    titles = [
        f"{form_title(t.form_type)}"
        + (f"({tr('pages.home.due_on', date=str(t.due))})" if t.due else "")
        for t in table.tasks
    ]
    st.dataframe(
        [
            {
                branch_col: row.branch.name,
                **{title: cell_text(c, lang()) for title, c in zip(titles, row.cells, strict=True)},
            }
            for row in table.rows
        ],
        hide_index=True,
        width="stretch",
    )
    cells = [c for row in table.rows for c in row.cells]
    st.caption(
        tr(
            "pages.home.progress_summary",
            submitted=sum(c.status in HANDED_IN for c in cells),
            returned=sum(c.status is TaskStatus.RETURNED for c in cells),
            late=sum(c.late for c in cells),
            total=len(cells),
        )
    )


_stages(user, campaign)
_due(user, campaign)
_counts(user, campaign)
if permissions.may_view_progress(user):
    _table(user, campaign)
