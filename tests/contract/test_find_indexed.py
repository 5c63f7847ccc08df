"""``Repository.find`` by the indexed fields and with ``fields`` (projection), on every backend:
the same documents, in the same order, as filtering every document by hand, through inserts,
updates that move a document between index buckets, deletes and re-inserts."""

from __future__ import annotations

import random

from storage.base import Repository
from storage.documents import matches

WHERES = [
    {"campaign_id": "c1"},
    {"campaign_id": "c2", "form_type": "plan"},
    {"campaign_id": "c1", "form_type": "plan", "branch_id": "b2"},
    {"status": "submitted"},
    {"form_type": "study_session", "status": "draft"},
    {"campaign_id": "c1", "n": 3},
    {"branch_id": None},
    {"campaign_id": "none"},
]


def _doc(rng: random.Random, n: int) -> dict[str, object]:
    doc: dict[str, object] = {
        "campaign_id": rng.choice(["c1", "c2"]),
        "form_type": rng.choice(["plan", "study_session"]),
        "status": rng.choice(["draft", "submitted"]),
        "n": n % 5,
        "data": {"title": f"第{n}份"},
    }
    if n % 7:
        doc["branch_id"] = rng.choice(["b1", "b2", "b3"])
    return doc


def test_find_by_indexed_fields_matches_a_full_scan_through_every_change(
    repo: Repository,
) -> None:
    rng = random.Random(15)
    ids: list[str] = []
    for step in range(120):
        action = rng.random()
        if action < 0.5 or not ids:
            ids.append(repo.insert("submissions", _doc(rng, step), actor="t")["id"])
        elif action < 0.85:
            current = repo.get("submissions", rng.choice(ids))
            assert current is not None
            moved = {**current, **_doc(rng, step)}  # indexed fields change value
            repo.update("submissions", moved, actor="t", expected_rev=current["rev"])
        else:
            gone = ids.pop(rng.randrange(len(ids)))
            doc = repo.get("submissions", gone)
            assert doc is not None
            repo.delete("submissions", gone, actor="t", expected_rev=doc["rev"])
            if rng.random() < 0.5:  # the same id stored again comes last
                repo.insert("submissions", {**_doc(rng, step), "id": gone}, actor="t")
                ids.append(gone)
        if step % 20 == 19:
            everything = repo.find("submissions")
            for where in WHERES:
                expected = [d for d in everything if matches(d, where)]
                assert repo.find("submissions", where) == expected, where


def test_find_with_fields_returns_only_those_fields_of_the_same_documents(
    repo: Repository,
) -> None:
    a = repo.insert(
        "submissions", {"campaign_id": "c1", "status": "draft", "data": {"x": [1]}}, actor="t"
    )
    repo.insert("submissions", {"campaign_id": "c2", "status": "draft"}, actor="t")
    b = repo.insert("submissions", {"campaign_id": "c1", "data": {"x": [2]}}, actor="t")
    found = repo.find("submissions", {"campaign_id": "c1"}, fields=["id", "rev", "status"])
    assert found == [
        {"id": a["id"], "rev": 1, "status": "draft"},
        {"id": b["id"], "rev": 1},  # a field the document lacks is left out
    ]
    assert repo.find("submissions", {"campaign_id": "c3"}, fields=["id"]) == []
    assert repo.find("submissions", {"campaign_id": "c1"}, fields=[]) == [{}, {}]
    data = repo.find("submissions", {"campaign_id": "c1"}, fields=["data"])
    data[0]["data"]["x"].append(9)  # a copy: the store keeps what it had
    assert repo.get("submissions", a["id"])["data"] == {"x": [1]}  # type: ignore[index]
