"""Authentication: guessing passwords, flooding the login, weak passwords, sessions that must
end. Each test replays an attack that worked before the fix."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from storage.memory import MemoryRepository
from tests.unit.workflow_world import FAST_HASHER, PASSWORD, make_world
from workflow.accounts import AccountService
from workflow.errors import AuthFailed, SessionEnded, ValidationFailed
from workflow.login_guard import LoginGuard
from workflow.models import Role
from workflow.passwords import ARGON2_MEMORY_KIB, password_problem

ROOT = Path(__file__).resolve().parents[2]


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _guarded_accounts() -> tuple[AccountService, FakeClock]:
    world = make_world()
    clock = FakeClock()
    return AccountService(world.repo, FAST_HASHER, LoginGuard(clock=clock)), clock


def test_fifty_wrong_guesses_then_the_right_password_is_held_back() -> None:
    accounts, clock = _guarded_accounts()
    refused_unchecked = 0
    for n in range(50):
        with pytest.raises(AuthFailed) as caught:
            accounts.authenticate("reviewer", f"guess-{n}", address="10.0.0.9")
        refused_unchecked += "秒后再试" in str(caught.value)
    assert refused_unchecked >= 46  # only the first few guesses were even checked
    with pytest.raises(AuthFailed, match="秒后再试"):
        accounts.authenticate("reviewer", PASSWORD, address="10.0.0.9")
    with pytest.raises(AuthFailed, match="秒后再试"):  # another address: the account waits
        accounts.authenticate("reviewer", PASSWORD, address="10.0.0.10")
    clock.now += 901  # the delay grows to at most 15 minutes
    assert accounts.authenticate("reviewer", PASSWORD, address="10.0.0.9").login == "reviewer"


def test_delays_grow_with_each_failure() -> None:
    guard = LoginGuard(clock=FakeClock())
    waits = []
    for _ in range(7):
        with pytest.raises(AuthFailed), guard.attempt("x", ""):
            raise AuthFailed("wrong")
        waits.append(guard.wait_seconds("x", ""))
        guard.clock.now += waits[-1]  # type: ignore[attr-defined]
    assert waits[:2] == [0.0, 0.0] and waits[2:] == [1.0, 2.0, 4.0, 8.0, 16.0]


def test_one_address_guessing_many_logins_is_slowed_down_too() -> None:
    accounts, _ = _guarded_accounts()
    messages = []
    for n in range(15):
        with pytest.raises(AuthFailed) as caught:
            accounts.authenticate(f"user{n}", "guess-guess", address="10.0.0.7")
        messages.append(str(caught.value))
    assert "秒后再试" not in messages[9] and "秒后再试" in messages[-1]


def test_unknown_and_known_logins_are_throttled_alike() -> None:
    accounts, _ = _guarded_accounts()
    outcomes = {}
    for login in ("reviewer", "nobody-here"):
        texts = []
        for n in range(5):
            with pytest.raises(AuthFailed) as caught:
                accounts.authenticate(login, f"guess-{n}", address="")
            texts.append(str(caught.value))
        outcomes[login] = texts
    assert outcomes["reviewer"] == outcomes["nobody-here"]


@pytest.mark.parametrize(
    "password",
    [
        "        ",
        "12345678",
        "password",
        "password2026",
        "qwertyuiop",
        "1234567890",
        "woaini1314",
        "aaaaaaaaaaaa",
        "reader-reader-1",
    ],
)
def test_weak_passwords_are_refused_with_a_chinese_message_at_the_field(password: str) -> None:
    world = make_world()
    with pytest.raises(ValidationFailed) as caught:
        world.services.accounts.set_password(world.admin, "reader", password)
    message = caught.value.errors["password"]
    assert "密码" in message and any(w in message for w in ("至少", "常见", "重复", "登录名"))
    assert password_problem(password, "reader") == message


def test_good_passwords_pass() -> None:
    for password in ("correct-horse-1", "Vanguard党建2026!", "tea-kettle-window-9"):
        assert password_problem(password, "zhangsan") is None


def test_sessions_end_when_access_changes_but_not_for_a_language_switch() -> None:
    world = make_world()
    accounts = world.services.accounts
    staff = accounts.set_language(world.staff[0], "en")
    assert accounts.acting(staff).lang == "en"  # still signed in
    accounts.set_password(world.admin, staff.login, "brand-new-pass-7")
    with pytest.raises(SessionEnded):
        accounts.acting(staff)
    reader = world.reader
    stored = accounts.get_user(world.admin, "reader")
    accounts.update_user(world.admin, stored.model_copy(update={"role": Role.REVIEWER}), stored.rev)
    with pytest.raises(SessionEnded):
        accounts.acting(reader)


def test_own_password_change_keeps_this_session() -> None:
    world = make_world()
    changed = world.services.accounts.set_password(world.staff[0], "branch1", "brand-new-pass-7")
    assert world.services.accounts.acting(changed).login == "branch1"


FLOOD = textwrap.dedent(
    """
    import sys, threading
    sys.path.insert(0, sys.argv[1])
    from storage.memory import MemoryRepository
    from workflow.accounts import AccountService
    from workflow.errors import AuthFailed
    from workflow.login_guard import LoginGuard

    def peak_mib():
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024

    concurrent = int(sys.argv[2])
    accounts = AccountService(MemoryRepository(), guard=LoginGuard(concurrent=concurrent))
    accounts._dummy()  # the one hash an unknown login is checked against
    before = peak_mib()
    barrier = threading.Barrier(32)

    def login(n):
        barrier.wait()
        try:
            accounts.authenticate(f"user{n}", "wrong-password", address=f"10.0.{n}.1")
        except AuthFailed:
            pass

    threads = [threading.Thread(target=login, args=(n,)) for n in range(32)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"{before:.0f} {peak_mib():.0f}")
    """
)


def _flood_peak_growth(concurrent: int) -> float:
    """Peak RSS growth (MiB) of a process taking 32 simultaneous wrong logins, each from its
    own address, with production argon2 parameters (46 MiB per verification)."""
    out = subprocess.run(
        [sys.executable, "-c", FLOOD, str(ROOT), str(concurrent)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout.split()
    before, after = float(out[0]), float(out[1])
    return after - before


@pytest.mark.slow
def test_a_flood_of_wrong_logins_does_not_exhaust_memory() -> None:
    growth = _flood_peak_growth(LoginGuard().concurrent)
    # Two verifications at a time: about 2 × 46 MiB, never 32 × 46 MiB (1.4 GiB).
    assert growth < 4 * ARGON2_MEMORY_KIB / 1024, f"peak RSS grew by {growth:.0f} MiB"


def test_the_guard_is_wired_into_the_services() -> None:
    accounts = AccountService(MemoryRepository())
    assert accounts.guard.concurrent <= 4
