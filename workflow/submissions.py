"""Submissions: drafts, submit with rule checks, review (approve / return), versions (S1–S4).

States::

    draft ──submit──▶ submitted ──approve──▶ approved
                          │
                          └──return──▶ returned ──(edit, submit)──▶ submitted (version + 1)

Only the branch's own staff edit and submit; only reviewers from other branches approve or
return. Every submit, approve and return appends a ``Review`` to the submission's trail, and the
store audits every write. Every submitted version is kept as a ``VersionSnapshot``.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import Any, Literal

from forms.base import FormModel
from forms.binding import BRANCH, STATISTICS, bind, bound_fields
from forms.form_type import FormType
from forms.registry import FormRegistry, UnknownFormType
from forms.validation import prepare, unstorable_errors, validate
from i18n import Lang, t
from rules.report import RuleReport
from storage.base import Repository
from storage.errors import AlreadyExists
from workflow import permissions
from workflow.accounts import acting_user
from workflow.campaigns import CampaignService
from workflow.choice_sources import choice_errors
from workflow.clock import now_iso
from workflow.conflicts import MergeOutcome, merge_edits
from workflow.demo_site_register import DemoSiteRegister
from workflow.errors import (
    Conflict,
    InvalidTransition,
    NotFound,
    RulesFailed,
    ValidationFailed,
)
from workflow.field_roles import refuse_foreign_changes, require_field_role, reserved_fields
from workflow.form_types import standard_forms
from workflow.models import Review, Stage, Status, Submission, User, VersionSnapshot
from workflow.rule_checks import Comparable, blocking_failures, check_form, rules_in_force
from workflow.similarity_corpus import SUBMITTED_STATES, load_corpus, submitted_data
from workflow.statistics import StatisticsService
from workflow.store_calls import stored_update
from workflow.submission_data import (
    KIND,
    as_seen,
    check_rev,
    checked_data,
    jsonable,
    one_per_campaign_id,
    version_data,
)
from workflow.version_compare import FieldChange, compare_data

EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})
__all__ = ["SUBMITTED_STATES", "SubmissionService"]


class SubmissionService:
    """Every form a branch fills goes through here, whatever its form type."""

    def __init__(
        self,
        repo: Repository,
        campaigns: CampaignService | None = None,
        forms: FormRegistry | None = None,
        sites: DemoSiteRegister | None = None,
        statistics: StatisticsService | None = None,
    ) -> None:
        """``forms``: the form types submissions are filled in (default: ``standard_forms()``;
        ``build_services`` passes the store's registry, with the forms its admins defined).
        ``statistics``: what fills fields bound to the branch's figures (a summary's 数据统计)."""
        self.repo = repo
        self.campaigns = campaigns or CampaignService(repo)
        self.forms = forms if forms is not None else standard_forms()
        self.sites = sites or DemoSiteRegister(repo, self.campaigns)
        self.statistics = statistics or StatisticsService(repo, self.forms)

    # -- reading ---------------------------------------------------------------------------

    def list(
        self,
        actor: User,
        *,
        campaign_id: str,
        form_type: str | None = None,
        status: Status | str | None = None,
        branch_id: str | None = None,
    ) -> list[Submission]:
        """The submissions of a campaign ``actor`` may see, oldest first.

        Branch staff see only their own branch's; everyone else sees all but other branches'
        drafts (a draft is seen by its own branch only).
        """
        actor = acting_user(self.repo, actor)
        where: dict[str, Any] = {"campaign_id": campaign_id}
        if form_type:
            where["form_type"] = form_type
        if status:
            where["status"] = Status(status).value
        if branch_id := branch_id or permissions.own_branch_only(actor):
            where["branch_id"] = branch_id
        found = (Submission.model_validate(d) for d in self.repo.find(KIND, where))
        visible = [as_seen(actor, s) for s in found if permissions.may_view_submission(actor, s)]
        return sorted(visible, key=lambda s: (s.created_at, s.id))

    def form_for(self, campaign_id: str, form_type: str) -> type[FormModel]:
        """The version of ``form_type`` new forms of ``campaign_id`` are filled in: the one
        the campaign records (``Campaign.form_versions``), else the current one. ``NotFound``
        for an unknown campaign."""
        kind = self._form_type(form_type)
        version = self.campaigns.get(campaign_id).form_versions.get(form_type)
        return kind.at(version) if version in kind.versions else kind.model

    def get(self, actor: User, submission_id: str) -> Submission:
        """One submission; raises ``NotFound`` or ``PermissionDenied`` (not yours to see, or
        ``SessionEnded``: the account was disabled or changed since ``actor`` was read).
        Anyone but its branch sees a returned submission as last submitted (``as_seen``)."""
        actor = acting_user(self.repo, actor)
        submission = self.load(submission_id)
        permissions.require(
            permissions.may_view_submission(actor, submission), actor, "workflow.denied.view"
        )
        return as_seen(actor, submission)

    # -- the branch's side -----------------------------------------------------------------

    def save_draft(
        self,
        actor: User,
        *,
        campaign_id: str,
        form_type: str,
        data: Mapping[str, Any],
        submission_id: str | None = None,
        expected_rev: int | None = None,
    ) -> Submission:
        """Save what the branch typed, valid or not (nothing typed is ever lost).

        Without ``submission_id`` a new draft is created for the actor's branch; with it the
        draft (or returned submission) is updated, based on ``expected_rev`` — a stale one
        raises ``Conflict`` carrying the stored version. Dates and other values are stored
        in their JSON form; anything that has none raises ``ValidationFailed``. Bound fields
        (``forms.binding``: the form's ``branch``) are set to the submission's branch name,
        whatever was typed.
        """
        actor = acting_user(self.repo, actor)
        lang = actor.lang
        if submission_id is None:
            stored_data = jsonable(self._model(form_type), data, lang)
            return self._create_draft(actor, campaign_id, form_type, stored_data)
        submission = self.load(submission_id)
        self._require_editable(actor, submission)
        if expected_rev is None:
            raise ValueError("save_draft of an existing submission needs expected_rev")
        check_rev(submission, expected_rev)
        model = self._model(submission.form_type, submission.form_version)
        stored_data = jsonable(model, data, lang)
        refuse_foreign_changes(actor, model, submission.data, stored_data, submission)
        submission.data = self.bind(model, stored_data, submission)
        return self.save(submission, actor, expected_rev)

    def merge_conflict(
        self, actor: User, submission_id: str, base_rev: int, mine: Mapping[str, Any]
    ) -> MergeOutcome:
        """Merge what ``actor`` typed (``mine``, edited from revision ``base_rev``) with the
        version stored since (已被他人修改), without saving.

        Fields changed on one side take that side's value; fields both sides changed keep
        ``mine`` and are listed in ``MergeOutcome.clashes`` with their labels in the actor's
        language. Save the result with ``save_draft(..., expected_rev=outcome.rev)``. Only
        those who may edit the submission may merge (``PermissionDenied``,
        ``InvalidTransition``); an unknown ``base_rev`` raises ``ValidationFailed``.
        """
        submission = self.load(submission_id)
        self._require_editable(actor, submission)
        base = next(
            (d for d in self.repo.history(KIND, submission_id) if d.get("rev") == base_rev), None
        )
        if base is None:
            raise ValidationFailed(
                {"rev": t("workflow.submission.no_base_revision", actor.lang, rev=base_rev)}
            )
        model = self._model(submission.form_type, submission.form_version)
        return merge_edits(
            model,
            base.get("data") or {},
            self.bind(model, jsonable(model, mine, actor.lang), submission),
            submission.data,
            rev=submission.rev,
            lang=actor.lang,
        )

    def _create_draft(
        self, actor: User, campaign_id: str, form_type: str, data: dict[str, Any]
    ) -> Submission:
        branch_id = actor.branch_id or ""
        permissions.require(
            permissions.may_edit_branch_forms(actor, branch_id), actor, "workflow.denied.edit"
        )
        kind = self._form_type(form_type)
        model = self.form_for(campaign_id, form_type)
        refuse_foreign_changes(actor, model, {}, data, None)
        if kind.one_per_campaign:
            # Stores from before the derived id may hold one under another id.
            existing = self.repo.find(
                KIND, {"campaign_id": campaign_id, "branch_id": branch_id, "form_type": form_type}
            )
            if existing:
                raise _one_per_campaign(kind, actor.lang)
        submission = Submission(
            campaign_id=campaign_id,
            branch_id=branch_id,
            form_type=form_type,
            form_version=model.form_version,
            stage=Stage(model.stage),
            data=self.bind(model, data, (campaign_id, branch_id)),
            author=actor.login,
            created_at=now_iso(),
        )
        doc = submission.model_dump(mode="json", exclude={"id", "rev", "updated_at", "updated_by"})
        if kind.one_per_campaign:
            doc["id"] = one_per_campaign_id(campaign_id, branch_id, form_type)
        try:
            return Submission.model_validate(self.repo.insert(KIND, doc, actor=actor.login))
        except AlreadyExists:  # two sessions of the branch created it at the same moment
            raise _one_per_campaign(kind, actor.lang) from None

    def preview_report(
        self,
        actor: User,
        submission_id: str | None,
        form_type: str,
        data: Mapping[str, Any],
        campaign_id: str,
    ) -> RuleReport | None:
        """The rule report ``data`` would get on submit, without saving anything.

        Similarity rules compare with other branches' submitted forms of the same type in
        this campaign and the branch's own one of the previous campaign. None when no rule
        set checks this form type.
        """
        version: int | None = None
        if submission_id is not None:
            existing = self.get(actor, submission_id)
            branch_id, version = existing.branch_id, existing.form_version
        else:
            branch_id = actor.branch_id or ""
            permissions.require(
                permissions.may_edit_branch_forms(actor, branch_id),
                actor,
                "workflow.denied.edit",
            )
        model = self._model(form_type, version)
        payload = self.bind(model, jsonable(model, data, actor.lang), (campaign_id, branch_id))
        return self._report(
            form_type,
            model.form_version,
            checked_data(model, payload),
            campaign_id,
            branch_id,
            actor.lang,
        )

    def similarity_corpus(
        self, campaign_id: str, form_type: str, branch_id: str
    ) -> builtins.list[Comparable]:
        """What similarity rules compare ``branch_id``'s form with on submit: other branches'
        submitted ``form_type`` forms in the campaign, plus the branch's own latest submitted
        one of the previous campaign (``workflow.similarity_corpus``)."""
        corpus = load_corpus(self.repo, self.campaigns, campaign_id, form_type, branch_id)
        return corpus.others_for(branch_id)

    def _report(
        self,
        form_type: str,
        form_version: int,
        data: dict[str, Any],
        campaign_id: str,
        branch_id: str,
        lang: Lang,
    ) -> RuleReport | None:
        """The live check: ``data`` with the rule set in force for its form version, compared
        (when the rules compare) with the corpus one submit sees."""
        rules = rules_in_force(self.repo, form_type, form_version, lang, self.forms, campaign_id)
        if rules is None:
            return None
        return check_form(
            rules,
            data,
            branch_id,
            lambda: load_corpus(self.repo, self.campaigns, campaign_id, form_type, branch_id),
        )

    def _report_on(
        self, submission: Submission, data: dict[str, Any], lang: Lang
    ) -> RuleReport | None:
        """The live check of ``data`` as the form of ``submission``."""
        return self._report(
            submission.form_type,
            submission.form_version,
            data,
            submission.campaign_id,
            submission.branch_id,
            lang,
        )

    def submit(self, actor: User, submission_id: str, expected_rev: int) -> Submission:
        """Validate, check the rules and submit for review.

        Raises ``ValidationFailed`` (field → message) when the form is incomplete or wrong,
        ``RulesFailed`` (with ``.report``) when an ``error`` or ``veto`` rule fails — in both
        cases the submission stays as it was. Otherwise it becomes ``submitted``, its version
        goes up by one, the data and report are kept as a new ``VersionSnapshot``.
        """
        actor = acting_user(self.repo, actor)
        submission = self.load(submission_id)
        self._require_editable(actor, submission)
        check_rev(submission, expected_rev)
        # The version the branch filled in, even when a newer one was published since.
        model = self._model(submission.form_type, submission.form_version)
        # Drafts saved before the field was bound may still hold a typed branch name.
        # and figures computed from records are recounted as the branch's records stand now.
        submission.data = self.bind(model, submission.data, submission)
        instance, errors = validate(model, submission.data, actor.lang)
        if instance is None or errors:
            raise ValidationFailed(errors)
        data = prepare(model, submission.data)
        refused = choice_errors(self.repo, model, data, submission.branch_id, actor.lang)
        if refused:  # a partner branch renamed or removed since it was picked
            raise ValidationFailed(refused)
        report = self._report_on(submission, instance.model_dump(mode="json"), actor.lang)
        blocking = blocking_failures(report)
        if report is not None and blocking:
            details = ";".join(r.message if actor.lang == "zh" else r.message_en for r in blocking)
            raise RulesFailed(
                t("workflow.submit.rules_failed", actor.lang, n=len(blocking), details=details),
                report,
            )
        at = now_iso()
        report_doc = report.model_dump(mode="json") if report is not None else None
        submission.data = data
        submission.version += 1
        submission.report = report_doc
        submission.versions.append(
            VersionSnapshot(
                version=submission.version,
                data=data,
                submitted_at=at,
                submitted_by=actor.login,
                report=report_doc,
            )
        )
        return self.decide(submission, actor, expected_rev, Status.SUBMITTED, "submit", at=at)

    # -- the reviewer's side ---------------------------------------------------------------

    def approve(
        self, actor: User, submission_id: str, expected_rev: int, reasons: str = ""
    ) -> Submission:
        """Approve a submitted form (reviewers, not of the submitting branch).

        A form type with an ``approval_quota`` (demo-site applications: 立项) takes a place in
        the campaign's register first; ``QuotaExceeded`` when none is left, also when other
        reviewers approve at the same moment (``workflow.demo_site_register``). The place is
        given back only if this call took it and its approval was not stored; a reviewer who
        loses to another's decision on the same form is told who decided it.
        """
        submission = self._reviewable(actor, submission_id, expected_rev)
        form = self._form_type(submission.form_type)
        claim = self.sites.reserve(actor, submission, form)
        try:
            return self._decide_reviewed(
                submission, actor, expected_rev, Status.APPROVED, "approve", reasons=reasons
            )
        except Exception:
            if claim is not None:
                self.sites.release(actor, submission, form, claim)
            raise

    def return_(
        self,
        actor: User,
        submission_id: str,
        expected_rev: int,
        reasons: str,
        field_reasons: Mapping[str, str] | None = None,
    ) -> Submission:
        """Return a submitted form for revision (退回修改) with reasons, overall and per field
        path; the branch edits it and submits again as a new version (S4)."""
        if not reasons.strip():
            raise ValidationFailed({"reasons": t("workflow.review.reasons_required", actor.lang)})
        submission = self._reviewable(actor, submission_id, expected_rev)
        model = self._model(submission.form_type, submission.form_version)
        unstorable = unstorable_errors(Review, {"reasons": reasons}, actor.lang) or (
            unstorable_errors(model, dict(field_reasons or {}), actor.lang)
        )
        if unstorable:
            raise ValidationFailed(unstorable, actor.lang)
        return self._decide_reviewed(
            submission,
            actor,
            expected_rev,
            Status.RETURNED,
            "return",
            reasons=reasons,
            field_reasons={k: v.strip() for k, v in (field_reasons or {}).items() if v.strip()},
        )

    def _decide_reviewed(
        self,
        submission: Submission,
        actor: User,
        expected_rev: int,
        status: Status,
        decision: Literal["approve", "return"],
        **review: Any,
    ) -> Submission:
        """``decide`` for a reviewer: when another reviewer's decision landed first (both
        loaded it 待审核), ``InvalidTransition`` saying who decided it and how, not a bare
        ``Conflict``; any other stale write stays a ``Conflict``."""
        try:
            return self.decide(submission, actor, expected_rev, status, decision, **review)
        except Conflict:
            stored = self.load(submission.id)
            last = stored.reviews[-1] if stored.reviews else None
            if stored.status == Status.SUBMITTED or last is None or last.decision == "submit":
                raise
            raise InvalidTransition.keyed(
                "workflow.review.decided_meanwhile",
                actor.lang,
                reviewer=last.reviewer,
                status=t(f"status.{stored.status.value}", actor.lang),
            ) from None

    def _reviewable(self, actor: User, submission_id: str, expected_rev: int) -> Submission:
        actor = acting_user(self.repo, actor)
        submission = self.load(submission_id)
        permissions.require(
            permissions.may_view_submission(actor, submission), actor, "workflow.denied.view"
        )
        permissions.require_review(actor, submission)
        if submission.status != Status.SUBMITTED:
            key = {
                Status.DRAFT: "workflow.review.not_submitted",
                Status.RETURNED: "workflow.review.returned_not_resubmitted",
                Status.APPROVED: "workflow.review.already_approved",
            }.get(submission.status, "workflow.review.wrong_status")
            status = t(f"status.{submission.status.value}", actor.lang)
            raise InvalidTransition.keyed(key, actor.lang, status=status)
        check_rev(submission, expected_rev)
        return submission

    def set_reserved_fields(
        self, actor: User, submission_id: str, expected_rev: int, values: Mapping[str, Any]
    ) -> Submission:
        """Write fields reserved to the actor's role (a reviewer's 机关党委评分 and 总结定级)
        of a submitted form, then check it again so its report (score, grade) follows.

        The values go onto the version last submitted (what the reviewer sees and scores) and
        into the record's working data, nothing else of it: a returned form keeps the
        branch's unsent edits, and carries the committee's values when it is submitted again.
        ``PermissionDenied`` names a field the actor may not write; ``ValidationFailed`` one
        that is not reserved or a value the form refuses (nothing is stored then).
        """
        actor = acting_user(self.repo, actor)
        submission = self.load(submission_id)
        permissions.require(
            permissions.may_view_submission(actor, submission), actor, "workflow.denied.view"
        )
        model = self._model(submission.form_type, submission.form_version)
        reserved = reserved_fields(model)
        written = jsonable(model, values, actor.lang)
        for name in written:
            if name not in reserved:
                raise ValidationFailed({name: t("workflow.field_role.not_reserved", actor.lang)})
            require_field_role(actor, reserved[name], submission)
        if submission.status == Status.DRAFT or not submission.versions:
            raise InvalidTransition.keyed("workflow.review.not_submitted", actor.lang)
        check_rev(submission, expected_rev)
        last = submission.versions[-1]
        data = {**last.data, **written}
        instance, errors = validate(model, data, actor.lang)
        wrong = {k: v for k, v in errors.items() if k.split(".")[0] in written}
        if instance is None or wrong:
            raise ValidationFailed(wrong or errors)
        report = self._report_on(submission, instance.model_dump(mode="json"), actor.lang)
        report_doc = report.model_dump(mode="json") if report is not None else None
        # The reviewed version carries the committee's fields and the report they give.
        last.data, last.report = data, report_doc
        submission.report = report_doc
        submission.data = {**submission.data, **written}
        return self.save(submission, actor, expected_rev)

    # -- versions --------------------------------------------------------------------------

    def versions(self, actor: User, submission_id: str) -> builtins.list[VersionSnapshot]:
        """Every submitted version, oldest first (S4: every version is kept)."""
        return list(self.get(actor, submission_id).versions)

    def compare(
        self, actor: User, submission_id: str, v1: int, v2: int | None = None
    ) -> builtins.list[FieldChange]:
        """Fields changed from version ``v1`` to ``v2`` (None: the current, unsaved-for-review
        data), with labels as the form shows them."""
        submission = self.get(actor, submission_id)
        model = self._model(submission.form_type, submission.form_version)
        old = version_data(submission, v1, actor.lang)
        new = submission.data if v2 is None else version_data(submission, v2, actor.lang)
        return compare_data(model, old, new, actor.lang)

    def bound_data(self, submission: Submission) -> dict[str, Any]:
        """The submission's data with its bound fields as the server sets them (for PDFs of
        drafts saved before ``branch`` was bound, which may still hold a typed name)."""
        try:
            model = self.forms.get(submission.form_type, version=submission.form_version)
        except UnknownFormType:
            return dict(submission.data)
        return self.bind(model, submission.data, submission)

    def live_data(
        self, actor: User, campaign_id: str, form_type: str, data: Mapping[str, Any]
    ) -> dict[str, Any]:
        """``data`` typed by ``actor`` for a ``form_type`` form of their branch, with its bound
        fields as the server would set them now (the branch name, the figures counted from
        the branch's records): what an editor shows so the figures follow the records."""
        branch_id = actor.branch_id or ""
        permissions.require(
            permissions.may_edit_branch_forms(actor, branch_id), actor, "workflow.denied.edit"
        )
        model = self._model(form_type)
        return self.bind(model, jsonable(model, data, actor.lang), (campaign_id, branch_id))

    def submitted_view(self, submission: Submission) -> dict[str, Any]:
        """What rules see of the submission's last submitted version (``checked_data``), the
        data its report on submit was given."""
        model = self._model(submission.form_type, submission.form_version)
        return checked_data(model, submitted_data(submission), stored=True)

    # -- internals -------------------------------------------------------------------------

    def _form_type(self, name: str) -> FormType:
        try:
            return self.forms.form_type(name)
        except UnknownFormType as error:
            raise ValidationFailed({"form_type": str(error)}) from None

    def _model(self, form_type: str, version: int | None = None) -> type[FormModel]:
        try:
            return self.forms.get(form_type, version=version)
        except UnknownFormType as error:
            raise ValidationFailed({"form_type": str(error)}) from None

    def bind(
        self,
        model: type[FormModel],
        data: Mapping[str, Any],
        where: Submission | tuple[str, str],
    ) -> dict[str, Any]:
        """``data`` with its bound fields set by the server for a submission (or a
        ``(campaign_id, branch_id)`` not stored yet): ``branch`` is the name of its branch
        (kept as typed only if that branch is not stored), ``statistics`` the figures counted
        from the branch's records of the campaign."""
        if isinstance(where, Submission):
            campaign_id, branch_id = where.campaign_id, where.branch_id
        else:
            campaign_id, branch_id = where
        branch = self.repo.get("branches", branch_id) if branch_id else None
        values: dict[str, Any] = {}
        if branch and branch.get("name"):
            values[BRANCH] = str(branch["name"])
        # A submitted form keeps the figures it was submitted with.
        recount = not isinstance(where, Submission) or where.status in EDITABLE
        if recount and STATISTICS in bound_fields(model).values():
            figures = self.statistics.figures(campaign_id, branch_id)
            values[STATISTICS] = figures.model_dump(mode="json")
        return bind(model, data, values)

    def load(self, submission_id: str) -> Submission:
        """One submission without a permission check, for services that check their own."""
        doc = self.repo.get(KIND, submission_id)
        if doc is None:
            raise NotFound(KIND, submission_id)
        return Submission.model_validate(doc)

    def _require_editable(self, actor: User, submission: Submission) -> None:
        permissions.require(
            permissions.may_edit_branch_forms(actor, submission.branch_id),
            actor,
            "workflow.denied.edit",
        )
        if submission.status not in EDITABLE:
            status = t(f"status.{submission.status.value}", actor.lang)
            raise InvalidTransition(
                t("workflow.submission.not_editable", actor.lang, status=status)
            )

    def decide(
        self,
        submission: Submission,
        actor: User,
        expected_rev: int,
        status: Status,
        decision: Literal["submit", "approve", "return", "forward", "publish"],
        *,
        reasons: str = "",
        field_reasons: Mapping[str, str] | None = None,
        at: str | None = None,
    ) -> Submission:
        """Move ``submission`` to ``status`` and record the step in its review trail, beside
        the rule report it was taken on."""
        submission.status = status
        submission.reviews.append(
            Review(
                reviewer=actor.login,
                at=at or now_iso(),
                decision=decision,
                reasons=reasons.strip(),
                field_reasons=dict(field_reasons or {}),
                version=submission.version,
                report=submission.report,
            )
        )
        return self.save(submission, actor, expected_rev)

    def save(self, submission: Submission, actor: User, expected_rev: int) -> Submission:
        """Write ``submission`` back at ``expected_rev`` (``Conflict`` when stale); callers
        have checked who may change it."""
        doc = submission.model_dump(mode="json")
        return Submission.model_validate(
            stored_update(self.repo, KIND, doc, actor=actor.login, expected_rev=expected_rev)
        )


def _one_per_campaign(kind: FormType, lang: Lang) -> ValidationFailed:
    return ValidationFailed(
        {"form_type": t("workflow.submission.one_per_campaign", lang, form=kind.title(lang))}
    )
