"""Fixtures of tests/security: the AppTest fixtures of tests/app, for attacks through the UI."""

from __future__ import annotations

from tests.app.conftest import app, fresh_store, svc  # noqa: F401  (fixtures, used by name)
