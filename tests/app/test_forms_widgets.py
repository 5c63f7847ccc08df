"""Issue 4: conditional and calculated fields, repeat groups, uploads and errors in the browser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from forms.renderer import escape_markdown
from tests.sample_files import PNG

APP = str(Path(__file__).parent / "apps" / "form_app.py")
VOLUNTEER = "vanguard.form:test:volunteer_service|"
PLAN = "vanguard.form:test:plan|"


def start(form_type: str, data: dict[str, Any] | None = None, lang: str = "zh") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["form_type"] = form_type
    at.session_state["data"] = data or {}
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception
    return at


def keys(at: AppTest) -> set[str]:
    return {str(w.key) for w in [*at.text_input, *at.selectbox, *at.number_input]}


def test_conditional_field_shows_only_when_its_condition_holds_and_keeps_typed_text() -> None:
    at = start("volunteer_service")
    assert f"{VOLUNTEER}kind_other" not in keys(at)
    at.selectbox(key=f"{VOLUNTEER}kind").set_value("其他").run()
    at.text_input(key=f"{VOLUNTEER}kind_other").input("义务献血").run()
    assert at.session_state["values"]["kind_other"] == "义务献血"
    at.selectbox(key=f"{VOLUNTEER}kind").set_value("社区服务").run()
    assert f"{VOLUNTEER}kind_other" not in keys(at)
    assert "kind_other" not in at.session_state["values"]
    at.selectbox(key=f"{VOLUNTEER}kind").set_value("其他").run()
    assert at.text_input(key=f"{VOLUNTEER}kind_other").value == "义务献血"


def test_calculated_total_updates_from_its_parts() -> None:
    data = {"hours": 2.0, "participants": [{"name": "李四", "hours": 1.5}]}
    at = start("volunteer_service", data)
    assert at.session_state["values"]["total_hours"] == 3.5
    at.session_state[f"{VOLUNTEER}participants:table"] = {  # the table, as the browser edits it
        "edited_rows": {0: {"hours": 4.0}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert at.session_state["values"]["total_hours"] == 6.0
    assert any("6" in m.value and "服务总时长" in m.value for m in at.markdown)


def test_repeat_group_rows_can_be_added_reordered_and_removed_without_mixing_values() -> None:
    rows = [{"content": "学习"}, {"content": "实践"}]
    at = start("plan", {"branch": "b", "title": "方案", "items": rows})
    at.button(key=f"{PLAN}items:add").click().run()
    at.text_input(key=f"{PLAN}items#n1.content").input("总结").run()
    contents = [row["content"] for row in at.session_state["values"]["items"]]
    assert contents == ["学习", "实践", "总结"]
    at.menu_button(key=f"{PLAN}items:row:n1").click("up").run()
    contents = [row["content"] for row in at.session_state["values"]["items"]]
    assert contents == ["学习", "总结", "实践"]
    menu = at.menu_button(key=f"{PLAN}items:row:d0")  # one menu per row, moves that can happen
    assert menu.label == "移动或删除此项"
    assert menu.options == ["下移", "删除此项"]
    assert at.menu_button(key=f"{PLAN}items:row:d1").options == ["上移", "删除此项"]
    at.menu_button(key=f"{PLAN}items:row:d0").click("down").run()
    contents = [row["content"] for row in at.session_state["values"]["items"]]
    assert contents == ["总结", "学习", "实践"]
    at.menu_button(key=f"{PLAN}items:row:d0").click("remove").run()
    contents = [row["content"] for row in at.session_state["values"]["items"]]
    assert contents == ["总结", "实践"]
    assert at.text_input(key=f"{PLAN}items#d1.content").value == "实践"


def test_errors_show_under_their_field_in_a_row_and_cross_field_errors_at_the_top() -> None:
    rows = [{"stage": "launch", "start": "2025-03-02", "end": "2025-03-01"}]
    at = start("plan", {"branch": "b", "title": "方案", "schedule": rows})
    at.button(key="check").click().run()
    shown = [e.value for e in at.error]
    assert "「阶段安排」第 1 项:结束日期早于开始日期,请调整日期" not in shown  # row error, own text
    assert shown.count("结束日期早于开始日期,请调整日期") == 3  # the row, its start and its end
    session = {"branch": "b", "date": "2025-03-01", "topic": "学习", "hours": 1}
    at = start("study_session", {**session, "members": 3, "attendees": 5})
    at.button(key="check").click().run()
    message = "实到人数不能多于支部党员数,请核对两项人数"
    assert at.error[0].value == message  # at the top of the form
    assert [e.value for e in at.error] == [message] * 3  # and under attendees and members


def test_form_reads_in_english_when_the_user_picks_it() -> None:
    at = start("study_session", lang="en")
    assert at.text_input(key="vanguard.form:test:study_session|topic").label == "Topic *"
    at.button(key="check").click().run()
    assert "“Branch” is required; please fill it in" in [e.value for e in at.error]


def test_typed_input_survives_a_page_switch_and_a_validation_error() -> None:
    at = start("plan")
    at.text_input(key=f"{PLAN}title").input("数学系方案").run()
    at.button(key="check").click().run()
    # Another page: the form is not drawn, so Streamlit drops its widget state.
    at.session_state["form_type"] = "summary"
    at.run()
    at.session_state["form_type"] = "plan"
    at.run()
    assert at.text_input(key=f"{PLAN}title").value == "数学系方案"
    assert at.session_state["values"]["title"] == "数学系方案"


def test_uploads_are_returned_for_storage_and_wrong_type_or_size_is_refused_in_chinese() -> None:
    at = start("news_report")
    uploader = at.get("file_uploader")[0]
    uploader.set_value([("photo.png", PNG, "image/png")]).run()  # type: ignore[union-attr]
    assert [(u.name, u.data) for u in at.session_state["uploads"]] == [("photo.png", PNG)]
    assert at.session_state["uploads"][0].path == "images"
    uploader = at.get("file_uploader")[0]
    uploader.set_value([("notes.exe", b"MZ", "application/octet-stream")]).run()  # type: ignore[union-attr]
    assert at.session_state["uploads"] == []
    # shown as typed: the file name is Markdown-escaped (notes\.exe renders as notes.exe)
    assert any(
        escape_markdown("notes.exe") in e.value and "类型不允许" in e.value for e in at.error
    )
