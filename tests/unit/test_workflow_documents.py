"""Submission PDFs are permission-checked and carry the submission's content."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.unit.workflow_world import YEAR, make_world
from workflow.errors import PermissionDenied


def text_of(pdf: bytes) -> str:
    return "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def test_plan_pdf_holds_the_plan_and_is_refused_to_other_branches() -> None:
    world = make_world()
    plan = world.submitted_plan(1)
    pdf = world.services.documents.submission_pdf(world.reader, plan.id)
    assert pdf.startswith(b"%PDF")
    text = text_of(pdf)
    assert "学位点申报材料预审" in text
    assert world.branches[1].name in text
    with pytest.raises(PermissionDenied):
        world.services.documents.submission_pdf(world.staff[0], plan.id)
    name = world.services.documents.filename(world.reader, plan.id)
    assert name == f"{YEAR}年-{world.branches[1].name}-支部“先锋工程”实施方案-第1版.pdf"


def test_draft_pdf_only_for_its_branch() -> None:
    world = make_world()
    draft = world.services.submissions.save_draft(
        world.staff[0],
        campaign_id=world.campaign.id,
        form_type="study_session",
        data={"topic": "未完成的学习记录"},
    )
    assert "未完成的学习记录" in text_of(
        world.services.documents.submission_pdf(world.staff[0], draft.id)
    )
    with pytest.raises(PermissionDenied):
        world.services.documents.submission_pdf(world.reviewer, draft.id)
