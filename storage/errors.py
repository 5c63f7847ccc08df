"""Errors every storage backend raises; each carries a message a person can act on.

They are ``core.errors.VanguardError``s: the record they concern is in ``record``
(``kind/id``) and their messages are worded in the reader's language when shown.
"""

from __future__ import annotations

from typing import Any

from core.errors import VanguardError


class StorageError(VanguardError):
    """Base class of storage errors."""


class Conflict(StorageError):
    """A save was based on an older revision than the stored one (已被他人修改).

    ``current`` is the stored document, so the caller can show both versions.
    """

    def __init__(self, kind: str, id: str, expected: int, current: dict[str, Any] | None) -> None:
        self.kind, self.id, self.expected, self.current = kind, id, expected, current
        actual = current["rev"] if current else None
        super().__init__(
            key="storage.error.conflict",
            values={"record": f"{kind}/{id}", "actual": actual, "expected": expected},
            record=f"{kind}/{id}",
        )


class NotFound(StorageError):
    """No record with that id."""

    def __init__(self, kind: str, id: str) -> None:
        self.kind, self.id = kind, id
        super().__init__(
            key="storage.error.not_found", values={"record": f"{kind}/{id}"}, record=f"{kind}/{id}"
        )


class AlreadyExists(StorageError):
    """An insert reused an existing id."""

    def __init__(self, kind: str, id: str) -> None:
        self.kind, self.id = kind, id
        super().__init__(
            key="storage.error.exists", values={"record": f"{kind}/{id}"}, record=f"{kind}/{id}"
        )


class StoreDamaged(StorageError):
    """The store's file cannot be read; it is left untouched for a person to look at."""


class StoreNotEmpty(StorageError):
    """A restore or copy aimed at a store that already holds changes (it must start empty)."""

    def __init__(self) -> None:
        super().__init__(key="storage.error.not_empty")


class BadStorageURL(StorageError):
    """``VANGUARD_DB`` names no known backend."""


class Archived(StorageError):
    """A change aimed at a record of an archived (closed, read-only) campaign.

    An administrator reopens the campaign first (``python -m workflow unarchive-campaign``).
    """

    def __init__(self, campaign_id: str, record: str) -> None:
        self.campaign_id = campaign_id
        super().__init__(
            key="storage.error.archived",
            values={"record": record, "campaign": campaign_id},
            record=record,
        )
