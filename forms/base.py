"""The base class of every form model and the attachment record they share."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from forms.fields import field

# Attachments are images and scans of sign-in sheets; 10 MB covers a phone photo.
DEFAULT_ATTACHMENT_TYPES = [".jpg", ".jpeg", ".png", ".pdf"]
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


class FormModel(BaseModel):
    """A form type: one Pydantic model per form, registered in a ``forms.registry.FormRegistry``.

    Class variables describe the form as a whole; fields describe themselves through
    ``forms.fields.field``.
    """

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    form_type: ClassVar[str]
    title_zh: ClassVar[str]
    title_en: ClassVar[str]
    stage: ClassVar[str]  # launch | implement | evaluate
    # Name of the rule set (rules/<name>.yaml) that checks this form, if any.
    ruleset: ClassVar[str | None] = None
    form_version: ClassVar[int] = 1
    # A branch writes one per campaign (further edits go to the same submission).
    one_per_campaign: ClassVar[bool] = False
    # A branch that has none is reminded on its home page.
    remind_if_missing: ClassVar[bool] = False
    # The figure of ``forms.evaluate.SummaryStatistics`` each submitted one adds to, if any
    # (a count; ``demo_site``: the furthest status of the branch's applications).
    counted_in: ClassVar[str | None] = None
    # The campaign setting (a ``CampaignSettings`` field) capping how many may be approved per
    # campaign; approvals beyond it are refused, also when reviewers approve at once.
    approval_quota: ClassVar[str | None] = None
    # An approved one becomes a demo site (示范点): funded from the campaign budget, carried
    # out and accepted (立项 → 实施 → 验收).
    founds_demo_site: ClassVar[bool] = False
    # Where a submitted one shows on a demo site's page (以点带面): "activities" or "news".
    outreach: ClassVar[str | None] = None
    # The fields of an approved one every account reads on the demo site's page (以点带面): what
    # the site is about and what it aims for; the rest (reasons, money asked for) stays private.
    showcase_fields: ClassVar[tuple[str, ...]] = ()
    # The field naming partner branches or units; a record with partners is joint work.
    partners_field: ClassVar[str | None] = None
    # Each one nominates its branch or a member for an award (S12): ranked, selected, 公示.
    nominates: ClassVar[bool] = False
    # The field in which a branch names its weak points (the summary's 不足之处): next year's
    # forms that recall them show it to the branch as a reminder.
    weak_points: ClassVar[str | None] = None
    # Beside this form its branch sees the weak points it named in the previous campaign.
    recalls_weak_points: ClassVar[bool] = False
    # Approved ones go up to the school committee and into the 先锋工程 column (news, S9):
    # the form then has title, category, date, body, credits and images like ``NewsReport``.
    published_news: ClassVar[bool] = False
    # The activity list of a branch's pages a record shows in (S7, S8): "theme" (主题实践),
    # "innovation" (创新活动) or "posts" (党员先进岗、优质岗).
    activity_list: ClassVar[str | None] = None

    @classmethod
    def title_in(cls, lang: str) -> str:
        """The form's title in ``lang`` (English falls back to Chinese)."""
        return (cls.title_en or cls.title_zh) if lang == "en" else cls.title_zh


class Attachment(BaseModel):
    """A file kept in the blob store; the form keeps only this reference."""

    model_config = ConfigDict(extra="forbid")

    name: str = field("文件名", en="File name", min_length=1, max_length=200)
    content_type: str = field("类型", en="Content type", default="application/octet-stream")
    size: int = field("大小(字节)", en="Size (bytes)", ge=0)
    blob: str = field("存储键", en="Blob key", min_length=1, max_length=128)
    caption: str = field("图片说明", en="Caption", default="", max_length=200)
