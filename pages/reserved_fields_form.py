"""The fields of a submission reserved to the reviewer's role (机关党委评分, 总结定级): typed on
the review screen, saved through the service, which checks them again."""

from __future__ import annotations

import streamlit as st

from forms.base import FormModel
from forms.renderer import clear_form, render_form
from pages.common import flash, guarded, lang, services, tr
from workflow.field_roles import reserved_fields
from workflow.models import Status, Submission, User
from workflow.permissions import may_write_reserved_field


def reserved_fields_form(user: User, submission: Submission, model: type[FormModel]) -> None:
    """Draw the reserved fields ``user`` may write on ``submission`` and a save button."""
    if submission.status == Status.DRAFT:
        return
    names = [
        name
        for name, spec in reserved_fields(model).items()
        if may_write_reserved_field(user, spec.role or "", submission)
    ]
    if not names:
        return
    key = f"rv_reserved:{submission.id}:{submission.rev}"
    st.markdown(f"#### {tr('pages.review.reserved')}")
    values = render_form(model, submission.data, key=key, lang=lang(), role=user.role, only=names)
    if st.button(tr("pages.review.save_reserved"), key=f"{key}:save"):
        with guarded():
            services().submissions.set_reserved_fields(
                user, submission.id, submission.rev, {name: values.get(name) for name in names}
            )
            clear_form(key)
            flash(tr("pages.review.reserved_saved"))
            st.rerun()
