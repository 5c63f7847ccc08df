"""Attachments (sign-in sheets, photos): store picked files as blobs, keep references in the form.

The renderer checks type and size as the user picks a file and hands the accepted ones over
as pending uploads; this stores their bytes and appends an ``Attachment`` record to the list
at the field's path, so a draft saved afterwards refers to them.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any, Protocol

from storage.base import Repository
from workflow import permissions
from workflow.models import User


class Upload(Protocol):
    """A picked file: where it goes in the form, its name, type and bytes."""

    path: str
    name: str
    content_type: str
    data: bytes


class AttachmentService:
    """Stores picked files with a branch's form (sign-in sheets, photos)."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo

    def attach(
        self, actor: User, data: dict[str, Any], uploads: Iterable[Upload]
    ) -> dict[str, Any]:
        """``data`` with every upload stored and referenced at its path (a new dict).

        Only branch staff attach files, to their own branch's forms (``PermissionDenied``).
        A file already referenced at its path (same bytes) is not listed twice.
        """
        uploads = list(uploads)
        if not uploads:
            return data
        permissions.require(
            permissions.may_edit_branch_forms(actor, actor.branch_id or ""),
            actor,
            "workflow.denied.edit",
        )
        result = copy.deepcopy(data)
        for upload in uploads:
            record = {
                "name": upload.name[:200],
                "content_type": upload.content_type,
                "size": len(upload.data),
                "blob": self.repo.put_blob(upload.data),
            }
            target = _list_at(result, upload.path)
            if not any(a.get("blob") == record["blob"] for a in target if isinstance(a, dict)):
                target.append(record)
        return result


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
