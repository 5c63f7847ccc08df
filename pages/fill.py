"""填报: any registered form type of the current stage, through the same generic editor.

Adding a form type (one Pydantic model) needs no new page: it appears here by itself.
"""

from __future__ import annotations

import streamlit as st

from pages.common import form_title, require_campaign, require_role, services, tr
from pages.links import FORM_PARAM
from pages.records import pick_and_edit
from workflow.models import Role

user = require_role(Role.BRANCH)
st.title(tr("pages.fill.title"))
campaign = require_campaign()

types = [ft.name for ft in services().forms.form_types(lambda ft: ft.stage == campaign.stage)]
known = {ft.name for ft in services().forms.form_types()}
if st.query_params.get(FORM_PARAM) in known:  # a link (the home page's to-do list)
    st.session_state["fill_type"] = st.query_params.pop(FORM_PARAM)
if st.session_state.get("fill_type") in known and st.session_state["fill_type"] not in types:
    types.append(st.session_state["fill_type"])  # a record of an earlier stage
if not types:
    st.info(tr("pages.fill.no_forms"))
    st.stop()
form_type = st.selectbox(tr("pages.fill.form_type"), types, format_func=form_title, key="fill_type")
pick_and_edit(user, campaign, form_type)
