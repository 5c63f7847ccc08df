"""A branch's records of one form type: the list, and the editor of the one picked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from forms.base import FormModel
from forms.specs import spec_at
from i18n.numbers import format_percent
from pages.common import form_title, lang, services, status_label, tr
from pages.editor import edit_submission
from pages.links import OPEN_PARAM
from workflow.models import Campaign, Submission, User

NEW = "__new__"


def _cell(submission: Submission, column: str) -> Any:
    value = submission.data.get(column)
    if column == "attendance_rate" and value is None:
        members, attendees = submission.data.get("members"), submission.data.get("attendees")
        if isinstance(members, int) and isinstance(attendees, int) and members > 0:
            value = attendees / members
    if column == "attendance_rate" and isinstance(value, int | float):
        return format_percent(value)
    if isinstance(value, list):  # activity forms, partner branches
        return "、".join(str(v) for v in value)
    return "" if value is None else str(value)


def _label(submission: Submission) -> str:
    name = submission.title() or form_title(submission.form_type)
    version = tr("pages.history.version_n", n=submission.version) if submission.version else ""
    return " · ".join(p for p in (name, status_label(submission.status), version) if p)


def _column_label(model: type[FormModel], name: str) -> str:
    """A column heading: the field's label as the form shows it (messages quote it 「…」)."""
    spec = spec_at(model, name)
    return spec.label(lang()) if spec else name


def record_rows(
    records: Sequence[Submission], form_type: str, columns: tuple[str, ...]
) -> list[dict[str, Any]]:
    """One table row per record: its status, version and ``columns`` under their labels."""
    model = services().forms.get(form_type)
    return [
        {
            tr("pages.records.status"): status_label(s.status),
            tr("pages.records.version"): s.version,
            **{_column_label(model, c): _cell(s, c) for c in columns},
        }
        for s in records
    ]


def pick_and_edit(
    user: User, campaign: Campaign, form_type: str, *, columns: tuple[str, ...] = ("title",)
) -> None:
    """List the branch's ``form_type`` records of ``campaign`` and edit the picked one."""
    model = services().submissions.form_for(campaign.id, form_type)
    records = services().submissions.list(user, campaign_id=campaign.id, form_type=form_type)
    if records:
        st.dataframe(record_rows(records, form_type, columns), hide_index=True)
    else:
        st.info(tr("pages.records.empty"))
    by_id = {s.id: s for s in records}
    pick_key, current_key = f"pick:{form_type}", f"vg_ed_current:{form_type}"
    options = [NEW, *by_id]
    if st.session_state.get(current_key) in by_id:  # the draft the editor just started
        st.session_state[pick_key] = st.session_state.pop(current_key)
    _open_from_url(by_id, pick_key, form_type)
    picked = st.selectbox(
        tr("pages.records.pick"),
        options,
        format_func=lambda i: tr("pages.records.new") if i == NEW else _label(by_id[i]),
        key=pick_key,
    )
    _keep_in_url(picked, by_id, form_type)
    submission = by_id.get(picked)
    st.divider()
    edit_submission(
        user,
        campaign,
        services().forms.get(form_type, submission.form_version)
        if submission
        else model,  # as it was filled
        submission,
    )


def _url_key(form_type: str) -> str:
    return f"vg_records_url:{form_type}"  # the record this list last put in the address bar


def _open_from_url(by_id: dict[str, Submission], pick_key: str, form_type: str) -> None:
    """Open the record the address names (``?open=<id>``, one of this list's) when the screen
    is arriving (a reload, a pasted or to-do link: the pick is not yet on screen) or the
    address changed since this list last wrote it; otherwise the pick on screen stands."""
    requested = st.query_params.get(OPEN_PARAM)
    if requested not in by_id:
        return
    arriving = pick_key not in st.session_state
    if arriving or requested != st.session_state.get(_url_key(form_type)):
        st.session_state[pick_key] = requested


def _keep_in_url(picked: str, by_id: dict[str, Submission], form_type: str) -> None:
    """Put the open record in the address bar, so a reload (F5) or a copied address comes back
    to it; a new record has none. Another list on the same screen keeps its own there."""
    if picked in by_id:
        st.query_params[OPEN_PARAM] = picked
        st.session_state[_url_key(form_type)] = picked
    elif st.query_params.get(OPEN_PARAM) in by_id:
        del st.query_params[OPEN_PARAM]
        st.session_state.pop(_url_key(form_type), None)
