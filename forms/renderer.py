"""Any form model as Streamlit widgets, and back: the one entry the pages draw forms through.

``render_form(model, data, key=...)`` walks the model's ``FieldSpec``s (no per-form code), shows
one widget per field pre-filled from ``data``, places each error from ``errors`` under its field
(rows of repeat groups included; form-level errors at the top) and each ``FieldNote`` of ``notes``
(a failed rule's message, ``forms.notes``) there too, after a light HTML anchor (``anchor_id``) a
report can link to, and returns a ``FormState``: the current raw values as a JSON-able dict in
the model's shape (dates as ISO strings), plus ``uploads``, the files picked in this run for the
caller to store (``PendingUpload``). ``render_readonly`` shows data the same way, read-only.

No lost work: every widget value is also kept in ``st.session_state["vanguard.form:<key>"]``,
which Streamlit does not clear when a widget is not drawn (a hidden conditional field, another
page). Widgets are seeded from that store first and from ``data`` only the first time, so a
rerun, a validation error or a page switch keeps what was typed. Use a key per record (e.g.
``f"plan:{submission_id}"``) and call ``clear_form(key)`` after a save that should reload.
Each widget is drawn with its seed as its default (``forms.widgets`` says why), so a browser
that mounts it from a later run than the one that seeded it still shows the value.

Render outside ``st.form`` when the model has conditional fields or repeat groups: they need
live reruns (a model of plain fields may be drawn inside one).

The parts live beside this module, one job each: ``widgets`` (scalar widgets), ``tables`` and
``repeat_groups`` (repeat groups), ``uploads`` (attachments), ``readonly_view``, ``notes_view``;
``conversion``, ``field_hints`` and ``markdown`` need no Streamlit.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, MutableMapping, Sequence
from dataclasses import replace
from typing import Any

import streamlit as st
from pydantic import BaseModel

from forms.binding import bound_to
from forms.conversion import from_widget, to_widget
from forms.expressions import calculate, is_relevant
from forms.field_hints import help_text, label
from forms.headings import group_heading
from forms.markdown import escape_markdown
from forms.notes import FieldNote, place_notes
from forms.notes_view import show_anchor, show_note, show_unplaced_notes
from forms.readonly_view import computed_value, render_readonly, show_value
from forms.repeat_groups import draw_cards
from forms.specs import FieldSpec, describe
from forms.tables import draw_table, table_columns
from forms.uploads import PendingUpload, draw_files
from forms.validation import prepare
from forms.widgets import Widget, draw_widget
from i18n import Lang, t

__all__ = [
    "FormState",
    "PendingUpload",
    "clear_form",
    "escape_markdown",
    "render_form",
    "render_readonly",
    "show_value",
]

_STORE_PREFIX = "vanguard.form:"


def _new_store(*, reseed: bool) -> dict[str, Any]:
    """A form's own store: typed values by widget key, row ids of repeat groups, the last
    values; ``reseed`` asks the next render to send its seeds to widgets already shown."""
    return {"values": {}, "rows": {}, "counter": 0, "last": None, "reseed": reseed}


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
        # Widgets still on screen keep their old values unless told the new ones.
        st.session_state[store_key] = _new_store(reseed=True)


def render_form(
    model: type[BaseModel],
    data: Mapping[str, Any] | None,
    *,
    key: str,
    lang: Lang = "zh",
    errors: Mapping[str, str] | None = None,
    notes: Mapping[str, Sequence[FieldNote]] | None = None,
    disabled: bool = False,
    aside: Collection[str] = (),
    role: str | None = None,
    only: Collection[str] | None = None,
    choices: Mapping[str, Sequence[str]] | None = None,
) -> FormState:
    """Draw the widgets of ``model`` and return the current values (see module docstring).

    ``notes`` maps field paths to remarks drawn at those fields (see ``forms.notes``).
    ``aside`` names top-level fields the caller shows elsewhere (beside the form): they are
    not drawn here and their values in ``data`` are returned unchanged; ``only`` draws just
    the named top-level fields, the others likewise returned unchanged. A field reserved to a
    role (``field(..., role=...)``) is typed only when ``role`` is that role, else shown
    read-only with its value in ``data``. ``choices`` holds the server-kept lists fields
    declared with ``choices=`` pick from (``{"branches": [...]}``).
    """
    store_key = _STORE_PREFIX + key
    store = st.session_state.get(store_key)
    if not isinstance(store, dict):
        store = _new_store(reseed=False)
        st.session_state[store_key] = store
    run = FormRun(store, lang, dict(errors or {}), disabled)
    run.aside = frozenset(aside)
    run.only = None if only is None else frozenset(only)
    run.role = role
    run.choices = dict(choices or {})
    run.notes = place_notes(model, notes) if notes else {}
    top = st.container()
    source = dict(data or {})
    previous = store["last"] if isinstance(store["last"], dict) else source
    values = run.scope(model, source, path="", prefix=f"{store_key}|", previous=previous)
    store["last"] = values
    store["reseed"] = False
    unplaced = [msg for path, msg in run.errors.items() if path not in run.placed]
    with top:
        for message in dict.fromkeys(unplaced):
            st.error(escape_markdown(message))
        show_unplaced_notes(run.notes, run.noted, lang)
    return FormState(values, run.uploads)


class FormRun:
    """One run of ``render_form``: walks the specs, draws widgets, collects values.

    The group drawers (``tables``, ``repeat_groups``, ``uploads``) work on it: its store,
    its errors and notes, and ``scope`` for the fields of a row.
    """

    def __init__(
        self,
        store: MutableMapping[str, Any],
        lang: Lang,
        errors: dict[str, str],
        disabled: bool,
    ) -> None:
        self.store = store
        self.lang = lang
        self.errors = errors
        self.disabled = disabled
        self.placed: set[str] = set()
        self.notes: dict[str, list[FieldNote]] = {}
        self.noted: set[str] = set()
        self.uploads: list[PendingUpload] = []
        self.aside: frozenset[str] = frozenset()
        self.only: frozenset[str] | None = None
        self.role: str | None = None
        self.choices: dict[str, Sequence[str]] = {}

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
            if field_path in self.aside or (
                not path and self.only is not None and spec.name not in self.only
            ):
                if spec.name in source:
                    values[spec.name] = source[spec.name]
                continue
            context = {**outer, **previous, **values}
            if not is_relevant(spec, context):
                continue
            if spec.kind == "computed":
                show_value(spec, computed_value(model, spec, {**source, **values}), self.lang)
                continue
            if spec.calculate:
                value = calculate(spec, {**outer, **prepare(model, {**source, **values})})
                show_value(spec, value, self.lang)
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
            group_heading(escape_markdown(spec.label(self.lang)), path)
            self.help_caption(spec)
            self.show_error(path)
            source = raw if isinstance(raw, Mapping) else {}
            return self.scope(
                spec.model, source, path=path, prefix=f"{wkey}.", previous=source, outer=context
            )
        if spec.kind == "repeat" and spec.model is not None:
            if spec.layout == "table" and table_columns(spec.model) is not None:
                return draw_table(self, spec, raw, path, wkey)
            return draw_cards(self, spec, raw, path, wkey, context)
        if spec.kind == "file":
            value = draw_files(self, spec, raw, path, wkey)
        elif spec.kind == "readonly" or not spec.writable_by(self.role):
            show_value(spec, raw, self.lang)
            value = raw
        elif path == spec.name and bound_to(spec) is not None:
            value = self.bound(spec, raw, wkey)
        else:
            value = self.widget(spec, raw, wkey)
        self.show_error(path)
        return value

    def widget(self, spec: FieldSpec, raw: Any, wkey: str) -> Any:
        """Draw a scalar widget seeded from the form's store (else ``raw``); its value."""
        if spec.choices is not None:
            spec = self.with_choices(spec, raw, st.session_state.get(wkey))
        asserted = False
        if wkey in st.session_state:
            current = st.session_state[wkey]
        else:
            kept = self.store["values"]
            current = kept[wkey] if wkey in kept else to_widget(spec, raw)
            if self.store.get("reseed"):  # after clear_form the browser still shows old values
                st.session_state[wkey] = current
                asserted = True
        result = draw_widget(
            Widget(
                spec=spec,
                label=label(spec, self.lang),
                key=wkey,
                help=escape_markdown(help_text(spec, self.lang) or "") or None,
                current=current,
                lang=self.lang,
                disabled=self.disabled,
                asserted=asserted,
            )
        )
        self.store["values"][wkey] = result
        return from_widget(spec, result)

    def with_choices(self, spec: FieldSpec, *held: Any) -> FieldSpec:
        """``spec`` offering its server-kept list, plus the values already picked (a branch
        renamed since stays shown, for the workflow to refuse on submit)."""
        picked = [v for value in held if isinstance(value, list) for v in value]
        offered = [*self.choices.get(str(spec.choices), ()), *picked]
        return replace(spec, options=tuple(dict.fromkeys(str(v) for v in offered)))

    def bound(self, spec: FieldSpec, raw: Any, wkey: str) -> Any:
        """A field the server sets (``forms.binding``): shown in a disabled input, its value
        always the one in ``data`` (never a stale widget value), returned unchanged."""
        shown = to_widget(spec, raw)
        st.session_state[wkey] = shown
        source = bound_to(spec)
        st.text_input(
            label(spec, self.lang),
            key=wkey,
            help=t(f"forms.bound.{source}.help", self.lang),
            placeholder=t(f"forms.bound.{source}.placeholder", self.lang),
            disabled=True,
        )
        return from_widget(spec, shown)

    def help_caption(self, spec: FieldSpec) -> None:
        """A group's help text under its heading."""
        if spec.help(self.lang):
            st.caption(escape_markdown(spec.help(self.lang)))

    def show_error(self, path: str) -> None:
        """The error and notes of the field at ``path``, where the caller is drawing."""
        message = self.errors.get(path)
        if message:  # may quote a reviewer's reason: shown as typed
            st.error(escape_markdown(message))
            self.placed.add(path)
        if path in self.notes:
            for note in self.notes[path]:
                show_note(note, self.lang)
            self.noted.add(path)
