"""Admin: branches (name, unit, member count, secretary, ties to the school's central work)."""

from __future__ import annotations

import streamlit as st

from forms.renderer import clear_form, render_form
from forms.specs import describe
from pages.common import (
    NEW_RECORD,
    field_errors,
    flash,
    guarded,
    lang,
    pick_record,
    require_role,
    services,
    set_field_errors,
    tr,
)
from workflow.admin_inputs import NEW_BRANCH, BranchInput
from workflow.models import Role

user = require_role(Role.ADMIN)
st.title(tr("pages.branches.title"))
FORM = "branch_form"
labels = {spec.name: spec.label(lang()) for spec in describe(BranchInput)}

branches = services().branches.list()
if branches:
    st.dataframe(
        [
            {
                labels["name"]: b.name,
                labels["unit"]: b.unit,
                labels["member_count"]: b.member_count,
                labels["secretary"]: b.secretary,
                labels["central_work"]: "、".join(b.central_work),
                tr("workflow.field.former_names"): "、".join(b.former_names),
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
form_key = f"{FORM}:{current.id if current else NEW_RECORD}"
with st.form(form_key):
    values = render_form(
        BranchInput,
        current.model_dump(mode="json") if current else NEW_BRANCH,
        key=form_key,
        lang=lang(),
        errors=field_errors(FORM),
    )
    saved = st.form_submit_button(tr("pages.common.save"), type="primary")

if saved:
    with guarded(form_key=FORM):
        if current is None:
            services().branches.create(user, values)
        else:
            services().branches.update(user, {**current.model_dump(), **values}, current.rev)
        set_field_errors(FORM, {})
        clear_form(form_key)
        flash(tr("pages.common.saved_named", name=values["name"]))
        st.rerun()
