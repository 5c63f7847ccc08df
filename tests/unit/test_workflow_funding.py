"""The funding ledger (经费台账): grants from the budget, spending with receipts, who may do
what, what each role sees, and the Excel export."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from reports.excel import Sheet, workbook
from tests.unit.demo_site_world import applied, receipt, set_settings
from tests.unit.workflow_world import World, make_world
from workflow.errors import NotFound, PermissionDenied, ValidationFailed
from workflow.models import Submission


@pytest.fixture
def world() -> World:
    return make_world()


def approved(world: World, i: int) -> Submission:
    app = applied(world, i, title=f"示范点{i + 1}")
    return world.services.submissions.approve(world.reviewer, app.id, app.rev)


def test_a_grant_beyond_the_budget_left_is_refused_at_the_amount(world: World) -> None:
    set_settings(world, budget=5000)
    site = approved(world, 0)
    funding, cid = world.services.funding, world.campaign.id
    funding.grant(world.reviewer, cid, site.id, 4000, "首期经费")
    with pytest.raises(ValidationFailed) as refused:
        funding.grant(world.reviewer, cid, site.id, 1000.01)
    assert "1,000.00" in refused.value.errors["amount"]
    assert funding.summary(world.reviewer, cid).left_to_grant == 1000


def test_the_budget_cannot_go_below_what_was_granted(world: World) -> None:
    set_settings(world, budget=5000)
    site = approved(world, 0)
    funding, campaigns, cid = world.services.funding, world.services.campaigns, world.campaign.id
    funding.grant(world.reviewer, cid, site.id, 3000.5)
    before = campaigns.get(cid)
    data = before.model_dump(mode="json")
    data["settings"]["budget"] = 3000.49
    with pytest.raises(ValidationFailed) as refused:
        campaigns.update(world.admin, data, before.rev)
    assert refused.value.errors == {
        "settings.budget": "「设置」的「经费预算(元)」不能低于本期已下拨给示范点的 3,000.50 元"
        "(已下拨的经费不会收回),请改为不少于 3,000.50 元"
    }
    assert campaigns.get(cid) == before  # nothing stored
    assert funding.summary(world.reviewer, cid).left_to_grant == 1999.5
    data["settings"]["budget"] = 3000.5  # exactly what was granted: nothing left to grant
    campaigns.update(world.admin, data, before.rev)
    assert funding.summary(world.reviewer, cid).left_to_grant == 0


def test_restoring_a_campaign_revision_with_a_smaller_budget_is_refused(world: World) -> None:
    set_settings(world, budget=1000)
    old = world.campaign.rev
    set_settings(world, budget=5000)
    site = approved(world, 0)
    funding, cid = world.services.funding, world.campaign.id
    funding.grant(world.reviewer, cid, site.id, 2000)
    with pytest.raises(ValidationFailed) as refused:
        world.services.audit.restore(world.admin, "campaigns", cid, old)
    assert "2,000.00" in refused.value.errors["settings.budget"]
    assert world.services.campaigns.get(cid).settings.budget == 5000
    assert funding.summary(world.reviewer, cid).left_to_grant == 3000


@pytest.mark.parametrize("amount", [0, -5, float("nan"), float("inf"), 1.005, 2e7])
def test_amounts_must_be_positive_yuan_and_fen(world: World, amount: float) -> None:
    site = approved(world, 0)
    with pytest.raises(ValidationFailed) as refused:
        world.services.funding.grant(world.reviewer, world.campaign.id, site.id, amount)
    assert set(refused.value.errors) == {"amount"}
    assert world.services.funding.ledger(world.reviewer, world.campaign.id).entries == []


def test_only_approved_sites_get_money(world: World) -> None:
    app = applied(world, 0)
    with pytest.raises(NotFound):
        world.services.funding.grant(world.reviewer, world.campaign.id, app.id, 100)


def test_only_reviewers_grant(world: World) -> None:
    site = approved(world, 0)
    for outsider in (world.admin, world.reader, world.staff[0]):
        with pytest.raises(PermissionDenied):
            world.services.funding.grant(outsider, world.campaign.id, site.id, 100)


def test_a_reviewer_does_not_grant_their_own_branchs_site(world: World) -> None:
    """As for approving (立项) and accepting (验收): a reviewer of the site's branch is refused,
    told why, and nothing is stored; the same reviewer grants another branch's site."""
    set_settings(world, budget=5000)
    own, other = approved(world, 0), approved(world, 1)
    funding, cid = world.services.funding, world.campaign.id
    assert world.branch_reviewer.branch_id == world.branches[0].id
    with pytest.raises(PermissionDenied) as refused:
        funding.grant(world.branch_reviewer, cid, own.id, 100)
    assert str(refused.value) == "审核员不能给本支部的示范点下拨经费,请由其他支部的审核员下拨"
    assert funding.summary(world.reviewer, cid).granted == 0
    funding.grant(world.branch_reviewer, cid, other.id, 100)
    funding.grant(world.reviewer, cid, own.id, 200)
    summary = funding.summary(world.reviewer, cid)
    assert {s.site.submission_id: s.granted for s in summary.sites} == {own.id: 200, other.id: 100}


def test_the_sites_branch_records_spending_with_a_receipt(world: World) -> None:
    site = approved(world, 0)
    funding, cid = world.services.funding, world.campaign.id
    funding.grant(world.reviewer, cid, site.id, 1000)
    entry = funding.spend(world.staff[0], cid, site.id, 250.5, "印制学习资料", [receipt()])
    assert entry.kind == "spend" and entry.receipts[0].name == "收据.png"
    assert world.repo.get_blob(entry.receipts[0].blob) == receipt().data
    assert funding.summary(world.staff[0], cid).sites[0].balance == 749.5
    with pytest.raises(ValidationFailed) as no_receipt:
        funding.spend(world.staff[0], cid, site.id, 10, "交通", [])
    assert set(no_receipt.value.errors) == {"receipts"}
    with pytest.raises(ValidationFailed) as no_purpose:
        funding.spend(world.staff[0], cid, site.id, 10, " ", [receipt()])
    assert set(no_purpose.value.errors) == {"note"}
    with pytest.raises(ValidationFailed) as over:
        funding.spend(world.staff[0], cid, site.id, 800, "会务", [receipt()])
    assert "749.50" in over.value.errors["amount"]
    for outsider in (world.staff[1], world.reviewer, world.admin):
        with pytest.raises(PermissionDenied):
            funding.spend(outsider, cid, site.id, 10, "交通", [receipt()])
    assert len(funding.ledger(world.reviewer, cid).entries) == 2


def test_a_branch_sees_only_its_own_sites_money(world: World) -> None:
    mine, theirs = approved(world, 0), approved(world, 1)
    funding, cid = world.services.funding, world.campaign.id
    funding.grant(world.reviewer, cid, mine.id, 100)
    funding.grant(world.reviewer, cid, theirs.id, 200)
    assert [s.site.submission_id for s in funding.summary(world.staff[0], cid).sites] == [mine.id]
    assert [e.submission_id for e in funding.ledger(world.staff[0], cid).entries] == [mine.id]
    assert len(funding.ledger(world.reader, cid).entries) == 2
    assert funding.summary(world.staff[2], cid).sites == []


def test_the_excel_export_has_balances_and_every_entry(world: World) -> None:
    site = approved(world, 0)
    funding, cid = world.services.funding, world.campaign.id
    funding.grant(world.reviewer, cid, site.id, 1000, "首期")
    funding.spend(world.staff[0], cid, site.id, 120, '=HYPERLINK("http://x")', [receipt()])
    names = {b.id: b.name for b in world.branches}
    book = load_workbook(io.BytesIO(funding.export_xlsx(world.admin, cid, names)))
    balances, entries = book["示范点经费"], book["台账明细"]
    assert [c.value for c in balances[1]] == [
        "支部",
        "示范点",
        "状态",
        "下拨(元)",
        "支出(元)",
        "余额(元)",
    ]
    assert [c.value for c in balances[2]] == [
        world.branches[0].name,
        "示范点1",
        "已立项",
        1000,
        120,
        880,
    ]
    assert (
        entries.max_row == 3 and entries["C2"].value == "下拨" and entries["H3"].value == "收据.png"
    )
    assert entries["G3"].value == '=HYPERLINK("http://x")' and entries["G3"].data_type == "s"


def test_the_excel_writer_freezes_the_header_and_sizes_the_columns() -> None:
    data = workbook([Sheet("台账:2026/1", ["支部", "金额"], [["很长的党支部名称党支部", 12.5]])])
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet.title == "台账_2026_1"
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold and not sheet["A2"].font.bold
    assert sheet.column_dimensions["A"].width == 2 * 11 + 2  # Chinese characters count double
    assert sheet.column_dimensions["B"].width == 4 + 2
    assert sheet["B2"].value == 12.5


def test_a_receipt_over_the_size_limit_is_refused_and_nothing_is_stored(world: World) -> None:
    """The upload checks read the receipts field's limits (10 MB, images and PDF)."""
    site = approved(world, 0)
    funding, cid = world.services.funding, world.campaign.id
    funding.grant(world.reviewer, cid, site.id, 1000)
    big = receipt()
    big.data += b"\0" * (10 * 1024 * 1024)
    with pytest.raises(ValidationFailed) as refused:
        funding.spend(world.staff[0], cid, site.id, 10, "交通", [big])
    assert set(refused.value.errors) == {"receipts"}
    assert [e.kind for e in funding.ledger(world.reviewer, cid).entries] == ["grant"]


def test_a_receipt_that_is_not_what_its_name_says_is_refused(world: World) -> None:
    site = approved(world, 0)
    funding, cid = world.services.funding, world.campaign.id
    funding.grant(world.reviewer, cid, site.id, 1000)
    fake = receipt("收据.png")
    fake.data = b"<html><script>alert(1)</script></html>"
    with pytest.raises(ValidationFailed) as refused:
        funding.spend(world.staff[0], cid, site.id, 10, "交通", [fake])
    assert set(refused.value.errors) == {"receipts"}
    assert [e.kind for e in funding.ledger(world.reviewer, cid).entries] == ["grant"]


def test_a_receipt_downloads_for_who_sees_its_entry_and_nobody_else(world: World) -> None:
    site = approved(world, 0)
    funding, cid = world.services.funding, world.campaign.id
    funding.grant(world.reviewer, cid, site.id, 1000)
    entry = funding.spend(world.staff[0], cid, site.id, 30, "打印", [receipt("发票.png")])
    blob = entry.receipts[0].blob
    for reader in (world.staff[0], world.reviewer, world.admin, world.reader):
        assert funding.receipt(reader, cid, blob) == receipt("发票.png").data
    with pytest.raises(NotFound):  # another branch, even knowing the key
        funding.receipt(world.staff[1], cid, blob)
    with pytest.raises(NotFound):  # a key no entry refers to
        funding.receipt(world.reviewer, cid, "not-a-receipt")
