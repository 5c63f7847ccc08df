"""What the screens ask of the browser itself: the session cookie, the page's path, and a full
page load to the sign-in hand-off.

Streamlit's script cannot set a cookie (``st.context.cookies`` is read-only); the cookie is set
by the HTTP routes of ``pages/session_routes.py``. The browser is sent there with the same
message ``st.login`` and ``st.logout`` use to leave the app for their routes, so no JavaScript
of ours runs in the page.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode, urlsplit

import streamlit as st
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.scriptrunner import get_script_run_ctx

from workflow.sessions import COOKIE

HANDOFF_PATH = "/auth/session"
SIGN_OUT_PATH = "/auth/sign-out"
PENDING_KEY = "vg_page_load"  # a page load asked for, sent at the start of the next run


def session_cookie() -> str | None:
    """The signed session cookie this browser sent when the page was opened, if any."""
    value = st.context.cookies.get(COOKIE)
    return value or None


def current_path() -> str:
    """The path of the screen the browser shows (``/submissions``), ``/`` when unknown."""
    url = st.context.url
    path = urlsplit(url).path if url else ""
    return path or "/"


def current_location() -> str:
    """The path of the screen the browser shows with its query (``/vanguard-column?report=…``):
    where a pasted link with parameters (a share link, a reviewer's ``?open=`` row) leads."""
    query = urlencode(st.query_params.to_dict())
    return f"{current_path()}?{query}" if query else current_path()


def hand_off(code: str) -> None:
    """Load ``/auth/session`` (at the next run), which turns ``code`` into the session cookie
    and comes back to the screen shown now, with its query."""
    _load(f"{HANDOFF_PATH}?code={quote(code)}&next={quote(current_location())}")


def forget_cookie() -> None:
    """Load ``/auth/sign-out`` (at the next run), which deletes the session cookie and opens
    the sign-in screen."""
    _load(SIGN_OUT_PATH)


def send_pending() -> None:
    """Send the page load ``hand_off`` or ``forget_cookie`` asked for (router.py, at the
    start of every run).

    Signing in and out rerun the script at once, and Streamlit clears the messages not yet
    sent to the browser when a rerun starts: a page load sent in the run that asked for it
    could be dropped (as a toast before ``st.rerun`` was, streamlit#7740), leaving the browser
    without its cookie, or with the old one. Sent at the start of the next run, it goes out
    with that run.
    """
    url = st.session_state.pop(PENDING_KEY, None)
    ctx = get_script_run_ctx()
    if not isinstance(url, str) or not url or ctx is None:
        return
    message = ForwardMsg()
    message.auth_redirect.url = url
    ctx.enqueue(message)


def _load(url: str) -> None:
    """Ask for a page load of ``url``; the caller reruns (``send_pending`` sends it)."""
    st.session_state[PENDING_KEY] = url
