"""Theme practice and innovation activities, member posts (S7, S8): each branch's lists.

A branch's lists hold its own records of the form types that declare ``activity_list``
(``theme``, ``innovation``, ``posts``) and, beside its innovation activities, the joint ones
other branches ran with it (``workflow.joint_work``): those show on every partner's pages and
count for each, once submitted (``permissions.may_view_as_partner``). Who may read a branch's
lists is ``permissions.may_view_branch_records``; its drafts are seen by its own staff only.

The variety of a branch's theme activities is the set of activity forms they name; a theme
nearly repeating another branch's is the ``theme_activity`` rule set's similarity warning,
kept in each record's report (the one similarity machinery, ``rules.similarity``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from pydantic import BaseModel, Field

from forms.registry import FormRegistry
from rules.report import RuleReport
from storage.base import Repository
from workflow import permissions
from workflow.accounts import acting_user
from workflow.branches import BranchService
from workflow.joint_work import ids_by_name, partner_records, submitted_partners
from workflow.models import Branch, Status, Submission, User
from workflow.submission_data import as_seen
from workflow.submissions import SubmissionService

LISTS = ("theme", "innovation", "posts")
# The field of a theme activity naming its forms of activity (参观学习、志愿服务 …).
FORMS_FIELD = "forms"


class BranchActivities(BaseModel):
    """One branch's activity lists in one campaign, as the reader may see them."""

    branch_id: str
    branch: str
    theme: list[Submission] = Field(default_factory=list)
    innovation: list[Submission] = Field(default_factory=list)
    joint: list[Submission] = Field(default_factory=list)  # other branches', naming this one
    posts: list[Submission] = Field(default_factory=list)
    forms_used: dict[str, int] = Field(default_factory=dict)  # activity form → times used
    warnings: dict[str, list[str]] = Field(default_factory=dict)  # record id → rule warnings

    def counted(self, kind: str) -> int:
        """Records of list ``kind`` that count (not drafts); innovation with the joint ones
        other branches ran with this branch."""
        own = sum(1 for s in getattr(self, kind) if s.status != Status.DRAFT)
        return own + (len(self.joint) if kind == "innovation" else 0)


class ActivityService:
    """Reads the activity lists of branches; records are written through ``SubmissionService``."""

    def __init__(
        self,
        repo: Repository,
        submissions: SubmissionService,
        forms: FormRegistry,
        branches: BranchService,
    ) -> None:
        self.repo = repo
        self.submissions = submissions
        self.forms = forms
        self.branches = branches

    def form_types(self, kind: str) -> list[str]:
        """The form types listed under ``kind`` (``theme`` | ``innovation`` | ``posts``)."""
        return [ft.name for ft in self.forms.form_types(lambda ft: ft.activity_list == kind)]

    def branch(self, actor: User, campaign_id: str, branch_id: str) -> BranchActivities:
        """``branch_id``'s lists in ``campaign_id``; ``PermissionDenied`` unless ``actor`` may
        read that branch's records (its own staff, or any non-branch role)."""
        actor = acting_user(self.repo, actor)
        permissions.require(
            permissions.may_view_branch_records(actor, branch_id),
            actor,
            "workflow.denied.statistics",
        )
        branches = {b.id: b for b in self.branches.list()}
        own = branches.get(branch_id)
        result = BranchActivities(branch_id=branch_id, branch=own.name if own else branch_id)
        for kind in LISTS:
            records: list[Submission] = getattr(result, kind)
            for form_type in self.form_types(kind):
                records.extend(
                    self.submissions.list(
                        actor, campaign_id=campaign_id, form_type=form_type, branch_id=branch_id
                    )
                )
        result.joint = self._joint(actor, campaign_id, branch_id, branches)
        result.forms_used = dict(Counter(_forms_of(result.theme)).most_common())
        for record in [*result.theme, *result.innovation, *result.posts]:
            found = _warnings(record, actor.lang)
            if found:
                result.warnings[record.id] = found
        return result

    def overview(self, actor: User, campaign_id: str) -> list[BranchActivities]:
        """Every branch's lists, by branch name (the committee's view); ``PermissionDenied``
        for branch staff, who read their own branch's through ``branch``."""
        actor = acting_user(self.repo, actor)
        permissions.require(
            permissions.may_view_every_branch(actor), actor, "workflow.denied.statistics"
        )
        return [self.branch(actor, campaign_id, b.id) for b in self.branches.list()]

    def _joint(
        self, actor: User, campaign_id: str, branch_id: str, branches: dict[str, Branch]
    ) -> list[Submission]:
        """Other branches' submitted joint activities naming ``branch_id`` (by any of its
        names), oldest first, as ``actor`` may read them (last submitted while their branch
        revises them)."""
        ids = ids_by_name(branches.values())
        shown: list[Submission] = []
        own = branches.get(branch_id)
        records = partner_records(
            self.repo, self.forms, campaign_id, branch_id, own.names if own else set()
        )
        for record in records:
            field = str(self.forms.form_type(record.form_type).partners_field)
            partner_ids = {ids[n] for n in submitted_partners(record, field) if n in ids}
            if permissions.may_view_as_partner(
                actor, record, partner_ids
            ) or permissions.may_view_submission(actor, record):
                shown.append(as_seen(actor, record))
        return shown


def _forms_of(records: Iterable[Submission]) -> Iterable[str]:
    """Each record's activity forms, once per record; drafts are not yet activities done."""
    for record in records:
        value = record.data.get(FORMS_FIELD) if record.status != Status.DRAFT else None
        if isinstance(value, list):
            yield from dict.fromkeys(str(v).strip() for v in value if str(v).strip())


def _warnings(record: Submission, lang: str) -> list[str]:
    """The messages of the rules that failed in the record's last check."""
    if record.report is None:
        return []
    report = RuleReport.model_validate(record.report)
    return [r.message_en if lang == "en" and r.message_en else r.message for r in report.failures()]
