"""Choice values print in the reader's language (``options_en`` / ``options_zh`` of the field),
and a dossier prints each submission with the form version it was filled in."""

from __future__ import annotations

import io
import re
from typing import Any

import pypdf
import pytest
from pydantic import ValidationError

from forms.registry import FormRegistry
from forms.yaml_definitions import load_text
from reports.branch_dossier import build_branch_dossier_pdf
from reports.form import build_form_pdf
from reports.plan import build_plan_pdf
from reports.samples import sample_plan


def _flat(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def _plan() -> dict[str, Any]:
    plan = sample_plan()
    plan["central_work"] = ["校庆", "学科建设"]
    plan["schedule"] = [
        {"stage": "launch", "start": "2025-03-01", "end": "2025-04-30", "tasks": "动员学习"},
        {"stage": "evaluate", "start": "2025-11-01", "end": "2025-12-15", "tasks": "总结"},
    ]
    return plan


@pytest.mark.parametrize("build", ["form", "plan"])
def test_plan_schedule_stage_codes_print_in_chinese(build: str) -> None:
    pdf = build_form_pdf("plan", _plan()) if build == "form" else build_plan_pdf(_plan())
    text = _flat(pdf)
    assert "启动阶段" in text and "评估总结阶段" in text
    assert "launch" not in text and "evaluate" not in text


@pytest.mark.parametrize("build", ["form", "plan"])
def test_english_plan_prints_stage_and_central_work_in_english(build: str) -> None:
    plan = _plan()
    pdf = (
        build_form_pdf("plan", plan, lang="en")
        if build == "form"
        else build_plan_pdf(plan, lang="en")
    )
    text = _flat(pdf)
    assert "Launch" in text and "Evaluationandsummary" in text
    assert "Universityanniversary" in text and "Disciplinebuilding" in text
    central_work = text[text.index("School'scentralwork") :]
    assert re.match(
        r"School'scentralwork·?Universityanniversary[,·]Disciplinebuilding", central_work
    )
    assert "启动阶段" not in text


def test_english_form_prints_radio_and_multiselect_choices_in_english() -> None:
    data = {
        "branch": "b",
        "title": "窗口创优",
        "area": "服务质量",
        "posts": ["党员先进岗", "优质岗"],
        "mode": "本支部独立开展",
        "start": "2025-04-01",
        "end": "2025-05-01",
    }
    english = _flat(build_form_pdf("innovation_activity", data, lang="en"))
    assert "Servicequality" in english and "Bythisbranchalone" in english
    assert "Partymembermodelpost,Qualityservicepost" in english
    assert "服务质量" not in english and "党员先进岗" not in english
    chinese = _flat(build_form_pdf("innovation_activity", data))
    assert "服务质量" in chinese and "党员先进岗" in chinese and "本支部独立开展" in chinese


def test_english_yaml_defined_form_prints_its_option_labels() -> None:
    data = {
        "branch": "b",
        "member": "张三",
        "date": "2025-05-01",
        "hours": 2,
        "place": "社区",
        "kind": "社区服务",
    }
    text = _flat(build_form_pdf("volunteer_service", data, lang="en"))
    assert "Communityservice" in text and "社区服务" not in text


CLUB = """\
form_type: club_meeting_report
form_version: {version}
title: {{zh: {title}, en: Meeting}}
stage: launch
fields:
  - name: {field}
    type: text
    label: {{zh: {label}, en: Topic}}
    required: true
"""


@pytest.fixture
def two_versions() -> FormRegistry:
    registry = FormRegistry.with_shipped()
    registry.register(
        load_text(CLUB.format(version=1, title="支部会议记录", field="topic", label="会议主题"))
    )
    registry.register(
        load_text(CLUB.format(version=2, title="支部会议纪要", field="subject", label="议定事项"))
    )
    return registry


def test_branch_dossier_prints_each_submission_with_its_form_version(
    two_versions: FormRegistry,
) -> None:
    dossier = {
        "campaign": {"title": "2025年度先锋工程", "year": 2025},
        "branch": {"name": "机关第一党支部"},
        "submissions": [
            {
                "form_type": "club_meeting_report",
                "form_version": 1,
                "status": "approved",
                "version": 1,
                "data": {"topic": "学习二十大精神"},
            },
            {
                "form_type": "club_meeting_report",
                "form_version": 2,
                "status": "submitted",
                "version": 1,
                "data": {"subject": "推进窗口创优"},
            },
        ],
    }
    text = _flat(build_branch_dossier_pdf(dossier, forms=two_versions))
    assert "支部会议记录" in text and "会议主题" in text and "学习二十大精神" in text
    assert "支部会议纪要" in text and "议定事项" in text and "推进窗口创优" in text


def test_dossier_names_the_returned_fields_of_an_old_version_by_that_versions_labels(
    two_versions: FormRegistry,
) -> None:
    submission = {
        "form_type": "club_meeting_report",
        "form_version": 1,
        "status": "returned",
        "version": 1,
        "data": {"topic": "学习"},
        "reviews": [
            {
                "reviewer": "reviewer",
                "at": "2025-05-01T10:00:00",
                "decision": "return",
                "reasons": "请补充",
                "field_reasons": {"topic": "主题太空泛"},
                "version": 1,
            }
        ],
    }
    dossier = {"branch": {"name": "机关第一党支部"}, "submissions": [submission]}
    text = _flat(build_branch_dossier_pdf(dossier, forms=two_versions))
    assert "「会议主题」：主题太空泛" in text


def test_dossier_refuses_a_form_version_that_does_not_exist(two_versions: FormRegistry) -> None:
    dossier = {
        "branch": {"name": "机关第一党支部"},
        "submissions": [{"form_type": "club_meeting_report", "form_version": 7, "data": {}}],
    }
    with pytest.raises(ValidationError, match="没有第 7 版"):
        build_branch_dossier_pdf(dossier, forms=two_versions)


def test_english_dossier_prints_the_branchs_central_work_in_english() -> None:
    dossier = {"branch": {"name": "Library branch", "central_work": ["校庆", "学位点建设"]}}
    text = _flat(build_branch_dossier_pdf(dossier, lang="en"))
    assert "Universityanniversary,Degreeprogrammebuilding" in text
    assert "校庆" not in text
