"""Archiving a closed campaign (``Repository.archive_campaign``), held against every backend:
every record of it reads back identically (documents, finds, history, audit, backups), it is
read-only until an administrator reopens it, and reopening changes nothing either."""

from __future__ import annotations

from typing import Any

import pytest

from i18n import t
from storage.base import Repository
from storage.errors import Archived
from storage.factory import open_repository
from storage.transfer import transferable
from tests.contract.test_durable_backends import durable

OLD, NEW = "c2016", "c2017"
KINDS = ("submissions", "spot_checks", "users", "campaigns")


def _fill(repo: Repository) -> dict[str, str]:
    """Two campaigns' records, with updates and a delete, beside global records."""
    ids: dict[str, str] = {}
    repo.insert("campaigns", {"id": OLD, "year": 2016}, actor="admin")
    repo.insert("campaigns", {"id": NEW, "year": 2017}, actor="admin")
    repo.insert("users", {"id": "u1", "login": "li"}, actor="admin")
    for campaign in (OLD, NEW):
        for n in range(4):
            doc = repo.insert(
                "submissions",
                {
                    "campaign_id": campaign,
                    "branch_id": f"b{n % 2}",
                    "form_type": "plan" if n < 2 else "study_session",
                    "status": "draft",
                    "data": {"title": f"{campaign} 第{n}份", "n": n},
                },
                actor=f"branch{n}",
            )
            ids[f"{campaign}-{n}"] = doc["id"]
            if n % 2 == 0:
                repo.update(
                    "submissions",
                    {**doc, "status": "submitted", "data": {**doc["data"], "more": "补充"}},
                    actor="branch",
                    expected_rev=1,
                )
        gone = repo.insert("submissions", {"campaign_id": campaign, "x": 1}, actor="b")
        repo.delete("submissions", gone["id"], actor="b", expected_rev=1)
        ids[f"{campaign}-gone"] = gone["id"]
        repo.insert("spot_checks", {"campaign_id": campaign, "picked": [1, 2]}, actor="r")
    return ids


def _everything(repo: Repository, ids: dict[str, str]) -> dict[str, Any]:
    """Every way of reading the store, in one comparable value."""
    wheres: list[dict[str, Any]] = [
        {},
        {"campaign_id": OLD},
        {"campaign_id": NEW},
        {"campaign_id": OLD, "form_type": "plan"},
        {"branch_id": "b0"},
        {"status": "submitted"},
        {"campaign_id": OLD, "data": {"title": f"{OLD} 第1份", "n": 1}},
    ]
    finds = {
        f"{kind} {where}": sorted(repo.find(kind, where), key=lambda d: d["id"])
        for kind in KINDS
        for where in wheres
    }
    in_order = [d["id"] for d in repo.find("submissions", {"campaign_id": OLD})]
    fields = repo.find("submissions", {"campaign_id": OLD}, fields=["id", "rev", "status"])
    records = {
        name: (
            repo.get("submissions", id),
            repo.history("submissions", id),
            repo.audit("submissions", id),
        )
        for name, id in ids.items()
    }
    events = transferable(repo).export_events()
    return {
        "finds": finds,
        "order": in_order,
        "fields": fields,
        "records": records,
        "audit": repo.audit(limit=1000),
        "audit of a kind": repo.audit("submissions", limit=5),
        "kinds": repo.kinds(),
        "events": sorted(events, key=lambda e: (e["kind"], e["id"], e["rev"], e["action"])),
    }


def test_an_archived_campaign_reads_back_identically(repo: Repository) -> None:
    ids = _fill(repo)
    before = _everything(repo, ids)
    assert repo.archive_campaign(OLD, actor="admin") == 6  # 4 forms, a deleted one, a draw
    assert repo.archived_campaigns() == [OLD]
    assert _everything(repo, ids) == before
    assert repo.archive_campaign(OLD, actor="admin") == 0  # already archived
    assert repo.unarchive_campaign(OLD, actor="admin") == 6
    assert repo.archived_campaigns() == []
    assert _everything(repo, ids) == before


def test_an_archived_campaign_is_read_only_until_reopened(repo: Repository) -> None:
    ids = _fill(repo)
    repo.archive_campaign(OLD, actor="admin")
    old = repo.get("submissions", ids[f"{OLD}-1"])
    assert old is not None
    with pytest.raises(Archived) as refused:
        repo.update("submissions", {**old, "status": "x"}, actor="a", expected_rev=old["rev"])
    assert refused.value.campaign_id == OLD
    assert refused.value.message("zh") == t(
        "storage.error.archived", "zh", record=f"submissions/{old['id']}", campaign=OLD
    )
    assert "unarchive-campaign" in refused.value.message("zh")
    with pytest.raises(Archived):
        repo.delete("submissions", old["id"], actor="a", expected_rev=old["rev"])
    with pytest.raises(Archived):
        repo.insert("submissions", {"campaign_id": OLD, "x": 2}, actor="a")
    new = repo.get("submissions", ids[f"{NEW}-1"])
    assert new is not None
    with pytest.raises(Archived):  # nor can a record move into it
        repo.update("submissions", {**new, "campaign_id": OLD}, actor="a", expected_rev=1)
    assert repo.get("submissions", old["id"]) == old
    # The open campaign and global records go on as before.
    repo.update("submissions", {**new, "status": "submitted"}, actor="a", expected_rev=1)
    repo.insert("submissions", {"campaign_id": NEW, "x": 3}, actor="a")
    repo.insert("users", {"id": "u2", "login": "wang"}, actor="admin")
    repo.unarchive_campaign(OLD, actor="admin")
    saved = repo.update("submissions", {**old, "status": "x"}, actor="a", expected_rev=old["rev"])
    assert saved["rev"] == old["rev"] + 1
    assert [h["rev"] for h in repo.history("submissions", old["id"])] == [1, 2]


@durable
def test_the_archive_survives_reopening_the_store(repo_url: str) -> None:
    first = open_repository(repo_url)
    ids = _fill(first)
    before = _everything(first, ids)
    first.archive_campaign(OLD, actor="admin")
    first.close()
    second = open_repository(repo_url)
    try:
        assert second.archived_campaigns() == [OLD]
        assert _everything(second, ids) == before
        with pytest.raises(Archived):
            second.insert("submissions", {"campaign_id": OLD}, actor="a")
    finally:
        second.close()
