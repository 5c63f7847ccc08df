"""从模板开始 on the admin's campaigns screen: a new campaign from the shipped template or an
earlier campaign, and the rule-set and form versions a campaign records, shown beside it."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from rules.engine import shipped_rulesets
from tests.app.campaign_fixture import PASSWORD, build_campaign
from tests.app.driver import button, login, no_traceback, open_page, texts
from workflow.models import Campaign, User
from workflow.services import Services


@pytest.fixture
def users(svc: Services) -> dict[str, User]:
    return build_campaign(svc)


def start(app: AppTest, svc: Services, source: str, year: int) -> Campaign | None:
    """The admin starts the campaign of ``year`` from ``source`` on the campaigns screen."""
    login(app, "admin", PASSWORD)
    open_page(app, "pages/admin_campaigns.py")
    app.selectbox(key="next_source").set_value(source)
    app.number_input(key="next_year_year").set_value(year)
    button(app, "新建这一期").click()
    app.run()
    no_traceback(app)
    return svc.campaigns.current()


def test_a_campaign_starts_from_the_shipped_template_and_shows_its_versions(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    (last,) = svc.campaigns.list()
    new = start(app, svc, "", last.year + 2)  # "": the shipped template
    assert new is not None and new.year == last.year + 2
    assert new.previous_campaign_id is None
    assert new.rule_set_versions == {p.stem: 0 for p in shipped_rulesets()}
    assert new.form_versions["plan"] == svc.forms.get("plan").form_version

    app.selectbox(key="campaign_pick").set_value(new.id).run()
    no_traceback(app)
    shown = texts(app)
    assert "本期使用的规则集和表单版本" in [e.label for e in app.expander]
    versions = str(app.dataframe[-1].value)
    assert "规则集 plan_quality" in versions and "系统自带文件" in versions
    assert "表单 plan" in versions and "第 " in versions
    assert "从模板开始新的一期" in shown


def test_an_earlier_campaign_is_a_template_too(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    (last,) = svc.campaigns.list()
    new = start(app, svc, last.id, last.year + 1)
    assert new is not None and new.previous_campaign_id == last.id
    assert new.rule_set_versions["plan_quality"] == 0 and new.settings == last.settings
