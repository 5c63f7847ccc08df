"""Stage 1 forms (启动阶段): study sessions (S1) and the branch plan (S2).

Models check structure and types; whether a plan is *good enough* is the job of
``rules/plan_quality.yaml``, so the models accept empty sections that the rules then explain.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, computed_field, model_validator

from forms.base import DEFAULT_ATTACHMENT_TYPES, DEFAULT_MAX_BYTES, Attachment, FormModel
from forms.errors import CrossFieldError
from forms.fields import field

CentralWork = Literal["校庆", "本科教学评估", "学科建设", "学位点建设", "其他"]
StageName = Literal["launch", "implement", "evaluate"]

# English display texts of the stored (Chinese) choices; the stored value never changes.
CENTRAL_WORK_EN = {
    "校庆": "University anniversary",
    "本科教学评估": "Undergraduate teaching evaluation",
    "学科建设": "Discipline building",
    "学位点建设": "Degree programme building",
    "其他": "Other",
}
# Stages are stored as codes: both languages need display texts.
STAGE_ZH = {"launch": "启动阶段", "implement": "实施阶段", "evaluate": "评估总结阶段"}
STAGE_EN = {"launch": "Launch", "implement": "Implementation", "evaluate": "Evaluation and summary"}


class StudySession(FormModel):
    """组织生活学习记录 — one study session of a branch (S1)."""

    form_type = "study_session"
    title_zh = "组织生活学习记录"
    title_en = "Study session record"
    stage = "launch"
    counted_in = "study_sessions"
    ruleset = "study_session"

    branch: str = field("支部", en="Branch", bound="branch", min_length=1, max_length=100)
    date: dt.date = field("日期", en="Date")
    topic: str = field("学习主题", en="Topic", min_length=2, max_length=200)
    documents: list[str] = field(
        "学习文件",
        en="Documents studied",
        help="每行一个文件名称",
        help_en="One document per entry",
        widget="tags",
        default_factory=list,
    )
    members: int = field("支部党员数", en="Members", ge=1, le=1000)
    attendees: int = field("实到人数", en="Attendees", ge=0, le=1000)
    hours: float = field("学习时长(小时)", en="Hours", gt=0, le=24, multiple_of=0.5)
    notes: str = field("学习情况", en="Notes", widget="textarea", default="", max_length=5000)
    attachments: list[Attachment] = field(
        "签到表/照片",
        en="Sign-in sheet / photos",
        widget="file",
        accept=DEFAULT_ATTACHMENT_TYPES,
        max_bytes=DEFAULT_MAX_BYTES,
        default_factory=list,
    )

    @computed_field(  # type: ignore[prop-decorator]
        title="出席率", json_schema_extra={"label_en": "Attendance rate", "widget": "readonly"}
    )
    @property
    def attendance_rate(self) -> float:
        return round(self.attendees / self.members, 4) if self.members else 0.0

    @model_validator(mode="after")
    def _attendees_within_members(self) -> StudySession:
        if self.attendees > self.members:
            raise CrossFieldError(
                "实到人数不能多于支部党员数,请核对两项人数",
                fields=("attendees", "members"),
                message_en="Attendees cannot exceed members; please check both numbers",
            )
        return self


class PlanItem(BaseModel):
    """One main content item with its 四落实: content, measures, owner, deadline."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    content: str = field("工作内容", en="Content", default="", max_length=1000)
    measures: str = field("具体措施", en="Measures", widget="textarea", default="", max_length=2000)
    owner: str = field("责任人", en="Owner", default="", max_length=50)
    deadline: dt.date | None = field("完成时限", en="Deadline", default=None)


class ScheduleRow(BaseModel):
    """What the branch does in one stage of the campaign and when."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    stage: StageName = field(
        "阶段", en="Stage", widget="select", options_zh=STAGE_ZH, options_en=STAGE_EN
    )
    start: dt.date = field("开始日期", en="Start")
    end: dt.date = field("结束日期", en="End")
    tasks: str = field("主要任务", en="Tasks", widget="textarea", default="", max_length=2000)

    @model_validator(mode="after")
    def _end_not_before_start(self) -> ScheduleRow:
        if self.end < self.start:
            raise CrossFieldError(
                "结束日期早于开始日期,请调整日期",
                fields=("start", "end"),
                message_en="The end date is before the start date; please adjust the dates",
            )
        return self


class Plan(FormModel):
    """实施方案 — the branch's implementation plan (S2), checked by plan_quality (S4)."""

    form_type = "plan"
    title_zh = "支部“先锋工程”实施方案"
    title_en = "Branch implementation plan"
    stage = "launch"
    ruleset = "plan_quality"
    one_per_campaign = True
    remind_if_missing = True

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
    items: list[PlanItem] = field(
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
    schedule: list[ScheduleRow] = field(
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
