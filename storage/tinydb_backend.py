"""The embedded default backend (``tinydb://PATH``): safe for threads, processes and crashes.

Files next to ``PATH`` (say ``data/vanguard.json``):

``vanguard.json``          snapshot of the current documents in TinyDB's layout (one table per
                           kind), written atomically; records up to which log offset it holds
``vanguard.json.journal``  append-only log of every change (one JSON line each, fsynced before a
                           save is acknowledged); it *is* the history and the audit trail
``vanguard.json.lock``     ``filelock`` lock file serialising processes
``vanguard.blobs/``        attachments, one file per sha256
``vanguard.archives/``     archived campaigns, read on demand (``storage.campaign_archive``)

A save costs one appended line and one fsync whatever the store holds, instead of stock
TinyDB's rewrite of the whole file. The snapshot is rewritten in a background thread every
``compact_every`` changes, so start-up replays only the tail of the log. Each process keeps one
in-memory copy per path (shared by every ``TinyDBRepository`` opened on it) and catches up with
changes other processes appended before every operation. See docs/storage.md.
"""

from __future__ import annotations

import heapq
import json
import logging
import threading
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Any

from filelock import FileLock

from storage.atomic_file import AtomicJSONStorage, remove_stale_temps, write_atomic
from storage.base import Document
from storage.blob_folder import BlobFolder
from storage.campaign_archive import (
    ARCHIVED_BY,
    CampaignArchive,
    archive_paths,
    refuse_archived,
)
from storage.documents import (
    at_expected_rev,
    audit_event,
    change_event,
    copy_json,
    dumps,
    normalize,
    now_iso,
    project,
)
from storage.errors import AlreadyExists, Archived, StorageError, StoreDamaged, StoreNotEmpty
from storage.event_log import EventLog
from storage.indexed_docs import IndexedDocs
from storage.store_files import StoreFiles, finish_replacing, replace_together

log = logging.getLogger(__name__)

META = "_vanguard"
FORMAT = 1
_REGISTRY_LOCK = threading.Lock()
_ENGINES: dict[Path, tuple[_Engine, int]] = {}


class TinyDBRepository:
    """A Repository on a TinyDB file; instances on the same path share one engine."""

    def __init__(self, path: str | Path, *, compact_every: int = 1000) -> None:
        self.path = Path(path).resolve()
        with _REGISTRY_LOCK:
            engine, users = _ENGINES.get(self.path, (None, 0))
            if engine is None:
                engine = _Engine(self.path, compact_every)
            _ENGINES[self.path] = (engine, users + 1)
        self._engine: _Engine | None = engine

    @property
    def engine(self) -> _Engine:
        """The shared engine; StorageError once this handle is closed."""
        if self._engine is None:
            raise StorageError(f"存储 {self.path} 已关闭")
        return self._engine

    def get(self, kind: str, id: str) -> Document | None:
        """The current revision of one document, or None."""
        return self.engine.get(kind, id)

    def find(
        self,
        kind: str,
        where: Mapping[str, Any] | None = None,
        *,
        fields: Sequence[str] | None = None,
    ) -> list[Document]:
        """Documents matching ``where`` (or their ``fields`` only), oldest first; indexed."""
        return self.engine.find(kind, where, fields)

    def insert(self, kind: str, doc: Document, *, actor: str) -> Document:
        """Store a new document at rev 1; AlreadyExists on a reused id."""
        return self.engine.insert(kind, doc, actor)

    def update(self, kind: str, doc: Document, *, actor: str, expected_rev: int) -> Document:
        """Replace a document; Conflict when the stored rev is not ``expected_rev``."""
        return self.engine.update(kind, doc, actor, expected_rev)

    def delete(self, kind: str, id: str, *, actor: str, expected_rev: int) -> None:
        """Remove a document; its history and audit stay."""
        self.engine.delete(kind, id, actor, expected_rev)

    def history(self, kind: str, id: str) -> list[Document]:
        """Every revision of a document, oldest first."""
        return self.engine.history(kind, id)

    def audit(
        self, kind: str | None = None, id: str | None = None, limit: int = 200
    ) -> list[Document]:
        """Audit events, newest first."""
        return self.engine.audit(kind, id, limit)

    def put_blob(self, data: bytes) -> str:
        """Store bytes under their sha256 (idempotent, atomic)."""
        return self.engine.blobs.put(data)

    def get_blob(self, key: str) -> bytes:
        """The bytes under ``key``; NotFound otherwise."""
        return self.engine.blobs.get(key)

    def kinds(self) -> list[str]:
        """Every kind holding at least one document."""
        return self.engine.kinds()

    def export_events(self) -> list[Document]:
        """Every change, oldest first (see ``storage.base.Transferable``)."""
        return self.engine.export_events()

    def import_events(self, events: list[Document]) -> int:
        """Replay changes into this empty store."""
        return self.engine.import_events(events)

    def blob_keys(self) -> list[str]:
        """Keys of every stored blob, sorted."""
        return self.engine.blobs.keys()

    @contextmanager
    def locked(self, name: str) -> Iterator[None]:
        """The engine's thread lock and the file lock, held together (both re-entrant, so the
        reads and writes inside take them again); other processes' changes are read first."""
        with self.engine.writing():
            yield

    def archive_campaign(self, campaign_id: str, *, actor: str) -> int:
        """Move the campaign's records and their changes into its archive file (read-only,
        read on demand); returns how many records moved."""
        return self.engine.archive(campaign_id)

    def unarchive_campaign(self, campaign_id: str, *, actor: str) -> int:
        """Bring an archived campaign's records and changes back into the store."""
        return self.engine.unarchive(campaign_id)

    def archived_campaigns(self) -> list[str]:
        """The ids of the archived campaigns, sorted."""
        return self.engine.archived()

    def compact(self) -> None:
        """Write the snapshot now (normally done in the background)."""
        self.engine.compact()

    def close(self) -> None:
        """Release this handle; the last one closed finishes compaction and frees the engine."""
        engine, self._engine = self._engine, None
        if engine is None:
            return
        with _REGISTRY_LOCK:
            _, users = _ENGINES[self.path]
            if users > 1:
                _ENGINES[self.path] = (engine, users - 1)
                return
            del _ENGINES[self.path]
        engine.close()


class _Engine:
    """The in-memory state of one store file, kept in step with its log."""

    def __init__(self, path: Path, compact_every: int) -> None:
        self.path = path
        self.compact_every = max(1, compact_every)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.files = StoreFiles(path)
        self.snapshot = AtomicJSONStorage(str(path))
        self.log = EventLog(self.files.journal)
        self.blobs = BlobFolder(path.with_name(path.stem + ".blobs"))
        self._lock = threading.RLock()
        self._flock = FileLock(str(path.with_name(path.name + ".lock")))
        self._compacting = threading.Lock()
        self._compactor: threading.Thread | None = None
        self._docs = IndexedDocs()
        self._archives: dict[str, CampaignArchive] = {}
        self._offset = 0
        self._inode: int | None = None
        self._since_snapshot = 0
        # Lazily built index of the whole log: (kind, id, offset, length, previous entry).
        self._entries: list[tuple[str, str, int, int, int]] | None = None
        self._last: dict[tuple[str, str], int] = {}
        with self._lock, self._flock:
            remove_stale_temps(path.parent)
            if self.files.archives.is_dir():
                remove_stale_temps(self.files.archives)
            self.blobs.clean()
            self._load()

    # -- keeping in step with the files ------------------------------------------------------

    def _load(self) -> None:
        """Read the snapshot and replay the log after it (under both locks)."""
        finish_replacing(self.files)
        data = self.snapshot.read() or {}
        meta = data.pop(META, None)
        if data and meta is None:
            raise StoreDamaged(
                f"{self.path} 不是先锋工程的存储文件(缺少 {META} 信息)。系统没有改动它;"
                f"请检查 VANGUARD_DB 是否指向了正确的文件。"
            )
        offset = int(meta["1"]["log_offset"]) if meta else 0
        size, inode = self.log.stat()
        if size < offset:
            raise StoreDamaged(
                f"存储日志 {self.log.path} 比快照 {self.path} 记录的短(可能被截断或替换)。"
                f"系统没有改动它们;请用 python -m storage restore 从最近的备份恢复,或联系管理员。"
            )
        self._docs.load({kind: table.values() for kind, table in data.items()})
        self._open_archives(list(meta["1"].get("archived", [])) if meta else [])
        self._offset, self._inode = offset, inode
        self._entries, self._last = None, {}
        self._since_snapshot = 0
        self._catch_up()

    def _catch_up(self) -> None:
        """Apply changes other processes appended; cut an unacknowledged partial line."""
        size, inode = self.log.stat()
        if self._inode is not None and (inode != self._inode or size < self._offset):
            self._load()  # the files were replaced underneath us (e.g. a restore)
            return
        self._inode = inode
        if size == self._offset:
            return
        for offset, length, event in self.log.scan(self._offset):
            self._apply(event, offset, length)
            self._offset = offset + length
            self._since_snapshot += 1
        if self._offset < size:
            log.warning("cutting an unacknowledged partial change off %s", self.log.path)
            self.log.truncate(self._offset)

    def _open_archives(self, archived: list[str]) -> None:
        """Open the listed archives; remove files of an archiving that never committed."""
        folder = self.files.archives
        self._archives = {cid: CampaignArchive.open(folder, cid) for cid in archived}
        listed = {p for cid in archived for p in archive_paths(folder, cid)}
        for stray in folder.glob("*") if folder.is_dir() else []:
            if stray not in listed and ".vgtmp-" not in stray.name:
                stray.unlink()

    def _apply(self, event: Document, offset: int, length: int) -> None:
        kind, id, doc = event["kind"], event["id"], event["doc"]
        if doc is None:
            self._docs.pop(kind, id)
        else:
            self._docs.put(kind, doc)
        if self._entries is not None:
            self._index(kind, id, offset, length)

    def _index(self, kind: str, id: str, offset: int, length: int) -> None:
        assert self._entries is not None
        self._entries.append((kind, id, offset, length, self._last.get((kind, id), -1)))
        self._last[(kind, id)] = len(self._entries) - 1

    def _ensure_index(self) -> list[tuple[str, str, int, int, int]]:
        if self._entries is None:
            self._entries, self._last = [], {}
            for offset, length, event in self.log.scan(0):
                if offset >= self._offset:
                    break
                self._index(event["kind"], event["id"], offset, length)
        return self._entries

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Both locks held and the log caught up: a write, or a ``locked`` section."""
        with self._lock, self._flock:
            self._catch_up()
            yield

    @contextmanager
    def _reading(self) -> Iterator[None]:
        with self._lock:
            if self.log.stat() != (self._offset, self._inode):
                with self._flock:
                    self._catch_up()
            yield

    # -- the Repository operations ------------------------------------------------------------

    def get(self, kind: str, id: str) -> Document | None:
        with self._reading():
            doc = self._docs.get(kind, id)
            if doc is not None:
                return copy_json(doc)
            archive = self._archive_holding(kind, id)
            return archive.get(kind, id) if archive else None

    def find(
        self, kind: str, where: Mapping[str, Any] | None, fields: Sequence[str] | None
    ) -> list[Document]:
        with self._reading():
            where = where or {}
            if ARCHIVED_BY not in where:  # every campaign: the archived ones first
                archived = [d for a in self._archives.values() for d in a.find(kind, where)]
            elif (archive := self._archives.get(where[ARCHIVED_BY])) is not None:
                return [project(d, fields) for d in archive.find(kind, where)]
            else:
                archived = []
            return [project(d, fields) for d in (*archived, *self._docs.find(kind, where))]

    def kinds(self) -> list[str]:
        with self._reading():
            kinds = set(self._docs.kinds())
            for archive in self._archives.values():
                kinds |= archive.kinds()
            return sorted(kinds)

    def _archive_holding(self, kind: str, id: str) -> CampaignArchive | None:
        return next((a for a in self._archives.values() if a.holds(kind, id)), None)

    def _refuse_archived(self, kind: str, id: str, *docs: Document) -> None:
        """Archived records are read-only, and no record joins an archived campaign."""
        archive = self._archive_holding(kind, id)
        if archive is not None:
            raise Archived(archive.campaign_id, f"{kind}/{id}")
        refuse_archived(self._archives, kind, id, *docs)

    def insert(self, kind: str, doc: Document, actor: str) -> Document:
        stored = normalize(doc)
        with self.writing():
            stored["id"] = str(stored.get("id") or uuid.uuid4().hex)
            if self._docs.get(kind, stored["id"]) is not None:
                raise AlreadyExists(kind, stored["id"])
            self._refuse_archived(kind, stored["id"], stored)
            at = now_iso()
            stored.update(rev=1, updated_at=at, updated_by=actor)
            self._append([change_event(actor, "insert", kind, stored["id"], 1, stored, at)])
        self._maybe_compact()
        return copy_json(stored)

    def update(self, kind: str, doc: Document, actor: str, expected_rev: int) -> Document:
        stored = normalize(doc)
        with self.writing():
            self._refuse_archived(kind, str(doc["id"]), stored)
            current = self._current(kind, str(doc["id"]), expected_rev)
            stored["id"] = current["id"]
            rev = current["rev"] + 1
            at = now_iso()
            stored.update(rev=rev, updated_at=at, updated_by=actor)
            self._append([change_event(actor, "update", kind, stored["id"], rev, stored, at)])
        self._maybe_compact()
        return copy_json(stored)

    def delete(self, kind: str, id: str, actor: str, expected_rev: int) -> None:
        with self.writing():
            self._refuse_archived(kind, id)
            current = self._current(kind, id, expected_rev)
            self._append([change_event(actor, "delete", kind, id, current["rev"], None, now_iso())])
        self._maybe_compact()

    def history(self, kind: str, id: str) -> list[Document]:
        with self._reading():
            archive = self._archive_holding(kind, id)
            if archive is not None:
                return archive.history(kind, id)
            entries = self._ensure_index()
            chain: list[int] = []
            at = self._last.get((kind, id), -1)
            while at >= 0:
                chain.append(at)
                at = entries[at][4]
            docs = [self.log.read_at(entries[i][2], entries[i][3])["doc"] for i in reversed(chain)]
            return [d for d in docs if d is not None]

    def audit(self, kind: str | None, id: str | None, limit: int) -> list[Document]:
        with self._reading():
            streams = [a.audit(kind, id) for a in self._archives.values()]
            newest_first = heapq.merge(
                self._audit(kind, id), *streams, key=lambda e: e["at"], reverse=True
            )
            return list(islice(newest_first, limit))

    def _audit(self, kind: str | None, id: str | None) -> Iterator[Document]:
        """The journal's audit events (of ``kind``/``id`` if given), newest first."""
        entries = self._ensure_index()
        for i in range(len(entries) - 1, -1, -1):
            e_kind, e_id, offset, length, previous = entries[i]
            if (kind is not None and e_kind != kind) or (id is not None and e_id != id):
                continue
            change = self.log.read_at(offset, length)
            old = None
            if previous >= 0:
                old = self.log.read_at(entries[previous][2], entries[previous][3])["doc"]
            yield audit_event(
                change["actor"],
                change["action"],
                e_kind,
                e_id,
                change["rev"],
                old,
                change["doc"],
                change["at"],
            )

    def export_events(self) -> list[Document]:
        with self._reading():
            end = self._offset
            active = (e for offset, _, e in self.log.scan(0) if offset < end)
            archived = [(e for e, _ in a.changes()) for a in self._archives.values()]
            return list(heapq.merge(*archived, active, key=lambda e: e["at"]))

    def import_events(self, events: list[Document]) -> int:
        with self.writing():
            if self._offset or self._docs.kinds() or self._archives:
                raise StoreNotEmpty()
            self._append(
                [
                    change_event(
                        e["actor"],
                        e["action"],
                        e["kind"],
                        e["id"],
                        e["rev"],
                        normalize(e["doc"]) if e["doc"] is not None else None,
                        e["at"],
                    )
                    for e in events
                ]
            )
        self._maybe_compact()
        return len(events)

    def _current(self, kind: str, id: str, expected_rev: int) -> Document:
        return at_expected_rev(self._docs.get(kind, id), kind, id, expected_rev)

    def _append(self, events: list[Document]) -> None:
        """Make ``events`` durable in the log, then apply them (under both locks)."""
        if not events:
            return
        lines = [(dumps(e) + "\n").encode("utf-8") for e in events]
        end = self.log.append(b"".join(lines), self._offset)
        self._inode = self.log.stat()[1]
        offset = self._offset
        for event, line in zip(events, lines, strict=True):
            self._apply(event, offset, len(line))
            offset += len(line)
        self._offset = end
        self._since_snapshot += len(events)

    # -- snapshots ----------------------------------------------------------------------------

    def _maybe_compact(self) -> None:
        if self._since_snapshot < self.compact_every or self._compacting.locked():
            return
        if self._compactor is not None and self._compactor.is_alive():
            return
        self._compactor = threading.Thread(
            target=self._compact_quietly, name=f"compact {self.path.name}", daemon=True
        )
        self._compactor.start()

    def _compact_quietly(self) -> None:
        try:
            self.compact()
        except StorageError as exc:  # the log still holds everything; retry on a later save
            log.warning("snapshot of %s not written: %s", self.path, exc)

    def compact(self) -> None:
        """Write the current documents and their log offset as the new snapshot."""
        with self._compacting:
            with self._lock:
                # Stored documents are never mutated in place, so a shallow copy is a snapshot.
                tables = self._docs.tables()
                offset, count, inode = self._offset, self._since_snapshot, self._inode
                archived = list(self._archives)
            payload = _snapshot_bytes(tables, offset, archived)
            with self._flock:
                if self.log.stat()[1] != inode:
                    return  # the journal was replaced meanwhile (an archiving): stale snapshot
                write_atomic(self.path, payload)
            with self._lock:
                self._since_snapshot -= count

    # -- archived campaigns ---------------------------------------------------------------------

    def archived(self) -> list[str]:
        with self._reading():
            return sorted(self._archives)

    def archive(self, campaign_id: str) -> int:
        """Move every change of the campaign's records to its archive, atomically."""
        with self.writing():
            if campaign_id in self._archives:
                return 0
            owner: dict[tuple[str, str], object] = {}
            lines: list[tuple[tuple[str, str], bytes]] = []
            for offset, line in self.log.lines(0):
                if offset >= self._offset:
                    break
                event = self.log.parse(line)
                key = (str(event["kind"]), str(event["id"]))
                if isinstance(event["doc"], dict):
                    owner[key] = event["doc"].get(ARCHIVED_BY)
                lines.append((key, line))
            moved = {key for key, campaign in owner.items() if campaign == campaign_id}
            CampaignArchive.write(
                self.files.archives,
                campaign_id,
                [(self.log.parse(line), line) for key, line in lines if key in moved],
            )
            kept = b"".join(line for key, line in lines if key not in moved)
            tables = {
                kind: [d for d in docs if (kind, str(d["id"])) not in moved]
                for kind, docs in self._docs.tables().items()
            }
            snapshot = _snapshot_bytes(tables, len(kept), [*self._archives, campaign_id])
            self._replace(kept, snapshot, {"archive": campaign_id})
            return len(moved)

    def unarchive(self, campaign_id: str) -> int:
        """Put the campaign's changes back into the journal in time order, atomically."""
        with self.writing():
            archive = self._archives.get(campaign_id)
            if archive is None:
                return 0
            active = (
                (self.log.parse(line)["at"], line)
                for offset, line in self.log.lines(0)
                if offset < self._offset
            )
            back = [(event["at"], line) for event, line in archive.changes()]
            merged = b"".join(line for _, line in heapq.merge(back, active, key=_first))
            others = [cid for cid in self._archives if cid != campaign_id]
            # The snapshot replays the whole journal once; the next compaction shortens that.
            self._replace(merged, _snapshot_bytes({}, 0, others), {"unarchive": campaign_id})
        self.compact()  # outside the locks: a background compaction may be waiting for them
        return len(archive)

    def _replace(self, journal: bytes, snapshot: bytes, intent: dict[str, str]) -> None:
        try:
            replace_together(self.files, journal, snapshot, intent)
        finally:
            self._load()

    def close(self) -> None:
        """Wait for a running compaction, then write a final snapshot if changes are pending."""
        if self._compactor is not None:
            self._compactor.join()
        if self._since_snapshot:
            try:
                self.compact()
            except StorageError as exc:
                log.warning("snapshot of %s not written at close: %s", self.path, exc)


def _first(pair: tuple[str, bytes]) -> str:
    return pair[0]


def _snapshot_bytes(
    tables: Mapping[str, Iterable[Document]], offset: int, archived: list[str]
) -> bytes:
    """The snapshot file: the documents in TinyDB's layout, the log offset they reflect and
    the archived campaigns."""
    meta = {"format": FORMAT, "log_offset": offset, "written_at": now_iso(), "archived": archived}
    data: dict[str, dict[str, Any]] = {META: {"1": meta}}
    for kind, docs in tables.items():
        data[kind] = {str(n): doc for n, doc in enumerate(docs, start=1)}
    return json.dumps(data, ensure_ascii=False).encode("utf-8")
