"""示范点立项 (reviewers): the applications ranked by their rule set's priority with the
reasons, approval within the campaign's quota, and acceptance (验收) of the sites' outcomes."""

from __future__ import annotations

import streamlit as st

from pages.common import require_campaign, require_role, run, services, status_label, tr
from pages.demo_site_view import branch_names, escape, site_steps, state_label, step_button
from workflow.demo_site_states import SiteState
from workflow.demo_sites import Applicant
from workflow.models import Campaign, Role, Status, User


def approve_one(user: User, applicant: Applicant, names: dict[str, str]) -> None:
    """One application waiting for 立项: its reasons and the approve button."""
    submission = applicant.submission
    st.markdown(f"**{escape(names.get(submission.branch_id, '?'))} · {escape(applicant.title)}**")
    for reason in applicant.reasons:
        st.caption(escape(reason))
    if st.button(tr("demo_sites.action.approve"), key=f"approve:{submission.id}", type="primary"):
        done = run(
            services().demo_sites.approve,
            user,
            submission.id,
            submission.rev,
            success=tr("demo_sites.ranking.approved", title=applicant.title),
        )
        if done is not None:
            st.rerun()


def acceptance(user: User, campaign: Campaign, names: dict[str, str]) -> None:
    """Sites whose outcome report waits for acceptance: accept, or return with reasons."""
    st.subheader(tr("demo_sites.ranking.acceptance"))
    waiting = [
        s for s in services().demo_sites.sites(user, campaign.id) if s.state is SiteState.REPORTED
    ]
    if not waiting:
        st.caption(tr("demo_sites.ranking.none_reported"))
        return
    for site in waiting:
        sid = site.submission_id
        st.markdown(f"**{escape(names.get(site.branch_id, '?'))} · {escape(site.title)}**")
        st.markdown(f"**{tr('demo_sites.apply.report')}**")
        st.markdown(escape(site.outcome_report))
        with st.expander(tr("demo_sites.page.steps")):
            site_steps(site)
        reasons = st.text_area(tr("demo_sites.ranking.return_reasons"), key=f"reasons:{sid}")
        accept_col, return_col = st.columns(2)
        step_button(user, campaign, site, "accept", where=accept_col, primary=True)
        step_button(user, campaign, site, "return", text=reasons, where=return_col)


user = require_role(Role.REVIEWER)
st.title(tr("demo_sites.nav.demo_ranking"))
campaign = require_campaign()
names = branch_names()
demo = services().demo_sites
ranked = demo.ranking(user, campaign.id)
approved = [a for a in ranked if a.site is not None]
st.metric(tr("demo_sites.ranking.quota"), f"{len(approved)} / {demo.quota(campaign)}")
st.caption(tr("demo_sites.ranking.order"))
if not ranked:
    st.info(tr("demo_sites.ranking.empty"))
else:
    st.dataframe(
        [
            {
                tr("demo_sites.ranking.rank"): place,
                tr("demo_sites.funds.col.branch"): names.get(a.submission.branch_id, "?"),
                tr("demo_sites.funds.col.site"): a.title,
                tr("demo_sites.ranking.priority"): a.priority,
                tr("demo_sites.ranking.score"): a.score,
                tr("demo_sites.funds.col.state"): (
                    state_label(a.site) if a.site else status_label(a.submission.status)
                ),
                tr("demo_sites.ranking.reasons"): ";".join(a.reasons),
            }
            for place, a in enumerate(ranked, start=1)
        ],
        hide_index=True,
    )
    pending = [a for a in ranked if a.submission.status is Status.SUBMITTED]
    st.subheader(tr("demo_sites.ranking.pending"))
    if not pending:
        st.caption(tr("demo_sites.ranking.none_pending"))
    for applicant in pending:
        approve_one(user, applicant, names)
acceptance(user, campaign, names)
