"""Spot-checks (S3): reproducible from the recorded seed; ratio or count; clear when empty."""

from __future__ import annotations

import pytest

from tests.unit.workflow_world import World, make_world
from workflow.errors import NothingToDraw, PermissionDenied, ValidationFailed
from workflow.models import Role
from workflow.spot_check import draw_sample, sample_size


def world_with_plans(n: int) -> tuple[World, list[str]]:
    """A world with ``n`` (≤ 4) submitted plans, one per branch."""
    world = make_world()
    ids = []
    for i in range(n):
        if i >= len(world.branches):
            branch = world.services.branches.create(
                world.admin, {"name": f"第{i}党支部", "member_count": 8}
            )
            staff = world.services.accounts.create_user(
                world.admin,
                login=f"extra{i}",
                display_name="x",
                role=Role.BRANCH,
                password="correct-horse-2",
                branch_id=branch.id,
            )
            world.branches.append(branch)
            world.staff.append(staff)
        ids.append(world.submitted_plan(i).id)
    return world, sorted(ids)


def test_same_seed_draws_the_same_sample_and_reproduce_proves_it() -> None:
    world, ids = world_with_plans(4)
    checks = world.services.spot_checks
    first = checks.draw(world.reviewer, campaign_id=world.campaign.id, count=2)
    assert draw_sample(ids, 2, first.seed) == first.sample
    assert first.population == ids and set(first.sample) <= set(ids)
    assert checks.reproduce(world.reader, first.id) == first.sample
    assert (first.count, first.drawn_by) == (2, "reviewer")
    stored = world.repo.get("spot_checks", first.id)
    assert stored is not None and stored["sample"] == first.sample


def test_different_seeds_draw_different_samples_somewhere() -> None:
    population = [f"id{i:02d}" for i in range(20)]
    samples = {tuple(draw_sample(population, 5, seed)) for seed in range(10)}
    assert len(samples) > 1


def test_seed_is_generated_and_recorded_when_not_given() -> None:
    world, _ = world_with_plans(3)
    check = world.services.spot_checks.draw(world.reviewer, campaign_id=world.campaign.id, count=1)
    assert 0 <= check.seed < 2**32
    assert world.services.spot_checks.reproduce(world.reviewer, check.id) == check.sample


def test_ratio_rounds_up_and_campaign_ratio_is_the_default() -> None:
    assert sample_size(10, 0.3) == 3
    assert sample_size(7, 0.3) == 3
    assert sample_size(1, 0.1) == 1
    world, _ = world_with_plans(4)
    checks = world.services.spot_checks
    by_ratio = checks.draw(world.reviewer, campaign_id=world.campaign.id, ratio=0.5)
    assert (by_ratio.size, by_ratio.ratio, by_ratio.count) == (2, 0.5, None)
    default = checks.draw(world.reviewer, campaign_id=world.campaign.id)
    assert default.ratio == world.campaign.settings.spot_check_ratio
    assert default.size == 2  # ceil(0.3 × 4)
    assert checks.draw(world.reviewer, campaign_id=world.campaign.id, ratio=1).sample != []
    assert len(checks.list(world.admin, world.campaign.id)) == 3


def test_ratio_and_count_out_of_range_or_both_are_refused() -> None:
    world, _ = world_with_plans(2)
    checks = world.services.spot_checks
    for kwargs in ({"ratio": 0}, {"ratio": 1.5}, {"count": 0}, {"count": 3}):
        with pytest.raises(ValidationFailed):
            checks.draw(world.reviewer, campaign_id=world.campaign.id, **kwargs)
    with pytest.raises(ValidationFailed, match="只能填写一项"):
        checks.draw(world.reviewer, campaign_id=world.campaign.id, ratio=0.5, count=1)


def test_empty_population_gives_a_clear_message() -> None:
    world = make_world()
    world.services.submissions.save_draft(
        world.staff[0], campaign_id=world.campaign.id, form_type="plan", data=world.good_plan(0)
    )
    with pytest.raises(NothingToDraw, match="还没有已提交的实施方案"):
        world.services.spot_checks.draw(world.reviewer, campaign_id=world.campaign.id)


def test_population_includes_returned_and_approved_but_not_drafts() -> None:
    world, ids = world_with_plans(3)
    subs = world.services.submissions
    first = subs.get(world.reviewer, ids[0])
    subs.return_(world.reviewer, first.id, first.rev, reasons="请修改")
    second = subs.get(world.reviewer, ids[1])
    subs.approve(world.reviewer, second.id, second.rev)
    check = world.services.spot_checks.draw(world.reviewer, campaign_id=world.campaign.id, ratio=1)
    assert check.population == ids


def test_only_reviewers_draw() -> None:
    world, _ = world_with_plans(1)
    for actor in (world.admin, world.staff[0], world.reader):
        with pytest.raises(PermissionDenied):
            world.services.spot_checks.draw(actor, campaign_id=world.campaign.id)
    with pytest.raises(PermissionDenied):
        world.services.spot_checks.list(world.staff[0], world.campaign.id)
