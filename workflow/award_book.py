"""What the committee decides about awards in one campaign (S12), kept as one stored document
per campaign (kind ``awards``): the nominations selected, the 公示 period, the objections.

One document means every change is one compare-and-set on its revision, so two reviewers
selecting at once can never both take the last place of a quota (``workflow.awards``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

from pydantic import BaseModel, Field

from workflow.models import Branch, CampaignSettings, Record

KIND = "awards"


class Selection(BaseModel):
    """A nomination the committee selected for its award (拟表彰)."""

    submission_id: str
    award: str
    branch_id: str
    branch: str = ""
    nominee: str = ""
    score: float | None = None
    grade: str | None = None
    selected_by: str = ""
    selected_at: str = ""


class Objection(BaseModel):
    """An objection raised during the 公示 period and how it was resolved."""

    id: str
    submission_id: str
    text: str
    raised_by: str
    raised_at: str
    resolved: bool = False
    upheld: bool = False  # upheld: the selection is withdrawn
    resolution: str = ""
    resolved_by: str = ""
    resolved_at: str = ""


class Notice(BaseModel):
    """The 公示 period, both days included."""

    start: dt.date
    end: dt.date


class AwardBook(Record):
    campaign_id: str
    selections: list[Selection] = Field(default_factory=list)
    notice: Notice | None = None
    objections: list[Objection] = Field(default_factory=list)

    def selected(self, award: str) -> list[Selection]:
        """The selections for ``award``."""
        return [s for s in self.selections if s.award == award]

    def open_objections(self) -> list[Objection]:
        """Objections not resolved yet."""
        return [o for o in self.objections if not o.resolved]


def book_id(campaign_id: str) -> str:
    """The id of a campaign's award book."""
    return f"awards-{campaign_id}"


def quotas(settings: CampaignSettings, branches: Iterable[Branch]) -> dict[str, int]:
    """Places per award: a share of the branches (branch awards) or of the members (others)
    where the campaign sets one (``award_shares``), else the fixed ``award_quotas``."""
    branch_list = list(branches)
    members = sum(b.member_count for b in branch_list)
    places = dict(settings.award_quotas)
    for award, share in settings.award_shares.items():
        base = len(branch_list) if award in settings.branch_awards else members
        places[award] = math.floor(share * base + 1e-9)
    return places
