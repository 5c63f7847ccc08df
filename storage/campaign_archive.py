"""A closed campaign's records in a read-only file of their own, read on demand (TinyDB backend).

Archiving a campaign moves every change of its records (the documents whose ``campaign_id`` is
the campaign, deleted ones included) out of the store's journal, byte for byte and in order,
into ``<stem>.archives/<campaign_id>.journal``. ``<campaign_id>.index.json`` beside it says
where each record's changes are and holds the indexed fields (``storage.base.INDEXED_FIELDS``)
of its current version. A process keeps only that index in memory; a document is read from the
file when asked for (one ``pread`` of its last change), its history from its changes. Nothing
is rewritten, so the history and the audit trail stay exactly as they were.

The backend (``storage.tinydb_backend``) decides when a campaign is archived and keeps the two
files consistent with its journal and snapshot; see docs/storage.md.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storage.atomic_file import read_json, write_atomic
from storage.base import INDEXED_FIELDS, Document
from storage.documents import audit_event, matches
from storage.errors import Archived, StoreDamaged
from storage.event_log import EventLog

ARCHIVED_BY = "campaign_id"
FORMAT = 1


@dataclass
class ArchivedRecord:
    """Where one record's changes are in the archive file, and what its indexes need."""

    kind: str
    id: str
    changes: list[tuple[int, int]] = field(default_factory=list)  # (offset, length), oldest first
    fields: dict[str, str] = field(default_factory=dict)  # indexed fields of the current version
    alive: bool = True  # False once its last change is a delete


def refuse_archived(
    archived: Collection[str], kind: str, id: str, *docs: Mapping[str, Any] | None
) -> None:
    """Raise ``Archived`` if any of ``docs`` (the old and the new version of a record being
    changed) belongs to an archived campaign: every backend keeps those read-only."""
    for doc in docs:
        campaign = doc.get(ARCHIVED_BY) if doc else None
        if isinstance(campaign, str) and campaign in archived:
            raise Archived(campaign, f"{kind}/{id}")


def archive_paths(folder: Path, campaign_id: str) -> tuple[Path, Path]:
    """The journal and the index file of ``campaign_id``'s archive in ``folder``."""
    return folder / f"{campaign_id}.journal", folder / f"{campaign_id}.index.json"


class CampaignArchive:
    """One archived campaign: its changes on disk, its index in memory."""

    def __init__(self, folder: Path, campaign_id: str, records: list[ArchivedRecord]) -> None:
        self.campaign_id = campaign_id
        journal, self.index_path = archive_paths(folder, campaign_id)
        self.log = EventLog(journal)
        self._records = {(r.kind, r.id): r for r in records}
        self._kinds: dict[str, list[ArchivedRecord]] = {}
        self._changes: list[tuple[tuple[int, int], ArchivedRecord, int]] | None = None
        for record in records:
            self._kinds.setdefault(record.kind, []).append(record)

    # -- writing and opening --------------------------------------------------------------------

    @classmethod
    def write(
        cls, folder: Path, campaign_id: str, changes: list[tuple[Document, bytes]]
    ) -> CampaignArchive:
        """Write ``changes`` (event, its journal line), oldest first, as the campaign's archive.

        Both files are written atomically; until the store lists the campaign as archived,
        they are ignored (and removed at the next start-up).
        """
        folder.mkdir(parents=True, exist_ok=True)
        archive = cls(folder, campaign_id, _records(_with_offsets(changes)))
        write_atomic(archive.log.path, b"".join(line for _, line in changes))
        write_atomic(archive.index_path, archive._index_bytes())
        return archive

    @classmethod
    def open(cls, folder: Path, campaign_id: str) -> CampaignArchive:
        """The archive as its index describes it (rebuilt from the journal if the index is gone);
        StoreDamaged when the journal is missing."""
        journal, index = archive_paths(folder, campaign_id)
        if not journal.exists():
            raise StoreDamaged(
                f"已归档活动 {campaign_id} 的文件 {journal} 不见了。系统没有改动存储;"
                f"请用 python -m storage restore 从最近的备份恢复,或联系管理员。"
            )
        if not index.exists():
            archive = cls(folder, campaign_id, _records(EventLog(journal).scan(0)))
            write_atomic(index, archive._index_bytes())
            return archive
        data = read_json(index)
        records = [
            ArchivedRecord(kind, id, [(o, n) for o, n in changes], dict(fields), alive)
            for kind, id, changes, fields, alive in data["records"]
        ]
        return cls(folder, campaign_id, records)

    def _index_bytes(self) -> bytes:
        records = [[r.kind, r.id, r.changes, r.fields, r.alive] for r in self._records.values()]
        body = {"format": FORMAT, "campaign_id": self.campaign_id, "records": records}
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def remove(self) -> None:
        """Delete both files (after the records went back into the store)."""
        self.log.path.unlink(missing_ok=True)
        self.index_path.unlink(missing_ok=True)

    # -- reading ----------------------------------------------------------------------------------

    def __len__(self) -> int:
        """How many records (alive or deleted) the archive holds."""
        return len(self._records)

    def holds(self, kind: str, id: str) -> bool:
        """Whether the record (alive or deleted) is in this archive."""
        return (kind, id) in self._records

    def kinds(self) -> set[str]:
        """The kinds with at least one current document here."""
        return {kind for kind, records in self._kinds.items() if any(r.alive for r in records)}

    def get(self, kind: str, id: str) -> Document | None:
        """The current version of the record, or None (not here, or deleted)."""
        record = self._records.get((kind, id))
        if record is None or not record.alive:
            return None
        return self._doc(record.changes[-1])

    def find(self, kind: str, where: Mapping[str, Any] | None) -> list[Document]:
        """Current documents of ``kind`` matching ``where``, in the order first stored; only
        those whose indexed fields match are read from the file."""
        indexed = {
            k: v for k, v in (where or {}).items() if k in INDEXED_FIELDS and isinstance(v, str)
        }
        found = []
        for record in self._kinds.get(kind, []):
            if not record.alive or any(record.fields.get(k) != v for k, v in indexed.items()):
                continue
            doc = self._doc(record.changes[-1])
            if doc is not None and matches(doc, where):
                found.append(doc)
        return found

    def history(self, kind: str, id: str) -> list[Document]:
        """Every stored version of the record, oldest first."""
        record = self._records.get((kind, id))
        docs = [self._doc(change) for change in record.changes] if record else []
        return [d for d in docs if d is not None]

    def audit(self, kind: str | None, id: str | None) -> Iterator[Document]:
        """Audit events of the archived records (of ``kind``/``id`` if given), newest first."""
        if id is not None and kind is not None:
            record = self._records.get((kind, id))
            chosen = [(c, record, n) for n, c in enumerate(record.changes)] if record else []
            changes: Iterable[tuple[tuple[int, int], ArchivedRecord, int]] = reversed(chosen)
        else:
            changes = (
                c
                for c in self._newest_first()
                if (kind is None or c[1].kind == kind) and (id is None or c[1].id == id)
            )
        for change_at, record, n in changes:
            change = self.log.read_at(*change_at)
            old = self._doc(record.changes[n - 1]) if n else None
            yield audit_event(
                change["actor"],
                change["action"],
                record.kind,
                record.id,
                change["rev"],
                old,
                change["doc"],
                change["at"],
            )

    def _newest_first(self) -> list[tuple[tuple[int, int], ArchivedRecord, int]]:
        """Every change with its record and its place in the record's history, newest first
        (computed once: the archive never changes)."""
        if self._changes is None:
            every = [(c, r, n) for r in self._records.values() for n, c in enumerate(r.changes)]
            self._changes = sorted(every, key=lambda e: e[0][0], reverse=True)
        return self._changes

    def changes(self) -> Iterator[tuple[Document, bytes]]:
        """Every change, oldest first, with its line as stored."""
        for _, line in self.log.lines(0):
            yield self.log.parse(line), line

    def _doc(self, change: tuple[int, int]) -> Document | None:
        doc = self.log.read_at(*change)["doc"]
        return doc if isinstance(doc, dict) else None


def _with_offsets(changes: list[tuple[Document, bytes]]) -> Iterator[tuple[int, int, Document]]:
    offset = 0
    for event, line in changes:
        yield offset, len(line), event
        offset += len(line)


def _records(events: Iterable[tuple[int, int, Document]]) -> list[ArchivedRecord]:
    """The index of a journal's ``(offset, length, event)``: each record's changes and the
    indexed fields of its current version, in the order each record was first stored."""
    records: dict[tuple[str, str], ArchivedRecord] = {}
    for offset, length, event in events:
        key = (str(event["kind"]), str(event["id"]))
        record = records.setdefault(key, ArchivedRecord(*key))
        record.changes.append((offset, length))
        doc = event.get("doc")
        record.alive = isinstance(doc, dict)
        if isinstance(doc, dict):
            record.fields = {f: doc[f] for f in INDEXED_FIELDS if isinstance(doc.get(f), str)}
    return list(records.values())
