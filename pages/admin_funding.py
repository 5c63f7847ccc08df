"""经费 (admins): the campaign budget, what was granted and spent per demo site, the ledger and
its Excel export (the budget itself is a campaign setting, changed on the campaigns screen)."""

from __future__ import annotations

import streamlit as st

from pages.common import require_campaign, require_role, tr
from pages.demo_site_view import funds_overview
from workflow.models import Role

user = require_role(Role.ADMIN)
st.title(tr("demo_sites.nav.admin_funding"))
campaign = require_campaign()
st.caption(tr("demo_sites.funds.budget_where"))
funds_overview(user, campaign)
