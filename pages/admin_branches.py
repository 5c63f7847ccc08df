"""Admin: branches (name, unit, member count, secretary, ties to the school's central work)."""

from __future__ import annotations

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
    tr,
)
from workflow.branches import CENTRAL_WORK
from workflow.models import Role

user = require_role(Role.ADMIN)
st.title(tr("pages.branches.title"))
FORM = "branch_form"

branches = services().branches.list()
if branches:
    st.dataframe(
        [
            {
                tr("pages.branches.name"): b.name,
                tr("pages.branches.unit"): b.unit,
                tr("pages.branches.members"): b.member_count,
                tr("pages.branches.secretary"): b.secretary,
                tr("pages.branches.central_work"): "、".join(b.central_work),
            }
            for b in branches
        ],
        hide_index=True,
    )
current = pick_record(
    tr("pages.branches.edit"),
    branches,
    name=lambda b: b.name,
    new_label=tr("pages.branches.new"),
    key="branch_pick",
)
picked = current.id if current else NEW_RECORD
errors = field_errors(FORM)
with st.form(f"{FORM}:{picked}"):
    name = st.text_input(tr("pages.branches.name"), value=current.name if current else "")
    field_error(errors, "name")
    unit = st.text_input(tr("pages.branches.unit"), value=current.unit if current else "")
    field_error(errors, "unit")
    members = st.number_input(
        tr("pages.branches.members"),
        min_value=1,
        max_value=1000,
        value=current.member_count if current else 10,
    )
    field_error(errors, "member_count")
    secretary = st.text_input(
        tr("pages.branches.secretary"), value=current.secretary if current else ""
    )
    ties = st.multiselect(
        tr("pages.branches.central_work"),
        list(CENTRAL_WORK),
        default=[w for w in (current.central_work if current else []) if w in CENTRAL_WORK],
        placeholder=tr("pages.branches.central_work_placeholder"),
    )
    field_error(errors, "central_work")
    saved = st.form_submit_button(tr("pages.common.save"), type="primary")

if saved:
    data = {
        "name": name,
        "unit": unit,
        "member_count": int(members),
        "secretary": secretary,
        "central_work": ties,
    }
    with guarded(form_key=FORM):
        if current is None:
            services().branches.create(user, data)
        else:
            services().branches.update(user, {**current.model_dump(), **data}, current.rev)
        set_field_errors(FORM, {})
        flash(tr("pages.common.saved_named", name=name))
        st.rerun()
