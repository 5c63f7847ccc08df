"""Store writes that raise the workflow's errors (``Conflict``/``NotFound`` are DomainErrors),
and the read-check-write a quota or a balance needs (``change_document``)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from storage import errors as storage_errors
from storage.base import Document, Repository
from workflow.errors import Conflict, NotFound


def stored_update(
    repo: Repository, kind: str, doc: dict[str, Any], *, actor: str, expected_rev: int
) -> Document:
    """``repo.update`` whose stale revision raises ``workflow.errors.Conflict``."""
    try:
        return repo.update(kind, doc, actor=actor, expected_rev=expected_rev)
    except storage_errors.Conflict as error:
        raise Conflict(error.kind, error.id, error.expected, error.current) from error
    except storage_errors.NotFound as error:
        raise NotFound(error.kind, error.id) from error


# Each attempt loses only to a write that landed meanwhile, so a few suffice even for many
# reviewers at once; the budget keeps a store that keeps changing from looping for ever.
CHANGE_ATTEMPTS = 50


def change_document(
    repo: Repository,
    kind: str,
    id: str,
    change: Callable[[Document], Document],
    *,
    actor: str,
    empty: Document,
) -> Document:
    """Apply ``change`` to the current revision of ``kind/id`` (``empty`` when it is not stored
    yet) and store the result, as one compare-and-swap in the store's own transaction.

    ``change`` sees the stored document and may raise to refuse; a write that lands between the
    read and ours makes the store refuse ours (``Conflict``), and ``change`` runs again on the
    newer document. So a check made in ``change`` (a quota, a balance) holds whatever other
    threads or processes do at the same moment. After ``CHANGE_ATTEMPTS`` lost races the last
    ``Conflict`` is raised.
    """
    last: storage_errors.StorageError | None = None
    for _ in range(CHANGE_ATTEMPTS):
        current = repo.get(kind, id)
        try:
            if current is None:
                return repo.insert(kind, change(copy.deepcopy({**empty, "id": id})), actor=actor)
            return repo.update(kind, change(current), actor=actor, expected_rev=current["rev"])
        except (storage_errors.Conflict, storage_errors.AlreadyExists) as error:
            last = error
    if isinstance(last, storage_errors.Conflict):
        raise Conflict(last.kind, last.id, last.expected, last.current) from last
    raise Conflict(kind, id, 0, repo.get(kind, id)) from last
