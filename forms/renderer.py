"""Any form model as Streamlit widgets, and back: the only Streamlit module of ``forms``.

``render_form(model, data, key=...)`` walks the model's ``FieldSpec``s (no per-form code), shows
one widget per field pre-filled from ``data``, places each error from ``errors`` under its field
(rows of repeat groups included; form-level errors at the top) and each ``FieldNote`` of ``notes``
(a failed rule's message, ``forms.notes``) there too, after a light HTML anchor (``anchor_id``) a
report can link to, and returns a ``FormState``: the
current raw values as a JSON-able dict in the model's shape (dates as ISO strings), plus
``uploads``, the files picked in this run for the caller to store (``PendingUpload``).

No lost work: every widget value is also kept in ``st.session_state["vanguard.form:<key>"]``,
which Streamlit does not clear when a widget is not drawn (a hidden conditional field, another
page). Widgets are seeded from that store first and from ``data`` only the first time, so a
rerun, a validation error or a page switch keeps what was typed. Use a key per record (e.g.
``f"plan:{submission_id}"``) and call ``clear_form(key)`` after a save that should reload.

Render outside ``st.form``: conditional fields and repeat-group buttons need live reruns.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import streamlit as st
from pydantic import BaseModel, ValidationError

from forms.binding import bound_to
from forms.expressions import calculate, is_relevant
from forms.notes import FieldNote, anchor_id, place_notes
from forms.specs import FieldSpec, describe
from forms.validation import prepare
from i18n import Lang, t

_STORE_PREFIX = "vanguard.form:"
_DATE_MIN = dt.date(1900, 1, 1)
_DATE_MAX = dt.date(2100, 12, 31)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


@dataclass(frozen=True)
class PendingUpload:
    """A file picked in the attachment widget at ``path``, not stored yet.

    The caller stores ``data`` (e.g. ``repo.put_blob``) and appends an ``Attachment`` record
    (name, content_type, size, blob) to the list at ``path`` before saving.
    """

    path: str
    name: str
    content_type: str
    data: bytes


class FormState(dict[str, Any]):
    """The form's current values (a plain JSON-able dict) and the files picked in this run."""

    def __init__(self, values: Mapping[str, Any], uploads: list[PendingUpload]) -> None:
        super().__init__(values)
        self.uploads = uploads


def clear_form(key: str) -> None:
    """Forget what was typed into form ``key``; the next render starts again from ``data``."""
    store_key = _STORE_PREFIX + key
    widget_prefix = f"{store_key}|"
    for name in [k for k in st.session_state if str(k).startswith(widget_prefix)]:
        del st.session_state[name]
    if store_key in st.session_state:
        del st.session_state[store_key]


def render_form(
    model: type[BaseModel],
    data: Mapping[str, Any] | None,
    *,
    key: str,
    lang: Lang = "zh",
    errors: Mapping[str, str] | None = None,
    notes: Mapping[str, Sequence[FieldNote]] | None = None,
    disabled: bool = False,
) -> FormState:
    """Draw the widgets of ``model`` and return the current values (see module docstring).

    ``notes`` maps field paths to remarks drawn at those fields (see ``forms.notes``).
    """
    store_key = _STORE_PREFIX + key
    store = st.session_state.get(store_key)
    if not isinstance(store, dict):
        store = {"values": {}, "rows": {}, "counter": 0, "last": None}
        st.session_state[store_key] = store
    renderer = _FormRenderer(store_key, store, lang, dict(errors or {}), disabled)
    renderer.notes = place_notes(model, notes) if notes else {}
    top = st.container()
    source = dict(data or {})
    previous = store["last"] if isinstance(store["last"], dict) else source
    values = renderer.scope(model, source, path="", prefix=f"{store_key}|", previous=previous)
    store["last"] = values
    unplaced = [msg for path, msg in renderer.errors.items() if path not in renderer.placed]
    with top:
        for message in dict.fromkeys(unplaced):
            st.error(message)
        show_unplaced_notes(renderer.notes, renderer.noted, lang)
    return FormState(values, renderer.uploads)


class _FormRenderer:
    """One run of ``render_form``: walks the specs, draws widgets, collects values."""

    def __init__(
        self,
        store_key: str,
        store: MutableMapping[str, Any],
        lang: Lang,
        errors: dict[str, str],
        disabled: bool,
    ) -> None:
        self.store_key = store_key
        self.store = store
        self.lang = lang
        self.errors = errors
        self.disabled = disabled
        self.placed: set[str] = set()
        self.notes: dict[str, list[FieldNote]] = {}
        self.noted: set[str] = set()
        self.uploads: list[PendingUpload] = []

    # -- scopes ---------------------------------------------------------------------------

    def scope(
        self,
        model: type[BaseModel],
        source: Mapping[str, Any],
        *,
        path: str,
        prefix: str,
        previous: Mapping[str, Any],
        outer: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Render the fields of one model (the form, a section or a row); return its values."""
        values: dict[str, Any] = {}
        outer = outer or {}
        for spec in describe(model):
            field_path = f"{path}.{spec.name}" if path else spec.name
            context = {**outer, **previous, **values}
            if not is_relevant(spec, context):
                continue
            if spec.kind == "computed":
                self.computed(model, spec, {**source, **values})
                continue
            if spec.calculate:
                value = calculate(spec, {**outer, **prepare(model, {**source, **values})})
                self.readonly_value(spec, value)
                values[spec.name] = value
                continue
            values[spec.name] = self.field(
                spec, source.get(spec.name, spec.default), field_path, prefix, context
            )
        return values

    def field(
        self, spec: FieldSpec, raw: Any, path: str, prefix: str, context: Mapping[str, Any]
    ) -> Any:
        """Draw one field and return its JSON-able value."""
        wkey = f"{prefix}{spec.name}"
        if path in self.notes:
            show_anchor(path)
        if spec.kind == "section" and spec.model is not None:
            st.subheader(spec.label(self.lang))
            self.help_caption(spec)
            self.show_error(path)
            source = raw if isinstance(raw, Mapping) else {}
            return self.scope(
                spec.model, source, path=path, prefix=f"{wkey}.", previous=source, outer=context
            )
        if spec.kind == "repeat" and spec.model is not None:
            return self.repeat(spec, raw, path, wkey, context)
        if spec.kind == "file":
            value = self.files(spec, raw, path, wkey)
        elif path == spec.name and bound_to(spec) is not None:
            value = self.bound(spec, raw, wkey)
        elif spec.kind == "readonly":
            self.readonly_value(spec, raw)
            value = raw
        else:
            value = self.widget(spec, raw, wkey)
        self.show_error(path)
        return value

    # -- scalar widgets -------------------------------------------------------------------

    def seed(self, wkey: str, spec: FieldSpec, raw: Any) -> Any:
        """Put the widget's value into session state (store first, then data); return it."""
        if wkey not in st.session_state:
            kept = self.store["values"]
            st.session_state[wkey] = kept[wkey] if wkey in kept else to_widget(spec, raw)
        return st.session_state[wkey]

    def widget(self, spec: FieldSpec, raw: Any, wkey: str) -> Any:
        current = self.seed(wkey, spec, raw)
        label = self.label(spec)
        help_text = self.help_text(spec)
        draw = _WIDGETS[spec.kind]
        result = draw(self, spec, label, wkey, help_text, current)
        self.store["values"][wkey] = result
        return from_widget(spec, result)

    def label(self, spec: FieldSpec) -> str:
        mark = t("forms.required_mark", self.lang) if spec.required else ""
        return f"{spec.label(self.lang)}{mark}"

    def help_text(self, spec: FieldSpec) -> str | None:
        parts = [spec.help(self.lang)]
        if spec.max_length and spec.kind in ("text", "textarea"):
            parts.append(t("forms.hint.max_chars", self.lang, n=spec.max_length))
        if spec.kind in ("int", "float", "decimal"):
            parts.append(_bounds_hint(spec, self.lang))
        if spec.kind == "tags":
            parts.append(t("forms.hint.one_per_line", self.lang))
        text = " ".join(p for p in parts if p)
        return text or None

    def options_format(self, spec: FieldSpec) -> Callable[[Any], str]:
        return option_format(spec, self.lang)

    # -- repeat groups --------------------------------------------------------------------

    def repeat(
        self, spec: FieldSpec, raw: Any, path: str, wkey: str, context: Mapping[str, Any]
    ) -> list[dict[str, Any]]:
        assert spec.model is not None
        if spec.layout == "table" and table_columns(spec.model) is not None:
            return self.table(spec, raw, path, wkey)
        source_rows = (
            [r if isinstance(r, Mapping) else {} for r in raw] if isinstance(raw, list) else []
        )
        rows: list[str] = self.store["rows"].setdefault(
            wkey, [f"d{i}" for i in range(len(source_rows))]
        )
        st.subheader(spec.label(self.lang))
        self.help_caption(spec)
        self.show_error(path)
        values: list[dict[str, Any]] = []
        for index, row_id in enumerate(list(rows)):
            row_path = f"{path}.{index}"
            origin = int(row_id[1:]) if row_id.startswith("d") else -1
            source = source_rows[origin] if 0 <= origin < len(source_rows) else {}
            if not source:
                source = {s.name: s.default for s in describe(spec.model) if s.stores_value}
            with st.container(border=True):
                if row_path in self.notes:
                    show_anchor(row_path)
                st.markdown(f"**{t('forms.repeat.row', self.lang, n=index + 1)}**")
                self.show_error(row_path)
                values.append(
                    self.scope(
                        spec.model,
                        source,
                        path=row_path,
                        prefix=f"{wkey}#{row_id}.",
                        previous=source,
                        outer=context,
                    )
                )
                self.row_menu(wkey, rows, index, row_id)
        full = spec.max_length is not None and len(rows) >= spec.max_length
        st.button(
            t("forms.repeat.add", self.lang, label=spec.label(self.lang)),
            key=f"{wkey}:add",
            on_click=_add_row,
            args=(self.store, wkey),
            disabled=self.disabled or full,
        )
        return values

    def table(self, spec: FieldSpec, raw: Any, path: str, wkey: str) -> list[dict[str, Any]]:
        """A repeat group as one editable grid (``widget="table"``): typed columns, rows
        added and removed in the grid, errors listed under it.

        ``st.data_editor`` keeps only the edits relative to the data it was drawn with, and
        forgets them when it is not drawn (another page). So the rows it starts from (the
        base) stay fixed while its edits live, and the current rows are kept in the form's
        store; when the editor's own state is gone, the kept rows become the new base.
        """
        assert spec.model is not None
        columns = table_columns(spec.model) or ()
        kept = self.store["values"]
        editor_key, base_key, rows_key = table_keys(wkey)
        if editor_key not in st.session_state or base_key not in kept:
            source = kept.get(rows_key, raw)
            kept[base_key] = [
                {c.name: to_widget(c, row.get(c.name, c.default)) for c in columns}
                for row in (source if isinstance(source, list) else [])
                if isinstance(row, Mapping)
            ]
        st.subheader(spec.label(self.lang))
        self.help_caption(spec)
        self.show_error(path)
        full = spec.max_length is not None and len(kept.get(rows_key, kept[base_key])) >= (
            spec.max_length
        )
        edited = st.data_editor(
            _frame(columns, kept[base_key]),
            key=editor_key,
            num_rows="fixed" if self.disabled else "delete" if full else "dynamic",
            column_config={c.name: self.column(c) for c in columns},
            column_order=[c.name for c in columns],
            hide_index=True,
            disabled=self.disabled,
            width="stretch",
        )
        rows = [
            {c.name: from_widget(c, _cell(c, record.get(c.name))) for c in columns}
            for record in edited.to_dict("records")
        ]
        kept[rows_key] = rows
        st.caption(
            t("forms.table.full", self.lang, n=spec.max_length)
            if full
            else t("forms.table.hint", self.lang)
        )
        # 「…」第 2 项的「姓名」… names the row and the column
        for row_path in dict.fromkeys(
            p for p in (*self.errors, *self.notes) if p.startswith(f"{path}.")
        ):
            if row_path in self.notes:
                show_anchor(row_path)
            self.show_error(row_path)
        return rows

    def column(self, spec: FieldSpec) -> Any:
        """The ``st.column_config`` column of one field of a table row."""
        label = self.label(spec)
        help_text = self.help_text(spec)
        config = st.column_config
        if spec.kind in ("text", "textarea"):
            return config.TextColumn(
                label, help=help_text, required=spec.required, max_chars=spec.max_length
            )
        if spec.kind in ("int", "float", "decimal"):
            low, high = _bounds(spec)
            step = spec.multiple_of or (1 if spec.kind == "int" else 0.01)
            return config.NumberColumn(
                label,
                help=help_text,
                required=spec.required,
                min_value=low,
                max_value=high,
                step=step,
                format="%d" if spec.kind == "int" else _float_format(spec),
            )
        if spec.kind == "bool":
            return config.CheckboxColumn(label, help=help_text)
        if spec.kind == "date":
            return config.DateColumn(
                label,
                help=help_text,
                required=spec.required,
                format="YYYY-MM-DD",
                min_value=_DATE_MIN,
                max_value=_DATE_MAX,
            )
        return config.SelectboxColumn(
            label,
            help=help_text,
            required=spec.required,
            options=list(spec.options),
            format_func=self.options_format(spec),
        )

    def row_menu(self, wkey: str, rows: list[str], index: int, row_id: str) -> None:
        """One menu per row (上移 / 下移 / 删除此项): one widget instead of three buttons, so
        a form with many rows reruns faster; moves that cannot happen are left out."""
        actions = [
            action
            for action, possible in (
                ("up", index > 0),
                ("down", index < len(rows) - 1),
                ("remove", True),
            )
            if possible
        ]
        key = f"{wkey}:row:{row_id}"
        st.menu_button(
            t("forms.repeat.actions", self.lang),
            actions,
            key=key,
            on_click=_row_action,
            args=(self.store, rows, row_id, f"{wkey}#{row_id}.", key),
            format_func=lambda action: t(f"forms.repeat.{action}", self.lang),
            disabled=self.disabled,
            type="tertiary",
        )

    # -- attachments ----------------------------------------------------------------------

    def files(self, spec: FieldSpec, raw: Any, path: str, wkey: str) -> list[Any]:
        kept_key = f"{wkey}:kept"
        kept: list[Any] = self.store["values"].setdefault(
            kept_key, [a for a in raw if isinstance(a, Mapping)] if isinstance(raw, list) else []
        )
        st.markdown(f"**{self.label(spec)}**")
        for index, attachment in enumerate(list(kept)):
            name_col, button_col = st.columns([4, 1])
            name_col.text(str(attachment.get("name", "")))
            button_col.button(
                t("forms.file.remove", self.lang),
                key=f"{wkey}:drop:{index}:{attachment.get('blob', '')}",
                on_click=kept.pop,
                args=(index,),
                disabled=self.disabled,
            )
        hint = _file_hint(spec, self.lang)
        picked = st.file_uploader(
            t("forms.file.pick", self.lang),
            accept_multiple_files=True,
            key=f"{wkey}:upload",
            help=hint,
            disabled=self.disabled,
        )
        for upload in picked or []:
            problem = _file_problem(spec, upload.name, upload.size, self.lang)
            if problem:
                st.error(problem)
                continue
            self.uploads.append(
                PendingUpload(
                    path=path,
                    name=upload.name,
                    content_type=upload.type or "application/octet-stream",
                    data=upload.getvalue(),
                )
            )
        return [dict(a) for a in kept]

    # -- read-only parts ------------------------------------------------------------------

    def bound(self, spec: FieldSpec, raw: Any, wkey: str) -> Any:
        """A field the server sets (``forms.binding``): shown in a disabled input, its value
        always the one in ``data`` (never a stale widget value), returned unchanged."""
        shown = to_widget(spec, raw)
        st.session_state[wkey] = shown
        source = bound_to(spec)
        st.text_input(
            self.label(spec),
            key=wkey,
            help=t(f"forms.bound.{source}.help", self.lang),
            placeholder=t(f"forms.bound.{source}.placeholder", self.lang),
            disabled=True,
        )
        return from_widget(spec, shown)

    def readonly_value(self, spec: FieldSpec, value: Any) -> None:
        show_value(spec, value, self.lang)

    def computed(self, model: type[BaseModel], spec: FieldSpec, values: Mapping[str, Any]) -> None:
        show_value(spec, computed_value(model, spec, values), self.lang)

    def help_caption(self, spec: FieldSpec) -> None:
        if spec.help(self.lang):
            st.caption(spec.help(self.lang))

    def show_error(self, path: str) -> None:
        message = self.errors.get(path)
        if message:
            st.error(message)
            self.placed.add(path)
        if path in self.notes:
            self.show_notes(path)

    def show_notes(self, path: str) -> None:
        for note in self.notes[path]:
            show_note(note, self.lang)
        self.noted.add(path)


# -- widget drawing, one function per kind -------------------------------------------------


def _text(r: _FormRenderer, spec: FieldSpec, label: str, wkey: str, help: Any, cur: Any) -> Any:
    fits = spec.max_length is not None and len(str(cur or "")) <= spec.max_length
    max_chars = spec.max_length if fits else None
    if spec.kind == "textarea":
        return st.text_area(label, key=wkey, help=help, max_chars=max_chars, disabled=r.disabled)
    return st.text_input(label, key=wkey, help=help, max_chars=max_chars, disabled=r.disabled)


def _number(r: _FormRenderer, spec: FieldSpec, label: str, wkey: str, help: Any, cur: Any) -> Any:
    cast: Callable[[Any], Any] = int if spec.kind == "int" else float
    low, high = spec.ge, spec.le
    if cur is not None and low is not None and cur < low:
        low = None
    if cur is not None and high is not None and cur > high:
        high = None
    step = spec.multiple_of or (1 if spec.kind == "int" else 0.01)
    fmt = "%d" if spec.kind == "int" else _float_format(spec)
    return st.number_input(
        label,
        key=wkey,
        help=help,
        min_value=None if low is None else cast(low),
        max_value=None if high is None else cast(high),
        step=cast(step),
        format=fmt,
        placeholder=t("forms.placeholder.number", r.lang),
        disabled=r.disabled,
    )


def _bool(r: _FormRenderer, spec: FieldSpec, label: str, wkey: str, help: Any, cur: Any) -> Any:
    return st.checkbox(label, key=wkey, help=help, disabled=r.disabled)


def _date(r: _FormRenderer, spec: FieldSpec, label: str, wkey: str, help: Any, cur: Any) -> Any:
    low = min(_DATE_MIN, cur) if isinstance(cur, dt.date) else _DATE_MIN
    high = max(_DATE_MAX, cur) if isinstance(cur, dt.date) else _DATE_MAX
    return st.date_input(
        label,
        key=wkey,
        help=help,
        min_value=low,
        max_value=high,
        format="YYYY-MM-DD",
        disabled=r.disabled,
    )


def _datetime(r: _FormRenderer, spec: FieldSpec, label: str, wkey: str, help: Any, cur: Any) -> Any:
    return st.datetime_input(label, key=wkey, help=help, format="YYYY-MM-DD", disabled=r.disabled)


def _time(r: _FormRenderer, spec: FieldSpec, label: str, wkey: str, help: Any, cur: Any) -> Any:
    return st.time_input(label, key=wkey, help=help, disabled=r.disabled)


def _choice(r: _FormRenderer, spec: FieldSpec, label: str, wkey: str, help: Any, cur: Any) -> Any:
    if spec.kind == "radio":
        return st.radio(
            label,
            spec.options,
            index=None,
            key=wkey,
            help=help,
            format_func=r.options_format(spec),
            horizontal=True,
            disabled=r.disabled,
        )
    return st.selectbox(
        label,
        spec.options,
        index=None,
        key=wkey,
        help=help,
        format_func=r.options_format(spec),
        placeholder=t("forms.placeholder.choose", r.lang),
        disabled=r.disabled,
    )


def _multi(r: _FormRenderer, spec: FieldSpec, label: str, wkey: str, help: Any, cur: Any) -> Any:
    return st.multiselect(
        label,
        spec.options,
        key=wkey,
        help=help,
        format_func=r.options_format(spec),
        placeholder=t("forms.placeholder.choose", r.lang),
        disabled=r.disabled,
    )


_WIDGETS: dict[str, Callable[[_FormRenderer, FieldSpec, str, str, Any, Any], Any]] = {
    "text": _text,
    "textarea": _text,
    "tags": lambda r, spec, label, wkey, help, cur: st.text_area(
        label, key=wkey, help=help, disabled=r.disabled
    ),
    "int": _number,
    "float": _number,
    "decimal": _number,
    "bool": _bool,
    "date": _date,
    "datetime": _datetime,
    "time": _time,
    "select": _choice,
    "radio": _choice,
    "multiselect": _multi,
}


def option_format(spec: FieldSpec, lang: Lang) -> Callable[[Any], str]:
    """How a select, radio or multiselect shows each stored value to a ``lang`` reader."""
    empty = t("forms.option.empty", lang)

    def show(option: Any) -> str:
        if option == "" or option is None:
            return empty
        return spec.option_text(option, lang)

    return show


# -- tables: repeat groups as one grid --------------------------------------------------------

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
        return _parse_temporal("date", value)
    if spec.kind == "bool":
        return bool(value)
    return value


# -- repeat-group callbacks (run before the rerun, so the new order shows at once) ----------


def _add_row(store: MutableMapping[str, Any], wkey: str) -> None:
    store["counter"] += 1
    store["rows"].setdefault(wkey, []).append(f"n{store['counter']}")


def _row_action(
    store: MutableMapping[str, Any], rows: list[str], row_id: str, prefix: str, key: str
) -> None:
    """Carry out the action picked in a row's menu: move the row up or down, or remove it."""
    action = st.session_state.get(key)
    if action == "remove":
        _remove_row(store, rows, row_id, prefix)
    elif action in ("up", "down") and row_id in rows:
        _move_row(rows, rows.index(row_id), -1 if action == "up" else 1)


def _move_row(rows: list[str], index: int, step: int) -> None:
    other = index + step
    if 0 <= other < len(rows):
        rows[index], rows[other] = rows[other], rows[index]


def _remove_row(store: MutableMapping[str, Any], rows: list[str], row_id: str, prefix: str) -> None:
    if row_id in rows:
        rows.remove(row_id)
    for name in [k for k in store["values"] if k.startswith(prefix)]:
        del store["values"][name]
    for name in [k for k in store["rows"] if k.startswith(prefix)]:
        del store["rows"][name]
    for name in [k for k in st.session_state if str(k).startswith(prefix)]:
        del st.session_state[name]


# -- value conversion: JSON-able data <-> widget values -----------------------------------


def to_widget(spec: FieldSpec, raw: Any) -> Any:
    """The widget value that shows ``raw`` (a JSON-able value of the field); None if unusable."""
    kind = spec.kind
    if kind in ("text", "textarea"):
        return "" if raw is None else str(raw)
    if kind == "tags":
        return "\n".join(str(item) for item in raw) if isinstance(raw, list) else ""
    if kind == "int":
        return raw if isinstance(raw, int) and not isinstance(raw, bool) else None
    if kind in ("float", "decimal"):
        return _to_float(raw)
    if kind == "bool":
        return bool(raw) if isinstance(raw, bool) else False
    if kind in ("date", "datetime", "time"):
        return _parse_temporal(kind, raw)
    if kind in ("select", "radio"):
        value = raw.value if spec.enum_type and isinstance(raw, spec.enum_type) else raw
        return value if value in spec.options else None
    if kind == "multiselect":
        return [v for v in raw if v in spec.options] if isinstance(raw, list) else []
    return raw


def from_widget(spec: FieldSpec, value: Any) -> Any:
    """The JSON-able value of the field whose widget shows ``value``."""
    kind = spec.kind
    if kind in ("text", "textarea"):
        text = value or ""
        return None if spec.optional and text == "" else text
    if kind == "tags":
        return [line.strip() for line in str(value or "").splitlines() if line.strip()]
    if value is None:
        return None
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    if kind == "decimal":
        return str(decimal.Decimal(str(value)))
    if isinstance(value, dt.date | dt.time | dt.datetime):
        return value.isoformat()
    if kind == "multiselect":
        return list(value)
    return value


def _to_float(raw: Any) -> float | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float | decimal.Decimal):
        return float(raw)
    if isinstance(raw, str):
        try:
            return float(decimal.Decimal(raw))
        except (decimal.InvalidOperation, ValueError):
            return None
    return None


def _parse_temporal(kind: str, raw: Any) -> Any:
    if kind == "datetime":
        if isinstance(raw, dt.datetime):
            return raw
        parse: Callable[[str], Any] = dt.datetime.fromisoformat
    elif kind == "date":
        if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
            return raw
        parse = dt.date.fromisoformat
    else:
        if isinstance(raw, dt.time):
            return raw
        parse = dt.time.fromisoformat
    if isinstance(raw, str):
        try:
            return parse(raw)
        except ValueError:
            return None
    return None


def _float_format(spec: FieldSpec) -> str:
    if spec.multiple_of:
        decimals = max(0, -decimal.Decimal(str(spec.multiple_of)).normalize().as_tuple().exponent)  # type: ignore[operator]
        return f"%.{decimals}f"
    return "%.2f"


def _bounds(spec: FieldSpec) -> tuple[float | None, float | None]:
    """The lowest and highest value a number field takes (inclusive bound first)."""
    low = spec.ge if spec.ge is not None else spec.gt
    high = spec.le if spec.le is not None else spec.lt
    return low, high


def _bounds_hint(spec: FieldSpec, lang: Lang) -> str:
    low, high = _bounds(spec)
    if low is None and high is None:
        return ""
    return t(
        "forms.hint.range",
        lang,
        low=_plain(low) if low is not None else "—",
        high=_plain(high) if high is not None else "—",
    )


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _file_hint(spec: FieldSpec, lang: Lang) -> str:
    kinds = "、".join(spec.accept) if spec.accept else t("forms.file.any_type", lang)
    size = f"{(spec.max_bytes or 0) / 1024 / 1024:g} MB" if spec.max_bytes else "—"
    return t("forms.file.limits", lang, types=kinds, size=size)


def _file_problem(spec: FieldSpec, name: str, size: int, lang: Lang) -> str | None:
    """Why an upload is refused, or None."""
    suffix = PurePath(name).suffix.lower()
    if spec.accept and suffix not in {a.lower() for a in spec.accept}:
        return t("forms.file.bad_type", lang, name=name, types="、".join(spec.accept))
    if spec.max_bytes is not None and size > spec.max_bytes:
        limit = f"{spec.max_bytes / 1024 / 1024:g} MB"
        return t("forms.file.too_large", lang, name=name, size=limit)
    return None


# -- read-only view --------------------------------------------------------------------------


def computed_value(model: type[BaseModel], spec: FieldSpec, values: Mapping[str, Any]) -> Any:
    """The value of a computed property of ``model`` given ``values``; None while they do not
    validate (a half-filled form)."""
    try:
        return getattr(model.model_validate(prepare(model, values)), spec.name)
    except (ValidationError, ValueError, TypeError, ArithmeticError):
        return None


def escape_markdown(text: str) -> str:
    """User text made inert for ``st.markdown``: no formatting, links or HTML."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")


def _display(spec: FieldSpec, value: Any, lang: Lang) -> str:
    if value is None or value == "" or value == []:
        return t("forms.readonly.empty", lang)
    if isinstance(value, bool):
        return t("forms.readonly.yes" if value else "forms.readonly.no", lang)
    if spec.kind == "file" and isinstance(value, list):
        return "、".join(str(a.get("name", "")) for a in value if isinstance(a, Mapping))
    if spec.options:
        show = option_format(spec, lang)
        if isinstance(value, list):
            return "、".join(show(v) for v in value)
        return show(value)
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def show_value(spec: FieldSpec, value: Any, lang: Lang) -> None:
    """A field's label and value as read-only text (nested groups as sections)."""
    if spec.model is not None and spec.kind in ("section", "readonly") and isinstance(value, dict):
        st.markdown(f"**{escape_markdown(spec.label(lang))}**")
        _ReadonlyView(lang, {}).scope(spec.model, value)
        return
    label = escape_markdown(spec.label(lang))
    st.markdown(f"**{label}**  \n{escape_markdown(_display(spec, value, lang))}")


class _ReadonlyView:
    """One run of ``render_readonly``: the values shown in order, notes at their fields."""

    def __init__(self, lang: Lang, notes: dict[str, list[FieldNote]]) -> None:
        self.lang = lang
        self.notes = notes
        self.noted: set[str] = set()

    def scope(
        self,
        model: type[BaseModel],
        values: Mapping[str, Any],
        path: str = "",
        outer: Mapping[str, Any] = {},
    ) -> None:
        lang = self.lang
        scope = {**outer, **values}
        for spec in describe(model):
            if not is_relevant(spec, scope):
                continue
            field_path = f"{path}.{spec.name}" if path else spec.name
            noted = field_path in self.notes
            if noted:
                show_anchor(field_path)
            value = values.get(spec.name, spec.default)
            if spec.kind == "computed":
                value = computed_value(model, spec, values)
            if spec.kind == "repeat" and spec.model is not None:
                self.repeat(spec, value, field_path, scope)
            elif (
                spec.model is not None
                and spec.kind in ("section", "readonly")
                and isinstance(value, dict)
            ):
                st.markdown(f"**{escape_markdown(spec.label(lang))}**")
                self.show_notes(field_path)
                self.scope(spec.model, value, field_path)
            else:
                show_value(spec, value, lang)
                self.show_notes(field_path)

    def repeat(self, spec: FieldSpec, value: Any, path: str, scope: Mapping[str, Any]) -> None:
        assert spec.model is not None
        lang = self.lang
        st.markdown(f"**{escape_markdown(spec.label(lang))}**")
        self.show_notes(path)
        rows = value if isinstance(value, list) else []
        if not rows:
            st.markdown(escape_markdown(t("forms.readonly.empty", lang)))
        columns = table_columns(spec.model) if spec.layout == "table" else None
        if columns is not None and rows:
            st.table(
                [
                    {c.label(lang): _display(c, row.get(c.name), lang) for c in columns}
                    for row in rows
                    if isinstance(row, Mapping)
                ]
            )
            for row_path in [p for p in self.notes if p.startswith(f"{path}.")]:
                show_anchor(row_path)
                self.show_notes(row_path)
            return
        for index, row in enumerate(rows):
            row_path = f"{path}.{index}"
            with st.container(border=True):
                if row_path in self.notes:
                    show_anchor(row_path)
                st.markdown(f"**{t('forms.repeat.row', lang, n=index + 1)}**")
                self.show_notes(row_path)
                if isinstance(row, Mapping):
                    self.scope(spec.model, row, row_path, scope)

    def show_notes(self, path: str) -> None:
        for note in self.notes.get(path, ()):
            show_note(note, self.lang)
            self.noted.add(path)


def render_readonly(
    model: type[BaseModel],
    data: Mapping[str, Any],
    *,
    lang: Lang = "zh",
    notes: Mapping[str, Sequence[FieldNote]] | None = None,
) -> None:
    """Show ``data`` as a read-only view of ``model``: same order and grouping as the form.

    ``notes`` are drawn at their fields as in ``render_form``, each after its anchor.
    """
    view = _ReadonlyView(lang, place_notes(model, notes) if notes else {})
    top = st.container() if view.notes else None
    view.scope(model, data or {})
    if top is not None:
        with top:
            show_unplaced_notes(view.notes, view.noted, lang)


# -- notes at fields: a failed rule's message where the field is, and an anchor to it ------------


def show_anchor(path: str) -> None:
    """An empty HTML anchor with the field's id (``anchor_id``), for a report to link to."""
    st.markdown(f'<span id="{anchor_id(path)}"></span>', unsafe_allow_html=True)


def show_note(note: FieldNote, lang: Lang) -> None:
    """One note: errors and vetoes as an error box, warnings as a warning box, each with an
    icon and its severity so it is not taken for a validation error."""
    label = t(f"forms.note.{note.severity}", lang)
    text = f"**{label}**  \n{escape_markdown(note.message)}"
    if note.severity == "warning":
        st.warning(text, icon=":material/warning:")
    else:
        st.error(text, icon=":material/block:" if note.severity == "veto" else ":material/error:")


def show_unplaced_notes(notes: Mapping[str, list[FieldNote]], noted: set[str], lang: Lang) -> None:
    """Notes whose field was not drawn (a hidden field, the form as a whole), with anchors."""
    for path, items in notes.items():
        if path in noted:
            continue
        show_anchor(path)
        for note in items:
            show_note(note, lang)
