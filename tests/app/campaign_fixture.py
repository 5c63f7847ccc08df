"""A small launch-stage campaign built through the workflow services, for the app tests.

Independent of the demo data's content: two branches with a staff account each, a reviewer,
an admin and a reader, all with the password ``PASSWORD``; branch 2 has submitted a good plan
so a spot-check has something to draw. Passwords use cheap argon2 parameters to keep tests fast.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from argon2 import PasswordHasher

from workflow import demo_data, setup
from workflow.models import Role, User
from workflow.services import Services

PASSWORD = "correct-horse-9"
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
YEAR = dt.date.today().year


def good_plan(branch: str) -> dict[str, Any]:
    """A plan the plan_quality rules accept and unlike branch 2's (the demo's research plan)."""
    return {**demo_data.plan_of_research_office(YEAR), "branch": branch}


def build_campaign(svc: Services) -> dict[str, User]:
    """Accounts, two branches, the campaign, and branch 2's submitted plan; login → User."""
    repo = svc.repo
    admin = setup.create_first_admin(
        repo, login="admin", display_name="管理员", password=PASSWORD, hasher=FAST_HASHER
    )
    branch1 = svc.branches.create(
        admin,
        {
            "name": "党政办公室党支部",
            "unit": "党政办公室",
            "member_count": 12,
            "central_work": ["校庆"],
        },
    )
    branch2 = svc.branches.create(
        admin,
        {
            "name": "教务处党支部",
            "unit": "教务处",
            "member_count": 15,
            "central_work": ["本科教学评估"],
        },
    )
    users = {"admin": admin}
    for login, name, role, branch_id in [
        ("branch1", "党办组织委员", Role.BRANCH, branch1.id),
        ("branch2", "教务组织委员", Role.BRANCH, branch2.id),
        ("reviewer", "机关党委审核员", Role.REVIEWER, None),
        ("reader", "学校党委办公室", Role.READER, None),
    ]:
        users[login] = setup.create_user(
            repo,
            login=login,
            display_name=name,
            role=role,
            password=PASSWORD,
            branch_id=branch_id,
            hasher=FAST_HASHER,
        )
    campaign = svc.campaigns.create(
        admin, {"year": YEAR, "title": f"{YEAR}年机关“先锋工程”建设", "stage": "launch"}
    )
    draft = svc.submissions.save_draft(
        users["branch2"],
        campaign_id=campaign.id,
        form_type="plan",
        data=demo_data.plan_of_academic_affairs(YEAR),
    )
    svc.submissions.submit(users["branch2"], draft.id, draft.rev)
    return users
