"""A demo site's life after its application is approved (S5): 立项 → 实施 → 验收.

States::

    approved (立项) ──start──▶ implementing (实施) ──report──▶ reported (待验收)
                                    ▲                              │
                                    └──────────return──────────────┤
                                                                   └──accept──▶ accepted (验收通过)

The branch that runs the site starts it and hands in its outcome report; a reviewer who does
not belong to that branch accepts the report or returns it with reasons (the branch reports
again). Who may take each step is decided in ``workflow.permissions``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from workflow.models import Record

Action = Literal["approve", "start", "report", "accept", "return"]


class SiteState(StrEnum):
    APPROVED = "approved"  # 立项
    IMPLEMENTING = "implementing"  # 实施
    REPORTED = "reported"  # 成果报告已交, 待验收
    ACCEPTED = "accepted"  # 验收通过


# action → (the state it starts from, the state it leads to)
TRANSITIONS: dict[Action, tuple[SiteState, SiteState]] = {
    "start": (SiteState.APPROVED, SiteState.IMPLEMENTING),
    "report": (SiteState.IMPLEMENTING, SiteState.REPORTED),
    "accept": (SiteState.REPORTED, SiteState.ACCEPTED),
    "return": (SiteState.REPORTED, SiteState.IMPLEMENTING),
}
# Steps the site's own branch takes; the others are a reviewer's.
BRANCH_ACTIONS: frozenset[Action] = frozenset({"start", "report"})


class SiteStep(BaseModel):
    """One step of a site's life: who, when, and the report or reasons it came with."""

    action: Action
    by: str
    at: str
    text: str = ""


class DemoSite(BaseModel):
    """An approved application: the branch, its title and where it stands."""

    submission_id: str
    branch_id: str
    title: str = ""
    state: SiteState = SiteState.APPROVED
    outcome_report: str = ""
    steps: list[SiteStep] = Field(default_factory=list)
    # The approval call that last reserved this place (``DemoSiteRegister.reserve``); only
    # that call may give it back, and only when it added the site itself.
    claim: str = ""

    @property
    def approved_at(self) -> str:
        """When it was approved (立项)."""
        return self.steps[0].at if self.steps else ""


class SiteRegister(Record):
    """The demo sites of one campaign under one quota setting: a single document, so the
    quota is checked and a site added in one revision-checked write."""

    campaign_id: str
    quota_setting: str
    sites: list[DemoSite] = Field(default_factory=list)

    def site(self, submission_id: str) -> DemoSite | None:
        """The site founded by ``submission_id``, if approved."""
        return next((s for s in self.sites if s.submission_id == submission_id), None)
