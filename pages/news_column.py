"""先锋工程专栏: the published news reports, newest first, for every signed-in account (S9).

A share link (``?report=<id>``) opens one report above the list.
"""

from __future__ import annotations

import streamlit as st

from pages.common import guarded, lang, require_role, services, tr
from pages.news_view import SHARE_PARAM, show_entry
from workflow.models import Role

user = require_role(*Role)
st.title(tr("news.column.title"))

shared = st.query_params.get(SHARE_PARAM)
if shared:
    with guarded():
        entry = services().news.entry(user, shared)
        st.info(tr("news.column.shared"))
        show_entry(user, entry)
        st.divider()

branches = {b.id: b.name for b in services().branches.list()}
ALL = ""
kinds = services().news.kinds(lang())
branch_col, kind_col = st.columns(2)
branch_id = branch_col.selectbox(
    tr("news.column.branch"),
    [ALL, *branches],
    format_func=lambda b: tr("news.column.all") if b == ALL else branches[b],
    key="col_branch",
)
kind = kind_col.selectbox(
    tr("news.column.kind"),
    [ALL, *kinds],
    format_func=lambda k: tr("news.column.all") if k == ALL else kinds[k],
    key="col_kind",
)
with guarded():
    entries = services().news.column(user, branch_id=branch_id or None, category=kind or None)
    if not entries:
        st.info(tr("news.column.empty"))
    for entry in entries:
        if entry.id == shared:
            continue
        with st.container(border=True):
            show_entry(user, entry)
