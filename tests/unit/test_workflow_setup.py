"""First-run setup, CLI account creation and the demo data."""

from __future__ import annotations

import datetime as dt

import pytest

from storage.memory import MemoryRepository
from tests.unit.workflow_world import FAST_HASHER, PASSWORD
from workflow.errors import DomainError, PermissionDenied, ValidationFailed
from workflow.models import Role, Status
from workflow.services import build_services
from workflow.setup import create_first_admin, create_user, init_store, needs_setup, seed_demo


def test_setup_is_needed_until_the_first_admin_exists_and_only_once() -> None:
    repo = MemoryRepository()
    assert needs_setup(repo)
    admin = create_first_admin(
        repo, login="root", display_name="管理员", password=PASSWORD, hasher=FAST_HASHER
    )
    assert admin.role == Role.ADMIN
    assert not needs_setup(repo)
    assert repo.get("meta", "store") is not None
    with pytest.raises(PermissionDenied, match="首次设置已永久关闭"):
        create_first_admin(
            repo, login="root2", display_name="又一个", password=PASSWORD, hasher=FAST_HASHER
        )


def test_init_store_is_idempotent() -> None:
    repo = MemoryRepository()
    init_store(repo)
    init_store(repo)
    assert len(repo.history("meta", "store")) == 1


def test_cli_create_user_accepts_a_branch_name_and_validates_like_the_screen() -> None:
    repo = MemoryRepository()
    services = build_services(repo, hasher=FAST_HASHER)
    admin = create_first_admin(
        repo, login="root", display_name="管理员", password=PASSWORD, hasher=FAST_HASHER
    )
    branch = services.branches.create(admin, {"name": "教务处党支部", "member_count": 15})
    user = create_user(
        repo,
        login="jw",
        display_name="教务处组织委员",
        role="branch",
        password=PASSWORD,
        branch_id="教务处党支部",
        hasher=FAST_HASHER,
    )
    assert user.branch_id == branch.id
    assert repo.audit("users", "jw")[0]["actor"] == "cli"
    with pytest.raises(ValidationFailed):
        create_user(repo, login="x", display_name="x", role="branch", password=PASSWORD)


def test_seed_demo_creates_six_branches_every_role_and_submitted_work() -> None:
    repo = MemoryRepository()
    passwords = seed_demo(repo, hasher=FAST_HASHER)
    services = build_services(repo, hasher=FAST_HASHER)
    assert {"admin", "reviewer", "branch1", "branch2", "reader"} <= set(passwords)
    assert len(services.branches.list()) == 6
    users = {login: services.accounts.authenticate(login, pw) for login, pw in passwords.items()}
    assert {u.role for u in users.values()} == set(Role)
    assert len({u.branch_id for u in users.values() if u.role == Role.BRANCH}) == 6
    campaign = services.campaigns.current()
    assert campaign is not None and campaign.year == dt.date.today().year
    assert campaign.title == f"{campaign.year}年机关“先锋工程”建设"
    plans = services.submissions.list(users["reviewer"], campaign_id=campaign.id, form_type="plan")
    assert len(plans) == 4 and all(p.status == Status.SUBMITTED for p in plans)
    assert users["branch1"].branch_id not in {p.branch_id for p in plans}
    sessions = services.submissions.list(
        users["branch1"], campaign_id=campaign.id, form_type="study_session"
    )
    assert len(sessions) == 2
    sample = services.spot_checks.draw(users["reviewer"], campaign_id=campaign.id, count=1)
    assert sample.sample[0] in {p.id for p in plans}


def test_seed_demo_refuses_a_store_that_holds_data() -> None:
    repo = MemoryRepository()
    create_first_admin(
        repo, login="root", display_name="管理员", password=PASSWORD, hasher=FAST_HASHER
    )
    with pytest.raises(DomainError, match="空的存储"):
        seed_demo(repo, hasher=FAST_HASHER)
