"""Every setting of Vanguard, read from the environment once per process.

This module is the one home of each setting's name, default and meaning; nothing else reads
``os.environ``. The README's configuration table is checked against ``Settings`` by
``tests/unit/test_settings.py``. Code asks ``settings()``; tests change settings with
``override`` (the ``settings_override`` fixture), which puts the previous values back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, SettingsConfigDict

PREFIX = "VANGUARD_"


class Settings(BaseSettings):
    """The process's configuration; each field is the variable ``VANGUARD_<NAME>``."""

    model_config = SettingsConfigDict(
        env_prefix=PREFIX, env_ignore_empty=True, frozen=True, populate_by_name=True
    )

    db: str = Field(
        "tinydb:///data/vanguard.json",
        description="the store: tinydb:///relative/path.json, tinydb:////absolute/path.json, "
        "postgresql://user:pw@host/db or memory://",
    )
    tz: str = Field(
        "Asia/Shanghai",
        description="the IANA time zone times are shown in; the store keeps UTC",
    )
    pdf_font: Path | None = Field(
        None,
        description="a TrueType font file for PDFs, tried before the installed CJK fonts",
    )
    dossier_cache: str = Field(
        "data/dossier-cache",
        description="the directory where campaign dossiers keep each branch's laid-out section "
        "for the next build (at most 512 MB, least recently used dropped); off: none kept",
    )
    password: SecretStr | None = Field(
        None,
        description="the password of `create-user` when --password is not given",
    )
    strict_messages: bool = Field(
        False,
        description="an unknown message key raises instead of showing ⟦key⟧ (the tests set it)",
    )
    upload_quota_mb: int = Field(
        200,
        ge=0,
        description="how many megabytes of attachments each account may upload in all",
    )
    session_idle_hours: float = Field(
        8,
        gt=0,
        description="a sign-in unused this many hours ends; the user signs in again",
    )
    session_max_hours: float = Field(
        168,
        gt=0,
        description="a sign-in ends this many hours after it began, however busy; also the "
        "session cookie's lifetime",
    )
    secret_key: SecretStr | None = Field(
        None,
        description="the key that signs session cookies; unset: a random key kept in the store",
    )
    test_pg: str = Field(
        "postgresql://vanguard:vanguard@localhost:5432/vanguard_test",
        description="the PostgreSQL database the contract tests and the storage benchmark use",
    )
    today_file: Path | None = Field(
        None,
        description="test only: a file whose content (YYYY-MM-DD) is the app's today while it "
        "holds one, so a browser test can let a 公示 period end; leave unset in production",
    )
    ci: bool = Field(
        False,
        validation_alias="CI",
        description="set by CI services: PostgreSQL tests fail, not skip, without a server",
    )


def variable(field: str) -> str:
    """The environment variable of the setting ``field`` (``pdf_font`` → ``VANGUARD_PDF_FONT``)."""
    alias = Settings.model_fields[field].validation_alias
    return alias if isinstance(alias, str) else f"{PREFIX}{field.upper()}"


def variables() -> dict[str, FieldInfo]:
    """Every setting's environment variable → its field (default, description)."""
    return {variable(name): info for name, info in Settings.model_fields.items()}


_current: Settings | None = None


def settings() -> Settings:
    """The settings of this process, read from the environment on first use."""
    global _current
    if _current is None:
        _current = Settings()
    return _current


@contextmanager
def override(**changes: Any) -> Iterator[Settings]:
    """Use ``settings()`` with ``changes`` (field names) inside the block, then the previous ones.

    The new values are validated like the environment's (``override(tz=3)`` raises).
    """
    global _current
    previous = settings()
    _current = Settings(**{**previous.model_dump(), **changes})
    try:
        yield _current
    finally:
        _current = previous
