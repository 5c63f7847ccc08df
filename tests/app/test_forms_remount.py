"""A form's widgets show their values even when the run that first drew them never reached
the browser (data loss found by ``python -m bench concurrency``).

When the user changes one field while a big form is still streaming, Streamlit starts the next
run and drops the unsent part of the interrupted one (``AppSession`` clears its queue on
``SCRIPT_STARTED``). The browser then mounts those widgets from the next run's message alone:
the value the message sets (``set_value``) if it sets one, else the widget's default. These
tests read that message the way the browser mounts a new widget.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).parent / "apps" / "form_app.py")
PLAN = "vanguard.form:test:plan|"
DRAFT: dict[str, Any] = {
    "branch": "b",
    "title": "方案",
    "goals": "争创先锋支部",
    "items": [{"content": "学习", "measures": "每月一次", "owner": "书记", "deadline": "年底"}],
    "requirements": "按时完成",
    "budget": 1200.0,
}


def mounted(element: Any) -> Any:
    """What a browser that never saw the earlier run shows in this widget."""
    proto = element.proto
    return proto.value if proto.set_value else proto.default


def shown_after_interrupted_first_run(data: dict[str, Any]) -> dict[str, Any]:
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["form_type"] = "plan"
    at.session_state["data"] = data
    at.run()  # the first run: seeds every widget, but its messages never reach the browser
    at.run()  # the rerun the user's edit asked for
    assert not at.exception
    return {str(w.key): mounted(w) for w in [*at.text_input, *at.text_area, *at.number_input]}


def test_widgets_mount_with_the_draft_when_the_first_run_was_interrupted() -> None:
    shown = shown_after_interrupted_first_run(DRAFT)
    assert shown[f"{PLAN}title"] == "方案"
    assert shown[f"{PLAN}goals"] == "争创先锋支部"
    assert shown[f"{PLAN}requirements"] == "按时完成"
    assert shown[f"{PLAN}items#d0.measures"] == "每月一次"
    assert shown[f"{PLAN}items#d0.owner"] == "书记"
    assert shown[f"{PLAN}budget"] == 1200.0


def clearing_app() -> None:
    import streamlit as st

    from forms.registry import default_registry
    from forms.renderer import clear_form, render_form

    if st.session_state.pop("clear", False):
        clear_form("test:plan")
    render_form(default_registry().get("plan"), st.session_state["data"], key="test:plan")


def test_clear_form_sends_the_reloaded_values_to_widgets_already_on_screen() -> None:
    at = AppTest.from_function(clearing_app, default_timeout=30)
    at.session_state["data"] = DRAFT
    at.run()
    at.text_input(key=f"{PLAN}title").input("改过的标题").run()
    at.session_state["clear"] = True
    at.run()
    title = at.text_input(key=f"{PLAN}title")
    assert title.value == "方案"
    assert title.proto.set_value and title.proto.value == "方案"  # the browser shows it too
    at.run()
    assert mounted(at.text_input(key=f"{PLAN}title")) == "方案"
