"""Every message exists in both languages; an unknown key raises in tests and shows itself in
production."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest

import i18n
from core.settings import Settings, settings


def test_both_catalogues_have_the_same_keys() -> None:
    zh, en = i18n.catalogue("zh"), i18n.catalogue("en")
    assert sorted(set(zh) - set(en)) == []
    assert sorted(set(en) - set(zh)) == []


def test_chinese_is_the_default_language() -> None:
    assert i18n.t("status.returned") == "退回修改"
    assert i18n.t("status.returned", "en") == "Returned"


def test_placeholders_are_filled() -> None:
    assert "boom" in i18n.t("common.error_generic", message="boom")


def test_an_unknown_key_raises_under_strict_messages() -> None:
    assert settings().strict_messages  # tests/conftest.py turns it on for every test
    with pytest.raises(i18n.UnknownMessageKey, match=r"no\.such\.key"):
        i18n.t("no.such.key")
    assert i18n.lookup("no.such.key") is None


def test_in_production_an_unknown_key_shows_itself_and_is_logged(
    settings_override: Callable[..., Settings], caplog: pytest.LogCaptureFixture
) -> None:
    settings_override(strict_messages=False)
    with caplog.at_level(logging.WARNING, logger="i18n"):
        assert i18n.t("no.such.key", "en", n=1) == "⟦no.such.key⟧"
    assert "no.such.key" in caplog.text
