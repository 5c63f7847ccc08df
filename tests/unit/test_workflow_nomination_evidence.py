"""A personal award's nomination carries evidence of its deeds (事迹证明材料, nomination version
2): files stored through the same attachment machinery as other forms, required for 优秀共产党员
and 优秀党务工作者; version-1 nominations keep validating and keep their rule check."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from forms.evaluate import Nomination
from forms.previous import NominationV1
from tests.sample_files import PNG
from tests.unit.test_workflow_field_roles import nomination
from tests.unit.workflow_world import make_world
from workflow.attachments import files_in
from workflow.errors import ValidationFailed
from workflow.models import Status


@dataclass
class _Upload:
    path: str
    name: str
    content_type: str
    data: bytes


def personal() -> dict[str, object]:
    return {**nomination(), "award": "优秀共产党员", "nominee": "张建国"}


def test_a_personal_nomination_without_evidence_is_refused_at_the_field() -> None:
    world = make_world()
    subs, staff = world.services.submissions, world.staff[0]
    draft = subs.save_draft(  # a draft may lack it
        staff, campaign_id=world.campaign.id, form_type="nomination", data=personal()
    )
    assert draft.form_version == 2
    with pytest.raises(ValidationFailed) as refused:
        subs.submit(staff, draft.id, draft.rev)
    assert "推荐“优秀共产党员”须附事迹证明材料" in refused.value.errors["evidence"]
    assert subs.get(staff, draft.id).status == Status.DRAFT  # nothing submitted

    data = world.services.attachments.attach(
        staff,
        world.services.forms.get("nomination"),
        dict(draft.data),
        [_Upload("evidence", "表扬信.png", "image/png", PNG)],
    )
    draft = subs.save_draft(
        staff,
        campaign_id=world.campaign.id,
        form_type="nomination",
        data=data,
        submission_id=draft.id,
        expected_rev=draft.rev,
    )
    sent = subs.submit(staff, draft.id, draft.rev)
    assert [f["name"] for f in files_in(sent.data)] == ["表扬信.png"]
    assert world.services.attachments.read(world.reviewer, sent.id, files_in(sent.data)[0]["blob"])
    assert sent.report is not None and sent.report["decision"] == "pass"


def test_a_branch_award_needs_no_evidence_and_uploads_are_checked_like_other_forms() -> None:
    Nomination.model_validate(nomination())  # 先进党支部: its evidence is its own figures
    world = make_world()
    with pytest.raises(ValidationFailed) as refused:
        world.services.attachments.attach(
            world.staff[0],
            world.services.forms.get("nomination"),
            personal(),
            [_Upload("evidence", "证书.exe", "application/octet-stream", b"MZ\x90\x00")],
        )
    assert "evidence" in refused.value.errors


def test_version_one_nominations_keep_validating_and_keep_their_rule_check() -> None:
    old = {k: v for k, v in personal().items() if k != "evidence"}
    NominationV1.model_validate(old)
    world = make_world()
    campaign = world.campaign
    world.campaign = world.services.campaigns.update(  # a campaign that pinned version 1
        world.admin,
        campaign.model_copy(update={"form_versions": {"nomination": 1}}),
        campaign.rev,
    )
    subs, staff = world.services.submissions, world.staff[0]
    draft = subs.save_draft(staff, campaign_id=world.campaign.id, form_type="nomination", data=old)
    sent = subs.submit(staff, draft.id, draft.rev)
    assert sent.form_version == 1
    scored = subs.set_reserved_fields(world.reviewer, sent.id, sent.rev, {"committee_score": 90})
    assert scored.report is not None
    assert scored.report["score"] == 92.0 and scored.report["decision"] == "pass"
    assert not any(r["rule"] == "ruleset.form_version" for r in scored.report["results"])
