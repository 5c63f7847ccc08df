"""One submission under review: the form beside its rule report, then approve or return (S3, S4)."""

from __future__ import annotations

import streamlit as st

from forms.base import FormModel
from forms.renderer import escape_markdown, render_readonly
from pages.attachments_view import show_attachments
from pages.common import flash, form_title, lang, services, status_label, tr
from pages.confirm import confirmed_button
from pages.editor import pdf_button
from pages.history_view import show_versions
from pages.report_view import field_label, rule_notes, show_report, show_reviews
from pages.reserved_fields_form import reserved_fields_form
from workflow.models import Status, Submission, User
from workflow.permissions import may_review


def review_panel(user: User, submission: Submission, *, branch_name: str) -> None:
    """Show ``submission`` with its report beside it and, for a reviewer, the decision form."""
    model = services().forms.get(submission.form_type, submission.form_version)
    st.subheader(escape_markdown(f"{branch_name} · {form_title(submission.form_type)}"))
    st.caption(
        f"{status_label(submission.status)} · {tr('pages.history.version_n', n=submission.version)}"
    )
    form_col, report_col = st.columns([3, 2])
    with form_col:
        render_readonly(model, submission.data, lang=lang(), notes=rule_notes(submission.report))
        show_attachments(user, submission)
    with report_col:
        st.markdown(f"**{tr('pages.editor.report_title')}**")
        show_report(submission.report, model, link=True)
        if submission.reviews:
            st.markdown(f"**{tr('pages.editor.reviews')}**")
            show_reviews(submission.reviews, model)
    show_versions(user, submission, expanded=submission.version > 1)
    pdf_button(user, submission)
    reserved_fields_form(user, submission, model)
    if submission.status == Status.SUBMITTED and may_review(user, submission):
        _decision_form(user, submission, model, branch_name)


def _decision_form(
    user: User, submission: Submission, model: type[FormModel], branch_name: str
) -> None:
    key = f"rv:{submission.id}"
    st.markdown(f"#### {tr('pages.review.decide')}")
    reasons = st.text_area(tr("pages.review.reasons"), key=f"{key}:reasons")
    fields = st.multiselect(
        tr("pages.review.fields"),
        list(model.model_fields),
        format_func=lambda name: field_label(model, name),
        placeholder=tr("pages.review.fields_placeholder"),
        key=f"{key}:fields",
    )
    field_reasons = {
        name: st.text_input(
            tr("pages.review.field_reason", field=field_label(model, name)),
            key=f"{key}:field:{name}",
        )
        for name in fields
    }
    approve_col, return_col = st.columns(2)
    title = escape_markdown(f"{branch_name} · {form_title(submission.form_type)}")

    def approve() -> None:
        services().submissions.approve(user, submission.id, submission.rev, reasons=reasons)
        flash(tr("pages.review.approved"))
        st.rerun()

    def return_() -> None:
        services().submissions.return_(
            user,
            submission.id,
            submission.rev,
            reasons,
            {name: text for name, text in field_reasons.items() if text.strip()},
        )
        flash(tr("pages.review.returned"))
        st.rerun()

    confirmed_button(
        tr("pages.review.approve"),
        key=f"{key}:approve",
        consequence=tr("pages.review.confirm_approve", title=title),
        action=approve,
        kind="primary",
        where=approve_col,
    )
    confirmed_button(
        tr("pages.review.return"),
        key=f"{key}:return",
        consequence=tr("pages.review.confirm_return", title=title),
        action=return_,
        where=return_col,
    )
