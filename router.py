"""Vanguard's router: first-run setup, sign-in, then the screens of the user's role.

``app.py`` serves this script (``streamlit run app.py``); the store is chosen by
``VANGUARD_DB``. The menus per role are in ``pages/menu.py``: every screen's URL is known to
every user, so a pasted URL opens the screen, asks a signed-out user to sign in first, and tells
a user whose role may not see it so in words instead of Streamlit's "Page not found".

Streamlit treats a ``pages/`` folder beside the main script as its old automatic multipage app
and would run a screen's file directly, skipping this router: the process is switched to
``st.navigation`` routing as the server starts (``app.py``) and again here (for AppTest, which
runs this script alone), and screen URLs differ from file names (``pages/menu.py``).
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from pages import browser, session_state_lookup
from pages.common import current_user, guarded, needs_setup, show_flash, sidebar
from pages.menu import menu_for, screen, signed_out_pages

PagesManager.uses_pages_directory = False
session_state_lookup.install()  # each widget looks its key up alone (the editor's 150 widgets)
st.set_page_config(page_title="先锋工程", page_icon=":material/flag:", layout="wide")


def main() -> None:
    browser.send_pending()  # the page load signing in or out asked for, before anything reruns
    with guarded():
        pages: list[st.Page] | dict[str, list[st.Page]]
        if needs_setup():
            pages = [screen("setup", default=True)]
        elif (user := current_user(refresh=True)) is None:
            pages = signed_out_pages()
        else:
            pages = menu_for(user.role)
        navigation = st.navigation(pages, expanded=True)  # every screen shown, no "View more"
        sidebar()
        show_flash()
        navigation.run()


main()
