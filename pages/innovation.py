"""创新活动 (S8): a branch records its innovation activities — alone, with partner branches
picked from the branch list, or with a department — and its members' 党员先进岗 / 优质岗.
A joint activity shows on every partner's page too (once submitted) and counts for each."""

from __future__ import annotations

import streamlit as st

from pages.activity_view import lists_of, show_joint, show_records, show_warnings
from pages.common import guarded, require_campaign, require_role, services, tr
from pages.records import pick_and_edit
from workflow.models import Role

ACTIVITY_COLUMNS = ("title", "area", "mode", "partner_branches", "start", "end")
POST_COLUMNS = ("member", "post", "position", "start", "end", "assessment")

user = require_role(*Role)
st.title(tr("activities.innovation.title"))
campaign = require_campaign()
st.caption(tr("activities.innovation.intro"))
activities = services().activities
with guarded():
    shown = lists_of(user, campaign)
    if shown is not None:
        st.subheader(shown.branch)
        st.caption(tr("activities.innovation.counted", n=shown.counted("innovation")))
        own_tab, joint_tab, posts_tab = st.tabs(
            [
                tr("activities.innovation.own"),
                tr("activities.innovation.joint", n=len(shown.joint)),
                tr("activities.posts.title"),
            ]
        )
        branch_staff = user.role == Role.BRANCH
        with own_tab:
            show_warnings(shown, shown.innovation)
            for form_type in activities.form_types("innovation"):
                if branch_staff:
                    pick_and_edit(user, campaign, form_type, columns=ACTIVITY_COLUMNS)
                else:
                    records = [s for s in shown.innovation if s.form_type == form_type]
                    show_records(records, form_type, ACTIVITY_COLUMNS, "activities.none")
        with joint_tab:
            st.caption(tr("activities.innovation.joint_intro"))
            show_joint(shown.joint, {b.id: b.name for b in services().branches.list()})
        with posts_tab:
            for form_type in activities.form_types("posts"):
                if branch_staff:
                    pick_and_edit(user, campaign, form_type, columns=POST_COLUMNS)
                else:
                    records = [s for s in shown.posts if s.form_type == form_type]
                    show_records(records, form_type, POST_COLUMNS, "activities.none")
