"""Awards (S12): ranking by the weighted score, selection within quotas (also when reviewers
select at once), 公示 with objections recorded and resolved, and the final list."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from i18n import t
from storage.factory import open_repository
from tests.unit.test_workflow_field_roles import nomination
from tests.unit.workflow_world import World, make_world
from workflow import clock
from workflow.award_book import quotas
from workflow.errors import (
    InvalidTransition,
    NotFound,
    PermissionDenied,
    QuotaExceeded,
    ValidationFailed,
)
from workflow.models import Branch, CampaignSettings, Submission

TODAY = clock.today()  # the school's date, as the service judges it


def settings(world: World, **changes: Any) -> None:
    campaign = world.campaign
    new = campaign.settings.model_copy(update=changes)
    world.campaign = world.services.campaigns.update(
        world.admin, campaign.model_copy(update={"settings": new}), campaign.rev
    )


EVIDENCE = [{"name": "获奖证书.pdf", "content_type": "application/pdf", "size": 2048, "blob": "b1"}]


def nominate(world: World, i: int, committee: float | None = None, **data: Any) -> Submission:
    """Branch ``i`` submits a nomination (a personal one with a file of evidence)."""
    subs, staff = world.services.submissions, world.staff[i]
    data = {**nomination(), **data}
    if data["award"] != "先进党支部":
        data.setdefault("evidence", EVIDENCE)
    draft = subs.save_draft(staff, campaign_id=world.campaign.id, form_type="nomination", data=data)
    sent = subs.submit(staff, draft.id, draft.rev)
    if committee is None:
        return sent
    return subs.set_reserved_fields(
        world.reviewer, sent.id, sent.rev, {"committee_score": committee}
    )


def test_default_quotas_are_a_fifth_of_the_branches_and_three_percent_of_the_members() -> None:
    branches = [Branch(name=f"第{i}党支部", member_count=20) for i in range(10)]
    places = quotas(CampaignSettings(), branches)
    assert places["先进党支部"] == 2  # 20% of 10 branches
    assert places["优秀共产党员"] == 6  # 3% of 200 members
    assert places["优秀党务工作者"] == 3  # no share set: the fixed number


def test_the_ranking_orders_each_award_by_the_weighted_score_and_shows_the_grade() -> None:
    world = make_world()
    low = nominate(world, 0, committee=70, self_score=80)
    high = nominate(world, 1, committee=92, self_score=95)
    rows = world.services.awards.ranking(world.reviewer, world.campaign.id)
    assert [(r.submission_id, r.rank, r.score, r.grade) for r in rows] == [
        (high.id, 1, 93.2, "先进"),
        (low.id, 2, 74.0, "一般"),
    ]


def test_a_branch_award_beyond_its_quota_is_refused_with_the_quota_named() -> None:
    world = make_world()
    settings(world, award_shares={"先进党支部": 0.34})  # one place among three branches
    first, second = nominate(world, 0, committee=90), nominate(world, 1, committee=95)
    awards = world.services.awards
    assert awards.quotas(world.reviewer, world.campaign.id)["先进党支部"] == 1
    awards.select(world.reviewer, world.campaign.id, first.id)
    with pytest.raises(QuotaExceeded, match="“先进党支部”名额为 1 个,已确定 1 个"):
        awards.select(world.reviewer, world.campaign.id, second.id)
    book = awards.book(world.reviewer, world.campaign.id)
    assert [s.submission_id for s in book.selections] == [first.id]
    awards.unselect(world.reviewer, world.campaign.id, first.id)
    awards.select(world.reviewer, world.campaign.id, second.id)


@pytest.mark.parametrize("backend", ["memory", "tinydb"])
def test_a_quota_holds_when_reviewers_select_at_the_same_time(backend: str, tmp_path: Path) -> None:
    repo = open_repository("memory://" if backend == "memory" else f"tinydb:///{tmp_path}/db.json")
    world = make_world(repo)
    settings(world, award_shares={}, award_quotas={"优秀共产党员": 2})
    picks = [nominate(world, 0, award="优秀共产党员", nominee=f"党员{i}") for i in range(8)]
    refused: list[Exception] = []
    barrier = threading.Barrier(len(picks))

    def select(submission: Submission) -> None:
        barrier.wait()
        try:
            world.services.awards.select(world.reviewer, world.campaign.id, submission.id)
        except QuotaExceeded as error:
            refused.append(error)

    threads = [threading.Thread(target=select, args=(p,)) for p in picks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    book = world.services.awards.book(world.reviewer, world.campaign.id)
    assert len(book.selections) == 2 and len(refused) == 6


def test_only_reviewers_select_and_drafts_are_not_selected() -> None:
    world = make_world()
    sent = nominate(world, 0)
    with pytest.raises(PermissionDenied, match="审核员"):
        world.services.awards.select(world.admin, world.campaign.id, sent.id)
    draft = world.services.submissions.save_draft(
        world.staff[1], campaign_id=world.campaign.id, form_type="nomination", data=nomination()
    )
    with pytest.raises(PermissionDenied):  # a reviewer cannot even see a branch's draft
        world.services.awards.select(world.reviewer, world.campaign.id, draft.id)


def test_the_notice_takes_objections_and_an_upheld_one_withdraws_the_selection() -> None:
    world = make_world()
    settings(world, award_shares={}, award_quotas={"先进党支部": 2})
    kept, withdrawn = nominate(world, 0, committee=90), nominate(world, 1, committee=91)
    awards, campaign = world.services.awards, world.campaign.id
    awards.today = lambda: TODAY
    for s in (kept, withdrawn):
        awards.select(world.reviewer, campaign, s.id)
    with pytest.raises(ValidationFailed):
        awards.start_notice(world.reviewer, campaign, TODAY, TODAY - dt.timedelta(days=1))
    with pytest.raises(InvalidTransition, match="尚未公示"):
        awards.final_list(world.reviewer, campaign)
    awards.start_notice(world.reviewer, campaign, TODAY, TODAY + dt.timedelta(days=6))
    with pytest.raises(InvalidTransition, match="公示"):
        awards.select(world.reviewer, campaign, nominate(world, 2).id)
    book = awards.object(world.staff[2], campaign, withdrawn.id, "事迹中的获奖情况与实际不符")
    awards.object(world.reader, campaign, kept.id, "希望补充材料")
    with pytest.raises(InvalidTransition, match="公示期到"):
        awards.final_list(world.reviewer, campaign)
    first = book.objections[0]
    book = awards.resolve(
        world.reviewer, campaign, first.id, upheld=True, resolution="经核实情况属实,取消推荐"
    )
    assert [s.submission_id for s in book.selections] == [kept.id]
    with pytest.raises(InvalidTransition, match="已处理"):
        awards.resolve(world.reviewer, campaign, first.id, upheld=False, resolution="再次处理")
    with pytest.raises(NotFound) as missing:  # withdrawn: said in words, not "selections/…"
        awards.object(world.reader, campaign, withdrawn.id, "对已撤销的推荐提出异议")
    assert str(missing.value) == t("workflow.not_found.selections")
    with pytest.raises(NotFound) as missing:
        awards.resolve(world.reviewer, campaign, "no-such-id", upheld=False, resolution="处理")
    assert str(missing.value) == t("workflow.not_found.objections")
    assert "no-such-id" not in missing.value.message("en")
    awards.today = lambda: TODAY + dt.timedelta(days=7)  # the notice has run its six days
    with pytest.raises(InvalidTransition, match="1 条异议未处理"):
        awards.final_list(world.reviewer, campaign)
    second = awards.book(world.reviewer, campaign).open_objections()[0]
    awards.resolve(world.reviewer, campaign, second.id, upheld=False, resolution="材料已补充")
    final = awards.final_list(world.reader, campaign)
    assert [(s.submission_id, s.branch) for s in final] == [(kept.id, world.branches[0].name)]
    with pytest.raises(InvalidTransition, match="不在公示期内"):
        awards.object(world.reader, campaign, kept.id, "公示期后的异议")


def test_a_notice_cannot_be_back_dated_nor_restarted() -> None:
    world = make_world()
    settings(world, award_shares={}, award_quotas={"先进党支部": 1})
    chosen = nominate(world, 0, committee=90)
    awards, campaign = world.services.awards, world.campaign.id
    awards.today = lambda: TODAY
    awards.select(world.reviewer, campaign, chosen.id)
    yesterday, week_ago = TODAY - dt.timedelta(days=1), TODAY - dt.timedelta(days=7)
    with pytest.raises(
        ValidationFailed, match=r"公示开始日期.*早于今天.*改为今天或以后"
    ) as refused:
        awards.start_notice(world.reviewer, campaign, week_ago, yesterday)
    assert refused.value.field == "start"
    assert awards.book(world.reviewer, campaign).notice is None  # nothing stored
    awards.start_notice(world.reviewer, campaign, TODAY, TODAY + dt.timedelta(days=4))
    for start, end in (
        (TODAY, TODAY),
        (TODAY + dt.timedelta(days=1), TODAY + dt.timedelta(days=9)),
    ):
        with pytest.raises(InvalidTransition, match=r"公示已经发布.*不能重新发布或更改日期"):
            awards.start_notice(world.reviewer, campaign, start, end)
    notice = awards.book(world.reviewer, campaign).notice
    assert notice is not None and (notice.start, notice.end) == (
        TODAY,
        TODAY + dt.timedelta(days=4),
    )
    awards.today = lambda: TODAY + dt.timedelta(days=4)  # the last day still takes objections
    awards.object(world.reader, campaign, chosen.id, "最后一天的异议")
    with pytest.raises(InvalidTransition, match="公示期到"):
        awards.final_list(world.reviewer, campaign)


def test_today_is_the_school_calendar_date_or_the_test_clock_file(
    tmp_path: Path, settings_override: Callable[..., object]
) -> None:
    evening_utc = dt.datetime(2026, 6, 30, 20, 0, tzinfo=dt.UTC)  # 04:00 on 1 July in Beijing
    assert clock.today(evening_utc) == dt.date(2026, 7, 1)
    settings_override(tz="UTC")
    assert clock.today(evening_utc) == dt.date(2026, 6, 30)
    day = tmp_path / "today"
    settings_override(today_file=day)
    assert clock.today(evening_utc) == dt.date(2026, 6, 30)  # no file yet: the real date
    day.write_text("2027-01-05\n", encoding="utf-8")
    assert clock.today(evening_utc) == dt.date(2027, 1, 5)
    assert make_world().services.awards.today() == dt.date(2027, 1, 5)


def test_shares_count_the_campaigns_own_branches_and_their_members() -> None:
    world = make_world()
    taking_part = world.branches[:2]
    campaign = world.campaign
    world.campaign = world.services.campaigns.update(
        world.admin,
        campaign.model_copy(update={"branch_ids": [b.id for b in taking_part]}),
        campaign.rev,
    )
    settings(world, award_shares={"先进党支部": 0.5, "优秀共产党员": 0.1}, award_quotas={})
    places = world.services.awards.quotas(world.reviewer, world.campaign.id)
    members = sum(b.member_count for b in taking_part)
    assert sum(b.member_count for b in world.branches) > members  # the third branch is out
    assert places == {"先进党支部": 1, "优秀共产党员": members // 10}


def test_a_branch_or_a_person_is_selected_once_per_award() -> None:
    world = make_world()
    settings(world, award_shares={}, award_quotas={"先进党支部": 3, "优秀共产党员": 3})
    awards, campaign = world.services.awards, world.campaign.id
    first, again = nominate(world, 0, committee=90), nominate(world, 0, committee=80)
    awards.select(world.reviewer, campaign, first.id)
    with pytest.raises(InvalidTransition, match="同一支部不能重复入选"):
        awards.select(world.reviewer, campaign, again.id)
    person = nominate(world, 1, award="优秀共产党员", nominee="张明")
    same = nominate(world, 1, award="优秀共产党员", nominee=" 张 明")
    namesake = nominate(world, 2, award="优秀共产党员", nominee="张明")  # another branch's
    awards.select(world.reviewer, campaign, person.id)
    with pytest.raises(InvalidTransition, match=r"张明已确定为“优秀共产党员”.*同一人不能重复入选"):
        awards.select(world.reviewer, campaign, same.id)
    awards.select(world.reviewer, campaign, namesake.id)
    awards.select(world.reviewer, campaign, first.id)  # selecting it again changes nothing
    book = awards.book(world.reviewer, campaign)
    assert [s.submission_id for s in book.selections] == [first.id, person.id, namesake.id]


def test_a_nomination_the_rules_block_is_ranked_as_such_and_not_selected() -> None:
    world = make_world()
    settings(world, award_shares={}, award_quotas={"先进党支部": 3})
    subs, awards, campaign = world.services.submissions, world.services.awards, world.campaign.id
    graded = nominate(world, 0, committee=98, self_score=98)
    graded = subs.set_reserved_fields(
        world.reviewer, graded.id, graded.rev, {"summary_grade": "一般"}
    )  # 一般及以下不能评为先进
    fine = nominate(world, 2, committee=80)
    assert graded.report is not None and graded.report["decision"] == "return"
    rows = awards.ranking(world.reviewer, campaign)
    assert [(r.submission_id, r.decision, r.eligible) for r in rows] == [
        (fine.id, "pass", True),
        (graded.id, "return", False),  # the best score, yet after the eligible one
    ]
    assert "总结定级为“一般”，不能推荐为先进党支部" in rows[1].reasons[0]
    with pytest.raises(InvalidTransition, match=r"不符合评优条件.*总结定级为“一般”"):
        awards.select(world.reviewer, campaign, graded.id)
    awards.select(world.reviewer, campaign, fine.id)
    book = awards.book(world.reviewer, campaign)
    assert [s.submission_id for s in book.selections] == [fine.id]


def test_a_selection_graded_down_afterwards_holds_the_notice_back() -> None:
    world = make_world()
    settings(world, award_shares={}, award_quotas={"先进党支部": 1})
    subs, awards, campaign = world.services.submissions, world.services.awards, world.campaign.id
    chosen = nominate(world, 0, committee=95)
    awards.select(world.reviewer, campaign, chosen.id)
    subs.set_reserved_fields(
        world.reviewer,
        chosen.id,
        subs.get(world.reviewer, chosen.id).rev,
        {"summary_grade": "后进"},
    )
    with pytest.raises(InvalidTransition, match=r"入选后经重新评定已不符合条件.*请先取消"):
        awards.start_notice(world.reviewer, campaign, TODAY, TODAY + dt.timedelta(days=5))
    assert awards.book(world.reviewer, campaign).notice is None
    awards.unselect(world.reviewer, campaign, chosen.id)
    assert [r.decision for r in awards.ranking(world.reviewer, campaign)] == ["return"]


def test_objections_are_bounded_per_account_and_in_length() -> None:
    world = make_world()
    settings(world, award_shares={}, award_quotas={"先进党支部": 1})
    awards, campaign = world.services.awards, world.campaign.id
    chosen = nominate(world, 0, committee=90)
    awards.today = lambda: TODAY
    awards.select(world.reviewer, campaign, chosen.id)
    awards.start_notice(world.reviewer, campaign, TODAY, TODAY + dt.timedelta(days=5))
    with pytest.raises(ValidationFailed, match=r"1 至 2000 字\(现在 2001 字\)") as long:
        awards.object(world.reader, campaign, chosen.id, "长" * 2001)
    assert long.value.field == "text"
    awards.object(world.reader, campaign, chosen.id, "第一条")
    with pytest.raises(InvalidTransition, match="相同的异议"):
        awards.object(world.reader, campaign, chosen.id, " 第一条 ")
    awards.object(world.reader, campaign, chosen.id, "第二条")
    assert awards.objections_left(world.reader, campaign) == 1
    awards.object(world.reader, campaign, chosen.id, "第三条")
    assert awards.objections_left(world.reader, campaign) == 0
    with pytest.raises(QuotaExceeded, match="最多提出 3 条异议"):
        awards.object(world.reader, campaign, chosen.id, "第四条")
    awards.object(world.staff[1], campaign, chosen.id, "另一账户的异议")  # counted per account
    book = awards.book(world.reviewer, campaign)
    assert [o.raised_by for o in book.objections] == ["reader"] * 3 + ["branch2"]


def test_the_objection_limit_holds_when_one_account_objects_many_times_at_once() -> None:
    world = make_world()
    settings(world, award_shares={}, award_quotas={"先进党支部": 1})
    awards, campaign = world.services.awards, world.campaign.id
    chosen = nominate(world, 0, committee=90)
    awards.select(world.reviewer, campaign, chosen.id)
    awards.start_notice(world.reviewer, campaign, TODAY, TODAY + dt.timedelta(days=5))
    barrier = threading.Barrier(8)

    def raise_one(n: int) -> None:
        barrier.wait()
        with contextlib.suppress(QuotaExceeded):
            awards.object(world.reader, campaign, chosen.id, f"异议{n}")

    threads = [threading.Thread(target=raise_one, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(awards.book(world.reviewer, campaign).objections) == 3
