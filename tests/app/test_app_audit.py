"""The admin's audit log reads in words: actions, kinds, records by name, changed fields by label,
times in the school's time zone, no password hashes; a restore is shown as 恢复."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from i18n import t
from tests.app.campaign_fixture import PASSWORD, build_campaign
from tests.app.driver import confirm, login, open_page
from workflow.models import User
from workflow.services import Services

RAW = re.compile(r"\b(insert|update|delete|submissions|users|branches)\b")


@pytest.fixture
def users(svc: Services) -> dict[str, User]:
    return build_campaign(svc)


def log_rows(app: AppTest) -> list[dict[str, str]]:
    frame = app.dataframe[0].value
    return [{str(k): str(v) for k, v in row.items()} for row in frame.to_dict("records")]


def test_audit_log_names_actions_kinds_records_and_fields_in_chinese(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    campaign = svc.campaigns.current()
    assert campaign is not None
    subs = svc.submissions
    draft = subs.save_draft(
        users["branch1"], campaign_id=campaign.id, form_type="plan", data={"title": "初稿标题"}
    )
    subs.save_draft(
        users["branch1"],
        campaign_id=campaign.id,
        form_type="plan",
        data={**draft.data, "title": "修改后的方案标题"},
        submission_id=draft.id,
        expected_rev=draft.rev,
    )
    login(app, "admin", PASSWORD)
    open_page(app, "pages/audit.py")
    rows = log_rows(app)
    action, record, changes = (
        t("pages.audit.action"),
        t("pages.audit.record"),
        t("pages.audit.changes"),
    )
    plan = "提交材料 · 党政办公室党支部 · 支部“先锋工程”实施方案 · v0"
    edit, created = [r for r in rows if r[record] == plan]  # newest first
    assert (edit[action], created[action]) == ("修改", "新建")
    # A draft is seen by its own branch only: not even the audit log shows its text.
    assert "初稿标题" not in repr(rows) and "修改后的方案标题" not in repr(rows)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", edit[t("pages.audit.at")])
    assert {r[action] for r in rows} >= {"新建", "修改"}
    kinds = {r[record].split(" · ")[0] for r in rows}
    assert {"提交材料", "支部", "账号", "活动"} <= kinds
    assert "账号 · branch1" in {r[record] for r in rows}
    account = next(r for r in rows if r[record] == "账号 · branch1")
    assert "密码: — → ***" in account[changes] and "argon2" not in account[changes]
    assert "角色: — → 支部" in account[changes]
    for row in rows:
        assert not RAW.search(row[action] + row[record]), row


def test_restore_is_logged_as_restore_and_the_kind_filter_speaks_chinese(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    branch = svc.branches.list()[0]
    # A second revision of the branch (no branch-editing service yet: written as the admin).
    svc.repo.update(
        "branches",
        {**branch.model_dump(mode="json"), "secretary": "新书记"},
        actor="admin",
        expected_rev=branch.rev,
    )
    login(app, "admin", PASSWORD)
    open_page(app, "pages/audit.py")
    kind_box = app.selectbox(key="audit_kind")
    assert "支部" in kind_box.options and "branches" not in kind_box.options
    kind_box.select("branches")
    app.run()
    app.selectbox(key="audit_record").select(("branches", branch.id))
    app.run()
    revision = app.selectbox(key=f"audit_rev:{('branches', branch.id)}")
    assert revision.options[0].startswith("第 1 版 · ")
    revision.select(1)
    app.run()
    confirm(app, t("pages.audit.restore"))
    newest = log_rows(app)[0]
    assert newest[t("pages.audit.action")] == "恢复"
    assert newest[t("pages.audit.record")] == f"支部 · {branch.name}"
    assert "书记: 新书记 → " in newest[t("pages.audit.changes")]
