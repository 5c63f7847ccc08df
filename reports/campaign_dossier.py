"""The whole-campaign dossier for the school committee (S15, S16).

An overview, a progress table (one row per branch, one column per stage, as the workflow's
progress table words it: forms approved of those due, and returned ones), bar charts of
figures per branch, the award list, then one section per branch as in
``reports.branch_dossier``.

Input shape (``CampaignDossier``)::

    {"campaign": {"title", "year", "stage"},
     "branches": [{"branch": {...}, "submissions": [...], "statistics": {...}}, ...],
     "include_forms": true,
     "charts": [{"title", "labels": [...], "values": [...], "value_format": "number|percent"}],
     "awards": [{"award", "name", "branch"}],
     "progress": [{"branch", "stages": ["launch cell", "implement cell", "evaluate cell"]}]}

``include_forms: false`` prints the progress and statistics without every form.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from reportlab.platypus import CondPageBreak, Flowable

from forms.fields import field
from forms.registry import FormRegistry, default_registry
from i18n import Lang, t
from reports.branch_dossier import (
    DONE,
    STAGES,
    BranchEntry,
    DossierCampaign,
    branch_section,
    stage_label,
)
from reports.charts import bar_chart
from reports.document import doc_info
from reports.dossier_parts import Part, PartCache, build_parts, content_key
from reports.markup import para
from reports.sections import heading
from reports.styles import styles
from reports.tables import Cell, grid_table, kv_table
from reports.values import EMPTY


class DossierChart(BaseModel):
    """A bar chart of one figure per branch (``labels`` and ``values`` in the same order)."""

    model_config = ConfigDict(extra="forbid")

    title: str = field("标题", en="Title", max_length=200)
    labels: list[str] = field("支部", en="Branches", default_factory=list)
    values: list[float] = field("数值", en="Values", default_factory=list)
    value_format: Literal["number", "percent"] = field("格式", en="Format", default="number")


class DossierAward(BaseModel):
    """One entry of the award list."""

    model_config = ConfigDict(extra="ignore")

    award: str = field("奖项", en="Award", max_length=100)
    name: str = field("名称", en="Name", default="", max_length=100)
    branch: str = field("支部", en="Branch", default="", max_length=100)


class DossierProgress(BaseModel):
    """One branch's row of the progress table: its name and a cell per stage, in stage order."""

    model_config = ConfigDict(extra="forbid")
    branch: str = field("支部", en="Branch", max_length=100)
    stages: list[str] = field("各阶段", en="Stages", default_factory=list, max_length=3)


class CampaignDossier(BaseModel):
    """The input of ``build_campaign_dossier_pdf``."""

    model_config = ConfigDict(extra="forbid")

    campaign: DossierCampaign = field("期次", en="Campaign")
    branches: list[BranchEntry] = field("各支部", en="Branches", default_factory=list)
    include_forms: bool = field("包含各表单全文", en="Include every form", default=True)
    charts: list[DossierChart] = field("统计图", en="Charts", default_factory=list)
    awards: list[DossierAward] = field("表彰名单", en="Awards", default_factory=list)
    progress: list[DossierProgress] = field("各支部进展", en="Progress", default_factory=list)


def progress_table(dossier: CampaignDossier, lang: Lang) -> Flowable:
    """One row per branch, one column per stage, each cell as the workflow worded it."""
    header = [t("reports.dossier.col.branch", lang)] + [stage_label(s, lang) for s in STAGES]
    rows: list[list[Cell]] = [[row.branch, *row.stages] for row in dossier.progress]
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


def _charts(dossier: CampaignDossier, lang: Lang) -> list[Flowable]:
    out: list[Flowable] = []
    for chart in dossier.charts:
        fmt = "{:.0%}" if chart.value_format == "percent" else "{:g}"
        out += [
            CondPageBreak(200),
            heading(chart.title, 2),
            bar_chart(chart.labels, chart.values, fmt),
        ]
    return out


def _awards(dossier: CampaignDossier, lang: Lang) -> list[Flowable]:
    out: list[Flowable] = [heading(t("reports.dossier.awards", lang), 1)]
    if not dossier.awards:
        return [*out, para(t("reports.dossier.no_awards", lang), styles().body)]
    header = [t(f"reports.dossier.col.{c}", lang) for c in ("award", "name", "branch")]
    rows: list[list[Cell]] = [[a.award, a.name or EMPTY, a.branch or EMPTY] for a in dossier.awards]
    return [*out, grid_table(header, rows, [2, 2, 3])]


def front_story(dossier: CampaignDossier, lang: Lang) -> list[Flowable]:
    """The dossier's first part: title, overview, progress table, charts and the award list."""
    title = t("reports.dossier.campaign_title", lang, campaign=dossier.campaign.title)
    story: list[Flowable] = [
        para(title, styles().title),
        para(t("reports.dossier.to_school", lang), styles().cover_subtitle),
        _overview(dossier, lang),
        heading(t("reports.dossier.progress_heading", lang), 1),
    ]
    if dossier.progress:
        story.append(progress_table(dossier, lang))
    elif not dossier.branches:
        story.append(para(t("reports.dossier.no_branches", lang), styles().body))
    return story + _charts(dossier, lang) + _awards(dossier, lang)


def branch_story(
    entry: BranchEntry, lang: Lang, with_forms: bool, forms: FormRegistry | None
) -> list[Flowable]:
    """One branch's part: its name as a heading, then ``branch_section``."""
    return [
        heading(entry.branch.name, 1),
        *branch_section(entry, lang, with_forms=with_forms, forms=forms),
    ]


def _branch_key(
    entry: BranchEntry,
    lang: Lang,
    with_forms: bool,
    forms: FormRegistry,
    schemas: dict[tuple[str, int | None], Any],
) -> str:
    """What a branch's part prints: the entry, the language, whether forms are printed and the
    JSON schema of every form version its submissions name (labels, options, order)."""
    for sub in entry.submissions:
        version = (sub.form_type, sub.form_version)
        if version not in schemas:
            schemas[version] = forms.get(*version).model_json_schema()
    used = sorted({(s.form_type, s.form_version or 0) for s in entry.submissions})
    named = [schemas[(form_type, number or None)] for form_type, number in used]
    return content_key("campaign_dossier.branch", lang, with_forms, entry.model_dump(), named)


def build_campaign_dossier_pdf(
    data: Mapping[str, Any] | CampaignDossier,
    *,
    meta: Mapping[str, Any] | None = None,
    lang: Lang = "zh",
    forms: FormRegistry | None = None,
    progress: Callable[[int, int], None] | None = None,
    cache: PartCache | None = None,
    workers: int = 1,
) -> bytes:
    """The campaign dossier as PDF bytes: overview, progress table, charts, the award list,
    then one section per branch, its submissions forms of ``forms`` (default
    ``default_registry()``); raises ``pydantic.ValidationError`` on a bad shape.

    Each branch's section is laid out as a part of its own (``reports.dossier_parts``):
    taken from ``cache`` when what it prints is unchanged, else laid out by one of
    ``workers`` processes. ``progress(done, total)`` counts the parts."""
    dossier = (
        data
        if isinstance(data, CampaignDossier)
        else CampaignDossier.model_validate(dict(data), context={"forms": forms})
    )
    registry = forms or default_registry()
    title = t("reports.dossier.campaign_title", lang, campaign=dossier.campaign.title)
    with_forms = dossier.include_forms
    schemas: dict[tuple[str, int | None], Any] = {}
    parts = [Part(title, lambda: front_story(dossier, lang))]
    for entry in dossier.branches:
        key = _branch_key(entry, lang, with_forms, registry, schemas) if cache else None
        story = functools.partial(branch_story, entry, lang, with_forms, forms)
        parts.append(Part(entry.branch.name, story, key))
    info = doc_info(title, meta, lang, subject="campaign_dossier")
    return build_parts(parts, info, cache=cache, workers=workers, progress=progress)
