"""The Repository protocol (storage/base.py), held against every backend by one suite."""

from __future__ import annotations

import pytest

from storage.base import Repository, Transferable
from storage.errors import AlreadyExists, Conflict, NotFound, StorageError
from storage.memory import MemoryRepository

PLAN = {
    "campaign_id": "c2025",
    "branch_id": "b-math",
    "form_type": "plan",
    "status": "draft",
    "data": {
        "title": "数学系党支部先锋工程实施方案",
        "items": [{"content": "学习", "owner": "张三"}],
    },
}


def test_every_backend_implements_the_protocol(repo: Repository) -> None:
    assert isinstance(repo, Repository)
    assert isinstance(repo, Transferable)


def test_insert_then_get_returns_the_stored_document_at_rev_1(repo: Repository) -> None:
    saved = repo.insert("submissions", dict(PLAN), actor="zhang")
    assert saved["rev"] == 1
    assert saved["updated_by"] == "zhang"
    assert saved["updated_at"]
    assert repo.get("submissions", saved["id"]) == saved
    assert repo.get("submissions", "no-such-id") is None
    assert repo.get("other_kind", saved["id"]) is None


def test_insert_generates_an_id_when_missing_and_keeps_a_given_one(repo: Repository) -> None:
    a = repo.insert("branches", {"name": "一支部"}, actor="admin")
    b = repo.insert("branches", {"name": "二支部"}, actor="admin")
    c = repo.insert("branches", {"id": "b-three", "name": "三支部"}, actor="admin")
    assert a["id"] and b["id"] and a["id"] != b["id"]
    assert c["id"] == "b-three"
    assert repo.get("branches", "b-three") == c


def test_insert_with_a_reused_id_raises_already_exists(repo: Repository) -> None:
    repo.insert("users", {"id": "u1", "login": "li"}, actor="admin")
    with pytest.raises(AlreadyExists):
        repo.insert("users", {"id": "u1", "login": "wang"}, actor="admin")
    assert repo.get("users", "u1")["login"] == "li"  # type: ignore[index]
    # The same id in another kind is a different record.
    assert repo.insert("branches", {"id": "u1"}, actor="admin")["id"] == "u1"


def test_find_filters_on_every_where_field_and_returns_oldest_first(repo: Repository) -> None:
    ids = []
    for n, (branch, status) in enumerate(
        [("b1", "draft"), ("b2", "draft"), ("b1", "submitted"), ("b1", "draft")]
    ):
        doc = {**PLAN, "branch_id": branch, "status": status, "n": n}
        ids.append(repo.insert("submissions", doc, actor="x")["id"])
    assert [d["n"] for d in repo.find("submissions")] == [0, 1, 2, 3]
    found = repo.find("submissions", {"branch_id": "b1", "status": "draft"})
    assert [d["id"] for d in found] == [ids[0], ids[3]]
    assert [d["n"] for d in repo.find("submissions", {"n": 2})] == [2]
    assert repo.find("submissions", {"branch_id": "nobody"}) == []
    assert repo.find("no_such_kind") == []


def test_find_where_none_matches_missing_fields(repo: Repository) -> None:
    repo.insert("users", {"login": "a", "branch_id": None}, actor="x")
    repo.insert("users", {"login": "b"}, actor="x")
    repo.insert("users", {"login": "c", "branch_id": "b1"}, actor="x")
    assert sorted(d["login"] for d in repo.find("users", {"branch_id": None})) == ["a", "b"]


def test_find_compares_nested_values_whole(repo: Repository) -> None:
    repo.insert("k", {"tags": ["校庆", "学科建设"]}, actor="x")
    repo.insert("k", {"tags": ["校庆"]}, actor="x")
    assert len(repo.find("k", {"tags": ["校庆"]})) == 1


def test_update_with_the_current_rev_bumps_the_revision(repo: Repository) -> None:
    saved = repo.insert("submissions", dict(PLAN), actor="zhang")
    changed = repo.update(
        "submissions", {**saved, "status": "submitted"}, actor="li", expected_rev=1
    )
    assert changed["rev"] == 2
    assert changed["updated_by"] == "li"
    assert repo.get("submissions", saved["id"]) == changed
    # An update keeps the document's place in find order.
    repo.insert("submissions", dict(PLAN), actor="zhang")
    assert repo.find("submissions")[0]["id"] == saved["id"]


def test_update_over_a_newer_revision_raises_conflict_with_the_current_doc(
    repo: Repository,
) -> None:
    saved = repo.insert("submissions", dict(PLAN), actor="zhang")
    theirs = repo.update(
        "submissions", {**saved, "status": "submitted"}, actor="li", expected_rev=1
    )
    with pytest.raises(Conflict) as caught:
        repo.update("submissions", {**saved, "status": "approved"}, actor="zhang", expected_rev=1)
    assert caught.value.current == theirs
    assert caught.value.expected == 1
    assert "已被他人修改" in str(caught.value)
    assert repo.get("submissions", saved["id"]) == theirs  # nothing overwritten


def test_update_of_a_missing_record_raises_not_found(repo: Repository) -> None:
    with pytest.raises(NotFound):
        repo.update("submissions", {"id": "ghost"}, actor="x", expected_rev=1)


def test_delete_removes_the_record_but_keeps_its_history(repo: Repository) -> None:
    saved = repo.insert("news", {"title": "报道"}, actor="a")
    with pytest.raises(Conflict):
        repo.delete("news", saved["id"], actor="b", expected_rev=7)
    repo.delete("news", saved["id"], actor="b", expected_rev=1)
    assert repo.get("news", saved["id"]) is None
    assert repo.find("news") == []
    assert [h["rev"] for h in repo.history("news", saved["id"])] == [1]
    with pytest.raises(NotFound):
        repo.delete("news", saved["id"], actor="b", expected_rev=1)


def test_history_lists_every_revision_oldest_first(repo: Repository) -> None:
    doc = repo.insert("submissions", {**PLAN, "step": 0}, actor="a")
    for step in (1, 2, 3):
        doc = repo.update("submissions", {**doc, "step": step}, actor="a", expected_rev=doc["rev"])
    history = repo.history("submissions", doc["id"])
    assert [(h["rev"], h["step"]) for h in history] == [(1, 0), (2, 1), (3, 2), (4, 3)]
    assert repo.history("submissions", "unknown") == []


def test_audit_records_who_did_what_with_old_and_new_values(repo: Repository) -> None:
    doc = repo.insert("submissions", {**PLAN, "status": "draft"}, actor="zhang")
    doc = repo.update("submissions", {**doc, "status": "submitted"}, actor="li", expected_rev=1)
    other = repo.insert("branches", {"name": "二支部"}, actor="admin")
    repo.delete("submissions", doc["id"], actor="wang", expected_rev=2)

    events = repo.audit()
    assert [(e["action"], e["actor"]) for e in events] == [
        ("delete", "wang"),
        ("insert", "admin"),
        ("update", "li"),
        ("insert", "zhang"),
    ]
    delete, _, update, insert = events
    assert insert["old"] is None and insert["new"]["status"] == "draft"
    assert update["old"]["status"] == "draft" and update["new"]["status"] == "submitted"
    assert update["rev"] == 2 and update["kind"] == "submissions" and update["id"] == doc["id"]
    assert delete["old"]["status"] == "submitted" and delete["new"] is None
    assert all(e["at"] for e in events)
    assert [e["action"] for e in repo.audit("branches")] == ["insert"]
    assert repo.audit("branches")[0]["id"] == other["id"]
    assert [e["action"] for e in repo.audit("submissions", doc["id"])] == [
        "delete",
        "update",
        "insert",
    ]
    assert len(repo.audit(limit=2)) == 2


def test_blobs_round_trip_and_are_idempotent(repo: Repository) -> None:
    data = "签到表".encode() + bytes(range(256))
    key = repo.put_blob(data)
    assert len(key) == 64
    assert repo.put_blob(data) == key
    assert repo.get_blob(key) == data
    assert repo.put_blob(b"") != key
    assert repo.get_blob(repo.put_blob(b"")) == b""
    with pytest.raises(NotFound):
        repo.get_blob("0" * 64)
    with pytest.raises(NotFound):
        repo.get_blob("../../etc/passwd")


def test_kinds_lists_kinds_that_hold_documents(repo: Repository) -> None:
    assert repo.kinds() == []
    repo.insert("users", {"login": "a"}, actor="x")
    gone = repo.insert("news", {"title": "t"}, actor="x")
    repo.insert("campaigns", {"year": 2025}, actor="x")
    repo.delete("news", gone["id"], actor="x", expected_rev=1)
    assert repo.kinds() == ["campaigns", "users"]


def test_chinese_text_round_trips_exactly(repo: Repository) -> None:
    text = (
        "组织生活会：学习《中国共产党章程》，到会 23/25 人；"
        "不足之处：“理论学习不够深入”。\n第二行\t😀"
    )
    saved = repo.insert("submissions", {"data": {"notes": text}, "标题": "先锋工程"}, actor="张三")
    got = repo.get("submissions", saved["id"])
    assert got is not None
    assert got["data"]["notes"] == text
    assert got["标题"] == "先锋工程"
    assert got["updated_by"] == "张三"
    assert repo.find("submissions", {"标题": "先锋工程"})[0]["id"] == saved["id"]


def test_nested_data_round_trips(repo: Repository) -> None:
    nested = {
        "items": [{"content": "学习", "measures": ["讲座", "研讨"], "deadline": "2025-06-30"}],
        "schedule": {"launch": {"start": "2025-03-01", "end": None}},
        "numbers": [0, -1, 2.5, 10**12],
        "flags": {"ok": True, "no": False},
        "empty": {"list": [], "dict": {}, "text": ""},
    }
    saved = repo.insert("submissions", {"data": nested}, actor="x")
    assert repo.get("submissions", saved["id"])["data"] == nested  # type: ignore[index]


def test_documents_handed_out_are_copies(repo: Repository) -> None:
    original = {"data": {"items": ["a"]}}
    saved = repo.insert("k", original, actor="x")
    original["data"]["items"].append("changed by caller")
    saved["data"]["items"].append("changed by caller")
    got = repo.get("k", saved["id"])
    assert got is not None
    got["data"]["items"].append("changed by caller")
    assert repo.get("k", saved["id"])["data"]["items"] == ["a"]  # type: ignore[index]


def test_values_json_cannot_hold_are_refused_with_a_storage_error(repo: Repository) -> None:
    import datetime as dt

    with pytest.raises(StorageError, match="无法保存"):
        repo.insert("k", {"when": dt.date(2025, 1, 1)}, actor="x")
    assert repo.kinds() == []


def test_exported_changes_replay_into_an_empty_store_identically(repo: Repository) -> None:
    assert isinstance(repo, Transferable)
    a = repo.insert("submissions", {**PLAN, "n": 1}, actor="zhang")
    b = repo.insert("submissions", {**PLAN, "n": 2}, actor="zhang")
    repo.update("submissions", {**a, "n": 10}, actor="li", expected_rev=1)
    repo.delete("submissions", b["id"], actor="li", expected_rev=1)
    repo.insert("branches", {"name": "一支部"}, actor="admin")

    copy = MemoryRepository()
    assert copy.import_events(repo.export_events()) == 5
    for kind in ("submissions", "branches"):
        assert copy.find(kind) == repo.find(kind)
    assert copy.audit() == repo.audit()
    assert copy.history("submissions", a["id"]) == repo.history("submissions", a["id"])

    back = MemoryRepository()
    back.import_events(copy.export_events())
    repo_events = repo.export_events()
    assert back.export_events() == repo_events
    with pytest.raises(StorageError, match="不是空的"):
        repo.import_events(repo_events)


def test_an_empty_store_accepts_a_replay_of_another_stores_changes(repo: Repository) -> None:
    source = MemoryRepository()
    a = source.insert("submissions", {**PLAN, "n": 1}, actor="zhang")
    source.update("submissions", {**a, "n": 2}, actor="li", expected_rev=1)
    gone = source.insert("news", {"title": "报道"}, actor="zhang")
    source.delete("news", gone["id"], actor="li", expected_rev=1)
    source.insert("submissions", {**PLAN, "n": 3}, actor="zhang")

    assert isinstance(repo, Transferable)
    repo.import_events(source.export_events())
    assert repo.find("submissions") == source.find("submissions")
    assert repo.kinds() == ["submissions"]
    assert repo.audit() == source.audit()
    assert repo.history("news", gone["id"]) == source.history("news", gone["id"])
    # The replayed store goes on from the replayed revisions.
    assert repo.update("submissions", {**a, "n": 4}, actor="x", expected_rev=2)["rev"] == 3
