"""S5/S6 in the app: apply, rank and approve within the quota, grant, spend with a receipt,
report and accept; the admin's funding screen and the 以点带面 page."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from forms.implement import DemoSiteApplication
from forms.markdown import escape_label
from i18n import t
from tests.app.campaign_fixture import PASSWORD, build_campaign
from tests.app.driver import button, login, no_traceback, open_page, texts
from tests.app.form_filler import fill_form
from tests.unit.demo_site_world import application, receipt
from workflow.models import Status, Submission, User
from workflow.services import Services


@pytest.fixture
def users(svc: Services) -> dict[str, User]:
    return build_campaign(svc)


def campaign_id(svc: Services) -> str:
    campaign = svc.campaigns.current()
    assert campaign is not None
    return campaign.id


def apply(svc: Services, user: User, central_work: list[str], title: str) -> Submission:
    subs = svc.submissions
    draft = subs.save_draft(
        user,
        campaign_id=campaign_id(svc),
        form_type="demo_site",
        data=application(title, central_work),
    )
    return subs.submit(user, draft.id, draft.rev)


def click(app: AppTest, key: str) -> None:
    app.button(key=key).click()
    app.run()
    no_traceback(app)


def test_a_branch_applies_on_its_screen(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "branch1", PASSWORD)
    open_page(app, "pages/demo_apply.py")
    assert "名额 2 个" in texts(app)
    fill_form(
        app,
        DemoSiteApplication,
        application("窗口服务示范点", ["校庆"]),
        key="vg_ed:demo_site:new:0",
    )
    button(app, t("common.submit")).click()
    app.run()
    no_traceback(app)
    [stored] = svc.submissions.list(users["branch1"], campaign_id=campaign_id(svc))[-1:]
    assert stored.form_type == "demo_site" and stored.status == Status.SUBMITTED, texts(app)


def test_the_reviewer_ranks_approves_and_is_refused_past_the_quota(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    campaign = svc.campaigns.current()
    assert campaign is not None
    data = campaign.model_dump(mode="json")
    data["settings"]["demo_site_quota"] = 1
    svc.campaigns.update(users["admin"], data, campaign.rev)
    low = apply(svc, users["branch1"], [], "普通示范点")
    high = apply(svc, users["branch2"], ["本科教学评估", "学科建设"], "教学评估示范点")
    login(app, "reviewer", PASSWORD)
    open_page(app, "pages/demo_ranking.py")
    [table] = app.dataframe
    assert list(table.value["示范点"]) == ["教学评估示范点", "普通示范点"]
    assert list(table.value["优先加分"]) == [20, 0]
    assert "结合本科教学评估" in texts(app)
    click(app, f"approve:{high.id}")
    assert svc.submissions.get(users["reviewer"], high.id).status == Status.APPROVED
    click(app, f"approve:{low.id}")
    assert "名额为 1 个" in texts(app)
    assert svc.submissions.get(users["reviewer"], low.id).status == Status.SUBMITTED


def test_grant_spend_report_and_accept_through_the_screens(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    cid = campaign_id(svc)
    site = apply(svc, users["branch1"], ["校庆"], "窗口服务示范点")
    svc.submissions.approve(users["reviewer"], site.id, site.rev)
    login(app, "reviewer", PASSWORD)
    open_page(app, "pages/funding.py")
    app.number_input(key="grant:0:amount").set_value(50000)
    button(app, "下拨经费").click()
    app.run()
    assert "剩余预算" in texts(app), "the budget of 0 cannot be granted from"
    assert svc.funding.ledger(users["reviewer"], cid).entries == []
    campaign = svc.campaigns.current()
    assert campaign is not None
    data = campaign.model_dump(mode="json")
    data["settings"]["budget"] = 20000
    svc.campaigns.update(users["admin"], data, campaign.rev)
    app.run()
    button(app, "下拨经费").click()
    app.run()
    no_traceback(app)
    assert svc.funding.summary(users["reviewer"], cid).granted == 0
    app.number_input(key="grant:0:amount").set_value(5000)
    button(app, "下拨经费").click()
    app.run()
    assert svc.funding.summary(users["reviewer"], cid).granted == 5000, texts(app)
    assert any(b.label == "导出 Excel" for b in app.get("download_button"))

    branch = AppTest.from_file(app._script_path, default_timeout=60)
    login(branch, "branch1", PASSWORD)
    open_page(branch, "pages/demo_apply.py")
    click(branch, f"start:{site.id}")
    key = f"spend:{site.id}:0"
    branch.number_input(key=f"{key}:amount").set_value(300)
    branch.text_input(key=f"{key}:note").input("印制学习资料")
    button(branch, "登记支出").click()
    branch.run()
    assert "收据" in texts(branch), "a spending without a receipt is refused"
    png = receipt()
    branch.get("file_uploader")[0].set_value([(png.name, png.data, png.content_type)])
    button(branch, "登记支出").click()
    branch.run()
    no_traceback(branch)
    [spent] = [e for e in svc.funding.ledger(users["branch1"], cid).entries if e.kind == "spend"]
    assert spent.amount == 300 and spent.receipts[0].name == png.name
    branch.text_area(key=f"report_text:{site.id}").input("建成窗口服务规范,带动两个支部")
    click(branch, f"report:{site.id}")
    assert svc.demo_sites.sites(users["branch1"], cid)[0].state == "reported"

    open_page(app, "pages/funding.py")  # the receipt downloads from the ledger
    [download] = [
        b
        for b in app.get("download_button")
        if b.proto.label == "第 2 笔 · " + escape_label(png.name)
    ]
    assert download.proto.deferred_file_id, "the receipt downloads when clicked"

    open_page(app, "pages/demo_ranking.py")
    assert "建成窗口服务规范" in texts(app)
    click(app, f"return:{site.id}")
    assert "退回的原因" in texts(app)
    click(app, f"accept:{site.id}")
    assert svc.demo_sites.sites(users["reviewer"], cid)[0].state == "accepted"


def test_the_admin_sees_the_funding_and_everyone_the_demo_site_page(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "reader", PASSWORD)
    open_page(app, "pages/demo_site.py")
    assert "还没有立项的示范点" in texts(app)
    site = apply(svc, users["branch2"], ["校庆"], "教学评估示范点")
    svc.submissions.approve(users["reviewer"], site.id, site.rev)
    app.run()
    no_traceback(app)
    shown = texts(app)
    assert "还没有审核通过的主题实践活动" in shown and "还没有刊发的通讯报道" in shown
    assert "联合工作" in shown

    admin = AppTest.from_file(app._script_path, default_timeout=60)
    login(admin, "admin", PASSWORD)
    open_page(admin, "pages/admin_funding.py")
    assert "先锋工程期次" in texts(admin)
    assert [m.label for m in admin.metric][:2] == ["经费预算(元)", "已下拨(元)"]
    assert "教学评估示范点" in str(admin.dataframe[0].value)


def test_another_branch_reads_an_approved_sites_page(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    cid, subs, reviewer = campaign_id(svc), svc.submissions, users["reviewer"]
    site = apply(svc, users["branch2"], ["校庆"], "教学评估**示范点**")
    subs.approve(reviewer, site.id, site.rev)
    apply(svc, users["branch1"], [], "尚未立项的申报")

    def activity(theme: str) -> Submission:
        data = {"theme": theme, "date": "2026-05-04", "participants": 12}
        draft = subs.save_draft(
            users["branch2"], campaign_id=cid, form_type="theme_activity", data=data
        )
        return subs.submit(users["branch2"], draft.id, draft.rev)

    done = activity("校庆[志愿服务](http://evil.example)")
    subs.approve(reviewer, done.id, done.rev)
    activity("还在待审核的活动")
    login(app, "branch1", PASSWORD)
    open_page(app, "pages/demo_site.py")
    shown = texts(app)
    assert r"教学评估\*\*示范点\*\*" in shown  # escaped: no bold, as typed
    assert r"校庆\[志愿服务\]\(http://evil\.example\)" in shown  # no link
    assert "教务处党支部 · 已立项" in shown
    assert "建设思路与措施" in shown and "预期成效" in shown
    assert "还在待审核" not in shown and "尚未立项" not in shown
    assert "申报理由" not in shown and "经费" not in shown


def test_the_budget_is_not_lowered_below_what_was_granted_on_the_campaigns_screen(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    campaign = svc.campaigns.current()
    assert campaign is not None
    data = campaign.model_dump(mode="json")
    data["settings"]["budget"] = 5000
    svc.campaigns.update(users["admin"], data, campaign.rev)
    site = apply(svc, users["branch2"], ["校庆"], "教学评估示范点")
    svc.submissions.approve(users["reviewer"], site.id, site.rev)
    svc.funding.grant(users["reviewer"], campaign.id, site.id, 3000)
    before = svc.campaigns.get(campaign.id)

    login(app, "admin", PASSWORD)
    open_page(app, "pages/admin_campaigns.py")
    app.selectbox(key="campaign_pick").select(campaign.id).run()
    key = f"vanguard.form:campaign_form:{campaign.id}|settings.budget"
    next(w for w in app.number_input if w.key == key).set_value(1000.0)
    button(app, t("pages.common.save")).click()
    app.run()
    no_traceback(app)
    message = t("demo_sites.funds.budget_below_granted", granted="3,000.00")
    shown = [e.value.replace("\\", "") for e in app.error]  # markdown escapes dropped
    assert "经费预算" in message and message in shown
    assert svc.campaigns.get(campaign.id) == before
