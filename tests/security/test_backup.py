"""Backups: any text a branch can paste survives backup and restore on every backend, and text
no backend can hold is refused the same way everywhere, so ``storage copy`` cannot fail on it.

Before the fix one U+2028 in any form made every backup unrestorable (``read_backup`` split the
event log with ``str.splitlines()``), and NUL was stored by TinyDB but failed on PostgreSQL.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.settings import settings as app_settings
from core.storable import find_unstorable
from storage.base import Repository
from storage.errors import StorageError
from storage.factory import open_repository
from storage.transfer import backup, copy_store, restore_backup
from tests.unit.workflow_world import make_world

KIND = "notes"
# Everything str.splitlines() splits on, NUL, both halves of a surrogate pair alone, a BOM.
AWKWARD = [
    "\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029",
    "\x00", "\ud800", "\udfff", "\ufeff", "\\", '"', "𠮷", "😀",
]  # fmt: skip
TEXT = st.lists(
    st.one_of(
        st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=12),
        st.sampled_from(AWKWARD),
    ),
    max_size=6,
).map("".join)
BACKENDS = ["memory", "tinydb", pytest.param("postgres", marks=pytest.mark.postgres)]


@contextmanager
def fresh_store(backend: str, folder: Path) -> Iterator[Repository]:
    """An empty store of ``backend``, removed afterwards (a PostgreSQL schema of its own)."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    if backend == "memory":
        url = "memory://"
    elif backend == "tinydb":
        url = f"tinydb:///{folder / uuid.uuid4().hex / 'vanguard.json'}"
    else:
        base = app_settings().test_pg
        url = f"{base}{'&' if '?' in base else '?'}schema={schema}"
    store = open_repository(url)
    try:
        yield store
    finally:
        store.close()
        if backend == "postgres":
            import psycopg

            with psycopg.connect(app_settings().test_pg, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def reachable(request: pytest.FixtureRequest, backend: str) -> None:
    """Skip (or in CI fail) the PostgreSQL variant when no server is reachable."""
    if backend == "postgres":
        request.getfixturevalue("pg_url")


def _store_all(repo: Repository, texts: list[str]) -> dict[str, str]:
    """Insert one document per text (as a value, inside a list and as a key); returns the
    texts that were stored by id. A text no store can hold must be refused with StorageError
    and leave nothing behind."""
    stored: dict[str, str] = {}
    for text in texts:
        doc_id = uuid.uuid4().hex
        doc = {"id": doc_id, "text": text, "nested": {"items": [text, {"k": text}]}, text: 1}
        before = len(repo.find(KIND))
        if find_unstorable(doc) is not None:
            with pytest.raises(StorageError):
                repo.insert(KIND, doc, actor="fuzz")
            assert len(repo.find(KIND)) == before, "a refused write left something behind"
            continue
        repo.insert(KIND, doc, actor="fuzz")
        stored[doc_id] = text
    return stored


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(texts=st.lists(TEXT, min_size=1, max_size=5))
def test_every_storable_text_survives_backup_and_restore(
    backend: str, reachable: None, tmp_path: Path, texts: list[str]
) -> None:
    out = tmp_path / f"{uuid.uuid4().hex}.zip"
    with fresh_store(backend, tmp_path) as source:
        stored = _store_all(source, texts)
        backup(source, out)
    with fresh_store(backend, tmp_path) as target:
        restore_backup(target, out)
        for doc_id, text in stored.items():
            doc = target.get(KIND, doc_id)
            assert doc is not None
            assert doc["text"] == text and doc["nested"] == {"items": [text, {"k": text}]}
            assert doc[text] == 1


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_pasted_line_separator_does_not_break_the_backup(
    backend: str, reachable: None, tmp_path: Path
) -> None:
    goals = "第一段\u2028第二段\u2029第三段\x85第四段" * 10
    with fresh_store(backend, tmp_path) as source:
        world = make_world(source)
        draft = world.services.submissions.save_draft(
            world.staff[0],
            campaign_id=world.campaign.id,
            form_type="plan",
            data={**world.good_plan(0), "goals": goals},
        )
        backup(source, tmp_path / "b.zip")
    with fresh_store(backend, tmp_path) as target:
        restore_backup(target, tmp_path / "b.zip")
        restored = target.get("submissions", draft.id)
        assert restored is not None and restored["data"]["goals"] == goals


@pytest.mark.parametrize("text", ["目标\x00", "目标\ud800"], ids=["nul", "lone-surrogate"])
@pytest.mark.parametrize("backend", BACKENDS)
def test_every_backend_refuses_what_one_cannot_store(
    backend: str, reachable: None, tmp_path: Path, text: str
) -> None:
    with fresh_store(backend, tmp_path) as repo:
        with pytest.raises(StorageError, match="数据无法保存"):
            repo.insert(KIND, {"id": "x", "text": text}, actor="t")
        assert repo.get(KIND, "x") is None


@pytest.mark.parametrize("number", [3.960472264019155e16, -1e300], ids=["1e16", "-1e300"])
@pytest.mark.parametrize("backend", BACKENDS)
def test_every_backend_refuses_a_float_postgres_would_give_back_as_an_integer(
    backend: str, reachable: None, tmp_path: Path, number: float
) -> None:
    with fresh_store(backend, tmp_path) as repo:
        with pytest.raises(StorageError, match="不是可以保存的数字"):
            repo.insert(KIND, {"id": "x", "n": number}, actor="t")
        assert repo.get(KIND, "x") is None


@pytest.mark.postgres
def test_storage_copy_from_tinydb_to_postgres_keeps_every_number_tinydb_took(
    pg_url: str, tmp_path: Path
) -> None:
    """A negative zero (PostgreSQL's numeric has none) and floats just under the limit copy
    with the same checksum; before, each made ``storage copy`` fail its check."""
    numbers = {"zero": -0.0, "under": 9.999999999999998e15, "tiny": 5e-324, "sum": 0.1 + 0.2}
    source = open_repository(f"tinydb:///{tmp_path / 'src.json'}")
    target = open_repository(pg_url)
    try:
        source.insert(KIND, {"id": "n", **numbers}, actor="t")
        copy_store(source, target)
        copied = target.get(KIND, "n")
        assert copied is not None and {k: copied[k] for k in numbers} == numbers
        assert str(copied["zero"]) == "0.0"
    finally:
        source.close()
        target.close()


@pytest.mark.postgres
def test_storage_copy_from_tinydb_to_postgres_takes_every_text_tinydb_took(
    pg_url: str, tmp_path: Path
) -> None:
    texts = ["\u2028", "\x85", "\ufeff", "𠮷😀", "a\r\nb", "\\u0000", "目标\x00", "目标\udc00"]
    source = open_repository(f"tinydb:///{tmp_path / 'src.json'}")
    target = open_repository(pg_url)
    try:
        stored = _store_all(source, texts)
        assert len(stored) == 6  # NUL and the lone surrogate were refused at the door
        copy_store(source, target)
        assert {d["id"]: d["text"] for d in target.find(KIND)} == stored
    finally:
        source.close()
        target.close()
