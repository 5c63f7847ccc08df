"""Vanguard's entry point: ``streamlit run app.py``.

Streamlit finds the ``st.App`` below and serves it with uvicorn: the screens are the script
``router.py`` (sign-in, role, navigation over ``pages/``), and beside them the HTTP routes that
set and delete the session cookie (``pages/session_routes.py``), which a Streamlit script cannot
do itself. The store is chosen by ``VANGUARD_DB``.
"""

from __future__ import annotations

import streamlit as st

from pages.session_routes import ROUTES

app = st.App("router.py", routes=ROUTES)
