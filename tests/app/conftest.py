"""Fixtures for driving the whole app (the script ``router.py`` that ``app.py`` serves) in AppTest.

Each test gets a fresh ``memory://`` store: the app's services are cached per storage URL with
``st.cache_resource``, so the cache is cleared around every test. The test process shares that
cache with the app it drives, so ``svc`` is the very store the app uses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from workflow.services import Services

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "router.py")


@pytest.fixture
def fresh_store(settings_override: Callable[..., object]) -> Iterator[None]:
    settings_override(db="memory://")
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


@pytest.fixture
def svc(fresh_store: None) -> Services:
    from pages.common import services

    return services()


@pytest.fixture
def demo(svc: Services) -> dict[str, str]:
    """The demo campaign loaded into the test's store; login → password."""
    from workflow.setup import seed_demo

    return seed_demo(svc.repo)


@pytest.fixture
def app(fresh_store: None) -> AppTest:
    return AppTest.from_file(APP, default_timeout=60)
