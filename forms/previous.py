"""Earlier versions of the built-in forms, kept so old submissions validate as they were filled.

A stored submission names the ``form_version`` it was filled in; ``forms.registry`` keeps every
version, and these classes are version 1 of the plan (deadlines as dates, three fixed stages), of
the summary (no 上年度问题整改情况) and of the nomination (no 事迹证明材料). Never change them:
change the current model and bump its ``form_version`` instead.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from forms.base import FormModel
from forms.errors import CrossFieldError
from forms.evaluate import SummaryStatistics, branch_figures
from forms.fields import field
from forms.launch import CENTRAL_WORK_EN, STAGE_EN, STAGE_ZH, CentralWork, StageName


class PlanItemV1(BaseModel):
    """One main content item with its 四落实: content, measures, owner, deadline."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    content: str = field("工作内容", en="Content", default="", max_length=1000)
    measures: str = field("具体措施", en="Measures", widget="textarea", default="", max_length=2000)
    owner: str = field("责任人", en="Owner", default="", max_length=50)
    deadline: dt.date | None = field("完成时限", en="Deadline", default=None)


class ScheduleRowV1(BaseModel):
    """What the branch does in one stage of the campaign and when."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    stage: StageName = field(
        "阶段", en="Stage", widget="select", options_zh=STAGE_ZH, options_en=STAGE_EN
    )
    start: dt.date = field("开始日期", en="Start")
    end: dt.date = field("结束日期", en="End")
    tasks: str = field("主要任务", en="Tasks", widget="textarea", default="", max_length=2000)

    @model_validator(mode="after")
    def _end_not_before_start(self) -> ScheduleRowV1:
        if self.end < self.start:
            raise CrossFieldError(
                "结束日期早于开始日期,请调整日期",
                fields=("start", "end"),
                message_en="The end date is before the start date; please adjust the dates",
            )
        return self


class PlanV1(FormModel):
    """实施方案 — the branch's implementation plan (S2), checked by plan_quality (S4)."""

    form_type = "plan"
    title_zh = "支部“先锋工程”实施方案"
    title_en = "Branch implementation plan"
    stage = "launch"
    ruleset = "plan_quality"
    form_version = 1

    branch: str = field("支部", en="Branch", bound="branch", min_length=1, max_length=100)
    title: str = field("方案标题", en="Title", min_length=2, max_length=200)
    goals: str = field(
        "指导思想与目标",
        en="Guiding ideas and goals",
        help="写明本支部开展先锋工程的指导思想和要达到的目标",
        help_en="The guiding ideas and the goals the branch sets itself",
        widget="textarea",
        default="",
        max_length=5000,
    )
    items: list[PlanItemV1] = field(
        "主要内容",
        en="Main content",
        help="每项写明内容、措施、责任人和时限(四落实)",
        help_en="Each item with content, measures, owner and deadline",
        # Cards, not a grid: measures are paragraphs, and each row's own errors (a deadline,
        # an end before its start) show under the field they concern.
        widget="cards",
        default_factory=list,
        max_length=50,
    )
    schedule: list[ScheduleRowV1] = field(
        "阶段安排",
        en="Schedule",
        help="启动、实施、评估总结三个阶段依次安排",
        help_en="Launch, implementation and evaluation, in order",
        widget="cards",
        default_factory=list,
        max_length=20,
    )
    requirements: str = field(
        "目的要求", en="Requirements", widget="textarea", default="", max_length=5000
    )
    activity_forms: list[str] = field(
        "活动方式",
        en="Activity forms",
        help="如:专题学习、主题党日、志愿服务、座谈交流",
        help_en="e.g. study sessions, theme days, volunteering, forums",
        widget="tags",
        default_factory=list,
        max_length=20,
    )
    features: str = field(
        "特色与亮点",
        en="Distinctive features",
        help="写出本支部与众不同的做法,不要照搬通用表述",
        help_en="What this branch does differently; avoid boilerplate",
        widget="textarea",
        default="",
        max_length=5000,
    )
    central_work: list[CentralWork] = field(
        "结合学校中心工作",
        en="School's central work",
        widget="multiselect",
        options_en=CENTRAL_WORK_EN,
        default_factory=list,
    )
    supervision: str = field(
        "督查机制", en="Supervision", widget="textarea", default="", max_length=3000
    )
    budget: float | None = field("经费预算(元)", en="Budget (CNY)", default=None, ge=0, le=1e7)


class SummaryV1(FormModel):
    """支部总结 — the comprehensive summary; must name shortcomings and weak links (S11, S14)."""

    form_type = "summary"
    title_zh = "支部“先锋工程”建设总结"
    title_en = "Branch summary"
    stage = "evaluate"
    ruleset = "summary_quality"
    form_version = 1

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
    next_steps: str = field(
        "下一步打算", en="Next steps", widget="textarea", default="", max_length=5000
    )
    # bound: drafts of this version count too
    statistics: SummaryStatistics = branch_figures("数据统计", en="Statistics")


class NominationV1(FormModel):
    """评优评先推荐 — a nomination with self-assessment, scored by the committee (S12); no
    事迹证明材料."""

    form_type = "nomination"
    title_zh = "评优评先推荐表"
    title_en = "Award nomination"
    stage = "evaluate"
    ruleset = "evaluation"
    nominates = True
    form_version = 1

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
