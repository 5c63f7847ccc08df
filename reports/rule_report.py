"""One rule report alone as a PDF: the form it checked, its stamp, decision and every result."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from i18n import Lang, t
from reports.document import doc_info, render
from reports.labels import form_title
from reports.markup import para
from reports.sections import as_dict, meta_block, rule_report_section
from reports.styles import styles


def build_rule_report_pdf(
    report: Mapping[str, Any] | BaseModel,
    *,
    meta: Mapping[str, Any] | None = None,
    lang: Lang = "zh",
) -> bytes:
    """A ``rules.report.RuleReport`` (model or dump) as PDF bytes; ``meta`` as for forms."""
    data = as_dict(report)
    title = t("reports.rules.heading", lang)
    form = data.get("form")
    story = [para(title, styles().title)]
    if form:
        story.append(para(form_title(str(form), lang), styles().cover_subtitle))
    story += meta_block(meta, lang)
    story += rule_report_section(data, lang, level=1, with_heading=False)
    pdf_title = f"{title} · {form_title(str(form), lang)}" if form else title
    return render(story, doc_info(pdf_title, meta, lang, subject="rule_report"))
