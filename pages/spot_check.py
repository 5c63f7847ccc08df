"""抽查 (S3): draw a reproducible random sample of plans and review each beside its rule report."""

from __future__ import annotations

from typing import Any

import streamlit as st

from forms.markdown import escape_markdown
from i18n import format_time
from i18n.numbers import format_percent
from pages.common import (
    flash,
    guarded,
    require_campaign,
    require_role,
    services,
    status_label,
    tr,
)
from pages.review_panel import review_panel
from workflow.models import Campaign, Role
from workflow.permissions import may_draw_spot_check

user = require_role(Role.REVIEWER, Role.ADMIN, Role.READER)
st.title(tr("pages.spot.title"))
campaign = require_campaign()
spot_checks = services().spot_checks


def _draw_form(campaign: Campaign) -> None:
    with st.form("spot_draw"):
        by = st.radio(
            tr("pages.spot.by"),
            ["ratio", "count"],
            format_func=lambda m: tr(f"pages.spot.by_{m}"),
            horizontal=True,
        )
        ratio = st.number_input(
            tr("pages.spot.ratio"),
            min_value=0.01,
            max_value=1.0,
            value=float(campaign.settings.spot_check_ratio),
            step=0.05,
        )
        count = st.number_input(tr("pages.spot.count"), min_value=1, max_value=500, value=2)
        drawn = st.form_submit_button(tr("pages.spot.draw"), type="primary")
    if not drawn:
        return
    with guarded():
        check = spot_checks.draw(
            user,
            campaign_id=campaign.id,
            ratio=float(ratio) if by == "ratio" else None,
            count=int(count) if by == "count" else None,
        )
        st.session_state["spot_current"] = check.id
        flash(tr("pages.spot.drawn", seed=check.seed, n=len(check.sample)))
        st.rerun()


def _row(check: Any) -> dict[str, Any]:
    return {
        tr("pages.spot.when"): format_time(check.drawn_at),
        tr("pages.spot.who"): check.drawn_by,
        tr("pages.spot.seed"): check.seed,
        tr("pages.spot.ratio"): format_percent(check.ratio),
        tr("pages.spot.count"): check.count if check.count is not None else "",
        tr("pages.spot.population"): len(check.population),
        tr("pages.spot.sample"): len(check.sample),
    }


if may_draw_spot_check(user):
    _draw_form(campaign)

past = spot_checks.list(user, campaign.id)
if not past:
    st.info(tr("pages.spot.none"))
    st.stop()
st.subheader(tr("pages.spot.history"))
st.dataframe([_row(c) for c in past], hide_index=True)
by_id = {c.id: c for c in past}
if st.session_state.get("spot_current") in by_id:
    st.session_state["spot_pick"] = st.session_state.pop("spot_current")
picked = st.selectbox(
    tr("pages.spot.pick"),
    list(reversed(list(by_id))),
    format_func=lambda i: (
        tr("pages.spot.pick_label", seed=by_id[i].seed, n=len(by_id[i].sample))
        + f" · {format_time(by_id[i].drawn_at)}"
    ),
    key="spot_pick",
)
check = by_id[picked]
if st.button(tr("pages.spot.reproduce"), key=f"reproduce:{check.id}"):
    with guarded():
        again = spot_checks.reproduce(user, check.id)
        if list(again) == list(check.sample):
            st.success(tr("pages.spot.reproduced", seed=check.seed, n=len(again)))
        else:
            st.error(tr("pages.spot.not_reproduced"))
        names = {b.id: b.name for b in services().branches.list()}
        drawn = [services().submissions.get(user, i) for i in again]
        st.markdown("\n".join(f"- {escape_markdown(names.get(s.branch_id, '—'))}" for s in drawn))

branches = {b.id: b.name for b in services().branches.list()}
sampled = {}
for submission_id in check.sample:
    with guarded():
        sampled[submission_id] = services().submissions.get(user, submission_id)
if not sampled:
    st.stop()
st.subheader(tr("pages.spot.sampled"))
st.dataframe(
    [
        {
            tr("pages.review.branch"): branches.get(s.branch_id, s.branch_id),
            tr("pages.records.status"): status_label(s.status),
            tr("pages.records.version"): s.version,
            tr("pages.spot.rules"): tr(
                f"pages.spot.decision_{(s.report or {}).get('decision', 'none')}"
            ),
        }
        for s in sampled.values()
    ],
    hide_index=True,
)
opened = st.selectbox(
    tr("pages.spot.open"),
    list(sampled),
    format_func=lambda i: branches.get(sampled[i].branch_id, i),
    key=f"spot_open:{check.id}",
)
st.divider()
chosen = sampled[opened]
review_panel(user, chosen, branch_name=branches.get(chosen.branch_id, chosen.branch_id))
