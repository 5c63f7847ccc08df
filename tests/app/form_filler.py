"""Fill any form rendered by ``forms.renderer.render_form`` in AppTest, from JSON-able data.

Used by the AppTest tests of every form type: it drives the same widgets a user would, adds
repeat-group rows with the "add" button and waits for conditional fields to appear. A repeat
group shown as a table (``st.data_editor``, which AppTest cannot type into) is filled by
seeding the editor's state in ``session_state`` in the shape the browser sends
(``edited_rows`` / ``added_rows`` / ``deleted_rows``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from pydantic import BaseModel
from streamlit.testing.v1 import AppTest

from forms.binding import bound_fields
from forms.conversion import to_widget
from forms.specs import FieldSpec, describe
from forms.tables import table_columns, table_keys

STORE_PREFIX = "vanguard.form:"

_ELEMENTS = {
    "text": "text_input",
    "textarea": "text_area",
    "tags": "text_area",
    "int": "number_input",
    "float": "number_input",
    "decimal": "number_input",
    "bool": "checkbox",
    "date": "date_input",
    "time": "time_input",
    "select": "selectbox",
    "radio": "radio",
    "multiselect": "multiselect",
}


def widget(at: AppTest, spec: FieldSpec, wkey: str) -> Any:
    """The AppTest element of a field's widget, or None when it is not shown."""
    finder = getattr(at, _ELEMENTS[spec.kind])
    try:
        return finder(key=wkey)
    except KeyError:
        return None


def fill_form(at: AppTest, model: type[BaseModel], data: Mapping[str, Any], *, key: str) -> None:
    """Type ``data`` into the rendered form ``key`` and rerun until every shown field is set.

    Attachments are not typed (see ``upload``); read-only and calculated fields are skipped, and
    so are fields the server binds (``forms.binding``: ``branch``), which a user cannot type
    into either: their value comes from the data the page renders the form with.
    """
    bound = set(bound_fields(model))
    values = {k: v for k, v in data.items() if k not in bound}
    for _ in range(4):  # conditional fields appear after the field they depend on is set
        pending = _fill_scope(at, model, values, f"{STORE_PREFIX}{key}|")
        at.run()
        if not pending:
            return


def rows_of(at: AppTest, key: str, wkey: str) -> list[str]:
    """The row ids of a repeat group, in display order."""
    store = at.session_state[f"{STORE_PREFIX}{key}"]
    return list(store["rows"].get(wkey, []))


def _fill_scope(at: AppTest, model: type[BaseModel], values: Mapping[str, Any], prefix: str) -> int:
    pending = 0
    for spec in describe(model):
        if spec.name not in values or spec.kind in ("computed", "readonly", "file"):
            continue
        if spec.calculate:
            continue
        wkey = f"{prefix}{spec.name}"
        value = values[spec.name]
        if spec.kind == "section" and spec.model is not None:
            pending += _fill_scope(at, spec.model, value or {}, f"{wkey}.")
        elif spec.kind == "repeat" and spec.model is not None:
            if spec.layout == "table" and table_columns(spec.model) is not None:
                pending += seed_table(at, spec, list(value or []), wkey)
            else:
                pending += _fill_rows(at, spec, list(value or []), prefix, wkey)
        else:
            element = widget(at, spec, wkey)
            if element is None:
                pending += 1
                continue
            if spec.choices is not None:  # the list is the server's: as the widget offers it
                spec = replace(spec, options=tuple(element.options))
            element.set_value(to_widget(spec, value))
    return pending


def seed_table(at: AppTest, spec: FieldSpec, rows: list[Any], wkey: str) -> int:
    """Make the table at ``wkey`` hold ``rows`` (JSON-able values) on the next run, as if the
    user had deleted its rows and typed these; 1 when the table is not drawn yet."""
    assert spec.model is not None
    key = wkey.removeprefix(STORE_PREFIX).split("|", 1)[0]
    editor_key, base_key, _ = table_keys(wkey)
    try:
        base = at.session_state[f"{STORE_PREFIX}{key}"]["values"][base_key]
    except KeyError:
        return 1
    columns = table_columns(spec.model) or ()
    at.session_state[editor_key] = {
        "edited_rows": {},
        "deleted_rows": list(range(len(base))),
        "added_rows": [{c.name: row.get(c.name) for c in columns} for row in rows],
    }
    return 0


def _fill_rows(at: AppTest, spec: FieldSpec, rows: list[Any], prefix: str, wkey: str) -> int:
    assert spec.model is not None
    key = prefix.removeprefix(STORE_PREFIX).split("|", 1)[0]
    try:
        add = at.button(key=f"{wkey}:add")
    except KeyError:
        return 1
    ids = rows_of(at, key, wkey)
    while len(ids) < len(rows):
        add.click()
        at.run()
        add = at.button(key=f"{wkey}:add")
        ids = rows_of(at, key, wkey)
    while len(ids) > len(rows):
        at.menu_button(key=f"{wkey}:row:{ids[-1]}").click("remove")
        at.run()
        ids = rows_of(at, key, wkey)
    pending = 0
    for row_id, row in zip(ids, rows, strict=True):
        pending += _fill_scope(at, spec.model, row, f"{wkey}#{row_id}.")
    return pending
