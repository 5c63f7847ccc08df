"""The impact preview of a rule-set draft as a table: which submitted forms would change outcome
(the 规则集 and 规则设计 screens show it the same way)."""

from __future__ import annotations

import streamlit as st

from pages.common import lang, services, tr
from workflow.impact import ImpactRow, Outcome


def outcome_text(outcome: Outcome) -> str:
    """A decision and what its failing rules said (their ids where they said nothing), in the
    user's language: an admin reads the message a branch would read, not a generated id."""
    decision = outcome.decision
    label = (
        tr(f"rules.page.decision_{decision}")
        if decision in ("pass", "return", "veto")
        else tr("rules.page.not_checked")
    )
    said = [en if lang() == "en" else zh for zh, en in outcome.said] or list(outcome.failing)
    return f"{label}（{tr('rules.page.failing', rules='；'.join(said))}）" if said else label


def show_impact(total: int, rows: list[ImpactRow], none_message: str) -> None:
    """The rows whose outcome changes, or ``none_message`` when there are none."""
    if not rows:
        st.success(none_message)
        return
    st.warning(tr("rules.page.impact_summary", total=total, changed=len(rows)))
    branches = {b.id: b.name for b in services().branches.list()}
    st.dataframe(
        [
            {
                tr("rules.page.branch"): branches.get(row.branch_id, row.branch_id),
                tr("rules.page.title_col"): row.title,
                tr("rules.page.before"): outcome_text(row.before),
                tr("rules.page.after"): outcome_text(row.after),
            }
            for row in rows
        ],
        hide_index=True,
    )
