"""The branch implementation plan (实施方案, S2) as a PDF, with its rule report and review trail.

A cover with the Chinese heading, the plan title and branch; then one numbered section per plan
field: goals, main items as a content / measures / owner / deadline table, the
schedule table with stages in words (the fields' ``options_zh`` / ``options_en``),
requirements, activity forms, features, central work, supervision, budget; then the rule
report (S3) and the review trail (S4).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel
from reportlab.platypus import Flowable, PageBreak, Spacer

from forms.launch import Plan
from i18n import Lang, t
from reports.document import doc_info, render
from reports.form import Layout, form_body, prepared_data
from reports.labels import form_title
from reports.markup import para
from reports.sections import meta_rows, review_trail_section, rule_report_section
from reports.styles import styles
from reports.tables import kv_table


def _cover(data: Mapping[str, Any], meta: Mapping[str, Any], lang: Lang) -> list[Flowable]:
    story: list[Flowable] = [
        Spacer(1, 120),
        para(form_title(Plan.form_type, lang), styles().cover_title),
    ]
    if data.get("title"):
        story.append(para(data["title"], styles().cover_subtitle))
    branch = data.get("branch") or meta.get("branch")
    if branch:
        story.append(para(branch, styles().cover_subtitle))
    rows = meta_rows({**meta, "branch": None}, lang)
    if rows:
        story += [Spacer(1, 60), kv_table(rows, label_weight=0.3)]
    story.append(PageBreak())
    return story


def plan_story(
    data: Mapping[str, Any],
    *,
    report: Mapping[str, Any] | BaseModel | None = None,
    reviews: Iterable[Mapping[str, Any] | BaseModel] = (),
    meta: Mapping[str, Any] | None = None,
    lang: Lang = "zh",
) -> list[Flowable]:
    """The flowables of the plan document (cover, sections, rule report, review trail)."""
    meta = meta or {}
    # Stages and central work print in words through the fields' options_zh / options_en.
    layout = Layout(numbered=True, skip=frozenset({"branch", "title"}))
    story = _cover(data, meta, lang)
    story += form_body(Plan, prepared_data(Plan, data), lang, level=1, layout=layout)
    story += rule_report_section(report, lang, level=1)
    story += review_trail_section(reviews, lang, form_type=Plan.form_type, level=1)
    return story


def build_plan_pdf(
    data: Mapping[str, Any],
    *,
    report: Mapping[str, Any] | BaseModel | None = None,
    reviews: Iterable[Mapping[str, Any] | BaseModel] = (),
    meta: Mapping[str, Any] | None = None,
    lang: Lang = "zh",
) -> bytes:
    """The plan as PDF bytes.

    ``data`` is the plan's form data (``forms.launch.Plan`` fields; a draft that does not validate
    is printed as stored), ``report`` a ``rules.report.RuleReport`` dump, ``reviews``
    ``workflow.models.Review`` dumps, ``meta`` may carry ``branch``, ``campaign``, ``status``,
    ``version``, ``generated_at`` and ``author``.
    """
    story = plan_story(data, report=report, reviews=reviews, meta=meta, lang=lang)
    branch = data.get("branch") or (meta or {}).get("branch") or ""
    title = t("reports.plan.pdf_title", lang, branch=branch, title=data.get("title") or "")
    return render(story, doc_info(title.strip(" ·"), meta, lang, subject=Plan.form_type))
