"""数据看板 in the app: the matrix shows a branch's draft as 未提交 and nothing of it, the charts
and 同比 draw, the ledgers download; branch staff are refused; next year's plan reminds
the branch of last year's 不足 (and only that branch)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.campaign_fixture import PASSWORD, build_campaign
from tests.app.driver import button, login, no_traceback, open_page, texts
from tests.app.test_app_summary_figures import submit_session
from tests.unit.test_workflow_next_year import WEAK
from tests.unit.test_workflow_summary_figures import sample
from workflow.errors import PermissionDenied
from workflow.models import User
from workflow.services import Services

SECRET = "尚未成熟的草稿标题ABC"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def encoding_titles(spec: dict[str, Any]) -> list[str]:
    """The title of every field a chart encodes (axes, legends, facets, tooltips); a field
    without one shows its name (``rate``, ``form``): that fails here as ``<no title: …>``."""
    titles = []
    for chart in [spec, *spec.get("layer", []), spec.get("spec", {})]:
        for channel in (chart.get("encoding") or {}).values():
            for definition in channel if isinstance(channel, list) else [channel]:
                if isinstance(definition, dict) and "field" in definition:
                    field = definition["field"]
                    titles.append(str(definition.get("title") or f"<no title: {field}>"))
    return titles


@pytest.fixture
def users(svc: Services) -> dict[str, User]:
    return build_campaign(svc)


def test_the_dashboard_shows_status_charts_and_years_without_draft_content(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    campaign = svc.campaigns.current()
    assert campaign is not None
    submit_session(svc, users["branch1"], campaign)
    svc.submissions.save_draft(
        users["branch1"],
        campaign_id=campaign.id,
        form_type="plan",
        data={"branch": "党政办公室党支部", "title": SECRET},
    )
    svc.next_year.start_next(users["admin"], campaign.year + 1, "下一年的先锋工程")
    login(app, "reviewer", PASSWORD)
    open_page(app, "pages/dashboard.py")
    app.selectbox(key="dash_campaign").set_value(campaign.id)
    app.run()
    no_traceback(app)
    (matrix, years) = (app.dataframe[0].value, app.dataframe[1].value)
    plan_column = "支部“先锋工程”实施方案"
    by_branch = dict(zip(matrix["支部"], matrix[plan_column], strict=True))
    assert by_branch == {"党政办公室党支部": "未提交", "教务处党支部": "待审核"}
    assert SECRET not in texts(app)
    assert list(years["年度"]) == [str(campaign.year + 1), str(campaign.year)]
    charts = app.get("vega_lite_chart")
    assert len(charts) >= 4, [c.proto for c in charts][:1]
    for chart in charts:  # axes, legends and tooltips read Chinese, never a field's name
        titles = encoding_titles(json.loads(chart.proto.spec))
        assert titles and all(CHINESE.search(title) for title in titles), titles
    assert any(b.label == "导出全部台账(Excel)" for b in app.get("download_button"))


def test_branch_staff_cannot_open_the_dashboard(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "branch1", PASSWORD)
    with pytest.raises(ValueError, match=r"Could not find a navigation page"):
        app.switch_page("pages/dashboard.py")
    with pytest.raises(PermissionDenied):  # and the service refuses, whatever the page does
        svc.dashboards.figures(users["branch1"], svc.campaigns.list()[0].id)


def test_next_years_plan_shows_the_branchs_own_weak_points(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    campaign = svc.campaigns.current()
    assert campaign is not None
    staff = users["branch1"]
    data = {**sample("summary_quality"), "branch": "党政办公室党支部", "shortcomings": WEAK}
    draft = svc.submissions.save_draft(
        staff, campaign_id=campaign.id, form_type="summary", data=data
    )
    svc.submissions.submit(staff, draft.id, draft.rev)
    svc.next_year.start_next(users["admin"], campaign.year + 1, "下一年的先锋工程")
    login(app, "branch1", PASSWORD)
    open_page(app, "pages/plan.py")
    no_traceback(app)
    shown = " ".join(str(i.value) for i in app.info)
    assert f"{campaign.year} 年总结中写的不足之处与薄弱环节" in shown and "迎评工作冲突" in shown
    other = AppTest.from_file(app._script_path, default_timeout=60)
    login(other, "branch2", PASSWORD)
    open_page(other, "pages/plan.py")
    no_traceback(other)
    assert "迎评工作冲突" not in texts(other)


def test_an_admin_starts_the_next_year_from_the_campaign_screen(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    last = svc.campaigns.current()
    assert last is not None
    login(app, "admin", PASSWORD)
    open_page(app, "pages/admin_campaigns.py")
    button(app, "新建这一期").click()
    app.run()
    no_traceback(app)
    new = svc.campaigns.current()
    assert new is not None and new.year == last.year + 1
    assert new.previous_campaign_id == last.id and new.settings == last.settings
    app.number_input(key="next_year_year").set_value(
        new.year
    )  # that year exists now: a message, not a crash
    button(app, "新建这一期").click()
    app.run()
    no_traceback(app)
    assert app.error and f"{new.year} 年已有一期先锋工程" in texts(app)
    assert len(svc.campaigns.list()) == 2
