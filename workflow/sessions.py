"""Sign-in sessions kept in the store, so a reload, a new tab or a pasted URL stays signed in.

A session is one document of kind ``sessions``: the user's login, when it began and when it was
last used, and the sha256 of its token (the token itself is never stored). The browser holds
the token in an HttpOnly cookie, signed with ``itsdangerous`` so a forged or stale value is
refused before any store lookup. The token reaches the browser through a one-time *hand-off
code* (valid for a minute, also kept only as a hash): the sign-in screen sends the browser to
``/auth/session?code=…``, whose response sets the cookie (``pages/session_routes.py``).

A session ends when the user signs out (every session of that user, in every browser), when an
admin disables or removes the account, when its password, role or branch changes or an older
revision of it is restored, after ``session_idle_hours`` without use and
``session_max_hours`` after it began (``core.settings``). Every backend holds sessions, so
several app processes on one PostgreSQL share them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, TimestampSigner

from core.settings import settings
from storage import errors as storage_errors
from storage.base import Document, Repository
from workflow.models import User

KIND = "sessions"
KEY_KIND = "session_keys"  # the store's cookie-signing key, when no VANGUARD_SECRET_KEY is set
COOKIE = "vanguard_session"
HANDOFF_SECONDS = 60
TOUCH_EVERY = dt.timedelta(minutes=5)  # last-seen is written at most this often per session
_ACTOR = "session"
_TRIES = 3  # a write that meets a concurrent touch of the same session is retried this often


def token_hash(secret: str) -> str:
    """The sha256 hex of a token or hand-off code: what the store keeps instead of it."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Begun:
    """A session just begun: its id (not secret) and the one-time code that sets the cookie."""

    session_id: str
    handoff_code: str


class SessionService:
    """Begin, resume, check and end sign-in sessions; ``clock`` is replaceable for tests."""

    def __init__(self, repo: Repository, clock: Callable[[], dt.datetime] = _utcnow) -> None:
        self.repo = repo
        self.clock = clock

    # -- lifecycle ---------------------------------------------------------------------------

    def begin(self, user: User) -> Begun:
        """Open a session for ``user`` (already authenticated) and its cookie hand-off code."""
        code = secrets.token_urlsafe(32)
        now = self.clock()
        doc = self.repo.insert(
            KIND,
            {
                "user_id": user.login,
                "session_epoch": user.session_epoch,
                "created_at": now.isoformat(),
                "last_seen": now.isoformat(),
                "token_hash": "",
                "handoff_hash": token_hash(code),
                "handoff_until": (now + dt.timedelta(seconds=HANDOFF_SECONDS)).isoformat(),
            },
            actor=_ACTOR,
        )
        return Begun(str(doc["id"]), code)

    def redeem(self, code: str) -> str | None:
        """Swap a hand-off code for the signed cookie value of its session, once; else None."""
        if not code:
            return None
        found = self.repo.find(KIND, {"handoff_hash": token_hash(code)})
        if not found:
            return None
        doc = found[0]
        if _parse(doc.get("handoff_until")) < self.clock():
            self._update(doc, {"handoff_hash": "", "handoff_until": ""})
            return None
        token = secrets.token_urlsafe(32)
        spent = {"handoff_hash": "", "handoff_until": "", "token_hash": token_hash(token)}
        # no retry: if another request redeemed the code meanwhile, this one lost
        if not self._update(doc, spent, tries=1) or self.check(str(doc["id"])) is None:
            return None
        return self._signer().sign(token).decode("ascii")

    def resume(self, cookie: str | None) -> tuple[str, User] | None:
        """The session id and user a cookie value stands for, when it is genuine and the
        session is still open (see ``check``); else None."""
        if not cookie:
            return None
        try:
            token = self._signer().unsign(cookie, max_age=self.max_age_seconds()).decode("ascii")
        except (BadSignature, UnicodeDecodeError):
            return None
        found = self.repo.find(KIND, {"token_hash": token_hash(token)})
        if not found:
            return None
        session_id = str(found[0]["id"])
        user = self.check(session_id)
        return (session_id, user) if user is not None else None

    def check(self, session_id: str | None) -> User | None:
        """The session's user (password hash blanked) if the session is open; None otherwise.

        An idle or too old session is ended here, and so is one begun before the account's
        password, role, branch or active flag last changed (its ``session_epoch``: a cookie
        stolen before a password reset opens nothing); a session whose account is disabled or
        gone ends with every other session of that account. Use is recorded (``last_seen``) at most
        every few minutes, so a busy page does not write on every click.
        """
        doc = self.repo.get(KIND, session_id) if session_id else None
        if doc is None:
            return None
        now = self.clock()
        stored = settings()
        idle = now - _parse(doc.get("last_seen"))
        age = now - _parse(doc.get("created_at"))
        if idle > dt.timedelta(hours=stored.session_idle_hours) or age > dt.timedelta(
            hours=stored.session_max_hours
        ):
            self._drop(doc)
            return None
        account = self.repo.get("users", str(doc.get("user_id")))
        user = User.model_validate(account) if account else None
        if user is None or not user.active:
            end_sessions_of(self.repo, str(doc.get("user_id")))
            return None
        if doc.get("session_epoch") != user.session_epoch:  # password or access changed since
            self._drop(doc)
            return None
        if idle > TOUCH_EVERY:
            self._update(doc, {"last_seen": now.isoformat()})
        return user.model_copy(update={"password_hash": ""})

    def end_all(self, user: User) -> int:
        """Sign ``user`` out everywhere: every session of the account ends; returns how many."""
        return end_sessions_of(self.repo, user.login)

    def max_age_seconds(self) -> int:
        """How long a cookie may live (``session_max_hours``), in seconds."""
        return int(settings().session_max_hours * 3600)

    # -- internals -------------------------------------------------------------------------

    def _signer(self) -> TimestampSigner:
        configured = settings().secret_key
        key = configured.get_secret_value() if configured else self._stored_key()
        return TimestampSigner(key, salt="vanguard.session")

    def _stored_key(self) -> str:
        doc = self.repo.get(KEY_KIND, "cookie")
        if doc is None:
            try:
                doc = self.repo.insert(
                    KEY_KIND, {"id": "cookie", "key": secrets.token_hex(32)}, actor=_ACTOR
                )
            except storage_errors.AlreadyExists:  # another process made it first
                doc = self.repo.get(KEY_KIND, "cookie")
        assert doc is not None
        return str(doc["key"])

    def _update(self, doc: Document, changes: dict[str, Any], *, tries: int = _TRIES) -> bool:
        """Write ``changes`` to a session; False when it is gone or kept changing."""
        return _write(self.repo, doc, changes, tries)

    def _drop(self, doc: Document) -> None:
        _delete(self.repo, doc)


def end_sessions_of(repo: Repository, login: str, *, keep: str | None = None) -> int:
    """End every session of the account ``login`` (sign-out, disabled or removed account,
    changed access or password) but the session ``keep`` (the browser that changed the
    password stays signed in); returns how many ended."""
    ended = 0
    for doc in repo.find(KIND, {"user_id": login}):
        if keep is not None and str(doc["id"]) == keep:
            account = repo.get("users", login)  # the kept session takes the new epoch
            epoch = account.get("session_epoch") if account else None
            _write(repo, doc, {"session_epoch": epoch})
        else:
            ended += _delete(repo, doc)
    return ended


def _write(repo: Repository, doc: Document, changes: dict[str, Any], tries: int = _TRIES) -> bool:
    """Write ``changes`` to a session; False when it is gone or kept changing."""
    current: Document | None = doc
    for _ in range(tries):
        if current is None:
            return False
        try:
            repo.update(
                KIND, {**current, **changes}, actor=_ACTOR, expected_rev=int(current["rev"])
            )
            return True
        except storage_errors.Conflict:
            current = repo.get(KIND, str(current["id"]))
        except storage_errors.NotFound:
            return False
    return False


def _delete(repo: Repository, doc: Document) -> int:
    current: Document | None = doc
    for _ in range(_TRIES):
        if current is None:
            return 0
        try:
            repo.delete(KIND, str(current["id"]), actor=_ACTOR, expected_rev=int(current["rev"]))
            return 1
        except storage_errors.Conflict:
            current = repo.get(KIND, str(current["id"]))
        except storage_errors.NotFound:
            return 0
    return 0


def _parse(value: Any) -> dt.datetime:
    """A stored ISO time; an unreadable one counts as long ago (the session is refused)."""
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return dt.datetime.min.replace(tzinfo=dt.UTC)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
