"""Issue 4 (1–3): a form defined only in YAML behaves exactly like a built-in one.

End to end through the screens: the admin saves a definition on the form-definitions page, branch
staff fill and submit it on the generic fill page, a reviewer approves it on the review page,
and its PDF (``DocumentService``) carries the form's Chinese labels. The same journey runs for
the shipped ``volunteer_service`` example, and a submission filled in v1 keeps printing and
showing v1 labels after v2 is published.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from i18n import t
from pages.common import services
from pages.editor import key_for
from tests.app.campaign_fixture import PASSWORD, build_campaign
from tests.app.conftest import APP
from tests.app.driver import button, confirm, login, no_traceback, open_page, texts
from tests.app.form_filler import fill_form
from workflow.errors import RulesFailed
from workflow.models import Stage, Status, Submission, User
from workflow.services import Services

ROOT = Path(__file__).resolve().parents[2]

VISIT_V1 = """\
form_type: branch_visit
form_version: 1
title: {zh: 支部走访记录, en: Branch visit record}
stage: launch
fields:
  - name: branch
    type: text
    label: {zh: 支部, en: Branch}
    required: true
  - name: host
    type: text
    label: {zh: 走访对象, en: Host}
    required: true
    max_length: 50
  - name: kind
    type: select
    label: {zh: 走访方式, en: Kind of visit}
    required: true
    options:
      - {value: 上门走访, en: Home visit}
      - {value: 电话走访, en: Phone call}
  - name: findings
    type: textarea
    label: {zh: 了解到的困难, en: Difficulties found}
    max_length: 500
"""
VISIT = {"branch": "党政办公室党支部", "host": "退休党员王老师", "kind": "上门走访",
         "findings": "行动不便,希望支部定期送学上门"}  # fmt: skip
VOLUNTEER = {
    "branch": "党政办公室党支部",
    "member": "张三",
    "date": "2026-03-05",
    "hours": 2.0,
    "place": "社区服务中心",
    "kind": "社区服务",
    "description": "为社区老人讲解防范电信诈骗知识",
    "participants": [{"name": "李四", "hours": 1.5}],
}


@pytest.fixture
def users(svc: Services) -> dict[str, User]:
    return build_campaign(svc)


def session(as_login: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    return login(at, as_login, PASSWORD)


def save_definition_on_page(text: str) -> AppTest:
    at = session("admin")
    open_page(at, "pages/admin_forms.py")
    at.text_area(key="admin_forms:text").input(text).run()
    button(at, t("admin_forms.save")).click()
    at.run()
    no_traceback(at)
    return at


def fill_and_submit_on_fill_page(form_type: str, data: dict[str, Any]) -> AppTest:
    at = session("branch1")
    open_page(at, "pages/fill.py")
    at.selectbox(key="fill_type").set_value(form_type).run()
    model = services().forms.get(form_type)  # the app's registry (each test a fresh store)
    fill_form(at, model, data, key=f"{key_for(form_type, None)}:0")
    button(at, t("common.submit")).click()
    at.run()
    no_traceback(at)
    return at


def only(svc: Services, user: User, form_type: str) -> Submission:
    campaign = svc.campaigns.current()
    assert campaign is not None
    found = svc.submissions.list(user, campaign_id=campaign.id, form_type=form_type)
    assert len(found) == 1, found
    return found[0]


def approve_on_review_page(submission: Submission) -> AppTest:
    at = session("reviewer")
    open_page(at, "pages/review.py")
    at.selectbox(key="rv_type").set_value(submission.form_type).run()
    at.session_state["rv_open"] = submission.id  # the row the reviewer clicks
    at.run()
    confirm(at, t("pages.review.approve"))  # the dialog asks first (issue 10 point 7)
    return at


def pdf_text(svc: Services, user: User, submission_id: str) -> str:
    pdf = svc.documents.submission_pdf(user, submission_id)
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def set_stage(svc: Services, users: dict[str, User], stage: Stage) -> None:
    campaign = svc.campaigns.current()
    assert campaign is not None
    svc.campaigns.update(users["admin"], campaign.model_copy(update={"stage": stage}), campaign.rev)


def test_form_saved_by_admin_is_filled_submitted_approved_and_printed_like_a_built_in(
    svc: Services, users: dict[str, User]
) -> None:
    admin_page = save_definition_on_page(VISIT_V1)
    assert "branch_visit" in texts(admin_page) or any(
        "branch_visit" in str(df.value) for df in admin_page.dataframe
    )
    assert [d["form_type"] for d in svc.form_definitions.stored()] == ["branch_visit"]

    filled = fill_and_submit_on_fill_page("branch_visit", VISIT)
    submission = only(svc, users["branch1"], "branch_visit")
    assert submission.status == Status.SUBMITTED, texts(filled)
    assert submission.form_version == 1
    assert submission.data["host"] == "退休党员王老师"

    approve_on_review_page(submission)
    assert only(svc, users["reviewer"], "branch_visit").status == Status.APPROVED

    text = pdf_text(svc, users["reviewer"], submission.id)
    for label in ("支部走访记录", "走访对象", "走访方式", "了解到的困难", "退休党员王老师"):
        assert label in text, (label, text)


def test_stored_definition_is_registered_when_services_are_built_again(
    svc: Services, users: dict[str, User]
) -> None:
    svc.form_definitions.save(users["admin"], VISIT_V1)
    from workflow.services import build_services

    restarted = build_services(svc.repo)  # what the app does at start-up
    assert restarted.forms.get("branch_visit").title_zh == "支部走访记录"


def test_a_rule_set_may_name_a_form_defined_only_in_yaml(
    svc: Services, users: dict[str, User]
) -> None:
    set_stage(svc, users, Stage.IMPLEMENT)
    campaign = svc.campaigns.current()
    assert campaign is not None
    staff = users["branch1"]
    draft = svc.submissions.save_draft(
        staff,
        campaign_id=campaign.id,
        form_type="volunteer_service",
        data={**VOLUNTEER, "kind": "其他"},
    )
    with pytest.raises(RulesFailed) as caught:
        svc.submissions.submit(staff, draft.id, draft.rev)
    assert caught.value.report.ruleset == "volunteer_service"
    assert [r.rule for r in caught.value.report.failures()] == ["other_kind_named"]


def test_shipped_volunteer_service_goes_through_fill_review_pdf_and_the_reports_cli(
    svc: Services, users: dict[str, User], tmp_path: Path
) -> None:
    set_stage(svc, users, Stage.IMPLEMENT)
    filled = fill_and_submit_on_fill_page("volunteer_service", VOLUNTEER)
    submission = only(svc, users["branch1"], "volunteer_service")
    assert submission.status == Status.SUBMITTED, texts(filled)
    assert submission.data["total_hours"] == 3.5  # the calculated field, computed on the server
    assert submission.report is not None and submission.report["ruleset"] == "volunteer_service"

    approve_on_review_page(submission)
    assert only(svc, users["reviewer"], "volunteer_service").status == Status.APPROVED
    text = pdf_text(svc, users["reviewer"], submission.id)
    for label in ("党员志愿服务登记", "党员姓名", "服务地点", "一同参加的党员", "社区服务中心"):
        assert label in text, (label, text)

    source = tmp_path / "volunteer.json"
    source.write_text(json.dumps(submission.data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "volunteer.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "reports", "volunteer_service", str(source), "-o", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    cli_text = "\n".join(p.extract_text() for p in PdfReader(out).pages)
    assert "党员姓名" in cli_text and "张三" in cli_text


def test_old_submission_keeps_the_labels_of_the_version_it_was_filled_with(
    svc: Services, users: dict[str, User]
) -> None:
    svc.form_definitions.save(users["admin"], VISIT_V1)
    fill_and_submit_on_fill_page("branch_visit", VISIT)
    old = only(svc, users["branch1"], "branch_visit")
    assert old.status == Status.SUBMITTED and old.form_version == 1

    v2 = save_definition_on_page(
        VISIT_V1.replace("form_version: 1", "form_version: 2").replace("走访对象", "受访党员")
    )
    assert svc.forms.get("branch_visit").form_version == 2, texts(v2)

    text = pdf_text(svc, users["reviewer"], old.id)
    assert "走访对象" in text and "受访党员" not in text

    review = session("reviewer")
    open_page(review, "pages/review.py")
    review.session_state["rv_open"] = old.id  # the row the reviewer clicks
    review.run()
    shown = texts(review)
    assert "走访对象" in shown and "受访党员" not in shown

    svc.submissions.return_(users["reviewer"], old.id, old.rev, "请补充走访时间")
    returned = only(svc, users["branch1"], "branch_visit")
    resubmitted = svc.submissions.submit(users["branch1"], returned.id, returned.rev)
    assert resubmitted.status == Status.SUBMITTED and resubmitted.form_version == 1

    fresh = svc.submissions.save_draft(
        users["branch2"],
        campaign_id=old.campaign_id,
        form_type="branch_visit",
        data={**VISIT, "branch": "教务处党支部"},
    )
    assert fresh.form_version == 2  # new forms are filled in the current version
