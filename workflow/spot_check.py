"""Spot-checks of branch plans (抽查, S3): a reproducible random sample with its seed on record.

The population is every plan of the campaign that has been submitted (also if since returned
or approved), sorted by id; the sample is ``random.Random(seed).sample(population, size)``.
The seed, the ratio or count asked, the population and the sample are stored, so anyone can
re-draw and see the same sample (``reproduce``) — the proof that nobody picked by hand.
"""

from __future__ import annotations

import builtins
import math
import random
import secrets

from i18n import t
from storage.base import Repository
from workflow import permissions
from workflow.campaigns import CampaignService
from workflow.clock import now_iso
from workflow.errors import NotFound, NothingToDraw, ValidationFailed
from workflow.models import SpotCheck, Status, User

KIND = "spot_checks"
POPULATION_STATES = frozenset(
    {Status.SUBMITTED.value, Status.APPROVED.value, Status.RETURNED.value}
)


def sample_size(population: int, ratio: float) -> int:
    """How many of ``population`` a ``ratio`` draws: rounded up, at least one."""
    # round() first so 0.3 × 10 (3.0000000000000004) draws 3, not 4.
    return max(1, min(population, math.ceil(round(ratio * population, 9))))


def draw_sample(population: builtins.list[str], size: int, seed: int) -> builtins.list[str]:
    """The sample a seed draws from a population (the one formula both draw and reproduce use)."""
    return random.Random(seed).sample(sorted(population), size)


class SpotCheckService:
    """Draw, list and reproduce spot-checks; stored in kind ``spot_checks``."""

    def __init__(self, repo: Repository, campaigns: CampaignService | None = None) -> None:
        self.repo = repo
        self.campaigns = campaigns or CampaignService(repo)

    def draw(
        self,
        actor: User,
        *,
        campaign_id: str,
        ratio: float | None = None,
        count: int | None = None,
        form_type: str = "plan",
    ) -> SpotCheck:
        """Draw and record a sample of submitted plans (reviewers only).

        Give ``ratio`` (0 < ratio ≤ 1, rounded up) or ``count``, not both; with neither the
        campaign's ``spot_check_ratio`` applies. The seed always comes from the system
        (``secrets.randbits(32)``), never from the caller, and the draw is stored before it
        is returned, so a reviewer can neither pick the sample nor hide a draw. Raises
        ``NothingToDraw`` when no plan has been submitted and ``ValidationFailed`` for a
        ratio or count out of range.
        """
        permissions.require(
            permissions.may_draw_spot_check(actor), actor, "workflow.denied.spot_check"
        )
        lang = actor.lang
        campaign = self.campaigns.get(campaign_id)
        if ratio is not None and count is not None:
            raise ValidationFailed({"count": t("workflow.spot_check.ratio_or_count", lang)})
        population = sorted(
            str(d["id"])
            for d in self.repo.find(
                "submissions", {"campaign_id": campaign_id, "form_type": form_type}
            )
            if d.get("status") in POPULATION_STATES
        )
        if not population:
            raise NothingToDraw.keyed("workflow.spot_check.nothing_to_draw", lang)
        if count is not None:
            if not 1 <= count <= len(population):
                raise ValidationFailed(
                    {"count": t("workflow.spot_check.count_range", lang, n=len(population))}
                )
            size = count
        else:
            asked = campaign.settings.spot_check_ratio if ratio is None else ratio
            if not 0 < asked <= 1:
                raise ValidationFailed({"ratio": t("workflow.spot_check.ratio_range", lang)})
            ratio = asked
            size = sample_size(len(population), asked)
        seed = secrets.randbits(32)
        record = SpotCheck(
            campaign_id=campaign_id,
            form_type=form_type,
            seed=seed,
            ratio=ratio,
            count=count,
            size=size,
            population=population,
            sample=draw_sample(population, size, seed),
            drawn_by=actor.login,
            drawn_at=now_iso(),
        )
        doc = record.model_dump(mode="json", exclude={"id", "rev", "updated_at", "updated_by"})
        return SpotCheck.model_validate(self.repo.insert(KIND, doc, actor=actor.login))

    def list(self, actor: User, campaign_id: str) -> builtins.list[SpotCheck]:
        """The campaign's spot-checks, newest first (reviewers, admins, readers)."""
        permissions.require(
            permissions.may_view_spot_checks(actor), actor, "workflow.denied.spot_check_view"
        )
        checks = [
            SpotCheck.model_validate(d) for d in self.repo.find(KIND, {"campaign_id": campaign_id})
        ]
        return sorted(checks, key=lambda c: c.drawn_at, reverse=True)

    def get(self, actor: User, spot_check_id: str) -> SpotCheck:
        """One recorded spot-check; raises ``NotFound``."""
        permissions.require(
            permissions.may_view_spot_checks(actor), actor, "workflow.denied.spot_check_view"
        )
        doc = self.repo.get(KIND, spot_check_id)
        if doc is None:
            raise NotFound(KIND, spot_check_id)
        return SpotCheck.model_validate(doc)

    def reproduce(self, actor: User, spot_check_id: str) -> builtins.list[str]:
        """Re-draw a recorded spot-check from its seed and population; equals its ``sample``
        unless the record was tampered with."""
        record = self.get(actor, spot_check_id)
        return draw_sample(record.population, record.size, record.seed)
