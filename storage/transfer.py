"""Moving and keeping data: backup to one zip, restore from it, copy between backends.

A backup is a zip holding ``events.jsonl`` (every change ever made, oldest first: replaying it
rebuilds documents, history and audit), ``blobs/<sha256>`` (attachments) and ``manifest.json``
(counts per kind, sha256 of the events file, of the resulting documents and of every blob).
Counts and digests are computed by replaying the exported changes, so the manifest describes
exactly the snapshot that was written, even while the app keeps saving. Restore and copy verify
the target against them before reporting success.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storage.atomic_file import fsync_dir
from storage.base import Document, Repository, Transferable
from storage.documents import dumps, now_iso, state_digest
from storage.errors import StorageError
from storage.memory import MemoryRepository

FORMAT = "vanguard-backup"
VERSION = 1


class BadBackup(StorageError):
    """A backup file that is missing, not ours, or fails its checksums."""


@dataclass
class Summary:
    """What a store holds, in figures two stores can be compared by."""

    counts: dict[str, int]
    events: int
    state_sha256: str
    blobs: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """Human-readable lines (Chinese) for the CLI."""
        out = [f"  {kind}: {n} 条" for kind, n in sorted(self.counts.items())]
        out.append(f"  修改记录: {self.events} 条")
        out.append(f"  附件: {len(self.blobs)} 个,共 {sum(self.blobs.values())} 字节")
        out.append(f"  数据校验值 sha256: {self.state_sha256}")
        return out


def transferable(repo: Repository) -> Transferable:
    """``repo`` as a Transferable, or StorageError if its backend cannot export."""
    if not isinstance(repo, Transferable):
        raise StorageError(f"{type(repo).__name__} 不支持备份、恢复和复制")
    return repo


def summarize(repo: Repository, events: int | None = None) -> Summary:
    """Counts, digest and blob sizes of what ``repo`` holds now."""
    docs: list[dict[str, Any]] = []
    counts: dict[str, int] = {}
    for kind in repo.kinds():
        found = repo.find(kind)
        counts[kind] = len(found)
        docs += [{"kind": kind, "doc": doc} for doc in found]
    store = transferable(repo)
    blobs = {key: len(repo.get_blob(key)) for key in store.blob_keys()}
    if events is None:
        events = len(store.export_events())
    return Summary(counts, events, state_digest(docs), blobs)


def summarize_events(events: list[Document]) -> Summary:
    """The Summary of the store these changes build (replayed in memory)."""
    replay = MemoryRepository()
    replay.import_events(events)
    return summarize(replay, len(events))


def backup(repo: Repository, out: Path) -> dict[str, Any]:
    """Write a consistent snapshot of ``repo`` to the zip ``out``; returns its manifest."""
    store = transferable(repo)
    events = store.export_events()
    summary = summarize_events(events)
    events_bytes = "".join(dumps(e) + "\n" for e in events).encode("utf-8")
    keys = store.blob_keys()
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": now_iso(),
        "counts": summary.counts,
        "events": len(events),
        "events_sha256": hashlib.sha256(events_bytes).hexdigest(),
        "state_sha256": summary.state_sha256,
        "blobs": {},
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = out.with_name(f".{out.name}.{os.getpid()}.partial")
    try:
        with zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("events.jsonl", events_bytes)
            for key in keys:
                data = repo.get_blob(key)
                manifest["blobs"][key] = len(data)
                archive.writestr(f"blobs/{key}", data)
            archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        with open(temp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, out)
        fsync_dir(out.parent)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise StorageError(f"备份文件 {out} 写入失败:{exc}") from exc
    return manifest


def read_backup(path: Path) -> tuple[dict[str, Any], list[Document], dict[str, bytes]]:
    """Manifest, changes and blobs of a backup, every checksum verified; BadBackup otherwise."""
    if not path.is_file():
        raise BadBackup(f"找不到备份文件 {path}")
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read("manifest.json"))
            if manifest.get("format") != FORMAT:
                raise BadBackup(f"{path} 不是先锋工程的备份文件")
            events_bytes = archive.read("events.jsonl")
            blobs = {key: archive.read(f"blobs/{key}") for key in manifest["blobs"]}
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise BadBackup(f"备份文件 {path} 已损坏或不完整:{exc}") from exc
    if hashlib.sha256(events_bytes).hexdigest() != manifest["events_sha256"]:
        raise BadBackup(f"备份文件 {path} 的修改记录校验值不符,文件已损坏")
    for key, data in blobs.items():
        if hashlib.sha256(data).hexdigest() != key:
            raise BadBackup(f"备份文件 {path} 中的附件 {key} 校验值不符,文件已损坏")
    # One event per "\n": str.splitlines() would also split inside text at U+2028, U+0085…
    events = [json.loads(line) for line in events_bytes.split(b"\n") if line]
    return manifest, events, blobs


def restore_backup(repo: Repository, path: Path) -> tuple[dict[str, Any], Summary]:
    """Load a backup into the empty ``repo`` and verify it; returns (manifest, what was loaded)."""
    manifest, events, blobs = read_backup(path)
    transferable(repo).import_events(events)
    for data in blobs.values():
        repo.put_blob(data)
    loaded = summarize(repo)
    expected = Summary(
        manifest["counts"], manifest["events"], manifest["state_sha256"], manifest["blobs"]
    )
    verify(expected, loaded)
    return manifest, loaded


def copy_store(src: Repository, dst: Repository) -> tuple[Summary, Summary]:
    """Copy every change and blob of ``src`` into the empty ``dst``; returns both summaries."""
    events = transferable(src).export_events()
    expected = summarize_events(events)
    transferable(dst).import_events(events)
    blob_sizes: dict[str, int] = {}
    for key in transferable(src).blob_keys():
        data = src.get_blob(key)
        blob_sizes[key] = len(data)
        dst.put_blob(data)
    expected.blobs = blob_sizes
    copied = summarize(dst)
    verify(expected, copied)
    return expected, copied


def verify(expected: Summary, actual: Summary) -> None:
    """StorageError unless ``actual`` holds exactly what ``expected`` says."""
    problems = []
    if expected.counts != actual.counts:
        problems.append(f"记录数不同:应为 {expected.counts},实际 {actual.counts}")
    if expected.events != actual.events:
        problems.append(f"修改记录数不同:应为 {expected.events},实际 {actual.events}")
    if expected.state_sha256 != actual.state_sha256:
        problems.append("数据校验值不同")
    missing = sorted(set(expected.blobs) - set(actual.blobs))
    if missing:
        problems.append(f"缺少 {len(missing)} 个附件")
    if problems:
        raise StorageError("校验失败:" + ";".join(problems))
