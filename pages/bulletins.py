"""简报 (S10): the issued issues of 《机关工作简报》, newest first, each downloadable as issued."""

from __future__ import annotations

import functools

import streamlit as st

from forms.markdown import escape_markdown
from i18n import format_time
from pages.common import guarded, require_role, services, tr
from workflow.models import Role

user = require_role(*Role)
st.title(tr("news.archive.title"))
bulletins = services().bulletins

with guarded():
    issued = bulletins.archive(user)
    if not issued:
        st.info(tr("news.archive.empty"))
    for issue in issued:
        with st.container(border=True):
            st.markdown(
                f"**{escape_markdown(issue.title)}** · "
                + escape_markdown(tr("news.archive.number", year=issue.year, n=issue.number))
            )
            st.caption(
                tr(
                    "news.archive.issued",
                    date=issue.date.isoformat(),
                    at=format_time(issue.issued_at),
                )
            )
            for headline in issue.headlines:
                st.markdown(f"- {escape_markdown(headline)}")
            st.download_button(
                tr("news.archive.download"),
                data=functools.partial(bulletins.pdf, user, issue.id),
                file_name=bulletins.filename(issue),
                mime="application/pdf",
                key=f"bl:{issue.id}",
                on_click="ignore",
            )
