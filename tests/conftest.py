"""Shared fixtures. Keep this small: area-specific fixtures live in each test folder."""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import pytest

from core.settings import Settings, override, settings, variable

# Settings every test runs under, in this process and in the ones it starts (CLIs, the app).
# No dossier parts kept between tests (a test that wants them names its own directory).
TEST_SETTINGS = {"strict_messages": True, "dossier_cache": "off"}
_test_settings = ExitStack()


def pytest_configure(config: pytest.Config) -> None:
    for name, value in TEST_SETTINGS.items():
        os.environ[variable(name)] = str(value)
    _test_settings.enter_context(override(**TEST_SETTINGS))


def pytest_unconfigure(config: pytest.Config) -> None:
    _test_settings.close()


@pytest.fixture
def settings_override() -> Iterator[Callable[..., Settings]]:
    """``settings_override(tz="Europe/Berlin")`` changes settings until the test ends."""
    with ExitStack() as stack:

        def apply(**changes: Any) -> Settings:
            return stack.enter_context(override(**changes))

        yield apply


@functools.cache
def _pg_unreachable_reason(url: str) -> str | None:
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=3):
            return None
    except Exception as exc:  # any failure means "no server here"
        return f"PostgreSQL at {url} unreachable: {exc}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A ``postgresql://…?schema=NAME`` URL on a fresh schema, dropped afterwards.

    Reads ``VANGUARD_TEST_PG``. Without a server the test skips locally but FAILS when ``CI``
    is set, so CI can never pass with the PostgreSQL tests silently skipped.
    """
    base = settings().test_pg
    reason = _pg_unreachable_reason(base)
    if reason:
        if settings().ci:
            pytest.fail(f"{reason} (CI is set, so PostgreSQL tests must run)")
        pytest.skip(reason)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}schema={schema}"
    import psycopg

    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
