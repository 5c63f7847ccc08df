"""Accounts: login with argon2 password hashes, and user administration (admins only)."""

from __future__ import annotations

from typing import Any

from argon2 import PasswordHasher
from pydantic import ValidationError

from forms.explain import explain
from i18n import Lang, t
from storage.base import Repository
from storage.errors import AlreadyExists
from workflow import permissions
from workflow.errors import AuthFailed, NotFound, ValidationFailed
from workflow.models import Role, User
from workflow.passwords import MIN_PASSWORD_LENGTH, default_hasher, verify
from workflow.store_calls import stored_update

KIND = "users"


class AccountService:
    """Login and user accounts. Users are stored in kind ``users`` with their login as id."""

    def __init__(self, repo: Repository, hasher: PasswordHasher | None = None) -> None:
        self.repo = repo
        self.hasher = hasher or default_hasher()
        self._dummy_hash: str | None = None

    # -- login ---------------------------------------------------------------------------

    def authenticate(self, login: str, password: str) -> User:
        """The user whose login and password match; raises ``AuthFailed`` otherwise.

        Unknown login and wrong password give the same message, and an unknown login still
        costs one argon2 verification, so neither the text nor the time tells which it was.
        """
        doc = self.repo.get(KIND, login.strip()) if login.strip() else None
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
        login taken or malformed, password shorter than 8 characters, branch staff without an
        existing branch."""
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
        """Validate and store a new account without a permission check (setup and CLI use)."""
        errors: dict[str, str] = {}
        if len(password) < MIN_PASSWORD_LENGTH:
            errors["password"] = t("workflow.user.password_short", lang, n=MIN_PASSWORD_LENGTH)
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
            raise ValidationFailed({**explain(error, User, lang), **errors}) from None
        errors.update(self._branch_errors(user, lang))
        if self.repo.get(KIND, user.login) is not None:
            errors["login"] = t("workflow.user.login_taken", lang, login=user.login)
        if errors:
            raise ValidationFailed(errors)
        user.password_hash = self.hasher.hash(password)
        doc = user.model_dump(mode="json")
        doc["id"] = user.login
        try:
            return User.model_validate(self.repo.insert(KIND, doc, actor=actor))
        except AlreadyExists:
            raise ValidationFailed(
                {"login": t("workflow.user.login_taken", lang, login=user.login)}
            ) from None

    def list_users(self, actor: User) -> list[User]:
        """Every account, sorted by login, password hashes blanked (admins only)."""
        permissions.require(
            permissions.may_manage_accounts(actor), actor, "workflow.denied.accounts"
        )
        users = [User.model_validate(d) for d in self.repo.find(KIND)]
        return sorted((u.model_copy(update={"password_hash": ""}) for u in users), key=_login)

    def get_user(self, actor: User, login: str) -> User:
        """One account, password hash blanked (admins, or the user themself)."""
        permissions.require(
            permissions.may_manage_accounts(actor) or actor.login == login,
            actor,
            "workflow.denied.accounts",
        )
        return self._load(login, actor.lang).model_copy(update={"password_hash": ""})

    def update_user(self, actor: User, user: User, expected_rev: int) -> User:
        """Change display name, role, branch, language or active flag (admins only).

        Login and password hash are kept from the store whatever ``user`` holds; passwords
        change through ``set_password``. The last active admin cannot be demoted or disabled.
        Raises ``Conflict`` when the account changed since ``expected_rev``.
        """
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
        errors = self._branch_errors(updated, actor.lang)
        if not updated.display_name:
            errors["display_name"] = t("workflow.user.display_name_missing", actor.lang)
        if permissions.is_admin(stored) and not permissions.is_admin(updated):
            others = [
                u
                for u in (User.model_validate(d) for d in self.repo.find(KIND))
                if u.login != stored.login and permissions.is_admin(u)
            ]
            if not others:
                errors["role"] = t("workflow.user.last_admin", actor.lang)
        if errors:
            raise ValidationFailed(errors)
        return self._save(updated, actor=actor.login, expected_rev=expected_rev)

    def set_password(self, actor: User, login: str, new_password: str) -> User:
        """Set a new password: one's own, or anyone's for admins (at least 8 characters)."""
        permissions.require(
            permissions.may_set_password(actor, login), actor, "workflow.denied.password"
        )
        if len(new_password) < MIN_PASSWORD_LENGTH:
            raise ValidationFailed(
                {"password": t("workflow.user.password_short", actor.lang, n=MIN_PASSWORD_LENGTH)}
            )
        user = self._load(login, actor.lang)
        user.password_hash = self.hasher.hash(new_password)
        return self._save(user, actor=actor.login, expected_rev=user.rev)

    def set_language(self, actor: User, lang: Lang) -> User:
        """Store the actor's interface language (``zh`` or ``en``) and return the fresh user."""
        if lang not in ("zh", "en"):
            raise ValidationFailed({"lang": t("workflow.user.lang_unknown", actor.lang)})
        user = self._load(actor.login, actor.lang)
        user.lang = lang
        return self._save(user, actor=actor.login, expected_rev=user.rev)

    # -- internals -------------------------------------------------------------------------

    def _branch_errors(self, user: User, lang: Lang) -> dict[str, str]:
        if user.role == Role.BRANCH and not user.branch_id:
            return {"branch_id": t("workflow.user.branch_required", lang)}
        if user.branch_id and self.repo.get("branches", user.branch_id) is None:
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
