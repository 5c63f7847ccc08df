"""A child process for the reliability tests: writes to a store and reports each acknowledged
write on stdout (one line, flushed) only after the store returned.

    python tests/reliability/writer.py insert PATH COUNT TAG
    python tests/reliability/writer.py increment PATH COUNT DOC_ID
    python tests/reliability/writer.py forever STORE 0 TAG

``STORE`` is a TinyDB file path or any storage URL (``postgresql://…``). ``forever`` inserts
documents and updates earlier ones in turn; each line is ``ID REV BLOB``. A document's body is
``body(tag, n, rev)``, so the test can check the content of whatever revision survived.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from storage.base import Repository
from storage.errors import Conflict
from storage.factory import open_repository
from storage.tinydb_backend import TinyDBRepository


def body(tag: str, n: int, rev: int) -> str:
    """The text a ``forever`` writer stores in document ``n`` at revision ``rev``; every 7th
    document is large, so a kill often lands inside a write."""
    return f"{tag}:{n}:{rev}:" + "先锋工程" * (12000 if n % 7 == 0 else 10)


def increment(repo: Repository, doc_id: str) -> None:
    """Add one to a shared counter, retrying on Conflict (never losing an increment)."""
    while True:
        doc = repo.get("counters", doc_id)
        assert doc is not None
        try:
            repo.update("counters", {**doc, "n": doc["n"] + 1}, actor="w", expected_rev=doc["rev"])
            return
        except Conflict:
            continue


def _open(store: str, mode: str) -> Repository:
    if "://" in store:
        return open_repository(store)
    return TinyDBRepository(store, compact_every=20 if mode == "forever" else 1000)


def forever(repo: Repository, tag: str) -> None:
    """Insert a document, then update one written before, forever (until killed)."""
    rng = random.Random(tag)
    mine: list[str] = []
    n = 0
    while True:
        if mine and n % 2:
            doc = repo.get("submissions", rng.choice(mine))
            assert doc is not None
            doc["body"] = body(tag, doc["n"], doc["rev"] + 1)
            doc = repo.update("submissions", doc, actor="w", expected_rev=doc["rev"])
            key = ""
        else:
            doc = {"tag": tag, "n": n, "body": body(tag, n, 1)}
            doc = repo.insert("submissions", doc, actor="w")
            mine.append(doc["id"])
            key = repo.put_blob(f"{tag}-{n}".encode()) if n % 5 == 0 else ""
        print(doc["id"], doc["rev"], key, flush=True)
        n += 1


def main() -> None:
    mode, store, count, arg = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    repo = _open(store, mode)
    if mode == "forever":
        forever(repo, arg)
    for n in range(count):
        if mode == "increment":
            increment(repo, arg)
            print(n, flush=True)
        else:
            doc = repo.insert(
                "submissions", {"tag": arg, "n": n, "body": body(arg, n, 1)}, actor="w"
            )
            print(doc["id"], flush=True)
    repo.close()


if __name__ == "__main__":
    main()
