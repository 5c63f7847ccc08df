"""AppTest script: renders the form type in session_state["form_type"] and echoes its values."""

import json

import streamlit as st

from forms.registry import default_registry
from forms.renderer import render_form
from forms.validation import validate

form_type = st.session_state.get("form_type", "plan")
lang = st.session_state.get("lang", "zh")
model = default_registry().get(form_type)
data = st.session_state.get("data", {})
if st.session_state.get("hide"):  # another page: the form's widgets are not drawn
    st.stop()
errors = st.session_state.get("errors")
choices = st.session_state.get("choices")  # the lists fields with choices= pick from
state = render_form(model, data, key=f"test:{form_type}", lang=lang, errors=errors, choices=choices)
st.session_state["values"] = dict(state)
st.session_state["uploads"] = list(state.uploads)
if st.button("check", key="check"):
    st.session_state["errors"] = validate(model, state, lang)[1]
    st.rerun()
st.code(json.dumps(state, ensure_ascii=False), language="json")
