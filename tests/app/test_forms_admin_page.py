"""Issue 4 (1): the admin's form-definition page — live preview, errors as file:line, versions."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from i18n import t
from tests.app.campaign_fixture import PASSWORD, build_campaign
from tests.app.conftest import APP
from tests.app.driver import button, login, no_traceback, open_page, texts
from tests.app.test_forms_remount import mounted
from workflow.errors import PermissionDenied
from workflow.models import User
from workflow.services import Services


@pytest.fixture
def admin_page(svc: Services) -> AppTest:
    build_campaign(svc)
    at = login(AppTest.from_file(APP, default_timeout=60), "admin", PASSWORD)
    return open_page(at, "pages/admin_forms.py")


def test_admin_page_previews_the_definition_with_the_real_renderer_as_it_is_edited(
    admin_page: AppTest,
) -> None:
    at = admin_page
    assert at.text_input(key="vanguard.form:admin_forms:" + _digest(at) + "|branch").label
    text = str(at.text_area(key="admin_forms:text").value)
    at.text_area(key="admin_forms:text").input(
        text.replace("{zh: 情况说明, en: Notes}", "{zh: 走访情况, en: Notes}")
    ).run()
    no_traceback(at)
    assert "走访情况" in [a.label for a in at.text_area]  # the preview follows the text


def test_admin_page_shows_definition_problems_as_file_line_message_and_saves_nothing(
    admin_page: AppTest, svc: Services
) -> None:
    at = admin_page
    text = str(at.text_area(key="admin_forms:text").value)
    at.text_area(key="admin_forms:text").input(text.replace("type: date", "type: dat")).run()
    no_traceback(at)
    problems = "\n".join(str(c.value) for c in at.code)
    assert "表单定义:" in problems and "是不是想写 'date'" in problems
    line = problems.split("表单定义:")[1].split(":")[0]
    assert text.splitlines()[int(line) - 1].strip() == "type: date"
    button(at, t("admin_forms.save")).click()
    at.run()
    no_traceback(at)
    assert svc.form_definitions.stored() == []
    assert any("表单定义:" in e.value or "表单有" in e.value for e in at.error), texts(at)


def test_admin_page_loads_a_shipped_definition_as_the_next_version_and_lists_it_after_saving(
    admin_page: AppTest, svc: Services
) -> None:
    at = admin_page
    at.selectbox(key="admin_forms:start").set_value("volunteer_service@1").run()
    at.button(key="admin_forms:load").click().run()
    text = str(at.text_area(key="admin_forms:text").value)
    assert "form_type: volunteer_service" in text and "form_version: 2" in text
    button(at, t("admin_forms.save")).click()
    at.run()
    no_traceback(at)
    assert svc.forms.versions("volunteer_service") == [1, 2]
    listed = at.dataframe[0].value
    rows = listed[listed.iloc[:, 0] == "volunteer_service"]
    assert sorted(rows.iloc[:, 3].tolist()) == [1, 2]


def test_only_admins_reach_the_page_and_the_workflow_refuses_everyone_else(
    svc: Services,
) -> None:
    users: dict[str, User] = build_campaign(svc)
    at = login(AppTest.from_file(APP, default_timeout=60), "reviewer", PASSWORD)
    with pytest.raises(ValueError, match="admin_forms"):
        at.switch_page("pages/admin_forms.py")  # not in a reviewer's navigation
    text = "form_type: sneaky\ntitle: x\nstage: launch\nfields: [{name: a, type: text, label: a}]"
    for login_name in ("reviewer", "branch1", "reader"):
        with pytest.raises(PermissionDenied):
            svc.form_definitions.save(users[login_name], text)
        with pytest.raises(PermissionDenied):
            svc.form_definitions.preview(users[login_name], text)
        with pytest.raises(PermissionDenied):
            svc.form_definitions.catalogue(users[login_name])
    assert "sneaky" not in svc.forms.all_forms()


def _digest(at: AppTest) -> str:
    kept = at.session_state["admin_forms:preview"]
    return str(kept[0])


def test_a_loaded_definition_shows_in_a_browser_that_missed_the_run_that_loaded_it(
    admin_page: AppTest,
) -> None:
    at = admin_page
    at.selectbox(key="admin_forms:start").set_value("volunteer_service@1").run()
    at.button(key="admin_forms:load").click().run()  # its messages never reach the browser
    at.run()  # the rerun the admin's next click asked for
    assert "form_type: volunteer_service" in str(mounted(at.text_area(key="admin_forms:text")))
