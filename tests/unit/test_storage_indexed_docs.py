"""Issue 15 §3: a find by campaign, branch, form type or status in the in-process backends
looks at the documents it returns, not at every stored one."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage import indexed_docs
from storage.base import Repository
from storage.memory import MemoryRepository
from storage.tinydb_backend import TinyDBRepository


@pytest.fixture(params=["memory", "tinydb"])
def repo(request: pytest.FixtureRequest, tmp_path: Path) -> Repository:
    if request.param == "memory":
        return MemoryRepository()
    return TinyDBRepository(tmp_path / "store.json")


def test_a_find_by_indexed_fields_looks_only_at_matching_documents(
    repo: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    for year in range(10):
        for n in range(30):
            doc = {"campaign_id": f"c{year}", "form_type": "plan", "branch_id": f"b{n}"}
            repo.insert("submissions", doc, actor="t")
    looked_at: list[object] = []
    real = indexed_docs.matches

    def counted(doc: object, where: object) -> bool:
        looked_at.append(doc)
        return real(doc, where)  # type: ignore[arg-type]

    monkeypatch.setattr(indexed_docs, "matches", counted)
    found = repo.find("submissions", {"campaign_id": "c9", "branch_id": "b3"})
    assert [(d["campaign_id"], d["branch_id"]) for d in found] == [("c9", "b3")]
    assert len(looked_at) == 1  # not the 300 stored, nor the 30 of c9 or the 10 of b3
    looked_at.clear()
    assert len(repo.find("submissions", {"campaign_id": "c2", "form_type": "plan"})) == 30
    assert len(looked_at) == 30
