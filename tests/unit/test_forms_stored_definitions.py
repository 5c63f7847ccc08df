"""Issue 4 (6): admin-defined forms are stored, versioned and registered through workflow."""

from __future__ import annotations

import pytest

from forms.registry import FormRegistry
from storage.memory import MemoryRepository
from workflow.errors import DomainError, PermissionDenied, ValidationFailed
from workflow.form_definitions import FormDefinitions
from workflow.form_types import standard_forms
from workflow.models import Role, User
from workflow.rule_sets import RuleSetService

TEXT = """\
form_type: stored_form
form_version: {version}
title: {{zh: 存储的表单, en: Stored form}}
stage: evaluate
fields:
  - name: note
    type: textarea
    label: {{zh: 说明, en: Note}}
"""
ADMIN = User(login="admin", display_name="管理员", role=Role.ADMIN)
STAFF = User(login="staff", display_name="支部", role=Role.BRANCH, branch_id="b")


@pytest.fixture
def registry() -> FormRegistry:
    """The form registry of one app process (each test its own)."""
    return standard_forms()


def test_admin_saves_a_new_version_and_the_old_one_stays_loadable(registry: FormRegistry) -> None:
    service = FormDefinitions(MemoryRepository(), registry)
    first = service.save(ADMIN, TEXT.format(version=1))
    second = service.save(ADMIN, TEXT.format(version=2))
    assert registry.get("stored_form") is second
    assert registry.get("stored_form", 1) is first
    with pytest.raises(DomainError, match="form_version 改为 3"):
        service.save(ADMIN, TEXT.format(version=2))


def test_stored_definitions_are_registered_again_after_a_restart() -> None:
    repo = MemoryRepository()
    FormDefinitions(repo).save(ADMIN, TEXT.format(version=1))
    registry = FormRegistry()  # the next process starts empty
    FormDefinitions(repo, registry).register_stored()
    assert registry.versions("stored_form") == [1]


def test_only_admins_define_forms_and_bad_definitions_say_where() -> None:
    service = FormDefinitions(MemoryRepository())
    with pytest.raises(PermissionDenied):
        service.save(STAFF, TEXT.format(version=1))
    with pytest.raises(ValidationFailed) as caught:
        service.save(ADMIN, TEXT.format(version=1).replace("stage: evaluate", "stage: x"))
    assert caught.value.errors["definition"].startswith("表单定义:4: stage 应为")


def test_built_in_python_forms_are_not_redefined_in_yaml(registry: FormRegistry) -> None:
    service = FormDefinitions(MemoryRepository(), registry)
    text = TEXT.format(version=2).replace("stored_form", "plan")
    with pytest.raises(DomainError, match="内置"):
        service.save(ADMIN, text)
    assert registry.get("plan").__module__ == "forms.launch"


def test_a_shipped_definition_is_the_starting_text_of_its_next_version() -> None:
    service = FormDefinitions(MemoryRepository())
    text = service.text_of(ADMIN, "volunteer_service", 1)
    assert "form_type: volunteer_service" in text
    assert service.next_version("volunteer_service") == 2
    listed = {(r.form_type, r.form_version): r.source for r in service.catalogue(ADMIN)}
    assert listed[("volunteer_service", 1)] == "shipped"
    assert listed[("plan", 1)] == "builtin"


def test_a_stored_definition_that_no_longer_compiles_does_not_stop_the_start_up(
    registry: FormRegistry,
) -> None:
    repo = MemoryRepository()
    FormDefinitions(repo).save(ADMIN, TEXT.format(version=1))
    repo.insert(
        "form_definitions",
        {"form_type": "broken", "form_version": 1, "text": "form_type: broken\nfields: 3"},
        actor="admin",
    )
    models = FormDefinitions(repo, registry).register_stored()
    assert [m.form_type for m in models] == ["stored_form"]
    assert "broken" not in registry.all_forms()


def test_a_form_saved_by_another_app_process_is_registered_on_sync(
    registry: FormRegistry,
) -> None:
    repo = MemoryRepository()  # the store both processes share
    FormDefinitions(repo).save(ADMIN, TEXT.format(version=1))  # with the first one's registry
    other_process = FormDefinitions(repo, registry)
    assert [m.form_version for m in other_process.sync()] == [1]
    assert other_process.sync() == []  # nothing new: nothing compiled again
    assert registry.get("stored_form").title_zh == "存储的表单"


def test_saving_a_form_whose_rule_set_exists_nowhere_names_the_line_and_a_close_name(
    registry: FormRegistry,
) -> None:
    service = FormDefinitions(MemoryRepository(), registry)
    text = TEXT.format(version=1).replace("stage: evaluate", "stage: evaluate\nruleset: evaluatoin")
    with pytest.raises(ValidationFailed) as caught:
        service.save(ADMIN, text)
    assert caught.value.errors["definition"] == (
        "表单定义:5: 规则集 'evaluatoin' 不存在,是不是想写 'evaluation'?"
    )
    assert "stored_form" not in registry.all_forms()
    assert service.preview(ADMIN, text).messages == (
        "表单定义:5: 规则集 'evaluatoin' 不存在,是不是想写 'evaluation'?",
    )


def test_a_rule_set_kept_only_in_the_store_may_be_named_by_a_saved_form() -> None:
    repo = MemoryRepository()
    service = FormDefinitions(repo)
    text = TEXT.format(version=1).replace("stage: evaluate", "stage: evaluate\nruleset: club_rules")
    with pytest.raises(ValidationFailed, match="规则集 'club_rules' 不存在"):
        service.save(ADMIN, text)
    rules = "name: club_rules\nform: stored_form\nversion: '1'\nrules: []\n"
    repo.insert("users", {**ADMIN.model_dump(mode="json"), "id": ADMIN.login}, actor="test")
    RuleSetService(repo).save_draft(ADMIN, "club_rules", rules, base_rev=0)  # in the store
    assert service.preview(ADMIN, text).messages == ()
    assert service.save(ADMIN, text).ruleset == "club_rules"
