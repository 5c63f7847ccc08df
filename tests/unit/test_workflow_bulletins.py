"""《机关工作简报》 (S10): composed from published reports, previewed, numbered per year when
issued, frozen afterwards and downloadable by every account — with the reports' images."""

from __future__ import annotations

import datetime as dt
import io
import threading

import pypdf
import pytest

from tests.unit.news_samples import submitted_news
from tests.unit.workflow_world import World, make_world
from workflow.bulletins import SUMMARY_CHARS
from workflow.errors import InvalidTransition, PermissionDenied, ValidationFailed
from workflow.models import BulletinIssue, Submission


@pytest.fixture
def world() -> World:
    return make_world()


def _published(world: World, i: int = 1, **over: object) -> Submission:
    svc, reviewer = world.services, world.reviewer
    sub = submitted_news(svc, world.staff[i], world.campaign.id, **over)
    sub = svc.submissions.approve(reviewer, sub.id, sub.rev)
    sub = svc.news.forward(reviewer, sub.id, sub.rev)
    return svc.news.publish(reviewer, sub.id, sub.rev)


def _text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def _images(pdf: bytes) -> int:
    return sum(len(p.images) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def _draft(world: World, *subs: Submission, day: str = "2026-10-01") -> BulletinIssue:
    bulletins = world.services.bulletins
    issue = bulletins.create(world.admin, date=dt.date.fromisoformat(day))
    picks = [{"submission_id": s.id, "summary": ""} for s in subs]
    return bulletins.compose(world.admin, issue.id, issue.rev, picks)


def test_the_preview_prints_the_picked_reports_in_order_with_edited_summaries_and_images(
    world: World,
) -> None:
    first = _published(world, 1, title="第一篇:走进校史馆")
    second = _published(
        world, 2, title="第二篇:先进人物<李老师>&团队", category="先进人物", image_color="blue"
    )
    bulletins = world.services.bulletins
    issue = bulletins.create(world.admin, date=dt.date(2026, 10, 1))
    issue = bulletins.compose(
        world.admin,
        issue.id,
        issue.rev,
        [
            {"submission_id": second.id, "summary": "编辑改写的摘要 <b>不加粗</b>"},
            {"submission_id": first.id, "summary": ""},
        ],
    )
    pdf = bulletins.preview(world.admin, issue.id)
    text = _text(pdf)
    assert "机关工作简报" in text and "第 1 期" in text
    assert text.index("第二篇:先进人物<李老师>&团队") < text.index("第一篇:走进校史馆")
    assert "编辑改写的摘要 <b>不加粗</b>" in text  # escaped: printed as typed
    assert "九月二十日上午" in text  # no summary typed: the report's opening
    assert "党员在校史馆参观学习" in text  # the image captions
    assert _images(pdf) == 2


def test_issues_are_numbered_per_year(world: World) -> None:
    bulletins = world.services.bulletins
    report = _published(world)
    numbers = []
    for day in ("2026-03-01", "2026-06-01", "2027-01-10"):
        issue = _draft(world, report, day=day)
        numbers.append((issue.year, bulletins.issue(world.admin, issue.id, issue.rev).number))
    assert numbers == [(2026, 1), (2026, 2), (2027, 1)]
    assert [(i.year, i.number) for i in bulletins.archive(world.staff[0])] == [
        (2027, 1),
        (2026, 2),
        (2026, 1),
    ]


def test_an_issued_issue_is_frozen_and_everyone_downloads_the_pdf_as_issued(world: World) -> None:
    bulletins = world.services.bulletins
    report = _published(world, title="原来的标题")
    issue = _draft(world, report)
    issued = bulletins.issue(world.admin, issue.id, issue.rev)
    assert issued.status == "issued" and issued.headlines == ["原来的标题"]
    with pytest.raises(InvalidTransition):
        bulletins.compose(world.admin, issued.id, issued.rev, [])
    with pytest.raises(InvalidTransition):
        bulletins.issue(world.admin, issued.id, issued.rev)
    for reader in (world.staff[0], world.reader, world.reviewer):
        pdf = bulletins.pdf(reader, issued.id)
        assert "原来的标题" in _text(pdf)
    assert bulletins.pdf(world.reader, issued.id) == world.repo.get_blob(issued.pdf_blob)


def test_only_published_reports_can_be_picked_each_once(world: World) -> None:
    bulletins = world.services.bulletins
    report = _published(world)
    pending = submitted_news(world.services, world.staff[2], world.campaign.id)
    issue = bulletins.create(world.admin, date=dt.date(2026, 10, 1))
    with pytest.raises(ValidationFailed):
        bulletins.compose(world.admin, issue.id, issue.rev, [{"submission_id": pending.id}])
    with pytest.raises(ValidationFailed):
        bulletins.compose(
            world.admin,
            issue.id,
            issue.rev,
            [{"submission_id": report.id}, {"submission_id": report.id}],
        )
    assert bulletins.get(world.admin, issue.id).picks == []


def test_preview_and_issue_print_the_picks_given_unsaved_and_check_them_as_compose_does(
    world: World,
) -> None:
    """The editor hands over what is on screen: the preview prints it without storing it,
    issuing stores it with the issue in one write; picks compose would refuse are refused
    (nothing issued, the number stays free)."""
    bulletins = world.services.bulletins
    first = _published(world, 1, title="第一篇:走进校史馆")
    second = _published(world, 2, title="第二篇:先进人物李老师", category="先进人物")
    issue = _draft(world, first, second)
    on_screen = [
        {"submission_id": second.id, "summary": "屏幕上的摘要"},
        {"submission_id": first.id, "summary": ""},
    ]
    text = _text(bulletins.preview(world.admin, issue.id, on_screen))
    assert text.index("第二篇:先进人物李老师") < text.index("第一篇:走进校史馆")
    assert "屏幕上的摘要" in text
    assert bulletins.get(world.admin, issue.id).rev == issue.rev  # nothing stored
    pending = submitted_news(world.services, world.staff[0], world.campaign.id)
    for bad in (
        [{"submission_id": pending.id}],
        [{"submission_id": first.id}, {"submission_id": first.id}],
        [{"submission_id": first.id, "summary": "长" * 5001}],
    ):
        with pytest.raises(ValidationFailed):
            bulletins.preview(world.admin, issue.id, bad)
        with pytest.raises(ValidationFailed):
            bulletins.issue(world.admin, issue.id, issue.rev, bad)
    with pytest.raises(ValidationFailed):
        bulletins.issue(world.admin, issue.id, issue.rev, [])
    assert bulletins.next_number(2026) == 1 and bulletins.drafts(world.admin)

    issued = bulletins.issue(world.admin, issue.id, issue.rev, on_screen)
    assert [p.summary for p in issued.picks] == ["屏幕上的摘要", ""]
    assert issued.headlines == ["第二篇:先进人物李老师", "第一篇:走进校史馆"]
    assert "屏幕上的摘要" in _text(bulletins.pdf(world.reader, issued.id))


def test_an_empty_issue_is_not_issued_and_keeps_its_number_free(world: World) -> None:
    bulletins = world.services.bulletins
    issue = bulletins.create(world.admin, date=dt.date(2026, 10, 1))
    with pytest.raises(ValidationFailed):
        bulletins.issue(world.admin, issue.id, issue.rev)
    assert bulletins.next_number(2026) == 1


@pytest.mark.parametrize("who", ["reviewer", "reader", "staff"])
def test_only_admins_compose_preview_and_issue_and_drafts_stay_theirs(
    world: World, who: str
) -> None:
    bulletins = world.services.bulletins
    actor = world.staff[0] if who == "staff" else getattr(world, who)
    issue = _draft(world, _published(world))
    with pytest.raises(PermissionDenied):
        bulletins.create(actor, date=dt.date(2026, 10, 1))
    with pytest.raises(PermissionDenied):
        bulletins.preview(actor, issue.id)
    with pytest.raises(PermissionDenied):
        bulletins.issue(actor, issue.id, issue.rev)
    with pytest.raises(PermissionDenied):
        bulletins.get(actor, issue.id)
    assert bulletins.archive(actor) == []


def test_an_issue_racing_another_for_its_number_takes_the_next_one(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two admins issuing at once both read "next is 1"; the store's unique number id lets
    only one have it (simulated: the second reads the count from before the first issued)."""
    bulletins = world.services.bulletins
    report = _published(world)
    first, second = _draft(world, report), _draft(world, report)
    assert bulletins.issue(world.admin, first.id, first.rev).number == 1
    monkeypatch.setattr(bulletins, "next_number", lambda year: 1)
    assert bulletins.issue(world.admin, second.id, second.rev).number == 2


def test_issuing_at_the_same_moment_from_threads_gives_distinct_numbers(world: World) -> None:
    bulletins = world.services.bulletins
    report = _published(world)
    drafts = [_draft(world, report) for _ in range(4)]
    numbers: list[int] = []
    barrier = threading.Barrier(len(drafts))

    def issue(draft: BulletinIssue) -> None:
        barrier.wait()
        numbers.append(bulletins.issue(world.admin, draft.id, draft.rev).number or 0)

    threads = [threading.Thread(target=issue, args=(d,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(numbers) == [1, 2, 3, 4]


def test_the_default_summary_is_the_first_paragraph_cut_short(world: World) -> None:
    report = _published(world, body="短的第一段。\n\n第二段" + "。" * 400)
    entry = world.services.news.entry(world.reader, report.id)
    assert world.services.bulletins.default_summary(entry) == "短的第一段。"
    long_one = _published(world, 2, body="长" * 500)
    summary = world.services.bulletins.default_summary(
        world.services.news.entry(world.reader, long_one.id)
    )
    assert summary == "长" * SUMMARY_CHARS + "……"
