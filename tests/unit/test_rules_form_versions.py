"""Rule sets check each submission against the form version it was filled in.

A rule set is type-checked against a form's fields; when a YAML form's version 2 renames a
field, a version-1 submission is checked with the rule set compiled against version 1. A rule
set that does not type-check against a submission's version gives one clear rule-set-level
warning (it does not fit version N; check by hand) instead of crashing or blaming the branch.
"""

from __future__ import annotations

import pytest

from forms.registry import FormRegistry
from forms.yaml_definitions import load_text
from rules import engine
from rules.errors import RuleLoadError
from tests.unit.workflow_world import World, make_world
from workflow.errors import RulesFailed
from workflow.models import Status, Submission

FORM = """\
form_type: club_minutes
form_version: {version}
title: {{zh: 支部会议记录, en: Branch meeting minutes}}
stage: launch
ruleset: club_minutes
fields:
  - name: {field}
    type: text
    label: {{zh: {label}, en: Topic}}
    required: true
  - name: attendees
    type: int
    label: {{zh: 到会人数, en: Attendees}}
    ge: 0
"""

RULES = """\
name: club_minutes
form: club_minutes
version: "{version}"
rules:
  - id: topic_named
    expression: {field}.length >= 4
    fields: [{field}]
    message:
      zh: "议题太短：请写明本次会议研究的事项。"
      en: "The topic is too short: say what the meeting discussed."
"""

ATTENDANCE = """\
name: club_minutes
form: club_minutes
version: "1.1"
rules:
  - id: enough_attendees
    expression: (attendees ?? 0) >= 3
    fields: [attendees]
    message:
      zh: "到会人数不足 3 人。"
      en: "Fewer than 3 attendees."
"""


def _register(registry: FormRegistry, version: int, field: str, label: str) -> None:
    registry.register(load_text(FORM.format(version=version, field=field, label=label)))


def _publish(world: World, version: str, field: str) -> None:
    rule_sets = world.services.rule_sets
    check = rule_sets.save_draft(
        world.admin,
        "club_minutes",
        RULES.format(version=version, field=field),
        base_rev=rule_sets.draft_rev("club_minutes"),
    )
    assert check.publishable, check.problems
    rule_sets.publish(world.admin, "club_minutes", base_rev=check.rev)


def _draft(world: World, data: dict[str, object]) -> Submission:
    return world.services.submissions.save_draft(
        world.staff[0], campaign_id=world.campaign.id, form_type="club_minutes", data=data
    )


def _submit(world: World, draft: Submission) -> Submission:
    return world.services.submissions.submit(world.staff[0], draft.id, draft.rev)


def test_version_1_submission_is_checked_by_rules_written_for_version_1_after_v2_renamed() -> None:
    world = make_world()
    _register(world.services.forms, 1, "topic", "议题")
    _publish(world, "1", "topic")
    good, short = _draft(world, {"topic": "学习党章和党规"}), _draft(world, {"topic": "学习"})
    _register(world.services.forms, 2, "subject", "会议事项")  # v2 renames the field the rules read

    submitted = _submit(world, good)
    assert submitted.status == Status.SUBMITTED and submitted.form_version == 1
    assert submitted.report is not None
    assert [(r["rule"], r["passed"]) for r in submitted.report["results"]] == [
        ("topic_named", True)
    ]
    with pytest.raises(RulesFailed) as refused:  # the rules really ran on version 1's fields
        _submit(world, short)
    assert [r.rule for r in refused.value.report.failures()] == ["topic_named"]


def test_a_rule_set_that_does_not_fit_the_version_gives_one_clear_rule_set_warning() -> None:
    world = make_world()
    _register(world.services.forms, 1, "topic", "议题")
    _publish(world, "1", "topic")
    _register(world.services.forms, 2, "subject", "会议事项")
    draft = _draft(world, {"subject": "推进窗口创优"})
    assert draft.form_version == 2

    preview = world.services.submissions.preview_report(
        world.staff[0], draft.id, "club_minutes", draft.data, world.campaign.id
    )
    assert preview is not None
    (result,) = preview.results
    assert (result.rule, result.severity, result.passed) == (
        "ruleset.form_version",
        "warning",
        False,
    )
    assert "第 2 版" in result.message and "club_minutes" in result.message
    assert "topic" in result.message  # what does not fit
    assert "version 2" in result.message_en
    assert (preview.ruleset, preview.version, preview.decision) == ("club_minutes", "1", "pass")
    assert preview.hash == world.services.rule_sets.versions("club_minutes")[0]["hash"]

    submitted = _submit(world, draft)  # the branch cannot fix the rule set: not blocked
    assert submitted.status == Status.SUBMITTED
    assert submitted.report is not None
    assert submitted.report["results"][0]["rule"] == "ruleset.form_version"


def test_rules_written_for_version_2_do_not_fit_an_old_version_1_submission() -> None:
    world = make_world()
    _register(world.services.forms, 1, "topic", "议题")
    old = _draft(world, {"topic": "学习党章和党规"})
    _register(world.services.forms, 2, "subject", "会议事项")
    _publish(world, "2", "subject")
    report = world.services.submissions.preview_report(
        world.staff[0], old.id, "club_minutes", old.data, world.campaign.id
    )
    assert report is not None
    assert [(r.rule, r.severity) for r in report.results] == [("ruleset.form_version", "warning")]
    assert "第 1 版" in report.results[0].message
    fresh = _draft(world, {"subject": "推进"})
    failed = world.services.submissions.preview_report(
        world.staff[0], fresh.id, "club_minutes", fresh.data, world.campaign.id
    )
    assert failed is not None and [r.rule for r in failed.failures()] == ["topic_named"]


def test_batch_checks_and_impact_preview_take_each_submissions_version() -> None:
    world = make_world()
    _register(world.services.forms, 1, "topic", "议题")
    _publish(world, "1", "topic")
    old = _submit(world, _draft(world, {"topic": "学习党章和党规", "attendees": 2}))
    _register(world.services.forms, 2, "subject", "会议事项")
    new = _submit(world, _draft(world, {"subject": "推进窗口创优", "attendees": 5}))

    rows = world.services.batch_checks.check(
        world.reviewer, campaign_id=world.campaign.id, stage="launch"
    )
    by_version = {
        row.submission.form_version: [r.rule for r in row.report.results]
        for row in rows
        if row.submission.form_type == "club_minutes"
    }
    assert by_version == {1: ["topic_named"], 2: ["ruleset.form_version"]}

    # A candidate over a field both versions have fits both: each is checked with its own.
    checked, changed = world.services.batch_checks.preview_impact(
        world.admin, "club_minutes", ATTENDANCE
    )
    assert checked == 2
    after = {row.submission_id: row.after.failing for row in changed}
    assert after == {old.id: ("enough_attendees",), new.id: ()}


def test_engine_compiles_one_text_per_form_version_and_says_which_version_does_not_fit() -> None:
    registry = FormRegistry.with_shipped()
    _register(registry, 1, "topic", "议题")
    _register(registry, 2, "subject", "会议事项")
    text = RULES.format(version="1", field="topic")
    for_v1 = engine.load_text(text, "club_minutes.yaml", form_version=1, forms=registry)
    assert for_v1.model is registry.get("club_minutes", 1)
    assert engine.load_text(text, "club_minutes.yaml", form_version=1, forms=registry) is for_v1
    with pytest.raises(RuleLoadError, match="topic"):
        engine.load_text(text, "club_minutes.yaml", forms=registry)  # the current version is 2
    report = engine.check_version(
        text, "club_minutes.yaml", {"subject": "x"}, form_version=2, forms=registry
    )
    assert [r.rule for r in report.results] == ["ruleset.form_version"]
