"""Showing a branch's activity lists (S7, S8): the committee's overview and branch picker, a
read-only table of records, the variety of activity forms and the rule warnings."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from forms.markdown import escape_markdown
from pages.common import guarded, services, status_label, tr
from pages.records import pick_and_edit, record_rows
from workflow import permissions
from workflow.activities import BranchActivities
from workflow.models import Campaign, Submission, User


def lists_of(user: User, campaign: Campaign) -> BranchActivities | None:
    """The lists to show: who may see every branch (the committee) first sees them all in a
    table and picks one; a branch's staff see their own branch's."""
    activities = services().activities
    if not permissions.may_view_every_branch(user):
        if user.branch_id is None:
            st.warning(tr("activities.no_branch"))
            return None
        return activities.branch(user, campaign.id, user.branch_id)
    every = activities.overview(user, campaign.id)
    if not every:
        st.info(tr("activities.no_branches"))
        return None
    st.dataframe(
        [
            {
                tr("activities.col.branch"): b.branch,
                tr("activities.col.theme"): b.counted("theme"),
                tr("activities.col.forms"): len(b.forms_used),
                tr("activities.col.innovation"): b.counted("innovation"),
                tr("activities.col.joint"): len(b.joint),
                tr("activities.col.posts"): b.counted("posts"),
                tr("activities.col.warnings"): len(b.warnings),
            }
            for b in every
        ],
        hide_index=True,
    )
    by_id = {b.branch_id: b for b in every}
    picked = st.selectbox(
        tr("activities.pick_branch"),
        list(by_id),
        format_func=lambda i: by_id[i].branch,
        key="act_branch",
    )
    return by_id[picked]


def show_variety(shown: BranchActivities) -> None:
    """How many forms of activity the branch's theme activities took, and which."""
    if not shown.forms_used:
        st.caption(tr("activities.theme.no_forms"))
        return
    used = "、".join(f"{name} ×{n}" for name, n in shown.forms_used.items())
    st.markdown(
        escape_markdown(tr("activities.theme.variety", n=len(shown.forms_used), forms=used))
    )


def show_warnings(shown: BranchActivities, records: Sequence[Submission]) -> None:
    """The rule warnings of ``records`` (a theme nearly repeating another branch's …)."""
    for record in records:
        for message in shown.warnings.get(record.id, []):
            st.warning(
                escape_markdown(f"{record.title() or status_label(record.status)}:{message}"),
                icon=":material/content_copy:",
            )


def show_joint(records: Sequence[Submission], names: dict[str, str]) -> None:
    """Other branches' joint activities naming this branch, one line each (readable on a
    phone): title, the branch that ran it, area, period, status."""
    if not records:
        st.caption(tr("activities.innovation.no_joint"))
        return
    for record in records:
        data = record.data
        parts = [
            tr("activities.innovation.led_by", branch=names.get(record.branch_id, "?")),
            str(data.get("area") or ""),
            tr("activities.period", start=data.get("start") or "", end=data.get("end") or ""),
            status_label(record.status),
        ]
        line = " · ".join(p for p in parts if p)
        st.markdown(f"- **{escape_markdown(record.title())}** · {escape_markdown(line)}")


def edit_or_read(
    user: User,
    campaign: Campaign,
    kind: str,
    records: Sequence[Submission],
    columns: tuple[str, ...],
    empty_key: str,
) -> None:
    """The records of each form type on list ``kind``: who fills their own branch's forms
    picks one to edit (or starts a new one); everyone else reads them as a table."""
    for form_type in services().activities.form_types(kind):
        if permissions.may_fill_own_branch_forms(user):
            pick_and_edit(user, campaign, form_type, columns=columns)
        else:
            mine = [s for s in records if s.form_type == form_type]
            show_records(mine, form_type, columns, empty_key)


def show_records(
    records: Sequence[Submission], form_type: str, columns: tuple[str, ...], empty_key: str
) -> None:
    """``records`` as a read-only table (status, branch's own columns)."""
    if not records:
        st.caption(tr(empty_key))
        return
    with guarded():
        st.dataframe(record_rows(records, form_type, columns), hide_index=True)
