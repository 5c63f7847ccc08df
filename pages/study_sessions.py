"""Study sessions in 组织生活 (S1): list, new and edit, attendance rate, sign-in sheet."""

from __future__ import annotations

import streamlit as st

from forms.launch import StudySession
from pages.common import form_title, require_campaign, require_role
from pages.records import pick_and_edit
from workflow.models import Role

user = require_role(Role.BRANCH)
st.title(form_title(StudySession.form_type))
campaign = require_campaign()
pick_and_edit(user, campaign, StudySession.form_type, columns=("date", "topic", "attendance_rate"))
