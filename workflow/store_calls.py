"""Store writes that raise the workflow's errors (``Conflict``/``NotFound`` are DomainErrors)."""

from __future__ import annotations

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
