"""Accounts: argon2 hashes, one message for every failed login, admin-only administration."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from storage.memory import MemoryRepository
from tests.unit.workflow_world import FAST_HASHER, PASSWORD, make_world
from workflow.accounts import AccountService
from workflow.errors import AuthFailed, Conflict, PermissionDenied, ValidationFailed
from workflow.models import Role


def test_password_is_stored_as_argon2id_hash_not_plaintext() -> None:
    world = make_world()
    stored = world.repo.get("users", "branch1")
    assert stored is not None
    assert PASSWORD not in str(stored)
    assert stored["password_hash"].startswith("$argon2id$")
    assert FAST_HASHER.verify(stored["password_hash"], PASSWORD)


def test_authenticate_returns_the_user_for_the_right_password() -> None:
    world = make_world()
    user = world.services.accounts.authenticate("branch2", PASSWORD)
    assert user.login == "branch2"
    assert user.branch_id == world.branches[1].id


def test_wrong_password_and_unknown_login_give_the_same_message() -> None:
    world = make_world()
    with pytest.raises(AuthFailed) as wrong:
        world.services.accounts.authenticate("branch1", "wrong-password")
    with pytest.raises(AuthFailed) as unknown:
        world.services.accounts.authenticate("nobody", PASSWORD)
    assert str(wrong.value) == str(unknown.value) == "用户名或密码错误"


def test_unknown_login_still_runs_one_argon2_verification() -> None:
    calls: list[str] = []

    class CountingHasher(PasswordHasher):
        def verify(self, hash: str | bytes, password: str | bytes) -> bool:
            calls.append(str(hash))
            return super().verify(hash, password)

    accounts = AccountService(MemoryRepository(), CountingHasher(1, 8, 1))
    with pytest.raises(AuthFailed):
        accounts.authenticate("nobody", "whatever-password")
    assert len(calls) == 1 and calls[0].startswith("$argon2id$")


def test_disabled_account_cannot_log_in() -> None:
    world = make_world()
    accounts = world.services.accounts
    user = accounts.get_user(world.admin, "reader")
    accounts.update_user(world.admin, user.model_copy(update={"active": False}), user.rev)
    with pytest.raises(AuthFailed, match="停用"):
        accounts.authenticate("reader", PASSWORD)


def test_password_shorter_than_ten_characters_is_refused_with_field() -> None:
    world = make_world()
    with pytest.raises(ValidationFailed) as caught:
        world.services.accounts.create_user(
            world.admin, login="short", display_name="x", role=Role.READER, password="123456789"
        )
    assert "password" in caught.value.errors
    assert "10" in caught.value.errors["password"]


def test_branch_staff_account_needs_an_existing_branch() -> None:
    world = make_world()
    accounts = world.services.accounts
    with pytest.raises(ValidationFailed) as missing:
        accounts.create_user(
            world.admin, login="nob", display_name="x", role="branch", password=PASSWORD
        )
    assert "所属支部" in missing.value.errors["branch_id"]
    with pytest.raises(ValidationFailed) as unknown:
        accounts.create_user(
            world.admin,
            login="nob",
            display_name="x",
            role="branch",
            password=PASSWORD,
            branch_id="no-such-branch",
        )
    assert "不存在" in unknown.value.errors["branch_id"]


def test_login_taken_and_malformed_login_name_the_login_field() -> None:
    world = make_world()
    accounts = world.services.accounts
    with pytest.raises(ValidationFailed) as taken:
        accounts.create_user(
            world.admin, login="reader", display_name="x", role="reader", password=PASSWORD
        )
    assert "已被使用" in taken.value.errors["login"]
    with pytest.raises(ValidationFailed) as bad:
        accounts.create_user(
            world.admin, login="有 空格", display_name="x", role="reader", password=PASSWORD
        )
    assert bad.value.errors["login"].startswith("「登录名」")


def test_only_admins_manage_accounts() -> None:
    world = make_world()
    accounts = world.services.accounts
    for actor in (world.reviewer, world.staff[0], world.reader):
        with pytest.raises(PermissionDenied):
            accounts.list_users(actor)
        with pytest.raises(PermissionDenied):
            accounts.create_user(
                actor, login="x1", display_name="x", role="reader", password=PASSWORD
            )
    logins = [u.login for u in accounts.list_users(world.admin)]
    assert logins == sorted(logins) and "reviewer" in logins
    assert all(u.password_hash == "" for u in accounts.list_users(world.admin))


def test_update_user_keeps_the_password_hash_and_detects_stale_revision() -> None:
    world = make_world()
    accounts = world.services.accounts
    user = accounts.get_user(world.admin, "reader")
    renamed = accounts.update_user(
        world.admin, user.model_copy(update={"display_name": "新名字"}), user.rev
    )
    assert renamed.display_name == "新名字"
    assert accounts.authenticate("reader", PASSWORD).display_name == "新名字"
    with pytest.raises(Conflict):
        accounts.update_user(world.admin, user.model_copy(update={"display_name": "旧"}), user.rev)


def test_last_active_admin_cannot_be_demoted() -> None:
    world = make_world()
    accounts = world.services.accounts
    admin = accounts.get_user(world.admin, "admin")
    with pytest.raises(ValidationFailed) as caught:
        accounts.update_user(world.admin, admin.model_copy(update={"role": Role.READER}), admin.rev)
    assert "唯一" in caught.value.errors["role"]


def test_users_change_their_own_password_and_admins_anyones() -> None:
    world = make_world()
    accounts = world.services.accounts
    accounts.set_password(world.staff[0], "branch1", "new-password-1")
    assert accounts.authenticate("branch1", "new-password-1").login == "branch1"
    with pytest.raises(PermissionDenied):
        accounts.set_password(world.staff[0], "branch2", "new-password-2")
    accounts.set_password(world.admin, "branch2", "new-password-2")
    with pytest.raises(AuthFailed):
        accounts.authenticate("branch2", PASSWORD)


def test_set_language_is_stored_and_switches_messages() -> None:
    world = make_world()
    user = world.services.accounts.set_language(world.staff[0], "en")
    assert user.lang == "en"
    others = world.services.submissions.save_draft(
        world.staff[1], campaign_id=world.campaign.id, form_type="plan", data={}
    )
    with pytest.raises(PermissionDenied, match="only fill in"):
        world.services.submissions.save_draft(
            user,
            campaign_id=world.campaign.id,
            form_type="plan",
            data={},
            submission_id=others.id,
            expected_rev=others.rev,
        )
