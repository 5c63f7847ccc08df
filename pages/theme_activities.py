"""主题实践 (S7): a branch records its theme practice activities; everyone else reads each
branch's list. The variety of activity forms shows per branch, and a theme nearly repeating
another branch's is warned about (the theme_activity rules, beside each record)."""

from __future__ import annotations

import streamlit as st

from pages.activity_view import edit_or_read, lists_of, show_variety, show_warnings
from pages.common import guarded, require_campaign, require_role, tr
from workflow.models import Role

COLUMNS = ("theme", "date", "forms", "participants")

user = require_role(*Role)
st.title(tr("activities.theme.title"))
campaign = require_campaign()
st.caption(tr("activities.theme.intro"))
with guarded():
    shown = lists_of(user, campaign)
    if shown is not None:
        st.subheader(shown.branch)
        show_variety(shown)
        show_warnings(shown, shown.theme)
        edit_or_read(user, campaign, "theme", shown.theme, COLUMNS, "activities.theme.empty")
