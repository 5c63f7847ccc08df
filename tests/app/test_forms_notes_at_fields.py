"""Issue 5 point 2 in the renderer: a failed rule's note is drawn at the field it names (rows of
repeat groups included), after an anchor a report can link to; in the form and the read-only view,
beside validation errors, for any form type."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from i18n import t

APP = str(Path(__file__).parent / "apps" / "notes_app.py")
PLAN = {"branch": "b", "title": "方案", "items": [{"content": "学习"}, {"content": "实践"}]}


def start(notes: dict[str, Any], *, readonly: bool = False, **state: Any) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["data"] = state.pop("data", PLAN)
    at.session_state["notes"] = notes
    at.session_state["readonly"] = readonly
    for name, value in state.items():
        at.session_state[name] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown(at: AppTest) -> list[tuple[str, str]]:
    """Every element of the page in display order, as (kind, text or widget key)."""
    return [
        (node.type, str(getattr(node, "key", None) or getattr(node, "value", "")))
        for node in at.main
        if node.type not in ("flex_container", "column", "main")
    ]


def position(at: AppTest, kind: str, contains: str) -> int:
    found = [i for i, (k, text) in enumerate(shown(at)) if k == kind and contains in text]
    assert len(found) == 1, (kind, contains, shown(at))
    return found[0]


def anchor(path_id: str) -> str:
    return f'<span id="vg-f-{path_id}"></span>'


def test_a_note_on_a_row_field_is_drawn_under_that_row_field_after_its_anchor() -> None:
    at = start({"items.1.owner": [("第 2 项没有责任人", "error", "owner_set")]})
    before = position(at, "markdown", anchor("items-1-owner"))
    widget = position(at, "text_input", "items#d1.owner")
    note = position(at, "error", "第 2 项没有责任人")
    assert before + 1 == widget and widget < note < position(at, "text_input", "items#d1.deadline")
    assert t("forms.note.error") in shown(at)[note][1]
    assert not [k for k in shown(at) if "items#d0" in k[1] and k[0] == "error"]


def test_a_note_on_a_group_or_on_a_column_of_every_row_is_drawn_once_at_the_group() -> None:
    note = ("“主要内容”只有 2 项", "error", "items_enough")
    columns = ("第 1 项没有做到四落实", "veto", "items_four_fixed")
    at = start({"items": [note], "items.content": [columns], "items.owner": [columns]})
    group = position(at, "subheader", "主要内容")
    assert shown(at)[group - 1] == ("markdown", anchor("items"))
    first_row = position(at, "markdown", "第 1 项")
    assert group < position(at, "error", "只有 2 项") < first_row
    assert group < position(at, "error", "没有做到四落实") < first_row  # once, not per column


def test_a_warning_note_is_styled_apart_from_an_error_note_and_from_a_validation_error() -> None:
    at = start(
        {
            "features": [("特色太短", "error", "features_substantive")],
            "activity_forms": [("活动方式只有 1 种", "warning", "activity_forms_varied")],
        },
        errors={"features": "「特色与亮点」不能超过 5000 字"},
    )
    warning = next(w for w in at.warning if "活动方式只有 1 种" in w.value)
    error = next(e for e in at.error if "特色太短" in e.value)
    validation = next(e for e in at.error if "不能超过 5000 字" in e.value)
    assert t("forms.note.warning") in warning.value and t("forms.note.error") in error.value
    assert warning.icon != error.icon and validation.icon != error.icon
    assert not any("活动方式只有 1 种" in e.value for e in at.error)


def test_a_note_for_a_field_the_form_does_not_draw_shows_at_the_top_with_its_anchor() -> None:
    at = start({"no_such_field": [("整个方案与他人雷同", "error", "plan_distinct")]})
    note = position(at, "error", "整个方案与他人雷同")
    assert shown(at)[note - 1] == ("markdown", anchor("form"))
    assert note < position(at, "text_input", "|title")


def test_no_notes_draw_no_anchors() -> None:
    at = start({})
    assert not [text for kind, text in shown(at) if kind == "markdown" and "vg-f-" in text]


def test_read_only_view_marks_the_fields_and_rows_too() -> None:
    at = start(
        {
            "items.0.owner": [("第 1 项没有责任人", "error", "owner_set")],
            "activity_forms": [("活动方式只有 1 种", "warning", "activity_forms_varied")],
        },
        readonly=True,
    )
    first_row, second_row = position(at, "markdown", "第 1 项"), position(at, "markdown", "第 2 项")
    owner = next(i for i, (_, text) in enumerate(shown(at)) if text.startswith("**责任人**"))
    assert shown(at)[owner - 1] == ("markdown", anchor("items-0-owner"))
    assert first_row < owner < position(at, "error", "第 1 项没有责任人") < second_row
    forms_label = position(at, "markdown", "**活动方式**")
    assert shown(at)[forms_label - 1] == ("markdown", anchor("activity_forms"))
    assert shown(at)[forms_label + 1][0] == "warning"


def test_a_note_message_is_shown_as_plain_text() -> None:
    at = start({"title": [("相同段落:“[点此](https://evil.example) **粗体**”", "error", "r")]})
    note = next(e for e in at.error if "evil" in e.value)
    assert "\\[点此\\]" in note.value and "\\*\\*粗体\\*\\*" in note.value
