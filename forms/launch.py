"""Stage 1 forms (启动阶段): study sessions (S1) and the branch plan (S2).

Models check structure and types; whether a plan is *good enough* is the job of
``rules/plan_quality.yaml``, so the models accept empty sections that the rules then explain.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    computed_field,
    model_validator,
)

from forms.base import DEFAULT_ATTACHMENT_TYPES, DEFAULT_MAX_BYTES, Attachment, FormModel
from forms.errors import CrossFieldError
from forms.fields import field
from forms.written_dates import (
    DEADLINE_EXAMPLES,
    MONTH_OR_DATE_EXAMPLES,
    iso_text,
    read_deadline,
    read_month_or_date,
)

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
        title="出席率",
        json_schema_extra={"label_en": "Attendance rate", "widget": "readonly", "percent": True},
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


def _deadline(value: str) -> str:
    if value and read_deadline(value) is None:
        raise CrossFieldError(
            f"“{value}”不是能看懂的时限:请写日期、月份或周期,如 {DEADLINE_EXAMPLES}",
            message_en=f'"{value}" is not a deadline we can read: write a date, a month or a '
            "term, e.g. 2025-06-30, 2025-06, every month, end of year, ongoing",
        )
    return value


def _month_or_date(value: str) -> str:
    written = read_month_or_date(value)
    if written is None:
        raise CrossFieldError(
            f"“{value}”不是日期或月份:请写如 {MONTH_OR_DATE_EXAMPLES}",
            message_en=f'"{value}" is not a date or a month: write e.g. 2025-03 or 2025-03-15',
        )
    return iso_text(written)


def _date_as_text(value: object) -> object:
    """Dates given as dates (YAML, older data) are taken as their ISO text; no deadline is ""."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return value.isoformat() if isinstance(value, dt.date) else value


# A deadline as the plan writes it (date, month or term), kept as written; see forms.written_dates.
Deadline = Annotated[str, BeforeValidator(_date_as_text), AfterValidator(_deadline)]
# A schedule date: a day or a month, stored as YYYY-MM-DD or YYYY-MM.
MonthOrDate = Annotated[str, BeforeValidator(_date_as_text), AfterValidator(_month_or_date)]


class PlanItem(BaseModel):
    """One main content item with its 四落实: content, measures, owner, deadline."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    content: str = field("工作内容", en="Content", default="", max_length=1000)
    measures: str = field("具体措施", en="Measures", widget="textarea", default="", max_length=2000)
    # Owners are often a role or a leading group: "支部书记、组织委员" or a whole 领导小组.
    owner: str = field(
        "责任人",
        en="Owner",
        help="写人名、职务或牵头部门,如:张明;支部组织委员",
        help_en="A name, a role or the leading unit",
        default="",
        max_length=100,
    )
    deadline: Deadline = field(
        "完成时限",
        en="Deadline",
        help=f"写日期、月份或周期,如 {DEADLINE_EXAMPLES}",
        help_en="A date, a month or a term: 2025-06-30, 2025-06, every month, end of year",
        default="",
        max_length=20,
    )


class ScheduleRow(BaseModel):
    """One step of the branch's schedule: its own name, the stage it belongs to, when."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    name: str = field(
        "步骤名称",
        en="Step",
        help="如:动员部署、全面争创、整改提升、总结表彰",
        help_en="e.g. mobilisation, implementation, rectification, commendation",
        default="",
        max_length=50,
    )
    stage: StageName = field(
        "所属阶段", en="Stage", widget="select", options_zh=STAGE_ZH, options_en=STAGE_EN
    )
    start: MonthOrDate = field(
        "开始", en="Start", help=f"日期或月份,如 {MONTH_OR_DATE_EXAMPLES}", max_length=20
    )
    end: MonthOrDate = field(
        "结束", en="End", help=f"日期或月份,如 {MONTH_OR_DATE_EXAMPLES}", max_length=20
    )
    tasks: str = field("主要任务", en="Tasks", widget="textarea", default="", max_length=2000)

    @model_validator(mode="after")
    def _end_not_before_start(self) -> ScheduleRow:
        start, end = read_month_or_date(self.start), read_month_or_date(self.end)
        if start and end and end.latest and start.earliest and end.latest < start.earliest:
            raise CrossFieldError(
                "结束日期早于开始日期,请调整日期",
                fields=("start", "end"),
                message_en="The end date is before the start date; please adjust the dates",
            )
        return self


class Plan(FormModel):
    """实施方案 — the branch's implementation plan (S2), checked by plan_quality (S4).

    Version 2 holds real plans: deadlines as written (date, month or term), schedule steps with
    their own names (any number, each belonging to a stage), owners up to 100 characters, the
    optional 组织领导 and 保障措施 sections and a description of "其他" central work. Version 1
    is ``forms.previous.PlanV1``.
    """

    form_type = "plan"
    title_zh = "支部“先锋工程”实施方案"
    title_en = "Branch implementation plan"
    stage = "launch"
    ruleset = "plan_quality"
    one_per_campaign = True
    remind_if_missing = True
    form_version = 2
    recalls_weak_points = True

    branch: str = field("支部", en="Branch", bound="branch", min_length=1, max_length=100)
    title: str = field("方案标题", en="Title", min_length=2, max_length=200)
    goals: str = field(
        "指导思想与目标",
        en="Guiding ideas and goals",
        help="写明本支部开展先锋工程的指导思想和要达到的目标(至少一个数字、比例或日期)",
        help_en="The guiding ideas and the goals, with at least one number, rate or date",
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
        help="按步骤填写,每步注明所属阶段;启动、实施、评估总结三个阶段都要有",
        help_en="One row per step, each in a stage; launch, implementation and evaluation "
        "must all be covered",
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
    central_work_other: str = field(
        "其他中心工作",
        en="Other central work",
        help="选了“其他”时写明是哪项工作",
        help_en='Which work, when "Other" is chosen',
        relevant='"其他" in central_work',
        default="",
        max_length=200,
    )
    organisation: str = field(
        "组织领导",
        en="Leadership",
        help="可选:领导小组及分工",
        help_en="Optional: the leading group and who does what",
        widget="textarea",
        default="",
        max_length=3000,
    )
    supervision: str = field(
        "督查机制", en="Supervision", widget="textarea", default="", max_length=3000
    )
    safeguards: str = field(
        "保障措施",
        en="Safeguards",
        help="可选:经费、制度、宣传等保障",
        help_en="Optional: funds, rules, publicity",
        widget="textarea",
        default="",
        max_length=3000,
    )
    budget: float | None = field("经费预算(元)", en="Budget (CNY)", default=None, ge=0, le=1e7)
