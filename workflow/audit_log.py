"""The audit log and record history for administrators: who changed what, and going back.

Reads the store's audit events and revision history; restoring writes an old revision's data
as a new revision (``storage.history.restore``), so nothing is lost and the restore is itself
audited.
"""

from __future__ import annotations

from typing import Any

from storage.base import Document, Repository
from storage.history import restore as restore_revision
from workflow import permissions
from workflow.models import User


class AuditService:
    """Audit events and record history; administrators only."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo

    def _require_admin(self, actor: User) -> None:
        permissions.require(permissions.is_admin(actor), actor, "audit.denied")

    def events(
        self, actor: User, *, kind: str | None = None, id: str | None = None, limit: int = 200
    ) -> list[Document]:
        """Audit events, newest first: ``{at, actor, action, kind, id, rev, old, new}``.

        Password hashes never leave the store: they are blanked in ``old`` and ``new``.
        """
        self._require_admin(actor)
        return [_without_secrets(e) for e in self.repo.audit(kind, id, limit)]

    def kinds(self, actor: User) -> list[str]:
        """Every kind of record the store holds."""
        self._require_admin(actor)
        return sorted(self.repo.kinds())

    def history(self, actor: User, kind: str, id: str) -> list[Document]:
        """Every revision of one record, oldest first (password hashes blanked)."""
        self._require_admin(actor)
        return [_blank(d) for d in self.repo.history(kind, id)]

    def restore(self, actor: User, kind: str, id: str, rev: int) -> Document:
        """Make revision ``rev`` of a record current again, as a new audited revision."""
        self._require_admin(actor)
        return _blank(restore_revision(self.repo, kind, id, rev, actor=actor.login))


def _blank(doc: Any) -> Any:
    if isinstance(doc, dict) and doc.get("password_hash"):
        return {**doc, "password_hash": "***"}
    return doc


def _without_secrets(event: Document) -> Document:
    return {**event, "old": _blank(event.get("old")), "new": _blank(event.get("new"))}
