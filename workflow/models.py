"""The core objects (users, branches, campaigns, submissions, reviews) as Pydantic models.

Stored as documents by ``storage``; ``id`` and ``rev`` are owned by the store (``rev`` 0 means
not stored yet).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from forms.fields import field
from i18n import Lang, t


class Role(StrEnum):
    BRANCH = "branch"  # 支部 staff, bound to one branch
    REVIEWER = "reviewer"  # 机关党委 审核员
    ADMIN = "admin"  # 管理员
    READER = "reader"  # 学校党委 / any logged-in reader


class Stage(StrEnum):
    LAUNCH = "launch"
    IMPLEMENT = "implement"
    EVALUATE = "evaluate"


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    FORWARDED = "forwarded"  # news: sent up to the school committee
    PUBLISHED = "published"  # news: in the website column


class Record(BaseModel):
    """Fields the store maintains on every document."""

    model_config = ConfigDict(extra="ignore")

    id: str = ""
    rev: int = 0
    updated_at: str = ""
    updated_by: str = ""


def _labelled(name: str, *, with_help: bool = False, **kwargs: Any) -> Any:
    """A field whose labels are its ``workflow.field.<name>`` messages (and its help
    ``workflow.field.<name>_help``): the admin screens draw them, errors name the field so."""
    key = f"workflow.field.{name}"
    if with_help:
        kwargs.update(help=t(f"{key}_help", "zh"), help_en=t(f"{key}_help", "en"))
    return field(t(key, "zh"), en=t(key, "en"), **kwargs)


def _names(prefix: str, values: type[StrEnum], lang: Lang) -> dict[str, str]:
    """The display texts of an enum's values: the ``<prefix>.<value>`` messages."""
    return {v.value: t(f"{prefix}.{v.value}", lang) for v in values}


class CampaignSettingsFields(BaseModel):
    """The campaign settings an admin types (the admin screen draws this model)."""

    demo_site_quota: int = _labelled("demo_site_quota", default=2, ge=0, le=20)
    spot_check_ratio: float = _labelled("spot_check_ratio", default=0.3, gt=0, le=1)
    budget: float = _labelled("budget", default=0, ge=0)


class CampaignSettings(CampaignSettingsFields):
    # Bounded as the campaign screen's award grid (``workflow.admin_inputs.AwardQuotaInput``)
    # bounds them, so no other way in stores a share above 100% or a negative number.
    award_quotas: dict[str, Annotated[int, Field(ge=0, le=1000)]] = _labelled(
        "award_quotas",
        default_factory=lambda: {"先进党支部": 2, "优秀共产党员": 5, "优秀党务工作者": 3},
    )
    # A share replaces the fixed number: of the branches for a branch award, else of the
    # members of all branches (先进党支部 ≤ 20% of branches, 优秀共产党员 ≤ 3% of members).
    award_shares: dict[str, Annotated[float, Field(gt=0, le=1)]] = _labelled(
        "award_shares", default_factory=lambda: {"先进党支部": 0.2, "优秀共产党员": 0.03}
    )
    branch_awards: list[str] = _labelled("branch_awards", default_factory=lambda: ["先进党支部"])


class StageDates(BaseModel):
    start: dt.date | None = _labelled("start", default=None)
    end: dt.date | None = _labelled("end", default=None)


class CampaignFields(BaseModel):
    """A campaign's own fields as an admin types them (dates and settings are added by
    ``Campaign`` and by the admin screen's model, ``workflow.admin_inputs``)."""

    year: int = _labelled("year", ge=2000, le=2100)
    title: str = _labelled("title", min_length=2, max_length=200)
    stage: Stage = _labelled(
        "stage",
        default=Stage.LAUNCH,
        options_zh=_names("stage", Stage, "zh"),
        options_en=_names("stage", Stage, "en"),
    )


class Campaign(Record, CampaignFields):
    stage_dates: dict[Stage, StageDates] = _labelled("stage_dates", default_factory=dict)
    settings: CampaignSettings = _labelled("settings", default_factory=CampaignSettings)
    previous_campaign_id: str | None = _labelled("previous_campaign_id", default=None)
    # The branches taking part (empty: every branch), and the versions the campaign uses:
    # rule set → published version number (0: the file shipped in rules/), which its forms are
    # checked with (``workflow.rule_checks.rules_in_force``), and form type → form version,
    # which its new forms are filled in. A rule set or form not named uses the one in force.
    branch_ids: list[str] = _labelled("branch_ids", default_factory=list)
    rule_set_versions: dict[str, int] = _labelled("rule_set_versions", default_factory=dict)
    form_versions: dict[str, int] = _labelled("form_versions", default_factory=dict)

    @field_validator("rule_set_versions", mode="before")
    @classmethod
    def _numbers_only(cls, value: Any) -> Any:
        """Campaigns stored before versions were numbers kept ``version · hash`` for reference
        only: such an entry pins nothing, so the campaign goes on using the rules in force."""
        if not isinstance(value, dict):
            return value
        return {k: v for k, v in value.items() if isinstance(v, int) or str(v).isdigit()}


class BranchFields(BaseModel):
    """A branch as an admin types it (the admin screen draws ``workflow.admin_inputs``)."""

    name: str = _labelled("name", min_length=2, max_length=100)
    unit: str = _labelled("unit", default="", max_length=100)
    member_count: int = _labelled("member_count", ge=1, le=1000)
    secretary: str = _labelled("secretary", default="", max_length=50)
    central_work: list[str] = _labelled("central_work", default_factory=list)


class Branch(Record, BranchFields):
    # The names the branch had before it was renamed, oldest first; ``BranchService`` keeps
    # them. Other branches' records name their partners by name, so joint work recorded under
    # an earlier name still belongs to the branch (``workflow.joint_work``).
    former_names: list[str] = _labelled("former_names", default_factory=list)

    @property
    def names(self) -> set[str]:
        """Every name the branch is known by in records: its name and its former names."""
        return {n.strip() for n in [self.name, *self.former_names]} - {""}


class User(Record):
    login: str = _labelled(
        "login", with_help=True, min_length=2, max_length=50, pattern=r"^[A-Za-z0-9_.-]+$"
    )
    display_name: str = _labelled("display_name", min_length=1, max_length=50)
    role: Role = _labelled(
        "role", options_zh=_names("role", Role, "zh"), options_en=_names("role", Role, "en")
    )
    branch_id: str | None = _labelled("branch_id", default=None)
    password_hash: str = ""
    lang: Lang = "zh"
    active: bool = _labelled("active", default=True)
    # +1 whenever the account's access changes (password, role, branch, disabled, restored):
    # a session signed in under an older value must end (``AccountService.acting``).
    session_epoch: int = 0


class Review(BaseModel):
    """One reviewer decision and the rule report it was made beside."""

    reviewer: str
    at: str
    # "submit" entries record the branch's own submissions, so the trail shows every step.
    decision: Literal["submit", "approve", "return", "forward", "publish"]
    reasons: str = ""
    field_reasons: dict[str, str] = Field(default_factory=dict)
    version: int
    report: dict[str, Any] | None = None


class VersionSnapshot(BaseModel):
    """The data as submitted; every submission of a form keeps all of these (S4)."""

    version: int
    data: dict[str, Any]
    submitted_at: str
    submitted_by: str
    report: dict[str, Any] | None = None


class TrackedChange(BaseModel):
    """One field a committee editor changed: its dotted path, the value before and after."""

    path: str
    old: Any = None
    new: Any = None


class Edit(BaseModel):
    """The committee's edit of a submitted news report (tracked changes, S9): who, when,
    on which submitted version, and every field changed."""

    editor: str
    at: str
    version: int
    note: str = ""
    changes: list[TrackedChange] = Field(default_factory=list)


class Submission(Record):
    campaign_id: str
    branch_id: str
    form_type: str
    form_version: int = 1
    stage: Stage
    status: Status = Status.DRAFT
    version: int = 0  # number of times submitted
    data: dict[str, Any] = Field(default_factory=dict)
    report: dict[str, Any] | None = None  # latest rule report (rules.report.RuleReport dump)
    reviews: list[Review] = Field(default_factory=list)
    versions: list[VersionSnapshot] = Field(default_factory=list)
    edits: list[Edit] = Field(default_factory=list)  # the committee's edits of news (S9)
    author: str = ""
    created_at: str = ""

    def title(self) -> str:
        """What the branch called it (its title, topic or theme); "" when it has none."""
        for name in TITLE_FIELDS:
            value = self.data.get(name)
            if isinstance(value, str) and value.strip():
                return value.strip()
        return ""

    def submitted_at(self) -> str:
        """When its latest version was submitted (ISO); "" for a draft never submitted."""
        return self.versions[-1].submitted_at if self.versions else ""


# The fields a form's own name is read from, first found wins (plan title, study topic, theme).
TITLE_FIELDS = ("title", "topic", "theme")


class SpotCheck(Record):
    """One recorded spot-check draw (S3): anyone can re-draw it from ``seed`` and
    ``population`` and get ``sample`` again."""

    campaign_id: str
    form_type: str = "plan"
    seed: int
    ratio: float | None = None  # as asked; None when a count was asked
    count: int | None = None  # as asked; None when a ratio was asked
    size: int  # how many were drawn
    population: list[str]  # submission ids, sorted
    sample: list[str]  # submission ids in draw order
    drawn_by: str
    drawn_at: str


class BulletinPick(BaseModel):
    """A published report picked for a bulletin issue, with the summary printed for it."""

    submission_id: str
    summary: str = Field(default="", max_length=5000)


class BulletinIssue(Record):
    """One issue of 《机关工作简报》 (S10): composed as a draft from published reports, then
    issued — numbered within its year and frozen as the PDF stored under ``pdf_blob``."""

    year: int = Field(ge=2000, le=2100)
    title: str = Field(default="机关工作简报", min_length=1, max_length=50)
    publisher: str = Field(default="机关党委", max_length=100)
    date: dt.date
    status: Literal["draft", "issued"] = "draft"
    number: int | None = None  # given when issued: 1, 2, … within the year
    picks: list[BulletinPick] = Field(default_factory=list)
    headlines: list[str] = Field(default_factory=list)  # of the issued picks, for the archive
    pdf_blob: str = ""
    created_by: str = ""
    issued_by: str = ""
    issued_at: str = ""
