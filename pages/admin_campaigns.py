"""Admin: campaigns (year, title, stage, stage dates, spot-check ratio, demo-site quota, budget)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from pages.common import (
    NEW_RECORD,
    field_error,
    field_errors,
    flash,
    guarded,
    pick_record,
    require_role,
    services,
    set_field_errors,
    stage_label,
    tr,
)
from workflow.models import Role, Stage

user = require_role(Role.ADMIN)
st.title(tr("pages.campaigns.title"))
FORM = "campaign_form"

campaigns = services().campaigns.list()
if campaigns:
    st.dataframe(
        [
            {
                tr("pages.campaigns.year"): c.year,
                tr("pages.campaigns.title_field"): c.title,
                tr("pages.campaigns.stage"): stage_label(c.stage),
                tr("pages.campaigns.ratio"): f"{c.settings.spot_check_ratio:.0%}",
                tr("pages.campaigns.quota"): c.settings.demo_site_quota,
                tr("pages.campaigns.budget"): c.settings.budget,
            }
            for c in campaigns
        ],
        hide_index=True,
    )
current = pick_record(
    tr("pages.campaigns.edit"),
    campaigns,
    name=lambda c: c.title,
    new_label=tr("pages.campaigns.new"),
    key="campaign_pick",
)
picked = current.id if current else NEW_RECORD
errors = field_errors(FORM)


def _dates(stage: Stage) -> dict[str, dt.date | None]:
    known = current.stage_dates.get(stage) if current else None
    start_col, end_col = st.columns(2)
    start = start_col.date_input(
        tr("pages.campaigns.start", stage=stage_label(stage)),
        value=known.start if known else None,
        key=f"{picked}:{stage}:start",
    )
    end = end_col.date_input(
        tr("pages.campaigns.end", stage=stage_label(stage)),
        value=known.end if known else None,
        key=f"{picked}:{stage}:end",
    )
    field_error(errors, f"stage_dates.{stage.value}")
    return {"start": start, "end": end}


with st.form(f"{FORM}:{picked}"):
    year = st.number_input(
        tr("pages.campaigns.year"),
        min_value=2000,
        max_value=2100,
        value=current.year if current else dt.date.today().year,
    )
    field_error(errors, "year")
    title = st.text_input(tr("pages.campaigns.title_field"), value=current.title if current else "")
    field_error(errors, "title")
    stages = list(Stage)
    stage = st.selectbox(
        tr("pages.campaigns.stage"),
        stages,
        index=stages.index(current.stage) if current else 0,
        format_func=stage_label,
    )
    dates = {s.value: _dates(s) for s in stages}
    ratio = st.number_input(
        tr("pages.campaigns.ratio"),
        min_value=0.01,
        max_value=1.0,
        step=0.05,
        value=float(current.settings.spot_check_ratio) if current else 0.3,
    )
    field_error(errors, "settings.spot_check_ratio")
    quota = st.number_input(
        tr("pages.campaigns.quota"),
        min_value=0,
        max_value=20,
        value=current.settings.demo_site_quota if current else 2,
    )
    field_error(errors, "settings.demo_site_quota")
    budget = st.number_input(
        tr("pages.campaigns.budget"),
        min_value=0.0,
        value=float(current.settings.budget) if current else 0.0,
        step=1000.0,
    )
    saved = st.form_submit_button(tr("pages.common.save"), type="primary")

if saved:
    settings: dict[str, Any] = current.settings.model_dump() if current else {}
    settings.update(spot_check_ratio=float(ratio), demo_site_quota=int(quota), budget=budget)
    data: dict[str, Any] = {
        "year": int(year),
        "title": title,
        "stage": stage,
        "stage_dates": {k: v for k, v in dates.items() if v["start"] or v["end"]},
        "settings": settings,
    }
    with guarded(form_key=FORM):
        if current is None:
            services().campaigns.create(user, data)
        else:
            services().campaigns.update(user, {**current.model_dump(), **data}, current.rev)
        set_field_errors(FORM, {})
        flash(tr("pages.common.saved_named", name=title))
        st.rerun()
