"""创新活动 (S8): a branch records its innovation activities — alone, with partner branches
picked from the branch list, or with a department — and its members' 党员先进岗 / 优质岗.
A joint activity shows on every partner's page too (once submitted) and counts for each."""

from __future__ import annotations

import streamlit as st

from pages.activity_view import edit_or_read, lists_of, show_joint, show_warnings
from pages.common import guarded, require_campaign, require_role, services, tr
from workflow.models import Role

ACTIVITY_COLUMNS = ("title", "area", "mode", "partner_branches", "start", "end")
POST_COLUMNS = ("member", "post", "position", "start", "end", "assessment")

user = require_role(*Role)
st.title(tr("activities.innovation.title"))
campaign = require_campaign()
st.caption(tr("activities.innovation.intro"))
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
        with own_tab:
            show_warnings(shown, shown.innovation)
            edit_or_read(
                user, campaign, "innovation", shown.innovation, ACTIVITY_COLUMNS, "activities.none"
            )
        with joint_tab:
            st.caption(tr("activities.innovation.joint_intro"))
            show_joint(shown.joint, {b.id: b.name for b in services().branches.list()})
        with posts_tab:
            edit_or_read(user, campaign, "posts", shown.posts, POST_COLUMNS, "activities.none")
