"""简报编辑 (S10): the admin composes an issue of 《机关工作简报》 from published reports — pick,
order, edit the summaries — previews it as PDF and issues it (numbered, then frozen)."""

from __future__ import annotations

import streamlit as st

from pages.common import flash, guarded, pick_record, require_role, services, tr
from workflow import clock
from workflow.bulletins import MAX_PICKS
from workflow.models import BulletinIssue, Role

user = require_role(Role.ADMIN)
st.title(tr("news.editor.title"))
bulletins = services().bulletins

with guarded():
    latest = next(iter(bulletins.archive(user)), None)
    if latest is not None:  # also confirms an issue just issued, whatever reruns follow
        st.caption(tr("news.editor.last_issued", year=latest.year, n=latest.number))
    drafts = bulletins.drafts(user)
    if st.session_state.get("be_open") in {d.id for d in drafts}:
        st.session_state["be_draft"] = st.session_state.pop("be_open")
    issue = pick_record(
        tr("news.editor.draft"),
        drafts,
        # a label that stays the same while the draft changes keeps the box on it
        name=lambda d: tr("news.editor.draft_name", date=d.date.isoformat(), title=d.title),
        new_label=tr("news.editor.new"),
        key="be_draft",
    )
    if issue is None:
        with st.form("be_new"):
            date = st.date_input(tr("news.editor.date"), value=clock.today(), key="be_date")
            title = st.text_input(tr("news.editor.issue_title"), value="机关工作简报", max_chars=50)
            if st.form_submit_button(tr("news.editor.create"), type="primary"):
                with guarded():
                    created = bulletins.create(user, date=date, title=title)
                    st.session_state["be_open"] = created.id  # opened on the next run
                    flash(tr("news.editor.created"))
                    st.rerun()
        st.stop()


def move(picked_key: str, entry_id: str, step: int) -> None:
    """Move one pick up (``step`` -1) or down (+1) in the print order. Only the list of picks
    changes: each summary box is keyed by its report, so what was typed in it moves along."""
    order = list(st.session_state.get(picked_key) or [])
    if entry_id in order:
        at = order.index(entry_id)
        to = at + step
        if 0 <= to < len(order):
            order[at], order[to] = order[to], order[at]
            st.session_state[picked_key] = order


def compose(draft: BulletinIssue) -> None:
    """Pick reports in print order, each with the summary it prints; save, preview, issue.
    Preview and issue take the picks, order and summaries as they are on screen, saved or not."""
    st.caption(tr("news.editor.next_number", year=draft.year, n=bulletins.next_number(draft.year)))
    entries = {e.id: e for e in services().news.column(user)}
    if not entries:
        st.info(tr("news.column.empty"))
        return
    summaries = {p.submission_id: p.summary for p in draft.picks}
    key = f"be:{draft.id}:{draft.rev}"
    picked_key = f"{key}:picked"
    if picked_key not in st.session_state:  # the saved order; the move buttons change it
        st.session_state[picked_key] = [
            p.submission_id for p in draft.picks if p.submission_id in entries
        ]
    picked = st.multiselect(
        tr("news.editor.pick"),
        list(entries),
        format_func=lambda i: f"{entries[i].title} · {entries[i].branch} · {entries[i].category}",
        help=tr("news.editor.pick_help"),
        placeholder=tr("news.editor.pick_placeholder"),
        max_selections=MAX_PICKS,
        key=picked_key,
    )
    picks = []
    for n, entry_id in enumerate(picked, start=1):
        entry = entries[entry_id]
        text_col, move_col = st.columns([8, 1], vertical_alignment="center")
        summary = text_col.text_area(
            tr("news.editor.summary", n=n, title=entry.title),
            value=summaries.get(entry_id) or bulletins.default_summary(entry),
            max_chars=5000,
            key=f"{key}:summary:{entry_id}",
        )
        for label, icon, step, at_end in (
            ("news.editor.up", ":material/arrow_upward:", -1, n == 1),
            ("news.editor.down", ":material/arrow_downward:", 1, n == len(picked)),
        ):
            move_col.button(
                tr(label),
                icon=icon,
                key=f"{key}:{label}:{entry_id}",
                disabled=at_end,
                on_click=move,
                args=(picked_key, entry_id, step),
                width="stretch",
            )
        picks.append({"submission_id": entry_id, "summary": summary})
    save_col, preview_col, issue_col = st.columns(3)
    if save_col.button(tr("news.editor.save"), key=f"{key}:save"):
        with guarded():
            bulletins.compose(user, draft.id, draft.rev, picks)
            flash(tr("news.editor.saved"))
            st.rerun()
    shown = tuple((p["submission_id"], p["summary"]) for p in picks)
    preview_key = f"be_preview:{draft.id}"
    if preview_col.button(
        tr("news.editor.preview"), key=f"{key}:preview", help=tr("news.editor.preview_help")
    ):
        st.session_state.pop(preview_key, None)
        with guarded():
            st.session_state[preview_key] = (shown, bulletins.preview(user, draft.id, picks))
    previewed = st.session_state.get(preview_key)
    if previewed is not None and previewed[0] != shown:  # the screen changed since: stale
        del st.session_state[preview_key]
        previewed = None
    if previewed is not None:  # a preview of exactly what is on screen
        preview_col.download_button(
            tr("news.editor.preview_download"),
            data=previewed[1],
            file_name=f"{draft.title}-{draft.year}-preview.pdf",
            mime="application/pdf",
            key=f"{key}:preview_pdf",
            icon=":material/download:",
            on_click="ignore",
        )
    if issue_col.button(
        tr("news.editor.issue"),
        key=f"{key}:issue",
        type="primary",
        help=tr("news.editor.issue_help"),
    ):
        with guarded():
            done = bulletins.issue(user, draft.id, draft.rev, picks)
            st.session_state.pop(preview_key, None)
            flash(tr("news.editor.issued", n=done.number, year=done.year))
            st.rerun()


compose(issue)
