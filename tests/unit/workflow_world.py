"""A small populated store for the workflow tests: three branches, one user per role, a campaign.

Not a test module (no ``test_`` prefix); the workflow tests import ``make_world``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher

from storage.base import Repository
from storage.memory import MemoryRepository
from workflow import demo_data
from workflow.models import Branch, Campaign, Role, Submission, User
from workflow.services import Services, build_services
from workflow.setup import create_first_admin

# Real argon2id, cheap parameters: the tests exercise hashing, not its cost.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
PASSWORD = "correct-horse-1"
YEAR = 2026


@dataclass
class World:
    services: Services
    repo: Repository
    campaign: Campaign
    branches: list[Branch]
    admin: User
    reviewer: User
    branch_reviewer: User  # a reviewer who belongs to branch 0
    staff: list[User]  # staff[i] works for branches[i]
    reader: User

    def good_plan(self, i: int) -> dict[str, Any]:
        """A plan that passes plan_quality and differs from the other branches' (i < 4)."""
        plan = copy.deepcopy(demo_data.PLANS[i](YEAR))
        plan["branch"] = self.branches[i].name
        return plan

    def submitted_plan(self, i: int) -> Submission:
        """Branch ``i``'s plan, saved and submitted."""
        subs = self.services.submissions
        draft = subs.save_draft(
            self.staff[i], campaign_id=self.campaign.id, form_type="plan", data=self.good_plan(i)
        )
        return subs.submit(self.staff[i], draft.id, draft.rev)


def make_world(repo: Repository | None = None) -> World:
    """The world over ``repo`` (an empty store; default: a fresh in-memory one)."""
    repo = MemoryRepository() if repo is None else repo
    services = build_services(repo, hasher=FAST_HASHER)
    admin = create_first_admin(
        repo, login="admin", display_name="管理员", password=PASSWORD, hasher=FAST_HASHER
    )
    branches = [services.branches.create(admin, {**demo_data.BRANCHES[i]}) for i in range(3)]
    accounts = services.accounts

    def user(login: str, role: Role, branch: Branch | None = None) -> User:
        return accounts.create_user(
            admin,
            login=login,
            display_name=login,
            role=role,
            password=PASSWORD,
            branch_id=branch.id if branch else None,
        )

    campaign = services.campaigns.create(admin, demo_data.campaign(YEAR))
    return World(
        services=services,
        repo=repo,
        campaign=campaign,
        branches=branches,
        admin=admin,
        reviewer=user("reviewer", Role.REVIEWER),
        branch_reviewer=user("reviewer0", Role.REVIEWER, branches[0]),
        staff=[user(f"branch{i + 1}", Role.BRANCH, b) for i, b in enumerate(branches)],
        reader=user("reader", Role.READER),
    )
