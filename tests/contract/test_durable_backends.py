"""What only durable backends promise: saved records survive closing and reopening."""

from __future__ import annotations

import pytest

from storage.errors import StorageError
from storage.factory import open_repository
from storage.postgres import PostgresRepository

# Only the durable backends of conftest's ``backend``, whose ``repo_url`` builds the URL.
durable = pytest.mark.parametrize(
    "backend", ["tinydb", pytest.param("postgres", marks=pytest.mark.postgres)]
)


@durable
def test_saved_records_history_and_blobs_survive_reopening(repo_url: str) -> None:
    store = open_repository(repo_url)
    doc = store.insert("submissions", {"title": "方案", "status": "draft"}, actor="a")
    doc = store.update("submissions", {**doc, "status": "submitted"}, actor="b", expected_rev=1)
    key = store.put_blob("照片".encode())
    store.close()

    again = open_repository(repo_url)
    try:
        assert again.get("submissions", doc["id"]) == doc
        assert [h["rev"] for h in again.history("submissions", doc["id"])] == [1, 2]
        assert again.audit()[0]["old"]["status"] == "draft"
        assert again.get_blob(key) == "照片".encode()
    finally:
        again.close()


@durable
def test_two_handles_on_one_store_see_each_others_saves(repo_url: str) -> None:
    first, second = open_repository(repo_url), open_repository(repo_url)
    try:
        doc = first.insert("news", {"title": "一"}, actor="a")
        seen = second.get("news", doc["id"])
        assert seen == doc
        second.update("news", {**doc, "title": "二"}, actor="b", expected_rev=1)
        assert first.get("news", doc["id"])["title"] == "二"  # type: ignore[index]
    finally:
        first.close()
        second.close()


@pytest.mark.postgres
def test_a_postgres_pool_with_no_free_connection_says_try_again_later(pg_url: str) -> None:
    store = PostgresRepository(pg_url, max_connections=1, timeout=1)
    try:
        # every connection busy
        with store._pool.connection(), pytest.raises(StorageError, match="暂时连不上"):
            store.get("news", "x")
    finally:
        store.close()
