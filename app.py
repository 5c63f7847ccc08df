"""Vanguard's entry point: ``streamlit run app.py``.

Streamlit finds the ``st.App`` below and serves it with uvicorn: the screens are the script
``router.py`` (sign-in, role, navigation over ``pages/``), and beside them the HTTP routes that
set and delete the session cookie (``pages/session_routes.py``), which a Streamlit script cannot
do itself. The store is chosen by ``VANGUARD_DB``.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from pages.session_routes import ROUTES

# Streamlit takes a ``pages/`` folder beside the main script for its old automatic multipage
# app, and runs a session's first script run through it until some script calls
# ``st.navigation``. Set here, as the server starts, the very first page load after start-up
# already runs router.py; set only in router.py it came too late for the first session, whose
# pasted URL (``/submissions``) met Streamlit's English "Page not found".
PagesManager.uses_pages_directory = False

app = st.App("router.py", routes=ROUTES)
