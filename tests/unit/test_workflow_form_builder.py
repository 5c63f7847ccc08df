"""Issue 16 (1, 3, 4): built forms are drafted, checked, copied and published as new versions;
a version removing or retyping fields submitted forms use warns with how many are affected."""

from __future__ import annotations

from dataclasses import replace

import pytest

from forms.builder import BuilderField, Option
from storage.memory import MemoryRepository
from workflow.errors import Conflict, DomainError, PermissionDenied
from workflow.models import Role, User
from workflow.services import Services, build_services

ADMIN = User(login="admin", display_name="管理员", role=Role.ADMIN)
REVIEWER = User(login="rev", display_name="审核", role=Role.REVIEWER)
STAFF = User(login="staff", display_name="支部", role=Role.BRANCH, branch_id="b")
FIELDS = (
    BuilderField("place", "text", "地点", required=True, maximum=50),
    BuilderField("kind", "select", "类别", options=(Option("甲"), Option("乙"))),
    BuilderField("hours", "float", "时长", minimum=0, maximum=24),
)


@pytest.fixture
def svc() -> Services:
    return build_services(MemoryRepository())


def publish_new(svc: Services, form_type: str = "visit") -> None:
    builder = svc.form_builder
    form = replace(builder.blank(ADMIN, form_type, "走访记录", "implement"), fields=FIELDS)
    check = builder.save_draft(ADMIN, form, base_rev=0)
    assert check.publishable, (check.problems, check.messages)
    builder.publish(ADMIN, form_type, base_rev=check.rev)


def submitted(svc: Services, form_type: str, data: dict[str, object], status: str) -> None:
    svc.repo.insert(
        "submissions",
        {"campaign_id": "c", "branch_id": "b", "form_type": form_type, "form_version": 1,
         "stage": "implement", "status": status, "data": data,
         "versions": [{"version": 1, "data": data, "submitted_at": "", "submitted_by": "x"}]},
        actor="x",
    )  # fmt: skip


def test_publishing_a_built_form_registers_version_1_and_drops_the_draft(svc: Services) -> None:
    publish_new(svc)
    assert svc.forms.versions("visit") == [1]
    assert list(svc.forms.get("visit").model_fields) == ["place", "kind", "hours"]
    assert svc.form_builder.drafts(ADMIN) == []


def test_a_published_version_is_never_changed_in_place(svc: Services) -> None:
    publish_new(svc)
    form, rev = svc.form_builder.open(ADMIN, "visit")
    assert form.form_version == 2 and rev == 0
    more = replace(form, fields=(*form.fields, BuilderField("note", "textarea", "备注")))
    check = svc.form_builder.save_draft(ADMIN, more, base_rev=0)
    svc.form_builder.publish(ADMIN, "visit", base_rev=check.rev)
    assert svc.forms.versions("visit") == [1, 2]
    assert "note" not in svc.forms.get("visit", 1).model_fields
    assert "note" in svc.forms.get("visit", 2).model_fields


def test_removing_or_retyping_used_fields_warns_with_counts_and_needs_acknowledgement(
    svc: Services,
) -> None:
    publish_new(svc)
    submitted(svc, "visit", {"place": "社区", "kind": "甲", "hours": 2}, "submitted")
    submitted(svc, "visit", {"place": "校园", "kind": None, "hours": 1}, "approved")
    submitted(svc, "visit", {"place": "草稿", "kind": "乙", "hours": 1}, "draft")  # not counted
    form, _ = svc.form_builder.open(ADMIN, "visit")
    place, _kind, hours = form.fields
    changed = replace(form, fields=(place, replace(hours, kind="int")))  # kind removed
    check = svc.form_builder.save_draft(ADMIN, changed, base_rev=0)
    found = {c.path: (c.after, c.affected) for c in check.changes}
    assert found == {"kind": (None, 1), "hours": ("int", 2)}
    assert check.needs_acknowledgement
    with pytest.raises(DomainError, match="最多影响 2 份已提交的表单"):
        svc.form_builder.publish(ADMIN, "visit", base_rev=check.rev)
    assert svc.forms.versions("visit") == [1]
    svc.form_builder.publish(ADMIN, "visit", base_rev=check.rev, acknowledged=True)
    assert svc.forms.versions("visit") == [1, 2]


def test_a_stale_draft_is_refused_not_overwritten(svc: Services) -> None:
    form = replace(svc.form_builder.blank(ADMIN, "visit", "走访", "implement"), fields=FIELDS)
    first = svc.form_builder.save_draft(ADMIN, form, base_rev=0)
    svc.form_builder.save_draft(ADMIN, replace(form, title_zh="走访二"), base_rev=first.rev)
    with pytest.raises(Conflict):
        svc.form_builder.save_draft(ADMIN, replace(form, title_zh="旧的"), base_rev=first.rev)
    with pytest.raises(Conflict):
        svc.form_builder.publish(ADMIN, "visit", base_rev=first.rev)


def test_a_built_in_form_is_copied_and_adapted_as_a_new_form_type(svc: Services) -> None:
    copied = svc.form_builder.copy(ADMIN, "theme_activity", 1, "volunteer_days", "党员志愿服务日")
    assert copied.form_type == "volunteer_days" and copied.form_version == 1
    assert copied.ruleset is None
    check = svc.form_builder.save_draft(ADMIN, copied, base_rev=0)
    assert check.publishable, (check.problems, check.messages)
    svc.form_builder.publish(ADMIN, "volunteer_days", base_rev=check.rev)
    theme = svc.forms.get("theme_activity")
    assert list(svc.forms.get("volunteer_days").model_fields) == [
        n for n, f in theme.model_fields.items()
    ]
    with pytest.raises(DomainError, match="已存在"):
        svc.form_builder.copy(ADMIN, "theme_activity", 1, "volunteer_days", "再来一次")
    with pytest.raises(DomainError):
        svc.form_builder.open(ADMIN, "theme_activity")  # built-in: copy only


def test_templates_name_the_campaigns_that_used_each_version(svc: Services) -> None:
    publish_new(svc)
    submitted(svc, "visit", {"place": "社区"}, "approved")
    rows = {(r.form_type, r.form_version): r for r in svc.form_builder.templates(ADMIN)}
    assert rows[("visit", 1)].campaigns == ("c",)
    assert rows[("visit", 1)].source == "stored"
    assert rows[("plan", 2)].source == "builtin"


def test_only_admins_build_forms(svc: Services) -> None:
    form = replace(svc.form_builder.blank(ADMIN, "visit", "走访", "implement"), fields=FIELDS)
    for user in (REVIEWER, STAFF):
        with pytest.raises(PermissionDenied):
            svc.form_builder.save_draft(user, form, base_rev=0)
        with pytest.raises(PermissionDenied):
            svc.form_builder.templates(user)
        with pytest.raises(PermissionDenied):
            svc.form_builder.publish(user, "visit", base_rev=1)
    assert svc.form_builder.drafts(ADMIN) == []


def test_only_admins_build_rules_and_nothing_is_drafted_for_others(svc: Services) -> None:
    from rules.simple_rules import SimpleRule

    publish_new(svc)
    rule = SimpleRule("place_required", "place", "required", message_zh="请填写", message_en="x")
    for user in (REVIEWER, STAFF):
        with pytest.raises(PermissionDenied):
            svc.rule_builder.save_rule(user, "visit", rule, base_rev=0)
        with pytest.raises(PermissionDenied):
            svc.rule_builder.publish(user, "visit", base_rev=0)
        with pytest.raises(PermissionDenied):
            svc.rule_builder.rules(user, "visit")
    assert "visit" not in svc.rule_sets.names()
    misfit = replace(rule, condition="min_chars", number=3, field="hours")  # a number
    with pytest.raises(DomainError, match="不适用"):
        svc.rule_builder.save_rule(ADMIN, "visit", misfit, base_rev=0)
    assert "visit" not in svc.rule_sets.names()


def test_a_copy_is_kept_as_the_new_form_types_draft_to_edit_and_publish(svc: Services) -> None:
    builder = svc.form_builder
    copied, rev = builder.copy_as_draft(
        ADMIN, "theme_activity", 1, "volunteer_reg", "党员志愿服务日登记"
    )
    assert [d["form_type"] for d in builder.drafts(ADMIN)] == ["volunteer_reg"]
    assert "volunteer_reg" not in svc.forms  # a draft until published
    form, opened_rev = builder.open(ADMIN, "volunteer_reg")
    assert (form, opened_rev) == (copied, rev)
    edited = replace(form, fields=[f for f in form.fields if f.name != "central_work"])
    check = builder.save_draft(ADMIN, edited, base_rev=rev)
    builder.publish(ADMIN, "volunteer_reg", base_rev=check.rev)
    model = svc.forms.get("volunteer_reg")
    assert model.title_zh == "党员志愿服务日登记" and "central_work" not in model.model_fields
    assert "theme" in model.model_fields
    with pytest.raises(DomainError, match="已存在"):
        builder.copy_as_draft(ADMIN, "theme_activity", 1, "volunteer_reg", "再来一次")
    with pytest.raises(DomainError, match="已有名为《党员志愿服务登记》的表单"):  # shipped
        builder.copy_as_draft(ADMIN, "theme_activity", 1, "volunteer_two", "党员志愿服务登记")
    with pytest.raises(PermissionDenied):
        builder.copy_as_draft(REVIEWER, "theme_activity", 1, "volunteer_two", "不行")
