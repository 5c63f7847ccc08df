"""The record that marks a store as Vanguard's: kind ``meta``, id ``store``, its schema version."""

from __future__ import annotations

from storage.base import Repository
from storage.documents import now_iso

META_KIND = "meta"
META_ID = "store"
SCHEMA_VERSION = 1


def init_store(repo: Repository) -> None:
    """Mark ``repo`` as a Vanguard store (``python -m storage init``); idempotent."""
    if repo.get(META_KIND, META_ID) is None:
        repo.insert(
            META_KIND,
            {"id": META_ID, "schema_version": SCHEMA_VERSION, "created_at": now_iso()},
            actor="setup",
        )
