"""PostgreSQL finds a campaign's forms of one type, or one branch's, through an index on both
columns: no other campaign's document is read and filtered out, so these lookups (spot-check
draws, similarity corpora, stage checks, a branch's screens) do not grow with the years stored."""

from __future__ import annotations

import json
from typing import Any

import pytest

from storage.factory import open_repository
from storage.postgres import PostgresRepository, split_url

pytestmark = pytest.mark.postgres


def _plan(repo: PostgresRepository, url: str, where: dict[str, Any]) -> dict[str, Any]:
    """The executed plan of ``find(submissions, where)`` with sequential scans off (a table
    this small would be scanned whole whatever its indexes)."""
    import psycopg

    sql, params = repo.find_query("submissions", where, None)
    conninfo, schema = split_url(url)
    with psycopg.connect(conninfo, options=f"-c search_path={schema}") as conn:
        conn.execute("ANALYZE documents")  # as autovacuum does once a table has grown
        conn.execute("SET enable_seqscan = off")
        conn.execute("SET enable_bitmapscan = off")
        row = conn.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params).fetchone()
    assert row is not None
    found = row[0] if isinstance(row[0], list) else json.loads(row[0])
    return dict(found[0]["Plan"])


def _scans(node: dict[str, Any]) -> list[dict[str, Any]]:
    found = [node] if "Index Name" in node else []
    for child in node.get("Plans", []):
        found += _scans(child)
    return found


@pytest.mark.parametrize(
    "where",
    [
        {"campaign_id": "c3", "form_type": "plan"},
        {"campaign_id": "c3", "branch_id": "b2"},
    ],
)
def test_a_campaigns_forms_are_found_without_reading_other_campaigns(
    pg_url: str, where: dict[str, Any]
) -> None:
    repo = open_repository(pg_url)
    assert isinstance(repo, PostgresRepository)
    try:
        for c in range(6):
            for b in range(4):
                for form_type in ("plan", "summary"):
                    doc = {"campaign_id": f"c{c}", "branch_id": f"b{b}", "form_type": form_type}
                    repo.insert("submissions", doc, actor="t")
        found = repo.find("submissions", where)
        assert len(found) == (4 if "form_type" in where else 2)
        (scan,) = _scans(_plan(repo, pg_url, where))
        for column in where:  # both looked up in the index, nothing read to be filtered out
            assert column in scan["Index Cond"], scan
        assert scan.get("Rows Removed by Filter", 0) == 0, scan
        assert scan["Actual Rows"] == len(found)
    finally:
        repo.close()
