"""The documents an in-process backend holds, with indexes on the fields every request filters on.

The memory and TinyDB backends keep every current document in memory. A ``find`` by campaign,
branch, form type or status (``storage.base.INDEXED_FIELDS``) looks in the smallest matching
index bucket instead of scanning every document of the kind, so a request costs what it
returns, not what the store holds (ten years of campaigns included). Documents come back in the
order they were first stored, as ``Repository.find`` promises; they are not copied here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from storage.base import INDEXED_FIELDS, Document
from storage.documents import matches


class IndexedDocs:
    """Current documents by kind and id, indexed on ``INDEXED_FIELDS`` (text values)."""

    def __init__(self, fields: Sequence[str] = INDEXED_FIELDS) -> None:
        self._fields = tuple(fields)
        self._reset()

    def _reset(self) -> None:
        self._docs: dict[str, dict[str, Document]] = {}
        self._order: dict[str, dict[str, int]] = {}  # kind → id → when first stored
        self._next = 0
        # (kind, field) → value → ids holding it
        self._index: dict[tuple[str, str], dict[str, set[str]]] = {}

    def get(self, kind: str, id: str) -> Document | None:
        """The document, or None (not a copy)."""
        return self._docs.get(kind, {}).get(id)

    def put(self, kind: str, doc: Document) -> None:
        """Store ``doc`` (keyed by its ``id``) in place of any document with that id."""
        id = str(doc["id"])
        table = self._docs.setdefault(kind, {})
        old = table.get(id)
        if old is not None:
            self._unindex(kind, id, old)
        else:
            self._order.setdefault(kind, {})[id] = self._next
            self._next += 1
        table[id] = doc
        for field in self._fields:
            value = doc.get(field)
            if isinstance(value, str):
                self._index.setdefault((kind, field), {}).setdefault(value, set()).add(id)

    def pop(self, kind: str, id: str) -> Document | None:
        """Remove and return the document (None when there is none)."""
        doc = self._docs.get(kind, {}).pop(id, None)
        if doc is not None:
            self._unindex(kind, id, doc)
            del self._order[kind][id]
        return doc

    def find(self, kind: str, where: Mapping[str, Any] | None = None) -> list[Document]:
        """Documents whose top-level fields equal every value of ``where``, oldest first."""
        table = self._docs.get(kind, {})
        buckets = [
            self._index.get((kind, field), {}).get(value, set())
            for field, value in (where or {}).items()
            if field in self._fields and isinstance(value, str)
        ]
        if not buckets:
            return [d for d in table.values() if matches(d, where)]
        buckets.sort(key=len)
        ids = buckets[0].intersection(*buckets[1:])  # walks the smallest bucket
        order = self._order[kind] if ids else {}
        found = (table[i] for i in sorted(ids, key=order.__getitem__))
        return [d for d in found if matches(d, where)]

    def kinds(self) -> list[str]:
        """Every kind holding at least one document."""
        return sorted(k for k, docs in self._docs.items() if docs)

    def tables(self) -> dict[str, list[Document]]:
        """Every kind's documents, oldest first (for snapshots)."""
        return {kind: list(docs.values()) for kind, docs in self._docs.items() if docs}

    def load(self, tables: Mapping[str, Iterable[Document]]) -> None:
        """Replace everything with ``tables`` (kind → documents, oldest first)."""
        self._reset()
        for kind, docs in tables.items():
            for doc in docs:
                self.put(kind, doc)

    def _unindex(self, kind: str, id: str, doc: Document) -> None:
        for field in self._fields:
            value = doc.get(field)
            if isinstance(value, str):
                bucket = self._index[(kind, field)][value]
                bucket.discard(id)
                if not bucket:
                    del self._index[(kind, field)][value]
