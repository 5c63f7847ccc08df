"""Notes at fields on screen: a failed rule's message where its field is, after an anchor.

Where each note goes is ``forms.notes``' business; this draws them (form and read-only view).
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from forms.markdown import escape_markdown
from forms.notes import FieldNote, anchor_id
from i18n import Lang, t


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
