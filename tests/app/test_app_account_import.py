"""账号管理 → 从 Excel 导入 (issue 10 point 8): the template downloads, a bad sheet lists its
problems by row and column and stores nothing, a good one shows the accounts with their
branches and one-time passwords."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from i18n import t
from tests.app.campaign_fixture import PASSWORD, build_campaign
from tests.app.driver import button, login, no_traceback, open_page, texts
from tests.unit.test_workflow_account_import import xlsx
from workflow.models import User
from workflow.services import Services

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def users(svc: Services) -> dict[str, User]:
    return build_campaign(svc)


def _import(app: AppTest, data: bytes) -> None:
    app.get("file_uploader")[0].set_value(("名单.xlsx", data, MIME))
    app.run()
    button(app, t("pages.users.import_run")).click()
    app.run()
    no_traceback(app)


def test_a_bad_sheet_lists_each_row_and_stores_nothing_then_a_good_one_imports(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "admin", PASSWORD)
    open_page(app, "pages/admin_users.py")
    assert next(b.label for b in app.get("download_button")) == t("pages.users.import_template")
    before = len(svc.repo.find("users"))

    _import(app, xlsx([["财务处党支部", "", 0, "", ""]], [["cw1", "财务一", "书记", ""]]))
    assert t("pages.users.import_problems", n=2) in texts(app)
    table = app.dataframe[-1].value
    assert list(table[t("pages.users.import_row")]) == [2, 2]
    assert list(table[t("pages.users.import_column")]) == ["党员人数", "角色"]
    assert len(svc.repo.find("users")) == before

    _import(
        app,
        xlsx([["财务处党支部", "", 9, "", ""]], [["cw1", "财务一", "支部", "财务处党支部"]]),
    )
    assert t("pages.users.import_done", branches=1, accounts=1) in texts(app)
    table = app.dataframe[-1].value
    assert list(table[t("workflow.field.branch_id")]) == ["财务处党支部"]
    password = next(iter(table[t("workflow.field.password")]))
    assert svc.accounts.authenticate("cw1", password).login == "cw1"
    assert t("pages.users.import_passwords") in [b.label for b in app.get("download_button")]


def test_a_file_that_is_not_excel_is_refused_in_chinese(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "admin", PASSWORD)
    open_page(app, "pages/admin_users.py")
    _import(app, b"PK\x03\x04 not really")
    assert any(".xlsx" in e.value for e in app.error)
