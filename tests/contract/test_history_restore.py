"""storage/history.py over every backend: restoring an old revision loses nothing."""

from __future__ import annotations

import pytest

from storage.base import Repository
from storage.errors import NotFound, StorageError
from storage.history import restore, revision


def test_restore_writes_an_old_revision_as_a_new_one(repo: Repository) -> None:
    doc = repo.insert("submissions", {"title": "第一版", "status": "draft"}, actor="a")
    doc = repo.update("submissions", {**doc, "title": "第二版"}, actor="b", expected_rev=1)
    restored = restore(repo, "submissions", doc["id"], 1, actor="admin")
    assert restored["rev"] == 3
    assert restored["title"] == "第一版" and restored["updated_by"] == "admin"
    assert [h["title"] for h in repo.history("submissions", doc["id"])] == [
        "第一版",
        "第二版",
        "第一版",
    ]
    assert repo.audit("submissions", doc["id"])[0]["old"]["title"] == "第二版"
    assert revision(repo, "submissions", doc["id"], 2)["title"] == "第二版"
    with pytest.raises(NotFound):
        revision(repo, "submissions", doc["id"], 9)


def test_restore_brings_back_a_deleted_document(repo: Repository) -> None:
    doc = repo.insert("news", {"title": "报道"}, actor="a")
    repo.delete("news", doc["id"], actor="b", expected_rev=1)
    back = restore(repo, "news", doc["id"], 1, actor="admin")
    assert repo.get("news", doc["id"]) == back
    assert back["title"] == "报道"


def test_revision_of_a_restored_deleted_document_is_its_current_life(repo: Repository) -> None:
    doc = repo.insert("news", {"title": "报道"}, actor="a")
    doc = repo.update("news", {**doc, "title": "改过的报道"}, actor="a", expected_rev=1)
    repo.delete("news", doc["id"], actor="b", expected_rev=2)
    restore(repo, "news", doc["id"], 2, actor="admin")  # back as a new rev 1
    assert revision(repo, "news", doc["id"], 1)["title"] == "改过的报道"
    assert revision(repo, "news", doc["id"], 1) == repo.get("news", doc["id"])


def test_restore_of_an_unknown_revision_says_so(repo: Repository) -> None:
    doc = repo.insert("news", {"title": "报道"}, actor="a")
    with pytest.raises(StorageError, match="找不到"):
        restore(repo, "news", doc["id"], 5, actor="admin")
