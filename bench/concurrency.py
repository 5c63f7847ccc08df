"""``python -m bench concurrency``: N branch users signing in, saving and submitting their plan
at the same time, in real browsers against a running server.

Why browsers: a Streamlit screen is a websocket session whose widgets, reruns and messages only
the frontend drives faithfully, and the sign-in sets its cookie through a page load; AppTest
runs scripts in-process without the server, the websocket or the cookie routes, and cannot
measure several app processes behind a proxy. So each user is a Playwright page (its own
browser context: its own cookies) in one headless chromium; the browser's own work runs on
the same machine and is part of every figure (on a shared 2-core machine, much of it).

For each N (``--sessions``, default 1, 5, 20, 60) a fresh store is built through the services:
a campaign in its launch stage, 60 branches with an account each (production argon2) and each
branch's plan saved as a draft (a real-sized 20-item plan, ``reports.samples``): typing it took
days; deadline day is when everyone submits. The servers are started by
``scripts/serve_cluster.py`` (``--processes``; more than one needs ``--backend postgresql`` and
puts HAProxy in front). N users then start evenly spread over ``--window`` seconds (default 60:
"in the same minute"; 0 starts them all at once), and each one

1. opens the sign-in screen, 2. signs in, 3. opens 实施方案 from the menu,
4. changes the title, 5. saves the draft, 6. submits;

a step's time is from the click (or the page load) until the screen shows its outcome. The
table gives each step's median and p95 over the N users, the errors, and the lost writes: every
branch's plan is read back from the store afterwards and must be submitted, with the title that
user typed, and (for the others) still the untouched draft.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher

from core.settings import settings
from reports.samples import real_branch_entry
from storage.factory import open_repository
from workflow import demo_data
from workflow.errors import RulesFailed
from workflow.models import Role, Status
from workflow.services import build_services
from workflow.setup import create_first_admin

ROOT = Path(__file__).resolve().parents[1]
BRANCHES = 60
PASSWORD = "Bench-password-2026"
CHEAP = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)  # the scratch store's only
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
STEPS = ("open sign-in", "sign in", "open the plan", "type the title", "save", "submit")
STEP_TIMEOUT_MS = 120_000
SHOTS = Path(tempfile.gettempdir()) / "vanguard-concurrency"  # a failed journey's last screen
GOAL_P95_S = 2.0
GOAL_STEPS = ("sign in", "save", "submit")  # the clicks issue 15 names


@dataclass
class Account:
    """One branch user and their plan."""

    login: str
    branch: str
    plan_id: str
    plan: dict[str, Any]  # as seeded

    @property
    def title(self) -> str:
        """The plan's title as seeded."""
        return str(self.plan["title"])


@dataclass
class Outcome:
    """What one user's journey measured."""

    times: dict[str, float] = field(default_factory=dict)
    error: str | None = None


def seed(url: str) -> list[Account]:
    """A campaign in its launch stage, ``BRANCHES`` branch accounts and each one's plan draft."""
    repo = open_repository(url)
    try:
        services = build_services(repo)
        admin = create_first_admin(repo, login="admin", display_name="管理员", password=PASSWORD)
        year = dt.date.today().year
        campaign = services.campaigns.create(admin, demo_data.campaign(year))
        plans = PassingPlans(year)
        accounts: list[Account] = []
        for b in range(BRANCHES):
            name = f"示例单位{b + 1}党支部"
            branch = services.branches.create(
                admin, {"name": name, "member_count": 18, "secretary": f"书记{b}"}
            )
            login = f"branch{b + 1}"
            staff = services.accounts.create_user(
                admin, login=login, display_name=f"{name}组织委员", role=Role.BRANCH,
                password=PASSWORD, branch_id=branch.id,
            )  # fmt: skip
            plan = plans.plan(b, name)
            draft = services.submissions.save_draft(
                staff, campaign_id=campaign.id, form_type="plan", data=plan
            )
            accounts.append(Account(login, name, draft.id, dict(draft.data)))
        return accounts
    finally:
        repo.close()


class PassingPlans:
    """Real-sized sample plans that the rules pass when all branches submit them: each is
    submitted in a scratch memory store first, and a sample that is refused (a generated text
    too close to another branch's) is replaced by the next one."""

    def __init__(self, year: int) -> None:
        repo = open_repository("memory://")
        self.services = build_services(repo, hasher=CHEAP)
        self.admin = create_first_admin(
            repo, login="admin", display_name="管理员", password=PASSWORD, hasher=CHEAP
        )
        self.campaign = self.services.campaigns.create(self.admin, demo_data.campaign(year))

    def plan(self, b: int, name: str) -> dict[str, Any]:
        """Branch ``b``'s plan (``name`` is the branch's)."""
        services = self.services
        branch = services.branches.create(self.admin, {"name": name, "member_count": 18})
        staff = services.accounts.create_user(
            self.admin, login=f"b{b}", display_name=name, role=Role.BRANCH, password=PASSWORD,
            branch_id=branch.id,
        )  # fmt: skip
        draft = None
        for attempt in range(20):
            plan = dict(real_branch_entry(b + 1000 * attempt)["submissions"][0]["data"])
            plan["branch"] = name
            draft = services.submissions.save_draft(
                staff, campaign_id=self.campaign.id, form_type="plan", data=plan,
                submission_id=draft.id if draft else None,
                expected_rev=draft.rev if draft else None,
            )  # fmt: skip
            try:
                services.submissions.submit(staff, draft.id, draft.rev)
            except RulesFailed:
                draft = services.submissions.get(staff, draft.id)
                continue
            return plan
        raise RuntimeError(f"no sample plan passes the rules for branch {b + 1}")


def lost_writes(url: str, accounts: list[Account], outcomes: list[Outcome]) -> list[str]:
    """Plans not as the screen told their users, each named with what differs: once "save"
    showed its message, every field as seeded but the title, which is the one typed;
    submitted once "submit" did; the plans of branches that took no part still the untouched
    draft, field for field."""
    repo = open_repository(url)
    try:
        lost: list[str] = []
        for n, account in enumerate(accounts):
            doc = repo.get("submissions", account.plan_id) or {}
            data = doc.get("data") or {}
            steps = outcomes[n].times if n < len(outcomes) else {}
            expected: dict[str, Any] | None = None
            if "save" in steps:
                expected = {**account.plan, "title": typed_title(account)}
            elif n >= len(outcomes):
                expected = account.plan
            if expected is not None and not _same(data, expected):
                fields = sorted(
                    k for k in {*data, *expected} if not _same(data.get(k), expected.get(k))
                )
                lost.append(f"{account.login}: {', '.join(fields)} not as saved")
            wanted = Status.SUBMITTED if "submit" in steps else Status.DRAFT
            if doc.get("status") != wanted.value and (n >= len(outcomes) or "submit" in steps):
                lost.append(f"{account.login}: status {doc.get('status')}, not {wanted.value}")
        return lost
    finally:
        repo.close()


def _same(a: Any, b: Any) -> bool:
    """Equal as the form holds them: an empty field the editor stored as "" (a text field
    left blank, a row's unused name) is the same as one missing or None."""
    if a in (None, "") and b in (None, ""):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return all(_same(a.get(k), b.get(k)) for k in {*a, *b})
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def typed_title(account: Account) -> str:
    """The title each user types before saving (the lost-write check looks for it)."""
    return f"{account.title}(定稿)"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(url: str, processes: int, logs: Path) -> Iterator[str]:
    """``scripts/serve_cluster.py`` on a free port, stopped afterwards; yields the app's URL."""
    port = _free_port()
    command = [
        sys.executable, "scripts/serve_cluster.py", "--db", url, "--processes", str(processes),
        "--port", str(port), "--logs", str(logs),
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        assert server.stdout is not None
        line = server.stdout.readline().decode()
        if not line.startswith("Vanguard:"):
            raise RuntimeError(f"the servers did not start: {line}{server.stdout.read().decode()}")
        app = f"http://127.0.0.1:{port}"
        with urllib.request.urlopen(f"{app}/_stcore/health", timeout=10):
            pass
        yield app
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


async def journey(browser: Any, app: str, account: Account, delay: float) -> Outcome:
    """One user's six steps (see the module docstring), each timed."""
    from playwright.async_api import expect

    await asyncio.sleep(delay)
    outcome = Outcome()
    context = await browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = await context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    main = page.get_by_test_id("stMain")
    step = "open sign-in"
    try:
        began = time.perf_counter()

        def done(name: str) -> None:
            nonlocal began, step
            outcome.times[name] = time.perf_counter() - began
            step = STEPS[STEPS.index(name) + 1] if name != STEPS[-1] else name

        await page.goto(app)
        await expect(page.get_by_label("用户名")).to_be_visible(timeout=STEP_TIMEOUT_MS)
        done("open sign-in")
        await page.get_by_label("用户名").fill(account.login)
        await page.get_by_label("密码").fill(PASSWORD)
        began = time.perf_counter()
        await page.get_by_role("button", name="登录", exact=True).click()
        await expect(page.get_by_role("button", name="退出登录", exact=True)).to_be_visible(
            timeout=STEP_TIMEOUT_MS
        )
        done("sign in")
        began = time.perf_counter()
        await page.get_by_test_id("stSidebarNav").get_by_text("实施方案", exact=True).click()
        title = main.get_by_label(re.compile(r"^方案标题( \*)?$"))
        await expect(title).to_have_value(account.title, timeout=STEP_TIMEOUT_MS)
        done("open the plan")
        began = time.perf_counter()
        await title.fill(typed_title(account))
        await title.press("Tab")
        await _idle(page)
        done("type the title")
        began = time.perf_counter()
        await main.get_by_role("button", name="保存草稿", exact=True).click()
        await expect(page.get_by_text("草稿已保存。")).to_be_visible(timeout=STEP_TIMEOUT_MS)
        done("save")
        began = time.perf_counter()
        await main.get_by_role("button", name="提交", exact=True).click()
        await expect(page.get_by_text("已提交,等待审核。")).to_be_visible(timeout=STEP_TIMEOUT_MS)
        done("submit")
    except Exception as exc:  # a failed journey is counted and named, the others go on
        SHOTS.mkdir(parents=True, exist_ok=True)
        shot = SHOTS / f"{account.login}-{int(time.time())}.png"
        with contextlib.suppress(Exception):
            await page.screenshot(path=str(shot), full_page=True)
        first = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""
        outcome.error = f"{account.login} at {step}: {type(exc).__name__} {first} ({shot})"
    finally:
        await context.close()
    return outcome


async def _idle(page: Any) -> None:
    """Until the rerun a keystroke started has finished (the app root's script state)."""
    from playwright.async_api import expect

    app = page.get_by_test_id("stApp")
    await page.wait_for_timeout(50)
    await expect(app).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=STEP_TIMEOUT_MS
    )


async def crowd(app: str, accounts: list[Account], window: float) -> list[Outcome]:
    """Every account's journey in one chromium, starts spread evenly over ``window`` s."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            gap = window / len(accounts)
            return list(
                await asyncio.gather(
                    *(journey(browser, app, a, n * gap) for n, a in enumerate(accounts))
                )
            )
        finally:
            await browser.close()


def p95(values: list[float]) -> float:
    """The 95th percentile (the largest value below 20 samples)."""
    if len(values) < 20:
        return max(values)
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


@contextmanager
def store_url(backend: str) -> Iterator[str]:
    """A fresh TinyDB file or PostgreSQL schema (``VANGUARD_TEST_PG``), removed after."""
    if backend == "tinydb":
        with tempfile.TemporaryDirectory(prefix="vanguard-concurrency-") as folder:
            yield f"tinydb:///{folder}/vanguard.json"
        return
    schema = f"bench_conc_{uuid.uuid4().hex[:8]}"
    base = settings().test_pg
    try:
        yield f"{base}{'&' if '?' in base else '?'}schema={schema}"
    finally:
        import psycopg

        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def measure(backend: str, processes: int, sessions: int, window: float) -> bool:
    """Build, serve, run ``sessions`` users and print their figures; True when every journey
    finished and no write was lost (the goal, p95 ≤ 2 s at 60 users, is printed)."""
    with store_url(backend) as url, tempfile.TemporaryDirectory(prefix="vg-logs-") as logs:
        accounts = seed(url)
        with serving(url, processes, Path(logs)) as app:
            outcomes = asyncio.run(crowd(app, accounts[:sessions], window))
        lost = lost_writes(url, accounts, outcomes)
    errors = [o.error for o in outcomes if o.error]
    shown = errors[:5] + lost[:5]
    load = os.getloadavg()[0]
    print(
        f"\n{sessions} users, {backend}, {processes} process{'es' if processes > 1 else ''}, "
        f"starts over {window:.0f} s: {len(errors)} errors, {len(lost)} lost writes, "
        f"load average {load:.1f} on {os.cpu_count()} cores"
    )
    print(f"{'step':16}{'median':>10}{'p95':>10}{'max':>10}{'n':>5}")
    worst = 0.0
    for name in STEPS:
        values = [o.times[name] for o in outcomes if name in o.times]
        if not values:
            continue
        high = p95(values)
        if name in GOAL_STEPS:
            worst = max(worst, high)
        print(
            f"{name:16}{statistics.median(values):>9.2f}s{high:>9.2f}s{max(values):>9.2f}s"
            f"{len(values):>5}"
        )
    for problem in shown:
        print(f"  {problem}")
    ok = not errors and not lost
    if sessions >= BRANCHES:
        verdict = "met" if worst <= GOAL_P95_S else "NOT met"
        print(
            f"goal p95 ≤ {GOAL_P95_S:.0f} s to sign in, save, submit at {sessions} users: {verdict}"
        )
    return ok


def main(argv: Sequence[str] = ()) -> int:
    """Run the concurrency benchmark; exit 1 when a journey failed or a write was lost."""
    parser = argparse.ArgumentParser(prog="python -m bench concurrency")
    parser.add_argument("--backend", choices=("tinydb", "postgresql"), default="tinydb")
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--sessions", default="1,5,20,60", help="comma-separated user counts")
    parser.add_argument("--window", type=float, default=60.0, help="seconds the starts spread over")
    args, _ = parser.parse_known_args(list(argv))
    if args.processes > 1 and args.backend != "postgresql":
        parser.error("several processes share a PostgreSQL store: add --backend postgresql")
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing: run scripts/install-system-deps.sh")
        return 1
    counts = [int(n) for n in args.sessions.split(",")]
    if any(not 1 <= n <= BRANCHES for n in counts):
        parser.error(f"each session count is between 1 and {BRANCHES}")
    results = [measure(args.backend, args.processes, n, args.window) for n in counts]
    return 0 if all(results) else 1
