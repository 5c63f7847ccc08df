"""Rule checks over a whole stage: 6 branches beside 60 (54 and 540 rows of the launch stage).

Each store is built through the services the way a school fills it: a previous campaign with
every branch's plan, then this campaign's plan and 8 study sessions per branch (9 rows each),
every form distinct (similarity rules pass). Timed through the services, with a fresh report
cache where it says cold:

- the reviewers' batch check of the launch stage, cold and again (cached);
- the impact preview of the unchanged ``plan_quality`` (every plan of both campaigns, twice);
- one plan returned and resubmitted (submit reads its corpus by campaign, form and branch),
  then the batch check again (the plans compare with it, the study sessions stay cached).

Ten times the branches is ten times the rows: a linear operation shows a ratio near 10x, a
quadratic one near 100x. ``--backend memory|tinydb`` (default tinydb).
"""

from __future__ import annotations

import argparse
import copy
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from typing import Any

from argon2 import PasswordHasher

from bench import summary
from rules.engine import RULES_DIR
from storage.factory import open_repository
from workflow import demo_data
from workflow.batch_checks import BatchCheckService
from workflow.models import Role, User
from workflow.services import Services, build_services
from workflow.setup import create_first_admin

SIZES = (6, 60)
YEAR = 2026
SESSIONS = 8
CHEAP = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
# Common characters: random text over them is far below any similarity threshold.
CHARS = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自"
    "二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变"
    "条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指"
    "几九区强放决西被干做必战先回则任取据处理府研"
)


def text(rng: random.Random, size: int) -> str:
    """``size`` random common characters."""
    return "".join(rng.choice(CHARS) for _ in range(size))


def plan(rng: random.Random, year: int, branch: str) -> dict[str, Any]:
    """A plan that passes ``plan_quality`` and resembles no other."""
    data = copy.deepcopy(demo_data.PLANS[0](year))
    data.update(
        branch=branch,
        title=f"{branch}{year}年实施方案",
        goals=text(rng, 120) + f"全年组织专题学习不少于{rng.randint(6, 12)}次。",
        features=text(rng, 80),
        requirements=text(rng, 60),
        supervision=text(rng, 40) + "每月检查",
    )
    for item in data["items"]:
        item.update(content=text(rng, 20), measures=text(rng, 40))
    return data


def sessions(rng: random.Random, branch: dict[str, Any]) -> list[dict[str, Any]]:
    """``SESSIONS`` study sessions of ``branch``."""
    base = demo_data.study_sessions(YEAR, branch)
    return [
        {**base[n % 2], "topic": text(rng, 12), "notes": text(rng, 60)} for n in range(SESSIONS)
    ]


def submit(services: Services, user: User, campaign_id: str, form: str, data: Any) -> Any:
    subs = services.submissions
    saved = subs.save_draft(user, campaign_id=campaign_id, form_type=form, data=data)
    return subs.submit(user, saved.id, saved.rev)


def build(url: str, branches: int) -> tuple[Services, User, User, str, list[tuple[User, Any]]]:
    """A store of ``branches`` branches; returns the services, reviewer, admin, this campaign's
    id and each branch's (staff, plan)."""
    rng = random.Random(branches)
    repo = open_repository(url)
    services = build_services(repo, hasher=CHEAP)
    admin = create_first_admin(
        repo, login="admin", display_name="管理员", password="bench-password-123", hasher=CHEAP
    )

    def account(login: str, role: Role, branch_id: str | None = None) -> User:
        return services.accounts.create_user(
            admin,
            login=login,
            display_name=login,
            role=role,
            password="bench-password-123",
            branch_id=branch_id,
        )

    reviewer = account("reviewer", Role.REVIEWER)
    before = services.campaigns.create(admin, demo_data.campaign(YEAR - 1))
    current = services.campaigns.create(
        admin, {**demo_data.campaign(YEAR), "previous_campaign_id": before.id}
    )
    plans = []
    for n in range(branches):
        branch = services.branches.create(
            admin, {"name": f"第{n + 1}党支部", "member_count": 12, "secretary": f"书记{n}"}
        )
        staff = account(f"branch{n}", Role.BRANCH, branch.id)
        submit(services, staff, before.id, "plan", plan(rng, YEAR - 1, branch.name))
        plans.append(
            (staff, submit(services, staff, current.id, "plan", plan(rng, YEAR, branch.name)))
        )
        for data in sessions(rng, branch.model_dump()):
            submit(services, staff, current.id, "study_session", data)
    return services, reviewer, admin, current.id, plans


def seconds(op: Callable[[], object]) -> float:
    start = time.perf_counter()
    op()
    return time.perf_counter() - start


def measure(backend: str, branches: int) -> dict[str, float]:
    """The timed operations on a store of ``branches`` branches."""
    with tempfile.TemporaryDirectory() as folder:
        url = "memory://" if backend == "memory" else f"tinydb:///{folder}/store.json"
        services, reviewer, admin, campaign_id, plans = build(url, branches)
        try:
            shipped = (RULES_DIR / "plan_quality.yaml").read_text(encoding="utf-8")
            batch = BatchCheckService(services.submissions)  # a cold cache
            stage = lambda: batch.check(reviewer, campaign_id=campaign_id, stage="launch")  # noqa: E731
            rows = len(stage())
            assert rows == branches * (1 + SESSIONS), rows
            batch = BatchCheckService(services.submissions)
            figures = {"rows": float(rows), "batch check, cold": seconds(stage)}
            figures["batch check, cached"] = seconds(stage)
            impact = BatchCheckService(services.submissions)
            figures["impact preview, unchanged"] = seconds(
                lambda: impact.preview_impact(admin, "plan_quality", shipped)
            )
            subs = services.submissions
            samples = []
            for staff, mine in plans[:5]:
                returned = subs.return_(reviewer, mine.id, mine.rev, "请修改")
                data = {**mine.data, "requirements": mine.data["requirements"] + "补充"}
                saved = subs.save_draft(
                    staff,
                    campaign_id=campaign_id,
                    form_type="plan",
                    data=data,
                    submission_id=mine.id,
                    expected_rev=returned.rev,
                )
                start = time.perf_counter()
                subs.submit(staff, saved.id, saved.rev)
                samples.append(time.perf_counter() - start)
            figures["submit a plan (median)"] = statistics.median(samples)
            figures["batch check after 5 resubmissions"] = seconds(stage)
        finally:
            services.repo.close()
    return figures


def main(argv: Sequence[str] = ()) -> int:
    """Print each figure at 6 and 60 branches and the ratio."""
    parser = argparse.ArgumentParser(prog="python -m bench checks")
    parser.add_argument("--backend", choices=("memory", "tinydb"), default="tinydb")
    args, _ = parser.parse_known_args(list(argv))
    small, large = (measure(args.backend, n) for n in SIZES)
    print(
        f"launch-stage rule checks on {args.backend}: {int(small['rows'])} vs "
        f"{int(large['rows'])} rows (linear = 10x, quadratic = 100x)"
    )
    print(f"{'':36}{'6 branches':>12}{'60 branches':>13}{'ratio':>8}")
    for name in small:
        if name == "rows":
            continue
        a, b = small[name], large[name]
        print(f"{name:36}{a * 1000:>10.0f}ms{b * 1000:>11.0f}ms{b / a:>7.1f}x")
        summary.record(
            "checks",
            f"{name}, 60 branches",
            f"{b * 1000:.0f} ms",
            f"6 branches: {a * 1000:.0f} ms",
            b / a,
        )
    return 0
