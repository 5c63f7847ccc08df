"""Markdown injection: text typed by one person and rendered as Markdown on another's screen
(a reviewer's per-field reason in the branch's editor, an admin-set display name in the
sidebar) is shown as typed: no remote image is fetched, no link, no ``:red[…]``."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.campaign_fixture import PASSWORD, build_campaign
from tests.app.driver import login, no_traceback, open_page
from workflow.services import Services

ATTACK = "![x](http://evil.example/p.png) :red[紧急] [点我](http://evil.example) <b>粗</b>"
LIVE = ("![", "](", ":red[", "<b>")  # any of these unescaped would render


def _rendered(app: AppTest) -> list[str]:
    """Every Markdown source the page sent: text, message boxes, captions, sidebar."""
    parts = [m.value for m in app.markdown] + [m.value for m in app.sidebar.markdown]
    for kind in (app.error, app.warning, app.info, app.success, app.caption, app.title):
        parts += [str(e.value) for e in kind]
    return parts


def _assert_shown_as_typed(app: AppTest) -> list[str]:
    """The page ran, showed the attack somewhere, and nowhere as live Markdown."""
    no_traceback(app)
    shown = [s for s in _rendered(app) if "evil" in s]
    assert shown, _rendered(app)
    for source in shown:
        assert not any(live in source for live in LIVE), source
    return shown


def test_reviewers_field_reason_is_shown_as_typed_in_the_branch_editor(
    app: AppTest, svc: Services
) -> None:
    users = build_campaign(svc)
    campaign = svc.campaigns.current()
    assert campaign is not None
    plan = svc.submissions.list(users["reviewer"], campaign_id=campaign.id, form_type="plan")[0]
    svc.submissions.return_(
        users["reviewer"], plan.id, plan.rev, ATTACK, field_reasons={"features": ATTACK}
    )
    login(app, "branch2", PASSWORD)
    open_page(app, "pages/plan.py")
    shown = _assert_shown_as_typed(app)
    assert len(shown) >= 2, shown  # the overall reason and the one at the field
    for source in shown:
        assert r"\!\[x\]\(http://evil\.example/p\.png\)" in source


def test_admin_set_display_name_is_shown_as_typed_in_the_sidebar(
    app: AppTest, svc: Services
) -> None:
    users = build_campaign(svc)
    staff = svc.accounts.get_user(users["admin"], "branch2")
    svc.accounts.update_user(
        users["admin"], staff.model_copy(update={"display_name": ATTACK[:50]}), staff.rev
    )
    login(app, "branch2", PASSWORD)
    _assert_shown_as_typed(app)


def test_an_admin_set_branch_name_is_shown_as_typed_in_a_dossier_title(
    app: AppTest, svc: Services
) -> None:
    """The 材料汇编 screen's build titles name the branch (or campaign) an admin typed."""
    users = build_campaign(svc)
    campaign = svc.campaigns.current()
    assert campaign is not None
    branch = svc.branches.list()[0]
    svc.branches.update(users["admin"], branch.model_copy(update={"name": ATTACK[:60]}), branch.rev)
    svc.dossiers.start_branch_dossier(users["reviewer"], campaign.id, branch.id)
    login(app, "reviewer", PASSWORD)
    open_page(app, "pages/dossiers.py")
    _assert_shown_as_typed(app)


def test_an_admin_set_campaign_title_is_shown_as_typed_above_the_plan(
    app: AppTest, svc: Services
) -> None:
    users = build_campaign(svc)
    campaign = svc.campaigns.current()
    assert campaign is not None
    svc.campaigns.update(
        users["admin"], campaign.model_copy(update={"title": ATTACK}), campaign.rev
    )
    login(app, "branch2", PASSWORD)
    open_page(app, "pages/plan.py")
    _assert_shown_as_typed(app)
