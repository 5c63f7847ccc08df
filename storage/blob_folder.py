"""Attachments of the TinyDB backend: one file per blob, named by its sha256, written atomically."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from storage.atomic_file import remove_stale_temps, write_atomic
from storage.errors import NotFound, StoreDamaged

KEY = re.compile(r"^[0-9a-f]{64}$")


class BlobFolder:
    """Content-addressed files in one folder; a key is the sha256 hex of the bytes."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def clean(self) -> None:
        """Remove temp files a killed writer left behind."""
        if self.folder.exists():
            remove_stale_temps(self.folder)

    def put(self, data: bytes) -> str:
        """Store ``data`` (once) and return its key."""
        key = hashlib.sha256(data).hexdigest()
        path = self.folder / key
        if path.exists() and path.stat().st_size == len(data):
            return key
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomic(path, bytes(data))
        return key

    def get(self, key: str) -> bytes:
        """The bytes under ``key``; NotFound for an unknown or malformed key."""
        if not KEY.match(key):
            raise NotFound("blobs", key)
        try:
            data = (self.folder / key).read_bytes()
        except FileNotFoundError:
            raise NotFound("blobs", key) from None
        if hashlib.sha256(data).hexdigest() != key:
            raise StoreDamaged(
                f"附件文件已损坏:{self.folder / key}(内容与校验值不符)。"
                f"请从最近的备份恢复该文件(python -m storage restore),或联系管理员。"
            )
        return data

    def keys(self) -> list[str]:
        """Every stored key, sorted."""
        if not self.folder.exists():
            return []
        return sorted(p.name for p in self.folder.iterdir() if KEY.match(p.name))
