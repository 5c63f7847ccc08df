"""Issue 4 (5): repeat groups as a table (``widget="table"``) or as cards, by metadata.

AppTest cannot type into ``st.data_editor``; the tests give the editor the state the browser
would send (``edited_rows`` / ``added_rows`` / ``deleted_rows``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from forms.registry import default_registry
from forms.specs import describe
from forms.tables import table_columns

APP = str(Path(__file__).parent / "apps" / "form_app.py")
VOLUNTEER = "vanguard.form:test:volunteer_service|"
TABLE = f"{VOLUNTEER}participants:table"
ROWS = [{"name": "李四", "hours": 1.5}, {"name": "王五", "hours": 2.0}]


def start(data: dict[str, Any], lang: str = "zh") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["form_type"] = "volunteer_service"
    at.session_state["data"] = {"hours": 1.0, **data}
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception
    return at


def edit(at: AppTest, **state: Any) -> None:
    at.session_state[TABLE] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [], **state}
    at.run()
    assert not at.exception


def participants(at: AppTest) -> list[dict[str, Any]]:
    return list(at.session_state["values"]["participants"])


def test_table_metadata_draws_one_grid_and_cards_metadata_draws_cards() -> None:
    at = start({"participants": ROWS})
    assert [d.key for d in at.dataframe] == [TABLE]
    assert not [w for w in at.text_input if "participants#" in str(w.key)]  # no card widgets
    plan = default_registry().get("plan")
    assert {s.name: s.layout for s in describe(plan) if s.kind == "repeat"} == {
        "items": "cards",
        "schedule": "cards",
    }


def test_rows_are_added_edited_and_removed_in_the_table_and_the_total_follows() -> None:
    at = start({"participants": ROWS})
    assert at.session_state["values"]["total_hours"] == 4.5
    edit(at, edited_rows={0: {"hours": 3.0}}, added_rows=[{"name": "赵六", "hours": 0.5}])
    assert participants(at) == [
        {"name": "李四", "hours": 3.0},
        {"name": "王五", "hours": 2.0},
        {"name": "赵六", "hours": 0.5},
    ]
    assert at.session_state["values"]["total_hours"] == 6.5
    edit(at, edited_rows={0: {"hours": 3.0}}, added_rows=[{"name": "赵六", "hours": 0.5}],
         deleted_rows=[1])  # fmt: skip
    assert [row["name"] for row in participants(at)] == ["李四", "赵六"]


def test_table_edits_survive_leaving_the_page_and_are_not_applied_twice() -> None:
    at = start({"participants": ROWS})
    edit(at, edited_rows={1: {"hours": 4.0}}, added_rows=[{"name": "赵六", "hours": 1.0}])
    at.session_state["hide"] = True
    at.run()
    if TABLE in at.session_state:  # what Streamlit does to an editor that is not drawn
        del at.session_state[TABLE]
    at.session_state["hide"] = False
    at.run()
    assert participants(at) == [
        {"name": "李四", "hours": 1.5},
        {"name": "王五", "hours": 4.0},
        {"name": "赵六", "hours": 1.0},
    ]
    edit(at, edited_rows={0: {"name": "李四四"}})  # edits now apply to the kept rows
    assert [row["name"] for row in participants(at)] == ["李四四", "王五", "赵六"]


def test_an_empty_table_gets_typed_rows_and_new_rows_validate() -> None:
    at = start({})
    edit(at, added_rows=[{"name": "李四", "hours": "2"}, {"name": None, "hours": None}])
    assert participants(at) == [{"name": "李四", "hours": 2.0}, {"name": "", "hours": None}]
    at.button(key="check").click().run()
    shown = [e.value.replace("\\", "") for e in at.error]  # messages are Markdown-escaped
    assert any("「一同参加的党员」第 2 项的「姓名」" in m for m in shown), shown
    assert any("「一同参加的党员」第 2 项的「服务时长(小时)」" in m for m in shown), shown


def test_english_readers_see_english_column_labels() -> None:
    at = start({"participants": ROWS}, lang="en")
    config = at.dataframe[0].proto.columns  # JSON column config of the editor
    assert "Hours" in config and "Name" in config


def test_rows_with_conditions_or_nested_groups_fall_back_to_cards() -> None:
    plan = default_registry().get("plan")
    items = next(s for s in describe(plan) if s.name == "items")
    assert items.model is not None and table_columns(items.model) is not None
    volunteer = default_registry().get("volunteer_service")
    assert table_columns(volunteer) is None  # a calculated field cannot be a grid column


def test_a_submitted_table_reads_as_a_table_with_its_labels() -> None:
    at = AppTest.from_string(
        "from forms.registry import default_registry\n"
        "from forms.renderer import render_readonly\n"
        "render_readonly(default_registry().get('volunteer_service'), "
        "{'participants': [{'name': '李四', 'hours': 1.5}]})\n",
        default_timeout=30,
    )
    at.run()
    assert not at.exception
    (table,) = at.table
    assert list(table.value.columns) == ["姓名", "服务时长(小时)"]
    assert table.value.iloc[0].tolist() == ["李四", "1.5"]
