"""Attachments (sign-in sheets, photos): store picked files as blobs, keep references in the form.

The renderer checks each file as the user picks it and hands the accepted ones over as pending
uploads; this checks them again on the server — by content, size and name
(``forms.file_content``) and against the uploader's storage quota (the setting
``upload_quota_mb``) — stores their bytes and appends an ``Attachment`` record to the list at
the field's path, so a draft saved afterwards refers to them. The record's type is the one
sniffed from the bytes (``forms.file_content.content_type``), never the browser's.

Each account's stored bytes are counted in one document of kind ``upload_usage`` (id = login),
updated with a revision check so two uploads at once cannot both slip under the quota.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol

from core.settings import settings
from forms.base import FormModel
from forms.file_content import content_type, safe_file_name, upload_problem
from forms.specs import spec_at
from i18n import t
from storage.base import Repository
from storage.errors import AlreadyExists, Conflict
from workflow import permissions
from workflow.errors import NotFound, ValidationFailed
from workflow.models import Submission, User
from workflow.photos import scaled_blob

# How deep ``files_in`` looks into a form's data (attachments sit at most in rows of groups).
_MAX_DEPTH = 6
_MAX_FILES = 500

if TYPE_CHECKING:
    from workflow.submissions import SubmissionService

USAGE = "upload_usage"


class Upload(Protocol):
    """A picked file: where it goes in the form, its name, type and bytes. The type is what
    the browser sent and is not trusted: the stored one is sniffed from the bytes."""

    path: str
    name: str
    content_type: str
    data: bytes


class AttachmentService:
    """Stores picked files with a branch's form (sign-in sheets, photos)."""

    def __init__(self, repo: Repository, submissions: SubmissionService | None = None) -> None:
        self.repo = repo
        self.submissions = submissions

    def files(self, actor: User, submission_id: str) -> list[dict[str, Any]]:
        """The files attached anywhere in a submission the actor may see, in form order.

        Raises ``PermissionDenied`` / ``NotFound`` as ``SubmissionService.get`` does.
        """
        return files_in(self._submission(actor, submission_id).data)

    def read(
        self, actor: User, submission_id: str, blob: str, *, longest: int | None = None
    ) -> bytes:
        """The bytes of one file of a submission the actor may see; a key the submission does
        not refer to is ``NotFound`` (a reader cannot fetch another branch's file by its key).
        ``longest``: a photo scaled to at most that many pixels (a thumbnail)."""
        submission = self._submission(actor, submission_id)
        if not any(f.get("blob") == blob for f in files_in(submission.data)):
            raise NotFound("blob", blob)
        if longest is not None:
            return scaled_blob(self.repo, blob, longest)
        return self.repo.get_blob(blob)

    def _submission(self, actor: User, submission_id: str) -> Submission:
        if self.submissions is None:
            raise RuntimeError("AttachmentService was built without a SubmissionService")
        return self.submissions.get(actor, submission_id)

    def attach(
        self,
        actor: User,
        model: type[FormModel],
        data: dict[str, Any],
        uploads: Iterable[Upload],
    ) -> dict[str, Any]:
        """``data`` with every upload stored and referenced at its path (a new dict).

        Only branch staff attach files, to their own branch's forms (``PermissionDenied``).
        A file that is not what its name says, too large for its field, or over the actor's
        quota raises ``ValidationFailed`` at the field's path and nothing is stored. A file
        already referenced at its path (same bytes) is not listed twice.
        """
        uploads = list(uploads)
        if not uploads:
            return data
        permissions.require(
            permissions.may_edit_branch_forms(actor, actor.branch_id or ""),
            actor,
            "workflow.denied.edit",
        )
        self._check(actor, model, uploads)
        self._charge(actor, sum(len(u.data) for u in uploads))
        result = copy.deepcopy(data)
        for upload in uploads:
            record = {
                "name": safe_file_name(upload.name),
                # what the bytes are, not what the browser said: downloads are served as it
                "content_type": content_type(upload.name, upload.data),
                "size": len(upload.data),
                "blob": self.repo.put_blob(upload.data),
            }
            target = _list_at(result, upload.path)
            if not any(a.get("blob") == record["blob"] for a in target if isinstance(a, dict)):
                target.append(record)
        return result

    def used_bytes(self, login: str) -> int:
        """How many bytes ``login`` has uploaded (counted against ``upload_quota_mb``)."""
        doc = self.repo.get(USAGE, login)
        return int(doc["bytes"]) if doc else 0

    def _check(self, actor: User, model: type[FormModel], uploads: list[Upload]) -> None:
        errors: dict[str, str] = {}
        for upload in uploads:
            loc = tuple(int(p) if p.isdigit() else p for p in upload.path.split("."))
            spec = spec_at(model, loc)
            problem = (
                upload_problem(spec, upload.name, upload.data, actor.lang)
                if spec is not None and spec.kind == "file"
                else t("forms.file.no_field", actor.lang, name=upload.name)
            )
            if problem:
                errors.setdefault(upload.path, problem)
        if errors:
            raise ValidationFailed(errors)

    def _charge(self, actor: User, size: int, attempts: int = 3) -> None:
        """Add ``size`` bytes to the actor's usage, refusing what would pass the quota."""
        quota = settings().upload_quota_mb * 1024 * 1024
        for _ in range(attempts):
            doc = self.repo.get(USAGE, actor.login)
            used = int(doc["bytes"]) if doc else 0
            if used + size > quota:
                message = t(
                    "workflow.upload.quota",
                    actor.lang,
                    quota=settings().upload_quota_mb,
                    used=f"{used / 1024 / 1024:.1f}",
                )
                raise ValidationFailed({"attachments": message})
            try:
                if doc is None:
                    self.repo.insert(USAGE, {"id": actor.login, "bytes": size}, actor=actor.login)
                else:
                    doc["bytes"] = used + size
                    self.repo.update(USAGE, doc, actor=actor.login, expected_rev=doc["rev"])
                return
            except (Conflict, AlreadyExists):  # another upload counted first
                continue
        raise ValidationFailed({"attachments": t("workflow.upload.busy", actor.lang)})


def files_in(data: Any) -> list[dict[str, Any]]:
    """Every attachment record (a dict with ``blob`` and ``name``) in ``data``, in order."""
    found: list[dict[str, Any]] = []

    def walk(node: Any, depth: int) -> None:
        if depth > _MAX_DEPTH or len(found) >= _MAX_FILES:
            return
        if isinstance(node, dict):
            if isinstance(node.get("blob"), str) and isinstance(node.get("name"), str):
                found.append(node)
                return
            for value in node.values():
                walk(value, depth + 1)
        elif isinstance(node, list):
            for value in node:
                walk(value, depth + 1)

    walk(data, 0)
    return found


def _list_at(data: dict[str, Any], path: str) -> list[Any]:
    """The list at a dotted path (``attachments``, ``items.0.photos``), created if missing."""
    parts = path.split(".")
    node: Any = data
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
    last = parts[-1]
    if not isinstance(node.get(last), list):
        node[last] = []
    found: list[Any] = node[last]
    return found
