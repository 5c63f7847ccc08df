"""The YAML screen warns as the form builder does: a version removing a field submitted forms
hold lists it with their number, and saving needs 我已知晓 (``FormDefinitions.save`` refuses
otherwise, whichever screen asks)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from i18n import t
from tests.app.campaign_fixture import PASSWORD, build_campaign
from tests.app.conftest import APP
from tests.app.driver import button, login, no_traceback, open_page, texts
from workflow.errors import DomainError
from workflow.services import Services

PLACE = """  - name: place
    type: text
    label: {zh: 服务地点, en: Place}
    required: true
    max_length: 200
"""


def submitted(svc: Services, data: dict[str, object]) -> None:
    svc.repo.insert(
        "submissions",
        {"campaign_id": "c", "branch_id": "b", "form_type": "volunteer_service",
         "form_version": 1, "stage": "implement", "status": "submitted", "data": data,
         "versions": [{"version": 1, "data": data, "submitted_at": "", "submitted_by": "x"}]},
        actor="x",
    )  # fmt: skip


def test_removing_a_used_field_on_the_yaml_screen_needs_acknowledgement(svc: Services) -> None:
    build_campaign(svc)
    submitted(svc, {"member": "张三", "place": "社区"})
    submitted(svc, {"member": "李四", "place": "敬老院"})
    at = login(AppTest.from_file(APP, default_timeout=60), "admin", PASSWORD)
    open_page(at, "pages/admin_forms.py")
    at.selectbox(key="admin_forms:start").set_value("volunteer_service@1").run()
    at.button(key="admin_forms:load").click().run()
    text = str(at.text_area(key="admin_forms:text").value)
    assert PLACE in text
    at.text_area(key="admin_forms:text").input(text.replace(PLACE, "")).run()
    no_traceback(at)
    assert t("builder.publish.changes") in [w.value for w in at.warning]
    removed = t("builder.publish.removed", field="服务地点", before="单行文字", count=2)
    assert removed in texts(at)

    button(at, t("admin_forms.save")).click()
    at.run()
    no_traceback(at)
    refused = t("builder.error.acknowledge", fields="服务地点", count=2)
    assert refused in [e.value.replace("\\", "") for e in at.error], texts(at)  # escaped
    assert svc.forms.versions("volunteer_service") == [1]

    ack = [c for c in at.checkbox if c.label == t("builder.publish.acknowledge")]
    assert len(ack) == 1 and str(ack[0].key).startswith("admin_forms:ack:")
    ack[0].check().run()
    button(at, t("admin_forms.save")).click()
    at.run()
    no_traceback(at)
    assert svc.forms.versions("volunteer_service") == [1, 2]
    assert "place" not in svc.forms.get("volunteer_service").model_fields


def test_the_service_refuses_it_unacknowledged_whichever_screen_asks(svc: Services) -> None:
    users = build_campaign(svc)
    submitted(svc, {"member": "张三", "place": "社区"})
    admin = users["admin"]
    text = svc.form_definitions.text_of(admin, "volunteer_service", 1)
    text = text.replace(PLACE, "").replace("form_version: 1", "form_version: 2")
    preview = svc.form_definitions.preview(admin, text)
    assert [(c.path, c.after, c.affected) for c in preview.changes] == [("place", None, 1)]
    with pytest.raises(DomainError, match="服务地点"):
        svc.form_definitions.save(admin, text)
    assert svc.form_definitions.stored() == []
    svc.form_definitions.save(admin, text, acknowledged=True)
    assert svc.forms.versions("volunteer_service") == [1, 2]
