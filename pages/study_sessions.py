"""Study sessions in 组织生活 (S1): list, new and edit, attendance rate, sign-in sheet."""

from __future__ import annotations

import streamlit as st

from forms.launch import StudySession
from pages.common import current_campaign, form_title, require_role, tr
from pages.records import pick_and_edit
from workflow.models import Role

user = require_role(Role.BRANCH)
st.title(form_title(StudySession.form_type))
campaign = current_campaign()
if campaign is None:
    st.info(tr("pages.common.no_campaign"))
    st.stop()
assert campaign is not None
pick_and_edit(user, campaign, StudySession.form_type, columns=("date", "topic", "attendance_rate"))
