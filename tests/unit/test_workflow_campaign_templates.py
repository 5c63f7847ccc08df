"""Issue 16 point 3 for campaigns (从模板开始): a campaign starts from an earlier one or from
the shipped template and records the rule-set and form versions it uses; those are the versions
its forms are filled in and checked with, asked in one place (``rules_in_force`` for rules,
``SubmissionService.form_for`` for new forms); a version published later is taken up by the
current campaign while earlier ones keep theirs."""

from __future__ import annotations

from dataclasses import replace

import pytest

from forms.builder import BuilderField
from rules.engine import shipped_rulesets
from rules.simple_rules import SimpleRule
from tests.unit.workflow_world import World, make_world
from workflow.errors import PermissionDenied, RulesFailed
from workflow.models import Campaign

FORM = "service_log"
FIELDS = (BuilderField("content", "textarea", "服务内容"),)
TEXT = "为社区老人讲解防范电信诈骗知识"  # 15 characters: enough for 10, short of 50


@pytest.fixture
def world() -> World:
    return make_world()


def publish_form(world: World, fields: tuple[BuilderField, ...]) -> None:
    builder, admin = world.services.form_builder, world.admin
    if FORM in world.services.forms:
        form, rev = builder.open(admin, FORM)
    else:
        form, rev = builder.blank(admin, FORM, "服务记录", "launch"), 0
    check = builder.save_draft(admin, replace(form, fields=fields), base_rev=rev)
    builder.publish(admin, FORM, base_rev=check.rev)


def publish_rule(world: World, at_least: int) -> None:
    rules, admin = world.services.rule_builder, world.admin
    rule = SimpleRule("content_min_chars", "content", "min_chars", number=at_least)
    rules.save_rule(admin, FORM, rule, base_rev=rules.rules(admin, FORM).rev)
    rules.publish(admin, FORM, base_rev=rules.rules(admin, FORM).rev)


def pin(world: World, campaign: Campaign, **changes: object) -> Campaign:
    data = {**campaign.model_dump(mode="json"), **changes}
    return world.services.campaigns.update(world.admin, data, campaign.rev)


def submit(world: World, campaign: Campaign, text: str) -> None:
    subs, staff = world.services.submissions, world.staff[0]
    draft = subs.save_draft(staff, campaign_id=campaign.id, form_type=FORM, data={"content": text})
    subs.submit(staff, draft.id, draft.rev)


def test_the_shipped_template_records_the_shipped_files_and_forms(world: World) -> None:
    publish_form(world, FIELDS)  # an admin's form is no part of the template
    new = world.services.next_year.start_from(world.admin, 2027, "2027年先锋工程", None)
    assert new.rule_set_versions == {p.stem: 0 for p in shipped_rulesets()}
    assert new.form_versions["plan"] == world.services.forms.get("plan").form_version
    assert FORM not in new.form_versions
    assert new.previous_campaign_id is None and new.stage == "launch"
    assert sorted(new.branch_ids) == sorted(b.id for b in world.branches)
    assert str(new.stage_dates["launch"].start) == "2027-03-01"


def test_an_earlier_campaign_passes_on_its_settings_versions_and_branches(world: World) -> None:
    publish_form(world, FIELDS)
    publish_rule(world, 10)
    first = pin(
        world,
        world.campaign,
        branch_ids=[world.branches[1].id],
        rule_set_versions={FORM: 1},
        form_versions={FORM: 1},
        settings={**world.campaign.settings.model_dump(), "budget": 36000},
    )
    world.services.next_year.start_next(world.admin, 2027, "2027年先锋工程")  # a later one
    new = world.services.next_year.start_from(world.admin, 2028, "2028年先锋工程", first.id)
    assert new.previous_campaign_id == first.id and new.settings.budget == 36000
    assert new.branch_ids == [world.branches[1].id]
    assert (new.rule_set_versions[FORM], new.form_versions[FORM]) == (1, 1)
    assert new.rule_set_versions["plan_quality"] == 0  # not recorded: the one in force
    assert str(new.stage_dates["launch"].start) == "2028-03-01"


def test_forms_are_checked_and_filled_with_their_campaigns_versions(world: World) -> None:
    publish_form(world, FIELDS)
    publish_rule(world, 10)  # rule set version 1; the form's version 2 names it
    earlier = pin(world, world.campaign, rule_set_versions={FORM: 1}, form_versions={FORM: 2})
    current = world.services.next_year.start_next(world.admin, 2027, "2027年先锋工程")
    publish_rule(world, 50)  # version 2: the current campaign takes it up
    publish_form(world, (*FIELDS, BuilderField("place", "text", "服务地点")))  # form version 3
    now, then = world.services.campaigns.get(current.id), world.services.campaigns.get(earlier.id)
    assert (now.rule_set_versions[FORM], then.rule_set_versions[FORM]) == (2, 1)
    assert (now.form_versions[FORM], then.form_versions[FORM]) == (3, 2)

    submit(world, then, TEXT)  # checked with version 1: at least 10 characters
    with pytest.raises(RulesFailed):
        submit(world, now, TEXT)  # version 2: at least 50
    subs = world.services.submissions
    assert list(subs.form_for(then.id, FORM).model_fields) == ["content"]
    assert list(subs.form_for(now.id, FORM).model_fields) == ["content", "place"]
    (old,) = subs.list(world.staff[0], campaign_id=then.id, form_type=FORM)
    assert (old.form_version, old.status) == (2, "submitted")


def test_a_campaign_recording_nothing_uses_what_is_in_force(world: World) -> None:
    publish_form(world, FIELDS)
    publish_rule(world, 10)
    publish_rule(world, 50)
    with pytest.raises(RulesFailed):
        submit(world, world.campaign, TEXT)


def test_versions_kept_for_reference_before_pin_nothing() -> None:
    legacy = {"year": 2025, "title": "往期", "rule_set_versions": {"plan_quality": "2025.3 · ab"}}
    assert Campaign.model_validate(legacy).rule_set_versions == {}


def test_only_admins_start_a_campaign_from_a_template(world: World) -> None:
    for actor in (world.reviewer, world.staff[0], world.reader):
        with pytest.raises(PermissionDenied):
            world.services.next_year.start_from(actor, 2027, "2027年先锋工程", None)
    assert len(world.services.campaigns.list()) == 1
