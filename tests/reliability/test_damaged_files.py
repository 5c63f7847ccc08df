"""A damaged store is reported (StoreDamaged: which file, what to do), never overwritten."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tinydb import TinyDB

from storage.atomic_file import AtomicJSONStorage
from storage.errors import StoreDamaged
from storage.tinydb_backend import TinyDBRepository


def _store_with_records(path: Path, n: int = 5, compact: bool = True) -> list[str]:
    repo = TinyDBRepository(path, compact_every=10**6)
    ids = [repo.insert("submissions", {"n": i}, actor="a")["id"] for i in range(n)]
    if compact:
        repo.compact()
    repo._engine = None  # drop the handle without the final snapshot of close()
    from storage import tinydb_backend

    tinydb_backend._ENGINES.pop(path.resolve(), None)
    return ids


def test_a_damaged_snapshot_is_reported_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "v.json"
    _store_with_records(path)
    path.write_bytes(path.read_bytes()[:-40])  # as a bad disk or a stock TinyDB crash leaves it
    damaged = path.read_bytes()
    with pytest.raises(StoreDamaged) as caught:
        TinyDBRepository(path)
    assert str(path) in str(caught.value) and "恢复" in str(caught.value)
    assert path.read_bytes() == damaged


def test_a_damaged_line_inside_the_journal_is_reported_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "v.json"
    _store_with_records(path, compact=False)
    journal = tmp_path / "v.json.journal"
    lines = journal.read_bytes().split(b"\n")
    lines[2] = lines[2][:20]
    journal.write_bytes(b"\n".join(lines))
    damaged = journal.read_bytes()
    with pytest.raises(StoreDamaged, match=r"v\.json\.journal"):
        TinyDBRepository(path)
    assert journal.read_bytes() == damaged
    assert not path.exists()  # no empty store was written in its place


def test_an_unacknowledged_partial_last_line_is_cut_off(tmp_path: Path) -> None:
    path = tmp_path / "v.json"
    ids = _store_with_records(path, compact=False)
    journal = tmp_path / "v.json.journal"
    with open(journal, "ab") as handle:
        handle.write(b'{"at":"2025-01-01","actor":"a","action":"insert","kind":"subm')
    repo = TinyDBRepository(path)
    try:
        assert [d["id"] for d in repo.find("submissions")] == ids
        repo.insert("submissions", {"n": 5}, actor="a")
        assert journal.read_bytes().count(b"\n") == 6
    finally:
        repo.close()


def test_a_file_that_is_not_a_vanguard_store_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    with TinyDB(path) as db:
        db.insert({"something": "else"})
    before = path.read_bytes()
    with pytest.raises(StoreDamaged, match="VANGUARD_DB"):
        TinyDBRepository(path)
    assert path.read_bytes() == before


def test_a_corrupted_attachment_is_reported(tmp_path: Path) -> None:
    repo = TinyDBRepository(tmp_path / "v.json")
    key = repo.put_blob(b"photo")
    (tmp_path / "v.blobs" / key).write_bytes(b"phot0")
    with pytest.raises(StoreDamaged, match="附件"):
        repo.get_blob(key)
    repo.close()


def test_temp_files_of_dead_writers_are_removed_at_start(tmp_path: Path) -> None:
    path = tmp_path / "v.json"
    _store_with_records(path)
    dead = tmp_path / f"v.json.vgtmp-{2**22 + 12345}-1"  # no such pid
    live = tmp_path / f"v.json.vgtmp-{os.getpid()}-1"
    dead_blob = tmp_path / "v.blobs"
    dead_blob.mkdir()
    (dead_blob / f"{'a' * 64}.vgtmp-{2**22 + 12345}-1").write_bytes(b"half")
    dead.write_bytes(b"{half")
    live.write_bytes(b"{in progress")
    TinyDBRepository(path).close()
    assert not dead.exists() and live.exists()
    assert list(dead_blob.iterdir()) == []


def test_atomic_storage_makes_plain_tinydb_safe_too(tmp_path: Path) -> None:
    path = tmp_path / "plain.json"
    with TinyDB(path, storage=AtomicJSONStorage) as db:
        db.insert({"名称": "一支部"})
    with TinyDB(path, storage=AtomicJSONStorage) as db:
        assert db.all() == [{"名称": "一支部"}]
