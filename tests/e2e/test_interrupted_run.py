"""A run the next one interrupts loses nothing typed (the plan fields ``python -m bench
concurrency`` found stored blank).

When the user edits a field while a big form still streams, Streamlit starts the next run and
drops what the interrupted run had not sent yet (``AppSession`` clears its queue when a run
starts). On a busy machine that is timing; here the browser's WebSocket is routed so that
everything the first run of the plan page sends after the title field is dropped, which is
exactly what the browser is left with then: the title on screen, the rest of the form only
from the next run's messages. The user then changes the title, saves, and the plan read back
after a reload must still hold the goals typed before.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Locator, Page, WebSocketRoute, expect
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.e2e.conftest import SHOTS
from tests.e2e.test_launch_journey import click, idle, login, type_text
from tests.e2e.test_sessions import session_cookie

pytestmark = pytest.mark.e2e
GOALS = "全年开展十二次主题党日,党员志愿服务时长人均二十小时以上。"
TITLE = re.compile(r"^方案标题( \*)?$")


class DropAfterTitle:
    """Relays the app's WebSocket; while armed, drops the messages of the first run that
    draws the title field from that field on, up to the next run's start."""

    def __init__(self) -> None:
        self.armed = False
        self.dropping = False
        self.dropped = 0

    def keep(self, data: str | bytes) -> bool:
        if not self.armed or isinstance(data, str):
            return True
        msg = ForwardMsg()
        msg.ParseFromString(data)
        kind = msg.WhichOneof("type")
        if kind == "new_session" and self.dropping:
            self.armed = self.dropping = False  # the run that interrupted it goes through
            return True
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            if element.WhichOneof("type") == "text_input" and TITLE.match(element.text_input.label):
                self.dropping = True
                return True
        if self.dropping and kind == "delta":
            self.dropped += 1
            return False
        return True

    def route(self, ws: WebSocketRoute) -> None:
        server = ws.connect_to_server()

        def to_page(data: str | bytes) -> None:
            if self.keep(data):
                ws.send(data)

        ws.on_message(server.send)
        server.on_message(to_page)


def goals_box(page: Page) -> Locator:
    return page.get_by_test_id("stMain").get_by_label(re.compile(r"^指导思想与目标"))


def test_goals_survive_a_title_change_while_the_form_was_still_loading(
    passwords: dict[str, str], app_url: str, browser: Browser
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    relay = DropAfterTitle()
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.route_web_socket(re.compile(r".*/_stcore/stream"), relay.route)
    page.goto(f"{app_url}/branch-plan")
    idle(page)
    login(page, "branch1", passwords["branch1"])
    session_cookie(page)
    type_text(page, goals_box(page), GOALS)
    click(page, "保存草稿")
    expect(page.get_by_text("草稿已保存")).to_be_visible()

    relay.armed = True
    page.reload()  # a new session: its first run seeds every widget of the stored plan
    idle(page)
    assert relay.dropping and relay.dropped > 0, "the first run's form was not cut off"
    title = page.get_by_test_id("stMain").get_by_label(TITLE)
    type_text(page, title, "党政办公室党支部先锋工程方案(改题)")
    assert not relay.armed, "the title change did not start a new run"
    page.screenshot(path=str(SHOTS / "interrupted-run-after-title.png"), full_page=True)
    expect(goals_box(page)).to_have_value(GOALS)  # the form drawn by the next run
    click(page, "保存草稿")
    expect(page.get_by_text("草稿已保存")).to_be_visible()

    page.reload()
    idle(page)
    expect(goals_box(page)).to_have_value(GOALS)  # read back from the store
    page.screenshot(path=str(SHOTS / "interrupted-run-after-reload.png"), full_page=True)
    context.close()
