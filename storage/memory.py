"""An in-process backend for tests and previews (``memory://``)."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import threading
import uuid
from collections.abc import Mapping
from typing import Any

from storage.base import Document
from storage.errors import AlreadyExists, Conflict, NotFound


def now_iso() -> str:
    """Current UTC time as ISO 8601, the format of ``updated_at`` and audit ``at``."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def matches(doc: Mapping[str, Any], where: Mapping[str, Any] | None) -> bool:
    """True when every key of ``where`` equals the document's top-level field."""
    return not where or all(doc.get(k) == v for k, v in where.items())


class MemoryRepository:
    """Dicts behind one lock; the reference behaviour of the Repository protocol."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._docs: dict[str, dict[str, Document]] = {}
        self._history: dict[tuple[str, str], list[Document]] = {}
        self._audit: list[Document] = []
        self._blobs: dict[str, bytes] = {}

    def get(self, kind: str, id: str) -> Document | None:
        with self._lock:
            doc = self._docs.get(kind, {}).get(id)
            return copy.deepcopy(doc) if doc else None

    def find(self, kind: str, where: Mapping[str, Any] | None = None) -> list[Document]:
        with self._lock:
            return [
                copy.deepcopy(d) for d in self._docs.get(kind, {}).values() if matches(d, where)
            ]

    def insert(self, kind: str, doc: Document, *, actor: str) -> Document:
        with self._lock:
            stored = copy.deepcopy(doc)
            stored["id"] = str(stored.get("id") or uuid.uuid4().hex)
            if stored["id"] in self._docs.get(kind, {}):
                raise AlreadyExists(kind, stored["id"])
            stored.update(rev=1, updated_at=now_iso(), updated_by=actor)
            self._save(kind, stored, actor, "insert", None)
            return copy.deepcopy(stored)

    def update(self, kind: str, doc: Document, *, actor: str, expected_rev: int) -> Document:
        with self._lock:
            current = self._current(kind, str(doc["id"]), expected_rev)
            stored = copy.deepcopy(doc)
            stored.update(rev=current["rev"] + 1, updated_at=now_iso(), updated_by=actor)
            self._save(kind, stored, actor, "update", current)
            return copy.deepcopy(stored)

    def delete(self, kind: str, id: str, *, actor: str, expected_rev: int) -> None:
        with self._lock:
            current = self._current(kind, id, expected_rev)
            del self._docs[kind][id]
            self._audit.append(_event(actor, "delete", kind, id, current["rev"], current, None))

    def history(self, kind: str, id: str) -> list[Document]:
        with self._lock:
            return copy.deepcopy(self._history.get((kind, id), []))

    def audit(
        self, kind: str | None = None, id: str | None = None, limit: int = 200
    ) -> list[Document]:
        with self._lock:
            events = [
                e
                for e in reversed(self._audit)
                if (kind is None or e["kind"] == kind) and (id is None or e["id"] == id)
            ]
            return copy.deepcopy(events[:limit])

    def put_blob(self, data: bytes) -> str:
        key = hashlib.sha256(data).hexdigest()
        with self._lock:
            self._blobs[key] = bytes(data)
        return key

    def get_blob(self, key: str) -> bytes:
        with self._lock:
            if key not in self._blobs:
                raise NotFound("blobs", key)
            return self._blobs[key]

    def kinds(self) -> list[str]:
        with self._lock:
            return sorted(k for k, docs in self._docs.items() if docs)

    def close(self) -> None:
        """Nothing to release."""

    def _current(self, kind: str, id: str, expected_rev: int) -> Document:
        current = self._docs.get(kind, {}).get(id)
        if current is None:
            raise NotFound(kind, id)
        if current["rev"] != expected_rev:
            raise Conflict(kind, id, expected_rev, copy.deepcopy(current))
        return current

    def _save(
        self, kind: str, stored: Document, actor: str, action: str, old: Document | None
    ) -> None:
        self._docs.setdefault(kind, {})[stored["id"]] = stored
        self._history.setdefault((kind, stored["id"]), []).append(copy.deepcopy(stored))
        self._audit.append(
            _event(actor, action, kind, stored["id"], stored["rev"], old, copy.deepcopy(stored))
        )


def _event(
    actor: str,
    action: str,
    kind: str,
    id: str,
    rev: int,
    old: Document | None,
    new: Document | None,
) -> Document:
    return {
        "at": now_iso(),
        "actor": actor,
        "action": action,
        "kind": kind,
        "id": id,
        "rev": rev,
        "old": copy.deepcopy(old),
        "new": new,
    }
