"""The 七一 commendation (S13) of the final award list: the list PDF and one A4-landscape
certificate per winner in one zip, user text printed as typed."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from pypdf import PdfReader

from tests.unit.test_workflow_awards import TODAY, nominate, settings
from tests.unit.workflow_world import World, make_world
from workflow.errors import InvalidTransition


def text_of(pdf: bytes) -> str:
    return "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def with_final_list(world: World) -> None:
    settings(world, award_shares={}, award_quotas={"先进党支部": 1, "优秀共产党员": 1})
    awards, campaign = world.services.awards, world.campaign.id
    branch = nominate(world, 0, committee=90)
    member = nominate(world, 1, committee=88, award="优秀共产党员", nominee="<b>李&四</b>")
    for s in (branch, member):
        awards.select(world.reviewer, campaign, s.id)
    awards.today = lambda: TODAY
    awards.start_notice(world.reviewer, campaign, TODAY, TODAY + dt.timedelta(days=6))
    awards.today = lambda: TODAY + dt.timedelta(days=7)  # the notice has ended


def test_the_commendation_zip_holds_the_list_and_a_landscape_certificate_per_winner() -> None:
    world = make_world()
    with_final_list(world)
    data = world.services.awards.commendation_zip(
        world.reader, world.campaign.id, dt.date(world.campaign.year, 7, 1)
    )
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    assert names[0] == "表彰名单.pdf" and len(names) == 3
    listing = text_of(archive.read(names[0]))
    assert "内部表彰名单" in listing and world.branches[0].name in listing
    assert "<b>李&四</b>" in listing  # escaped: printed as typed, not as markup
    certificates = {n: archive.read(n) for n in names[1:]}
    texts = [text_of(pdf) for pdf in certificates.values()]
    assert any("荣誉证书" in x and world.branches[0].name in x and "先进党支部" in x for x in texts)
    assert any("<b>李&四</b> 同志" in x and "优秀共产党员" in x for x in texts)
    assert all(f"{world.campaign.year}年7月1日" in x for x in texts)  # signed as written
    assert not any("第 1 页" in x or "生成时间" in x for x in texts)  # a certificate has no footer
    assert "第 1 页" in listing  # the list is a document with page numbers
    for pdf in certificates.values():
        (page,) = PdfReader(io.BytesIO(pdf)).pages
        assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape
    assert all("/" not in n.split("/", 1)[1] for n in names[1:])  # no path from user text


def test_no_commendation_before_the_notice_has_ended() -> None:
    world = make_world()
    with pytest.raises(InvalidTransition, match="尚未公示"):
        world.services.awards.commendation_zip(world.reviewer, world.campaign.id, TODAY)
