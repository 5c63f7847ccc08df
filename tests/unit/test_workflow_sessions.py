"""Sign-in sessions (issue 10 point 1, issue 12 point 5): the cookie is signed, the store keeps
only hashes, and a session is refused once it is idle too long, too old, signed out or its
account disabled."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest

from tests.unit.workflow_world import PASSWORD, World, make_world
from workflow.errors import PermissionDenied
from workflow.models import User
from workflow.sessions import KIND, SessionService, token_hash


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def world() -> World:
    return make_world()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def sessions(world: World, clock: Clock) -> SessionService:
    return SessionService(world.repo, clock)


def signed_in(sessions: SessionService, world: World, user: User | None = None) -> str:
    """The cookie value a browser holds after ``user`` (staff[0]) signed in."""
    begun = sessions.begin(user or world.staff[0])
    cookie = sessions.redeem(begun.handoff_code)
    assert cookie is not None
    return cookie


def test_the_cookie_resumes_the_session_of_its_user(sessions: SessionService, world: World) -> None:
    found = sessions.resume(signed_in(sessions, world))
    assert found is not None and found[1].login == world.staff[0].login
    assert found[1].password_hash == ""


def test_the_store_keeps_only_hashes_of_the_token_and_the_handoff_code(
    sessions: SessionService, world: World
) -> None:
    begun = sessions.begin(world.staff[0])
    cookie = sessions.redeem(begun.handoff_code)
    assert cookie is not None
    token = cookie.split(".")[0]
    stored = json.dumps(world.repo.find(KIND) + world.repo.history(KIND, begun.session_id))
    assert begun.handoff_code not in stored and token not in stored
    assert token_hash(token) in stored


def test_a_tampered_or_unsigned_cookie_is_refused(sessions: SessionService, world: World) -> None:
    cookie = signed_in(sessions, world)
    token, stamp, signature = cookie.split(".")
    assert sessions.resume(token) is None  # the bare token, unsigned
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]  # all its bits count
    assert sessions.resume(f"{token}.{stamp}.{flipped}") is None
    assert sessions.resume("") is None and sessions.resume(None) is None


def test_a_handoff_code_works_once_and_only_for_a_minute(
    sessions: SessionService, world: World, clock: Clock
) -> None:
    begun = sessions.begin(world.staff[0])
    assert sessions.redeem(begun.handoff_code) is not None
    assert sessions.redeem(begun.handoff_code) is None
    late = sessions.begin(world.staff[0])
    clock.advance(seconds=61)
    assert sessions.redeem(late.handoff_code) is None


def test_an_idle_session_expires_and_a_used_one_does_not(
    sessions: SessionService,
    world: World,
    clock: Clock,
    settings_override: Callable[..., object],
) -> None:
    settings_override(session_idle_hours=8)
    busy, idle = signed_in(sessions, world), signed_in(sessions, world)
    for _ in range(5):  # used every 3 hours: 15 hours in all, never idle for 8
        clock.advance(hours=3)
        assert sessions.resume(busy) is not None
    assert sessions.resume(idle) is None
    assert sessions.resume(idle) is None  # and it stays ended


def test_a_session_ends_after_its_maximum_age_however_busy(
    sessions: SessionService,
    world: World,
    clock: Clock,
    settings_override: Callable[..., object],
) -> None:
    settings_override(session_idle_hours=8, session_max_hours=24)
    cookie = signed_in(sessions, world)
    for _ in range(7):
        clock.advance(hours=3)
        assert sessions.resume(cookie) is not None
    clock.advance(hours=4)
    assert sessions.resume(cookie) is None


def test_sign_out_ends_every_session_of_the_user_only(
    sessions: SessionService, world: World
) -> None:
    office, home = signed_in(sessions, world), signed_in(sessions, world)
    other = sessions.begin(world.staff[1])
    other_cookie = sessions.redeem(other.handoff_code)
    assert sessions.end_all(world.staff[0]) == 2
    assert sessions.resume(office) is None and sessions.resume(home) is None
    assert sessions.resume(other_cookie) is not None


def test_disabling_an_account_ends_its_sessions(sessions: SessionService, world: World) -> None:
    cookie = signed_in(sessions, world)
    user = world.services.accounts.get_user(world.admin, world.staff[0].login)
    disabled = user.model_copy(update={"active": False})
    world.services.accounts.update_user(world.admin, disabled, user.rev)
    assert world.repo.find(KIND, {"user_id": world.staff[0].login}) == []
    assert sessions.resume(cookie) is None


def test_a_session_is_refused_once_its_account_is_inactive_however_it_got_so(
    sessions: SessionService, world: World
) -> None:
    session_id = sessions.begin(world.staff[0]).session_id
    doc = world.repo.get("users", world.staff[0].login)
    assert doc is not None
    world.repo.update("users", {**doc, "active": False}, actor="x", expected_rev=doc["rev"])
    assert sessions.check(session_id) is None


def test_an_ended_session_cannot_be_restored_from_history(
    sessions: SessionService, world: World
) -> None:
    session_id = sessions.begin(world.staff[0]).session_id
    sessions.end_all(world.staff[0])
    with pytest.raises(PermissionDenied):
        world.services.audit.restore(world.admin, KIND, session_id, 1)
    assert sessions.check(session_id) is None
    kinds = world.services.audit.kinds(world.admin)
    assert KIND not in kinds


def test_a_cookie_from_before_a_password_reset_opens_nothing(
    sessions: SessionService, world: World
) -> None:
    """A thief's cookie, taken before the owner's password was reset, stays refused, also in
    a browser whose tab was closed (so no open tab noticed the change first)."""
    stolen = signed_in(sessions, world)
    world.services.accounts.set_password(world.admin, world.staff[0].login, "Xq7-lantern-42")
    assert sessions.resume(stolen) is None
    assert world.repo.find(KIND, {"user_id": world.staff[0].login}) == []
    fresh = world.services.accounts.get_user(world.admin, world.staff[0].login)
    assert sessions.resume(signed_in(sessions, world, fresh)) is not None


def test_a_session_begun_before_a_role_change_or_restore_opens_nothing(
    sessions: SessionService, world: World
) -> None:
    accounts, login = world.services.accounts, world.staff[0].login
    before_move = signed_in(sessions, world)
    user = accounts.get_user(world.admin, login)
    moved = user.model_copy(update={"branch_id": world.branches[1].id})
    accounts.update_user(world.admin, moved, user.rev)
    assert sessions.resume(before_move) is None
    moved = accounts.get_user(world.admin, login)
    cookie = signed_in(sessions, world, moved)
    accounts.restore(world.admin, login, 1)
    assert sessions.resume(cookie) is None


def test_a_session_whose_epoch_is_stale_is_refused_however_it_got_so(
    sessions: SessionService, world: World
) -> None:
    session_id = sessions.begin(world.staff[0]).session_id
    doc = world.repo.get("users", world.staff[0].login)
    assert doc is not None
    bumped = {**doc, "session_epoch": int(doc.get("session_epoch") or 0) + 1}
    world.repo.update("users", bumped, actor="x", expected_rev=doc["rev"])
    assert sessions.check(session_id) is None


def test_the_browser_that_changed_its_own_password_stays_signed_in(
    sessions: SessionService, world: World
) -> None:
    here, thief = signed_in(sessions, world), signed_in(sessions, world)
    found = sessions.resume(here)
    assert found is not None
    world.services.accounts.change_own_password(
        world.staff[0], PASSWORD, "Xq7-lantern-42", keep_session=found[0]
    )
    assert sessions.resume(here) is not None
    assert sessions.resume(thief) is None


def test_a_sign_in_that_raced_a_password_reset_opens_nothing(
    sessions: SessionService, world: World
) -> None:
    """The old password was checked, then an admin reset it (ending every session), then the
    sign-in opened its session: that session must not outlive the reset."""
    login = world.staff[0].login
    checked = world.services.accounts.authenticate(login, PASSWORD)
    world.services.accounts.set_password(world.admin, login, "Xq7-lantern-42")
    begun = sessions.begin(checked)
    assert sessions.redeem(begun.handoff_code) is None
    assert sessions.check(begun.session_id) is None
