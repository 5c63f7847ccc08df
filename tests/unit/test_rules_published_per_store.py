"""Issue 5 §7: a version an admin publishes takes effect in its own store only, and every stored
check result names the version and hash it ran under."""

from __future__ import annotations

from rules.engine import load_ruleset, resolve_path
from tests.unit.workflow_world import make_world


def test_published_version_applies_to_its_own_store_and_not_to_another_in_the_process() -> None:
    published_world, other_world = make_world(), make_world()
    shipped = load_ruleset("plan_quality")
    text = resolve_path("plan_quality").read_text(encoding="utf-8")
    line = f'version: "{shipped.version}"'
    stricter = text.replace(line, 'version: "2099.1"').replace(
        "min_activity_forms: 2", "min_activity_forms: 3"
    )
    rule_sets = published_world.services.rule_sets
    saved = rule_sets.save_draft(published_world.admin, "plan_quality", stricter, base_rev=0)
    assert saved.publishable
    assert rule_sets.publish(published_world.admin, "plan_quality", base_rev=saved.rev) == 1
    stamp = rule_sets.versions("plan_quality")[0]

    under_published = published_world.submitted_plan(1)
    under_shipped = other_world.submitted_plan(1)

    assert under_published.report is not None and under_shipped.report is not None
    assert (under_published.report["version"], under_published.report["hash"]) == (
        "2099.1",
        stamp["hash"],
    )
    assert (under_shipped.report["version"], under_shipped.report["hash"]) == (
        shipped.version,
        shipped.hash,
    )
    assert stamp["hash"] != shipped.hash
    # the snapshot of the submitted version keeps the same stamp as the submission
    assert under_published.versions[-1].report == under_published.report
    assert other_world.services.rule_sets.versions("plan_quality") == []
