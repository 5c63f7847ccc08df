"""Two forms never share a Chinese title (branch staff pick forms by title): checked when a
form is created and again whenever a version is published, from the form builder or the YAML
screen, so a title renamed after creation cannot take another form's."""

from __future__ import annotations

from dataclasses import replace

import pytest

from forms.builder import BuilderField
from i18n import t
from storage.memory import MemoryRepository
from workflow.errors import DomainError
from workflow.models import Role, User
from workflow.services import Services, build_services

ADMIN = User(login="admin", display_name="管理员", role=Role.ADMIN)
TAKEN = "党员志愿服务登记"  # the shipped volunteer_service
REFUSED = t("builder.error.title_taken", title=TAKEN, form="volunteer_service")


@pytest.fixture
def svc() -> Services:
    svc = build_services(MemoryRepository())
    builder = svc.form_builder
    form = replace(builder.blank(ADMIN, "visit", "走访记录", "implement"),
                   fields=(BuilderField("place", "text", "地点"),))  # fmt: skip
    builder.publish(ADMIN, "visit", base_rev=builder.save_draft(ADMIN, form, base_rev=0).rev)
    return svc


def test_a_built_form_renamed_to_another_forms_title_is_not_published(svc: Services) -> None:
    builder = svc.form_builder
    form, _ = builder.open(ADMIN, "visit")
    check = builder.save_draft(ADMIN, replace(form, title_zh=f" {TAKEN} "), base_rev=0)
    assert REFUSED in check.problems and not check.publishable  # shown beside the draft
    with pytest.raises(DomainError) as caught:
        builder.publish(ADMIN, "visit", base_rev=check.rev)
    assert REFUSED in str(caught.value)
    assert svc.forms.versions("visit") == [1] and svc.forms.get("visit").title_zh == "走访记录"
    renamed = builder.save_draft(ADMIN, replace(form, title_zh="走访记录(新)"), base_rev=check.rev)
    assert renamed.problems == ()
    builder.publish(ADMIN, "visit", base_rev=renamed.rev)  # its own new title: fine
    assert svc.forms.get("visit").title_zh == "走访记录(新)"


def test_the_yaml_screen_refuses_another_forms_title_and_keeps_its_own(svc: Services) -> None:
    definitions = svc.form_definitions
    text = definitions.text_of(ADMIN, "visit", 1).replace("form_version: 1", "form_version: 2")
    with pytest.raises(DomainError) as caught:
        definitions.save(ADMIN, text.replace("走访记录", TAKEN))
    assert str(caught.value) == REFUSED
    assert svc.forms.versions("visit") == [1]
    definitions.save(ADMIN, text)  # the form's own title is not another form's
    assert svc.forms.versions("visit") == [1, 2]
