"""The HTTP routes that set and delete the session cookie, served beside Streamlit (``app.py``).

``GET /auth/session?code=…&next=/path`` swaps a one-time hand-off code (made at sign-in) for
the signed session token and stores it in an HttpOnly, SameSite=Strict cookie, then sends the
browser back to ``next`` (a path of this app only). ``GET /auth/sign-out`` ends the cookie's
session and deletes the cookie. The session rules themselves are in ``workflow/sessions.py``.
``GET /start`` (the start page's own URL) sends the browser to ``/``, where Streamlit serves its
default page: it reserves the default page's URL but does not open it.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from pages.browser import HANDOFF_PATH, SIGN_OUT_PATH
from pages.menu import SCREENS
from workflow.services import Services
from workflow.sessions import COOKIE


def _services() -> Services:
    from pages.common import services  # the app's one set of services per store

    return services()


def safe_next(value: str | None) -> str:
    """``value`` if it is a path of this app (``/submissions``), else ``/``: the hand-off
    never sends the browser to another site."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


async def hand_off(request: Request) -> RedirectResponse:
    """Set the session cookie for a valid hand-off code and go back to the screen."""
    code = request.query_params.get("code", "")
    signed = await run_in_threadpool(_services().sessions.redeem, code)
    response = RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    response.headers["Cache-Control"] = "no-store"
    if signed is not None:
        response.set_cookie(
            COOKIE,
            signed,
            max_age=_services().sessions.max_age_seconds(),
            path="/",
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )
    return response


async def sign_out(request: Request) -> RedirectResponse:
    """End the cookie's session (if it is still open) and delete the cookie."""
    sessions = _services().sessions
    found = await run_in_threadpool(sessions.resume, request.cookies.get(COOKIE))
    if found is not None:
        await run_in_threadpool(sessions.end_all, found[1])
    response = RedirectResponse("/", status_code=303)
    response.headers["Cache-Control"] = "no-store"
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return response


async def to_start(request: Request) -> RedirectResponse:
    """The start page's own URL, kept with its query, at the app's root."""
    query = request.url.query
    return RedirectResponse(f"/?{query}" if query else "/", status_code=307)


ROUTES = [
    Route(f"/{SCREENS['home'][0]}", to_start, methods=["GET"]),
    Route(HANDOFF_PATH, hand_off, methods=["GET"]),
    Route(SIGN_OUT_PATH, sign_out, methods=["GET"]),
]
