"""The websocket client ``python -m bench concurrency`` plays its users with (no browser) signs
in, opens a screen from the menu, types and saves, against the real server: if Streamlit's
protocol or the sign-in's page load changed under it, the benchmark would time nothing."""

from __future__ import annotations

import asyncio
import re

from bench.streamlit_client import Tab, text_value
from storage.factory import open_repository

TITLE = "协议客户端写下的方案标题"


async def _sign_in_and_save(app_url: str, password: str) -> list[str]:
    tab = Tab(app_url, timeout=60)
    try:
        screen = await tab.load("/")
        tab.set(screen.find("text_input", "用户名"), "branch1")
        tab.set(screen.find("text_input", "密码"), password)
        await tab.click(screen.find("button", "登录"))
        assert tab.redirect and tab.redirect.startswith("/auth/session?code=")
        screen = await tab.load(tab.redirect)  # the cookie route, then back to the app
        assert "vanguard_session" in tab.cookies
        screen.find("button", "退出登录")
        screen = await tab.open_page("实施方案")
        title = screen.find("text_input", re.compile(r"方案标题( \*)?"))
        assert text_value(title) == ""  # branch1 has no plan yet
        tab.set(title, TITLE)
        screen = await tab.run()
        screen = await tab.click(screen.find("button", "保存草稿"))
        return screen.texts()
    finally:
        await tab.close()


def test_the_bench_client_signs_in_and_saves_a_draft(
    passwords: dict[str, str], app_url: str, store_url: str
) -> None:
    shown = asyncio.run(_sign_in_and_save(app_url, passwords["branch1"]))
    assert "草稿已保存。" in shown
    repo = open_repository(store_url)
    try:
        plans = repo.find("submissions", {"form_type": "plan", "status": "draft"})
    finally:
        repo.close()
    assert [p["data"]["title"] for p in plans] == [TITLE]
