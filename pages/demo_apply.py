"""申报示范点 (branches): apply with the demo-site form; once approved, carry the site out —
start it, record spending with receipts, hand in the outcome report for acceptance."""

from __future__ import annotations

import streamlit as st

from forms.uploads import PendingUpload
from pages.common import require_campaign, require_role, run, services, tr
from pages.demo_site_view import (
    escape,
    showcase_sections,
    site_steps,
    state_label,
    step_button,
)
from pages.records import pick_and_edit
from workflow.demo_site_states import DemoSite, SiteState
from workflow.models import Campaign, Role, User

RECEIPT_TYPES = ["jpg", "jpeg", "png", "pdf"]


def carry_out(user: User, campaign: Campaign, site: DemoSite) -> None:
    """The branch's side of an approved site: its state, next step and money."""
    st.subheader(f"{escape(site.title)} · {state_label(site)}")
    site_steps(site)
    if site.state is SiteState.APPROVED:
        step_button(user, campaign, site, "start", primary=True)
    elif site.state is SiteState.IMPLEMENTING:
        text = st.text_area(tr("demo_sites.apply.report"), key=f"report_text:{site.submission_id}")
        step_button(user, campaign, site, "report", text=text, primary=True)
    elif site.state is SiteState.REPORTED:
        st.info(tr("demo_sites.apply.awaiting"))
    else:
        st.success(tr("demo_sites.apply.accepted"))
    if site.outcome_report:
        st.markdown(f"**{tr('demo_sites.apply.report')}**")
        st.markdown(escape(site.outcome_report))
    spending(user, campaign, site)
    shown = services().demo_sites.showcase(user, campaign.id)
    page = next((p for p in shown if p.site.submission_id == site.submission_id), None)
    if page is not None:
        with st.expander(tr("demo_sites.page.title")):
            showcase_sections(page)


def spending(user: User, campaign: Campaign, site: DemoSite) -> None:
    """The site's money and a form to record a spending with its receipts."""
    funding, sid = services().funding, site.submission_id
    mine = next((s for s in funding.summary(user, campaign.id).sites if s.site == site), None)
    if mine is None:
        return
    granted_col, spent_col, balance_col = st.columns(3)
    granted_col.metric(tr("demo_sites.funds.granted"), f"{mine.granted:,.2f}")
    spent_col.metric(tr("demo_sites.funds.spent"), f"{mine.spent:,.2f}")
    balance_col.metric(tr("demo_sites.funds.balance"), f"{mine.balance:,.2f}")
    # A refused spending keeps what was typed; a recorded one starts a fresh form.
    round_key = f"spend_round:{sid}"
    key = f"spend:{sid}:{st.session_state.get(round_key, 0)}"
    with st.form(key):
        amount = st.number_input(
            tr("demo_sites.funds.col.amount"), min_value=0.0, step=100.0, key=f"{key}:amount"
        )
        note = st.text_input(tr("demo_sites.funds.col.note"), key=f"{key}:note")
        files = st.file_uploader(
            tr("demo_sites.funds.receipts"),
            type=RECEIPT_TYPES,
            accept_multiple_files=True,
            key=f"{key}:receipts",
        )
        recorded = st.form_submit_button(tr("demo_sites.funds.record_spending"))
    if recorded:
        uploads = [
            PendingUpload("receipts", f.name, f.type or "", f.getvalue()) for f in files or []
        ]
        saved = tr("demo_sites.funds.spent_saved", amount=f"{amount:,.2f}")
        if run(funding.spend, user, campaign.id, sid, amount, note, uploads, success=saved):
            st.session_state[round_key] = st.session_state.get(round_key, 0) + 1
            st.rerun()


user = require_role(Role.BRANCH)
st.title(tr("demo_sites.nav.demo_apply"))
campaign = require_campaign()
st.caption(tr("demo_sites.apply.intro", quota=services().demo_sites.quota(campaign)))
for site in services().demo_sites.sites(user, campaign.id):
    if site.branch_id == user.branch_id:
        carry_out(user, campaign, site)
        st.divider()
for form_type in services().demo_sites.form_types():
    pick_and_edit(user, campaign, form_type)
