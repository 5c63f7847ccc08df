"""A process killed while archiving or reopening a campaign leaves a consistent store: every
record of every campaign reads back identically (documents, finds, history, audit, backup),
the campaign is either archived or not, and archiving works again afterwards.

Each step of the commit is hit deterministically (the child dies just before its N-th rename:
the archive's two files, the new journal and snapshot, the commit marker, the two final
renames), then kill -9 lands at random moments.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storage.tinydb_backend import TinyDBRepository
from tests.contract.test_archived_campaigns import NEW, OLD, _everything, _fill

ARCHIVER = Path(__file__).with_name("archiver.py")
# Renames of each operation, and which one puts the commit marker in place: archiving writes
# the archive's journal and index, journal.next, snapshot.next, the marker, then renames the two;
# reopening writes no archive files and ends with a compaction (its snapshot is a rename too).
RENAMES = {"archive": 7, "unarchive": 6}
MARKER = {"archive": 5, "unarchive": 3}


def _pristine(folder: Path) -> tuple[Path, dict[str, str], dict[str, object]]:
    """A store with two campaigns (and padding, so that archiving takes a while)."""
    path = folder / "pristine" / "vanguard.json"
    repo = TinyDBRepository(path)
    ids = _fill(repo)
    for n in range(300):
        campaign = OLD if n % 2 else NEW
        repo.insert(
            "submissions", {"campaign_id": campaign, "pad": "先锋" * 400, "n": n}, actor="p"
        )
    before = _everything(repo, ids)
    repo.close()
    return path, ids, before


def _copy(pristine: Path, folder: Path) -> Path:
    target = folder / "store"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(pristine.parent, target)
    return target / pristine.name


def _run(op: str, path: Path, die_at: int = 0) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, str(ARCHIVER), op, str(path), OLD, str(die_at)],
        capture_output=True,
        check=False,
    )


def _check(path: Path, ids: dict[str, str], before: dict[str, object], case: str) -> list[str]:
    """The store reads back as before; returns which campaigns it has archived."""
    repo = TinyDBRepository(path)
    try:
        assert _everything(repo, ids) == before, case
        archived = repo.archived_campaigns()
        assert archived in ([], [OLD]), case
        assert not list(path.parent.glob("*.next")), case
        assert not (path.parent / (path.name + ".replacing")).exists(), case
        # Archiving and reopening still work, and change nothing readable.
        repo.unarchive_campaign(OLD, actor="admin")
        repo.archive_campaign(OLD, actor="admin")
        assert _everything(repo, ids) == before, case
        return archived
    finally:
        repo.close()


@pytest.mark.parametrize("op", ["archive", "unarchive"])
def test_dying_before_each_rename_leaves_the_old_store_or_the_new_one(
    tmp_path: Path, op: str
) -> None:
    pristine, ids, before = _pristine(tmp_path)
    if op == "unarchive":
        assert _run("archive", pristine).returncode == 0
    archived_before, archived_after = ([], [OLD]) if op == "archive" else ([OLD], [])
    for die_at in range(1, RENAMES[op] + 1):
        path = _copy(pristine, tmp_path)
        result = _run(op, path, die_at)
        assert result.returncode == 9, (die_at, result.stderr.decode())
        archived = _check(path, ids, before, f"{op}, died before rename {die_at}")
        committed = die_at > MARKER[op]
        assert archived == (archived_after if committed else archived_before), die_at
    assert _run(op, _copy(pristine, tmp_path), RENAMES[op] + 1).returncode == 0  # all counted


def test_kill_9_at_random_moments_of_archiving_leaves_a_consistent_store(tmp_path: Path) -> None:
    pristine, ids, before = _pristine(tmp_path)
    rng = random.Random(15)
    seen: set[tuple[str, ...]] = set()
    for trial in range(12):
        path = _copy(pristine, tmp_path)
        child = subprocess.Popen(
            [sys.executable, str(ARCHIVER), "archive", str(path), OLD],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(0.25 + rng.random() * 0.5)  # start-up, then somewhere in the archiving
        os.kill(child.pid, signal.SIGKILL)
        child.communicate()
        seen.add(tuple(_check(path, ids, before, f"kill -9 trial {trial}")))
    assert seen <= {(), (OLD,)}
