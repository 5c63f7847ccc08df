"""A full disk (ENOSPC) mid-write: the error says so in Chinese, the store stays intact."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

import storage.atomic_file
import storage.event_log
from storage.errors import StorageError
from storage.tinydb_backend import TinyDBRepository


def _half_then_enospc(fd: int, data: bytes) -> None:
    os.write(fd, bytes(data[: len(data) // 2]))
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture
def store(tmp_path: Path) -> TinyDBRepository:
    repo = TinyDBRepository(tmp_path / "v.json")
    for n in range(20):
        repo.insert("submissions", {"n": n, "text": "支部学习记录"}, actor="a")
    repo.compact()
    return repo


def test_disk_full_during_a_save_keeps_every_earlier_record(
    store: TinyDBRepository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = tmp_path / "v.json.journal"
    before = journal.read_bytes()
    monkeypatch.setattr(storage.event_log, "write_all", _half_then_enospc)
    with pytest.raises(StorageError, match="磁盘空间不足"):
        store.insert("submissions", {"n": 99}, actor="a")
    assert journal.read_bytes() == before  # the half-written line was cut off
    assert len(store.find("submissions")) == 20
    monkeypatch.undo()

    saved = store.insert("submissions", {"n": 100}, actor="a")  # works once space is back
    store.close()
    again = TinyDBRepository(tmp_path / "v.json")
    try:
        assert sorted(d["n"] for d in again.find("submissions")) == [*range(20), 100]
        assert again.get("submissions", saved["id"]) == saved
    finally:
        again.close()


def test_a_failed_fsync_is_not_acknowledged(
    store: TinyDBRepository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_fsync(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage.event_log.os, "fsync", no_fsync)
    with pytest.raises(StorageError, match="磁盘空间不足"):
        store.insert("submissions", {"n": 99}, actor="a")
    monkeypatch.undo()
    store.close()
    again = TinyDBRepository(tmp_path / "v.json")
    try:
        assert 99 not in {d["n"] for d in again.find("submissions")}
        assert len(again.find("submissions")) == 20
    finally:
        again.close()


def test_disk_full_during_a_snapshot_leaves_the_old_snapshot_and_no_temp_file(
    store: TinyDBRepository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshot = tmp_path / "v.json"
    before = snapshot.read_bytes()
    store.insert("submissions", {"n": 20}, actor="a")
    monkeypatch.setattr(storage.atomic_file, "write_all", _half_then_enospc)
    with pytest.raises(StorageError, match="磁盘空间不足"):
        store.compact()
    assert snapshot.read_bytes() == before
    assert not list(tmp_path.glob("*.vgtmp-*"))
    monkeypatch.undo()
    store.close()
    again = TinyDBRepository(snapshot)
    try:
        assert len(again.find("submissions")) == 21  # the log still held the newest change
        json.loads(snapshot.read_bytes())
    finally:
        again.close()


def test_disk_full_while_storing_an_attachment_leaves_no_partial_blob(
    store: TinyDBRepository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage.atomic_file, "write_all", _half_then_enospc)
    with pytest.raises(StorageError, match="磁盘空间不足"):
        store.put_blob(b"photo" * 1000)
    monkeypatch.undo()
    assert store.blob_keys() == []
    assert not list((tmp_path / "v.blobs").glob("*"))
    key = store.put_blob(b"photo" * 1000)
    assert store.get_blob(key) == b"photo" * 1000
    store.close()
