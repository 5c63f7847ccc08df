"""Open the backend a storage URL names (``VANGUARD_DB``)."""

from __future__ import annotations

from core.settings import settings
from storage.base import Repository
from storage.errors import BadStorageURL


def storage_url() -> str:
    """The configured URL: ``VANGUARD_DB`` or the embedded default (``core.settings``)."""
    return settings().db


def open_repository(url: str | None = None) -> Repository:
    """A Repository for ``url``: ``memory://``, ``tinydb://PATH`` or ``postgresql://...``.

    ``tinydb:///data/x.json`` is relative to the working directory (three slashes, like
    SQLAlchemy's relative sqlite URLs); ``tinydb:////abs/x.json`` is absolute.
    """
    url = url or storage_url()
    if url == "memory://":
        from storage.memory import MemoryRepository

        return MemoryRepository()
    if url.startswith("tinydb://"):
        from storage.tinydb_backend import TinyDBRepository

        return TinyDBRepository(url.removeprefix("tinydb:///"))
    if url.startswith(("postgresql://", "postgres://")):
        from storage.postgres import PostgresRepository

        return PostgresRepository(url)
    raise BadStorageURL(
        f"无法识别的存储地址 {url!r}:请使用 tinydb:///路径、postgresql://… 或 memory://"
    )
