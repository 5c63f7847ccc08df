"""Stage 3 forms (评估总结阶段): the branch summary (S11, S14) and award nominations (S12)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, model_validator

from forms.base import DEFAULT_ATTACHMENT_TYPES, DEFAULT_MAX_BYTES, Attachment, FormModel
from forms.errors import CrossFieldError
from forms.fields import field


class SummaryStatistics(BaseModel):
    """Figures computed from the branch's own records, never typed (S11)."""

    model_config = ConfigDict(extra="forbid")

    study_sessions: int = field("学习次数", en="Study sessions", default=0, ge=0)
    average_attendance: float = field(
        "平均出席率", en="Average attendance", default=0, ge=0, le=1, percent=True
    )
    theme_activities: int = field("主题实践活动", en="Theme activities", default=0, ge=0)
    innovation_activities: int = field(
        "创新能力建设活动", en="Innovation activities", default=0, ge=0
    )
    innovation_posts: int = field("创岗数(党员先进岗、优质岗)", en="Member posts", default=0, ge=0)
    news_reports: int = field("报送通讯报道", en="News reports", default=0, ge=0)
    published_reports: int = field("刊发报道", en="Published reports", default=0, ge=0)
    demo_site: Literal["none", "returned", "submitted", "approved"] = field(
        "示范点申报",
        en="Demo site",
        widget="select",
        options_zh={
            "none": "未申报",
            "returned": "退回修改",
            "submitted": "待审核",
            "approved": "已批准",
        },
        options_en={
            "none": "Not applied",
            "returned": "Returned",
            "submitted": "Awaiting review",
            "approved": "Approved",
        },
        default="none",
    )


def branch_figures(label: str, *, en: str, help: str = "", help_en: str = "") -> Any:
    """A read-only field holding the branch's figures (``SummaryStatistics``), which the server
    binds from the branch's records on every save (``forms.binding``): never typed."""
    return field(
        label,
        en=en,
        help=help,
        help_en=help_en,
        widget="readonly",
        bound="statistics",
        default_factory=SummaryStatistics,
    )


class Summary(FormModel):
    """支部总结 — the comprehensive summary; must name shortcomings and weak links (S11, S14).

    Version 2 adds the optional 上年度问题整改情况; version 1 is ``forms.previous.SummaryV1``.
    """

    form_type = "summary"
    title_zh = "支部“先锋工程”建设总结"
    title_en = "Branch summary"
    stage = "evaluate"
    ruleset = "summary_quality"
    one_per_campaign = True
    form_version = 2
    weak_points = "shortcomings"

    branch: str = field("支部", en="Branch", bound="branch", min_length=1, max_length=100)
    basic_info: str = field(
        "基本情况", en="Basic information", widget="textarea", default="", max_length=5000
    )
    practices: str = field(
        "主要做法", en="Main practices", widget="textarea", default="", max_length=10000
    )
    achievements: str = field(
        "成效亮点", en="Achievements", widget="textarea", default="", max_length=10000
    )
    shortcomings: str = field(
        "不足之处与薄弱环节",
        en="Shortcomings and weak links",
        help="必须实事求是写出不足和薄弱环节,写“无”将被退回",
        help_en="Name real shortcomings; 'none' is returned",
        widget="textarea",
        default="",
        max_length=5000,
    )
    rectification: str = field(
        "上年度问题整改情况",
        en="Last year's problems: what was fixed",
        help="可选:去年总结中的不足,今年整改了哪些、还差什么",
        help_en="Optional: last year's shortcomings, what was fixed and what remains",
        widget="textarea",
        default="",
        max_length=5000,
    )
    next_steps: str = field(
        "下一步打算", en="Next steps", widget="textarea", default="", max_length=5000
    )
    statistics: SummaryStatistics = branch_figures(
        "数据统计",
        en="Statistics",
        help="由系统按本支部本期的记录统计,不能填写",
        help_en="Counted from this branch's records of the campaign; not typed",
    )


BRANCH_AWARD = "先进党支部"  # the award given to a branch; the others go to people
MAX_EVIDENCE = 20


class Nomination(FormModel):
    """评优评先推荐 — a nomination with self-assessment, scored by the committee (S12).

    Version 2 adds 事迹证明材料: a personal award (优秀共产党员, 优秀党务工作者) is submitted
    with at least one file backing its deeds. It is the form's own condition, not a rule of
    ``rules/evaluation.yaml``: that rule set also checks version-1 nominations
    (``forms.previous.NominationV1``), which have no such field to read.
    """

    form_type = "nomination"
    title_zh = "评优评先推荐表"
    title_en = "Award nomination"
    stage = "evaluate"
    ruleset = "evaluation"
    nominates = True
    form_version = 2

    branch: str = field("支部", en="Branch", bound="branch", min_length=1, max_length=100)
    award: Literal["先进党支部", "优秀共产党员", "优秀党务工作者"] = field(
        "推荐类别",
        en="Award",
        widget="radio",
        options_en={
            "先进党支部": "Outstanding Party branch",
            "优秀共产党员": "Outstanding Party member",
            "优秀党务工作者": "Outstanding Party affairs worker",
        },
    )
    nominee: str = field(
        "被推荐人",
        en="Nominee",
        relevant='award != "先进党支部"',
        default="",
        max_length=50,
    )
    deeds: str = field("主要事迹", en="Deeds", widget="textarea", default="", max_length=10000)
    evidence: list[Attachment] = field(
        "事迹证明材料",
        en="Evidence",
        help="个人奖项至少附 1 份:获奖证书、表扬信、工作照片或材料扫描件(jpg、png、pdf)",
        help_en="At least one file for a personal award: a certificate, a letter of praise, "
        "work photos or scans (jpg, png, pdf)",
        widget="file",
        accept=DEFAULT_ATTACHMENT_TYPES,
        max_bytes=DEFAULT_MAX_BYTES,
        default_factory=list,
        max_length=MAX_EVIDENCE,
    )
    self_score: float = field("自评分", en="Self-assessment score", ge=0, le=100)
    committee_score: float | None = field(
        "机关党委评分",
        en="Committee score",
        help="由机关党委审核员评定",
        help_en="Set by the committee's reviewers",
        role="reviewer",
        default=None,
        ge=0,
        le=100,
    )
    discipline_violation: bool = field(
        "存在违纪违规问题", en="Disciplinary violation", default=False
    )
    summary_grade: Literal["", "先进", "较好", "一般", "后进"] = field(
        "总结定级",
        en="Summary grade",
        help="由机关党委审核员评定",
        help_en="Set by the committee's reviewers",
        role="reviewer",
        widget="select",
        options_en={"先进": "Advanced", "较好": "Good", "一般": "Fair", "后进": "Lagging"},
        default="",
    )
    statistics: SummaryStatistics = branch_figures(
        "本支部数据(考核指标依据)",
        en="The branch's figures (evidence for the indicators)",
        help="由系统按本支部本期的记录统计,作为考核指标加分的依据,不能填写",
        help_en="Counted from the branch's records: the evidence for indicator points; not typed",
    )

    @model_validator(mode="after")
    def _personal_award_has_evidence(self) -> Nomination:
        if self.award != BRANCH_AWARD and not self.evidence:
            raise CrossFieldError(
                f"推荐“{self.award}”须附事迹证明材料:请在“事迹证明材料”中上传至少 1 份获奖证书、"
                "表扬信、工作照片或材料扫描件",
                fields=("evidence",),
                message_en=f'A "{self.award}" nomination needs evidence of the deeds: upload '
                'at least one certificate, letter of praise, work photo or scan under "Evidence"',
            )
        return self
