"""Brute-force and flood protection for logins (one ``LoginGuard`` per app process).

Two defences around every password verification:

- **Growing delays.** Failures are counted per login and per client address. After a few
  free failures each further try must wait twice as long as the one before (1 s, 2 s, 4 s …
  up to 15 minutes); a try made too early is refused without checking the password, so
  guessing 50 passwords takes hours, not seconds. A success clears the login's count; an
  address's count is forgotten an hour after its last failure. Unknown logins are counted
  like real ones, so the delays do not reveal which logins exist.
- **A bounded number of verifications at once.** argon2 costs 46 MiB per verification; a
  semaphore lets only ``concurrent`` run together and makes the rest queue (or give up after
  ``queue_timeout`` seconds with "try again"), so a flood of logins cannot exhaust memory.

The counts live in the process: several app processes behind one database each keep their
own (an attacker spreading tries over processes gains at most that factor).
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from workflow.errors import AuthFailed

FORGET_AFTER = 3600.0  # seconds after the last failure
MAX_TRACKED = 10_000  # keys kept at most; the oldest are dropped first


@dataclass
class _Failures:
    count: int
    last: float


class LoginGuard:
    """Rate limits and a verification semaphore; ``attempt`` wraps one login."""

    def __init__(
        self,
        *,
        concurrent: int = 2,
        free_per_login: int = 3,
        free_per_address: int = 10,
        first_delay: float = 1.0,
        max_delay: float = 900.0,
        queue_timeout: float = 15.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.concurrent = concurrent
        self.free = {"login": free_per_login, "address": free_per_address}
        self.first_delay = first_delay
        self.max_delay = max_delay
        self.queue_timeout = queue_timeout
        self.clock = clock
        self._slots = threading.BoundedSemaphore(concurrent)
        self._lock = threading.Lock()
        self._failures: OrderedDict[tuple[str, str], _Failures] = OrderedDict()

    def wait_seconds(self, login: str, address: str) -> float:
        """How long ``login`` from ``address`` must still wait before the next try (0: now)."""
        with self._lock:
            return max(self._wait(key) for key in _keys(login, address))

    @contextmanager
    def attempt(self, login: str, address: str) -> Iterator[None]:
        """Run one verification: refused (``AuthFailed``, saying how long to wait) while a
        delay runs, queued behind the semaphore, counted as a failure if ``AuthFailed``
        leaves the block, clearing the login's count otherwise."""
        self._refuse_if_waiting(login, address)
        if not self._slots.acquire(timeout=self.queue_timeout):
            raise AuthFailed.keyed("workflow.auth.busy")
        try:
            self._refuse_if_waiting(login, address)  # failures may have landed while queued
            yield
        except AuthFailed:
            self._failed(login, address)
            raise
        finally:
            self._slots.release()
        with self._lock:
            self._failures.pop(("login", login.lower()), None)

    def _refuse_if_waiting(self, login: str, address: str) -> None:
        wait = self.wait_seconds(login, address)
        if wait > 0:
            raise AuthFailed.keyed("workflow.auth.throttled", seconds=math.ceil(wait))

    def _wait(self, key: tuple[str, str]) -> float:
        entry = self._failures.get(key)
        if entry is None:
            return 0.0
        over = entry.count - self.free[key[0]]
        if over < 0:
            return 0.0
        delay = min(self.max_delay, self.first_delay * 2.0**over)
        return max(0.0, entry.last + delay - self.clock())

    def _failed(self, login: str, address: str) -> None:
        now = self.clock()
        with self._lock:
            for key in _keys(login, address):
                entry = self._failures.pop(key, None) or _Failures(0, now)
                entry.count += 1
                entry.last = now
                self._failures[key] = entry  # moved to the end: the newest
            while self._failures:
                oldest_key, oldest = next(iter(self._failures.items()))
                if len(self._failures) <= MAX_TRACKED and now - oldest.last < FORGET_AFTER:
                    break
                del self._failures[oldest_key]


def _keys(login: str, address: str) -> list[tuple[str, str]]:
    keys = [("login", login.lower())]
    if address:
        keys.append(("address", address))
    return keys
