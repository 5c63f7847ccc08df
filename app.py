"""Vanguard's router: first-run setup, login, then the screens of the user's role.

Run with ``streamlit run app.py``; the store is chosen by ``VANGUARD_DB``.

Streamlit treats a ``pages/`` folder beside the main script as the old automatic multipage
app and would run a screen's file directly, skipping this router. So the process is switched to
``st.navigation`` routing below, and every screen's URL differs from its file name, so a stale
automatic route can never match one of them.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from pages.common import current_user, guarded, needs_setup, show_flash, sidebar, tr
from workflow.models import Role

PagesManager.uses_pages_directory = False
st.set_page_config(page_title="先锋工程", page_icon="🚩", layout="wide")


def _page(file: str, url: str, icon: str, *, default: bool = False, area: str = "pages") -> st.Page:
    return st.Page(
        f"pages/{file}.py", title=tr(f"{area}.nav.{file}"), icon=icon, url_path=url, default=default
    )


def _pages_for(role: Role) -> dict[str, list[st.Page]]:
    mine = tr("pages.nav.group_mine")
    home = _page("home", "start", "🏠", default=True)
    if role is Role.BRANCH:
        return {
            mine: [
                home,
                _page("study_sessions", "study-sessions", "📖"),
                _page("plan", "branch-plan", "📝"),
                _page("fill", "forms", "🗂️"),
            ]
        }
    review = _page("review", "submissions", "✅")
    checks = _page("review_checks", "rule-checks", "🧪", area="rules")
    if role is Role.REVIEWER:
        return {
            mine: [home],
            tr("pages.nav.group_review"): [
                review,
                checks,
                _page("spot_check", "spot-check", "🎲"),
            ],
        }
    if role is Role.ADMIN:
        return {
            mine: [home, review, checks],
            tr("pages.nav.group_admin"): [
                _page("admin_campaigns", "campaigns", "📅"),
                _page("admin_branches", "branches", "🏛️"),
                _page("admin_users", "accounts", "👤"),
                _page("audit", "audit-log", "🔎"),
                _page("admin_rules", "rule-sets", "📐", area="rules"),
            ],
        }
    return {mine: [home, review, _page("spot_check", "spot-check", "🎲")]}


def main() -> None:
    with guarded():
        pages: list[st.Page] | dict[str, list[st.Page]]
        if needs_setup():
            pages = [_page("setup", "first-run", "🛠️", default=True)]
        elif (user := current_user(refresh=True)) is None:
            pages = [_page("login", "sign-in", "🔑", default=True)]
        else:
            pages = _pages_for(user.role)
        navigation = st.navigation(pages)
        sidebar()
        show_flash()
        navigation.run()


main()
