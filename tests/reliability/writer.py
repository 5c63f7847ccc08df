"""A child process for the reliability tests: writes to a TinyDB store and reports each
acknowledged write on stdout (one line, flushed) only after the store returned.

    python tests/reliability/writer.py insert PATH COUNT TAG
    python tests/reliability/writer.py increment PATH COUNT DOC_ID
    python tests/reliability/writer.py forever PATH 0 TAG
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from storage.errors import Conflict
from storage.tinydb_backend import TinyDBRepository


def increment(repo: TinyDBRepository, doc_id: str) -> None:
    """Add one to a shared counter, retrying on Conflict (never losing an increment)."""
    while True:
        doc = repo.get("counters", doc_id)
        assert doc is not None
        try:
            repo.update("counters", {**doc, "n": doc["n"] + 1}, actor="w", expected_rev=doc["rev"])
            return
        except Conflict:
            continue


def main() -> None:
    mode, path, count, arg = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    repo = TinyDBRepository(path, compact_every=20 if mode == "forever" else 1000)
    n = 0
    while mode == "forever" or n < count:
        if mode == "increment":
            increment(repo, arg)
            print(n, flush=True)
        else:
            # Every 7th document is large, so a kill often lands inside a write.
            body = "先锋工程" * (12000 if n % 7 == 0 else 10)
            doc = repo.insert("submissions", {"tag": arg, "n": n, "body": body}, actor="w")
            key = repo.put_blob(f"{arg}-{n}".encode()) if n % 5 == 0 else ""
            print(doc["id"], key, flush=True)
        n += 1
    repo.close()


if __name__ == "__main__":
    main()
