"""Admin: the audit log (who changed what, old and new values) and record history with restore."""

from __future__ import annotations

from typing import Any

import streamlit as st

from i18n import format_time
from pages.common import flash, guarded, require_role, services, tr
from workflow.models import Role

user = require_role(Role.ADMIN)
st.title(tr("pages.audit.title"))
log = services().audit
STORE_KEYS = {"rev", "updated_at", "updated_by"}


def _changes(old: Any, new: Any) -> list[tuple[str, Any, Any]]:
    """Top-level fields whose values differ (store bookkeeping left out)."""
    old, new = old or {}, new or {}
    keys = [k for k in [*old, *(k for k in new if k not in old)] if k not in STORE_KEYS]
    return [(k, old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k)]


def _short(value: Any) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


ALL = ""
kind = st.selectbox(
    tr("pages.audit.kind"),
    [ALL, *log.kinds(user)],
    format_func=lambda k: tr("pages.audit.all") if k == ALL else k,
    key="audit_kind",
)
events = log.events(user, kind=kind or None, limit=300)
if not events:
    st.info(tr("pages.audit.empty"))
    st.stop()
st.dataframe(
    [
        {
            tr("pages.audit.at"): format_time(e["at"]),
            tr("pages.audit.actor"): e["actor"],
            tr("pages.audit.action"): e["action"],
            tr("pages.audit.record"): f"{e['kind']}/{e['id']} · rev {e.get('rev', '')}",
            tr("pages.audit.changes"): "; ".join(
                f"{k}: {_short(a)} → {_short(b)}"
                for k, a, b in _changes(e.get("old"), e.get("new"))
            ),
        }
        for e in events
    ],
    hide_index=True,
)

records = list(dict.fromkeys((e["kind"], e["id"]) for e in events))
record = st.selectbox(
    tr("pages.audit.pick"), records, format_func=lambda r: f"{r[0]}/{r[1]}", key="audit_record"
)
revisions = log.history(user, *record)
st.subheader(tr("pages.audit.history"))
revs = [int(r["rev"]) for r in revisions]
if not revs:
    st.stop()
rev = st.selectbox(
    tr("pages.audit.history"),
    revs,
    index=len(revs) - 1,
    format_func=lambda r: next(
        f"rev {r} · {format_time(d['updated_at'])} · {d['updated_by']}"
        for d in revisions
        if d["rev"] == r
    ),
    key=f"audit_rev:{record}",
)
chosen = next(d for d in revisions if d["rev"] == rev)
latest = revisions[-1]
changes = _changes(latest, chosen)
if changes:
    st.table(
        [
            {
                tr("pages.audit.field"): k,
                tr("pages.audit.old"): _short(current),
                tr("pages.audit.new"): _short(old),
            }
            for k, current, old in changes
        ]
    )
if rev != revs[-1] and st.button(tr("pages.audit.restore"), key="audit_restore"):
    with guarded():
        log.restore(user, record[0], record[1], rev)
        flash(tr("pages.audit.restored", rev=rev))
        st.rerun()
