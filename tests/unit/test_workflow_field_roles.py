"""Fields reserved to a role: the committee's score and grade on a nomination are written by
reviewers only; the branch sees them and cannot change them, whatever it sends."""

from __future__ import annotations

from typing import Any

import pytest

from forms.evaluate import Nomination
from forms.specs import describe
from tests.unit.test_workflow_summary_figures import sample
from tests.unit.workflow_world import World, make_world
from workflow.errors import PermissionDenied, ValidationFailed
from workflow.field_roles import reserved_fields
from workflow.models import Submission


def nomination() -> dict[str, Any]:
    data = sample("evaluation")
    del data["committee_score"], data["summary_grade"]
    return data


def submitted_nomination(world: World) -> Submission:
    subs, staff = world.services.submissions, world.staff[0]
    draft = subs.save_draft(
        staff, campaign_id=world.campaign.id, form_type="nomination", data=nomination()
    )
    return subs.submit(staff, draft.id, draft.rev)


def test_the_committee_fields_are_reserved_to_reviewers_in_the_field_metadata() -> None:
    assert {n: s.role for n, s in reserved_fields(Nomination).items()} == {
        "committee_score": "reviewer",
        "summary_grade": "reviewer",
    }
    assert all(s.writable_by("branch") for s in describe(Nomination) if s.name == "deeds")
    assert not next(s for s in describe(Nomination) if s.name == "committee_score").writable_by(
        "branch"
    )


def test_a_branch_cannot_type_the_committee_score_into_a_new_nomination() -> None:
    world = make_world()
    with pytest.raises(PermissionDenied, match="机关党委评分"):
        world.services.submissions.save_draft(
            world.staff[0],
            campaign_id=world.campaign.id,
            form_type="nomination",
            data={**nomination(), "committee_score": 100},
        )
    assert world.repo.find("submissions", {"form_type": "nomination"}) == []


def test_a_branch_cannot_change_the_grade_the_reviewer_set() -> None:
    world = make_world()
    subs = world.services.submissions
    sent = submitted_nomination(world)
    scored = subs.set_reserved_fields(
        world.reviewer, sent.id, sent.rev, {"committee_score": 70, "summary_grade": "一般"}
    )
    back = subs.return_(world.reviewer, scored.id, scored.rev, "请补充事迹")
    with pytest.raises(PermissionDenied, match="总结定级"):
        subs.save_draft(
            world.staff[0],
            campaign_id=world.campaign.id,
            form_type="nomination",
            data={**back.data, "summary_grade": "先进"},
            submission_id=back.id,
            expected_rev=back.rev,
        )
    kept = subs.save_draft(  # the reviewer's values sent back unchanged are no change
        world.staff[0],
        campaign_id=world.campaign.id,
        form_type="nomination",
        data={**back.data, "deeds": back.data["deeds"] + "补充"},
        submission_id=back.id,
        expected_rev=back.rev,
    )
    assert (kept.data["committee_score"], kept.data["summary_grade"]) == (70, "一般")


def test_a_reviewer_scores_a_nomination_and_its_report_follows() -> None:
    world = make_world()
    subs = world.services.submissions
    sent = submitted_nomination(world)
    assert sent.report is not None and sent.report["score"] == 95  # self score only, for now
    scored = subs.set_reserved_fields(
        world.reviewer, sent.id, sent.rev, {"committee_score": 92, "summary_grade": "先进"}
    )
    assert scored.report is not None
    assert (scored.report["score"], scored.report["grade"]) == (93.2, "先进")
    assert scored.versions[-1].data["committee_score"] == 92
    failing = {r["rule"] for r in scored.report["results"] if not r["passed"]}
    assert "committee_scored" not in failing


@pytest.mark.parametrize("who", ["branch", "own_branch_reviewer", "reader", "admin"])
def test_only_a_reviewer_of_another_branch_writes_the_committee_fields(who: str) -> None:
    world = make_world()
    sent = submitted_nomination(world)
    actor = {
        "branch": world.staff[0],
        "own_branch_reviewer": world.branch_reviewer,
        "reader": world.reader,
        "admin": world.admin,
    }[who]
    with pytest.raises(PermissionDenied):
        world.services.submissions.set_reserved_fields(
            actor, sent.id, sent.rev, {"committee_score": 99}
        )
    assert (
        world.services.submissions.get(world.reviewer, sent.id).data.get("committee_score") is None
    )


def test_a_reviewer_writes_only_reserved_fields_and_valid_values() -> None:
    world = make_world()
    subs = world.services.submissions
    sent = submitted_nomination(world)
    with pytest.raises(ValidationFailed) as caught:
        subs.set_reserved_fields(world.reviewer, sent.id, sent.rev, {"deeds": "改写事迹"})
    assert "deeds" in caught.value.errors
    with pytest.raises(ValidationFailed) as caught:
        subs.set_reserved_fields(world.reviewer, sent.id, sent.rev, {"committee_score": 150})
    assert set(caught.value.errors) == {"committee_score"}
    assert subs.get(world.reviewer, sent.id).rev == sent.rev


def test_scoring_a_returned_nomination_keeps_the_branchs_unsent_edits() -> None:
    world = make_world()
    subs, staff = world.services.submissions, world.staff[0]
    sent = submitted_nomination(world)
    back = subs.return_(world.reviewer, sent.id, sent.rev, "请补充事迹")
    revised = back.data["deeds"] + "又补充了一段新的事迹。"
    edited = subs.save_draft(
        staff,
        campaign_id=world.campaign.id,
        form_type="nomination",
        data={**back.data, "deeds": revised},
        submission_id=back.id,
        expected_rev=back.rev,
    )
    seen = subs.get(world.reviewer, edited.id)  # the reviewer scores what was submitted
    assert seen.data["deeds"] == sent.data["deeds"]
    scored = subs.set_reserved_fields(
        world.reviewer, seen.id, seen.rev, {"committee_score": 92, "summary_grade": "先进"}
    )
    mine = subs.get(staff, scored.id)
    assert mine.status.value == "returned"
    assert mine.data["deeds"] == revised
    assert (mine.data["committee_score"], mine.data["summary_grade"]) == (92, "先进")
    last = mine.versions[-1]
    assert last.data["deeds"] == sent.data["deeds"]
    assert last.data["committee_score"] == 92
    assert last.report is not None and last.report["score"] == 93.2
    again = subs.submit(staff, mine.id, mine.rev)  # the committee's values go with it
    assert again.versions[-1].data["deeds"] == revised
    assert again.versions[-1].data["committee_score"] == 92
