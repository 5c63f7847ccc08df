"""Replacing a TinyDB store's journal and snapshot together, crash-safe (archiving a campaign).

A save appends to the journal; archiving or reopening a campaign rewrites it (the campaign's
changes move to or from their archive file), and the snapshot must change with it, since it
records an offset into the journal and the list of archived campaigns. Two files cannot be
renamed at once, so the new ones are written beside the old (``.next``), then a marker file
(``.replacing``) is written atomically: the commit point. Whoever holds the file lock next and
finds the marker finishes the two renames (each done at most once: a ``.next`` file that is gone
was renamed already); without a marker, left-over ``.next`` files are removed and the old pair
stands. A process killed at any moment therefore leaves either the old store or the new one.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storage.atomic_file import fsync_dir, write_atomic


@dataclass(frozen=True)
class StoreFiles:
    """The files of one TinyDB store (``PATH`` is the snapshot)."""

    snapshot: Path

    @property
    def journal(self) -> Path:
        """The append-only change log."""
        return self.snapshot.with_name(self.snapshot.name + ".journal")

    @property
    def archives(self) -> Path:
        """The folder of archived campaigns (``storage.campaign_archive``)."""
        return self.snapshot.with_name(self.snapshot.stem + ".archives")

    @property
    def marker(self) -> Path:
        """Present only between the commit of a replacement and its last rename."""
        return self.snapshot.with_name(self.snapshot.name + ".replacing")

    def next(self, path: Path) -> Path:
        """Where the new version of ``path`` waits for the commit."""
        return path.with_name(path.name + ".next")


def replace_together(
    files: StoreFiles, journal: bytes, snapshot: bytes, intent: dict[str, Any]
) -> None:
    """Replace the journal and the snapshot as one step (caller holds the file lock)."""
    try:
        write_atomic(files.next(files.journal), journal)
        write_atomic(files.next(files.snapshot), snapshot)
    except BaseException:
        finish_replacing(files)  # no marker yet: removes the half-made new files
        raise
    write_atomic(files.marker, json.dumps(intent, ensure_ascii=False).encode("utf-8"))
    finish_replacing(files)


def finish_replacing(files: StoreFiles) -> None:
    """Complete a committed replacement, or clear one that never committed (under the lock)."""
    pending = [(files.next(p), p) for p in (files.journal, files.snapshot)]
    if not files.marker.exists():
        for new, _ in pending:
            new.unlink(missing_ok=True)
        return
    for new, old in pending:
        if new.exists():
            os.replace(new, old)
    fsync_dir(files.snapshot.parent)
    files.marker.unlink()
    fsync_dir(files.snapshot.parent)
