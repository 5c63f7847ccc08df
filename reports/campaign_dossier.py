"""The whole-campaign dossier for the school committee (S15, S16).

A progress table (one row per branch, one column per stage: submissions done of total, and
returned ones), then one section per branch as in ``reports.branch_dossier``.

Input shape (``CampaignDossier``)::

    {"campaign": {"title", "year", "stage"},
     "branches": [{"branch": {...}, "submissions": [...], "statistics": {...}}, ...],
     "include_forms": true}

``include_forms: false`` prints the progress and statistics without every form.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict
from reportlab.platypus import Flowable, PageBreak

from forms.fields import field
from forms.registry import FormRegistry
from i18n import Lang, t
from reports.branch_dossier import (
    DONE,
    STAGES,
    BranchEntry,
    DossierCampaign,
    branch_section,
    stage_label,
)
from reports.document import doc_info, render
from reports.markup import para
from reports.sections import heading
from reports.styles import styles
from reports.tables import Cell, grid_table, kv_table


class CampaignDossier(BaseModel):
    """The input of ``build_campaign_dossier_pdf``."""

    model_config = ConfigDict(extra="forbid")

    campaign: DossierCampaign = field("期次", en="Campaign")
    branches: list[BranchEntry] = field("各支部", en="Branches", default_factory=list)
    include_forms: bool = field("包含各表单全文", en="Include every form", default=True)


def _progress_cell(entry: BranchEntry, stage: str, lang: Lang) -> str:
    subs = [s for s in entry.submissions if s.stage_name == stage]
    if not subs:
        return t("reports.dossier.progress_none", lang)
    done = sum(1 for s in subs if s.status in DONE)
    returned = sum(1 for s in subs if s.status == "returned")
    text = t("reports.dossier.progress", lang, done=done, total=len(subs))
    if returned:
        text += t("reports.dossier.progress_returned", lang, n=returned)
    return text


def progress_table(dossier: CampaignDossier, lang: Lang) -> Flowable:
    """One row per branch, one column per stage."""
    header = [t("reports.dossier.col.branch", lang)] + [stage_label(s, lang) for s in STAGES]
    rows: list[list[Cell]] = [
        [entry.branch.name] + [_progress_cell(entry, s, lang) for s in STAGES]
        for entry in dossier.branches
    ]
    return grid_table(header, rows, [2.5, 2, 2, 2])


def _overview(dossier: CampaignDossier, lang: Lang) -> Flowable:
    subs = [s for entry in dossier.branches for s in entry.submissions]
    rows: list[tuple[str, Cell]] = [
        (t("reports.dossier.branch_count", lang), str(len(dossier.branches))),
        (t("reports.dossier.submission_count", lang), str(len(subs))),
        (t("reports.dossier.done_count", lang), str(sum(1 for s in subs if s.status in DONE))),
    ]
    if dossier.campaign.stage:
        rows.insert(
            0, (t("reports.dossier.stage", lang), stage_label(dossier.campaign.stage, lang))
        )
    return kv_table(rows)


def build_campaign_dossier_pdf(
    data: Mapping[str, Any] | CampaignDossier,
    *,
    meta: Mapping[str, Any] | None = None,
    lang: Lang = "zh",
    forms: FormRegistry | None = None,
) -> bytes:
    """The campaign dossier as PDF bytes, its submissions forms of ``forms`` (default
    ``default_registry()``); raises ``pydantic.ValidationError`` on a bad shape."""
    dossier = (
        data
        if isinstance(data, CampaignDossier)
        else CampaignDossier.model_validate(dict(data), context={"forms": forms})
    )
    title = t("reports.dossier.campaign_title", lang, campaign=dossier.campaign.title)
    story: list[Flowable] = [
        para(title, styles().title),
        para(t("reports.dossier.to_school", lang), styles().cover_subtitle),
        _overview(dossier, lang),
        heading(t("reports.dossier.progress_heading", lang), 1),
    ]
    if dossier.branches:
        story.append(progress_table(dossier, lang))
    else:
        story.append(para(t("reports.dossier.no_branches", lang), styles().body))
    for entry in dossier.branches:
        story += [PageBreak(), heading(entry.branch.name, 1)]
        story += branch_section(entry, lang, with_forms=dossier.include_forms, forms=forms)
    return render(story, doc_info(title, meta, lang, subject="campaign_dossier"))
