"""The branch a form belongs to is decided by the server, never by what was typed into 支部."""

from __future__ import annotations

import io

from pypdf import PdfReader

from forms.binding import bound_fields
from forms.launch import Plan
from forms.registry import default_registry
from forms.yaml_definitions import load_text
from tests.unit.workflow_world import make_world
from workflow.models import Stage, Submission

FORGED = "伪造的其他党支部"

VISIT = """\
form_type: visit_binding_probe
form_version: 1
title: {zh: 走访记录, en: Visit}
stage: launch
fields:
  - name: branch
    type: text
    label: {zh: 支部, en: Branch}
  - name: host
    type: text
    label: {zh: 走访对象, en: Host}
"""


def text_of(pdf: bytes) -> str:
    return "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def test_built_in_branch_fields_are_bound_by_their_metadata() -> None:
    for form_type in ("plan", "study_session", "demo_site", "news_report", "summary"):
        model = default_registry().get(form_type)
        assert model.model_fields["branch"].json_schema_extra == {
            "label_en": "Branch",
            "bound": "branch",
        }
        figures = {"statistics": "statistics"} if form_type == "summary" else {}
        assert bound_fields(model) == {"branch": "branch", **figures}


def test_a_yaml_text_field_named_branch_is_bound() -> None:
    model = load_text(VISIT)
    assert bound_fields(model) == {"branch": "branch"}
    assert bound_fields(default_registry().get("volunteer_service")) == {"branch": "branch"}
    assert bound_fields(default_registry().get("study_session")) == {"branch": "branch"}


def test_branch_typed_as_another_branchs_name_is_stored_saved_and_submitted_as_the_authors() -> (
    None
):
    world = make_world()
    subs, staff, own = world.services.submissions, world.staff[1], world.branches[1].name
    draft = subs.save_draft(
        staff,
        campaign_id=world.campaign.id,
        form_type="plan",
        data={**world.good_plan(1), "branch": FORGED},
    )
    assert draft.data["branch"] == own
    edited = subs.save_draft(
        staff,
        campaign_id=world.campaign.id,
        form_type="plan",
        data={**draft.data, "branch": world.branches[2].name},
        submission_id=draft.id,
        expected_rev=draft.rev,
    )
    assert edited.data["branch"] == own
    report = subs.preview_report(
        staff, edited.id, "plan", {**edited.data, "branch": FORGED}, world.campaign.id
    )
    assert report is not None and report.passed
    submitted = subs.submit(staff, edited.id, edited.rev)
    assert submitted.data["branch"] == own
    assert submitted.versions[-1].data["branch"] == own
    text = text_of(world.services.documents.submission_pdf(world.reader, submitted.id))
    assert own in text and FORGED not in text


def test_yaml_form_branch_is_bound_too() -> None:
    world = make_world()
    draft = world.services.submissions.save_draft(
        world.staff[0],
        campaign_id=world.campaign.id,
        form_type="volunteer_service",
        data={"branch": FORGED, "member": "张三"},
    )
    assert draft.data == {"branch": world.branches[0].name, "member": "张三"}


def test_pdf_of_a_draft_stored_with_a_typed_branch_shows_the_real_branch() -> None:
    world = make_world()
    old = Submission(
        campaign_id=world.campaign.id,
        branch_id=world.branches[0].id,
        form_type="plan",
        form_version=Plan.form_version,
        stage=Stage.LAUNCH,
        data={**world.good_plan(0), "branch": FORGED},
        author=world.staff[0].login,
        created_at="2026-03-01T00:00:00+00:00",
    )
    doc = old.model_dump(mode="json", exclude={"id", "rev", "updated_at", "updated_by"})
    stored = world.repo.insert("submissions", doc, actor="branch1")
    text = text_of(world.services.documents.submission_pdf(world.staff[0], stored["id"]))
    assert world.branches[0].name in text and FORGED not in text
