"""The PostgreSQL backend (``postgresql://user:pass@host/db[?schema=NAME]``) for several app
processes sharing one database.

Documents are JSONB rows of ``documents`` with generated, indexed columns for the fields every
page filters on (``campaign_id``, ``branch_id``, ``form_type``, ``status``); every change is a
row of ``events`` (history and audit); attachments are ``bytea`` rows of ``blobs``. A revision
check and its write share one transaction holding the row lock (``SELECT … FOR UPDATE``), so two
savers of the same revision cannot both win. psycopg is imported lazily: the embedded default
does not need it.
"""

from __future__ import annotations

import hashlib
import re
import threading
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from storage.base import INDEXED_FIELDS, Document
from storage.campaign_archive import ARCHIVED_BY, refuse_archived
from storage.documents import at_expected_rev, audit_event, dumps, normalize, now_iso
from storage.errors import AlreadyExists, BadStorageURL, NotFound, StorageError, StoreNotEmpty
from storage.pg_schema import migrate

SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_INSERT_EVENT = (
    "INSERT INTO events (at, actor, action, kind, id, rev, old, doc)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
)
INSTALL_HINT = "PostgreSQL 后端需要 psycopg:请运行 pip install 'psycopg[binary]' psycopg-pool"


def split_url(url: str) -> tuple[str, str | None]:
    """The libpq URL without our ``schema`` parameter, and that schema (None: ``public``)."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    schema = next((v for k, v in query if k == "schema"), None)
    rest = urlencode([(k, v) for k, v in query if k != "schema"])
    if schema is not None and not SCHEMA_NAME.match(schema):
        raise BadStorageURL(f"数据库模式名 {schema!r} 不合法:只能用小写字母、数字和下划线")
    return urlunsplit(parts._replace(query=rest)), schema


def redact(url: str) -> str:
    """``url`` with its password hidden, for messages and logs."""
    return re.sub(r"(//[^:/@]+:)[^@]*@", r"\1***@", url)


class PostgresRepository:
    """A Repository on PostgreSQL through a psycopg_pool connection pool."""

    def __init__(self, url: str, *, max_connections: int = 8, timeout: float = 10.0) -> None:
        try:
            import psycopg
            import psycopg_pool
            from psycopg.types.json import Jsonb
        except ImportError as exc:  # pragma: no cover - both are in requirements.txt
            raise StorageError(INSTALL_HINT) from exc
        self._psycopg = psycopg
        self._pool_timeout = psycopg_pool.PoolTimeout
        self._jsonb = lambda value: Jsonb(value, dumps=dumps)
        conninfo, self.schema = split_url(url)
        self.url = redact(url)
        kwargs: dict[str, Any] = {"connect_timeout": max(1, int(timeout))}
        if self.schema:
            kwargs["options"] = f"-c search_path={self.schema}"
        try:
            with psycopg.connect(conninfo, autocommit=True, **kwargs) as conn:
                migrate(conn, self.schema)
        except psycopg.Error as exc:
            raise StorageError(
                f"无法连接数据库 {self.url}:{exc}。请确认 PostgreSQL 已启动、地址和密码正确。"
            ) from exc
        self._lock_guard = threading.Lock()
        self._name_locks: dict[str, threading.Lock] = {}
        self._held = threading.local()
        self._pool = psycopg_pool.ConnectionPool(
            conninfo,
            min_size=1,
            max_size=max_connections,
            kwargs=kwargs,
            timeout=timeout,
            open=True,
            name="vanguard",
        )

    @contextmanager
    def _tx(self) -> Iterator[Any]:
        """A pooled connection inside one transaction; database errors become StorageError."""
        try:
            with self._pool.connection() as conn, conn.transaction():
                yield conn
        except self._pool_timeout as exc:  # a psycopg.Error too, so it is caught first
            raise StorageError(f"数据库 {self.url} 暂时连不上,请稍后重试。") from exc
        except self._psycopg.Error as exc:
            raise StorageError(
                f"数据库操作失败({self.url}):{exc}。数据没有保存,请稍后重试。"
            ) from exc

    def get(self, kind: str, id: str) -> Document | None:
        """The current revision of one document, or None."""
        with self._tx() as conn:
            row = conn.execute(
                "SELECT doc FROM documents WHERE kind = %s AND id = %s", (kind, id)
            ).fetchone()
        return row[0] if row else None

    def find(
        self,
        kind: str,
        where: Mapping[str, Any] | None = None,
        *,
        fields: Sequence[str] | None = None,
    ) -> list[Document]:
        """Documents matching ``where`` (or their ``fields`` only), oldest first (indexed
        columns used where they can; only the asked fields leave the server)."""
        sql, params = self.find_query(kind, where, fields)
        with self._tx() as conn:
            return [row[0] for row in conn.execute(sql, params)]

    def find_query(
        self, kind: str, where: Mapping[str, Any] | None, fields: Sequence[str] | None
    ) -> tuple[str, list[Any]]:
        """The SQL and parameters of ``find`` (the tests EXPLAIN it)."""
        selected = "doc"
        params: list[Any] = []
        if fields is not None:
            selected = (
                "COALESCE((SELECT jsonb_object_agg(e.key, e.value) FROM jsonb_each(doc) e"
                " WHERE e.key = ANY(%s)), '{}'::jsonb)"
            )
            params.append(list(fields))
        clauses: list[str] = ["kind = %s"]
        params.append(kind)
        for key, value in (where or {}).items():
            if value is None:
                clauses.append("(doc -> %s IS NULL OR doc -> %s = 'null'::jsonb)")
                params += [key, key]
                continue
            if key in INDEXED_FIELDS and isinstance(value, str):
                clauses.append(f"{key} = %s")
                params.append(value)
            clauses.append("doc -> %s = %s")
            params += [key, self._jsonb(normalize({"v": value})["v"])]
        sql = f"SELECT {selected} FROM documents WHERE {' AND '.join(clauses)} ORDER BY pos"
        return sql, params

    def insert(self, kind: str, doc: Document, *, actor: str) -> Document:
        """Store a new document at rev 1; AlreadyExists on a reused id."""
        stored = normalize(doc)
        stored["id"] = str(stored.get("id") or uuid.uuid4().hex)
        at = now_iso()
        stored.update(rev=1, updated_at=at, updated_by=actor)
        with self._tx() as conn:
            self._refuse_archived(conn, kind, stored["id"], stored)
            row = conn.execute(
                "INSERT INTO documents (kind, id, rev, doc) VALUES (%s, %s, 1, %s)"
                " ON CONFLICT (kind, id) DO NOTHING RETURNING pos",
                (kind, stored["id"], self._jsonb(stored)),
            ).fetchone()
            if row is None:
                raise AlreadyExists(kind, stored["id"])
            self._event(conn, audit_event(actor, "insert", kind, stored["id"], 1, None, stored, at))
        return stored

    def update(self, kind: str, doc: Document, *, actor: str, expected_rev: int) -> Document:
        """Replace a document; Conflict when the stored rev is not ``expected_rev``."""
        stored = normalize(doc)
        id = str(stored["id"])
        at = now_iso()
        with self._tx() as conn:
            current = self._locked_current(conn, kind, id, expected_rev)
            self._refuse_archived(conn, kind, id, current, stored)
            stored.update(id=id, rev=expected_rev + 1, updated_at=at, updated_by=actor)
            conn.execute(
                "UPDATE documents SET rev = %s, doc = %s WHERE kind = %s AND id = %s",
                (stored["rev"], self._jsonb(stored), kind, id),
            )
            event = audit_event(actor, "update", kind, id, stored["rev"], current, stored, at)
            self._event(conn, event)
        return stored

    def delete(self, kind: str, id: str, *, actor: str, expected_rev: int) -> None:
        """Remove a document; its history and audit stay."""
        with self._tx() as conn:
            current = self._locked_current(conn, kind, id, expected_rev)
            self._refuse_archived(conn, kind, id, current)
            conn.execute("DELETE FROM documents WHERE kind = %s AND id = %s", (kind, id))
            self._event(conn, audit_event(actor, "delete", kind, id, expected_rev, current, None))

    def history(self, kind: str, id: str) -> list[Document]:
        """Every revision of a document, oldest first."""
        with self._tx() as conn:
            rows = conn.execute(
                "SELECT doc FROM events WHERE kind = %s AND id = %s AND doc IS NOT NULL"
                " ORDER BY seq",
                (kind, id),
            )
            return [row[0] for row in rows]

    def audit(
        self, kind: str | None = None, id: str | None = None, limit: int = 200
    ) -> list[Document]:
        """Audit events, newest first."""
        clauses, params = ["TRUE"], []
        if kind is not None:
            clauses.append("kind = %s")
            params.append(kind)
        if id is not None:
            clauses.append("id = %s")
            params.append(id)
        sql = (
            "SELECT at, actor, action, kind, id, rev, old, doc FROM events"
            f" WHERE {' AND '.join(clauses)} ORDER BY seq DESC LIMIT %s"
        )
        keys = ("at", "actor", "action", "kind", "id", "rev", "old", "new")
        with self._tx() as conn:
            return [
                dict(zip(keys, row, strict=True)) for row in conn.execute(sql, [*params, limit])
            ]

    def put_blob(self, data: bytes) -> str:
        """Store bytes under their sha256 (idempotent)."""
        key = hashlib.sha256(data).hexdigest()
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO blobs (key, data) VALUES (%s, %s) ON CONFLICT (key) DO NOTHING",
                (key, bytes(data)),
            )
        return key

    def get_blob(self, key: str) -> bytes:
        """The bytes under ``key``; NotFound otherwise."""
        with self._tx() as conn:
            row = conn.execute("SELECT data FROM blobs WHERE key = %s", (key,)).fetchone()
        if row is None:
            raise NotFound("blobs", key)
        return bytes(row[0])

    def kinds(self) -> list[str]:
        """Every kind holding at least one document."""
        with self._tx() as conn:
            return [
                row[0] for row in conn.execute("SELECT DISTINCT kind FROM documents ORDER BY 1")
            ]

    def export_events(self) -> list[Document]:
        """Every change, oldest first, read in one repeatable-read transaction."""
        keys = ("at", "actor", "action", "kind", "id", "rev", "doc")
        with self._tx() as conn:
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            rows = conn.execute(
                "SELECT at, actor, action, kind, id, rev, doc FROM events ORDER BY seq"
            )
            return [dict(zip(keys, row, strict=True)) for row in rows]

    def import_events(self, events: list[Document]) -> int:
        """Replay changes into this empty store, keeping their times, actors and revisions."""
        current: dict[tuple[str, str], Document] = {}
        rows = []
        for e in events:
            key = (e["kind"], e["id"])
            doc = normalize(e["doc"]) if e["doc"] is not None else None
            old = current.get(key)
            if doc is None:
                current.pop(key, None)
            else:
                current[key] = doc  # an update keeps the document's place in ``find`` order
            event = audit_event(
                e["actor"], e["action"], e["kind"], e["id"], e["rev"], old, doc, e["at"]
            )
            rows.append(self._event_row(event))
        with self._tx() as conn:
            conn.execute("LOCK TABLE events, documents IN EXCLUSIVE MODE")
            if conn.execute("SELECT EXISTS (SELECT 1 FROM events)").fetchone()[0]:
                raise StoreNotEmpty()
            with conn.cursor() as cur:
                cur.executemany(_INSERT_EVENT, rows)
                cur.executemany(
                    "INSERT INTO documents (kind, id, rev, doc) VALUES (%s, %s, %s, %s)",
                    [(k, i, d["rev"], self._jsonb(d)) for (k, i), d in current.items()],
                )
        return len(events)

    @contextmanager
    def locked(self, name: str) -> Iterator[None]:
        """A transaction-scoped advisory lock on ``name`` (per schema), held on a connection of
        its own until the section ends; the section's writes commit in their own transactions
        before it is released. Threads of this process queue on a ``threading.Lock`` first, so
        waiting holds at most one pooled connection per name. Re-entrant: a section inside a
        section of the same name in the same thread runs under the lock already held."""
        held: set[str] = self._held.__dict__.setdefault("names", set())
        if name in held:
            yield
            return
        with self._lock_guard:
            local = self._name_locks.setdefault(name, threading.Lock())
        with local, self._tx() as conn:
            key = f"vanguard:{self.schema or 'public'}:{name}"
            conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (key,))
            held.add(name)
            try:
                yield
            finally:
                held.discard(name)

    def archive_campaign(self, campaign_id: str, *, actor: str) -> int:
        """Mark the campaign read-only; its rows stay on disk, where they cost no memory.
        Returns how many of its records there are (0 if it was archived already)."""
        with self._tx() as conn:
            added = conn.execute(
                "INSERT INTO archived_campaigns (campaign_id, at, actor) VALUES (%s, %s, %s)"
                " ON CONFLICT DO NOTHING RETURNING 1",
                (campaign_id, now_iso(), actor),
            ).fetchone()
            return self._campaign_records(conn, campaign_id) if added else 0

    def unarchive_campaign(self, campaign_id: str, *, actor: str) -> int:
        """Make the campaign's records changeable again."""
        with self._tx() as conn:
            removed = conn.execute(
                "DELETE FROM archived_campaigns WHERE campaign_id = %s RETURNING 1", (campaign_id,)
            ).fetchone()
            return self._campaign_records(conn, campaign_id) if removed else 0

    def archived_campaigns(self) -> list[str]:
        """The ids of the archived campaigns, sorted."""
        with self._tx() as conn:
            rows = conn.execute("SELECT campaign_id FROM archived_campaigns ORDER BY 1")
            return [row[0] for row in rows]

    def _campaign_records(self, conn: Any, campaign_id: str) -> int:
        row = conn.execute(
            "SELECT count(*) FROM (SELECT DISTINCT ON (kind, id) doc FROM events"
            " WHERE doc IS NOT NULL ORDER BY kind, id, seq DESC) last"
            " WHERE doc ->> 'campaign_id' = %s",
            (campaign_id,),
        ).fetchone()
        return int(row[0])

    def _refuse_archived(self, conn: Any, kind: str, id: str, *docs: Document) -> None:
        campaigns = [c for d in docs if isinstance(c := d.get(ARCHIVED_BY), str)]
        if not campaigns:
            return
        rows = conn.execute(
            "SELECT campaign_id FROM archived_campaigns WHERE campaign_id = ANY(%s)", (campaigns,)
        )
        refuse_archived({row[0] for row in rows}, kind, id, *docs)

    def blob_keys(self) -> list[str]:
        """Keys of every stored blob, sorted."""
        with self._tx() as conn:
            return [row[0] for row in conn.execute("SELECT key FROM blobs ORDER BY key")]

    def close(self) -> None:
        """Close the connection pool."""
        self._pool.close()

    def _locked_current(self, conn: Any, kind: str, id: str, expected_rev: int) -> Document:
        row = conn.execute(
            "SELECT doc FROM documents WHERE kind = %s AND id = %s FOR UPDATE", (kind, id)
        ).fetchone()
        return at_expected_rev(row[0] if row else None, kind, id, expected_rev)

    def _event(self, conn: Any, event: Document) -> None:
        conn.execute(_INSERT_EVENT, self._event_row(event))

    def _event_row(self, event: Document) -> tuple[Any, ...]:
        """An ``audit_event`` as the parameters of ``_INSERT_EVENT``."""
        old, new = event["old"], event["new"]
        return (
            *(event["at"], event["actor"], event["action"], event["kind"], event["id"]),
            event["rev"],
            self._jsonb(old) if old is not None else None,
            self._jsonb(new) if new is not None else None,
        )
