"""AppTest script: a form (or its read-only view) with the notes in session_state["notes"]."""

import streamlit as st

from forms.notes import FieldNote
from forms.registry import default_registry
from forms.renderer import render_form, render_readonly

model = default_registry().get(st.session_state.get("form_type", "plan"))
data = st.session_state.get("data", {})
notes = {
    path: [FieldNote(message, severity, rule) for message, severity, rule in items]
    for path, items in st.session_state.get("notes", {}).items()
}
if st.session_state.get("readonly"):
    render_readonly(model, data, notes=notes)
else:
    render_form(model, data, key="notes", errors=st.session_state.get("errors"), notes=notes)
