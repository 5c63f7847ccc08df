"""``python -m bench scale``: ten campaigns of 60 branches beside one, on TinyDB and PostgreSQL.

Each store has 60 branches with a staff account each, a reviewer and an admin, made through the
services, and its campaigns, each started from the year before; then every campaign's records
are bulk-loaded through the storage layer (building them through the services took ~55
minutes): per branch a plan, 8 study sessions, 4 theme activities, 2 innovation activities, 3
news reports, a summary and 2 nominations (``reports.samples``, real sized, every text
different), all approved, one in five after a return and a second version.
The last campaign is the current one.

Timed through the services on the current campaign, on the 1-campaign store and the 10-campaign
store alternately (so both see the same machine load; each goes first in turn, after an untimed
round on both; a PostgreSQL store is vacuumed and analyzed once loaded), medians of ``--rounds``:

- save a study session's draft, submit it, approve it (``CLICKS`` times a round);
- the launch stage's batch check (a fresh report cache: cold);
- the impact preview of the unchanged ``plan_quality``: the plans it would check once published,
  which are the current campaign's (every campaign is started from the year before and records
  its rule-set versions, as the admin screen does, so earlier years keep theirs);
- a spot-check draw;
- the campaign dossier of the current campaign (every branch, real-sized records): reading it
  through ``DossierService`` and laying it out (``bench.pdf.timed_build``), once each;
- the app in a fresh process per store (``bench.scale_app``): cold start to the first page, the
  resident memory after signing in, and the rerun of the heavy screens (home, review queue,
  rule checks, audit log).

On TinyDB a copy of the 10-campaign store archives every campaign but the current one
(``python -m workflow archive-campaign``) and the app figures are taken on it too: the memory a
process holds no longer grows with the years. The app figures are medians of ``APP_ROUNDS``
children per store, the stores in turn.

Each line gives the ratio of the 10-campaign figure to the 1-campaign one: a ratio over 2x is a
defect (issue 15), marked "over 2x". ``--backend tinydb|postgresql|both`` (default both; the
PostgreSQL server is ``VANGUARD_TEST_PG``, each store in a fresh schema dropped afterwards),
``--campaigns N`` (default 10), ``--branches N`` (default 60).
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher

from bench import summary
from bench.pdf import timed_build
from bench.scale_app import app_figures
from core.settings import settings
from reports.campaign_dossier import build_campaign_dossier_pdf
from reports.dossier_parts import MemoryPartCache
from reports.samples import real_branch_entry
from rules.engine import RULES_DIR
from storage.factory import open_repository
from storage.postgres import split_url
from workflow import demo_data
from workflow.batch_checks import BatchCheckService
from workflow.dossiers import part_workers
from workflow.models import Review, Role, Stage, Status, Submission, User, VersionSnapshot
from workflow.services import Services, build_services
from workflow.setup import create_first_admin
from workflow.submission_data import one_per_campaign_id

BRANCHES = 60
APP_ROUNDS = 2
CLICKS = 5  # samples of the quick operations per round
QUICK = ("save a draft", "submit", "approve")
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
    url: str


def _record(
    campaign_id: str, branch_id: str, entry: dict[str, Any], n: int, at: str, form_version: int
) -> dict[str, Any]:
    """One approved submission as stored, filled in ``form_version`` of its form; every fifth
    was returned once and resubmitted."""
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
        form_version=form_version,
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


def build(url: str, campaigns: int, size: int = BRANCHES) -> Store:
    """``campaigns`` campaigns of ``size`` branches (see the module docstring)."""
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
    for b in range(size):
        branch = services.branches.create(
            admin, {"name": f"示例单位{b + 1}党支部", "member_count": 18, "secretary": f"书记{b}"}
        )
        branches.append(branch)
        staff.append(account(f"branch{b}", Role.BRANCH, branch.id))
    previous: str | None = None
    documents = 0
    for c in range(campaigns):
        year = YEAR + 10 - campaigns + c
        # As the admin screen starts a year, from the year before: it records the rule-set and
        # form versions it uses, so publishing later moves only the current year's.
        title = demo_data.campaign(year)["title"]
        previous = services.next_year.start_from(admin, year, title, previous).id
        at = f"{year}-06-01T08:00:00+00:00"
        # The version the services fill a new form of this campaign in: the rules in force are
        # type-checked against it (an older one gets a misfit report, not a check).
        versions = {
            form_type: services.submissions.form_for(previous, form_type).form_version
            for form_type in STAGE_OF
        }
        for b, branch in enumerate(branches):
            entry = real_branch_entry(c * 1000 + b)
            for n, sub in enumerate(entry["submissions"]):
                sub["data"]["branch"] = branch.name
                record = _record(previous, branch.id, sub, n, at, versions[sub["form_type"]])
                repo.insert("submissions", record, actor="bench")
                documents += 1
    assert previous is not None
    settle(url)
    return Store(services, admin, reviewer, staff, previous, documents, url)


def settle(url: str) -> None:
    """On PostgreSQL, vacuum and analyze the freshly loaded schema (well under a second for
    the 10-campaign one), so that both stores are timed with planner statistics and none is
    timed while autovacuum takes its first pass over the bulk load."""
    if not url.startswith("postgresql"):
        return
    import psycopg

    conninfo, schema = split_url(url)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        for table in ("documents", "events"):
            conn.execute(f'VACUUM ANALYZE "{schema}".{table}')


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
        "impact preview (the plans it would check)": impact,
        "spot-check draw": spot_check,
    }


@contextmanager
def stores(backend: str, campaigns: int, branches: int) -> Iterator[tuple[Store, Store]]:
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

    small = build(url("one"), 1, branches)
    large = build(url("ten"), campaigns, branches)
    try:
        yield small, large
    finally:
        for store in (small, large):
            store.services.repo.close()
        shutil.rmtree(folder, ignore_errors=True)
        if schemas:
            import psycopg

            with psycopg.connect(settings().test_pg, autocommit=True) as conn:
                for schema in schemas:
                    conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def measure(backend: str, campaigns: int, rounds: int, branches: int = BRANCHES) -> None:
    """Print each figure on both stores and the ratio (see the module docstring)."""
    start = time.perf_counter()
    with stores(backend, campaigns, branches) as (small, large):
        built = time.perf_counter() - start
        print(
            f"scale on {backend}: {small.documents:,} vs {large.documents:,} submissions "
            f"(built in {built:.0f} s)"
        )
        # As an app process does once its store is loaded (pages/common.py): the stores'
        # objects are no longer walked by every full collection, whose ~0.6 s pauses (with the
        # 10-campaign store held) otherwise land on whichever operation is running.
        gc.collect()
        gc.freeze()
        times = timed_rounds(small, large, rounds)
        figures = {name: (median(f["one"]), median(f["ten"])) for name, f in times.items()}
        one, ten = dossier(small), dossier(large)
        figures.update({name: (one[name], ten[name]) for name in one})
        urls = {"one": small.url, "ten": large.url}
        took: dict[str, float] = {}
        if backend == "tinydb" and campaigns > 1:
            urls["archived"], took = archived_copy(large)
        runs: dict[str, list[dict[str, float]]] = {label: [] for label in urls}
        for _ in range(APP_ROUNDS):  # the stores in turn, so that all see the same load
            for label, url in urls.items():
                runs[label].append(app_figures(url, "admin", PASSWORD))
        app = {
            label: {name: median([r[name] for r in found]) for name in found[0]}
            for label, found in runs.items()
        }
        figures.update({name: (app["one"][name], app["ten"][name]) for name in app["one"]})
        archived = {**app.get("archived", {}), **took}
        print_figures(figures, campaigns, archived)
        for name, (a, b) in figures.items():
            unit, factor = ("MB", 1.0) if "MB" in name else ("ms", 1000.0)
            summary.record(
                "scale",
                f"{backend}: {name}, {campaigns} campaigns",
                f"{b * factor:.0f} {unit}",
                f"1 campaign: {a * factor:.0f} {unit}",
                b / a,
            )
    gc.unfreeze()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")


def timed_rounds(small: Store, large: Store, rounds: int) -> dict[str, dict[str, list[float]]]:
    """Seconds of each operation per store over ``rounds`` rounds, after one untimed round on
    each (the process's first calls compile forms and rule sets and open connections, a cost
    the store that went first used to pay alone). The stores take turns going first. The
    clicks of a few milliseconds (save, submit, approve) are taken ``CLICKS`` times a round:
    with three samples, one pause of the shared machine moved their median 2-3x either way."""
    times: dict[str, dict[str, list[float]]] = {}
    for turn in range(-1, rounds):
        pair = [("one", small), ("ten", large)]
        for label, store in pair if turn % 2 == 0 else pair[::-1]:
            for click in range(CLICKS):
                ops = operations(store, (turn + 1) * CLICKS + click).items()
                for name, op in ops if click == 0 else [(n, o) for n, o in ops if n in QUICK]:
                    began = time.perf_counter()
                    op()
                    spent = time.perf_counter() - began
                    if turn >= 0:
                        times.setdefault(name, {"one": [], "ten": []})[label].append(spent)
    return times


def median(values: list[float]) -> float:
    """The median of ``values``."""
    return statistics.median(values)


def dossier(store: Store) -> dict[str, float]:
    """Seconds to read the current campaign's dossier and to lay it out in parts, one process
    per core, as the app's first build does (once each)."""
    began = time.perf_counter()
    data = store.services.dossiers.campaign_dossier(store.admin, store.campaign_id)
    read = time.perf_counter() - began
    forms, workers = store.services.submissions.forms, part_workers()
    laid_out, pages, _ = timed_build(  # cold: no branch's part laid out before
        lambda: build_campaign_dossier_pdf(
            data, forms=forms, cache=MemoryPartCache(), workers=workers
        )
    )
    name = f"campaign dossier, {len(data.branches)} branches"
    print(f"{name}, {store.documents:,} submissions stored: {pages} pages")
    return {f"{name}: read": read, f"{name}: PDF": laid_out}


def archived_copy(store: Store) -> tuple[str, dict[str, float]]:
    """A copy of the TinyDB ``store`` with every campaign but the current one archived (as
    ``python -m workflow archive-campaign`` does); its URL and the seconds archiving took."""
    path = Path(store.url.removeprefix("tinydb:///"))
    copy = path.parent / "archived" / path.name
    copy.parent.mkdir()
    for name in (path.name, path.name + ".journal"):  # a small store may have no snapshot yet
        if (path.parent / name).exists():
            shutil.copyfile(path.parent / name, copy.parent / name)
    url = f"tinydb:///{copy}"
    repo = open_repository(url)
    try:
        campaigns = build_services(repo, hasher=CHEAP).campaigns
        began = time.perf_counter()
        for campaign in campaigns.list():
            if campaign.id != store.campaign_id:
                campaigns.archive(store.admin, campaign.id)
        took = time.perf_counter() - began
    finally:
        repo.close()
    return url, {"archiving the past campaigns": took}


def print_figures(
    figures: dict[str, tuple[float, float]], campaigns: int, archived: dict[str, float]
) -> None:
    """One line per figure: both stores, the ratio, and (TinyDB) the figure once archived."""
    head = f"{'':46}{'1 campaign':>12}{f'{campaigns} campaigns':>14}{'ratio':>8}"
    print(head + (f"{'past archived':>15}{'ratio':>8}" if archived else ""))
    for name, (a, b) in figures.items():
        unit, scale = ("MB", 1.0) if "MB" in name else ("ms", 1000.0)
        line = f"{name:46}{a * scale:>10.0f}{unit}{b * scale:>12.0f}{unit}{b / a:>7.1f}x"
        if name in archived:
            c = archived[name]
            line += f"{c * scale:>13.0f}{unit}{c / a:>7.1f}x"
        grows = "archiv" in name  # archiving reads every past year by design
        print(line + ("  over 2x" if b / a > 2 and not grows else ""))
    for name, seconds in archived.items():
        if name not in figures:
            print(f"{name:46}{'':26}{seconds:>21.1f} s")


def main(argv: Sequence[str] = ()) -> int:
    """Run the scale benchmark on the chosen backends."""
    parser = argparse.ArgumentParser(prog="python -m bench scale")
    parser.add_argument("--backend", choices=("tinydb", "postgresql", "both"), default="both")
    parser.add_argument("--campaigns", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--branches", type=int, default=BRANCHES)
    args, _ = parser.parse_known_args(list(argv))
    backends = ("tinydb", "postgresql") if args.backend == "both" else (args.backend,)
    for backend in backends:
        measure(backend, args.campaigns, args.rounds, args.branches)
    return 0
