"""The branch plan (S2): fill, check, submit; revise and resubmit when returned (S4)."""

from __future__ import annotations

import streamlit as st

from forms.launch import Plan
from forms.renderer import escape_markdown
from pages.common import form_title, require_campaign, require_role, services
from pages.editor import edit_submission
from workflow.models import Role

user = require_role(Role.BRANCH)
st.title(form_title(Plan.form_type))
campaign = require_campaign()
st.caption(escape_markdown(campaign.title))  # an admin typed it

plans = services().submissions.list(user, campaign_id=campaign.id, form_type=Plan.form_type)
plan = plans[-1] if plans else None
edit_submission(user, campaign, Plan, plan, key=f"vg_ed:plan:{campaign.id}")
