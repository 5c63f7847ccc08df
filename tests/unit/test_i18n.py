"""Every message exists in both languages, and a missing key never crashes a page."""

from __future__ import annotations

import i18n


def test_both_catalogues_have_the_same_keys() -> None:
    zh, en = i18n.catalogue("zh"), i18n.catalogue("en")
    assert sorted(set(zh) - set(en)) == []
    assert sorted(set(en) - set(zh)) == []


def test_chinese_is_the_default_language() -> None:
    assert i18n.t("status.returned") == "退回修改"
    assert i18n.t("status.returned", "en") == "Returned"


def test_placeholders_are_filled_and_unknown_keys_show_themselves() -> None:
    assert "boom" in i18n.t("common.error_generic", message="boom")
    assert i18n.t("no.such.key") == "no.such.key"
