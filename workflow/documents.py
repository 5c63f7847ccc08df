"""PDFs of submissions for download, permission-checked (the builders live in ``reports``)."""

from __future__ import annotations

import re
from typing import Any

from forms.thumbnails import PRINT
from i18n import Lang, t
from reports.layouts import print_form
from storage.base import Repository
from workflow.attachments import files_in
from workflow.campaigns import CampaignService
from workflow.models import Submission, User
from workflow.photos import photos
from workflow.submissions import SubmissionService

# Photos printed in one submission's PDF at most (the rest stay in its file list).
MAX_PHOTOS = 24


class DocumentService:
    """Turns what a user may see into PDF bytes."""

    def __init__(
        self,
        repo: Repository,
        submissions: SubmissionService | None = None,
        campaigns: CampaignService | None = None,
    ) -> None:
        self.repo = repo
        self.campaigns = campaigns or CampaignService(repo)
        self.submissions = submissions or SubmissionService(repo, self.campaigns)

    def submission_pdf(self, actor: User, submission_id: str, lang: Lang | None = None) -> bytes:
        """One submission as PDF: its current data, latest rule report and review trail.

        Raises ``PermissionDenied`` / ``NotFound`` as ``SubmissionService.get`` does. A form type
        with a layout of its own (``FormType.pdf_builder``, e.g. the plan) is printed with it;
        others with the generic form layout of the form version the submission was filled in
        (``Submission.form_version``), its photos printed under their file list.
        """
        submission = self.submissions.get(actor, submission_id)
        lang = lang or actor.lang
        meta = self.meta(submission)
        data = self.submissions.bound_data(submission)
        reviews = [r.model_dump(mode="json") for r in submission.reviews]
        return print_form(
            submission.form_type,
            data,
            report=submission.report,
            reviews=reviews,
            meta=meta,
            lang=lang,
            form_version=submission.form_version,  # printed with the labels it was filled with
            forms=self.submissions.forms,
            images=photos(self.repo, [str(f["blob"]) for f in files_in(data)], PRINT, MAX_PHOTOS),
        )

    def meta(self, submission: Submission) -> dict[str, Any]:
        """The header block of a submission's PDF: branch, campaign, status, version, author."""
        branch = self.repo.get("branches", submission.branch_id)
        campaign = self.repo.get("campaigns", submission.campaign_id)
        return {
            "branch": branch["name"] if branch else submission.branch_id,
            "campaign": campaign["title"] if campaign else submission.campaign_id,
            "status": submission.status.value,
            "version": submission.version,
            "author": submission.author,
        }

    def filename(self, actor: User, submission_id: str) -> str:
        """A download name people recognise, in the actor's language:
        ``2026年-党政办公室党支部-支部“先锋工程”实施方案-第2版.pdf`` (a draft: ``…-草稿.pdf``)."""
        submission = self.submissions.get(actor, submission_id)
        campaign = self.repo.get("campaigns", submission.campaign_id)
        branch = self.repo.get("branches", submission.branch_id)
        lang = actor.lang
        parts = [
            t("workflow.filename.year", lang, year=campaign["year"]) if campaign else "",
            str(branch["name"]) if branch else "",
            self.submissions.forms.form_type(submission.form_type).title(
                lang, submission.form_version
            ),
            t("workflow.filename.version", lang, n=submission.version)
            if submission.version
            else t("status.draft", lang),
        ]
        return "-".join(safe_file_name_part(p) for p in parts if p) + ".pdf"


# Characters no file system or browser download keeps in a name.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def safe_file_name_part(part: str) -> str:
    """``part`` without characters a file name cannot hold, at most 60 characters."""
    return _UNSAFE.sub("_", part).strip(" ._")[:60]
