"""Hostile content in forms: characters a store cannot hold and values nested thousands deep.

Before the fix NUL was kept by TinyDB and failed on PostgreSQL ("请稍后重试"), a lone surrogate
gave a vague error, and 2,000-level nesting crashed ``save_draft`` with a raw ValueError. Now
each is refused at the field, with the same message on every backend, and nothing is stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.storable import MAX_DEPTH
from forms.registry import default_registry
from forms.validation import validate
from storage.base import Repository
from tests.security.test_backup import BACKENDS, fresh_store
from tests.unit.workflow_world import World, make_world
from workflow.errors import ValidationFailed


def _nested(depth: int, leaf: Any = "x") -> Any:
    value = leaf
    for i in range(depth):
        value = [value] if i % 2 else {"k": value}
    return value


HOSTILE = {
    "nul": ("目标\x00明确", "第 3 个字符（U+0000）"),
    "lone-surrogate": ("目标\udc80", "第 3 个字符（U+DC80）"),
    "nested-2000": (_nested(2000), f"嵌套超过 {MAX_DEPTH} 层"),
    "nested-100000": (_nested(100_000), f"嵌套超过 {MAX_DEPTH} 层"),
}


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Repository]:
    if request.param == "postgres":
        request.getfixturevalue("pg_url")
    with fresh_store(request.param, tmp_path) as repo:
        yield repo


def _refusal(world: World, field: str, value: Any) -> dict[str, str]:
    data = {**world.good_plan(0), field: value}
    with pytest.raises(ValidationFailed) as info:
        world.services.submissions.save_draft(
            world.staff[0], campaign_id=world.campaign.id, form_type="plan", data=data
        )
    assert world.repo.find("submissions") == [], "a refused draft was stored"
    return info.value.errors


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_save_draft_refuses_at_the_field_on_every_backend(store: Repository, case: str) -> None:
    value, message = HOSTILE[case]
    errors = _refusal(make_world(store), "goals", value)
    assert list(errors) == ["goals"]
    assert errors["goals"].startswith("「指导思想与目标」") and message in errors["goals"]


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_the_refusal_is_the_same_on_every_backend(tmp_path: Path, case: str) -> None:
    value = HOSTILE[case][0]
    messages = []
    for backend in ("memory", "tinydb"):
        with fresh_store(backend, tmp_path) as repo:
            messages.append(_refusal(make_world(repo), "goals", value))
    assert messages[0] == messages[1]


def test_a_key_the_form_does_not_have_is_checked_too(store: Repository) -> None:
    errors = _refusal(make_world(store), "备注\x00", "x")
    assert list(errors) == ["备注\x00"] and "U+0000" in errors["备注\x00"]


def test_a_row_field_is_named_with_its_row(store: Repository) -> None:
    world = make_world(store)
    items = world.good_plan(0)["items"]
    items[1]["owner"] = "张\ud83d"
    errors = _refusal(world, "items", items)
    assert errors == {
        "items.1.owner": "「主要内容」第 2 项的「责任人」第 2 个字符（U+D83D）"
        "是无法保存的控制字符或残缺字符，请删除后再保存"
    }


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_validate_answers_with_a_field_error_not_an_exception(case: str) -> None:
    world = make_world()
    instance, errors = validate(
        default_registry().get("plan"), {**world.good_plan(0), "title": HOSTILE[case][0]}
    )
    assert instance is None and list(errors) == ["title"]


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_the_live_check_and_submit_refuse_without_storing(case: str) -> None:
    world = make_world()
    subs = world.services.submissions
    draft = subs.save_draft(
        world.staff[0], campaign_id=world.campaign.id, form_type="plan", data=world.good_plan(0)
    )
    bad = {**world.good_plan(0), "features": HOSTILE[case][0]}
    with pytest.raises(ValidationFailed) as info:
        subs.preview_report(world.staff[0], draft.id, "plan", bad, world.campaign.id)
    assert list(info.value.errors) == ["features"]
    with pytest.raises(ValidationFailed):
        subs.save_draft(
            world.staff[0],
            campaign_id=world.campaign.id,
            form_type="plan",
            data=bad,
            submission_id=draft.id,
            expected_rev=draft.rev,
        )
    assert subs.get(world.staff[0], draft.id).rev == draft.rev


def test_a_reviewers_reasons_and_an_admins_texts_are_refused_at_their_field() -> None:
    world = make_world()
    submitted = world.submitted_plan(0)
    subs = world.services.submissions
    with pytest.raises(ValidationFailed) as info:
        subs.return_(world.reviewer, submitted.id, submitted.rev, "请修改\x00", {})
    assert list(info.value.errors) == ["reasons"]
    with pytest.raises(ValidationFailed) as info:
        subs.return_(world.reviewer, submitted.id, submitted.rev, "请修改", {"goals": "\ud800"})
    assert list(info.value.errors) == ["goals"]
    assert subs.get(world.reviewer, submitted.id).rev == submitted.rev
    with pytest.raises(ValidationFailed) as info:
        world.services.rule_sets.save_draft(world.admin, "plan_quality", "name: x\x00", base_rev=0)
    assert list(info.value.errors) == ["text"] and "规则文件" in info.value.errors["text"]
    branch = world.services.branches.get(world.branches[1].id)
    with pytest.raises(ValidationFailed) as info:
        world.services.branches.update(
            world.admin, branch.model_copy(update={"secretary": "张\x00三"}), branch.rev
        )
    assert list(info.value.errors) == ["secretary"]
    plan = {**world.good_plan(1), "title": float("nan")}
    instance, errors = validate(default_registry().get("plan"), plan)
    assert instance is None and list(errors) == ["title"] and "数字" in errors["title"]
