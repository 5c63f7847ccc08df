"""An in-process backend for tests and previews (``memory://``)."""

from __future__ import annotations

import copy
import hashlib
import threading
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from storage.base import Document
from storage.campaign_archive import ARCHIVED_BY, refuse_archived
from storage.documents import (
    at_expected_rev,
    audit_event,
    change_event,
    copy_json,
    normalize,
    now_iso,
    project,
)
from storage.errors import AlreadyExists, NotFound, StoreNotEmpty
from storage.indexed_docs import IndexedDocs


class MemoryRepository:
    """Dicts behind one lock; the reference behaviour of the Repository protocol."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._docs = IndexedDocs()
        self._history: dict[tuple[str, str], list[Document]] = {}
        self._audit: list[Document] = []
        self._blobs: dict[str, bytes] = {}
        self._archived: set[str] = set()

    def get(self, kind: str, id: str) -> Document | None:
        """The current revision of one document, or None."""
        with self._lock:
            doc = self._docs.get(kind, id)
            return copy_json(doc) if doc else None

    def find(
        self,
        kind: str,
        where: Mapping[str, Any] | None = None,
        *,
        fields: Sequence[str] | None = None,
    ) -> list[Document]:
        """Documents matching ``where`` (or their ``fields`` only), oldest first; indexed."""
        with self._lock:
            return [project(d, fields) for d in self._docs.find(kind, where)]

    def insert(self, kind: str, doc: Document, *, actor: str) -> Document:
        """Store a new document at rev 1; AlreadyExists on a reused id."""
        stored = normalize(doc)
        with self._lock:
            stored["id"] = str(stored.get("id") or uuid.uuid4().hex)
            if self._docs.get(kind, stored["id"]) is not None:
                raise AlreadyExists(kind, stored["id"])
            refuse_archived(self._archived, kind, stored["id"], stored)
            stored.update(rev=1, updated_at=now_iso(), updated_by=actor)
            self._save(kind, stored, actor, "insert", None, stored["updated_at"])
            return copy_json(stored)

    def update(self, kind: str, doc: Document, *, actor: str, expected_rev: int) -> Document:
        """Replace a document; Conflict when the stored rev is not ``expected_rev``."""
        stored = normalize(doc)
        with self._lock:
            current = self._current(kind, str(doc["id"]), expected_rev)
            refuse_archived(self._archived, kind, current["id"], current, stored)
            stored["id"] = current["id"]
            stored.update(rev=current["rev"] + 1, updated_at=now_iso(), updated_by=actor)
            self._save(kind, stored, actor, "update", current, stored["updated_at"])
            return copy_json(stored)

    def delete(self, kind: str, id: str, *, actor: str, expected_rev: int) -> None:
        """Remove a document; its history and audit stay."""
        with self._lock:
            current = self._current(kind, id, expected_rev)
            refuse_archived(self._archived, kind, id, current)
            self._docs.pop(kind, id)
            self._audit.append(
                audit_event(actor, "delete", kind, id, current["rev"], current, None)
            )

    def history(self, kind: str, id: str) -> list[Document]:
        """Every revision of a document, oldest first."""
        with self._lock:
            return copy.deepcopy(self._history.get((kind, id), []))

    def audit(
        self, kind: str | None = None, id: str | None = None, limit: int = 200
    ) -> list[Document]:
        """Audit events, newest first."""
        with self._lock:
            events = [
                e
                for e in reversed(self._audit)
                if (kind is None or e["kind"] == kind) and (id is None or e["id"] == id)
            ]
            return copy.deepcopy(events[:limit])

    def put_blob(self, data: bytes) -> str:
        """Store bytes under their sha256 (idempotent)."""
        key = hashlib.sha256(data).hexdigest()
        with self._lock:
            self._blobs[key] = bytes(data)
        return key

    def get_blob(self, key: str) -> bytes:
        """The bytes under ``key``; NotFound otherwise."""
        with self._lock:
            if key not in self._blobs:
                raise NotFound("blobs", key)
            return self._blobs[key]

    def kinds(self) -> list[str]:
        """Every kind holding at least one document."""
        with self._lock:
            return self._docs.kinds()

    @contextmanager
    def locked(self, name: str) -> Iterator[None]:
        """The store's one lock (it is re-entrant, so the writes inside take it again)."""
        with self._lock:
            yield

    def close(self) -> None:
        """Nothing to release."""

    def archive_campaign(self, campaign_id: str, *, actor: str) -> int:
        """Mark the campaign read-only (everything stays in memory here); returns how many
        records it has."""
        with self._lock:
            if campaign_id in self._archived:
                return 0
            self._archived.add(campaign_id)
            return self._campaign_records(campaign_id)

    def unarchive_campaign(self, campaign_id: str, *, actor: str) -> int:
        """Make the campaign's records changeable again."""
        with self._lock:
            if campaign_id not in self._archived:
                return 0
            self._archived.discard(campaign_id)
            return self._campaign_records(campaign_id)

    def archived_campaigns(self) -> list[str]:
        """The ids of the archived campaigns, sorted."""
        with self._lock:
            return sorted(self._archived)

    def _campaign_records(self, campaign_id: str) -> int:
        last = {key: docs[-1] for key, docs in self._history.items() if docs}
        return sum(1 for d in last.values() if d.get(ARCHIVED_BY) == campaign_id)

    def export_events(self) -> list[Document]:
        """Every change, oldest first (see ``storage.base.Transferable``)."""
        with self._lock:
            return [
                change_event(
                    e["actor"], e["action"], e["kind"], e["id"], e["rev"], e["new"], e["at"]
                )
                for e in copy.deepcopy(self._audit)
            ]

    def import_events(self, events: list[Document]) -> int:
        """Replay changes into this empty store, keeping their times, actors and revisions."""
        with self._lock:
            if self._audit:
                raise StoreNotEmpty()
            for e in events:
                doc = normalize(e["doc"]) if e["doc"] is not None else None
                kind, id = e["kind"], e["id"]
                old = self._docs.get(kind, id)
                if doc is None:
                    self._docs.pop(kind, id)
                else:
                    self._docs.put(kind, doc)
                    self._history.setdefault((kind, id), []).append(copy.deepcopy(doc))
                self._audit.append(
                    audit_event(
                        e["actor"],
                        e["action"],
                        kind,
                        id,
                        e["rev"],
                        old,
                        copy.deepcopy(doc),
                        e["at"],
                    )
                )
            return len(events)

    def blob_keys(self) -> list[str]:
        """Keys of every stored blob, sorted."""
        with self._lock:
            return sorted(self._blobs)

    def _current(self, kind: str, id: str, expected_rev: int) -> Document:
        return at_expected_rev(self._docs.get(kind, id), kind, id, expected_rev)

    def _save(
        self, kind: str, stored: Document, actor: str, action: str, old: Document | None, at: str
    ) -> None:
        self._docs.put(kind, stored)
        self._history.setdefault((kind, stored["id"]), []).append(copy.deepcopy(stored))
        self._audit.append(
            audit_event(
                actor, action, kind, stored["id"], stored["rev"], old, copy.deepcopy(stored), at
            )
        )
