"""Admin screens: bad input names the field and the fix; good input is stored."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from i18n import t
from tests.app.campaign_fixture import PASSWORD, build_campaign
from tests.app.driver import button, login, no_traceback, open_page
from workflow.models import Campaign, Stage, User
from workflow.passwords import MIN_PASSWORD_LENGTH
from workflow.services import Services


@pytest.fixture
def users(svc: Services) -> dict[str, User]:
    return build_campaign(svc)


def test_branch_with_a_too_short_name_is_refused_at_the_name_field_then_created(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "admin", PASSWORD)
    open_page(app, "pages/admin_branches.py")
    name = next(w for w in app.text_input if w.label.startswith(t("workflow.field.name")))
    name.input("图")
    button(app, t("pages.common.save")).click()
    app.run()
    no_traceback(app)
    assert "「支部名称」至少需要 2 个字,请补充" in [e.value for e in app.error]
    assert len(svc.branches.list()) == 2

    name = next(w for w in app.text_input if w.label.startswith(t("workflow.field.name")))
    assert name.value == "图", "what was typed stays after the error"
    name.input("图书馆党支部")
    assert app.multiselect[0].proto.placeholder == "请选择(可多选)"  # not Streamlit's English
    app.multiselect[0].select("学科建设")
    button(app, t("pages.common.save")).click()
    app.run()
    no_traceback(app)
    created = [b for b in svc.branches.list() if b.name == "图书馆党支部"]
    assert created and created[0].central_work == ["学科建设"]


def test_a_renamed_branch_lists_its_former_name_which_no_other_branch_may_take(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    first, second = svc.branches.list()
    login(app, "admin", PASSWORD)
    open_page(app, "pages/admin_branches.py")

    def save_name(branch: str, name: str) -> None:
        app.selectbox(key="branch_pick").select(branch).run()
        box = next(w for w in app.text_input if w.label.startswith(t("workflow.field.name")))
        box.input(name)
        button(app, t("pages.common.save")).click()
        app.run()
        no_traceback(app)

    save_name(first.id, "机关第一党支部(更名)")
    table = app.dataframe[0].value
    row = table[table[t("workflow.field.name")] == "机关第一党支部(更名)"]
    assert list(row[t("workflow.field.former_names")]) == [first.name]

    save_name(second.id, first.name)
    errors = [e.value for e in app.error]  # the form's summary, then the name field's own
    assert len(errors) == 2 and errors[1].startswith(f"支部名称“{first.name}”是“机关第一党支部")
    assert errors[1].endswith("以前的名称,已有记录中按此名称填写的合作支部仍指该支部;请换一个名称")
    assert svc.branches.get(second.id).name == second.name  # nothing stored


def test_branch_account_without_a_branch_is_refused_at_the_branch_field(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "admin", PASSWORD)
    open_page(app, "pages/admin_users.py")

    def create_form(name: str) -> Any:  # the create tab's fields (the edit tab repeats labels)
        return app.text_input(key=f"vanguard.form:user_create|{name}")

    create_form("login").input("wanglei")
    create_form("display_name").input("王磊")
    create_form("password").input("long-enough-2")
    button(app, t("pages.users.create")).click()
    app.run()
    no_traceback(app)
    assert "支部账户必须选择所属支部" in [e.value for e in app.error]
    assert all(u.login != "wanglei" for u in svc.accounts.list_users(users["admin"]))


def test_admin_resets_a_password_and_the_user_logs_in_with_it(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "admin", PASSWORD)
    open_page(app, "pages/admin_users.py")
    app.selectbox(key="vanguard.form:user_password|login").select("branch2")
    app.text_input(key="vanguard.form:user_password|password").input("new-secret-99")
    button(app, t("pages.users.reset_password")).click()
    app.run()
    no_traceback(app)
    assert svc.accounts.authenticate("branch2", "new-secret-99").login == "branch2"


def _campaign_input(app: AppTest, path: str) -> Any:
    """A widget of the campaign form of the campaign picked, by its field path."""
    key = f"vanguard.form:campaign_form:{app.selectbox(key='campaign_pick').value}|{path}"
    for kind in ("date_input", "number_input", "text_input", "selectbox"):
        found = [w for w in getattr(app, kind) if w.key == key]
        if found:
            return found[0]
    raise AssertionError(f"no widget at {path}")


def test_campaign_with_reversed_stage_dates_is_refused_at_the_end_date_then_saved(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    campaign = svc.campaigns.current()
    assert campaign is not None
    quotas = {"先进党支部": 4}
    campaign = svc.campaigns.update(
        users["admin"],
        {
            **campaign.model_dump(),
            "settings": {
                **campaign.settings.model_dump(),
                "award_quotas": quotas,
                "award_shares": {},
            },
        },
        campaign.rev,
    )
    login(app, "admin", PASSWORD)
    open_page(app, "pages/admin_campaigns.py")
    app.selectbox(key="campaign_pick").select(campaign.id).run()
    _campaign_input(app, "stage_dates.launch.start").set_value(dt.date(2026, 5, 1))
    _campaign_input(app, "stage_dates.launch.end").set_value(dt.date(2026, 4, 1))
    button(app, t("pages.common.save")).click()
    app.run()
    no_traceback(app)
    message = t("workflow.campaign.dates_reversed", stage=t("stage.launch"))
    assert message in [e.value for e in app.error]
    assert svc.campaigns.get(campaign.id).stage_dates == campaign.stage_dates

    end = _campaign_input(app, "stage_dates.launch.end")
    assert end.value == dt.date(2026, 4, 1), "what was typed stays after the error"
    end.set_value(dt.date(2026, 6, 30))
    _campaign_input(app, "settings.demo_site_quota").set_value(5)
    button(app, t("pages.common.save")).click()
    app.run()
    no_traceback(app)
    saved = svc.campaigns.get(campaign.id)
    assert saved.stage_dates[Stage.LAUNCH].end == dt.date(2026, 6, 30)
    assert saved.settings.demo_site_quota == 5
    assert saved.settings.award_quotas == quotas, "the award grid keeps what it was drawn with"


def test_campaign_bounds_come_from_the_model(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "admin", PASSWORD)
    open_page(app, "pages/admin_campaigns.py")
    year = _campaign_input(app, "year")
    quota = _campaign_input(app, "settings.demo_site_quota")
    year_field = Campaign.model_fields["year"].metadata
    assert (year.min, year.max) == (
        next(m.ge for m in year_field if hasattr(m, "ge")),
        next(m.le for m in year_field if hasattr(m, "le")),
    )
    assert quota.max == 20 and quota.min == 0
    assert _campaign_input(app, "title").label == t("workflow.field.title") + t(
        "forms.required_mark"
    )


def test_account_changes_are_saved_and_passwords_are_typed_hidden(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "admin", PASSWORD)
    open_page(app, "pages/admin_users.py")
    for form in ("user_create", "user_password"):
        password = app.text_input(key=f"vanguard.form:{form}|password")
        assert password.proto.type == password.proto.PASSWORD
        assert password.help == t("workflow.field.password_help", n=MIN_PASSWORD_LENGTH)
    app.selectbox(key="user_pick").select("reader").run()
    edit = "vanguard.form:user_edit:reader"
    app.text_input(key=f"{edit}|display_name").input("校党委办公室")
    app.selectbox(key=f"{edit}|role").select("reviewer")
    app.checkbox(key=f"{edit}|active").uncheck()
    button(app, t("pages.common.save")).click()
    app.run()
    no_traceback(app)
    changed = svc.accounts.get_user(users["admin"], "reader")
    assert (changed.display_name, changed.role, changed.active) == (
        "校党委办公室",
        "reviewer",
        False,
    )
    assert changed.branch_id is None
