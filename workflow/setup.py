"""Setting up a store: the first administrator, accounts from the CLI, and demo data.

These run without a logged-in actor (``python -m workflow create-user / seed-demo``, see
``workflow/cli.py``, and the app's first-run screen), so each guards itself:
``create_first_admin`` only until the store has ever had an administrator, ``seed_demo`` only
into an empty store. ``init_store`` (the store's schema mark) is the storage layer's,
``storage/meta.py``. The CLI is the operator's, on the server; the first-run screen is anyone's
who can reach the app, so ``SetupService`` also asks for the one-time setup token
(``setup_token``) that only the operator can read: on the server's console, or with
``python -m workflow setup-token``.
"""

from __future__ import annotations

import hmac
import secrets

from argon2 import PasswordHasher

from storage.base import Repository
from storage.errors import AlreadyExists
from storage.meta import init_store
from workflow.accounts import ACCOUNTS_LOCK, META_KIND, AccountService, had_admin
from workflow.accounts import KIND as USERS
from workflow.clock import current_year, now_iso
from workflow.errors import DomainError, PermissionDenied
from workflow.models import Role, User
from workflow.passwords import readable_password

TOKEN_ID = "setup_token"


def needs_setup(repo: Repository) -> bool:
    """True until the store has ever had an administrator (the app then shows first-run
    setup). Disabling or demoting every administrator later does not reopen it."""
    return not had_admin(repo)


def setup_token(repo: Repository) -> str | None:
    """The one-time token the first-run screen asks for, made on first use and kept in the
    store (kind ``meta``, id ``setup_token``) so the app's console and ``python -m storage
    setup-token`` show the same one; None once setup is closed."""
    if not needs_setup(repo):
        return None
    doc = repo.get(META_KIND, TOKEN_ID)
    if doc is None:
        try:
            doc = repo.insert(
                META_KIND,
                {"id": TOKEN_ID, "token": secrets.token_urlsafe(24), "created_at": now_iso()},
                actor="setup",
            )
        except AlreadyExists:  # another process made it first: use theirs
            doc = repo.get(META_KIND, TOKEN_ID)
    return str(doc["token"]) if doc else None


def _require_token(repo: Repository, token: str) -> None:
    expected = setup_token(repo)
    if expected is None:
        raise PermissionDenied.keyed("workflow.denied.setup")
    if not hmac.compare_digest(token.strip().encode(), expected.encode()):
        raise PermissionDenied.keyed("workflow.setup.token_wrong")


def _retire_token(repo: Repository) -> None:
    doc = repo.get(META_KIND, TOKEN_ID)
    if doc is not None:
        repo.delete(META_KIND, TOKEN_ID, actor="setup", expected_rev=int(doc["rev"]))


def create_first_admin(
    repo: Repository,
    *,
    login: str,
    display_name: str,
    password: str,
    hasher: PasswordHasher | None = None,
) -> User:
    """Create the first administrator; refused with ``PermissionDenied`` once the store has
    ever had one (checked under the accounts lock, so two at once cannot both succeed)."""
    with repo.locked(ACCOUNTS_LOCK):
        if not needs_setup(repo):
            raise PermissionDenied.keyed("workflow.denied.setup")
        init_store(repo)
        return AccountService(repo, hasher).insert_user(
            login=login,
            display_name=display_name,
            role=Role.ADMIN,
            password=password,
            actor="setup",
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
    """A random password for generated accounts, readable aloud and on paper (no 0/O, 1/l
    look-alikes: ``workflow.passwords.readable_password``)."""
    return readable_password()


def demo_branches() -> dict[str, str]:
    """Each demo login → the name of the branch its account belongs to ("" for none), shown
    beside the demo passwords."""
    from workflow import demo_data

    return {
        login: demo_data.BRANCHES[index]["name"] if index is not None else ""
        for login, _name, _role, index in demo_data.ACCOUNTS
    }


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
    step guards itself and asks for the setup token, see the module docstring)."""

    def __init__(self, repo: Repository, hasher: PasswordHasher | None = None) -> None:
        self.repo = repo
        self.hasher = hasher

    def needs_setup(self) -> bool:
        """True until the store has ever had an administrator."""
        return needs_setup(self.repo)

    def token(self) -> str | None:
        """The setup token, for the server's console only (never for a page)."""
        return setup_token(self.repo)

    def create_first_admin(
        self, *, token: str, login: str, display_name: str, password: str
    ) -> User:
        """The first administrator; ``PermissionDenied`` for a wrong token or once the store
        has had one. The token is retired once used."""
        _require_token(self.repo, token)
        user = create_first_admin(
            self.repo,
            login=login,
            display_name=display_name,
            password=password,
            hasher=self.hasher,
        )
        _retire_token(self.repo)
        return user

    def seed_demo(self, *, token: str) -> dict[str, str]:
        """The demo campaign in an empty store; each demo login → its new password
        (``PermissionDenied`` for a wrong token)."""
        _require_token(self.repo, token)
        passwords = seed_demo(self.repo, hasher=self.hasher)
        _retire_token(self.repo)
        return passwords
