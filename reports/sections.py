"""Sections several reports share: the meta block, the rule report and the review trail."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel
from reportlab.platypus import Flowable, Spacer

from forms.registry import FormRegistry
from i18n import Lang, format_time, t
from reports.labels import coded, form_path_label, form_title
from reports.markup import para, para_lines
from reports.styles import styles
from reports.tables import Cell, grid_table, kv_table
from reports.values import EMPTY, format_number, format_value, is_empty
from rules.report import similarity_sentence

_SEVERITY_ORDER = {"veto": 0, "error": 1, "warning": 2}


def heading(text: str, level: int = 1) -> Flowable:
    """A section heading; level 1 is the largest, anything past 3 is drawn as level 3."""
    style = {1: styles().h1, 2: styles().h2}.get(level, styles().h3)
    return para(text, style)


def as_dict(value: Any) -> dict[str, Any]:
    """A model or mapping as a plain dict (reports accept both)."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    return dict(value) if isinstance(value, Mapping) else {}


def meta_rows(meta: Mapping[str, Any] | None, lang: Lang) -> list[tuple[str, Cell]]:
    """Label/value rows for the meta keys present: branch, campaign, status, version.

    The generation time is printed in every page footer instead.
    """
    meta = meta or {}
    rows: list[tuple[str, Cell]] = []
    if meta.get("branch"):
        rows.append((t("reports.meta.branch", lang), str(meta["branch"])))
    campaign = meta.get("campaign") or meta.get("campaign_title")
    if campaign:
        rows.append((t("reports.meta.campaign", lang), str(campaign)))
    if meta.get("status"):
        rows.append((t("reports.meta.status", lang), coded("status", meta["status"], lang)))
    if meta.get("version") not in (None, ""):
        rows.append((t("reports.meta.version", lang), format_value(meta["version"], lang)))
    return rows


def meta_block(meta: Mapping[str, Any] | None, lang: Lang) -> list[Flowable]:
    """The meta rows as a small table (nothing when there is no meta)."""
    rows = meta_rows(meta, lang)
    return [kv_table(rows), Spacer(1, 6)] if rows else []


def rule_report_section(
    report: Mapping[str, Any] | BaseModel | None,
    lang: Lang,
    level: int = 1,
    *,
    with_heading: bool = True,
    form_version: int | None = None,
    forms: FormRegistry | None = None,
) -> list[Flowable]:
    """The rule report: its stamp (rule set, version, hash), decision, score and every result.

    Failed results come first, vetoes and errors before warnings. Fields are named as in the
    ``form_version`` of the checked form in ``forms`` (default the current one).
    """
    if report is None:
        return []
    data = as_dict(report)
    out: list[Flowable] = [heading(t("reports.rules.heading", lang), level)] if with_heading else []
    stamp = t(
        "reports.rules.stamp_plain",
        lang,
        ruleset=data.get("ruleset") or EMPTY,
        version=data.get("version") or EMPTY,
    )
    rows: list[tuple[str, Cell]] = [
        (t("reports.rules.ruleset", lang), stamp),
        (
            t("reports.rules.decision", lang),
            coded("reports.rules.outcome", data.get("decision"), lang),
        ),
    ]
    if data.get("score") is not None:
        rows.append((t("reports.rules.score", lang), format_number(data["score"])))
    if data.get("grade"):
        rows.append((t("reports.rules.grade", lang), str(data["grade"])))
    if data.get("checked_at"):
        rows.append((t("reports.rules.checked_at", lang), format_time(data["checked_at"])))
    out += [kv_table(rows), Spacer(1, 4)]
    results = [as_dict(r) for r in data.get("results") or []]
    if not results:
        out.append(para(t("reports.rules.no_results", lang), styles().body))
        return out
    results.sort(
        key=lambda r: (bool(r.get("passed")), _SEVERITY_ORDER.get(str(r.get("severity")), 3))
    )
    form_type = data.get("form")
    with_points = any(r.get("points") is not None for r in results)
    header = [t(f"reports.rules.col.{c}", lang) for c in ("result", "fields", "message")]
    weights = [1.2, 2.2, 6.3]
    if with_points:
        header.append(t("reports.rules.col.points", lang))
        weights.append(0.8)
    body: list[list[Cell]] = []
    for result in results:
        message = result.get("message_en") if lang == "en" else None
        row: list[Cell] = [
            result_in_words(result, lang),
            "、".join(
                form_path_label(form_type, str(f), lang, form_version, forms)
                for f in result.get("fields") or []
            )
            or EMPTY,
            _message_cell(
                str(message or result.get("message") or EMPTY),
                result,
                lang,
                form_title(str(form_type), lang, form_version, forms) if form_type else "",
            ),
        ]
        if with_points:
            points = result.get("points")
            row.append(EMPTY if points is None else format_number(points))
        body.append(row)
    out.append(grid_table(header, body, weights))
    return out + _rule_appendix(data, results, lang)


def result_in_words(result: Mapping[str, Any], lang: Lang) -> str:
    """通过 / 未通过 / 提醒 (a failed warning only advises); a veto says so."""
    if result.get("passed"):
        return t("reports.rules.passed", lang)
    severity = str(result.get("severity") or "error")
    if severity == "warning":
        return t("reports.rules.severity.warning", lang)
    failed = t("reports.rules.failed", lang)
    return failed + (f"（{t('reports.rules.severity.veto', lang)}）" if severity == "veto" else "")


def _rule_appendix(
    data: Mapping[str, Any], results: list[dict[str, Any]], lang: Lang
) -> list[Flowable]:
    """For tracing a finding to its rule file: the rule set's hash and every rule id, in a
    style that never breaks an identifier across lines."""
    stamp = t(
        "reports.rules.stamp",
        lang,
        ruleset=data.get("ruleset") or EMPTY,
        version=data.get("version") or EMPTY,
        hash=str(data.get("hash") or EMPTY)[:12],
    )
    header = [t("reports.rules.col.rule", lang), t("reports.rules.col.result", lang)]
    body: list[list[Cell]] = [
        [para(str(r.get("rule") or EMPTY), styles().code), result_in_words(r, lang)]
        for r in results
    ]
    return [
        Spacer(1, 6),
        para(t("reports.rules.appendix", lang, stamp=stamp), styles().small),
        grid_table(header, body, [6.0, 2.0]),
    ]


def _message_cell(message: str, result: Mapping[str, Any], lang: Lang, form_name: str) -> Cell:
    """The message, plus the evidence of a similarity rule (the similar document and passage)."""
    evidence = result.get("evidence")
    if not isinstance(evidence, Mapping) or not evidence:
        return message
    lines = [message, similarity_sentence(evidence, form_name, lang, max_passage=200)]
    return para_lines(lines, styles().cell)


def review_trail_section(
    reviews: Iterable[Mapping[str, Any] | BaseModel],
    lang: Lang,
    *,
    form_type: str | None = None,
    level: int = 1,
    form_version: int | None = None,
    forms: FormRegistry | None = None,
) -> list[Flowable]:
    """The review trail: time, reviewer, version, decision, reasons and per-field reasons
    (fields named as in ``form_version`` of ``form_type``, default the current version)."""
    items = [as_dict(r) for r in reviews]
    if not items:
        return []
    header = [t(f"reports.reviews.col.{c}", lang) for c in ("at", "actor", "version")]
    header += [t("reports.reviews.col.decision", lang), t("reports.reviews.col.reasons", lang)]
    body: list[list[Cell]] = []
    for review in items:
        lines = [str(review["reasons"])] if not is_empty(review.get("reasons")) else []
        for name, reason in (review.get("field_reasons") or {}).items():
            label = form_path_label(form_type, str(name), lang, form_version, forms)
            lines.append(t("reports.reviews.field_reason", lang, field=label, reason=reason))
        body.append(
            [
                format_time(review.get("at")) or EMPTY,
                str(review.get("reviewer") or EMPTY),
                format_value(review.get("version"), lang),
                coded("reports.reviews.decision", review.get("decision"), lang),
                para_lines(lines, styles().cell) if lines else EMPTY,
            ]
        )
    return [
        heading(t("reports.reviews.heading", lang), level),
        grid_table(header, body, [2.2, 1.5, 0.8, 1.5, 5.0]),
    ]
