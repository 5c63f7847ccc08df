"""Laid-out branch sections of campaign dossiers, kept on disk for the next build.

A branch's section is named by the hash of everything it prints (``reports.dossier_parts``),
so a kept file is never stale: a changed record gives a new name, and the old file ages out.
Files are written whole under a temporary name and renamed, so the builder processes of
several app processes may share the directory. The directory holds at most ``max_bytes``;
the least recently used files go first.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from core.settings import settings

MAX_BYTES = 512 * 1024 * 1024
OFF = "off"


class DiskPartCache:
    """A ``reports.dossier_parts.PartCache`` in ``directory``."""

    def __init__(self, directory: Path, max_bytes: int = MAX_BYTES) -> None:
        self.directory = directory
        self.max_bytes = max_bytes

    def _path(self, key: str) -> Path:
        if not key.isalnum():  # a hex digest: nothing else may name a file here
            raise ValueError(f"not a part key: {key!r}")
        return self.directory / f"{key}.pdf"

    def get(self, key: str) -> bytes | None:
        """The kept part ``key``, or ``None``; a hit counts as a use."""
        path = self._path(key)
        try:
            data = path.read_bytes()
            os.utime(path)
        except OSError:
            return None
        return data

    def put(self, key: str, pdf: bytes) -> None:
        """Keep ``pdf`` as part ``key``, then drop the least recently used over the limit."""
        self.directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        with os.fdopen(handle, "wb") as file:
            file.write(pdf)
        os.replace(temporary, self._path(key))
        self._prune()

    def _prune(self) -> None:
        files = []
        for entry in os.scandir(self.directory):
            if entry.name.endswith(".pdf"):
                stat = entry.stat()
                files.append((stat.st_mtime, stat.st_size, entry.path))
        total = sum(size for _, size, _ in files)
        for _, size, path in sorted(files):
            if total <= self.max_bytes:
                break
            Path(path).unlink(missing_ok=True)
            total -= size


def configured_cache() -> DiskPartCache | None:
    """The cache in the ``dossier_cache`` directory of the settings; ``None`` when it is
    ``off``."""
    where = settings().dossier_cache
    return None if where == OFF else DiskPartCache(Path(where))
