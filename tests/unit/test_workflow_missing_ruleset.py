"""A form whose ``ruleset:`` names a rule set that exists nowhere: checking or submitting it says
so in Chinese, naming the rule set and what the admin should do, and keeps the draft as it was."""

from __future__ import annotations

import pytest

from forms.yaml_definitions import load_text
from tests.unit.workflow_world import World
from tests.unit.workflow_world import make_world as make_plain_world
from workflow.errors import DomainError, RuleSetMissing
from workflow.models import Status

DEFINITION = """\
form_type: orphan_rules_probe
form_version: 1
title: {zh: 无规则集的登记表, en: Orphan form}
stage: implement
ruleset: no_such_rules
fields:
  - name: branch
    type: text
    label: {zh: 支部, en: Branch}
  - name: note
    type: text
    label: {zh: 说明, en: Note}
"""


def make_world() -> World:
    world = make_plain_world()
    world.services.forms.register(load_text(DEFINITION))  # no rulesets=: the name is unchecked
    return world


def test_submitting_a_form_with_an_unknown_rule_set_names_it_and_the_fix() -> None:
    world = make_world()
    subs, staff = world.services.submissions, world.staff[0]
    draft = subs.save_draft(
        staff,
        campaign_id=world.campaign.id,
        form_type="orphan_rules_probe",
        data={"note": "已填写的说明"},
    )
    with pytest.raises(RuleSetMissing) as caught:
        subs.submit(staff, draft.id, draft.rev)
    message = str(caught.value)
    assert isinstance(caught.value, DomainError)
    assert "no_such_rules" in message and "无规则集的登记表" in message
    assert "管理员" in message and "ruleset: no_such_rules" in message and "发布" in message
    kept = subs.get(staff, draft.id)
    assert (kept.status, kept.data["note"]) == (Status.DRAFT, "已填写的说明")
    with pytest.raises(RuleSetMissing, match="no_such_rules"):
        subs.preview_report(staff, draft.id, "orphan_rules_probe", kept.data, world.campaign.id)


def test_the_message_follows_the_users_language() -> None:
    world = make_world()
    staff = world.staff[0].model_copy(update={"lang": "en"})
    subs = world.services.submissions
    draft = subs.save_draft(
        staff, campaign_id=world.campaign.id, form_type="orphan_rules_probe", data={}
    )
    with pytest.raises(RuleSetMissing, match="Ask an administrator to publish a rule set named"):
        subs.submit(staff, draft.id, draft.rev)
