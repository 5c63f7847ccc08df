"""Races: two people doing the same thing at the same moment, in threads of one app process and
in separate processes, on TinyDB and PostgreSQL (and memory for threads).

- Two administrators demoting each other at once leave one of them an administrator (the
  check and the write share ``repo.locked``); before the fix 34 of 40 trials on PostgreSQL
  left none.
- Two sessions of one branch creating its plan at once leave one plan (its id is derived from
  campaign, branch and form type, so the store's unique key refuses the second); before the
  fix 20 of 20 trials on PostgreSQL left two.
- Two administrators saving one rule-set draft from the same revision: the second is refused
  with a message naming the first, nothing is silently overwritten.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from storage.base import Repository
from storage.factory import open_repository
from workflow import demo_data
from workflow.errors import DomainError
from workflow.models import Role, User
from workflow.rule_sets import DraftConflict
from workflow.services import Services, build_services
from workflow.setup import create_first_admin

FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
PASSWORD = "correct-horse-1"
WORKER = Path(__file__).with_name("race_worker.py")
THREAD_TRIALS = 20
PROCESS_TRIALS = 4


@dataclass
class Store:
    url: str
    repo: Repository
    services: Services
    first: User
    second: User
    staff: User
    campaign_id: str


def _store(url: str) -> Store:
    repo = open_repository(url)
    services = build_services(repo, hasher=FAST_HASHER)
    first = create_first_admin(
        repo, login="admin1", display_name="甲", password=PASSWORD, hasher=FAST_HASHER
    )
    second = services.accounts.create_user(
        first, login="admin2", display_name="乙", role=Role.ADMIN, password=PASSWORD
    )
    branch = services.branches.create(first, {**demo_data.BRANCHES[0]})
    staff = services.accounts.create_user(
        first,
        login="staff",
        display_name="丙",
        role=Role.BRANCH,
        password=PASSWORD,
        branch_id=branch.id,
    )
    campaign = services.campaigns.create(first, demo_data.campaign(2026))
    return Store(url, repo, services, first, second, staff, campaign.id)


def _open(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Store:
    if backend == "memory":
        url = "memory://"
    elif backend == "tinydb":
        url = f"tinydb:///{tmp_path / 'race.json'}"
    else:
        url = str(request.getfixturevalue("pg_url"))
    return _store(url)


POSTGRES = pytest.param("postgres", marks=pytest.mark.postgres)


@pytest.fixture(params=["memory", "tinydb", POSTGRES])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A fresh store with two administrators, a branch, its staff and a campaign."""
    made = _open(request.param, tmp_path, request)
    yield made
    made.repo.close()


def _at_once(*actions: Callable[[], None]) -> list[str]:
    """Run ``actions`` in threads released together; each one's outcome: ok or the error."""
    barrier = threading.Barrier(len(actions))
    outcomes = [""] * len(actions)

    def run(i: int) -> None:
        barrier.wait()
        try:
            actions[i]()
            outcomes[i] = "ok"
        except DomainError as exc:
            outcomes[i] = type(exc).__name__

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(actions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _in_processes(*argvs: list[str]) -> list[str]:
    """Run race_worker.py once per argv; once all have opened the store, release them
    together (one line on each stdin) and collect each one's outcome."""
    children = [
        subprocess.Popen(
            [sys.executable, str(WORKER), *argv],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for argv in argvs
    ]
    for child in children:
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    for child in children:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
    outcomes = []
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        outcomes.append(out.strip())
    return outcomes


def _active_admins(store: Store) -> list[str]:
    return sorted(
        str(d["login"])
        for d in store.repo.find("users")
        if d.get("role") == Role.ADMIN.value and d.get("active", True)
    )


def _restore_admins(store: Store) -> None:
    """Make both accounts administrators again between trials."""
    for login in ("admin1", "admin2"):
        doc = store.repo.get("users", login)
        assert doc is not None
        if doc["role"] != Role.ADMIN.value:
            store.repo.update(
                "users", {**doc, "role": Role.ADMIN.value}, actor="test", expected_rev=doc["rev"]
            )


def _demote(store: Store, actor_login: str, target_login: str) -> Callable[[], None]:
    actor = User.model_validate(store.repo.get("users", actor_login))
    target = User.model_validate(store.repo.get("users", target_login))

    def demote() -> None:
        demoted = target.model_copy(update={"role": Role.READER})
        store.services.accounts.update_user(actor, demoted, target.rev)

    return demote


def test_two_admins_demoting_each_other_in_threads_leave_one_admin(store: Store) -> None:
    for _ in range(THREAD_TRIALS):
        _restore_admins(store)
        outcomes = _at_once(_demote(store, "admin1", "admin2"), _demote(store, "admin2", "admin1"))
        assert outcomes.count("ok") == 1, outcomes
        assert len(_active_admins(store)) == 1, outcomes


def test_two_sessions_creating_the_branch_plan_in_threads_leave_one_plan(store: Store) -> None:
    staff = store.staff

    def create() -> None:
        store.services.submissions.save_draft(
            staff, campaign_id=store.campaign_id, form_type="plan", data={"title": "方案"}
        )

    for _ in range(THREAD_TRIALS):
        for doc in store.repo.find("submissions"):
            store.repo.delete("submissions", doc["id"], actor="test", expected_rev=doc["rev"])
        outcomes = _at_once(create, create)
        assert sorted(outcomes) == ["ValidationFailed", "ok"], outcomes
        assert len(store.repo.find("submissions", {"form_type": "plan"})) == 1


def test_two_admins_saving_one_rule_set_draft_do_not_overwrite_each_other(store: Store) -> None:
    rule_sets = store.services.rule_sets
    base = rule_sets.draft_rev("plan_quality")
    text = rule_sets.draft_text(store.first, "plan_quality")
    mine, theirs = text + "\n# 甲的修改\n", text + "\n# 乙的修改\n"
    outcomes = _at_once(
        lambda: rule_sets.save_draft(store.first, "plan_quality", mine, base_rev=base),
        lambda: rule_sets.save_draft(store.second, "plan_quality", theirs, base_rev=base),
    )
    assert sorted(outcomes) == ["DraftConflict", "ok"], outcomes
    kept = rule_sets.draft_text(store.first, "plan_quality")
    assert kept == (mine if outcomes[0] == "ok" else theirs)
    # Publishing from the stale revision is refused too, with who and when in the message.
    with pytest.raises(DraftConflict, match=r"admin[12]"):
        rule_sets.publish(store.first, "plan_quality", base_rev=base)


@pytest.fixture(params=["tinydb", POSTGRES])
def durable(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """The same, on a store several processes can open: a TinyDB file or PostgreSQL schema."""
    made = _open(request.param, tmp_path, request)
    yield made
    made.repo.close()


@pytest.mark.slow
def test_two_admins_demoting_each_other_in_processes_leave_one_admin(durable: Store) -> None:
    for _ in range(PROCESS_TRIALS):
        _restore_admins(durable)
        outcomes = _in_processes(
            ["demote", durable.url, "admin1", "admin2"],
            ["demote", durable.url, "admin2", "admin1"],
        )
        assert outcomes.count("ok") == 1, outcomes
        assert len(_active_admins(durable)) == 1, outcomes


@pytest.mark.slow
def test_two_processes_creating_the_branch_plan_leave_one_plan(durable: Store) -> None:
    for _ in range(PROCESS_TRIALS):
        for doc in durable.repo.find("submissions"):
            durable.repo.delete("submissions", doc["id"], actor="test", expected_rev=doc["rev"])
        argv = ["plan", durable.url, "staff", durable.campaign_id]
        outcomes = _in_processes(argv, argv)
        assert sorted(outcomes) == ["ValidationFailed", "ok"], outcomes
        assert len(durable.repo.find("submissions", {"form_type": "plan"})) == 1
