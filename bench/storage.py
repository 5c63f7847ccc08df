"""Storage latency at 100, 1,000 and 10,000 records: stock TinyDB (the baseline), Vanguard's
TinyDB backend and PostgreSQL (when ``VANGUARD_TEST_PG`` is reachable), side by side.

Each store is pre-filled in bulk, then ``--ops`` inserts, updates and reads of ~2 KB documents
are timed one by one; figures are median milliseconds per operation. ``--quick`` stops at 1,000.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tinydb import TinyDB

from bench import summary
from core.settings import settings
from storage.documents import change_event, now_iso
from storage.tinydb_backend import TinyDBRepository

SIZES = (100, 1_000, 10_000)
TEXT = "本支部围绕学校中心工作开展主题实践活动,党员先进岗 quality service " * 16


def make_doc(n: int) -> dict[str, Any]:
    """A ~2 KB submission-like document."""
    return {
        "campaign_id": "c2025",
        "branch_id": f"b{n % 40}",
        "form_type": "plan",
        "status": "draft",
        "data": {"title": f"实施方案 {n}", "goals": TEXT, "items": [{"content": TEXT[:200]}]},
    }


def timed(op: Callable[[int], object], ops: int) -> float:
    """Median milliseconds of ``op(i)`` over ``ops`` calls.

    Dirty pages other stores left behind are flushed first, so one store's writeback does not
    land in the next one's fsync.
    """
    os.sync()
    samples = []
    for i in range(ops):
        start = time.perf_counter()
        op(i)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def bench_stock(folder: Path, size: int, ops: int) -> dict[str, float]:
    """Plain ``TinyDB(path)`` with its default JSONStorage."""
    db = TinyDB(folder / "stock.json")
    ids = db.insert_multiple(make_doc(n) for n in range(size))
    result = {
        "insert": timed(lambda i: db.insert(make_doc(size + i)), ops),
        "update": timed(lambda i: db.update({"status": f"s{i}"}, doc_ids=[ids[i]]), ops),
        "read": timed(lambda i: db.get(doc_id=ids[-1 - i]), ops),
    }
    db.close()
    return result


def prefill_events(size: int) -> tuple[list[dict[str, Any]], list[str]]:
    """Change events that create ``size`` documents (bulk pre-fill for our backends)."""
    at, events, ids = now_iso(), [], []
    for n in range(size):
        doc = {**make_doc(n), "id": uuid.uuid4().hex, "rev": 1, "updated_at": at}
        doc["updated_by"] = "bench"
        events.append(change_event("bench", "insert", "submissions", doc["id"], 1, doc, at))
        ids.append(doc["id"])
    return events, ids


def prepare(repo: Any, size: int, ops: int) -> dict[str, Callable[[int], object]]:
    """Pre-fill any Repository with ``size`` documents; return its timed operations."""
    events, ids = prefill_events(size)
    repo.import_events(events)
    if hasattr(repo, "compact"):
        repo.compact()  # as the background compaction would have done during a real fill
    docs = {i: repo.get("submissions", ids[i]) for i in range(ops)}

    def update(i: int) -> None:
        doc = docs[i]
        repo.update("submissions", {**doc, "status": f"s{i}"}, actor="b", expected_rev=doc["rev"])

    return {
        "insert": lambda i: repo.insert("submissions", make_doc(size + i), actor="b"),
        "update": update,
        "read": lambda i: repo.get("submissions", ids[-1 - i]),
    }


def bench_repo(repo: Any, size: int, ops: int) -> dict[str, float]:
    """Insert, update (with its revision check) and read on any Repository."""
    return {op: timed(run, ops) for op, run in prepare(repo, size, ops).items()}


def interleaved(
    big: dict[str, Callable[[int], object]], small: dict[str, Callable[[int], object]], ops: int
) -> dict[str, tuple[float, float]]:
    """Median ms of each operation on two stores, alternating call by call, so both see the
    same disk and machine load (fsync latency varies a lot on a busy machine)."""
    os.sync()
    result = {}
    for op in big:
        a, b = [], []
        for i in range(ops):
            start = time.perf_counter()
            big[op](i)
            middle = time.perf_counter()
            small[op](i)
            a.append(middle - start)
            b.append(time.perf_counter() - middle)
        result[op] = (statistics.median(a) * 1000, statistics.median(b) * 1000)
    return result


def postgres_url() -> str | None:
    """A fresh schema on the test server, or None when it is unreachable."""
    base = settings().test_pg
    try:
        import psycopg

        with psycopg.connect(base, connect_timeout=3):
            pass
    except Exception:
        return None
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}schema=bench_{uuid.uuid4().hex[:8]}"


def drop_schema(url: str) -> None:
    """Remove the benchmark's schema."""
    import psycopg

    from storage.postgres import split_url

    conninfo, schema = split_url(url)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def main(argv: list[str]) -> int:
    """Print every figure with its ratio to stock TinyDB and to our own time at 100 records."""
    parser = argparse.ArgumentParser(prog="python -m bench storage")
    parser.add_argument("--ops", type=int, default=30, help="timed operations of each kind")
    parser.add_argument("--quick", action="store_true", help="stop at 1,000 records")
    args = parser.parse_args(argv)
    sizes = SIZES[:2] if args.quick else SIZES
    pg_base = postgres_url()
    if pg_base is None:
        print("PostgreSQL unreachable (VANGUARD_TEST_PG): measuring TinyDB only")
    print(f"median ms per operation over {args.ops} operations (~2 KB documents)")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            stock = bench_stock(folder, size, args.ops)
            ours_repo = TinyDBRepository(folder / "vanguard.json", compact_every=10**9)
            small_repo = TinyDBRepository(folder / "small" / "vanguard.json", compact_every=10**9)
            ours = interleaved(
                prepare(ours_repo, size, args.ops), prepare(small_repo, 100, args.ops), args.ops
            )
            ours_repo.close()
            small_repo.close()
            pg: dict[str, float] | None = None
            if pg_base:
                from storage.postgres import PostgresRepository

                url = f"{pg_base}{size}"
                pg_repo = PostgresRepository(url)
                try:
                    pg = bench_repo(pg_repo, size, args.ops)
                finally:
                    pg_repo.close()
                    drop_schema(url)
        for op in ("insert", "update", "read"):
            mine, at_100 = ours[op]
            line = (
                f"{op:6} @ {size:>6,}: stock TinyDB {stock[op]:8.3f} | "
                f"vanguard TinyDB {mine:7.3f} ({stock[op] / mine:6.1f}x faster than stock;"
                f" {mine / at_100:4.2f}x its time @100, {at_100:.3f}, run alternately)"
            )
            if pg is not None:
                line += (
                    f" | PostgreSQL {pg[op]:7.3f} ({stock[op] / pg[op]:6.1f}x faster than stock)"
                )
            print(line, flush=True)
            if size == sizes[-1]:
                summary.record(
                    "storage",
                    f"{op} at {size:,} documents, TinyDB",
                    f"{mine:.3f} ms (stock TinyDB: {stock[op]:.1f} ms)",
                    f"ours at 100 documents: {at_100:.3f} ms",
                    mine / at_100,
                )
    return 0
