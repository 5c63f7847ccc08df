"""经费台账 (reviewers): grant approved sites money from the budget; the ledger and its export."""

from __future__ import annotations

import streamlit as st

from pages.common import require_campaign, require_role, run, services, tr
from pages.demo_site_view import branch_names, funds_overview, site_label
from workflow import permissions
from workflow.models import Role

user = require_role(Role.REVIEWER)
st.title(tr("demo_sites.nav.funding"))
campaign = require_campaign()
funds_overview(user, campaign)

approved = services().demo_sites.sites(user, campaign.id)
# a reviewer of a site's own branch does not grant it money (workflow.permissions)
sites = {s.submission_id: s for s in approved if permissions.may_grant_funds(user, s.branch_id)}
st.subheader(tr("demo_sites.funds.grant"))
if not sites:
    st.caption(
        tr("demo_sites.funds.no_sites_to_grant" if approved else "demo_sites.funds.no_sites")
    )
    st.stop()
names = branch_names()
# A refused grant keeps what was typed; a recorded one starts a fresh form.
key = f"grant:{st.session_state.get('grant_round', 0)}"
with st.form(key):
    picked = st.selectbox(
        tr("demo_sites.funds.col.site"),
        list(sites),
        format_func=lambda sid: site_label(sites[sid], names),
        key=f"{key}:site",
    )
    amount = st.number_input(
        tr("demo_sites.funds.col.amount"), min_value=0.0, step=1000.0, key=f"{key}:amount"
    )
    note = st.text_input(tr("demo_sites.funds.col.note"), key=f"{key}:note")
    granted = st.form_submit_button(tr("demo_sites.funds.grant"), type="primary")
if granted:
    saved = tr("demo_sites.funds.granted_saved", amount=f"{amount:,.2f}")
    if run(services().funding.grant, user, campaign.id, picked, amount, note, success=saved):
        st.session_state["grant_round"] = st.session_state.get("grant_round", 0) + 1
        st.rerun()
