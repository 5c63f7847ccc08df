"""A branch's dossier for the school committee (上报学校党委, S16).

Branch information, summary statistics, then every submission rendered like ``reports.form``
(title, status, version, fields, rule report, review trail).

Input shape (``BranchDossier``)::

    {"campaign": {"title": "2025年度先锋工程", "year": 2025},
     "branch": {"name", "unit", "member_count", "secretary", "central_work": [...]},
     "submissions": [{"form_type", "form_version", "status", "version", "stage", "data",
                      "report", "reviews", "updated_at", "photos": [{"name", "jpeg"}]}, ...],
     "statistics": {"学习次数": 12, ...}}

Submissions may be ``workflow.models.Submission`` dumps; unknown keys are ignored. Each is
printed with the labels of its ``form_version`` (the version it was filled in; default the
current one), so an old submission keeps the fields it was written with.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator, model_validator
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from forms.fields import field
from forms.launch import CENTRAL_WORK_EN
from forms.registry import FormRegistry, UnknownFormVersion, default_registry
from forms.specs import describe
from i18n import Lang, t
from reports.document import doc_info, render
from reports.form import form_story, option_labels
from reports.labels import coded, form_title
from reports.markup import para
from reports.photos import photo_grid
from reports.sections import heading
from reports.styles import styles
from reports.tables import Cell, grid_table, kv_table
from reports.values import format_value

STAGES = ("launch", "implement", "evaluate")
DONE = ("approved", "published", "forwarded")


class DossierCampaign(BaseModel):
    """The campaign a dossier reports on."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    title: str = field("期次名称", en="Campaign title", min_length=1, max_length=200)
    year: int | None = field("年度", en="Year", default=None, ge=2000, le=2100)
    stage: str = field("当前阶段", en="Current stage", default="")


class DossierBranch(BaseModel):
    """Branch information printed at the head of its dossier."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    name: str = field("支部名称", en="Branch name", min_length=1, max_length=100)
    unit: str = field("所在单位", en="Unit", default="", max_length=100)
    member_count: int | None = field("党员人数", en="Members", default=None, ge=0)
    secretary: str = field("支部书记", en="Secretary", default="", max_length=50)
    central_work: list[str] = field(
        "结合中心工作", en="Central work", options_en=CENTRAL_WORK_EN, default_factory=list
    )


def forms_of(info: ValidationInfo) -> FormRegistry:
    """The form types a dossier is validated against: ``context={"forms": registry}`` of the
    validation, else ``default_registry()`` (a dossier printed from a file has no store)."""
    forms = (info.context or {}).get("forms")
    return forms if isinstance(forms, FormRegistry) else default_registry()


class DossierPhoto(BaseModel):
    """A photo attached to a submission: its file name and a small JPEG
    (``reports.photos.thumbnail``)."""

    model_config = ConfigDict(extra="ignore")

    name: str = field("文件名", en="File name", max_length=200)
    jpeg: bytes = field("图像", en="Image")


class DossierSubmission(BaseModel):
    """One submission as the dossier prints it."""

    model_config = ConfigDict(extra="ignore")

    form_type: str = field("表单类型", en="Form type")
    form_version: int | None = field("表单版本", en="Form version", default=None, ge=1)
    status: str = field("状态", en="Status", default="draft")
    version: int = field("版本", en="Version", default=0, ge=0)
    stage: str = field("阶段", en="Stage", default="")
    data: dict[str, Any] = field("表单内容", en="Form data", default_factory=dict)
    report: dict[str, Any] | None = field("规则检查报告", en="Rule report", default=None)
    reviews: list[dict[str, Any]] = field("审核记录", en="Reviews", default_factory=list)
    updated_at: str = field("更新时间", en="Updated at", default="")
    photos: list[DossierPhoto] = field("照片", en="Photos", default_factory=list)

    @field_validator("form_type")
    @classmethod
    def _registered(cls, value: str, info: ValidationInfo) -> str:
        forms = forms_of(info)
        if value not in forms:
            raise ValueError(
                f"未知的表单类型 {value!r}，可用的有：{'、'.join(sorted(forms.all_forms()))}"
            )
        return value

    @model_validator(mode="after")
    def _known_version(self, info: ValidationInfo) -> DossierSubmission:
        forms = forms_of(info)
        if self.form_version is not None:
            try:
                forms.get(self.form_type, self.form_version)
            except UnknownFormVersion as error:
                raise ValueError(str(error)) from None
        if not self.stage:  # form_type is known: its field validator passed
            self.stage = forms.form_type(self.form_type).stage
        return self

    @property
    def stage_name(self) -> str:
        """The stage, from the record or else (filled in on validation) from the form type."""
        return self.stage


class BranchEntry(BaseModel):
    """A branch and its submissions (one section of a dossier)."""

    model_config = ConfigDict(extra="forbid")

    branch: DossierBranch = field("支部信息", en="Branch")
    submissions: list[DossierSubmission] = field("材料", en="Submissions", default_factory=list)
    statistics: dict[str, Any] = field("数据统计", en="Statistics", default_factory=dict)


class BranchDossier(BranchEntry):
    """The input of ``build_branch_dossier_pdf``."""

    campaign: DossierCampaign | None = field("所属期次", en="Campaign", default=None)


def _branch_info(branch: DossierBranch, lang: Lang) -> Flowable:
    choices = option_labels(DossierBranch, lang)
    rows: list[tuple[str, Cell]] = []
    for spec in describe(DossierBranch):
        value = format_value(getattr(branch, spec.name), lang, choices.get(spec.name))
        rows.append((spec.label(lang), value))
    return kv_table(rows)


def _statistics(entry: BranchEntry, lang: Lang, forms: FormRegistry | None) -> list[Flowable]:
    by_type: dict[str, Counter[str]] = {}
    for sub in entry.submissions:
        by_type.setdefault(sub.form_type, Counter())[sub.status] += 1
    header = [t(f"reports.dossier.col.{c}", lang) for c in ("form", "total", "done", "returned")]
    rows: list[list[Cell]] = [
        [
            form_title(form_type, lang, forms=forms),
            str(sum(counts.values())),
            str(sum(counts[s] for s in DONE)),
            str(counts["returned"]),
        ]
        for form_type, counts in by_type.items()
    ]
    out: list[Flowable] = [heading(t("reports.dossier.statistics", lang), 2)]
    if rows:
        out.append(grid_table(header, rows, [4, 1, 1, 1]))
    else:
        out.append(para(t("reports.dossier.no_submissions", lang), styles().body))
    if entry.statistics:
        out.append(Spacer(1, 6))
        out.append(kv_table([(k, format_value(v, lang)) for k, v in entry.statistics.items()]))
    return out


def branch_section(
    entry: BranchEntry,
    lang: Lang,
    *,
    level: int = 1,
    with_forms: bool = True,
    forms: FormRegistry | None = None,
) -> list[Flowable]:
    """A branch's information, statistics and (``with_forms``) every submission as a form of
    ``forms`` (default ``default_registry()``)."""
    out: list[Flowable] = [
        heading(t("reports.dossier.branch_info", lang), level + 1),
        _branch_info(entry.branch, lang),
    ]
    out += _statistics(entry, lang, forms)
    for sub in entry.submissions if with_forms else []:
        meta = {"status": sub.status, "version": sub.version}
        out.append(CondPageBreak(120))
        out += form_story(
            sub.form_type,
            sub.data,
            report=sub.report,
            reviews=sub.reviews,
            meta=meta,
            lang=lang,
            level=level + 1,
            form_version=sub.form_version,
            forms=forms,
        )
        if sub.photos:
            out.append(heading(t("reports.dossier.photos", lang), level + 2))
            out.append(photo_grid([(p.name, p.jpeg) for p in sub.photos]))
        out.append(Spacer(1, 10))
    return out


def build_branch_dossier_pdf(
    data: Mapping[str, Any] | BranchDossier,
    *,
    meta: Mapping[str, Any] | None = None,
    lang: Lang = "zh",
    forms: FormRegistry | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """One branch's dossier as PDF bytes, its submissions forms of ``forms`` (default
    ``default_registry()``); raises ``pydantic.ValidationError`` on a bad shape.
    ``progress(done, total)`` follows the layout (``reports.document.render``)."""
    dossier = (
        data
        if isinstance(data, BranchDossier)
        else BranchDossier.model_validate(dict(data), context={"forms": forms})
    )
    title = t("reports.dossier.branch_title", lang, branch=dossier.branch.name)
    story: list[Flowable] = [para(title, styles().title)]
    if dossier.campaign:
        story.append(para(dossier.campaign.title, styles().cover_subtitle))
    story.append(para(t("reports.dossier.to_school", lang), styles().cover_subtitle))
    story += branch_section(dossier, lang, forms=forms)
    return render(story, doc_info(title, meta, lang, subject="branch_dossier"), progress)


def stage_label(stage: str, lang: Lang) -> str:
    """A stage code in words (启动阶段 …)."""
    return coded("stage", stage, lang)
