"""What similarity rules ("没有特色") compare a submitted form with, read once per check run.

For one form type in one campaign the corpus is every submitted form of that type in the
campaign (its last submitted version, never a draft or edits not yet resubmitted) plus each
branch's own latest submitted one of the previous campaign (the rules treat carrying on the
branch's own plan as continuity, a note for the reviewer, see ``rules.similarity``).
``others_for(branch)`` is what a branch's form is compared
with: the other branches' forms of this campaign and its own of the previous one.

The live check on submit, the reviewers' batch checks and the rule-set impact preview all read
the corpus here, so they compare with the same documents.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from rules.similarity import Comparable
from storage.base import Repository
from workflow.campaigns import CampaignService
from workflow.models import Status, Submission

KIND = "submissions"
# What other branches' work counts as, for similarity checks and spot-checks.
SUBMITTED_STATES = frozenset(
    {Status.SUBMITTED, Status.RETURNED, Status.APPROVED, Status.FORWARDED, Status.PUBLISHED}
)


@dataclass(frozen=True)
class CorpusEntry:
    """One submitted form as similarity rules see it, and what identifies that content."""

    submission_id: str
    branch_id: str
    version: int
    comparable: Comparable

    @property
    def key(self) -> tuple[str, int, str]:
        """Changes whenever what is compared changes: a resubmission or a renamed branch."""
        return (self.submission_id, self.version, self.comparable.name)


@dataclass(frozen=True)
class SimilarityCorpus:
    """The submitted forms of one form type in one campaign, and the previous campaign's."""

    current: tuple[CorpusEntry, ...] = ()
    previous: Mapping[str, CorpusEntry] | None = None  # branch id → its latest submitted one

    def others_for(self, branch_id: str) -> list[Comparable]:
        """What ``branch_id``'s form is compared with: the other branches' forms of this
        campaign, then its own of the previous campaign."""
        others = [e.comparable for e in self.current if e.branch_id != branch_id]
        own = (self.previous or {}).get(branch_id)
        if own is not None:
            others.append(own.comparable)
        return others

    @cached_property
    def digest(self) -> str:
        """A hash of everything in the current campaign's part (for cache keys)."""
        return _digest(e.key for e in self.current)

    def key_for(self, branch_id: str) -> Hashable:
        """Equal for two corpora exactly when ``others_for(branch_id)`` compares with the
        same documents (cache keys of similarity results)."""
        own = (self.previous or {}).get(branch_id)
        return (self.digest, branch_id, own.key if own is not None else None)


def _digest(keys: Any) -> str:
    return hashlib.sha256(repr(sorted(keys)).encode()).hexdigest()


Reader = Callable[[Mapping[str, str]], list[Submission]]


def load_corpus(
    repo: Repository,
    campaigns: CampaignService,
    campaign_id: str,
    form_type: str,
    branch_id: str | None = None,
    *,
    read: Reader | None = None,
) -> SimilarityCorpus:
    """The corpus of ``form_type`` in ``campaign_id``; with ``branch_id``, the previous
    campaign's part holds that branch's form only (what one submit needs).

    Reads the store by campaign, form type (and branch) only, never every stored document;
    ``read`` (default: ``read_submitted`` of ``repo``) gives the submitted forms, oldest first,
    of a ``where`` (a check run passes one that reuses what it already parsed).
    """
    read = read or (lambda where: read_submitted(repo, where))
    campaign = campaigns.get(campaign_id)
    names = {str(b["id"]): str(b.get("name") or b["id"]) for b in repo.find("branches")}
    current = tuple(
        _entry(s, campaign.title, names)
        for s in read({"campaign_id": campaign_id, "form_type": form_type})
    )
    previous: dict[str, CorpusEntry] = {}
    earlier = campaigns.previous(campaign)
    if earlier is not None:
        where = {"campaign_id": earlier.id, "form_type": form_type}
        if branch_id is not None:
            where["branch_id"] = branch_id
        for submission in read(where):  # oldest first: the latest one stays
            entry = _entry(submission, earlier.title, names)
            previous[entry.branch_id] = entry
    return SimilarityCorpus(tuple(e for e in current if e.comparable.data), previous)


def read_submitted(repo: Repository, where: Mapping[str, Any]) -> list[Submission]:
    """The submitted forms (never drafts) matching ``where``, oldest first."""
    found = [Submission.model_validate(d) for d in repo.find(KIND, where)]
    return by_age([s for s in found if s.status in SUBMITTED_STATES])


def by_age(submissions: Iterable[Submission]) -> list[Submission]:
    """Oldest first, as every list of submissions is shown."""
    return sorted(submissions, key=lambda s: (s.created_at, s.id))


def submitted_data(submission: Submission | Mapping[str, Any]) -> dict[str, Any]:
    """The data of a submission's last submitted version (what its report checked), from the
    model or the stored document; its current data when it was never submitted."""
    if isinstance(submission, Submission):
        return dict(submission.versions[-1].data if submission.versions else submission.data)
    versions = submission.get("versions") or []
    if versions:
        return dict(versions[-1].get("data") or {})
    return dict(submission.get("data") or {})


def as_submitted(submission: Submission) -> Submission:
    """``submission`` as last submitted: its data and report those of its last submitted
    version, so a returned record being revised counts as it was sent, never with edits its
    branch has not sent yet; a draft, or a record never submitted, as it is. What every count
    and chart of submitted work reads (``StatisticsService.count``, the dashboards)."""
    if submission.status == Status.DRAFT or not submission.versions:
        return submission
    last = submission.versions[-1]
    return submission.model_copy(
        update={"data": submitted_data(submission), "report": last.report or submission.report}
    )


def _entry(submission: Submission, campaign_title: str, names: Mapping[str, str]) -> CorpusEntry:
    """A submitted form named by campaign and branch (the id when the branch is gone)."""
    branch_name = names.get(submission.branch_id, submission.branch_id)
    comparable = Comparable(
        name=f"{campaign_title} · {branch_name}",
        branch=branch_name,
        data=submitted_data(submission),
    )
    return CorpusEntry(submission.id, submission.branch_id, submission.version, comparable)
