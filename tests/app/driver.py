"""Small steps every app test takes: log in, open a page, find a button by its label."""

from __future__ import annotations

from typing import Any

from streamlit.testing.v1 import AppTest

from i18n import t


def no_traceback(at: AppTest) -> None:
    """The page rendered without an uncaught exception (nothing like a traceback shown)."""
    assert not at.exception, [e.value for e in at.exception]


def login(at: AppTest, name: str, password: str) -> AppTest:
    """Log in through the login form; the app is left on the home page."""
    at.run()
    at.text_input(key="login_name").input(name)
    at.text_input(key="login_password").input(password)
    labels = {t("pages.login.submit"), t("pages.login.submit", "en")}
    next(b for b in at.button if b.label in labels).click()
    at.run()
    no_traceback(at)
    return at


def button(at: AppTest, label: str) -> Any:
    """The one button (form submit buttons included) whose label is ``label``."""
    found = [b for b in at.button if b.label == label]
    assert found, f"no button {label!r} among {[b.label for b in at.button]}"
    return found[0]


def confirm(at: AppTest, label: str) -> AppTest:
    """Click the weighty button ``label`` (approve, return, restore …), then 确认 in the
    dialog it opens; the dialog must say what will happen."""
    button(at, label).click()
    at.run()
    no_traceback(at)
    assert t("pages.confirm.undo") in texts(at), "the dialog says how to undo"
    button(at, t("pages.confirm.yes", action=label)).click()
    at.run()
    no_traceback(at)
    return at


def open_page(at: AppTest, path: str) -> AppTest:
    """Switch to ``pages/<path>`` and run it."""
    at.switch_page(path)
    at.run()
    no_traceback(at)
    return at


def texts(at: AppTest) -> str:
    """Everything the page shows as text: markdown, titles, messages, captions."""
    parts: list[str] = []
    for kind in (
        "markdown",
        "title",
        "subheader",
        "header",
        "caption",
        "error",
        "warning",
        "info",
        "success",
        "code",
    ):
        parts.extend(str(e.value) for e in getattr(at, kind))
    return "\n".join(parts)
