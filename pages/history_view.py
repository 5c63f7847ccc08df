"""A submission's version history: the versions kept, and what changed between two of them,
word by word (deleted words struck through, inserted ones marked), wrapping like the form.

Shown to the branch under its own record and to reviewers beside the record they judge.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import streamlit as st

from forms.markdown import escape_markdown
from i18n import format_time
from pages.common import guarded, services, tr
from workflow.models import Submission, User
from workflow.word_diff import word_diff

# Inline styles: Streamlit's Markdown keeps them; the colours read on light and dark themes.
_DELETED = "background:#fde2e1;color:#a4262c;text-decoration:line-through"
_INSERTED = "background:#dff6dd;color:#0b6a0b;text-decoration:none;font-weight:600"
_BOX = "white-space:pre-wrap;word-break:break-word;overflow-wrap:anywhere;line-height:1.7"


def plain(value: Any) -> str:
    """A stored value as text to compare: rows and lists joined, nothing as "—"."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, Mapping):
        return "；".join(plain(v) for v in value.values() if v not in (None, "", []))
    if isinstance(value, list):
        return "、".join(plain(v) for v in value)
    return str(value)


def diff_html(old: Any, new: Any) -> str:
    """The change from ``old`` to ``new`` as escaped HTML: ``<del>`` and ``<ins>`` runs.

    No newline is left in the result, so Markdown never resumes inside the HTML block.
    """
    parts: list[str] = []
    for piece in word_diff(plain(old), plain(new)):
        text = html.escape(piece.text).replace("\n", "<br>")
        if piece.op == "deleted":
            parts.append(f'<del style="{_DELETED}">{text}</del>')
        elif piece.op == "inserted":
            parts.append(f'<ins style="{_INSERTED}">{text}</ins>')
        else:
            parts.append(text)
    return f'<div style="{_BOX}">{"".join(parts)}</div>'


def show_versions(user: User, submission: Submission, *, expanded: bool = False) -> None:
    """The versions of ``submission`` (who submitted each, when) and the changes between two,
    by default the last two."""
    if submission.version < 1:
        return
    with st.expander(tr("pages.editor.versions"), expanded=expanded), guarded():
        snapshots = services().submissions.versions(user, submission.id)
        st.table(
            [
                {
                    tr("pages.editor.version"): tr("pages.history.version_n", n=s.version),
                    tr("pages.editor.submitted_at"): format_time(s.submitted_at),
                    tr("pages.editor.submitted_by"): s.submitted_by,
                }
                for s in snapshots
            ]
        )
        numbers = [s.version for s in snapshots]
        if len(numbers) < 2:
            return
        left, right = st.columns(2)

        def named(n: int) -> str:
            return tr("pages.history.version_n", n=n)

        v1 = left.selectbox(
            tr("pages.editor.compare_from"),
            numbers,
            index=len(numbers) - 2,
            key=f"vcmp1:{submission.id}",
            format_func=named,
        )
        v2 = right.selectbox(
            tr("pages.editor.compare_to"),
            numbers,
            index=len(numbers) - 1,
            key=f"vcmp2:{submission.id}",
            format_func=named,
        )
        changes = services().submissions.compare(user, submission.id, v1, v2)
        if not changes:
            st.info(tr("pages.editor.no_changes"))
            return
        st.caption(tr("pages.history.legend"))
        for change in changes:
            st.markdown(f"**{escape_markdown(change.label)}**")
            st.markdown(diff_html(change.old, change.new), unsafe_allow_html=True)
