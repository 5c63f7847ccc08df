"""Long PDF builds in the background: a job per request, its progress, its result kept per user.

A campaign dossier lays out over a thousand pages. Done in the request's thread it would hold
the user's screen for seconds and, through the interpreter lock, slow every other user's clicks
served by the same process. So a build runs in a child process forked from the app process
(it inherits the fonts, the form types and the data already read, nothing is re-imported or
pickled) while a watcher thread of the app reads its progress and result from a pipe. Where
``fork`` is unavailable the build runs in a thread instead.

A build that fails keeps, for the user, a ``VanguardError`` saying in their language what
happened and what to do (``Job.reason``), and writes the technical detail (the child's
traceback, an exit code) to the server log; the screen never shows that detail.

Jobs and results live in this process's memory (a user reloading the page finds them again;
another app process does not): the last ``KEEP_PER_USER`` jobs of each user, results for
``KEEP_SECONDS``. A user sees only their own jobs.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any, Literal

from core.errors import VanguardError
from i18n import Lang, now_local
from reports.forked_map import WorkerFailed

log = logging.getLogger(__name__)

KEEP_PER_USER = 5
KEEP_SECONDS = 6 * 3600
# Builds running at once in this process; more wait their turn (2 cores: leave one for clicks).
MAX_RUNNING = 1
# A build that sends neither progress nor its PDF for this long is stuck: it is killed and fails.
SILENT_SECONDS = 300.0

Progress = Callable[[int, int], None]
Build = Callable[[Progress], bytes]


@dataclass
class Job:
    """One background build: what it makes, how far it is, and its PDF when done."""

    id: str
    owner: str
    title: str
    filename: str
    started_at: str
    status: Literal["waiting", "running", "done", "failed"] = "waiting"
    done: int = 0
    total: int = 0
    error: str = ""  # the technical detail of a failure, for the server log only
    failure: VanguardError | None = field(default=None, repr=False)
    result: bytes | None = field(default=None, repr=False)
    finished: float = 0.0

    def reason(self, lang: Lang) -> str:
        """Why the build failed and what to do, in ``lang`` ("" unless it failed)."""
        return self.failure.message(lang) if self.failure is not None else ""

    @property
    def fraction(self) -> float:
        """How far the build is, 0 to 1."""
        if self.status == "done":
            return 1.0
        return min(self.done / self.total, 1.0) if self.total else 0.0


class BackgroundBuilds:
    """Starts builds, reports their progress and hands each user their own results."""

    def __init__(self, *, in_process: bool | None = None) -> None:
        """``in_process``: build in a thread of this process instead of a forked child
        (default: only where ``fork`` is unavailable)."""
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._slots = threading.Semaphore(MAX_RUNNING)
        fork = "fork" in multiprocessing.get_all_start_methods()
        self.in_process = (not fork) if in_process is None else in_process

    def start(self, owner: str, title: str, filename: str, build: Build) -> Job:
        """Queue ``build`` for ``owner`` (a user id); returns its job at once."""
        job = Job(
            id=uuid.uuid4().hex,
            owner=owner,
            title=title,
            filename=filename,
            started_at=now_local(),
        )
        with self._lock:
            self._jobs[job.id] = job
            self._forget_old(owner)
        threading.Thread(target=self._run, args=(job, build), daemon=True).start()
        return job

    def jobs_of(self, owner: str) -> list[Job]:
        """``owner``'s jobs, newest first."""
        with self._lock:
            mine = [j for j in self._jobs.values() if j.owner == owner]
        return sorted(mine, key=lambda j: j.started_at, reverse=True)

    def job(self, owner: str, job_id: str) -> Job | None:
        """``owner``'s job ``job_id``; ``None`` if there is none (or it is someone else's)."""
        with self._lock:
            job = self._jobs.get(job_id)
        return job if job is not None and job.owner == owner else None

    def wait(self, job: Job, timeout: float = 120.0) -> Job:
        """Block until ``job`` ends (for tests and command lines)."""
        deadline = time.monotonic() + timeout
        while job.status in ("waiting", "running") and time.monotonic() < deadline:
            time.sleep(0.02)
        return job

    def _forget_old(self, owner: str) -> None:
        now = time.monotonic()
        expired = [
            j.id for j in self._jobs.values() if j.finished and now - j.finished > KEEP_SECONDS
        ]
        mine = sorted(
            (j for j in self._jobs.values() if j.owner == owner and j.finished),
            key=lambda j: j.finished,
        )
        expired += [j.id for j in mine[: max(0, len(mine) - KEEP_PER_USER + 1)]]
        for job_id in expired:
            self._jobs.pop(job_id, None)

    def _run(self, job: Job, build: Build) -> None:
        with self._slots:
            job.status = "running"
            try:
                if self.in_process:
                    job.result = build(lambda done, total: _advance(job, done, total))
                else:
                    job.result = _in_child(job, build)
                job.status = "done"
            except BuildFailed as error:  # the job reports it; the app goes on
                _fail(job, error.failure, error.detail)
            except Exception as error:
                _fail(job, _failure(error), traceback.format_exc())
            finally:
                job.finished = time.monotonic()


class BuildFailed(Exception):
    """A build failed in its child process: what to tell the user and what to log."""

    def __init__(self, failure: VanguardError, detail: str) -> None:
        super().__init__(detail)
        self.failure, self.detail = failure, detail


def _fail(job: Job, failure: VanguardError, detail: str) -> None:
    log.error("background build %s (%s) of %s failed: %s", job.id, job.title, job.owner, detail)
    job.error, job.failure, job.status = detail, failure, "failed"


def _failure(error: BaseException) -> VanguardError:
    """What the user is told of ``error``: a project error as it is worded; a part of the
    build that took too long or whose process died, and anything else, in the catalogue's
    words (``dossiers.failure.*``)."""
    if isinstance(error, VanguardError):
        return error
    if isinstance(error, WorkerFailed) and error.reason == "timeout":
        return _keyed("dossiers.failure.part_timeout", seconds=round(error.seconds))
    if isinstance(error, WorkerFailed) and error.reason == "died":
        return _keyed("dossiers.failure.ended")
    return _keyed("dossiers.failure.unexpected")


def _keyed(key: str, **values: Any) -> VanguardError:
    return VanguardError(key=key, values=values)


def _facts(error: VanguardError) -> dict[str, Any]:
    """What a child sends of ``error`` so the parent words it the same (plain values only)."""
    values = {
        k: v if isinstance(v, str | int | float | bool) or v is None else str(v)
        for k, v in error.values.items()
    }
    return {
        "text": error.text_zh,
        "text_en": error.text_en,
        "key": error.key,
        "values": values,
        "suggestion": error.suggestion,
    }


def _advance(job: Job, done: int, total: int) -> None:
    job.done, job.total = done, total


def _in_child(job: Job, build: Build) -> bytes:
    """Run ``build`` in a forked child; progress and the PDF come back through a pipe."""
    receive, send = multiprocessing.Pipe(duplex=False)
    # Not a daemon: a daemonic process may not start processes, and a build lays its parts
    # out in processes of its own (reports.dossier_parts).
    child = multiprocessing.get_context("fork").Process(
        target=_child_main, args=(build, send), daemon=False
    )
    child.start()
    send.close()
    try:
        while True:
            if not receive.poll(SILENT_SECONDS):
                child.kill()
                raise BuildFailed(
                    _keyed("dossiers.failure.stuck", seconds=round(SILENT_SECONDS)),
                    f"no progress for {SILENT_SECONDS:.0f} s: child {child.pid} killed",
                )
            try:
                message = receive.recv()
            except EOFError:
                child.join(timeout=5)
                raise BuildFailed(
                    _keyed("dossiers.failure.ended"),
                    f"child {child.pid} ended unexpectedly (exit code {child.exitcode})",
                ) from None
            kind = message[0]
            if kind == "progress":
                _advance(job, message[1], message[2])
            elif kind == "done":
                return bytes(message[1])
            else:
                raise BuildFailed(VanguardError(**message[1]), message[2])
    finally:
        receive.close()
        child.join(timeout=5)


def _child_main(build: Build, send: Connection) -> None:
    try:
        pdf = build(lambda done, total: send.send(("progress", done, total)))
        send.send(("done", pdf))
    except BaseException as error:  # reported to the parent, which raises it
        send.send(("failed", _facts(_failure(error)), traceback.format_exc()))
    finally:
        send.close()
        os._exit(0)  # no atexit handlers, no flushing of the parent's inherited buffers
