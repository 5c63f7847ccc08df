"""填报: any registered form type of the current stage, through the same generic editor.

Adding a form type (one Pydantic model) needs no new page: it appears here by itself.
"""

from __future__ import annotations

import streamlit as st

from pages.common import form_title, require_campaign, require_role, services, tr
from pages.links import FORM_PARAM, OPEN_PARAM
from pages.records import pick_and_edit
from workflow.models import Role

FORM_URL_KEY = "vg_fill_url"  # the form type this screen last put in the address bar

user = require_role(Role.BRANCH)
st.title(tr("pages.fill.title"))
campaign = require_campaign()

types = [ft.name for ft in services().forms.form_types(lambda ft: ft.stage == campaign.stage)]
known = {ft.name for ft in services().forms.form_types()}
# The form type in the address (?form=…): a to-do link's, or this screen's own after a reload;
# it decides on arrival or when the address changed, otherwise the pick on screen stands.
requested = st.query_params.get(FORM_PARAM)
if requested in known and (
    "fill_type" not in st.session_state or requested != st.session_state.get(FORM_URL_KEY)
):
    st.session_state["fill_type"] = requested
if st.session_state.get("fill_type") in known and st.session_state["fill_type"] not in types:
    types.append(st.session_state["fill_type"])  # a record of an earlier stage
if not types:
    st.info(tr("pages.fill.no_forms"))
    st.stop()
form_type = st.selectbox(tr("pages.fill.form_type"), types, format_func=form_title, key="fill_type")
if st.query_params.get(FORM_PARAM) != form_type:
    st.query_params.pop(OPEN_PARAM, None)  # the record open was another form type's
st.query_params[FORM_PARAM] = st.session_state[FORM_URL_KEY] = form_type
pick_and_edit(user, campaign, form_type)
