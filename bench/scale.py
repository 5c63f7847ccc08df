"""``python -m bench scale``: ten campaigns of 60 branches beside one, on TinyDB and PostgreSQL.

Each store has 60 branches with a staff account each, a reviewer and an admin, made through the
services; then every campaign's records are bulk-loaded through the storage layer (building them
through the services took ~55 minutes): per branch a plan, 8 study sessions, 4 theme activities,
2 innovation activities, 3 news reports, a summary and 2 nominations (``reports.samples``, real
sized, every text different), all approved, one in five after a return and a second version.
The last campaign is the current one.

Timed through the services on the current campaign, on the 1-campaign store and the 10-campaign
store alternately (so both see the same machine load), medians of ``--rounds``:

- save a study session's draft, submit it, approve it;
- the launch stage's batch check (a fresh report cache: cold);
- the impact preview of the unchanged ``plan_quality`` (it checks every campaign's plans, so it
  grows with the years by design);
- a spot-check draw.

Each line gives the ratio of the 10-campaign figure to the 1-campaign one: a submit or a batch
check over 2x is a defect (issue 15). ``--backend tinydb|postgresql|both`` (default both; the
PostgreSQL server is ``VANGUARD_TEST_PG``, each store in a fresh schema dropped afterwards),
``--campaigns N`` (default 10).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher

from core.settings import settings
from reports.samples import real_branch_entry
from rules.engine import RULES_DIR
from storage.factory import open_repository
from workflow import demo_data
from workflow.batch_checks import BatchCheckService
from workflow.models import Review, Role, Stage, Status, Submission, User, VersionSnapshot
from workflow.services import Services, build_services
from workflow.setup import create_first_admin
from workflow.submission_data import one_per_campaign_id

BRANCHES = 60
YEAR = 2016
CHEAP = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
PASSWORD = "bench-password-123"
STAGE_OF = {
    "plan": Stage.LAUNCH,
    "study_session": Stage.LAUNCH,
    "theme_activity": Stage.IMPLEMENT,
    "innovation_activity": Stage.IMPLEMENT,
    "news_report": Stage.IMPLEMENT,
    "summary": Stage.EVALUATE,
    "nomination": Stage.EVALUATE,
}


@dataclass
class Store:
    """A built store and who acts on it."""

    services: Services
    admin: User
    reviewer: User
    staff: list[User]
    campaign_id: str
    documents: int


def _record(
    campaign_id: str, branch_id: str, entry: dict[str, Any], n: int, at: str
) -> dict[str, Any]:
    """One approved submission as stored; every fifth was returned once and resubmitted."""
    form_type = entry["form_type"]
    data = dict(entry["data"])
    data.pop("photos", None)  # no blobs in this store
    data.pop("images", None)
    returned = n % 5 == 0
    versions = [VersionSnapshot(version=1, data=data, submitted_at=at, submitted_by="bench")]
    reviews = [Review(reviewer="reviewer", at=at, decision="submit", version=1)]
    if returned:
        reviews.append(
            Review(reviewer="reviewer", at=at, decision="return", version=1, reasons="请补充")
        )
        versions.append(VersionSnapshot(version=2, data=data, submitted_at=at, submitted_by="b"))
    reviews.append(Review(reviewer="reviewer", at=at, decision="approve", version=len(versions)))
    submission = Submission(
        campaign_id=campaign_id,
        branch_id=branch_id,
        form_type=form_type,
        stage=STAGE_OF[form_type],
        status=Status.APPROVED,
        version=len(versions),
        data=data,
        reviews=reviews,
        versions=versions,
        author="bench",
        created_at=at,
    )
    doc = submission.model_dump(mode="json", exclude={"id", "rev", "updated_at", "updated_by"})
    if form_type in ("plan", "summary"):
        doc["id"] = one_per_campaign_id(campaign_id, branch_id, form_type)
    return doc


def build(url: str, campaigns: int) -> Store:
    """``campaigns`` campaigns of ``BRANCHES`` branches (see the module docstring)."""
    repo = open_repository(url)
    services = build_services(repo, hasher=CHEAP)
    admin = create_first_admin(
        repo, login="admin", display_name="管理员", password=PASSWORD, hasher=CHEAP
    )

    def account(login: str, role: Role, branch_id: str | None = None) -> User:
        return services.accounts.create_user(
            admin, login=login, display_name=login, role=role, password=PASSWORD,
            branch_id=branch_id,
        )  # fmt: skip

    reviewer = account("reviewer", Role.REVIEWER)
    branches, staff = [], []
    for b in range(BRANCHES):
        branch = services.branches.create(
            admin, {"name": f"示例单位{b + 1}党支部", "member_count": 18, "secretary": f"书记{b}"}
        )
        branches.append(branch)
        staff.append(account(f"branch{b}", Role.BRANCH, branch.id))
    previous: str | None = None
    documents = 0
    for c in range(campaigns):
        year = YEAR + 10 - campaigns + c
        campaign = services.campaigns.create(
            admin, {**demo_data.campaign(year), "previous_campaign_id": previous}
        )
        previous = campaign.id
        at = f"{year}-06-01T08:00:00+00:00"
        for b, branch in enumerate(branches):
            entry = real_branch_entry(c * 1000 + b)
            for n, sub in enumerate(entry["submissions"]):
                sub["data"]["branch"] = branch.name
                repo.insert(
                    "submissions", _record(campaign.id, branch.id, sub, n, at), actor="bench"
                )
                documents += 1
    assert previous is not None
    return Store(services, admin, reviewer, staff, previous, documents)


def operations(store: Store, turn: int) -> dict[str, Callable[[], object]]:
    """The timed operations of round ``turn`` (each round a different branch submits)."""
    services, cid = store.services, store.campaign_id
    staff = store.staff[turn % len(store.staff)]
    subs = services.submissions
    session = {
        **demo_data.study_sessions(YEAR + 9, {"name": "", "member_count": 18})[0],
        "branch": "",
        "topic": f"第{turn}次集中学习：学习贯彻全国教育大会精神",
        "notes": "书记领学实施意见，党员逐一交流发言，结合本职工作谈体会，"
        f"会后整理学习笔记（第{turn}次）。",
    }
    state: dict[str, Any] = {}
    shipped = (RULES_DIR / "plan_quality.yaml").read_text(encoding="utf-8")

    def save() -> None:
        state["draft"] = subs.save_draft(
            staff, campaign_id=cid, form_type="study_session", data=session
        )

    def submit() -> None:
        draft = state["draft"]
        state["sent"] = subs.submit(staff, draft.id, draft.rev)

    def approve() -> None:
        sent = state["sent"]
        subs.approve(store.reviewer, sent.id, sent.rev)

    def batch_check() -> None:
        BatchCheckService(subs).check(store.reviewer, campaign_id=cid, stage="launch")

    def impact() -> None:
        BatchCheckService(subs).preview_impact(store.admin, "plan_quality", shipped)

    def spot_check() -> None:
        services.spot_checks.draw(store.reviewer, campaign_id=cid, count=5)

    return {
        "save a draft": save,
        "submit": submit,
        "approve": approve,
        "batch check, launch stage (cold)": batch_check,
        "impact preview (every campaign's plans)": impact,
        "spot-check draw": spot_check,
    }


@contextmanager
def stores(backend: str, campaigns: int) -> Iterator[tuple[Store, Store]]:
    """The 1-campaign and the ``campaigns``-campaign store on ``backend``, removed after."""
    folder = tempfile.mkdtemp(prefix="vanguard-scale-")
    schemas: list[str] = []

    def url(name: str) -> str:
        if backend == "tinydb":
            return f"tinydb:///{folder}/{name}.json"
        schema = f"bench_{name}_{uuid.uuid4().hex[:8]}"
        schemas.append(schema)
        base = settings().test_pg
        return f"{base}{'&' if '?' in base else '?'}schema={schema}"

    small = build(url("one"), 1)
    large = build(url("ten"), campaigns)
    try:
        yield small, large
    finally:
        for store in (small, large):
            store.services.repo.close()
        if schemas:
            import psycopg

            with psycopg.connect(settings().test_pg, autocommit=True) as conn:
                for schema in schemas:
                    conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def measure(backend: str, campaigns: int, rounds: int) -> None:
    """Print each operation's median on both stores and the ratio."""
    start = time.perf_counter()
    with stores(backend, campaigns) as (small, large):
        built = time.perf_counter() - start
        print(
            f"scale on {backend}: {small.documents:,} vs {large.documents:,} submissions "
            f"(built in {built:.0f} s)"
        )
        times: dict[str, dict[str, list[float]]] = {}
        for turn in range(rounds):
            for label, store in (("one", small), ("ten", large)):
                for name, op in operations(store, turn).items():
                    began = time.perf_counter()
                    op()
                    spent = time.perf_counter() - began
                    times.setdefault(name, {"one": [], "ten": []})[label].append(spent)
        print(f"{'':42}{'1 campaign':>12}{f'{campaigns} campaigns':>14}{'ratio':>8}")
        for name, figures in times.items():
            a, b = statistics.median(figures["one"]), statistics.median(figures["ten"])
            flag = "  over 2x" if b / a > 2 and "impact" not in name else ""
            print(f"{name:42}{a * 1000:>10.0f}ms{b * 1000:>12.0f}ms{b / a:>7.1f}x{flag}")
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")


def main(argv: Sequence[str] = ()) -> int:
    """Run the scale benchmark on the chosen backends."""
    parser = argparse.ArgumentParser(prog="python -m bench scale")
    parser.add_argument("--backend", choices=("tinydb", "postgresql", "both"), default="both")
    parser.add_argument("--campaigns", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args, _ = parser.parse_known_args(list(argv))
    backends = ("tinydb", "postgresql") if args.backend == "both" else (args.backend,)
    for backend in backends:
        measure(backend, args.campaigns, args.rounds)
    return 0
