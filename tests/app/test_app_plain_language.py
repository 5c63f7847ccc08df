"""Issue 10 point 5: office staff read words and percentages, not ids, hashes or debug lines."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from i18n import t
from tests.app.campaign_fixture import PASSWORD, build_campaign
from tests.app.driver import button, login, no_traceback, open_page
from workflow.models import User
from workflow.services import Services

# a hex id or hash has letters and digits; a spot-check seed (digits only) is meant to be read
HEX_ID = re.compile(r"\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{8,}\b")


@pytest.fixture
def users(svc: Services) -> dict[str, User]:
    return build_campaign(svc)


def _outside_popovers(at: AppTest) -> str:
    """The page's text without what sits in a popover (the 详情 kept for tracing)."""
    inside = {id(n) for p in at.get("popover") for n in _walk(p)}
    return "\n".join(
        str(e.value)
        for kind in ("markdown", "caption", "subheader", "success", "warning", "error")
        for e in getattr(at, kind)
        if id(e) not in inside
    )


def _walk(node):  # type: ignore[no-untyped-def]
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def test_reviewer_screen_has_no_hash_or_rule_id_outside_details_and_groups_as_tables(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    campaign = svc.campaigns.current()
    assert campaign is not None
    plan = svc.submissions.list(users["reviewer"], campaign_id=campaign.id, form_type="plan")[0]
    assert plan.report is not None
    login(app, "reviewer", PASSWORD)
    open_page(app, "pages/review.py")
    visible = _outside_popovers(app)
    assert plan.report["hash"][:12] not in visible
    assert not HEX_ID.search(visible), HEX_ID.search(visible)
    details = "\n".join(
        str(c.value) for p in app.get("popover") for c in _walk(p) if c.type == "caption"
    )
    assert plan.report["hash"][:12] in details, "the hash stays available under 详情"
    # 主要内容 reads as a table: 工作内容 | 具体措施 | 责任人 | 完成时限
    headers = [list(tbl.value.columns) for tbl in app.table]
    assert ["工作内容", "具体措施", "责任人", "完成时限"] in headers, headers


def test_spot_check_proof_names_branches_and_ratios_are_percentages(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "reviewer", PASSWORD)
    open_page(app, "pages/spot_check.py")
    button(app, t("pages.spot.draw")).click()
    app.run()
    button(app, t("pages.spot.reproduce")).click()
    app.run()
    no_traceback(app)
    assert "- 教务处党支部" in [m.value for m in app.markdown]
    ratios = app.dataframe[0].value[t("pages.spot.ratio")].tolist()
    assert all(r == "" or r.endswith("%") for r in ratios), ratios
    assert not HEX_ID.search(_outside_popovers(app))
