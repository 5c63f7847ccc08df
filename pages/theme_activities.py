"""主题实践 (S7): a branch records its theme practice activities; everyone else reads each
branch's list. The variety of activity forms shows per branch, and a theme nearly repeating
another branch's is warned about (the theme_activity rules, beside each record)."""

from __future__ import annotations

import streamlit as st

from pages.activity_view import lists_of, show_records, show_variety, show_warnings
from pages.common import guarded, require_campaign, require_role, services, tr
from pages.records import pick_and_edit
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
        for form_type in services().activities.form_types("theme"):
            if user.role == Role.BRANCH:
                pick_and_edit(user, campaign, form_type, columns=COLUMNS)
            else:
                records = [s for s in shown.theme if s.form_type == form_type]
                show_records(records, form_type, COLUMNS, "activities.theme.empty")
