"""Dashboards (S15) over records made through the services: the branch × task matrix, the
figures behind the charts, 同比, and every ledger as one formatted Excel workbook. A draft
shows only as "a draft exists"; no draft's content reaches any of them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from i18n import format_time
from tests.unit.test_workflow_awards import TODAY, nominate, settings
from tests.unit.test_workflow_statistics import session
from tests.unit.test_workflow_summary_figures import news, submitted
from tests.unit.workflow_world import World, make_world
from workflow.errors import PermissionDenied
from workflow.models import Stage
from workflow.progress import TaskStatus

SECRET = "草稿里尚未成熟的想法XYZ"


def populated() -> World:
    """Branch 0: two study sessions, a news report returned and being rewritten, a draft
    session; branch 1: a draft plan only; branch 2: nothing."""
    world = make_world()
    subs = world.services.submissions
    submitted(world, "study_session", session(world, 0, 8))
    submitted(world, "study_session", session(world, 0, 10))
    sent = submitted(world, "news_report", news())
    returned = subs.return_(world.reviewer, sent.id, sent.rev, "请补充图片说明")
    subs.save_draft(
        world.staff[0],
        campaign_id=world.campaign.id,
        form_type="news_report",
        submission_id=returned.id,
        data={**returned.data, "title": SECRET},
        expected_rev=returned.rev,
    )
    subs.save_draft(
        world.staff[0],
        campaign_id=world.campaign.id,
        form_type="study_session",
        data={**session(world, 0, 9), "topic": SECRET},
    )
    subs.save_draft(
        world.staff[1],
        campaign_id=world.campaign.id,
        form_type="plan",
        data={**world.good_plan(1), "title": SECRET},
    )
    return world


@pytest.fixture(scope="module")
def world() -> World:
    return populated()


def test_the_matrix_shows_each_branchs_furthest_status_and_no_draft(world: World) -> None:
    matrix = world.services.progress.table(world.reviewer, world.campaign, every_form=True)
    b0, b1, b2 = (b.id for b in world.branches)
    study = matrix.cell(b0, "study_session")
    assert (study.status, study.count) == (TaskStatus.SUBMITTED, 2)  # the draft is not counted
    news = matrix.cell(b0, "news_report")
    assert (news.status, news.count) == (TaskStatus.RETURNED, 1)
    for branch in (b1, b2):  # another branch's draft is its own: it reads as not handed in
        plan = matrix.cell(branch, "plan")
        assert (plan.status, plan.count, plan.submission_id) == (TaskStatus.MISSING, 0, None)
    assert [row.branch.id for row in matrix.rows] == sorted(
        (b.id for b in world.branches),
        key=lambda i: next(b.name for b in world.branches if b.id == i),
    )
    stages = [task.stage for task in matrix.tasks]
    assert stages == sorted(stages, key=list(Stage).index)
    assert {t.form_type for t in matrix.tasks} == {
        ft.name for ft in world.services.forms.form_types()
    }


def test_a_cell_shows_the_furthest_of_several_records_whichever_came_first() -> None:
    world = make_world()
    approved = submitted(world, "study_session", session(world, 0, 8))
    world.services.submissions.approve(world.reviewer, approved.id, approved.rev)
    submitted(world, "study_session", session(world, 0, 10))  # later, still waiting
    table = world.services.progress.table(world.reviewer, world.campaign, every_form=True)
    cell = table.cell(world.branches[0].id, "study_session")
    assert (cell.status, cell.count, cell.submission_id) == (TaskStatus.APPROVED, 2, approved.id)


def test_the_figures_count_submitted_records_only(world: World) -> None:
    figures = world.services.dashboards.figures(world.reviewer, world.campaign.id)
    by_name = {b.name: stats for b, stats in figures.by_branch}
    first = by_name[world.branches[0].name]
    assert first.study_sessions == 2 and first.average_attendance == pytest.approx(0.9)
    assert by_name[world.branches[1].name].study_sessions == 0
    assert figures.news_by_month == [("2025-09", 1, 0)]
    rates = {r.form_type: (r.checked, r.passed) for r in figures.pass_rates}
    assert rates["study_session"] == (2, 2)
    assert "plan" not in rates  # the only plan is a draft


def test_year_on_year_compares_every_campaign_newest_first(world: World) -> None:
    later = world.services.next_year.start_next(world.admin, 2027, "2027年机关“先锋工程”建设")
    years = world.services.dashboards.year_on_year(world.reader)
    assert [y.year for y in years] == [2027, 2026]
    assert years[0].totals.study_sessions == 0 and years[0].branches_reporting == 0
    assert years[1].totals.study_sessions == 2 and years[1].branches_reporting == 1
    assert years[1].pass_rate > 0
    assert later.previous_campaign_id == world.campaign.id


def test_branch_staff_see_no_dashboard(world: World) -> None:
    with pytest.raises(PermissionDenied):
        world.services.progress.table(world.staff[0], world.campaign, every_form=True)
    with pytest.raises(PermissionDenied):
        world.services.dashboards.ledgers(world.staff[1], world.campaign.id)


def test_the_ledgers_workbook_is_formatted_and_holds_no_draft_content(world: World) -> None:
    data = world.services.dashboards.ledgers(world.reviewer, world.campaign.id)
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames[:3] == ["任务完成情况", "各支部数据", "历年同比"]
    assert "学习记录" in "".join(book.sheetnames) or any("学习" in n for n in book.sheetnames)
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        header = [c.value for c in sheet[1]]
        assert all(c.font.bold for c in sheet[1]), sheet.title
        for letter, title in zip("ABCDEFGHIJ", header, strict=False):
            # as wide as the header at least (Chinese characters count double)
            assert sheet.column_dimensions[letter].width >= 2 * len(str(title)) - 1, title
        cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
        assert not any(SECRET in c for c in cells), sheet.title
    matrix = book["任务完成情况"]
    rows = {r[0]: r for r in matrix.iter_rows(min_row=2, values_only=True)}
    header = [c.value for c in matrix[1]]
    plan_col = header.index("支部“先锋工程”实施方案")
    assert rows[world.branches[1].name][plan_col] == "未提交(逾期)"  # its draft is its own
    study_col = next(i for i, title in enumerate(header) if "学习" in str(title))
    assert rows[world.branches[0].name][study_col] == "待审核 (2)"
    news_sheet = next(s for s in book.worksheets if s.title.startswith("通讯"))
    news_rows = list(news_sheet.iter_rows(min_row=2, values_only=True))
    assert len(news_rows) == 1 and news_rows[0][1] == "退回修改"
    assert news()["title"] in news_rows[0]  # the title as submitted, not the rewrite


def test_the_ledgers_show_times_in_the_schools_zone(world: World) -> None:
    data = world.services.dashboards.ledgers(world.reader, world.campaign.id)
    sheet = load_workbook(io.BytesIO(data))[
        world.services.forms.form_type("study_session").title("zh")
    ]
    header = [c.value for c in sheet[1]]
    shown = sorted(
        str(r[header.index("提交时间")]) for r in sheet.iter_rows(min_row=2, values_only=True)
    )
    records = world.services.submissions.list(
        world.reviewer, campaign_id=world.campaign.id, form_type="study_session", status="submitted"
    )
    stamps = [r.submitted_at() for r in records]
    assert shown == sorted(format_time(s) for s in stamps)  # Asia/Shanghai: UTC+8
    assert shown != sorted(s[:16].replace("T", " ") for s in stamps)


def test_the_ledgers_end_with_the_award_ranking_and_the_final_list() -> None:
    world = make_world()
    settings(world, award_shares={}, award_quotas={"先进党支部": 2})
    best, other = nominate(world, 0, committee=95), nominate(world, 1, committee=80)
    awards, campaign = world.services.awards, world.campaign.id
    awards.select(world.reviewer, campaign, best.id)

    def sheets() -> dict[str, list[tuple[object, ...]]]:
        data = world.services.dashboards.ledgers(world.reader, campaign)
        book = load_workbook(io.BytesIO(data))
        return {s.title: list(s.iter_rows(values_only=True)) for s in book.worksheets}

    during = sheets()
    assert "最终表彰名单" not in during  # no 公示 yet
    header, *ranking = during["评优推荐排名"]
    assert header[:4] == ("推荐类别", "名次", "支部", "被推荐人")
    by_branch = {row[2]: row for row in ranking}
    assert (
        by_branch[world.branches[0].name][1] == 1 and by_branch[world.branches[0].name][-1] == "✔"
    )
    assert (
        by_branch[world.branches[1].name][1] == 2 and by_branch[world.branches[1].name][-1] is None
    )
    assert by_branch[world.branches[0].name][5] == 95  # the committee's score
    assert by_branch[world.branches[0].name][8] == "符合条件"  # as the awards screen says it
    today = TODAY
    awards.today = lambda: today
    awards.start_notice(world.reviewer, campaign, today, today + dt.timedelta(days=6))
    awards.today = lambda: today + dt.timedelta(days=7)  # the notice has run its six days
    header, *final = sheets()["最终表彰名单"]
    assert [row[1] for row in final] == [world.branches[0].name]
    assert other.id not in str(final)
