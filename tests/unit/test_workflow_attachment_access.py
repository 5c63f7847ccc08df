"""Attachments are read through the submission they belong to, with its permissions."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.sample_files import PNG
from tests.unit.workflow_world import make_world
from workflow.attachments import files_in
from workflow.errors import NotFound, PermissionDenied


@dataclass(frozen=True)
class _Upload:
    path: str
    name: str
    content_type: str
    data: bytes


def test_files_are_read_by_who_may_see_the_submission_and_only_its_own() -> None:
    world = make_world()
    staff = world.staff[0]
    # The study session takes attachments (the plan has no file field).
    model = world.services.forms.get("study_session")
    data = world.services.attachments.attach(
        staff, model, {"topic": "学习"}, [_Upload("attachments", "签到表.png", "image/png", PNG)]
    )
    secret = b"%PDF-1.4 secret"
    other = world.services.attachments.attach(
        world.staff[1], model, {"topic": "其他"}, [_Upload("attachments", "x.pdf", "x", secret)]
    )
    draft = world.services.submissions.save_draft(
        staff, campaign_id=world.campaign.id, form_type="study_session", data=data
    )
    blob = files_in(draft.data)[0]["blob"]
    assert world.services.attachments.read(staff, draft.id, blob) == PNG
    assert [f["name"] for f in world.services.attachments.files(staff, draft.id)] == ["签到表.png"]
    with pytest.raises(PermissionDenied):  # a draft is its own branch's alone
        world.services.attachments.read(world.reviewer, draft.id, blob)
    with pytest.raises(NotFound):  # another branch's file by its key, through one's own form
        world.services.attachments.read(staff, draft.id, files_in(other)[0]["blob"])


def test_files_in_finds_attachments_in_rows_and_stops_at_its_budget() -> None:
    row_file = {"name": "a.jpg", "blob": "k1"}
    assert files_in({"items": [{"photos": [row_file]}], "attachments": []}) == [row_file]
    deep: dict[str, object] = {"name": "deep.jpg", "blob": "k2"}
    for _ in range(20):
        deep = {"x": deep}
    assert files_in(deep) == []
