"""Showing what the workflow returns: rule reports, review trails, version comparisons."""

from __future__ import annotations

from typing import Any

import streamlit as st

from forms.base import FormModel
from forms.validation import field_name
from i18n import format_time
from pages.common import lang, tr
from rules.report import RuleReport, RuleResult
from workflow.models import Review

SEVERITY_COLOUR = {"veto": "red", "error": "red", "warning": "orange"}


def field_label(model: type[FormModel], path: str) -> str:
    """How to name a field path such as ``items.0.owner``: 「主要内容」第 1 项的「责任人」."""
    loc = tuple(int(part) if part.isdigit() else part for part in path.split("."))
    return field_name(model, loc, lang())


def _message(result: RuleResult) -> str:
    return result.message_en if lang() == "en" and result.message_en else result.message


def show_report(report: RuleReport | dict[str, Any] | None, model: type[FormModel]) -> None:
    """A rule report: the decision, then every failed rule with its fields and how to fix it."""
    if report is None:
        st.caption(tr("pages.report.none"))
        return
    parsed = report if isinstance(report, RuleReport) else RuleReport.model_validate(report)
    failures = parsed.failures()
    if parsed.passed and not failures:
        st.success(tr("pages.report.all_passed", count=len(parsed.results)))
    elif parsed.passed:
        st.warning(tr("pages.report.warnings_only", count=len(failures)))
    else:
        blocking = [r for r in failures if r.severity != "warning"]
        st.error(tr(f"pages.report.decision_{parsed.decision}", count=len(blocking)))
    if parsed.score is not None:
        st.caption(tr("pages.report.score", score=parsed.score, grade=parsed.grade or "-"))
    for result in failures:
        labels = "、".join(field_label(model, path) for path in result.fields)
        severity = tr(f"pages.report.severity_{result.severity}")
        line = f":{SEVERITY_COLOUR[result.severity]}[**{severity}**]"
        if labels:
            line += f" · {labels}"
        st.markdown(f"{line}  \n{_message(result)}")
        if result.evidence:
            st.caption(" / ".join(f"{k}: {v}" for k, v in result.evidence.items()))
    st.caption(
        tr("pages.report.ruleset", name=parsed.ruleset, version=parsed.version)
        + f" · {parsed.hash[:12]}"
    )


def show_reviews(reviews: list[Review], model: type[FormModel]) -> None:
    """The review trail, newest first: decision, who, when, reasons overall and per field."""
    for review in reversed(reviews):
        decision = tr(f"pages.review.decision_{review.decision}")
        st.markdown(
            tr(
                "pages.review.trail_line",
                decision=decision,
                who=review.reviewer,
                at=format_time(review.at),
            )
            + f" (v{review.version})"
        )
        if review.reasons:
            st.markdown(f"> {review.reasons}")
        for path, reason in review.field_reasons.items():
            st.markdown(f"- **{field_label(model, path)}**:{reason}")


def latest_return(reviews: list[Review]) -> Review | None:
    """The most recent 'return' decision, whose reasons the branch must address."""
    for review in reversed(reviews):
        if review.decision == "return":
            return review
    return None
