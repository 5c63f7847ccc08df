"""Showing what the workflow returns: rule reports, review trails, version comparisons."""

from __future__ import annotations

from typing import Any

import streamlit as st

from forms.base import FormModel
from forms.notes import FieldNote, anchor_id, placement
from forms.renderer import escape_markdown
from forms.specs import path_label
from i18n import format_time
from pages.common import lang, tr
from rules.report import RuleReport, RuleResult, similarity_sentence
from workflow.models import Review

SEVERITY_COLOUR = {"veto": "red", "error": "red", "warning": "orange"}


def field_label(model: type[FormModel], path: str) -> str:
    """How to name a field path such as ``items.0.owner``: 「主要内容」第 1 项的「责任人」."""
    return path_label(model, path, lang())


def _message(result: RuleResult) -> str:
    return result.message_en if lang() == "en" and result.message_en else result.message


def _parsed(report: RuleReport | dict[str, Any]) -> RuleReport:
    return report if isinstance(report, RuleReport) else RuleReport.model_validate(report)


def rule_notes(report: RuleReport | dict[str, Any] | None) -> dict[str, list[FieldNote]]:
    """What to mark at the fields: each failed rule's message at every field it names."""
    notes: dict[str, list[FieldNote]] = {}
    if report is None:
        return notes
    for result in _parsed(report).failures():
        note = FieldNote(_message(result), result.severity, result.rule)
        for path in result.fields:
            notes.setdefault(path, []).append(note)
    return notes


def _field_link(model: type[FormModel], path: str, link: bool) -> str:
    label = escape_markdown(field_label(model, path))
    return f"[{label}](#{anchor_id(placement(model, path))})" if link else label


def show_report(
    report: RuleReport | dict[str, Any] | None, model: type[FormModel], *, link: bool = False
) -> None:
    """A rule report: the decision, then every failed rule with its fields and how to fix it,
    then the notes of rules that passed (continuity with the branch's own earlier plan).

    ``link``: the form is on the same page with ``rule_notes`` drawn at its fields, so each
    field's label links to its anchor there.
    """
    if report is None:
        st.caption(tr("pages.report.none"))
        return
    parsed = _parsed(report)
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
        labels = "、".join(_field_link(model, path, link) for path in result.fields)
        severity = tr(f"pages.report.severity_{result.severity}")
        line = f":{SEVERITY_COLOUR[result.severity]}[**{severity}**]"
        if labels:
            line += f" · {labels}"
        st.markdown(f"{line}  \n{escape_markdown(_message(result))}")
        if result.evidence:  # the shared passage is a branch's own text: escaped
            sentence = similarity_sentence(result.evidence, model.title_in(lang()), lang())
            st.caption(escape_markdown(sentence))
    for result in parsed.results:
        if result.passed and result.message and not result.points:
            # a note on a rule that passed: the branch carrying on its own earlier plan
            st.info(escape_markdown(_message(result)))
    _details(parsed)


def _details(report: RuleReport) -> None:
    """The rule set's name, version and hash and each failed rule's id, for whoever needs to
    trace a finding to its rule file; office staff read the messages above instead."""
    with st.popover(tr("pages.report.details"), icon=":material/info:"):
        st.caption(
            tr("pages.report.ruleset", name=report.ruleset, version=report.version)
            + f" · {report.hash[:12]}"
        )
        ids = [f"`{r.rule}`" for r in report.failures()]
        if ids:
            st.caption(tr("pages.report.rule_ids", ids="、".join(ids)))


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
            st.markdown(f"> {escape_markdown(review.reasons)}")
        for path, reason in review.field_reasons.items():
            label = escape_markdown(field_label(model, path))
            st.markdown(f"- **{label}**:{escape_markdown(reason)}")


def latest_return(reviews: list[Review]) -> Review | None:
    """The most recent 'return' decision, whose reasons the branch must address."""
    for review in reversed(reviews):
        if review.decision == "return":
            return review
    return None
