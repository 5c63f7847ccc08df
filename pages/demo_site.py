"""示范点 (everyone): what a demo site does for others (以点带面) — its state, its activities and
news, and joint work with other branches."""

from __future__ import annotations

import streamlit as st

from pages.common import require_campaign, require_role, services, tr
from pages.demo_site_view import branch_names, outreach_sections, site_label, site_steps
from workflow.models import Role

user = require_role(*Role)
st.title(tr("demo_sites.nav.demo_site"))
campaign = require_campaign()
sites = {s.submission_id: s for s in services().demo_sites.sites(user, campaign.id)}
if not sites:
    st.info(tr("demo_sites.page.no_sites"))
    st.stop()
names = branch_names()
picked = st.selectbox(
    tr("demo_sites.funds.col.site"),
    list(sites),
    format_func=lambda sid: site_label(sites[sid], names),
    key="demo_site_pick",
)
site = sites[picked]
st.caption(tr("demo_sites.page.intro"))
with st.expander(tr("demo_sites.page.steps")):
    site_steps(site)
outreach_sections(user, campaign, site)
