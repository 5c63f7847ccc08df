"""One ``repo`` fixture over every backend, like tinydb's own tests/conftest.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.base import Repository
from storage.factory import open_repository

BACKENDS = [
    pytest.param("memory", id="memory"),
    pytest.param("tinydb", id="tinydb"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The name of the backend under test."""
    return str(request.param)


@pytest.fixture
def repo_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A storage URL for an empty store of ``backend``."""
    if backend == "memory":
        return "memory://"
    if backend == "tinydb":
        return f"tinydb:///{tmp_path / 'store' / 'vanguard.json'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def repo(repo_url: str) -> Iterator[Repository]:
    """An empty Repository of every backend in turn."""
    store = open_repository(repo_url)
    yield store
    store.close()
