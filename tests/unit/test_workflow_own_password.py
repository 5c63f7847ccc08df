"""Accounts people can run (issue 10 point 8): a user changes their own password with the
current one, the policy in one place says which are refused and how strong the rest are, the
other sessions of the account end, and generated passwords read without look-alikes."""

from __future__ import annotations

import pytest

from tests.unit.workflow_world import PASSWORD, World, make_world
from workflow.errors import ValidationFailed
from workflow.passwords import (
    READABLE_ALPHABET,
    password_problem,
    policy,
    readable_password,
    strength,
)
from workflow.sessions import KIND
from workflow.setup import new_password

NEW = "Quiet-Lantern-42"


@pytest.fixture
def world() -> World:
    return make_world()


def _sessions(world: World, login: str) -> list[str]:
    return sorted(str(d["id"]) for d in world.repo.find(KIND, {"user_id": login}))


def test_changing_ones_password_ends_the_other_sessions_and_keeps_this_one(world: World) -> None:
    me = world.staff[0]
    here = world.services.sessions.begin(me).session_id
    elsewhere = world.services.sessions.begin(me).session_id
    others = world.services.sessions.begin(world.staff[1]).session_id

    changed = world.services.accounts.change_own_password(me, PASSWORD, NEW, keep_session=here)

    assert _sessions(world, me.login) == [here]
    assert elsewhere not in _sessions(world, me.login)
    assert _sessions(world, world.staff[1].login) == [others]  # nobody else's
    assert changed.password_hash == ""
    assert world.services.accounts.authenticate(me.login, NEW).login == me.login
    with pytest.raises(Exception, match="用户名或密码错误"):
        world.services.accounts.authenticate(me.login, PASSWORD)
    world.services.accounts.acting(changed)  # the kept browser carries on with the new epoch


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        ("", NEW, "old_password", "请输入当前密码"),
        ("wrong-password-7", NEW, "old_password", "当前密码不正确"),
        (PASSWORD, "short", "new_password", "至少需要 10 个字符"),
        (PASSWORD, "password2026", "new_password", "常见密码"),
        (PASSWORD, "xxbranch1xx-9", "new_password", "不能包含登录名"),
        (PASSWORD, PASSWORD, "new_password", "不能与当前密码相同"),
    ],
)
def test_a_refused_change_names_the_field_and_changes_nothing(
    world: World, old: str, new: str, field: str, words: str
) -> None:
    me = world.staff[0]
    session = world.services.sessions.begin(me).session_id
    before = world.repo.get("users", me.login)
    with pytest.raises(ValidationFailed) as refused:
        world.services.accounts.change_own_password(me, old, new, keep_session=None)
    assert list(refused.value.errors) == [field]
    assert words in refused.value.errors[field]
    assert world.repo.get("users", me.login) == before
    assert _sessions(world, me.login) == [session]


def test_guessing_the_current_password_is_throttled_like_a_sign_in(world: World) -> None:
    me = world.staff[0]
    for _ in range(world.services.accounts.guard.free["login"]):
        with pytest.raises(ValidationFailed):
            world.services.accounts.change_own_password(me, "wrong-password-7", NEW)
    with pytest.raises(ValidationFailed) as refused:  # even the right one must wait now
        world.services.accounts.change_own_password(me, PASSWORD, NEW)
    assert "秒后再试" in refused.value.errors["old_password"]


def test_an_admin_changing_a_role_ends_that_accounts_sessions(world: World) -> None:
    staff = world.staff[0]
    world.services.sessions.begin(staff)
    account = world.services.accounts.get_user(world.admin, staff.login)
    world.services.accounts.update_user(
        world.admin, account.model_copy(update={"branch_id": world.branches[1].id}), account.rev
    )
    assert _sessions(world, staff.login) == []


def test_strength_follows_the_policy_then_length_and_kinds_of_characters() -> None:
    assert strength("password2026", "zhang").level == 0
    assert strength("password2026", "zhang").problem == password_problem("password2026", "zhang")
    assert strength("quietlantern", "zhang").level == 1
    assert strength("Quiet-Lantern4", "zhang").level == 2
    assert strength("Quiet-Lantern-Forty2", "zhang").level == 3
    assert "10" in policy("zh") and "10" in policy("en")


def test_generated_passwords_have_no_look_alikes_and_pass_the_policy() -> None:
    look_alikes = set("0Oo1lIi")
    assert not look_alikes & set(READABLE_ALPHABET)
    for _ in range(200):
        password = new_password()
        assert not look_alikes & set(password), password
        assert password_problem(password, "branch1") is None
        assert len(password) == 14 and password.count("-") == 2
    assert len({readable_password() for _ in range(50)}) == 50
