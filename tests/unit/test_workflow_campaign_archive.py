"""Archiving a past campaign through the workflow (``CampaignService.archive``) and the
command line (``python -m workflow archive-campaign``): admins only, never the current
campaign; the screens that read a past year (同比, next-year copy, lists) read it as before,
and nothing in it can be changed until it is reopened."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.errors import Archived
from storage.factory import open_repository
from tests.unit.workflow_world import YEAR, World, make_world
from workflow import demo_data
from workflow.cli import main
from workflow.errors import DomainError, PermissionDenied


def _two_years(world: World) -> str:
    """The world's campaign, with submitted plans, becomes last year's; returns its id."""
    for i in range(3):
        world.submitted_plan(i)
    world.services.campaigns.create(world.admin, demo_data.campaign(YEAR + 1))
    return world.campaign.id


def _what_screens_read(world: World, campaign_id: str) -> object:
    services = world.services
    return (
        services.submissions.list(world.reviewer, campaign_id=campaign_id),
        services.submissions.list(world.staff[0], campaign_id=campaign_id),
        services.dashboards.year_on_year(world.reviewer),
        services.dashboards.figures(world.reviewer, campaign_id),
    )


def test_an_admin_archives_last_year_and_every_screen_reads_it_as_before(
    tmp_path: Path,
) -> None:
    world = make_world(open_repository(f"tinydb:///{tmp_path / 'v.json'}"))
    old = _two_years(world)
    campaigns = world.services.campaigns
    before = _what_screens_read(world, old)
    with pytest.raises(PermissionDenied):
        campaigns.archive(world.reviewer, old)
    with pytest.raises(DomainError) as current:
        campaigns.archive(world.admin, campaigns.current().id)  # type: ignore[union-attr]
    assert "当前" in str(current.value)
    assert campaigns.archive(world.admin, old) >= 3
    assert campaigns.archived() == {old}
    assert _what_screens_read(world, old) == before
    plan = world.services.submissions.list(world.staff[0], campaign_id=old)[0]
    with pytest.raises(Archived):
        world.services.submissions.save_draft(
            world.staff[0], campaign_id=old, form_type="study_session", data={}
        )
    with pytest.raises(Archived):
        world.services.submissions.approve(world.reviewer, plan.id, plan.rev)
    assert campaigns.unarchive(world.admin, old) >= 3
    world.services.submissions.approve(world.reviewer, plan.id, plan.rev)
    world.repo.close()


def test_the_command_line_archives_by_year_as_an_admin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"tinydb:///{tmp_path / 'v.json'}"
    world = make_world(open_repository(db))
    _two_years(world)
    world.repo.close()
    assert main(["archive-campaign", str(YEAR), "--by", "reviewer", "--db", db]) == 2
    assert "不是有效的管理员账号" in capsys.readouterr().err
    assert main(["archive-campaign", "1999", "--by", "admin", "--db", db]) == 2
    assert f"已有的:{YEAR + 1}" in capsys.readouterr().err
    assert main(["archive-campaign", str(YEAR + 1), "--by", "admin", "--db", db]) == 2
    assert "当前" in capsys.readouterr().err
    assert main(["archive-campaign", str(YEAR), "--by", "admin", "--db", db]) == 0
    assert "已归档" in capsys.readouterr().out
    repo = open_repository(db)
    assert repo.archived_campaigns() == [world.campaign.id]
    repo.close()
    assert main(["unarchive-campaign", world.campaign.id, "--by", "admin", "--db", db]) == 0
    assert "已恢复" in capsys.readouterr().out
