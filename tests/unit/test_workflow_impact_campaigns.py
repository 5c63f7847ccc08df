"""Issue 15 §1–2: the impact preview of a rule-set draft re-checks the forms the draft would
check once published — the current campaign's and those of campaigns recording no version of
the rule set — not every year's: campaigns started from the year before record their versions
and keep them, so the preview reads no more of the store with ten such years than with two."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from rules.engine import RULES_DIR
from tests.unit.workflow_world import YEAR, World, make_world
from workflow import demo_data
from workflow.models import Campaign, Submission

SHIPPED = (RULES_DIR / "plan_quality.yaml").read_text(encoding="utf-8")
STRICT = SHIPPED.replace("min_goals: 50", "min_goals: 5000")  # every plan's outcome changes
PUBLISHABLE = STRICT.split("\ntests:\n", 1)[0] + "\n"


def plan_in(world: World, i: int, campaign: Campaign) -> Submission:
    """Branch ``i``'s plan of ``campaign``, submitted."""
    subs = world.services.submissions
    saved = subs.save_draft(
        world.staff[i], campaign_id=campaign.id, form_type="plan", data=world.good_plan(i)
    )
    return subs.submit(world.staff[i], saved.id, saved.rev)


def started_years(world: World, count: int) -> list[Campaign]:
    """``count`` campaigns after the world's, each started from the year before (so each
    records the rule-set versions it uses), every branch with a submitted plan; the last is
    the current one."""
    started: list[Campaign] = []
    source: str | None = None
    for n in range(count):
        year = YEAR + 1 + n
        title = demo_data.campaign(year)["title"]
        campaign = world.services.next_year.start_from(world.admin, year, title, source)
        source = campaign.id
        started.append(campaign)
        for i in range(3):
            plan_in(world, i, campaign)
    return started


def reads_of_submissions(world: World, monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """From now on, how many submission documents (whole or in part) the store hands out, by
    campaign."""
    repo, read = world.repo, Counter[str]()
    find, get = repo.find, repo.get

    def counted_find(
        kind: str, where: Mapping[str, Any] | None = None, *, fields: Sequence[str] | None = None
    ) -> list[dict[str, Any]]:
        docs = find(kind, where, fields=fields)
        if kind == "submissions":
            read.update(str(d.get("campaign_id", (where or {}).get("campaign_id"))) for d in docs)
        return docs

    def counted_get(kind: str, id: str) -> dict[str, Any] | None:
        doc = get(kind, id)
        if kind == "submissions" and doc is not None:
            read[str(doc.get("campaign_id"))] += 1
        return doc

    monkeypatch.setattr(repo, "find", counted_find)
    monkeypatch.setattr(repo, "get", counted_get)
    return read


def test_the_preview_checks_the_current_campaign_and_those_recording_no_version() -> None:
    world = make_world()  # its campaign was created without recording any version
    legacy = plan_in(world, 0, world.campaign)
    *past, current = started_years(world, 3)
    rows_of = lambda: world.services.batch_checks.preview_impact(  # noqa: E731
        world.admin, "plan_quality", STRICT
    )
    checked, rows = rows_of()
    assert checked == 4
    assert {r.submission_id for r in rows} == {legacy.id} | {
        s.id for s in world.services.submissions.list(world.admin, campaign_id=current.id)
    }
    assert not {r.campaign_id for r in rows} & {c.id for c in past}
    # Published, the draft checks exactly those: the past years keep the version they record.
    rule_sets = world.services.rule_sets
    saved = rule_sets.save_draft(world.admin, "plan_quality", PUBLISHABLE, base_rev=0)
    rule_sets.publish(world.admin, "plan_quality", base_rev=saved.rev)
    batch = world.services.batch_checks
    for campaign, outcome in [(world.campaign, "return"), (past[0], "pass"), (current, "return")]:
        found = batch.check(world.reviewer, campaign_id=campaign.id, stage="launch")
        assert {r.outcome for r in found if r.submission.form_type == "plan"} == {outcome}


def preview_reads(years: int, monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    world = make_world()
    started_years(world, years)
    read = reads_of_submissions(world, monkeypatch)
    checked, _ = world.services.batch_checks.preview_impact(world.admin, "plan_quality", STRICT)
    assert checked == 3  # the current campaign's three plans
    return read


def test_the_preview_reads_no_more_of_the_store_with_ten_years_than_with_two(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    two = preview_reads(2, monkeypatch)
    ten = preview_reads(10, monkeypatch)
    # The current campaign's plans, and the year before's for similarity (continuity).
    assert sorted(two.values()) == sorted(ten.values())
    assert len(ten) == 2
