"""Apply a function to items in forked worker processes, each result as soon as it is done.

Why not ``multiprocessing.Pool``: a pool runs three helper threads in the calling process and
tears down with ``terminate()``, and a dossier build is itself a child forked from the
multi-threaded app server; a CI run saw such a build hang after its last part was laid out.
Here the caller has no threads: each worker is a plain forked process with one pipe, the
caller hands out the next item index to whichever worker answered, waits on the pipes with a
deadline, and kills whatever is left when it stops. The function and the items reach the
workers through ``fork``, so neither is pickled; only indexes and results cross the pipes.
"""

from __future__ import annotations

import contextlib
import os
import traceback
from collections.abc import Callable, Generator, Iterator, Sequence
from multiprocessing import get_context
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Literal, TypeVar, cast

Item = TypeVar("Item")
Result = TypeVar("Result")

# Seconds a worker may take for one item before the whole map gives up.
ITEM_SECONDS = 300.0


class WorkerFailed(RuntimeError):
    """A worker raised, died, or took longer than its budget: ``reason`` is ``"raised"``,
    ``"died"`` or ``"timeout"`` (``seconds``: the budget), ``str()`` the technical detail
    (the worker's traceback, its exit code) for the server log, not for users."""

    def __init__(
        self, reason: Literal["raised", "died", "timeout"], detail: str, seconds: float = 0.0
    ) -> None:
        super().__init__(detail)
        self.reason, self.seconds = reason, seconds


def forked_map(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    workers: int,
    *,
    niceness: int = 0,
    item_seconds: float = ITEM_SECONDS,
) -> Generator[tuple[int, Result], None, None]:
    """``(index, function(items[index]))`` for every item, in the order they are done, from
    ``workers`` forked processes running ``niceness`` steps below the caller's priority."""
    context = get_context("fork")
    pool: dict[Connection, BaseProcess] = {}
    try:
        for _ in range(max(1, min(workers, len(items)))):
            mine, theirs = context.Pipe()
            process = context.Process(
                target=_serve, args=(theirs, function, items, niceness), daemon=False
            )
            process.start()
            theirs.close()
            pool[mine] = process
        queued = iter(range(len(items)))
        busy: set[Connection] = set()
        for connection in pool:
            if _hand_out(connection, queued):
                busy.add(connection)
        while busy:
            ready = wait(list(busy), timeout=item_seconds)
            if not ready:
                detail = f"no part finished within {item_seconds:.0f} s"
                raise WorkerFailed("timeout", detail, item_seconds)
            for answered in ready:
                connection = _pool_connection(pool, answered)
                index, result, error = _receive(connection, pool[connection])
                if error is not None:
                    raise WorkerFailed("died" if index < 0 else "raised", error)
                yield index, cast(Result, result)
                if not _hand_out(connection, queued):
                    busy.discard(connection)
    finally:
        _stop(pool)


def _pool_connection(pool: dict[Connection, BaseProcess], answered: object) -> Connection:
    """The pool's connection that ``wait`` returned (typed as any waitable object)."""
    assert isinstance(answered, Connection) and answered in pool
    return answered


def _hand_out(connection: Connection, queued: Iterator[int]) -> bool:
    """Send the next index to the worker; tell it to stop when none is left."""
    index = next(queued, None)
    connection.send(index)
    return index is not None


def _receive(connection: Connection, process: BaseProcess) -> tuple[int, object, str | None]:
    try:
        index, result, error = connection.recv()
    except EOFError:
        process.join(timeout=1)
        return -1, None, f"worker ended unexpectedly (exit code {process.exitcode})"
    return index, result, error


def _serve(
    connection: Connection,
    function: Callable[[object], object],
    items: Sequence[object],
    niceness: int,
) -> None:
    try:
        if niceness:
            os.nice(niceness)
        while (index := connection.recv()) is not None:
            try:
                connection.send((index, function(items[index]), None))
            except Exception:  # reported to the caller, which raises it
                connection.send((index, None, traceback.format_exc()))
    except (EOFError, BrokenPipeError, KeyboardInterrupt):
        pass  # the caller went away or stopped us
    finally:
        connection.close()
        os._exit(0)  # no atexit handlers, no flushing of buffers inherited from the caller


def _stop(pool: dict[Connection, BaseProcess]) -> None:
    for connection in pool:
        with contextlib.suppress(BrokenPipeError, OSError):
            connection.send(None)
        connection.close()
    for process in pool.values():
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join()
