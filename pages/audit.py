"""Admin: the audit log (who changed what, old and new values) and record history with restore.

Everything shown comes display-ready from ``services().audit`` (actions, kinds, record names
and field names in words, local times); this page only lays it out.
"""

from __future__ import annotations

import streamlit as st

from forms.renderer import escape_markdown
from pages.common import flash, lang, require_role, services, tr
from pages.confirm import confirmed_button
from workflow.models import Role

user = require_role(Role.ADMIN)
st.title(tr("pages.audit.title"))
log = services().audit

ALL = ""
kind = st.selectbox(
    tr("pages.audit.kind"),
    [ALL, *log.kinds(user)],
    format_func=lambda k: tr("pages.audit.all") if k == ALL else log.kind_label(k, lang()),
    key="audit_kind",
)
rows = log.rows(user, kind=kind or None, limit=300)
if not rows:
    st.info(tr("pages.audit.empty"))
    st.stop()
st.dataframe(
    [
        {
            tr("pages.audit.at"): row.at,
            tr("pages.audit.actor"): row.actor,
            tr("pages.audit.action"): row.action,
            tr("pages.audit.record"): f"{row.kind} · {row.record}",
            tr("pages.audit.changes"): row.changes_text,
        }
        for row in rows
    ],
    hide_index=True,
    key="audit_log",
)

records = list(dict.fromkeys((row.kind_code, row.id) for row in rows))
labels = {r: log.record_label(user, *r) for r in records}
record = st.selectbox(
    tr("pages.audit.pick"), records, format_func=lambda r: labels[r], key="audit_record"
)
revisions = log.history(user, *record)
st.subheader(tr("pages.audit.history"))
by_rev = {int(d["rev"]): d for d in revisions}
revs = list(by_rev)
if not revs:
    st.stop()
rev = st.selectbox(
    tr("pages.audit.history"),
    revs,
    index=len(revs) - 1,
    format_func=lambda r: log.revision_label(user, by_rev[r]),
    key=f"audit_rev:{record}",
)
changes = log.revision_changes(user, record[0], record[1], rev)
if changes:
    st.table(
        [
            {
                tr("pages.audit.field"): change.label,
                tr("pages.audit.old"): change.old,
                tr("pages.audit.new"): change.new,
            }
            for change in changes
        ]
    )


def restore() -> None:
    log.restore(user, record[0], record[1], rev)
    flash(tr("pages.audit.restored", rev=rev))
    st.rerun()


if rev != revs[-1]:
    confirmed_button(
        tr("pages.audit.restore"),
        key="audit_restore",
        consequence=tr(
            "pages.audit.confirm_restore", record=escape_markdown(labels[record]), rev=rev
        ),
        action=restore,
    )
