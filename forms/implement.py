"""Stage 2 forms (实施阶段): demo-site applications, theme and innovation activities, news."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import model_validator

from forms.base import DEFAULT_MAX_BYTES, Attachment, FormModel
from forms.errors import CrossFieldError
from forms.fields import field
from forms.launch import CENTRAL_WORK_EN, CentralWork


class DemoSiteApplication(FormModel):
    """示范点申报 — a branch applies to be one of the campaign's demo sites (S5, S6)."""

    form_type = "demo_site"
    title_zh = "示范点申报表"
    title_en = "Demo site application"
    stage = "implement"
    ruleset = "demo_site"
    approval_quota = "demo_site_quota"
    founds_demo_site = True
    counted_in = "demo_site"
    showcase_fields = ("plan_summary", "expected_outcomes")

    branch: str = field("支部", en="Branch", bound="branch", min_length=1, max_length=100)
    title: str = field("示范点名称", en="Demo site title", min_length=2, max_length=200)
    central_work: list[CentralWork] = field(
        "与学校中心工作的关系",
        en="Ties to central work",
        widget="multiselect",
        options_en=CENTRAL_WORK_EN,
        default_factory=list,
    )
    reasons: str = field("申报理由", en="Reasons", widget="textarea", default="", max_length=5000)
    plan_summary: str = field(
        "建设思路与措施", en="Approach and measures", widget="textarea", default="", max_length=5000
    )
    expected_outcomes: str = field(
        "预期成效", en="Expected outcomes", widget="textarea", default="", max_length=3000
    )
    budget_requested: float = field(
        "申请经费(元)", en="Funding requested (CNY)", ge=0, le=1e6, default=0
    )
    earlier_project_unfinished: bool = field(
        "往期项目尚未验收", en="An earlier project is not yet accepted", default=False
    )


class ThemeActivity(FormModel):
    """主题实践活动 — an activity around the school's central work (S7)."""

    form_type = "theme_activity"
    title_zh = "主题实践活动记录"
    title_en = "Theme practice activity"
    stage = "implement"
    ruleset = "theme_activity"
    counted_in = "theme_activities"
    outreach = "activities"
    activity_list = "theme"

    branch: str = field("支部", en="Branch", bound="branch", min_length=1, max_length=100)
    theme: str = field("活动主题", en="Theme", min_length=2, max_length=200)
    date: dt.date = field("活动日期", en="Date")
    forms: list[str] = field(
        "活动形式",
        en="Forms",
        help="如:参观学习、志愿服务、座谈、竞赛",
        help_en="e.g. visits, volunteering, forums, contests",
        widget="tags",
        default_factory=list,
    )
    central_work: list[CentralWork] = field(
        "围绕的中心工作",
        en="Central work",
        widget="multiselect",
        options_en=CENTRAL_WORK_EN,
        default_factory=list,
    )
    participants: int = field("参加人数", en="Participants", ge=0, le=10000)
    description: str = field(
        "活动情况", en="Description", widget="textarea", default="", max_length=5000
    )
    photos: list[Attachment] = field(
        "活动照片",
        en="Photos",
        widget="file",
        accept=[".jpg", ".jpeg", ".png"],
        max_bytes=DEFAULT_MAX_BYTES,
        default_factory=list,
    )


class InnovationActivity(FormModel):
    """创新能力建设活动 — raising skills, management, service and work style (S8)."""

    form_type = "innovation_activity"
    title_zh = "创新能力建设活动"
    title_en = "Innovation-capacity activity"
    stage = "implement"
    counted_in = "innovation_activities"
    outreach = "activities"
    partners_field = "partner_branches"
    activity_list = "innovation"

    branch: str = field("支部", en="Branch", bound="branch", min_length=1, max_length=100)
    title: str = field("活动名称", en="Title", min_length=2, max_length=200)
    area: Literal["业务素质", "管理水平", "服务质量", "工作作风"] = field(
        "建设方向",
        en="Area",
        widget="radio",
        options_en={
            "业务素质": "Professional skills",
            "管理水平": "Management",
            "服务质量": "Service quality",
            "工作作风": "Work style",
        },
    )
    posts: list[Literal["党员先进岗", "优质岗"]] = field(
        "创岗类型",
        en="Member posts",
        widget="multiselect",
        options_en={"党员先进岗": "Party member model post", "优质岗": "Quality service post"},
        default_factory=list,
    )
    mode: Literal["本支部独立开展", "跨支部联合", "与院系联合"] = field(
        "开展方式",
        en="Mode",
        widget="radio",
        options_en={
            "本支部独立开展": "By this branch alone",
            "跨支部联合": "Jointly with other branches",
            "与院系联合": "Jointly with a school department",
        },
        default="本支部独立开展",
    )
    partner_branches: list[str] = field(
        "合作支部",
        en="Partner branches",
        help="从支部名单中选择;提交后,活动也显示在合作支部的页面上并为其计数",
        help_en="Pick from the branch list; once submitted the activity shows on each partner's "
        "pages and counts for it too",
        widget="multiselect",
        choices="branches",
        relevant='mode == "跨支部联合"',
        default_factory=list,
        max_length=50,
    )
    partners: str = field(
        "合作院系",
        en="Partner department",
        relevant='mode == "与院系联合"',
        default="",
        max_length=500,
    )
    start: dt.date = field("开始日期", en="Start")
    end: dt.date = field("结束日期", en="End")
    description: str = field(
        "活动内容", en="Description", widget="textarea", default="", max_length=5000
    )
    outcomes: str = field("成效", en="Outcomes", widget="textarea", default="", max_length=3000)

    @model_validator(mode="after")
    def _dates_and_partners(self) -> InnovationActivity:
        _in_order(self.start, self.end)
        if self.mode == "跨支部联合" and not self.partner_branches:
            raise CrossFieldError(
                "跨支部联合开展的活动请选择合作支部",
                fields=("partner_branches",),
                message_en="A joint activity with other branches needs its partner branches; "
                "please pick them",
            )
        if self.mode == "与院系联合" and not self.partners:
            raise CrossFieldError(
                "与院系联合开展的活动请填写合作院系",
                fields=("partners",),
                message_en="A joint activity with a department needs its name; please fill it in",
            )
        return self


class MemberPost(FormModel):
    """党员先进岗 / 优质岗 — a member's post, commitment and assessment (S8)."""

    form_type = "member_post"
    title_zh = "党员先进岗、优质岗"
    title_en = "Member model post"
    stage = "implement"
    counted_in = "innovation_posts"
    activity_list = "posts"

    branch: str = field("支部", en="Branch", bound="branch", min_length=1, max_length=100)
    member: str = field("党员", en="Member", min_length=1, max_length=50)
    post: Literal["党员先进岗", "优质岗"] = field(
        "创岗类型",
        en="Kind of post",
        widget="radio",
        options_en={"党员先进岗": "Party member model post", "优质岗": "Quality service post"},
    )
    position: str = field(
        "岗位",
        en="Position",
        help="如:财务报销窗口",
        help_en="e.g. the expenses desk",
        min_length=1,
        max_length=100,
    )
    commitment: str = field(
        "承诺", en="Commitment", widget="textarea", min_length=1, max_length=2000
    )
    start: dt.date = field("开始日期", en="Start")
    end: dt.date = field("结束日期", en="End")
    assessment: Literal["待考核", "优秀", "合格", "基本合格", "不合格"] = field(
        "考核结果",
        en="Assessment",
        widget="select",
        options_en={
            "待考核": "Not yet assessed",
            "优秀": "Excellent",
            "合格": "Satisfactory",
            "基本合格": "Mostly satisfactory",
            "不合格": "Unsatisfactory",
        },
        default="待考核",
    )
    assessment_note: str = field(
        "考核评价", en="Assessment remarks", widget="textarea", default="", max_length=2000
    )

    @model_validator(mode="after")
    def _dates(self) -> MemberPost:
        _in_order(self.start, self.end)
        return self


def _in_order(start: dt.date, end: dt.date) -> None:
    """A period's end may not come before its start."""
    if end < start:
        raise CrossFieldError(
            "结束日期早于开始日期,请调整日期",
            fields=("start", "end"),
            message_en="The end date is before the start date; please adjust the dates",
        )


class NewsReport(FormModel):
    """通讯报道 — branch → committee review → school committee → website column (S9)."""

    form_type = "news_report"
    title_zh = "通讯报道"
    title_en = "News report"
    stage = "implement"
    counted_in = "news_reports"
    ruleset = "news_report"
    outreach = "news"
    published_news = True

    branch: str = field("支部", en="Branch", bound="branch", min_length=1, max_length=100)
    title: str = field("标题", en="Headline", min_length=2, max_length=100)
    category: Literal["活动报道", "典型事例", "先进人物"] = field(
        "类别",
        en="Category",
        widget="radio",
        options_en={
            "活动报道": "Activity report",
            "典型事例": "Typical case",
            "先进人物": "Exemplary person",
        },
        default="活动报道",
    )
    date: dt.date = field("日期", en="Date")
    body: str = field("正文", en="Body", widget="textarea", default="", max_length=20000)
    author: str = field("撰稿", en="Author", default="", max_length=50)
    photographer: str = field("摄影", en="Photographer", default="", max_length=50)
    reviewer: str = field("审稿", en="Reviewed by", default="", max_length=50)
    images: list[Attachment] = field(
        "图片",
        en="Images",
        widget="file",
        accept=[".jpg", ".jpeg", ".png"],
        max_bytes=DEFAULT_MAX_BYTES,
        default_factory=list,
    )
