"""Document helpers every backend shares: JSON normalisation, timestamps, matching, events.

Backends store documents as JSON, so the memory backend (the reference) passes every document
through the same JSON round trip: a tuple comes back as a list, an int key as a str key, and a
value JSON cannot hold (a ``datetime``, a ``set``) is refused the same way on every backend.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from core.storable import MAX_DEPTH, find_unstorable
from storage.errors import Conflict, NotFound, StorageError

Document = dict[str, Any]


def now_iso() -> str:
    """Current UTC time as ISO 8601, the format of ``updated_at`` and audit ``at``."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def dumps(value: Any) -> str:
    """Compact JSON that keeps Chinese readable; raises StorageError for non-JSON values and
    for what no backend can hold (``core.storable``), so every backend refuses the same."""
    bad = find_unstorable(value)
    if bad is not None:
        where = ".".join(str(p) for p in bad.path) or "(记录)"
        what = {"depth": f"嵌套超过 {MAX_DEPTH} 层", "number": "不是可以保存的数字"}.get(
            bad.reason, f"含有字符 {bad.code}"
        )
        raise StorageError(f"数据无法保存:{where} {what}")
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise StorageError(
            f"数据无法保存:{exc}。请只保存文字、数字、真假值、列表和字典"
            "(日期请先转成 YYYY-MM-DD 文本)"
        ) from exc


def normalize(doc: Mapping[str, Any]) -> Document:
    """A deep copy of ``doc`` as it will come back from any backend (JSON round trip)."""
    result = json.loads(dumps(doc), parse_float=_float)
    if not isinstance(result, dict):
        raise StorageError("数据无法保存:记录必须是字典")
    return result


def copy_json(value: Any) -> Any:
    """A deep copy of a JSON value (what every stored document is): dicts and lists copied,
    everything else immutable. About 2.5 times faster than ``copy.deepcopy``, which a batch
    check of a stage spent most of its reading time in."""
    kind = type(value)
    if kind is dict:
        return {k: copy_json(v) for k, v in value.items()}
    if kind is list:
        return [copy_json(v) for v in value]
    return value


def _float(text: str) -> float:
    """A JSON float as every backend gives it back: PostgreSQL's numeric has no -0.0, so the
    sign of a zero is dropped everywhere (``-0.0 + 0.0`` is ``0.0``)."""
    return float(text) + 0.0


def project(doc: Mapping[str, Any], fields: Sequence[str] | None) -> Document:
    """A deep copy of ``doc``, or of only its top-level ``fields`` (those it has)."""
    if fields is None:
        return {k: copy_json(v) for k, v in doc.items()}
    return {k: copy_json(doc[k]) for k in fields if k in doc}


def matches(doc: Mapping[str, Any], where: Mapping[str, Any] | None) -> bool:
    """True when every key of ``where`` equals the document's top-level field."""
    return not where or all(doc.get(k) == v for k, v in where.items())


def at_expected_rev(current: Document | None, kind: str, id: str, expected_rev: int) -> Document:
    """``current`` (the stored document) when it is at ``expected_rev``: the revision check of
    every update and delete. Raises NotFound when there is none, Conflict (carrying a copy of
    what is stored) when someone saved in between."""
    if current is None:
        raise NotFound(kind, id)
    if current["rev"] != expected_rev:
        raise Conflict(kind, id, expected_rev, copy.deepcopy(current))
    return current


def audit_event(
    actor: str,
    action: str,
    kind: str,
    id: str,
    rev: int,
    old: Document | None,
    new: Document | None,
    at: str | None = None,
) -> Document:
    """One audit event in the shape ``Repository.audit`` returns."""
    return {
        "at": at or now_iso(),
        "actor": actor,
        "action": action,
        "kind": kind,
        "id": id,
        "rev": rev,
        "old": old,
        "new": new,
    }


def change_event(
    actor: str, action: str, kind: str, id: str, rev: int, doc: Document | None, at: str
) -> Document:
    """One change in the export format (``export_events``/``import_events``): the new document
    (None for a delete) without the old one, which is the previous change of the same record."""
    return {
        "at": at,
        "actor": actor,
        "action": action,
        "kind": kind,
        "id": id,
        "rev": rev,
        "doc": doc,
    }


def state_digest(docs: Iterable[Document]) -> str:
    """sha256 of documents in a canonical form (sorted keys, order-independent).

    Two stores holding the same documents give the same digest whatever their backend, so a
    copy or a restore can be verified. Callers pass ``{"kind": kind, "doc": doc}`` items.
    """
    digest = hashlib.sha256()
    for item in sorted(
        json.dumps(d, ensure_ascii=False, sort_keys=True, separators=(",", ":")) for d in docs
    ):
        digest.update(item.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()
