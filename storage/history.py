"""Going back in time over any Repository: read one old revision, restore it as a new one."""

from __future__ import annotations

from collections.abc import Callable

from storage.base import Document, Repository
from storage.errors import NotFound, StorageError
from storage.merge import STORE_KEYS


def revision(repo: Repository, kind: str, id: str, rev: int) -> Document:
    """Revision ``rev`` of a document (e.g. the base of a three-way merge); NotFound if none.

    When ``rev`` appears more than once (a document deleted and re-created under its id, as
    ``restore`` does), the latest one is meant: it belongs to the document as it is now.
    """
    for doc in reversed(repo.history(kind, id)):
        if doc["rev"] == rev:
            return doc
    raise NotFound(kind, f"{id}@{rev}")


def restore(
    repo: Repository,
    kind: str,
    id: str,
    rev: int,
    *,
    actor: str,
    adjust: Callable[[Document, Document | None], Document] | None = None,
) -> Document:
    """Write the data of revision ``rev`` as a new revision, audited under ``actor``.

    Nothing is lost: the revisions after ``rev`` stay in the history. A deleted document is
    inserted again under its old id. When ``rev`` appears more than once, the latest one is
    used (see ``revision``). ``adjust(data, current)`` may change the old data before it is
    written (``current`` is the stored document, None when deleted) or raise to refuse.
    """
    try:
        old = revision(repo, kind, id, rev)
    except NotFound:
        raise StorageError(
            f"找不到 {kind}/{id} 的第 {rev} 版,无法恢复;请在历史记录中选择已有的版本"
        ) from None
    data = {k: v for k, v in old.items() if k not in STORE_KEYS}
    current = repo.get(kind, id)
    if adjust is not None:
        data = adjust(data, current)
    if current is None:
        return repo.insert(kind, {**data, "id": id}, actor=actor)
    return repo.update(kind, {**data, "id": id}, actor=actor, expected_rev=current["rev"])
