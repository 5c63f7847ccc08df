"""reports.forked_map: every item once, errors and dead or stuck workers reported, nothing left
running, no threads in the caller (a dossier build is itself a forked child of a threaded app)."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time

import pytest

from reports.forked_map import WorkerFailed, forked_map


def _square(n: int) -> int:
    return n * n


def test_every_item_is_mapped_once_by_the_workers() -> None:
    items = list(range(23))
    seen = dict(forked_map(_square, items, 3))
    assert seen == {n: n * n for n in items}


def test_results_come_from_other_processes_and_the_caller_starts_no_thread() -> None:
    threads = threading.active_count()
    pids = set()
    for _index, pid in forked_map(lambda _n: os.getpid(), range(6), 2):
        assert threading.active_count() == threads
        pids.add(pid)
    assert os.getpid() not in pids and 1 <= len(pids) <= 2


def test_an_error_in_the_function_is_raised_with_its_reason() -> None:
    def fail_on_five(n: int) -> int:
        if n == 5:
            raise ValueError("bad part five")
        return n

    with pytest.raises(WorkerFailed, match="bad part five"):
        list(forked_map(fail_on_five, range(8), 2))
    assert multiprocessing.active_children() == []


def test_a_worker_that_dies_is_reported() -> None:
    def die(n: int) -> int:
        os._exit(3)

    with pytest.raises(WorkerFailed, match="exit code 3"):
        list(forked_map(die, range(4), 2))
    assert multiprocessing.active_children() == []


def test_a_stuck_worker_is_killed_after_its_budget() -> None:
    def hang(n: int) -> int:
        time.sleep(60 if n == 1 else 0)
        return n

    started = time.monotonic()
    with pytest.raises(WorkerFailed, match="within"):
        list(forked_map(hang, range(3), 2, item_seconds=0.5))
    assert time.monotonic() - started < 30
    assert multiprocessing.active_children() == []


def test_stopping_early_leaves_no_worker_running() -> None:
    results = forked_map(_square, range(50), 2)
    assert next(results)[1] in {n * n for n in range(50)}
    results.close()
    assert multiprocessing.active_children() == []
