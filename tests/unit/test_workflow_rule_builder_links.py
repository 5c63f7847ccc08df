"""The rule builder's link between a form and its rule set: the impact preview counts exactly
what the submit and batch checks enforce once published (``FormType.ruleset_at``, one function
all ask), a draft started on the form's version before the link is checked when submitted,
built-in forms naming no rule set are refused rather than given rules that never run, and the
link and the publication stand or fall together."""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

import pytest

from forms.builder import BuilderField
from i18n import t
from rules.simple_rules import SimpleRule
from tests.unit.workflow_world import World, make_world
from workflow.errors import DomainError, RulesFailed
from workflow.models import Submission
from workflow.rule_sets import DraftConflict

FORM = "service_log"
FIELDS = (
    BuilderField("place", "text", "服务地点"),
    BuilderField("content", "textarea", "服务内容"),
    BuilderField("hours", "float", "服务时长"),
)
SHORT = {"place": "社区", "content": "帮忙", "hours": 3.0}
RULE = SimpleRule("content_min_chars", "content", "min_chars", number=10)


@pytest.fixture
def world() -> World:
    world = make_world()
    builder, admin = world.services.form_builder, world.admin
    form = replace(builder.blank(admin, FORM, "服务记录", "launch"), fields=FIELDS)
    check = builder.save_draft(admin, form, base_rev=0)
    builder.publish(admin, FORM, base_rev=check.rev)  # version 1, no rule set
    return world


def draft(world: World, i: int) -> Submission:
    return world.services.submissions.save_draft(
        world.staff[i], campaign_id=world.campaign.id, form_type=FORM, data=SHORT
    )


def add_rule(world: World) -> int:
    rules, admin = world.services.rule_builder, world.admin
    rules.save_rule(admin, FORM, RULE, base_rev=rules.rules(admin, FORM).rev)
    return rules.rules(admin, FORM).rev


def test_the_preview_counts_what_publishing_then_enforces(world: World) -> None:
    services, admin = world.services, world.admin
    first = draft(world, 0)
    submitted = services.submissions.submit(world.staff[0], first.id, first.rev)  # v1, no rules
    started = draft(world, 1)  # started on version 1, submitted only after the rules
    assert started.form_version == 1
    rev = add_rule(world)

    checked, rows = services.rule_builder.impact(admin, FORM)
    assert checked == 1 and [r.submission_id for r in rows] == [submitted.id]
    assert rows[0].after.decision == "return" and rows[0].after.failing == ("content_min_chars",)

    assert services.rule_builder.publish(admin, FORM, base_rev=rev) == (1, 2)
    again = services.batch_checks.check(admin, campaign_id=world.campaign.id, stage="launch")
    outcomes = {c.submission.id: c.outcome for c in again}
    assert outcomes == {submitted.id: "return"}  # what the preview said
    with pytest.raises(RulesFailed) as caught:  # the v1 draft is checked by the new rules
        services.submissions.submit(world.staff[1], started.id, started.rev)
    assert [r.rule for r in caught.value.report.failures()] == ["content_min_chars"]
    _, after = services.rule_builder.impact(admin, FORM)
    assert after == []  # published: the draft is the rules in force


def test_the_rule_set_screen_preview_counts_no_unlinked_form(world: World) -> None:
    services, admin = world.services, world.admin
    first = draft(world, 0)
    services.submissions.submit(world.staff[0], first.id, first.rev)
    add_rule(world)
    text = services.rule_sets.draft_text(admin, FORM)
    # published from the 规则集 screen the rule set links nothing: the form stays unchecked
    assert services.batch_checks.preview_impact(admin, FORM, text) == (0, [])


@pytest.mark.parametrize("form_type", ["innovation_activity", "member_post"])
def test_a_built_in_form_without_a_rule_set_is_refused_before_any_rule_is_written(
    world: World, form_type: str
) -> None:
    rules, admin = world.services.rule_builder, world.admin
    title = world.services.forms.get(form_type).title_zh
    with pytest.raises(DomainError) as caught:
        rules.save_rule(admin, form_type, SimpleRule("title_required", "title", "required"),
                        base_rev=0)  # fmt: skip
    assert str(caught.value) == t("builder.rules.builtin_unlinked", form=title)
    assert form_type not in world.services.rule_sets.names()
    with pytest.raises(DomainError):
        rules.publish(admin, form_type, base_rev=0)
    with pytest.raises(DomainError):
        rules.impact(admin, form_type)


def test_when_the_linked_form_version_cannot_be_saved_nothing_is_published(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    services, admin = world.services, world.admin
    rev = add_rule(world)

    def refuse(*_: object) -> None:
        raise DomainError("表单版本无法保存")

    monkeypatch.setattr(services.rule_builder.definitions, "save", refuse)
    with pytest.raises(DomainError, match="表单版本无法保存"):
        services.rule_builder.publish(admin, FORM, base_rev=rev)
    assert services.rule_sets.versions(FORM) == []  # not published
    assert "content_min_chars" in services.rule_sets.draft_text(admin, FORM)  # draft kept
    assert services.rule_sets.draft_rev(FORM) == rev
    assert services.forms.versions(FORM) == [1]


def test_a_rule_set_that_cannot_be_published_links_no_form(world: World) -> None:
    services, admin = world.services, world.admin
    rev = add_rule(world)
    with pytest.raises(DomainError):  # the draft shown is not the draft stored
        services.rule_builder.publish(admin, FORM, base_rev=rev - 1)
    assert services.forms.versions(FORM) == [1] and services.rule_sets.versions(FORM) == []


def test_a_form_builder_draft_opened_before_the_link_keeps_it(world: World) -> None:
    services, admin = world.services, world.admin
    opened, _ = services.form_builder.open(admin, FORM)
    assert opened.ruleset is None
    more = replace(opened, fields=(*opened.fields, BuilderField("note", "text", "备注")))
    saved = services.form_builder.save_draft(admin, more, base_rev=0)
    services.rule_builder.publish(admin, FORM, base_rev=add_rule(world))  # version 2, linked
    services.form_builder.publish(admin, FORM, base_rev=saved.rev)  # version 3
    assert services.forms.versions(FORM) == [1, 2, 3]
    assert services.forms.get(FORM).ruleset == FORM
    fresh = draft(world, 2)
    assert fresh.form_version == 3
    with pytest.raises(RulesFailed):
        services.submissions.submit(world.staff[2], fresh.id, fresh.rev)


def test_a_draft_saved_while_the_builder_publishes_waits_and_links_no_unpublished_rules(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another admin saves the same rule set's draft just after the builder checked it and
    saved the linked form version: that save waits for the publication and is then refused as
    stale, so the form's new version never names a rule set with no published version."""
    services, admin = world.services, world.admin
    rev = add_rule(world)
    saved, other_done = threading.Event(), threading.Event()
    save = services.rule_builder.definitions.save

    def save_then_pause(*args: Any) -> Any:
        result = save(*args)
        saved.set()
        other_done.wait(1)  # the other save lands now unless it waits for the publication
        return result

    other: list[BaseException] = []

    def other_admin_saves() -> None:
        assert saved.wait(60)
        try:
            text = services.rule_sets.draft_text(admin, FORM) + "\n# 另一位管理员的修改\n"
            services.rule_sets.save_draft(admin, FORM, text, base_rev=rev)
        except BaseException as error:  # asserted on below
            other.append(error)
        finally:
            other_done.set()

    monkeypatch.setattr(services.rule_builder.definitions, "save", save_then_pause)
    thread = threading.Thread(target=other_admin_saves)
    thread.start()
    try:
        assert services.rule_builder.publish(admin, FORM, base_rev=rev) == (1, 2)
    finally:
        thread.join(60)
    assert [type(e) for e in other] == [DraftConflict]
    assert services.forms.get(FORM).ruleset == FORM
    assert [v["number"] for v in services.rule_sets.versions(FORM)] == [1]
