"""A form's data shown read-only: same order and grouping as the form, notes at their fields."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st
from pydantic import BaseModel, ValidationError

from forms.conversion import display_text
from forms.expressions import is_relevant
from forms.headings import group_heading
from forms.markdown import escape_markdown
from forms.notes import FieldNote, place_notes
from forms.notes_view import show_anchor, show_note, show_unplaced_notes
from forms.specs import FieldSpec, describe
from forms.tables import table_columns
from forms.validation import prepare
from i18n import Lang, t


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


def computed_value(model: type[BaseModel], spec: FieldSpec, values: Mapping[str, Any]) -> Any:
    """The value of a computed property of ``model`` given ``values``; None while they do not
    validate (a half-filled form)."""
    try:
        return getattr(model.model_validate(prepare(model, values)), spec.name)
    except (ValidationError, ValueError, TypeError, ArithmeticError):
        return None


def show_value(spec: FieldSpec, value: Any, lang: Lang) -> None:
    """A field's label and value as read-only text (nested groups as sections)."""
    if spec.model is not None and spec.kind in ("section", "readonly") and isinstance(value, dict):
        st.markdown(f"**{escape_markdown(spec.label(lang))}**")
        _ReadonlyView(lang, {}).scope(spec.model, value)
        return
    label = escape_markdown(spec.label(lang))
    st.markdown(f"**{label}**  \n{escape_markdown(display_text(spec, value, lang))}")


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
                group_heading(escape_markdown(spec.label(lang)), field_path, readonly=True)
                self.show_notes(field_path)
                self.scope(spec.model, value, field_path)
            else:
                show_value(spec, value, lang)
                self.show_notes(field_path)

    def repeat(self, spec: FieldSpec, value: Any, path: str, scope: Mapping[str, Any]) -> None:
        assert spec.model is not None
        lang = self.lang
        group_heading(escape_markdown(spec.label(lang)), path, readonly=True)
        self.show_notes(path)
        rows = value if isinstance(value, list) else []
        if not rows:
            st.markdown(escape_markdown(t("forms.readonly.empty", lang)))
        # Read-only, a group whose rows fit one grid line reads as a table, like the Word
        # templates staff know (内容 | 措施 | 责任人 | 时限), whatever layout its form uses;
        # a card layout keeps its cards while a note points into a row, so it shows in place.
        in_rows = any(p.startswith(f"{path}.") for p in self.notes)
        columns = table_columns(spec.model) if spec.layout == "table" or not in_rows else None
        if columns is not None and rows:
            st.table(
                [
                    {c.label(lang): display_text(c, row.get(c.name), lang) for c in columns}
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
