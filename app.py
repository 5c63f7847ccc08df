"""Vanguard's router: first-run setup, login, then the screens of the user's role.

Run with ``streamlit run app.py``; the store is chosen by ``VANGUARD_DB``.
"""

from __future__ import annotations

import streamlit as st

from pages.common import current_user, guarded, needs_setup, show_flash, sidebar, tr
from workflow.models import Role

st.set_page_config(page_title="先锋工程", page_icon="🚩", layout="wide")


def _page(path: str, key: str, icon: str, *, default: bool = False) -> st.Page:
    return st.Page(path, title=tr(key), icon=icon, default=default)


def _pages_for(role: Role) -> dict[str, list[st.Page]]:
    home = _page("pages/home.py", "pages.nav.home", "🏠", default=True)
    mine = tr("pages.nav.group_mine")
    if role is Role.BRANCH:
        return {
            mine: [
                home,
                _page("pages/study_sessions.py", "pages.nav.study_sessions", "📖"),
                _page("pages/plan.py", "pages.nav.plan", "📝"),
                _page("pages/fill.py", "pages.nav.fill", "🗂️"),
            ]
        }
    review = [
        _page("pages/review.py", "pages.nav.review", "✅"),
        _page("pages/spot_check.py", "pages.nav.spot_check", "🎲"),
    ]
    if role is Role.REVIEWER:
        return {mine: [home], tr("pages.nav.group_review"): review}
    if role is Role.ADMIN:
        return {
            mine: [home, _page("pages/review.py", "pages.nav.submissions", "📂")],
            tr("pages.nav.group_admin"): [
                _page("pages/admin_campaigns.py", "pages.nav.campaigns", "📅"),
                _page("pages/admin_branches.py", "pages.nav.branches", "🏛️"),
                _page("pages/admin_users.py", "pages.nav.users", "👤"),
                _page("pages/audit.py", "pages.nav.audit", "🔎"),
            ],
        }
    return {mine: [home, _page("pages/review.py", "pages.nav.submissions", "📂")]}


def main() -> None:
    with guarded():
        if needs_setup():
            pages: list[st.Page] | dict[str, list[st.Page]] = [
                _page("pages/setup.py", "pages.nav.setup", "🛠️", default=True)
            ]
        elif (user := current_user(refresh=True)) is None:
            pages = [_page("pages/login.py", "pages.nav.login", "🔑", default=True)]
        else:
            pages = _pages_for(user.role)
        navigation = st.navigation(pages)
        sidebar()
        show_flash()
        navigation.run()


main()
