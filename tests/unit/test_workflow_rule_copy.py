"""Issue 16 point 3 for rules: a form's rule set starts from the simple rules of another rule
set's published version (of this or an earlier campaign) or a shipped file — the ticked ones
that fit the form go into its draft, which still needs its tests, the impact preview and
publishing; a rule the draft already holds is refused by name with the fix."""

from __future__ import annotations

from dataclasses import replace

import pytest

from forms.builder import BuilderField
from rules.simple_rules import SimpleRule
from tests.unit.workflow_world import World, make_world
from workflow.errors import DomainError, PermissionDenied
from workflow.rule_builder import RuleSource

SOURCE, TARGET = "service_log", "volunteer_log"
FIELDS = (
    BuilderField("place", "text", "服务地点"),
    BuilderField("content", "textarea", "服务内容"),
    BuilderField("hours", "float", "服务时长"),
)


def build(world: World, form_type: str, title: str, fields: tuple[BuilderField, ...]) -> None:
    builder, admin = world.services.form_builder, world.admin
    form = replace(builder.blank(admin, form_type, title, "launch"), fields=fields)
    check = builder.save_draft(admin, form, base_rev=0)
    builder.publish(admin, form_type, base_rev=check.rev)


def rule(field: str, condition: str, number: float | None = None) -> SimpleRule:
    return SimpleRule(f"{field}_{condition}", field, condition, number=number)


@pytest.fixture
def world() -> World:
    world = make_world()
    rules, admin = world.services.rule_builder, world.admin
    build(world, SOURCE, "服务记录", FIELDS)
    for simple in (rule("content", "min_chars", 10), rule("place", "required")):
        rules.save_rule(admin, SOURCE, simple, base_rev=rules.rules(admin, SOURCE).rev)
    rules.publish(admin, SOURCE, base_rev=rules.rules(admin, SOURCE).rev)  # version 1
    build(world, TARGET, "志愿服务记录", FIELDS[1:])  # no 服务地点
    return world


def source(number: int = 1) -> RuleSource:
    return RuleSource(SOURCE, number, "")


def test_sources_are_every_published_version_and_the_shipped_files(world: World) -> None:
    found = {(s.name, s.number) for s in world.services.rule_builder.copy_sources(world.admin)}
    assert (SOURCE, 1) in found
    assert ("theme_activity", 0) in found and ("demo_site", 0) in found


def test_only_rules_whose_field_the_form_has_are_offered(world: World) -> None:
    choice = world.services.rule_builder.copy_choice(world.admin, TARGET, source())
    assert [r.id for r in choice.fitting] == ["content_min_chars"]
    assert choice.not_fitting == ("place_required",)


def test_ticked_rules_go_into_the_draft_which_still_needs_publishing(world: World) -> None:
    rules, admin = world.services.rule_builder, world.admin
    check = rules.copy_rules(admin, TARGET, source(), ["content_min_chars"], base_rev=0)
    assert check.publishable
    assert [r.id for r in rules.rules(admin, TARGET).simple] == ["content_min_chars"]
    copied = rules.rules(admin, TARGET).simple[0]
    assert (copied.field, copied.number) == ("content", 10)
    assert world.services.rule_sets.versions(TARGET) == []  # not in force until published
    number, _ = rules.publish(admin, TARGET, base_rev=rules.rules(admin, TARGET).rev)
    assert number == 1


def test_an_earlier_published_version_is_copied_as_it_was(world: World) -> None:
    rules, admin = world.services.rule_builder, world.admin
    rules.remove_rule(admin, SOURCE, "content_min_chars", base_rev=rules.rules(admin, SOURCE).rev)
    rules.publish(admin, SOURCE, base_rev=rules.rules(admin, SOURCE).rev)  # version 2
    assert rules.copy_choice(admin, TARGET, source(2)).fitting == ()
    assert [r.id for r in rules.copy_choice(admin, TARGET, source(1)).fitting] == [
        "content_min_chars"
    ]


def test_a_rule_the_draft_already_holds_is_refused_by_name(world: World) -> None:
    rules, admin = world.services.rule_builder, world.admin
    rules.save_rule(admin, TARGET, rule("content", "min_chars", 50), base_rev=0)
    before = rules.rules(admin, TARGET)
    with pytest.raises(DomainError) as refused:
        rules.copy_rules(admin, TARGET, source(), ["content_min_chars"], base_rev=before.rev)
    message = refused.value.message("zh")
    assert "content_min_chars" in message and "删去草稿里的同名规则" in message
    after = rules.rules(admin, TARGET)
    assert (after.rev, after.simple[0].number) == (before.rev, 50)  # nothing changed


def test_a_rule_not_offered_or_nothing_ticked_is_refused(world: World) -> None:
    rules, admin = world.services.rule_builder, world.admin
    for ids in (["place_required"], []):
        with pytest.raises(DomainError) as refused:
            rules.copy_rules(admin, TARGET, source(), ids, base_rev=0)
        assert "请重新勾选" in refused.value.message("zh")
    assert rules.rules(admin, TARGET).rev == 0


def test_only_admins_copy_rules(world: World) -> None:
    rules = world.services.rule_builder
    for actor in (world.reviewer, world.staff[0], world.reader):
        with pytest.raises(PermissionDenied):
            rules.copy_rules(actor, TARGET, source(), ["content_min_chars"], base_rev=0)
        with pytest.raises(PermissionDenied):
            rules.copy_sources(actor)
