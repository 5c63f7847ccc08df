"""The Repository protocol: a revisioned document store with history, audit and blobs.

Documents are JSON-able dicts grouped by *kind* (``campaigns``, ``branches``, ``users``,
``submissions``, ``spot_checks``, ...). The store owns three keys of every document:

``id``          given by the caller or generated (uuid4 hex) on insert
``rev``         1 on insert, +1 on every update; an update names the revision it was based on
``updated_at``  ISO timestamp (UTC) of the last change; ``updated_by`` the actor's login

Every change is kept: ``history`` returns each revision, ``audit`` the events (who, when, what,
old and new values). Blobs (attachments) are content-addressed by sha256.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol, runtime_checkable

Document = dict[str, Any]

# Top-level fields every backend must be able to filter on cheaply (indexed in PostgreSQL).
INDEXED_FIELDS = ("campaign_id", "branch_id", "form_type", "status")


@runtime_checkable
class Repository(Protocol):
    """What every storage backend provides; ``tests/contract`` holds them all to it."""

    def get(self, kind: str, id: str) -> Document | None:
        """The current revision of one document, or None."""
        ...

    def find(
        self,
        kind: str,
        where: Mapping[str, Any] | None = None,
        *,
        fields: Sequence[str] | None = None,
    ) -> list[Document]:
        """Documents whose top-level fields equal every value in ``where``, oldest first;
        with ``fields``, only those top-level fields of each (the ones it has). Filtering on
        ``INDEXED_FIELDS`` never scans every stored document."""
        ...

    def insert(self, kind: str, doc: Document, *, actor: str) -> Document:
        """Store a new document (rev 1) and return it; raises AlreadyExists on a reused id."""
        ...

    def update(self, kind: str, doc: Document, *, actor: str, expected_rev: int) -> Document:
        """Replace a document; raises Conflict if the stored rev is not ``expected_rev``."""
        ...

    def delete(self, kind: str, id: str, *, actor: str, expected_rev: int) -> None:
        """Remove a document (its history and audit stay); raises Conflict or NotFound."""
        ...

    def history(self, kind: str, id: str) -> list[Document]:
        """Every revision of a document, oldest first (deleted documents included)."""
        ...

    def audit(
        self, kind: str | None = None, id: str | None = None, limit: int = 200
    ) -> list[Document]:
        """Audit events, newest first: ``{at, actor, action, kind, id, rev, old, new}``."""
        ...

    def put_blob(self, data: bytes) -> str:
        """Store bytes and return their sha256 hex key (idempotent)."""
        ...

    def get_blob(self, key: str) -> bytes:
        """The bytes stored under ``key``; raises NotFound."""
        ...

    def kinds(self) -> list[str]:
        """Every kind that holds at least one document."""
        ...

    def locked(self, name: str) -> AbstractContextManager[None]:
        """Hold the store-wide lock ``name`` across threads and processes for a read-check-write.

        While one holder is inside, no other ``locked(name)`` section of any thread or process
        on the same store runs; everything read inside is current, and every write made inside
        is committed before the next holder enters. For rules no single revision check can
        enforce (the last active administrator, one plan per branch and campaign).
        """
        ...

    def archive_campaign(self, campaign_id: str, *, actor: str) -> int:
        """Make a closed campaign's records (documents whose ``campaign_id`` is it) read-only
        and, where a backend holds documents in memory, move them and their changes out of it
        into an archive read on demand. Every read (``get``, ``find``, ``history``, ``audit``,
        backups) answers exactly as before; ``insert``/``update``/``delete`` of such a record,
        or of one naming the campaign, raise ``Archived``. Returns how many records the
        campaign has (0 when it was archived already)."""
        ...

    def unarchive_campaign(self, campaign_id: str, *, actor: str) -> int:
        """Reopen an archived campaign: its records become changeable (and held in memory)
        again, history unchanged. Returns how many records it has (0 if it was not archived)."""
        ...

    def archived_campaigns(self) -> list[str]:
        """The ids of the archived campaigns, sorted."""
        ...

    def close(self) -> None:
        """Release files, locks and connections."""
        ...


@runtime_checkable
class Transferable(Protocol):
    """What backup, restore and copy need besides the Repository protocol.

    A change is ``{at, actor, action, kind, id, rev, doc}`` (``doc`` is the new document, None
    for a delete); replaying every change in order rebuilds documents, history and audit.
    """

    def export_events(self) -> list[Document]:
        """Every change ever made, oldest first, as one consistent snapshot."""
        ...

    def import_events(self, events: list[Document]) -> int:
        """Replay ``events`` verbatim into this store, which must be empty; returns the count."""
        ...

    def blob_keys(self) -> list[str]:
        """The sha256 keys of every stored blob, sorted."""
        ...
