"""通讯报道 (S9): a branch writes its news reports; the news_report rules run on submit, and
each report's way through review, forwarding and publishing shows as its status."""

from __future__ import annotations

import streamlit as st

from pages.common import form_title, require_campaign, require_role, services, tr
from pages.records import pick_and_edit
from workflow.models import Role

user = require_role(Role.BRANCH)
st.title(tr("news.reports.title"))
campaign = require_campaign()
st.caption(tr("news.reports.intro"))
types = services().news.news_types()
form_type = (
    st.selectbox(tr("pages.fill.form_type"), types, format_func=form_title, key="nr_type")
    if len(types) > 1
    else types[0]
)
pick_and_edit(user, campaign, form_type, columns=("title", "category", "date"))
