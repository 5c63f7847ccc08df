"""AppTest script: ``pages.report_view.show_report`` of the report in session_state["report"]."""

import streamlit as st

from forms.registry import default_registry
from pages.report_view import show_report

show_report(st.session_state["report"], default_registry().get("plan"))
