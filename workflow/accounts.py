"""Accounts: login with argon2 password hashes, and user administration (admins only).

Two guarantees hold whatever runs at the same time (threads, app processes, backends): once a
store has had an administrator it keeps at least one active one, and first-run setup never
opens again. Every write that could take the last active administrator away (an edit, a
restore) checks the accounts that would remain inside ``repo.locked(ACCOUNTS_LOCK)``, the same
lock the write is made under; the first administrator leaves a mark (kind ``meta``, id
``admins``) that nothing removes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from argon2 import PasswordHasher
from pydantic import ValidationError

from forms.explain import explain
from i18n import Lang, t
from storage.base import Document, Repository
from storage.errors import AlreadyExists
from storage.history import restore as restore_revision
from workflow import permissions
from workflow.clock import now_iso
from workflow.errors import AuthFailed, NotFound, SessionEnded, ValidationFailed
from workflow.login_guard import LoginGuard
from workflow.models import Role, User
from workflow.passwords import default_hasher, password_problem, verify
from workflow.sessions import end_sessions_of
from workflow.store_calls import stored_update

KIND = "users"
ACCOUNTS_LOCK = "accounts"
META_KIND = "meta"
ADMIN_MARK = "admins"  # meta/admins: this store has had an administrator


def had_admin(repo: Repository) -> bool:
    """True once the store has ever had an administrator (the mark, or an admin account of a
    store older than the mark)."""
    if repo.get(META_KIND, ADMIN_MARK) is not None:
        return True
    return any(d.get("role") == Role.ADMIN.value for d in repo.find(KIND))


def acting_user(repo: Repository, actor: User) -> User:
    """``actor`` as the store holds it now (password hash blanked); ``SessionEnded`` when the
    account is gone, disabled, or its access changed since ``actor`` was read (a page or a
    download callback holding an old copy). Services call this at the moment of an action."""
    doc = repo.get(KIND, actor.login) if actor.login else None
    stored = User.model_validate(doc) if doc is not None else None
    if (
        stored is None
        or not stored.active
        or stored.session_epoch != actor.session_epoch
        or _access(stored) != _access(actor)
    ):
        raise SessionEnded.keyed("workflow.auth.session_ended", actor.lang)
    # The caller's language stays: messages follow the session's language.
    return stored.model_copy(update={"password_hash": "", "lang": actor.lang})


def _active_admins(repo: Repository, replacing: Mapping[str, Any] | None = None) -> set[str]:
    """Logins of the active administrators if ``replacing`` (a user document) were stored."""
    docs = {str(d.get("login")): d for d in repo.find(KIND)}
    if replacing is not None:
        docs[str(replacing.get("login"))] = dict(replacing)
    return {
        login
        for login, d in docs.items()
        if d.get("role") == Role.ADMIN.value and d.get("active", True)
    }


def _mark_admin(repo: Repository, login: str) -> None:
    """Leave the mark that closes first-run setup for good (idempotent)."""
    if repo.get(META_KIND, ADMIN_MARK) is None:
        with contextlib.suppress(AlreadyExists):  # another process marked it first
            repo.insert(
                META_KIND, {"id": ADMIN_MARK, "first_admin": login, "at": now_iso()}, actor=login
            )


class AccountService:
    """Login and user accounts. Users are stored in kind ``users`` with their login as id."""

    def __init__(
        self,
        repo: Repository,
        hasher: PasswordHasher | None = None,
        guard: LoginGuard | None = None,
    ) -> None:
        self.repo = repo
        self.hasher = hasher or default_hasher()
        self.guard = guard or LoginGuard()
        self._dummy_hash: str | None = None

    # -- login ---------------------------------------------------------------------------

    def authenticate(self, login: str, password: str, *, address: str = "") -> User:
        """The user whose login and password match; raises ``AuthFailed`` otherwise.

        Unknown login and wrong password give the same message, and an unknown login still
        costs one argon2 verification, so neither the text nor the time tells which it was.
        ``address`` is the client's IP address: failures are counted per login and per
        address, and each further try must wait longer (``LoginGuard``); at most a few
        verifications run at once, so a flood of logins cannot exhaust memory.
        """
        login = login.strip()
        with self.guard.attempt(login, address):
            doc = self.repo.get(KIND, login) if login else None
            if doc is None:
                verify(self.hasher, self._dummy(), password)
                raise AuthFailed.keyed("workflow.auth.failed")
            user = User.model_validate(doc)
            if not verify(self.hasher, user.password_hash, password):
                raise AuthFailed.keyed("workflow.auth.failed", user.lang)
        if not user.active:
            raise AuthFailed.keyed("workflow.auth.inactive", user.lang)
        if self.hasher.check_needs_rehash(user.password_hash):
            user.password_hash = self.hasher.hash(password)
            user = self._save(user, actor=user.login, expected_rev=user.rev)
        return user

    def acting(self, actor: User) -> User:
        """``actor`` re-read from the store; ``SessionEnded`` when the session must end
        (see ``acting_user``). The app calls it on every run, the services at each action."""
        return acting_user(self.repo, actor)

    def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = self.hasher.hash("not-a-real-password")
        return self._dummy_hash

    # -- administration --------------------------------------------------------------------

    def create_user(
        self,
        actor: User,
        *,
        login: str,
        display_name: str,
        role: Role | str,
        password: str,
        branch_id: str | None = None,
    ) -> User:
        """Create an account (admins only). Raises ``ValidationFailed`` naming the field:
        login taken or malformed, password refused by ``password_problem``, branch staff
        without an existing branch."""
        actor = self.acting(actor)
        permissions.require(
            permissions.may_manage_accounts(actor), actor, "workflow.denied.accounts"
        )
        return self.insert_user(
            login=login,
            display_name=display_name,
            role=role,
            password=password,
            branch_id=branch_id,
            actor=actor.login,
            lang=actor.lang,
        )

    def insert_user(
        self,
        *,
        login: str,
        display_name: str,
        role: Role | str,
        password: str,
        branch_id: str | None = None,
        actor: str,
        lang: Lang = "zh",
    ) -> User:
        """Validate and store a new account without a permission check (setup and CLI use).
        A new administrator marks the store as having had one (setup closes for good)."""
        errors: dict[str, str] = {}
        problem = password_problem(password, login.strip(), lang)
        if problem:
            errors["password"] = problem
        try:
            user = self.new_account(
                login=login, display_name=display_name, role=role, branch_id=branch_id, lang=lang
            )
        except ValidationFailed as refused:
            raise ValidationFailed({**refused.errors, **errors}) from None
        if errors:
            raise ValidationFailed(errors)
        user.password_hash = self.hasher.hash(password)
        doc = user.model_dump(mode="json")
        doc["id"] = user.login
        try:
            created = User.model_validate(self.repo.insert(KIND, doc, actor=actor))
        except AlreadyExists:
            raise ValidationFailed(
                {"login": t("workflow.user.login_taken", lang, login=user.login)}
            ) from None
        if created.role == Role.ADMIN:
            _mark_admin(self.repo, created.login)
        return created

    def new_account(
        self,
        *,
        login: str,
        display_name: str,
        role: Role | str,
        branch_id: str | None,
        lang: Lang = "zh",
        pending_branches: frozenset[str] = frozenset(),
    ) -> User:
        """The account these fields make, not stored yet; ``ValidationFailed`` names each
        field that is wrong (login malformed or taken, branch staff without an existing
        branch). ``pending_branches`` are branch ids that count as existing (branches an
        import is about to create)."""
        try:
            user = User.model_validate(
                {
                    "login": login.strip(),
                    "display_name": display_name.strip(),
                    "role": role,
                    "branch_id": branch_id or None,
                }
            )
        except ValidationError as error:
            raise ValidationFailed(explain(error, User, lang)) from None
        errors = self._branch_errors(user, lang, pending_branches)
        if self.repo.get(KIND, user.login) is not None:
            errors["login"] = t("workflow.user.login_taken", lang, login=user.login)
        if errors:
            raise ValidationFailed(errors)
        return user

    def list_users(self, actor: User) -> list[User]:
        """Every account, sorted by login, password hashes blanked (admins only)."""
        actor = self.acting(actor)
        permissions.require(
            permissions.may_manage_accounts(actor), actor, "workflow.denied.accounts"
        )
        users = [User.model_validate(d) for d in self.repo.find(KIND)]
        return sorted((u.model_copy(update={"password_hash": ""}) for u in users), key=_login)

    def get_user(self, actor: User, login: str) -> User:
        """One account, password hash blanked (admins, or the user themself)."""
        actor = self.acting(actor)
        permissions.require(
            permissions.may_manage_accounts(actor) or actor.login == login,
            actor,
            "workflow.denied.accounts",
        )
        return self._load(login, actor.lang).model_copy(update={"password_hash": ""})

    def update_user(self, actor: User, user: User, expected_rev: int) -> User:
        """Change display name, role, branch, language or active flag (admins only).

        Login and password hash are kept from the store whatever ``user`` holds; passwords
        change through ``set_password``. The last active admin cannot be demoted or disabled:
        the check and the write happen under one lock, so two admins demoting each other at
        the same moment cannot both succeed. A change of role, branch or active flag ends the
        account's sessions. Raises ``Conflict`` when the account changed since
        ``expected_rev``.
        """
        with self.repo.locked(ACCOUNTS_LOCK):
            actor = self.acting(actor)
            permissions.require(
                permissions.may_manage_accounts(actor), actor, "workflow.denied.accounts"
            )
            stored = self._load(user.login, actor.lang)
            updated = stored.model_copy(
                update={
                    "display_name": user.display_name.strip(),
                    "role": user.role,
                    "branch_id": user.branch_id or None,
                    "lang": user.lang,
                    "active": user.active,
                }
            )
            if _access(updated) != _access(stored):
                updated.session_epoch = stored.session_epoch + 1
            errors = self._branch_errors(updated, actor.lang)
            if not updated.display_name:
                errors["display_name"] = t("workflow.user.display_name_missing", actor.lang)
            doc = updated.model_dump(mode="json")
            if not _active_admins(self.repo, replacing=doc):
                errors["role"] = t("workflow.user.last_admin", actor.lang)
            if errors:
                raise ValidationFailed(errors)
            saved = self._save(updated, actor=actor.login, expected_rev=expected_rev)
        if permissions.is_admin(saved):
            _mark_admin(self.repo, saved.login)
        if saved.session_epoch != stored.session_epoch:  # signed out in every browser at once
            end_sessions_of(self.repo, saved.login)
        return saved

    def restore(self, actor: User, login: str, rev: int) -> Document:
        """Make revision ``rev`` of an account current again (admins only), as the audit
        log's restore does for other records, except that the password hash stays the
        current one (an old, perhaps leaked, password never comes back), the account's
        sessions end, and a restore that would leave no active administrator is refused
        (``ValidationFailed``) under the same lock as the write."""
        with self.repo.locked(ACCOUNTS_LOCK):
            actor = self.acting(actor)
            permissions.require(
                permissions.may_manage_accounts(actor), actor, "workflow.denied.accounts"
            )
            history = self.repo.history(KIND, login)
            epoch = max((int(d.get("session_epoch") or 0) for d in history), default=0) + 1

            def adjust(data: Document, current: Document | None) -> Document:
                data["password_hash"] = (current or {}).get("password_hash", "")
                data["session_epoch"] = epoch
                if not _active_admins(self.repo, replacing=data):
                    raise ValidationFailed(
                        {"role": t("workflow.user.last_admin_restore", actor.lang)}
                    )
                return data

            restored = restore_revision(
                self.repo, KIND, login, rev, actor=actor.login, adjust=adjust
            )
        end_sessions_of(self.repo, login)
        if restored.get("role") == Role.ADMIN.value and restored.get("active", True):
            _mark_admin(self.repo, login)
        return restored

    def set_password(
        self, actor: User, login: str, new_password: str, *, keep_session: str | None = None
    ) -> User:
        """Set a new password: one's own, or anyone's for admins (``password_problem`` says
        which are refused). Every session of the account ends but ``keep_session`` (the
        browser that set it); the returned user (hash blanked) carries the new session
        epoch, which that browser keeps to stay signed in."""
        actor = self.acting(actor)
        permissions.require(
            permissions.may_set_password(actor, login), actor, "workflow.denied.password"
        )
        problem = password_problem(new_password, login, actor.lang)
        if problem:
            raise ValidationFailed({"password": problem})
        return self._store_password(actor, login, new_password, keep_session)

    def change_own_password(
        self,
        actor: User,
        old_password: str,
        new_password: str,
        *,
        keep_session: str | None = None,
        address: str = "",
    ) -> User:
        """The actor changes their own password: the current one must match (guessing it is
        throttled like a sign-in), the new one pass ``password_problem`` and differ from it.
        Raises ``ValidationFailed`` at ``old_password`` / ``new_password``; the account's
        other sessions end, ``keep_session`` stays (see ``set_password``)."""
        actor = self.acting(actor)
        if not old_password:
            raise ValidationFailed({"old_password": t("workflow.password.old_missing", actor.lang)})
        try:  # a wrong current password counts as a failed sign-in (growing delays)
            with self.guard.attempt(actor.login, address):
                stored = self._load(actor.login, actor.lang)
                if not verify(self.hasher, stored.password_hash, old_password):
                    raise AuthFailed.keyed("workflow.password.old_wrong", actor.lang)
        except AuthFailed as refused:
            raise ValidationFailed({"old_password": refused.message(actor.lang)}) from None
        problem = password_problem(new_password, actor.login, actor.lang)
        if problem is None and new_password == old_password:
            problem = t("workflow.password.same_as_old", actor.lang)
        if problem:
            raise ValidationFailed({"new_password": problem})
        return self._store_password(actor, actor.login, new_password, keep_session)

    def _store_password(
        self, actor: User, login: str, password: str, keep_session: str | None
    ) -> User:
        user = self._load(login, actor.lang)
        user.password_hash = self.hasher.hash(password)
        user.session_epoch += 1
        saved = self._save(user, actor=actor.login, expected_rev=user.rev)
        end_sessions_of(self.repo, login, keep=keep_session)
        return saved.model_copy(update={"password_hash": ""})

    def set_language(self, actor: User, lang: Lang) -> User:
        """Store the actor's interface language (``zh`` or ``en``) and return the fresh user."""
        if lang not in ("zh", "en"):
            raise ValidationFailed({"lang": t("workflow.user.lang_unknown", actor.lang)})
        actor = self.acting(actor)
        user = self._load(actor.login, actor.lang)
        user.lang = lang
        return self._save(user, actor=actor.login, expected_rev=user.rev)

    # -- internals -------------------------------------------------------------------------

    def _branch_errors(
        self, user: User, lang: Lang, pending: frozenset[str] = frozenset()
    ) -> dict[str, str]:
        if user.role == Role.BRANCH and not user.branch_id:
            return {"branch_id": t("workflow.user.branch_required", lang)}
        if (
            user.branch_id
            and user.branch_id not in pending
            and self.repo.get("branches", user.branch_id) is None
        ):
            return {"branch_id": t("workflow.user.branch_unknown", lang)}
        return {}

    def _load(self, login: str, lang: Lang) -> User:
        doc = self.repo.get(KIND, login)
        if doc is None:
            raise NotFound(KIND, login)
        return User.model_validate(doc)

    def _save(self, user: User, *, actor: str, expected_rev: int) -> User:
        doc: dict[str, Any] = user.model_dump(mode="json")
        return User.model_validate(
            stored_update(self.repo, KIND, doc, actor=actor, expected_rev=expected_rev)
        )


def _login(user: User) -> str:
    return user.login


def _access(user: User) -> tuple[object, ...]:
    """What a session was granted at sign-in: changing any of it ends the session."""
    return (user.role, user.branch_id, user.active)
