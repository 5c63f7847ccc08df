"""Reviewers and branches writing at the same moment: the demo-site quota and both balances of
the funding ledger hold on every backend (threads released together by a barrier)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from storage.factory import open_repository
from tests.unit.demo_site_world import add_branches, applied, receipt, set_settings
from tests.unit.workflow_world import World, make_world
from workflow.errors import InvalidTransition, QuotaExceeded, ValidationFailed
from workflow.models import Status, User

BACKENDS = [
    pytest.param("memory", id="memory"),
    pytest.param("tinydb", id="tinydb"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


@pytest.fixture(params=BACKENDS)
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    backend = request.param
    if backend == "memory":
        url = "memory://"
    elif backend == "tinydb":
        url = f"tinydb:///{tmp_path / 'store.json'}"
    else:
        url = str(request.getfixturevalue("pg_url"))
    repo = open_repository(url)
    try:
        yield make_world(repo)
    finally:
        repo.close()


def at_once(calls: list[Callable[[], Any]]) -> tuple[list[Any], list[BaseException]]:
    """Run every call in its own thread, all released together; results and errors."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def go(call: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            value = call()
            with lock:
                results.append(value)
        except BaseException as error:  # collected and asserted on by the test
            with lock:
                errors.append(error)

    threads = [threading.Thread(target=go, args=(c,)) for c in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, errors


def test_reviewers_approving_at_once_never_pass_the_quota(world: World) -> None:
    add_branches(world, 6)
    apps = [applied(world, i, ["校庆"]) for i in range(6)]
    subs = world.services.submissions
    approved, refused = at_once(
        [lambda a=a: subs.approve(world.reviewer, a.id, a.rev) for a in apps]  # type: ignore[misc]
    )
    assert len(approved) == 2
    assert len(refused) == 4 and all(isinstance(e, QuotaExceeded) for e in refused), refused
    stored = [subs.get(world.reviewer, a.id).status for a in apps]
    assert stored.count(Status.APPROVED) == 2
    sites = world.services.demo_sites.sites(world.reviewer, world.campaign.id)
    assert sorted(s.submission_id for s in sites) == sorted(s.id for s in approved)


@pytest.mark.parametrize("winner", ["first to reserve", "second to reserve"])
def test_two_reviewers_approving_one_application_at_once_keep_its_site(
    world: World, winner: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both reviewers load the application 待审核 and reserve its place before either decision
    is stored; whichever decision lands first, the site stays in the register and holds one
    place, and the other reviewer is told who decided it."""
    add_branches(world, 4)
    app = applied(world, 1, ["校庆"])
    subs = world.services.submissions
    first, second = world.reviewer, world.branch_reviewer  # neither of branch 1
    won, lost = (first, second) if winner == "first to reserve" else (second, first)
    first_reserved, winner_decided = threading.Event(), threading.Event()
    both_reserved = threading.Barrier(2, timeout=60)
    reserve, decide = subs.sites.reserve, subs.decide

    def reserve_in_order(actor: User, *args: Any) -> Any:
        if actor.login == second.login:
            assert first_reserved.wait(60)
        try:
            return reserve(actor, *args)
        finally:
            if actor.login == first.login:
                first_reserved.set()
            both_reserved.wait()

    def decide_in_order(submission: Any, actor: User, *args: Any, **kwargs: Any) -> Any:
        if actor.login == lost.login:
            assert winner_decided.wait(60)
        try:
            return decide(submission, actor, *args, **kwargs)
        finally:
            if actor.login == won.login:
                winner_decided.set()

    monkeypatch.setattr(subs.sites, "reserve", reserve_in_order)
    monkeypatch.setattr(subs, "decide", decide_in_order)
    approved, refused = at_once(
        [lambda r=r: subs.approve(r, app.id, app.rev) for r in (first, second)]  # type: ignore[misc]
    )
    monkeypatch.undo()
    assert len(approved) == 1 and approved[0].reviews[-1].reviewer == won.login
    assert len(refused) == 1 and isinstance(refused[0], InvalidTransition), refused
    assert str(refused[0]) == (
        f"该材料刚刚已由 {won.login} 审核(现为“审核通过”),你的审核意见未保存;请刷新页面查看审核记录"
    )
    assert subs.get(world.reviewer, app.id).status == Status.APPROVED
    sites = world.services.demo_sites.sites(world.reviewer, world.campaign.id)
    assert [s.submission_id for s in sites] == [app.id]
    # the quota (2) counts the site once: one more application is approved, the next refused
    more = [applied(world, i) for i in (2, 3)]
    subs.approve(world.reviewer, more[0].id, more[0].rev)
    with pytest.raises(QuotaExceeded):
        subs.approve(world.reviewer, more[1].id, more[1].rev)
    sites = world.services.demo_sites.sites(world.reviewer, world.campaign.id)
    assert [s.submission_id for s in sites] == [app.id, more[0].id]


def test_grants_at_once_never_pass_the_budget(world: World) -> None:
    set_settings(world, budget=1000)
    funding, cid = world.services.funding, world.campaign.id
    sites = []
    for i in range(2):
        app = applied(world, i)
        sites.append(world.services.submissions.approve(world.reviewer, app.id, app.rev))
    granted, refused = at_once(
        [
            lambda s=s: funding.grant(world.reviewer, cid, s.id, 300)  # type: ignore[misc]
            for s in sites * 3
        ]
    )
    assert len(granted) == 3
    assert len(refused) == 3 and all(isinstance(e, ValidationFailed) for e in refused)
    assert "100.00" in refused[0].errors["amount"]  # type: ignore[attr-defined]
    summary = funding.summary(world.reviewer, cid)
    assert (summary.granted, summary.left_to_grant) == (900, 100)


def test_spending_at_once_never_passes_the_sites_balance(world: World) -> None:
    funding, cid = world.services.funding, world.campaign.id
    app = applied(world, 1)
    world.services.submissions.approve(world.reviewer, app.id, app.rev)
    funding.grant(world.reviewer, cid, app.id, 300)
    spent, refused = at_once(
        [
            lambda n=n: funding.spend(  # type: ignore[misc]
                world.staff[1], cid, app.id, 100, f"资料印制{n}", [receipt()]
            )
            for n in range(5)
        ]
    )
    assert len(spent) == 3
    assert len(refused) == 2 and all(isinstance(e, ValidationFailed) for e in refused), refused
    site = funding.summary(world.reviewer, cid).sites[0]
    assert (site.granted, site.spent, site.balance) == (300, 300, 0)


@pytest.mark.parametrize("first", ["grant checks the budget", "admin checks the granted sum"])
def test_a_budget_lowered_while_a_grant_is_written_never_ends_below_the_granted_sum(
    world: World, first: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One side has read what its check needs (the budget, or the sum granted) and pauses
    before it writes; the other side's write must wait for it and then be refused on what was
    stored meanwhile, so the budget is never below what was granted."""
    set_settings(world, budget=1000)
    funding, campaigns, cid = world.services.funding, world.services.campaigns, world.campaign.id
    app = applied(world, 0)
    site = world.services.submissions.approve(world.reviewer, app.id, app.rev)
    before = campaigns.get(cid).model_dump(mode="json")
    lowered = {**before, "settings": {**before["settings"], "budget": 500}}
    calls = {
        "grant": lambda: funding.grant(world.reviewer, cid, site.id, 800),
        "lower": lambda: campaigns.update(world.admin, lowered, before["rev"]),
    }
    early, late = ("grant", "lower") if first == "grant checks the budget" else ("lower", "grant")
    read, late_done = threading.Event(), threading.Event()

    def pausing(check: Callable[..., Any]) -> Callable[..., Any]:
        def read_then_pause(*args: Any) -> Any:
            value = check(*args)
            if threading.current_thread().name == early:
                read.set()
                late_done.wait(1)  # the late write lands now unless it waits for this one
            return value

        return read_then_pause

    if early == "grant":
        monkeypatch.setattr(campaigns, "get", pausing(campaigns.get))
    else:
        checks = [pausing(c) if c == funding.budget_errors else c for c in campaigns.checks]
        monkeypatch.setattr(campaigns, "checks", checks)
    refused: dict[str, BaseException] = {}

    def run(name: str) -> None:
        if name == late:
            assert read.wait(60)
        try:
            calls[name]()
        except BaseException as error:  # asserted on below
            refused[name] = error
        finally:
            if name == late:
                late_done.set()

    threads = [threading.Thread(target=run, args=(n,), name=n) for n in (early, late)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    monkeypatch.undo()
    summary = funding.summary(world.reviewer, cid)
    assert summary.budget >= summary.granted, (summary.budget, summary.granted)
    assert list(refused) == [late] and isinstance(refused[late], ValidationFailed), refused
    assert (summary.granted, summary.budget) == ((800, 1000) if early == "grant" else (0, 500))
