"""Threads and processes writing one TinyDB store: 0 acknowledged writes lost, 0 bad files."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from storage.errors import Conflict
from storage.tinydb_backend import TinyDBRepository

WRITER = Path(__file__).with_name("writer.py")


def _reopen_and_count(path: Path) -> dict[str, dict[str, object]]:
    repo = TinyDBRepository(path)
    try:
        return {d["id"]: d for d in repo.find("submissions")}
    finally:
        repo.close()


@pytest.mark.slow
def test_8_threads_x_500_writes_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "v.json"
    acked: list[list[str]] = [[] for _ in range(8)]
    errors: list[BaseException] = []

    def work(n: int) -> None:
        repo = TinyDBRepository(path, compact_every=300)  # compactions run during the writes
        try:
            for i in range(500):
                acked[n].append(repo.insert("submissions", {"t": n, "i": i}, actor="t")["id"])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            repo.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    stored = _reopen_and_count(path)
    all_acked = [i for ids in acked for i in ids]
    assert len(all_acked) == 4000
    assert set(all_acked) <= set(stored)
    assert len(stored) == 4000
    json.loads(path.read_text(encoding="utf-8"))  # the snapshot is readable


def test_threads_incrementing_one_record_never_lose_an_update(tmp_path: Path) -> None:
    repo = TinyDBRepository(tmp_path / "v.json")
    counter = repo.insert("counters", {"id": "c", "n": 0}, actor="x")

    def work() -> None:
        for _ in range(50):
            while True:
                doc = repo.get("counters", "c")
                assert doc is not None
                try:
                    repo.update(
                        "counters", {**doc, "n": doc["n"] + 1}, actor="t", expected_rev=doc["rev"]
                    )
                    break
                except Conflict:
                    continue

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    final = repo.get("counters", counter["id"])
    repo.close()
    assert final is not None and final["n"] == 400 and final["rev"] == 401


def _spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WRITER), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_4_processes_x_200_writes_on_one_file_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "v.json"
    # This process holds the store open too: it must see the others' writes without reopening.
    mine = TinyDBRepository(path)
    children = [_spawn("insert", str(path), "200", f"p{n}") for n in range(4)]
    acked = []
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        acked += [line.split()[0] for line in out.splitlines()]
    assert len(acked) == 800
    assert {d["id"] for d in mine.find("submissions")} == set(acked)
    mine.close()
    assert set(_reopen_and_count(path)) == set(acked)


@pytest.mark.slow
def test_processes_incrementing_one_record_never_lose_an_update(tmp_path: Path) -> None:
    path = tmp_path / "v.json"
    repo = TinyDBRepository(path)
    repo.insert("counters", {"id": "c", "n": 0}, actor="x")
    children = [_spawn("increment", str(path), "50", "c") for _ in range(4)]
    for child in children:
        _, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
    final = repo.get("counters", "c")
    repo.close()
    assert final is not None and final["n"] == 200 and final["rev"] == 201
