"""Errors every storage backend raises; each carries a message a person can act on."""

from __future__ import annotations

from typing import Any


class StorageError(Exception):
    """Base class of storage errors."""


class Conflict(StorageError):
    """A save was based on an older revision than the stored one (已被他人修改).

    ``current`` is the stored document, so the caller can show both versions.
    """

    def __init__(self, kind: str, id: str, expected: int, current: dict[str, Any] | None) -> None:
        self.kind, self.id, self.expected, self.current = kind, id, expected, current
        actual = current["rev"] if current else None
        super().__init__(
            f"已被他人修改:{kind}/{id} 的当前版本是 {actual},你的修改基于版本 {expected}"
        )


class NotFound(StorageError):
    """No record with that id."""

    def __init__(self, kind: str, id: str) -> None:
        self.kind, self.id = kind, id
        super().__init__(f"找不到记录 {kind}/{id}")


class AlreadyExists(StorageError):
    """An insert reused an existing id."""

    def __init__(self, kind: str, id: str) -> None:
        self.kind, self.id = kind, id
        super().__init__(f"记录 {kind}/{id} 已存在")


class StoreDamaged(StorageError):
    """The store's file cannot be read; it is left untouched for a person to look at."""


class StoreNotEmpty(StorageError):
    """A restore or copy aimed at a store that already holds changes (it must start empty)."""

    def __init__(self) -> None:
        super().__init__("目标存储不是空的:只能把备份恢复到空的存储中")


class BadStorageURL(StorageError):
    """``VANGUARD_DB`` names no known backend."""
