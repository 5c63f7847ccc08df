"""What each role finds in its sidebar, by the Chinese titles people look for: a screen that
works but is missing from a role's menu cannot be found. The menu is read from the
``st.navigation`` call the router makes after sign-in (hidden URLs left out)."""

from __future__ import annotations

from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.app.campaign_fixture import PASSWORD, build_campaign
from tests.app.driver import login
from workflow.services import Services

EVERYONE = {"先锋工程专栏", "简报"}
REQUIRED = {
    "branch1": {"申报示范点", "主题实践", "创新活动", "通讯报道"},
    "reviewer": {"示范点立项", "经费台账", "通讯审核与报送"},
    "admin": {"简报编辑", "经费", "通讯审核与报送"},  # admins publish forwarded reports too
    "reader": set(),
}
NOT_FOR = {  # screens whose services refuse the role stay out of its menu
    "branch1": {"示范点立项", "通讯审核与报送", "简报编辑", "经费"},
    "reader": {"通讯审核与报送", "简报编辑", "申报示范点", "通讯报道"},
}


def _menu(app: AppTest, monkeypatch: pytest.MonkeyPatch, login_: str) -> dict[str, list[str]]:
    """Sign in as ``login_``: the sidebar's groups and the titles of their visible entries."""
    shown: dict[str, list[str]] = {}
    navigation = st.navigation

    def record(pages: Any, **kwargs: Any) -> Any:
        if isinstance(pages, dict):
            shown.clear()
            shown.update(
                {
                    group: [p.title for p in entries if p.visibility == "visible"]
                    for group, entries in pages.items()
                }
            )
        return navigation(pages, **kwargs)

    monkeypatch.setattr(st, "navigation", record)
    login(app, login_, PASSWORD)
    assert shown, "the router gave no menu"
    return shown


@pytest.mark.parametrize("login_", sorted(REQUIRED))
def test_each_role_finds_its_screens_in_the_menu(
    app: AppTest, svc: Services, monkeypatch: pytest.MonkeyPatch, login_: str
) -> None:
    build_campaign(svc)
    menu = _menu(app, monkeypatch, login_)
    titles = [title for entries in menu.values() for title in entries]
    missing = (REQUIRED[login_] | EVERYONE) - set(titles)
    assert not missing, (missing, menu)
    assert menu["先锋工程"] == ["先锋工程专栏", "简报"]  # the column's own group, for everyone
    assert not NOT_FOR.get(login_, set()) & set(titles), menu
    assert len(titles) == len(set(titles)), "no screen listed twice"
