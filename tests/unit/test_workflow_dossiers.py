"""Dossiers (S16): done submissions with their reports, trails, statistics and photos; never a
draft; built in the background and handed only to whoever asked."""

from __future__ import annotations

import io
import logging
import multiprocessing
import os
import time
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader

from i18n import t
from reports.forked_map import forked_map
from tests.unit.demo_site_world import Receipt
from tests.unit.workflow_world import World, make_world
from workflow import background
from workflow.background import BackgroundBuilds
from workflow.dossier_cache import DiskPartCache
from workflow.errors import NotFound, PermissionDenied
from workflow.models import Stage


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def photo(name: str = "活动合影.jpg") -> Receipt:
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1200), (30, 120, 200)).save(buffer, format="JPEG")
    return Receipt(name, "image/jpeg", buffer.getvalue(), path="photos")


def activity(world: World, i: int, theme: str) -> dict[str, Any]:
    return {
        "branch": world.branches[i].name,
        "theme": theme,
        "date": "2026-05-20",
        "forms": ["志愿服务"],
        "participants": 12,
        "description": "支部党员走进学生宿舍收集意见建议，逐条落实。",
    }


def approved_plan(world: World, i: int, title: str) -> None:
    subs = world.services.submissions
    plan = world.good_plan(i)
    plan["title"] = title
    draft = subs.save_draft(
        world.staff[i], campaign_id=world.campaign.id, form_type="plan", data=plan
    )
    sent = subs.submit(world.staff[i], draft.id, draft.rev)
    subs.approve(world.reviewer, sent.id, sent.rev)


def approved_activity_with_photo(world: World, i: int, theme: str) -> None:
    services = world.services
    model = services.forms.get("theme_activity")
    data = services.attachments.attach(world.staff[i], model, activity(world, i, theme), [photo()])
    draft = services.submissions.save_draft(
        world.staff[i], campaign_id=world.campaign.id, form_type="theme_activity", data=data
    )
    sent = services.submissions.submit(world.staff[i], draft.id, draft.rev)
    services.submissions.approve(world.reviewer, sent.id, sent.rev)


@pytest.fixture
def world() -> World:
    world = make_world()
    world.services.dossiers.builds = BackgroundBuilds(in_process=True)
    approved_plan(world, 0, "党政办公室党支部二〇二六年已通过的方案")
    approved_activity_with_photo(world, 0, "走进学生宿舍主题党日")
    # branch 1: a plan only submitted (waiting for review), branch 2: a draft
    subs = world.services.submissions
    pending = world.good_plan(1)
    pending["title"] = "教务处党支部待审核方案标题"
    draft = subs.save_draft(
        world.staff[1], campaign_id=world.campaign.id, form_type="plan", data=pending
    )
    subs.submit(world.staff[1], draft.id, draft.rev)
    secret = world.good_plan(2)
    secret["title"] = "科研处党支部草稿中的方案标题"
    subs.save_draft(world.staff[2], campaign_id=world.campaign.id, form_type="plan", data=secret)
    return world


def build(world: World, start: Any) -> bytes:
    job = world.services.dossiers.builds.wait(start())
    assert job.status == "done", job.error
    assert job.result is not None
    return job.result


def test_campaign_dossier_prints_done_submissions_and_never_a_draft(world: World) -> None:
    dossiers = world.services.dossiers
    pdf = build(world, lambda: dossiers.start_campaign_dossier(world.reviewer, world.campaign.id))
    text = text_of(pdf).replace("\n", "")
    assert "党政办公室党支部二〇二六年已通过的方案" in text
    assert "走进学生宿舍主题党日" in text
    assert "草稿中的方案" not in text  # a draft never appears
    assert "待审核方案标题" not in text  # only what is done
    for name in (b.name for b in world.branches):  # one section per branch
        assert name in text
    for heading in (
        "各支部进展",
        "平均出席率",
        "表彰名单",
        "规则检查",
        "审核记录",
        "照片",
        "活动合影.jpg",
    ):
        assert heading in text, heading


def test_the_progress_table_counts_every_task_due_not_only_what_is_done(world: World) -> None:
    subs = world.services.submissions
    (waiting,) = subs.list(
        world.reviewer, campaign_id=world.campaign.id, branch_id=world.branches[1].id
    )
    subs.return_(world.reviewer, waiting.id, waiting.rev, "目标不具体，请补充可检查的指标")
    tasks = world.services.progress.tasks(world.campaign)
    due = {stage: sum(1 for task in tasks if task.stage == stage) for stage in Stage}
    dossier = world.services.dossiers.campaign_dossier(world.reviewer, world.campaign.id)
    rows = {row.branch: row.stages for row in dossier.progress}
    launch = due[Stage.LAUNCH]
    assert rows[world.branches[0].name][0] == f"已通过 1/{launch}"  # its plan approved
    assert rows[world.branches[1].name][0] == f"已通过 0/{launch}，退回 1"
    assert rows[world.branches[2].name][0] == f"已通过 0/{launch}"  # a draft is not handed in
    assert [len(stages) for stages in rows.values()] == [3, 3, 3]
    assert due[Stage.IMPLEMENT] == 0  # its forms are filled as often as needed, none is due
    assert rows[world.branches[0].name][1] == "本阶段无须提交"  # never 已通过 0/0
    pdf = build(
        world,
        lambda: world.services.dossiers.start_campaign_dossier(world.reviewer, world.campaign.id),
    )
    assert f"已通过 0/{launch}，退回 1" in text_of(pdf).replace("\n", "")


def test_branch_dossier_embeds_the_photo_small(world: World) -> None:
    dossiers = world.services.dossiers
    pdf = build(
        world,
        lambda: dossiers.start_branch_dossier(world.admin, world.campaign.id, world.branches[0].id),
    )
    images = [img for page in PdfReader(io.BytesIO(pdf)).pages for img in page.images]
    assert len(images) == 1
    with Image.open(io.BytesIO(images[0].data)) as shown:
        assert max(shown.size) <= 900  # a thumbnail, not the 1600-pixel original
    text = text_of(pdf).replace("\n", "")
    assert "数据统计" in text
    # the submission as submitted, its rule report and its review trail
    assert "党政办公室党支部二〇二六年已通过的方案" in text
    assert "评估材料党员责任区" in text and "李明" in text  # a row of its work items
    assert "规则检查报告" in text and "plan_quality" in text and "检查结论通过" in text
    trail = text[text.index("审核记录") :]
    assert "branch1" in trail and "提交" in trail
    assert trail.index("提交") < trail.index("审核通过") and "reviewer" in trail
    assert "待审核方案标题" not in text and "草稿中的方案" not in text  # other branches'


def test_the_campaign_dossier_and_its_screen_hold_the_campaigns_branches_only(
    world: World,
) -> None:
    admin, campaign = world.admin, world.campaign
    taking_part = [world.branches[0].id, world.branches[1].id]
    world.campaign = world.services.campaigns.update(
        admin, campaign.model_copy(update={"branch_ids": taking_part}), campaign.rev
    )
    dossiers = world.services.dossiers
    names = sorted(b.name for b in world.branches[:2])
    assert [b.name for b in dossiers.campaign_branches(world.reviewer, campaign.id)] == names
    dossier = dossiers.campaign_dossier(world.reviewer, campaign.id)
    assert [entry.branch.name for entry in dossier.branches] == names
    assert all(chart.labels == names for chart in dossier.charts)
    assert world.branches[2].name not in [row.branch for row in dossier.progress]
    with pytest.raises(PermissionDenied):
        dossiers.campaign_branches(world.staff[0], campaign.id)


def test_branch_staff_and_readers_may_not_build_dossiers(world: World) -> None:
    dossiers = world.services.dossiers
    with pytest.raises(PermissionDenied):
        dossiers.start_branch_dossier(world.staff[0], world.campaign.id, world.branches[0].id)
    with pytest.raises(PermissionDenied):
        dossiers.campaign_dossier(world.reader, world.campaign.id)


def test_a_result_is_handed_only_to_whoever_built_it(world: World) -> None:
    dossiers = world.services.dossiers
    job = dossiers.builds.wait(dossiers.start_campaign_dossier(world.reviewer, world.campaign.id))
    assert dossiers.result(world.reviewer, job.id).result == job.result
    assert [j.id for j in dossiers.jobs(world.reviewer)] == [job.id]
    assert dossiers.jobs(world.admin) == []
    with pytest.raises(NotFound):
        dossiers.result(world.admin, job.id)


def test_a_forked_build_reports_progress_and_returns_the_pdf(world: World) -> None:
    dossiers = world.services.dossiers
    dossiers.builds = BackgroundBuilds(in_process=False)
    job = dossiers.builds.wait(dossiers.start_campaign_dossier(world.reviewer, world.campaign.id))
    assert job.status == "done", job.error
    assert job.total > 0 and job.done == job.total and job.fraction == 1.0
    assert "党政办公室党支部二〇二六年已通过的方案" in text_of(job.result or b"").replace("\n", "")


def test_a_failed_build_says_why_in_chinese_and_logs_the_detail(
    caplog: pytest.LogCaptureFixture,
) -> None:
    builds = BackgroundBuilds(in_process=False)

    def broken(progress: Any) -> bytes:
        raise ValueError("LayoutError: table too wide")

    with caplog.at_level(logging.ERROR, logger="workflow.background"):
        job = builds.wait(builds.start("u1", "t", "f.pdf", broken))
    assert job.status == "failed"
    assert job.reason("zh") == t("dossiers.failure.unexpected")
    assert "LayoutError" not in job.reason("zh") and "LayoutError" not in job.reason("en")
    assert "ValueError: LayoutError: table too wide" in caplog.text  # the child's traceback
    assert "Traceback" in job.error


def test_a_project_error_in_a_build_is_worded_in_the_users_language() -> None:
    builds = BackgroundBuilds(in_process=False)

    def missing(progress: Any) -> bytes:
        raise NotFound("branches", "b-77")

    job = builds.wait(builds.start("u1", "t", "f.pdf", missing))
    assert job.reason("zh") == t("workflow.not_found.branches")
    assert job.reason("en") == t("workflow.not_found.branches", "en")


def test_a_build_whose_process_dies_or_whose_part_times_out_says_so_in_chinese() -> None:
    builds = BackgroundBuilds(in_process=False)

    def dies(progress: Any) -> bytes:
        os._exit(9)

    def part_too_slow(progress: Any) -> bytes:
        list(forked_map(lambda n: time.sleep(30), [1], 1, item_seconds=0.3))
        return b""

    died = builds.wait(builds.start("u1", "t", "f.pdf", dies), timeout=30)
    assert died.reason("zh") == t("dossiers.failure.ended")
    assert "exit code 9" in died.error
    slow = builds.wait(builds.start("u1", "t", "f.pdf", part_too_slow), timeout=60)
    assert slow.reason("zh") == t("dossiers.failure.part_timeout", seconds=0)
    assert "within" in slow.error and "within" not in slow.reason("zh")
    assert multiprocessing.active_children() == []


def test_a_build_that_stops_reporting_is_stopped_and_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(background, "SILENT_SECONDS", 0.5)
    builds = BackgroundBuilds(in_process=False)

    def stuck(progress: Any) -> bytes:
        progress(1, 2)
        time.sleep(120)
        return b""

    job = builds.wait(builds.start("u1", "t", "f.pdf", stuck), timeout=30)
    assert job.status == "failed"
    assert job.reason("zh") == t("dossiers.failure.stuck", seconds=0)
    assert "没有任何进展" in job.reason("zh")
    assert multiprocessing.active_children() == []


def test_the_final_award_list_is_printed_once_its_notice_has_ended(world: World) -> None:
    import datetime as dt

    from tests.unit.test_workflow_awards import nominate

    awards, dossiers = world.services.awards, world.services.dossiers
    campaign = world.campaign.id
    chosen = nominate(
        world, 0, committee=92, self_score=95, award="优秀党务工作者", nominee="张建国"
    )
    awards.select(world.reviewer, campaign, chosen.id)
    before = dossiers.campaign_dossier(world.reviewer, campaign)
    assert before.awards == []  # selected, but no notice yet: no final list
    today = dt.date(2026, 6, 20)
    awards.today = lambda: today
    awards.start_notice(world.reviewer, campaign, today, today + dt.timedelta(days=6))
    awards.today = lambda: today + dt.timedelta(days=7)  # the notice has ended
    final = dossiers.campaign_dossier(world.reviewer, campaign).awards
    assert [(a.award, a.branch) for a in final] == [(chosen.data["award"], world.branches[0].name)]
    pdf = build(world, lambda: dossiers.start_campaign_dossier(world.reviewer, campaign))
    assert "尚无表彰名单" not in text_of(pdf)
    assert final[0].name in text_of(pdf).replace("\n", "")


class CountingDiskCache(DiskPartCache):
    """The disk cache, counting the branch sections laid out (put) into it."""

    laid_out = 0

    def put(self, key: str, pdf: bytes) -> None:
        self.laid_out += 1
        super().put(key, pdf)


def test_a_rebuild_lays_out_again_only_the_branch_whose_records_changed(
    world: World, tmp_path: Path
) -> None:
    dossiers = world.services.dossiers
    cache = dossiers.parts = CountingDiskCache(tmp_path / "parts")
    first = build(world, lambda: dossiers.start_campaign_dossier(world.reviewer, world.campaign.id))
    assert cache.laid_out == len(world.branches)
    assert len(list((tmp_path / "parts").glob("*.pdf"))) == len(world.branches)
    cache.laid_out = 0
    approved_activity_with_photo(world, 1, "教务处党支部新开展的主题党日")
    second = build(
        world, lambda: dossiers.start_campaign_dossier(world.reviewer, world.campaign.id)
    )
    assert cache.laid_out == 1  # branch 1's records changed; every other section came from disk
    assert "教务处党支部新开展的主题党日" in text_of(second).replace("\n", "")
    assert "教务处党支部新开展的主题党日" not in text_of(first).replace("\n", "")
    assert "草稿中的方案" not in text_of(second)
    images = [img for page in PdfReader(io.BytesIO(second)).pages for img in page.images]
    assert len(images) == 2  # the photo of each branch's approved activity


def test_the_disk_cache_keeps_at_most_its_limit_dropping_the_least_recently_used(
    tmp_path: Path,
) -> None:
    cache = DiskPartCache(tmp_path, max_bytes=250)
    for key in ("aa", "bb", "cc"):
        cache.put(key, key.encode() * 50)  # 100 bytes each
        time.sleep(0.01)
    assert cache.get("aa") is None and cache.get("bb") == b"bb" * 50
    time.sleep(0.01)
    cache.put("dd", b"d" * 100)  # bb was used after cc: cc goes
    assert cache.get("cc") is None and cache.get("bb") is not None and cache.get("dd")
    assert not list(tmp_path.glob("*.tmp"))
