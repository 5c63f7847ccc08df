"""材料汇编 (S16): build a branch's or the whole campaign's dossier for the school committee.

The build runs in the background (``workflow.background``): this screen starts it, shows a
progress bar while it runs, and offers the PDF for download when it is done; the user may go
elsewhere meanwhile and find it here again.
"""

from __future__ import annotations

import streamlit as st

from forms.renderer import escape_markdown
from pages.common import guarded, lang, require_campaign, require_role, run, services, tr
from workflow.background import Job
from workflow.models import Role

user = require_role(Role.REVIEWER, Role.ADMIN)
st.title(tr("dossiers.title"))
campaign = require_campaign()
dossiers = services().dossiers
st.caption(tr("dossiers.intro"))

whole, one = st.columns(2)
with whole:
    if st.button(tr("dossiers.build_campaign"), type="primary", key="dossier_campaign"):
        with guarded():
            dossiers.start_campaign_dossier(user, campaign.id)
            st.rerun()
with one:
    branches = run(dossiers.campaign_branches, user, campaign.id) or []
    if branches:
        names = {b.id: b.name for b in branches}
        chosen = st.selectbox(
            tr("dossiers.branch"), list(names), format_func=names.__getitem__, key="dossier_branch"
        )
        if st.button(tr("dossiers.build_branch"), key="dossier_branch_build"):
            with guarded():
                dossiers.start_branch_dossier(user, campaign.id, str(chosen))
                st.rerun()


def show(job: Job) -> None:
    """One build: its progress while it runs, its PDF when done, why when it failed."""
    st.markdown(f"**{escape_markdown(job.title)}** · {job.started_at}")  # names admins typed
    if job.status in ("waiting", "running"):
        key = "dossiers.waiting" if job.status == "waiting" else "dossiers.running"
        st.progress(job.fraction, text=tr(key, percent=round(job.fraction * 100)))
    elif job.status == "done" and job.result is not None:
        st.download_button(
            tr("dossiers.download", size=round(len(job.result) / 1_048_576, 1)),
            data=job.result,
            file_name=job.filename,
            mime="application/pdf",
            key=f"dossier_{job.id}",
            on_click="ignore",
        )
    else:
        # What happened and what to do; the technical detail is in the server log only.
        st.error(tr("dossiers.failed", reason=escape_markdown(job.reason(lang()))))


def running(jobs: list[Job]) -> bool:
    return any(j.status in ("waiting", "running") for j in jobs)


@st.fragment(run_every=1.0)
def progress() -> None:
    """Redrawn every second while a build runs; the whole screen once the last one ends."""
    jobs = dossiers.jobs(user)
    for job in jobs:
        show(job)
    if not running(jobs):
        st.rerun()


mine = dossiers.jobs(user)
st.subheader(tr("dossiers.mine"))
if not mine:
    st.info(tr("dossiers.none"))
elif running(mine):
    progress()
else:
    for job in mine:
        show(job)
