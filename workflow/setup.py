"""Setting up a store: the first administrator, accounts from the CLI, and demo data.

These run without a logged-in actor (``python -m workflow create-user / seed-demo``, see
``workflow/cli.py``, and the app's first-run screen), so each guards itself:
``create_first_admin`` only while the store has no administrator, ``seed_demo`` only into an
empty store. ``init_store`` (the store's schema mark) is the storage layer's, ``storage/meta.py``.
"""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher

from storage.base import Repository
from storage.meta import init_store
from workflow.accounts import KIND as USERS
from workflow.accounts import AccountService
from workflow.clock import current_year
from workflow.errors import DomainError, PermissionDenied
from workflow.models import Role, User


def needs_setup(repo: Repository) -> bool:
    """True while the store has no active administrator (the app then shows first-run setup)."""
    return not any(
        d.get("role") == Role.ADMIN.value and d.get("active", True) for d in repo.find(USERS)
    )


def create_first_admin(
    repo: Repository,
    *,
    login: str,
    display_name: str,
    password: str,
    hasher: PasswordHasher | None = None,
) -> User:
    """Create the first administrator; refused with ``PermissionDenied`` once one exists."""
    if not needs_setup(repo):
        raise PermissionDenied.keyed("workflow.denied.setup")
    init_store(repo)
    return AccountService(repo, hasher).insert_user(
        login=login, display_name=display_name, role=Role.ADMIN, password=password, actor="setup"
    )


def create_user(
    repo: Repository,
    *,
    login: str,
    display_name: str,
    role: Role | str,
    password: str,
    branch_id: str | None = None,
    actor: str = "cli",
    hasher: PasswordHasher | None = None,
) -> User:
    """Create any account without a logged-in admin (CLI). ``branch_id`` may also be the
    branch's name. Raises ``ValidationFailed`` naming the field, as the admin screen does."""
    if branch_id and repo.get("branches", branch_id) is None:
        by_name = repo.find("branches", {"name": branch_id})
        if len(by_name) == 1:
            branch_id = str(by_name[0]["id"])
    return AccountService(repo, hasher).insert_user(
        login=login,
        display_name=display_name,
        role=role,
        password=password,
        branch_id=branch_id,
        actor=actor,
    )


def new_password() -> str:
    """A random password for generated accounts (16 URL-safe characters)."""
    return secrets.token_urlsafe(12)


def seed_demo(
    repo: Repository, *, hasher: PasswordHasher | None = None, year: int | None = None
) -> dict[str, str]:
    """Fill an empty store with a demo campaign; returns each demo login → its new password.

    Creates the campaign of ``year`` (default: this year) titled "YYYY年机关“先锋工程”建设", six
    office branches, accounts ``admin``, ``reviewer``, ``branch1`` … ``branch6`` (one per
    branch, in the order of ``workflow.demo_data.BRANCHES``) and ``reader``; two submitted study
    sessions of branch 1; and submitted plans of branches 2, 3, 4 and 6 (so a spot-check has
    something to draw). Everything goes through the services as the demo users, so it is
    checked by the real rules and audited like real work. Refuses a store that already holds
    accounts or campaigns (``DomainError``).
    """
    from workflow import demo_data
    from workflow.branches import BranchService
    from workflow.campaigns import CampaignService
    from workflow.submissions import SubmissionService

    if repo.find(USERS) or repo.find("campaigns"):
        raise DomainError.keyed("workflow.seed.not_empty")
    init_store(repo)
    year = year or current_year()
    branches = [BranchService(repo).insert_branch(b, actor="seed-demo") for b in demo_data.BRANCHES]
    accounts = AccountService(repo, hasher)
    passwords: dict[str, str] = {}
    users: dict[str, User] = {}
    for login, name, role, index in demo_data.ACCOUNTS:
        passwords[login] = new_password()
        users[login] = accounts.insert_user(
            login=login,
            display_name=name,
            role=role,
            password=passwords[login],
            branch_id=branches[index].id if index is not None else None,
            actor="seed-demo",
        )
    campaign = CampaignService(repo).create(users["admin"], demo_data.campaign(year))
    submissions = SubmissionService(repo)
    work = [
        ("branch1", "study_session", data)
        for data in demo_data.study_sessions(year, demo_data.BRANCHES[0])
    ]
    # Branch 1 (the account a demo starts with) and branch 5 have not written theirs yet.
    work.append(("branch2", "plan", demo_data.plan_of_academic_affairs(year)))
    work.append(("branch3", "plan", demo_data.plan_of_research_office(year)))
    work.append(("branch4", "plan", demo_data.plan_of_student_affairs(year)))
    work.append(("branch6", "plan", demo_data.plan_of_library(year)))
    for login, form_type, data in work:
        draft = submissions.save_draft(
            users[login], campaign_id=campaign.id, form_type=form_type, data=data
        )
        submissions.submit(users[login], draft.id, draft.rev)
    return passwords


class SetupService:
    """First-run setup of the app's store, for the setup screen (no signed-in actor: each
    step guards itself, see the module docstring)."""

    def __init__(self, repo: Repository, hasher: PasswordHasher | None = None) -> None:
        self.repo = repo
        self.hasher = hasher

    def needs_setup(self) -> bool:
        """True while the store has no active administrator."""
        return needs_setup(self.repo)

    def create_first_admin(self, *, login: str, display_name: str, password: str) -> User:
        """The first administrator; ``PermissionDenied`` once one exists."""
        return create_first_admin(
            self.repo,
            login=login,
            display_name=display_name,
            password=password,
            hasher=self.hasher,
        )

    def seed_demo(self) -> dict[str, str]:
        """The demo campaign in an empty store; each demo login → its new password."""
        return seed_demo(self.repo, hasher=self.hasher)
