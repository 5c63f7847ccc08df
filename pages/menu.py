"""Which screens each role sees, under which menu group, at which URL and with which icon.

Every screen's URL differs from its file name: Streamlit's automatic ``pages/`` routes use the
file names, so a stale automatic route can never shadow one of these (see ``router.py``).
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from pages.common import tr
from workflow.models import Role

# screen file → (URL, Material icon, message area of its menu title "<area>.nav.<file>")
SCREENS = {
    "home": ("start", "home", "pages"),
    "study_sessions": ("study-sessions", "menu_book", "pages"),
    "plan": ("branch-plan", "edit_note", "pages"),
    "fill": ("forms", "folder_open", "pages"),
    "review": ("submissions", "fact_check", "pages"),
    "review_checks": ("rule-checks", "rule", "rules"),
    "spot_check": ("spot-check", "casino", "pages"),
    "awards": ("awards", "military_tech", "pages"),
    "dashboard": ("dashboard", "monitoring", "pages"),
    "admin_campaigns": ("campaigns", "event", "pages"),
    "admin_branches": ("branches", "account_balance", "pages"),
    "admin_users": ("accounts", "group", "pages"),
    "audit": ("audit-log", "history", "pages"),
    "admin_rules": ("rule-sets", "gavel", "rules"),
    "admin_forms": ("form-definitions", "dynamic_form", "admin_forms"),
    "admin_form_builder": ("form-builder", "design_services", "builder"),
    "admin_rule_builder": ("rule-builder", "rule_settings", "builder"),
    "demo_apply": ("demo-site-application", "workspace_premium", "demo_sites"),
    "demo_ranking": ("demo-site-approval", "leaderboard", "demo_sites"),
    "funding": ("funding-ledger", "account_balance_wallet", "demo_sites"),
    "admin_funding": ("funds", "savings", "demo_sites"),
    "demo_site": ("demo-sites", "hub", "demo_sites"),
    "theme_activities": ("theme-activities", "diversity_3", "activities"),
    "innovation": ("innovation-activities", "lightbulb", "activities"),
    "news_reports": ("news-reports", "newspaper", "news"),
    "news_desk": ("news-desk", "edit_document", "news"),
    "news_column": ("vanguard-column", "campaign", "news"),
    "bulletins": ("bulletin-archive", "library_books", "news"),
    "bulletin_editor": ("bulletin-editor", "edit_square", "news"),
    "account": ("my-account", "manage_accounts", "pages"),
    "dossiers": ("dossiers", "picture_as_pdf", "dossiers"),
    "setup": ("first-run", "build", "pages"),
    "login": ("sign-in", "login", "pages"),
}
# role → menu group (pages.nav.<group>) → screens; "home" is every role's start page
MENUS: dict[Role, dict[str, list[str]]] = {
    Role.BRANCH: {
        "group_mine": [
            "home",
            "study_sessions",
            "plan",
            "fill",
            "demo_apply",
            "demo_site",
            "theme_activities",
            "innovation",
            "awards",
            "news_reports",
            "account",
        ]
    },
    Role.REVIEWER: {
        "group_mine": ["home", "account"],
        "group_review": [
            "review",
            "review_checks",
            "spot_check",
            "demo_ranking",
            "funding",
            "demo_site",
            "theme_activities",
            "innovation",
            "awards",
            "dossiers",
            "dashboard",
            "news_desk",
        ],
    },
    Role.ADMIN: {
        "group_mine": [
            "home",
            "review",
            "review_checks",
            "demo_site",
            "theme_activities",
            "innovation",
            "awards",
            "dossiers",
            "dashboard",
            "news_desk",  # admins publish forwarded reports (permissions.may_publish_news)
            "account",
        ],
        "group_admin": [
            "admin_campaigns",
            "admin_branches",
            "admin_users",
            "audit",
            "admin_rules",
            "admin_forms",
            "admin_form_builder",
            "admin_rule_builder",
            "admin_funding",
            "bulletin_editor",
        ],
    },
    Role.READER: {
        "group_mine": [
            "home",
            "review",
            "spot_check",
            "demo_site",
            "theme_activities",
            "innovation",
            "awards",
            "dashboard",
            "account",
        ]
    },
}
# every role reads the column and the bulletins (S9, S10)
for _menu in MENUS.values():
    _menu["group_column"] = ["news_column", "bulletins"]


def screen(file: str, *, default: bool = False) -> st.Page:
    """The ``st.Page`` of ``pages/<file>.py`` with its title in the user's language."""
    url, icon, area = SCREENS[file]
    return st.Page(
        f"pages/{file}.py",
        title=tr(f"{area}.nav.{file}"),
        icon=f":material/{icon}:",
        url_path=url,
        default=default,
    )


# screens reached without signing in; every other screen's URL is known to every user
OPEN_SCREENS = ("setup", "login")


def menu_for(role: Role) -> dict[str, list[st.Page]]:
    """The navigation of ``role``: menu group title → its screens, then (hidden) every other
    screen's URL, which says in words that this role may not open it."""
    menu = {
        tr(f"pages.nav.{group}"): [screen(f, default=f == "home") for f in files]
        for group, files in MENUS[role].items()
    }
    mine = {f for files in MENUS[role].values() for f in files}
    others = [f for f in SCREENS if f not in mine and f not in OPEN_SCREENS]
    first = next(iter(menu.values()))
    first.extend(_hidden(f, refuse_role) for f in others)
    return menu


def signed_out_pages() -> list[st.Page]:
    """Before sign-in: the sign-in screen, also at every other screen's URL, so a pasted URL
    asks for the password and then opens that screen."""
    login = screen("login", default=True)
    others = [f for f in SCREENS if f not in OPEN_SCREENS]
    return [login, *(_hidden(f, "pages/login.py") for f in others)]


def refuse_role() -> None:
    """What a screen's URL shows to a role that may not open it."""
    st.error(tr("pages.error.no_access"))


def _hidden(file: str, page: str | Callable[[], None]) -> st.Page:
    url, icon, area = SCREENS[file]
    return st.Page(
        page,
        title=tr(f"{area}.nav.{file}"),
        icon=f":material/{icon}:",
        url_path=url,
        visibility="hidden",
    )
