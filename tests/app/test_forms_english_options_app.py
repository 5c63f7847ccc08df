"""Issue 4 (4) in the browser: an English user picks English labels, Chinese values are stored."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).parent / "apps" / "form_app.py")
PLAN = "vanguard.form:test:plan|"


def start(lang: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["form_type"] = "plan"
    at.session_state["data"] = {"schedule": [{"stage": "launch"}]}
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception
    return at


def test_english_user_sees_english_option_labels_and_the_stored_value_stays_chinese() -> None:
    at = start("en")
    central = at.multiselect(key=f"{PLAN}central_work")
    assert "University anniversary" in central.options and "校庆" not in central.options
    central.set_value(["校庆"]).run()
    assert at.session_state["values"]["central_work"] == ["校庆"]
    stage = at.selectbox(key=f"{PLAN}schedule#d0.stage")
    assert "Launch" in stage.options


def test_chinese_user_sees_chinese_stage_names_for_stored_codes() -> None:
    at = start("zh")
    stage = at.selectbox(key=f"{PLAN}schedule#d0.stage")
    assert stage.options == ["启动阶段", "实施阶段", "评估总结阶段"]
    assert at.session_state["values"]["schedule"][0]["stage"] == "launch"
    assert "校庆" in at.multiselect(key=f"{PLAN}central_work").options
