"""A child process for the archiving reliability test: archives or reopens a campaign of a
TinyDB store, and can die like a killed process (``os._exit``, no clean-up) just before its
N-th file rename, or be killed from outside at any moment.

    python tests/reliability/archiver.py archive|unarchive PATH CAMPAIGN [DIE_AT_RENAME]

Prints ``done`` once the store returned.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from storage.tinydb_backend import TinyDBRepository


def die_at_rename(n: int) -> None:
    """Make the ``n``-th ``os.replace`` of this process end it instead (0: never)."""
    real, calls = os.replace, [0]

    def replace(src: object, dst: object) -> None:
        calls[0] += 1
        if calls[0] == n:
            os._exit(9)
        real(src, dst)  # type: ignore[arg-type]

    os.replace = replace  # type: ignore[assignment]


def main(op: str, path: str, campaign: str, die_at: int) -> None:
    repo = TinyDBRepository(path)
    die_at_rename(die_at)
    if op == "archive":
        repo.archive_campaign(campaign, actor="admin")
    else:
        repo.unarchive_campaign(campaign, actor="admin")
    print("done", flush=True)
    os._exit(0)  # no final snapshot: the store must not need one


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 0)
