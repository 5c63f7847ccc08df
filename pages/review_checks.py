"""Reviewers and admins: re-check one or all submitted forms of a stage with the rules in force,
filter by outcome, read each failing rule with its fields, and open a submission for review."""

from __future__ import annotations

import streamlit as st

from forms.markdown import escape_markdown
from pages.common import (
    form_title,
    require_campaign,
    require_role,
    run,
    services,
    stage_label,
    status_label,
    tr,
)
from pages.report_view import show_report
from workflow.batch_checks import OUTCOMES, CheckedSubmission
from workflow.models import Role, Stage, Status

user = require_role(Role.REVIEWER, Role.ADMIN)
st.title(tr("rules.checks.title"))
campaign = require_campaign()

ALL = ""
RESULTS = "rc_results"
checks = services().batch_checks
branches = {b.id: b.name for b in services().branches.list()}
stages = [s.value for s in Stage]
stage_col, outcome_col = st.columns(2)
stage = str(
    stage_col.selectbox(
        tr("rules.checks.stage"),
        stages,
        index=stages.index(campaign.stage) if campaign.stage in stages else 0,
        format_func=stage_label,
        key="rc_stage",
    )
)
outcome = str(
    outcome_col.selectbox(
        tr("rules.checks.outcome"),
        [ALL, *OUTCOMES],
        format_func=lambda o: (
            tr("rules.checks.all") if o == ALL else tr(f"rules.page.decision_{o}")
        ),
        key="rc_outcome",
    )
)
candidates = {
    s.id: s
    for form_type in checks.forms(stage)
    for s in services().submissions.list(user, campaign_id=campaign.id, form_type=form_type)
    if s.status != Status.DRAFT
}
target = str(
    st.selectbox(
        tr("rules.checks.target"),
        [ALL, *candidates],
        format_func=lambda i: (
            tr("rules.checks.all_of_stage")
            if i == ALL
            else f"{branches.get(candidates[i].branch_id, '?')} · "
            f"{form_title(candidates[i].form_type)} · {status_label(candidates[i].status)}"
        ),
        key="rc_target",
    )
)

asked = (campaign.id, stage, outcome, target)
if st.button(tr("rules.checks.run"), key="rc_run", type="primary"):
    checked = run(
        checks.check,
        user,
        campaign_id=campaign.id,
        stage=stage,
        submission_id=target or None,
        outcome=outcome or None,
    )
    st.session_state[RESULTS] = (asked, checked)

# results are shown only for the choices they were made with
kept = st.session_state.get(RESULTS)
rows = kept[1] if isinstance(kept, tuple) and kept[0] == asked else None
if rows is None:
    st.caption(tr("rules.checks.not_run"))
    st.stop()
assert isinstance(rows, list)
if not rows:
    st.info(tr("rules.checks.empty"))
    st.stop()

counts = {o: sum(1 for r in rows if r.outcome == o) for o in OUTCOMES}
st.markdown(
    tr(
        "rules.checks.summary",
        total=len(rows),
        passed=counts["pass"],
        returned=counts["return"],
        vetoed=counts["veto"],
    )
)


def _open_for_review(row: CheckedSubmission) -> None:
    # the review page opens the submission named by its key "rv_open", with no filter on
    st.session_state.update(
        {
            "rv_type": ALL,
            "rv_status": ALL,
            "rv_branch": ALL,
            "rv_query": "",
            "rv_open": row.submission.id,
        }
    )


for row in rows:
    sub = row.submission
    heading = tr(
        "rules.checks.row",
        branch=escape_markdown(branches.get(sub.branch_id, sub.branch_id)),
        form=escape_markdown(form_title(sub.form_type)),
        outcome=tr(f"rules.page.decision_{row.outcome}"),
    )
    with st.expander(heading, expanded=row.outcome != "pass"):
        show_report(row.report, services().forms.get(sub.form_type, sub.form_version))
        if st.button(tr("rules.checks.open"), key=f"rc_open:{sub.id}"):
            _open_for_review(row)
            st.switch_page("pages/review.py")
