"""示范点 (everyone): what each approved demo site does for others (以点带面) — its name,
branch, state and aims, its approved activities, published news and joint work with other
branches. ``DemoSiteService.showcase`` decides what shows; this page only renders it."""

from __future__ import annotations

import streamlit as st

from pages.common import require_campaign, require_role, services, tr
from pages.demo_site_view import site_page
from workflow.models import Role

user = require_role(*Role)
st.title(tr("demo_sites.nav.demo_site"))
campaign = require_campaign()
pages = services().demo_sites.showcase(user, campaign.id)
if not pages:
    st.info(tr("demo_sites.page.no_sites"))
    st.stop()
st.caption(tr("demo_sites.page.intro"))
for page in pages:
    with st.container(border=True):
        site_page(page)
