"""Issue 9 §5, issue 15 §2: the batch check and the impact preview run the very check submit
runs (same corpus, same versions), over memory and TinyDB; an unchanged rule set shows no
change whatever the store holds; the report cache re-checks exactly what changed."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rules.engine import RULES_DIR
from rules.report import RuleResult
from storage.factory import open_repository
from tests.unit.workflow_world import YEAR, World, make_world
from workflow import check_runs, demo_data
from workflow.cli import main as workflow_cli
from workflow.errors import RulesFailed
from workflow.models import Campaign, Status, Submission

SHIPPED = (RULES_DIR / "plan_quality.yaml").read_text(encoding="utf-8")
PUBLISHABLE = SHIPPED.split("\ntests:\n", 1)[0] + "\n"  # its tests pin the shipped settings
BACKENDS = ["memory", "tinydb"]


@contextmanager
def world_on(backend: str) -> Iterator[tuple[World, str]]:
    """A fresh world over ``backend`` and the store's URL (for the CLI)."""
    with tempfile.TemporaryDirectory() as folder:
        url = "memory://" if backend == "memory" else f"tinydb:///{folder}/store.json"
        repo = open_repository(url)
        try:
            yield make_world(repo), url
        finally:
            repo.close()


def draft(world: World, i: int, data: dict[str, Any], campaign: Campaign | None = None) -> Any:
    campaign_id = (campaign or world.campaign).id
    return world.services.submissions.save_draft(
        world.staff[i], campaign_id=campaign_id, form_type="plan", data=data
    )


def submit(world: World, i: int, data: dict[str, Any], campaign: Campaign | None = None) -> Any:
    saved = draft(world, i, data, campaign)
    return world.services.submissions.submit(world.staff[i], saved.id, saved.rev)


def edit(world: World, i: int, sub: Submission, data: dict[str, Any]) -> Submission:
    """Branch ``i`` saves ``data`` over its draft or returned ``sub``."""
    return world.services.submissions.save_draft(
        world.staff[i],
        campaign_id=sub.campaign_id,
        form_type=sub.form_type,
        data=data,
        submission_id=sub.id,
        expected_rev=sub.rev,
    )


def resubmit(world: World, i: int, sub: Submission, data: dict[str, Any]) -> Submission:
    """Branch ``i`` saves ``data`` over its draft or returned ``sub`` and submits it."""
    saved = edit(world, i, sub, data)
    return world.services.submissions.submit(world.staff[i], saved.id, saved.rev)


def return_(world: World, sub: Submission) -> Submission:
    return world.services.submissions.return_(world.reviewer, sub.id, sub.rev, "请修改")


def previous_campaign(world: World) -> Campaign:
    return world.services.campaigns.create(world.admin, demo_data.campaign(YEAR - 1))


def impact_cli(capsys: pytest.CaptureFixture[str], url: str, rules: str | Path) -> str:
    assert workflow_cli(["impact", str(rules), "--db", url]) == 0
    return capsys.readouterr().out


# -- the impact preview ------------------------------------------------------------------------


def test_unchanged_rule_set_with_one_draft_plan_in_the_store_changes_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with world_on("tinydb") as (world, url):
        draft(world, 0, world.good_plan(0))
        out = impact_cli(capsys, url, RULES_DIR / "plan_quality.yaml")
        preview = world.services.batch_checks.preview_impact(world.admin, "plan_quality", SHIPPED)
    assert out.strip().splitlines() == ["重新检查了 0 份“plan”，0 份结果会改变"]
    assert preview == (0, [])


@pytest.mark.parametrize("backend", BACKENDS)
def test_impact_lists_submissions_whose_outcome_changes(
    backend: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stricter = tmp_path / "plan_quality.yaml"
    stricter.write_text(SHIPPED.replace("min_goals: 50", "min_goals: 60"), encoding="utf-8")
    with world_on(backend) as (world, url):
        submit(world, 0, world.good_plan(0))
        short = submit(
            world, 1, {**world.good_plan(1), "goals": "围绕校庆开展一岗一承诺活动，全年十次。" * 3}
        )
        draft(world, 2, {**world.good_plan(2), "goals": "短"})  # a draft is never listed
        out = impact_cli(capsys, url, stricter) if backend == "tinydb" else ""
        checked, rows = world.services.batch_checks.preview_impact(
            world.admin, "plan_quality", stricter.read_text(encoding="utf-8")
        )
    assert checked == 2
    assert [r.submission_id for r in rows] == [short.id]
    assert rows[0].before.decision == "pass" and rows[0].after.decision == "return"
    assert "goals_substantive" in rows[0].after.failing
    if backend == "tinydb":  # the CLI opens the store again, which a memory store is not
        assert out.splitlines()[-1] == "重新检查了 2 份“plan”，1 份结果会改变"
        assert out.splitlines()[0].startswith(short.id)


# Operations on branch ``i``'s plan of campaign ``c`` (0: this year, 1: the year before).
OPS = st.lists(
    st.tuples(
        st.sampled_from(["draft", "submit", "return", "resubmit", "approve", "copy"]),
        st.integers(0, 2),
        st.integers(0, 1),
    ),
    max_size=14,
)


def play(world: World, ops: list[tuple[str, int, int]]) -> None:
    """Apply ``ops``; an operation the workflow refuses (rules failed, wrong state) is skipped."""
    subs = world.services.submissions
    campaigns = [world.campaign, previous_campaign(world)]
    plans: dict[tuple[int, int], Submission] = {}
    for op, i, c in ops:
        sub = plans.get((i, c))
        data = {**world.good_plan(i), "requirements": f"第{c}年的要求：{op}{len(plans)}。" * 3}
        if op == "copy":  # another branch's features, a similarity problem (warning or error)
            data["features"] = world.good_plan((i + 1) % 3)["features"]
        try:
            if sub is None:
                plans[(i, c)] = draft(world, i, data, campaigns[c])
                if op in ("submit", "copy"):
                    saved = plans[(i, c)]
                    plans[(i, c)] = subs.submit(world.staff[i], saved.id, saved.rev)
            elif op == "return" and sub.status == Status.SUBMITTED:
                plans[(i, c)] = subs.return_(world.reviewer, sub.id, sub.rev, "请修改")
            elif op == "approve" and sub.status == Status.SUBMITTED:
                plans[(i, c)] = subs.approve(world.reviewer, sub.id, sub.rev)
            elif op in ("resubmit", "copy", "submit") and sub.status in (
                Status.DRAFT,
                Status.RETURNED,
            ):
                plans[(i, c)] = edit(world, i, sub, data)
                plans[(i, c)] = subs.submit(world.staff[i], plans[(i, c)].id, plans[(i, c)].rev)
        except RulesFailed:
            plans[(i, c)] = subs.get(world.staff[i], plans[(i, c)].id)


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=OPS)
def test_an_unchanged_rule_set_shows_no_change_and_no_draft_whatever_the_store_holds(
    backend: str, ops: list[tuple[str, int, int]]
) -> None:
    with world_on(backend) as (world, url):
        play(world, ops)
        batch = world.services.batch_checks
        everything = [
            s
            for c in world.services.campaigns.list()
            for s in world.services.submissions.list(world.admin, campaign_id=c.id)
        ]
        submitted = {s.id for s in everything if s.status != Status.DRAFT}
        checked, rows = batch.preview_impact(world.admin, "plan_quality", SHIPPED)
        assert (checked, rows) == (len(submitted), [])
        if backend == "tinydb":  # the command line reads every stored plan, drafts included
            out = io.StringIO()
            with redirect_stdout(out):
                assert workflow_cli(["impact", "plan_quality", "--db", url]) == 0
            assert out.getvalue() == f"重新检查了 {len(submitted)} 份“plan”，0 份结果会改变\n"
        # a draft that changes every outcome lists submitted forms only
        _, strict_rows = batch.preview_impact(
            world.admin, "plan_quality", SHIPPED.replace("min_goals: 50", "min_goals: 5000")
        )
        assert {r.submission_id for r in strict_rows} == submitted


@pytest.mark.parametrize("backend", BACKENDS)
def test_batch_check_of_the_last_submission_is_the_report_it_got_on_submit(backend: str) -> None:
    with world_on(backend) as (world, _):
        last_year = submit(world, 0, world.good_plan(0), previous_campaign(world))
        submit(world, 1, world.good_plan(1))
        world.services.submissions.return_(world.reviewer, last_year.id, last_year.rev, "退回")
        mine = submit(world, 0, world.good_plan(2))
        rows = world.services.batch_checks.check(
            world.reviewer, campaign_id=world.campaign.id, submission_id=mine.id
        )
    assert len(rows) == 1 and mine.report is not None
    fresh = rows[0].report.model_dump(mode="json", exclude={"checked_at"})
    stored = {k: v for k, v in mine.report.items() if k != "checked_at"}
    assert fresh == stored


# -- the same corpus as submit --------------------------------------------------------------------


def test_batch_check_compares_with_the_branchs_own_plan_of_the_previous_campaign() -> None:
    world = make_world()
    other_plan = {**demo_data.PLANS[3](YEAR - 1), "branch": world.branches[0].name}
    last_year = submit(world, 0, other_plan, previous_campaign(world))
    this_year = submit(world, 0, world.good_plan(0))

    def features_distinct() -> RuleResult:
        rows = world.services.batch_checks.check(
            world.reviewer, campaign_id=world.campaign.id, submission_id=this_year.id
        )
        return next(r for r in rows[0].report.results if r.rule == "features_distinct")

    first = features_distinct()
    assert first.passed and first.evidence is None
    # last year's plan is returned and resubmitted with this year's features
    copied = {**last_year.data, "features": this_year.data["features"]}
    resubmit(world, 0, return_(world, last_year), copied)
    # The branch's own earlier plan: continuity, a note for the reviewer rather than 没有特色;
    # the note shows that the cached result was not reused.
    again = features_distinct()
    assert again.passed and again.evidence is not None
    assert again.evidence["continuity"] == "true" and "视为延续" in again.message


def test_edits_of_a_returned_plan_are_not_checked_until_resubmitted() -> None:
    world = make_world()
    plan = submit(world, 0, world.good_plan(0))
    edit(world, 0, return_(world, plan), {**plan.data, "goals": "短"})
    rows = world.services.batch_checks.check(world.reviewer, campaign_id=world.campaign.id)
    assert [(r.submission.id, r.outcome) for r in rows] == [(plan.id, "pass")]
    checked, changed = world.services.batch_checks.preview_impact(
        world.admin, "plan_quality", SHIPPED
    )
    assert (checked, changed) == (1, [])


# -- the corpus is read once, and only when needed ----------------------------------------------


def counting_corpus_loads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    loads: list[tuple[str, str]] = []
    real: Callable[..., Any] = check_runs.load_corpus

    def counted(repo: Any, campaigns: Any, campaign_id: str, form_type: str, **kw: Any) -> Any:
        loads.append((campaign_id, form_type))
        return real(repo, campaigns, campaign_id, form_type, **kw)

    monkeypatch.setattr(check_runs, "load_corpus", counted)
    return loads


def study_session(world: World, i: int, topic: str) -> Submission:
    data = demo_data.study_sessions(YEAR, world.branches[i].model_dump())[0] | {"topic": topic}
    subs = world.services.submissions
    saved = subs.save_draft(
        world.staff[i], campaign_id=world.campaign.id, form_type="study_session", data=data
    )
    return subs.submit(world.staff[i], saved.id, saved.rev)


def test_a_stage_check_reads_each_corpus_once_and_none_for_rules_that_do_not_compare(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = make_world()
    for i in range(3):
        study_session(world, i, f"学习党章第{i}次")
    loads = counting_corpus_loads(monkeypatch)
    batch = world.services.batch_checks
    assert len(batch.check(world.reviewer, campaign_id=world.campaign.id, stage="launch")) == 3
    assert loads == []  # study_session has no similarity rule
    for i in range(3):
        world.submitted_plan(i)
    assert len(batch.check(world.reviewer, campaign_id=world.campaign.id, stage="launch")) == 6
    assert loads == [(world.campaign.id, "plan")]


# -- the cache -----------------------------------------------------------------------------------


def test_a_second_run_re_checks_nothing_and_a_resubmission_only_what_it_changes() -> None:
    world = make_world()
    sessions = [study_session(world, i, f"学习党章第{i}次") for i in range(3)]
    batch = world.services.batch_checks
    run = lambda: batch.check(world.reviewer, campaign_id=world.campaign.id, stage="launch")  # noqa: E731
    run()
    misses = batch.cache.misses
    assert [r.outcome for r in run()] == ["pass"] * 3  # sign-in sheets are only a warning
    assert batch.cache.misses == misses  # nothing re-checked
    first = sessions[0]
    resubmit(world, 0, return_(world, first), {**first.data, "attendees": 1})
    rows = run()
    assert batch.cache.misses == misses + 1  # only the resubmitted one
    low = {
        r.submission.id
        for r in rows
        for f in r.report.failures()
        if f.rule == "attendance_rate_low"
    }
    assert low == {first.id}


def test_a_newly_published_rule_set_version_re_checks_everything() -> None:
    world = make_world()
    for i in range(2):
        world.submitted_plan(i)
    batch = world.services.batch_checks
    before = batch.check(world.reviewer, campaign_id=world.campaign.id, stage="launch")
    assert [r.outcome for r in before] == ["pass", "pass"]
    rule_sets = world.services.rule_sets
    strict = PUBLISHABLE.replace("min_goals: 50", "min_goals: 5000")
    saved = rule_sets.save_draft(world.admin, "plan_quality", strict, base_rev=0)
    rule_sets.publish(world.admin, "plan_quality", base_rev=saved.rev)
    after = batch.check(world.reviewer, campaign_id=world.campaign.id, stage="launch")
    assert [r.outcome for r in after] == ["return", "return"]
    assert {r.report.hash for r in after} == {rule_sets.active("plan_quality").hash}


def test_another_branchs_changed_plan_re_checks_similarity() -> None:
    world = make_world()
    rule_sets = world.services.rule_sets
    # similarity as a warning, so a copied plan can be submitted at all
    lenient = PUBLISHABLE.replace(
        "  - id: features_distinct\n", "  - id: features_distinct\n    severity: warning\n"
    )
    assert lenient != PUBLISHABLE
    saved = rule_sets.save_draft(world.admin, "plan_quality", lenient, base_rev=0)
    rule_sets.publish(world.admin, "plan_quality", base_rev=saved.rev)
    mine = world.submitted_plan(0)
    batch = world.services.batch_checks

    def distinct() -> bool:
        rows = batch.check(world.reviewer, campaign_id=world.campaign.id, submission_id=mine.id)
        return next(r for r in rows[0].report.results if r.rule == "features_distinct").passed

    assert distinct()
    submit(world, 1, {**world.good_plan(1), "features": mine.data["features"]})
    assert not distinct()
