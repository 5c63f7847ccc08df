"""The fields a new form version removes or retypes (``FormDefinitions.changes``, which the form
builder and the YAML screen both ask): a form reopened unchanged reports nothing, whatever its
fields (a calculated one too), and a change deep inside a section's repeat group is found with
the number of submitted forms holding a value in it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from forms.builder import BuilderField
from storage.memory import MemoryRepository
from workflow.models import Role, User
from workflow.services import Services, build_services

ADMIN = User(login="admin", display_name="管理员", role=Role.ADMIN)
NESTED = (
    BuilderField("place", "text", "地点"),
    BuilderField(
        "detail",
        "section",
        "服务情况",
        children=(
            BuilderField("summary", "textarea", "概述"),
            BuilderField(
                "rows",
                "group",
                "参加人员",
                children=(
                    BuilderField("name", "text", "姓名"),
                    BuilderField("hours", "float", "时长"),
                ),
            ),
        ),
    ),
)


@pytest.fixture
def svc() -> Services:
    return build_services(MemoryRepository())


def submitted(svc: Services, form_type: str, data: dict[str, object]) -> None:
    svc.repo.insert(
        "submissions",
        {"campaign_id": "c", "branch_id": "b", "form_type": form_type, "form_version": 1,
         "stage": "implement", "status": "submitted", "data": data,
         "versions": [{"version": 1, "data": data, "submitted_at": "", "submitted_by": "x"}]},
        actor="x",
    )  # fmt: skip


def publish(svc: Services, form_type: str) -> None:
    form, rev = svc.form_builder.open(ADMIN, form_type)
    check = svc.form_builder.save_draft(ADMIN, form, base_rev=rev)
    assert check.publishable, (check.problems, check.messages)
    svc.form_builder.publish(ADMIN, form_type, base_rev=check.rev)


def test_reopening_every_shipped_and_copied_form_unchanged_reports_no_changes(
    svc: Services,
) -> None:
    builder = svc.form_builder
    submitted(svc, "volunteer_service",
              {"member": "张三", "hours": 2, "participants": [{"name": "李四", "hours": 1}],
               "total_hours": 3})  # fmt: skip
    reopened = []
    for n, template in enumerate(builder.templates(ADMIN)):
        if template.form_version != svc.forms.versions(template.form_type)[-1]:
            continue
        form_type = template.form_type
        if template.source == "builtin":  # copied as a new form, published, reopened
            form_type = f"copy_{n}"
            _, rev = builder.copy_as_draft(
                ADMIN, template.form_type, template.form_version, form_type, f"副本{n}"
            )
            builder.publish(ADMIN, form_type, base_rev=rev)
        form, _ = builder.open(ADMIN, form_type)
        assert builder.check(ADMIN, form).changes == (), form_type
        reopened.append(form_type)
    assert "volunteer_service" in reopened and len(reopened) >= 10
    publish(svc, "volunteer_service")  # no 我已知晓 asked: nothing changed
    assert svc.forms.versions("volunteer_service")[-1] == 2


def test_a_change_inside_a_sections_repeat_group_is_reported_with_its_count(
    svc: Services,
) -> None:
    builder = svc.form_builder
    form = replace(builder.blank(ADMIN, "visit", "走访记录", "implement"), fields=NESTED)
    builder.publish(ADMIN, "visit", base_rev=builder.save_draft(ADMIN, form, base_rev=0).rev)
    submitted(svc, "visit", {"detail": {"rows": [{"name": "甲", "hours": 2}]}})
    submitted(svc, "visit", {"detail": {"rows": [{"name": "乙", "hours": None}]}})
    opened, _ = builder.open(ADMIN, "visit")
    place, detail = opened.fields
    summary, rows = detail.children
    name, hours = rows.children
    retyped = replace(rows, children=(name, replace(hours, kind="int")))
    changed = replace(opened, fields=(place, replace(detail, children=(summary, retyped))))
    check = builder.check(ADMIN, changed)
    assert [(c.path, c.before, c.after, c.affected) for c in check.changes] == [
        ("detail.rows.hours", "float", "int", 1)
    ]
    assert check.needs_acknowledgement
