"""News reports after review (S9): the committee's edits, forwarding and the 先锋工程 column.

States of a form type whose ``FormType.published_news`` is set::

    submitted ──edit (tracked)──▶ submitted ──approve──▶ approved ──forward──▶ forwarded
                                                                                  │
    the 先锋工程 column ◀──────────────────────────────────────────────publish──┘

Submitting, approving and returning are the ordinary ``SubmissionService`` steps (the
``news_report`` rules run on submit). Edits keep what the branch wrote: every change is an
``Edit`` of the submission, the branch's submitted versions stay as they were. Forwarding
(报送学校党委) and publishing (刊发) are steps of the review trail, so who and when is recorded.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from forms.registry import FormRegistry
from forms.specs import field_spec
from forms.validation import validate
from i18n import Lang
from storage.base import Repository
from workflow import permissions
from workflow.attachments import AttachmentService, files_in
from workflow.clock import now_iso
from workflow.errors import InvalidTransition, NotFound, ValidationFailed
from workflow.models import Edit, Review, Status, Submission, TrackedChange, User
from workflow.photos import scaled_blob
from workflow.submission_data import KIND, check_rev, jsonable
from workflow.submissions import SubmissionService
from workflow.version_compare import compare_data

# A report may be edited until it leaves the committee.
EDITABLE_BY_COMMITTEE = frozenset({Status.SUBMITTED, Status.APPROVED})


@dataclass(frozen=True)
class ColumnImage:
    """One image of a published report: its blob key, file name and caption."""

    blob: str
    name: str
    caption: str


@dataclass(frozen=True)
class ColumnEntry:
    """A report as the 先锋工程 column shows it."""

    id: str
    campaign_id: str
    branch_id: str
    branch: str
    title: str
    category: str
    date: str
    body: str
    author: str
    photographer: str
    reviewer: str
    published_at: str
    published_by: str
    forwarded_at: str
    forwarded_by: str
    images: tuple[ColumnImage, ...] = field(default_factory=tuple)


class NewsService:
    """The committee's side of news reports and the column every signed-in user reads."""

    def __init__(
        self,
        repo: Repository,
        submissions: SubmissionService,
        forms: FormRegistry,
        attachments: AttachmentService,
    ) -> None:
        self.repo = repo
        self.submissions = submissions
        self.forms = forms
        self.attachments = attachments

    def news_types(self) -> builtins.list[str]:
        """The form types that go through this pipeline (``FormType.published_news``)."""
        return [ft.name for ft in self.forms.form_types(lambda ft: ft.published_news)]

    def kinds(self, lang: Lang) -> dict[str, str]:
        """The kinds of report (典型事例 / 先进人物 / 活动报道) as the news forms declare their
        ``category`` choices: stored value → text in ``lang``."""
        out: dict[str, str] = {}
        for name in self.news_types():
            spec = field_spec(self.forms.get(name), "category")
            for value in spec.options if spec else ():
                out.setdefault(str(value), spec.option_text(value, lang) if spec else str(value))
        return out

    # -- the committee's steps ---------------------------------------------------------------

    def edit(
        self,
        actor: User,
        submission_id: str,
        expected_rev: int,
        data: Mapping[str, Any],
        note: str = "",
    ) -> Submission:
        """Replace a submitted (or approved, not yet forwarded) report's data with the
        committee's edit, keeping every changed field's old and new value as an ``Edit``.

        The edit must be a valid report (``ValidationFailed``, nothing stored); an edit
        that changes nothing stores nothing. Reviewers of other branches only.
        """
        submission = self._news(actor, submission_id)
        permissions.require(permissions.may_edit_news(actor, submission), actor, "news.denied.edit")
        self._require_status(actor, submission, EDITABLE_BY_COMMITTEE)
        model = self.forms.get(submission.form_type, version=submission.form_version)
        new = self.submissions.bind(model, jsonable(model, data, actor.lang), submission)
        instance, errors = validate(model, new, actor.lang)
        if instance is None or errors:
            raise ValidationFailed(errors, actor.lang)
        new = instance.model_dump(mode="json")
        changes = compare_data(model, submission.data, new, actor.lang)
        if not changes:
            return submission
        submission.data = new
        submission.edits.append(
            Edit(
                editor=actor.login,
                at=now_iso(),
                version=submission.version,
                note=note.strip(),
                changes=[TrackedChange(path=c.path, old=c.old, new=c.new) for c in changes],
            )
        )
        return self.submissions.save(submission, actor, expected_rev)

    def forward(
        self, actor: User, submission_id: str, expected_rev: int, note: str = ""
    ) -> Submission:
        """报送学校党委: an approved report goes up to the school committee; the trail records
        who and when (and ``note``, e.g. to whom)."""
        submission = self._news(actor, submission_id)
        permissions.require(
            permissions.may_forward_news(actor, submission), actor, "news.denied.forward"
        )
        self._require_status(actor, submission, {Status.APPROVED})
        check_rev(submission, expected_rev)
        return self.submissions.decide(
            submission, actor, expected_rev, Status.FORWARDED, "forward", reasons=note
        )

    def publish(self, actor: User, submission_id: str, expected_rev: int) -> Submission:
        """刊发: a forwarded report appears in the 先锋工程 column."""
        submission = self._news(actor, submission_id)
        permissions.require(
            permissions.may_publish_news(actor, submission), actor, "news.denied.publish"
        )
        self._require_status(actor, submission, {Status.FORWARDED})
        check_rev(submission, expected_rev)
        return self.submissions.decide(submission, actor, expected_rev, Status.PUBLISHED, "publish")

    # -- the column ----------------------------------------------------------------------------

    def column(
        self,
        actor: User,
        *,
        branch_id: str | None = None,
        category: str | None = None,
    ) -> builtins.list[ColumnEntry]:
        """The published reports of every campaign, newest first, optionally of one branch
        and one category (典型事例 / 先进人物 / 活动报道). Every active account may read it."""
        permissions.require(permissions.may_read_column(actor), actor, "news.denied.column")
        where: dict[str, Any] = {"status": Status.PUBLISHED.value}
        if branch_id:
            where["branch_id"] = branch_id
        kinds = set(self.news_types())
        names = self._branch_names()
        entries = [
            _entry(Submission.model_validate(doc), names)
            for doc in self.repo.find(KIND, where)
            if doc.get("form_type") in kinds
        ]
        if category:
            entries = [e for e in entries if e.category == category]
        return sorted(entries, key=lambda e: (e.published_at, e.id), reverse=True)

    def entry(self, actor: User, submission_id: str) -> ColumnEntry:
        """One published report (what a share link opens); ``NotFound`` for anything that
        is not published, so a link never shows a report before it is out."""
        permissions.require(permissions.may_read_column(actor), actor, "news.denied.column")
        doc = self.repo.get(KIND, submission_id)
        if (
            doc is None
            or doc.get("status") != Status.PUBLISHED.value
            or doc.get("form_type") not in self.news_types()
        ):
            raise NotFound(KIND, submission_id)
        return _entry(Submission.model_validate(doc), self._branch_names())

    def image(
        self, actor: User, submission_id: str, blob: str, *, longest: int | None = None
    ) -> bytes:
        """The bytes of one image of a report: of a published one for every reader, else for
        those who may see the submission; only blobs the report refers to. ``longest``: the
        photo scaled to at most that many pixels."""
        doc = self.repo.get(KIND, submission_id)
        if doc is None or doc.get("status") != Status.PUBLISHED.value:
            return self.attachments.read(actor, submission_id, blob, longest=longest)
        permissions.require(permissions.may_read_column(actor), actor, "news.denied.column")
        if not any(f.get("blob") == blob for f in files_in(doc.get("data") or {})):
            raise NotFound("blob", blob)
        if longest is not None:
            return scaled_blob(self.repo, blob, longest)
        return self.repo.get_blob(blob)

    # -- internals -----------------------------------------------------------------------------

    def _news(self, actor: User, submission_id: str) -> Submission:
        submission = self.submissions.get(actor, submission_id)
        if submission.form_type not in self.news_types():
            raise InvalidTransition.keyed("news.error.not_news", actor.lang)
        return submission

    def _require_status(
        self, actor: User, submission: Submission, allowed: frozenset[Status] | set[Status]
    ) -> None:
        if submission.status not in allowed:
            raise InvalidTransition.keyed(f"news.error.from_{submission.status.value}", actor.lang)

    def _branch_names(self) -> dict[str, str]:
        return {str(b["id"]): str(b.get("name", "")) for b in self.repo.find("branches")}


def last_step(reviews: builtins.list[Review], decision: str) -> Review | None:
    """The latest step of the trail with ``decision`` (forward, publish …), if any."""
    return next((r for r in reversed(reviews) if r.decision == decision), None)


def _images(data: Mapping[str, Any]) -> builtins.list[ColumnImage]:
    raw = data.get("images")
    return [
        ColumnImage(str(a["blob"]), str(a.get("name", "")), str(a.get("caption", "")))
        for a in (raw if isinstance(raw, list) else [])
        if isinstance(a, Mapping) and a.get("blob")
    ]


def _entry(submission: Submission, branch_names: Mapping[str, str]) -> ColumnEntry:
    data = submission.data
    published = last_step(submission.reviews, "publish")
    forwarded = last_step(submission.reviews, "forward")
    return ColumnEntry(
        id=submission.id,
        campaign_id=submission.campaign_id,
        branch_id=submission.branch_id,
        branch=branch_names.get(submission.branch_id) or str(data.get("branch", "")),
        title=str(data.get("title", "")),
        category=str(data.get("category", "")),
        date=str(data.get("date", "")),
        body=str(data.get("body", "")),
        author=str(data.get("author", "")),
        photographer=str(data.get("photographer", "")),
        reviewer=str(data.get("reviewer", "")),
        published_at=published.at if published else "",
        published_by=published.reviewer if published else "",
        forwarded_at=forwarded.at if forwarded else "",
        forwarded_by=forwarded.reviewer if forwarded else "",
        images=tuple(_images(data)),
    )
