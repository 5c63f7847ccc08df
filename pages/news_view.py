"""Showing news: a report as the column prints it, and the committee's tracked changes."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import streamlit as st

from forms.markdown import escape_markdown
from forms.thumbnails import SCREEN
from i18n import format_time
from pages.common import guarded, services, tr
from pages.history_view import diff_html
from pages.menu import SCREENS
from workflow.models import Edit, User
from workflow.news import ColumnEntry

SHARE_PARAM = "report"


def share_link(entry_id: str) -> str:
    """The URL that opens ``entry_id``: the column's own URL with the report's id as a query
    parameter. Every screen's URL is known signed out too (``pages/menu.py``): a pasted link
    asks for sign-in, and the sign-in hand-off comes back to it with its query."""
    here = urlsplit(str(st.context.url or ""))
    folder = here.path.rsplit("/", 1)[0]  # the app's base path; screen URLs are one segment
    origin = f"{here.scheme}://{here.netloc}" if here.netloc else ""
    column = SCREENS["news_column"][0]
    return f"{origin}{folder}/{column}?{urlencode({SHARE_PARAM: entry_id})}"


def show_entry(user: User, entry: ColumnEntry, *, expanded: bool = True) -> None:
    """One published report: headline, branch, kind, dates, body, images with captions."""
    st.markdown(f"### {escape_markdown(entry.title)}")
    st.caption(  # every part is user text (the branch's name, its kind) or made from it
        " · ".join(
            escape_markdown(x)
            for x in (
                entry.branch,
                entry.category,
                entry.date,
                tr("news.column.published_at", at=format_time(entry.published_at)),
            )
            if x
        )
    )
    st.markdown(escape_markdown(entry.body))
    for image in entry.images:
        with guarded():
            st.image(
                services().news.image(user, entry.id, image.blob, longest=SCREEN),
                caption=escape_markdown(image.caption) or None,  # captions are Markdown
                width=480,
            )
    credits = [
        escape_markdown(tr(f"news.column.credit.{role}", name=name))
        for role, name in (
            ("author", entry.author),
            ("photographer", entry.photographer),
            ("reviewer", entry.reviewer),
        )
        if name
    ]
    if credits:
        st.caption(" ".join(credits))
    st.text_input(
        tr("news.column.share"),
        value=share_link(entry.id),
        key=f"share:{entry.id}",
        disabled=False,
        help=tr("news.column.share_help"),
    )


def show_edits(edits: list[Edit], labels: dict[str, str]) -> None:
    """The committee's edits, newest first: who, when, and each field's word-level diff."""
    if not edits:
        st.caption(tr("news.desk.no_edits"))
        return
    for edit in reversed(edits):
        st.markdown(
            escape_markdown(tr("news.desk.edit_by", editor=edit.editor, at=format_time(edit.at)))
            + (f" — {escape_markdown(edit.note)}" if edit.note else "")
        )
        for change in edit.changes:
            st.markdown(f"**{escape_markdown(labels.get(change.path, change.path))}**")
            st.markdown(diff_html(change.old, change.new), unsafe_allow_html=True)
