"""A repeat group as one editable grid (``widget="table"``): typed columns, rows added and
removed in the grid, errors and notes listed under it.

``st.data_editor`` keeps only the edits relative to the data it was drawn with, and forgets
them when it is not drawn (another page). So the rows it starts from (the base) stay fixed
while its edits live, and the current rows are kept in the form's store; when the editor's own
state is gone, the kept rows become the new base.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import streamlit as st
from pydantic import BaseModel

from forms.conversion import from_widget, option_format, parse_temporal, to_widget
from forms.field_hints import (
    DATE_MAX,
    DATE_MIN,
    bounds,
    help_text,
    number_format,
    number_step,
    plain_label,
)
from forms.markdown import escape_markdown
from forms.notes_view import show_anchor
from forms.specs import FieldSpec, describe
from i18n import Lang, t

if TYPE_CHECKING:
    from forms.renderer import FormRun

TABLE_KINDS = frozenset(
    {"text", "textarea", "int", "float", "decimal", "bool", "date", "select", "radio"}
)


def table_columns(model: type[BaseModel]) -> tuple[FieldSpec, ...] | None:
    """The columns of ``model`` as a table, or None when a row cannot be one grid line (a
    nested group, a list, a file, a condition or a calculation needs the card layout)."""
    specs = describe(model)
    if any(s.kind not in TABLE_KINDS or s.relevant or s.calculate for s in specs):
        return None
    return specs


def table_keys(wkey: str) -> tuple[str, str, str]:
    """Session keys of a table: the editor's widget, and (in the form's store) the rows it
    starts from and the current rows."""
    return f"{wkey}:table", f"{wkey}:table_base", f"{wkey}:table_rows"


def draw_table(
    run: FormRun, spec: FieldSpec, raw: Any, path: str, wkey: str
) -> list[dict[str, Any]]:
    """Draw the repeat group ``spec`` as a grid and return its rows (see module docstring)."""
    assert spec.model is not None
    columns = table_columns(spec.model) or ()
    kept = run.store["values"]
    editor_key, base_key, rows_key = table_keys(wkey)
    if editor_key not in st.session_state or base_key not in kept:
        source = kept.get(rows_key, raw)
        kept[base_key] = [
            {c.name: to_widget(c, row.get(c.name, c.default)) for c in columns}
            for row in (source if isinstance(source, list) else [])
            if isinstance(row, Mapping)
        ]
    st.subheader(escape_markdown(spec.label(run.lang)))
    run.help_caption(spec)
    run.show_error(path)
    full = spec.max_length is not None and len(kept.get(rows_key, kept[base_key])) >= (
        spec.max_length
    )
    edited = st.data_editor(
        _frame(columns, kept[base_key]),
        key=editor_key,
        num_rows="fixed" if run.disabled else "delete" if full else "dynamic",
        column_config={c.name: column(c, run.lang) for c in columns},
        column_order=[c.name for c in columns],
        hide_index=True,
        disabled=run.disabled,
        width="stretch",
    )
    rows = [
        {c.name: from_widget(c, _cell(c, record.get(c.name))) for c in columns}
        for record in edited.to_dict("records")
    ]
    kept[rows_key] = rows
    st.caption(
        t("forms.table.full", run.lang, n=spec.max_length)
        if full
        else t("forms.table.hint", run.lang)
    )
    # 「…」第 2 项的「姓名」… names the row and the column
    for row_path in dict.fromkeys(p for p in (*run.errors, *run.notes) if p.startswith(f"{path}.")):
        if row_path in run.notes:
            show_anchor(row_path)
        run.show_error(row_path)
    return rows


def column(spec: FieldSpec, lang: Lang) -> Any:
    """The ``st.column_config`` column of one field of a table row."""
    title = plain_label(spec, lang)
    hint = escape_markdown(help_text(spec, lang) or "") or None  # tooltips render Markdown
    config = st.column_config
    if spec.kind in ("text", "textarea"):
        return config.TextColumn(
            title, help=hint, required=spec.required, max_chars=spec.max_length
        )
    if spec.kind in ("int", "float", "decimal"):
        low, high = bounds(spec)
        return config.NumberColumn(
            title,
            help=hint,
            required=spec.required,
            min_value=low,
            max_value=high,
            step=number_step(spec),
            format=number_format(spec),
        )
    if spec.kind == "bool":
        return config.CheckboxColumn(title, help=hint)
    if spec.kind == "date":
        return config.DateColumn(
            title,
            help=hint,
            required=spec.required,
            format="YYYY-MM-DD",
            min_value=DATE_MIN,
            max_value=DATE_MAX,
        )
    return config.SelectboxColumn(
        title,
        help=hint,
        required=spec.required,
        options=list(spec.options),
        format_func=option_format(spec, lang),
    )


def _frame(columns: tuple[FieldSpec, ...], rows: list[dict[str, Any]]) -> Any:
    """The rows as a typed DataFrame (typed even when empty, so new rows get typed cells)."""
    import pandas as pd  # a Streamlit dependency; imported here, only tables need it

    dtypes = {"int": "Int64", "float": "float64", "decimal": "float64", "bool": "boolean"}
    data = {
        c.name: pd.Series([row.get(c.name) for row in rows], dtype=dtypes.get(c.kind, "object"))
        for c in columns
    }
    return pd.DataFrame(data, columns=[c.name for c in columns])


def _cell(spec: FieldSpec, value: Any) -> Any:
    """A DataFrame cell as the plain Python value its widget kind would give."""
    import pandas as pd

    if value is None or pd.isna(value):
        return None
    if hasattr(value, "item") and not isinstance(value, dt.date):
        value = value.item()  # numpy scalar → Python
    if spec.kind == "date":
        if isinstance(value, dt.datetime):
            return value.date()
        return parse_temporal("date", value)
    if spec.kind == "bool":
        return bool(value)
    return value
