"""What every screen shares: the services, the signed-in user, the language, messages and errors.

Screens never see a traceback: ``guarded`` turns the project's errors (``core.errors.
VanguardError``: domain, storage, rules) into an ``st.error`` in the user's language (validation
errors also go to the fields) and anything unexpected into a generic message, logging the
traceback on the server.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Literal, TypeVar

import streamlit as st

from core.errors import VanguardError
from forms.renderer import escape_markdown
from i18n import Lang, t
from pages import browser
from storage.factory import open_repository, storage_url
from workflow.errors import DomainError, ValidationFailed
from workflow.models import Campaign, Record, Role, User
from workflow.services import Services, build_services

log = logging.getLogger("vanguard.pages")

T = TypeVar("T")
R = TypeVar("R", bound=Record)
NEW_RECORD = "__new__"

USER_KEY = "vg_user_id"
USER_OBJ_KEY = "vg_user"
LANG_KEY = "vg_lang"
FLASH_KEY = "vg_flash"
DEMO_KEY = "vg_demo_passwords"
SESSION_KEY = "vg_session_id"
COOKIE_TRIED_KEY = "vg_cookie_tried"
ERRORS_PREFIX = "vg_errors:"
FlashKind = Literal["success", "info", "warning", "error"]


@st.cache_resource(show_spinner=False)
def _services_for(url: str) -> Services:
    built = build_services(open_repository(url))
    _announce_setup_token(built)
    # The store just loaded is most of this process's objects and lives as long as it does.
    # Frozen, those objects are no longer walked by Python's full garbage collections (with
    # ten years of records: ~0.5 s each), which Streamlit would also run after every click
    # (off in .streamlit/config.toml). Frozen objects are still freed by reference counting
    # when the store replaces them.
    gc.freeze()
    return built


def _announce_setup_token(built: Services) -> None:
    """Print the first-run setup token on the server's console (once per process, like
    Jupyter's): only whoever runs the server can read it, so only they can open setup."""
    token = built.setup.token()
    if token is None:
        return
    port = st.get_option("server.port")
    print(
        "\n先锋工程尚未设置。请用下面的链接创建第一个管理员(设置口令只能用一次):\n"
        f"    http://localhost:{port}/?token={token}\n"
        "也可以在服务器上运行 python -m storage setup-token 再次查看口令。\n",
        flush=True,
    )


def services() -> Services:
    """The workflow services over the store ``VANGUARD_DB`` names (one per process and URL)."""
    return _services_for(storage_url())


# --- the signed-in user ------------------------------------------------------------------


def current_user(*, refresh: bool = False) -> User | None:
    """The signed-in user; ``refresh`` (router.py, once per run) checks the session in the store.

    A new browser session (reload, new tab, pasted URL) is signed in from the session cookie.
    A session that was signed out elsewhere, idle too long, or whose account was disabled or
    removed meanwhile signs the user out here.
    An account whose password, role or branch changed is signed out too (its sessions end in
    the store, ``AccountService.acting`` says why), except in the session that changed it.
    """
    if refresh and not st.session_state.get(USER_KEY):
        _resume_from_cookie()
    user_id = st.session_state.get(USER_KEY)
    if not user_id:
        return None
    cached = st.session_state.get(USER_OBJ_KEY)
    if not isinstance(cached, User):
        _forget_user()
        return None
    if refresh:
        ended: DomainError | None = None
        try:
            services().accounts.acting(cached)
        except DomainError as exc:  # removed, disabled or changed meanwhile
            ended = exc
        # A change of access or password ends the account's sessions in the store but the
        # one that made it: another tab of that browser shares it and stays signed in.
        fresh = services().sessions.check(st.session_state.get(SESSION_KEY))
        if fresh is None or fresh.login != user_id:
            _forget_user()
            if ended is not None:
                flash(str(ended), "warning")
            else:
                flash(tr("pages.login.ended"), "info")
            return None
        st.session_state[USER_OBJ_KEY] = fresh
        return fresh
    return cached


def _resume_from_cookie() -> None:
    cookie = browser.session_cookie()
    if cookie is None or st.session_state.get(COOKIE_TRIED_KEY) == cookie:
        return
    st.session_state[COOKIE_TRIED_KEY] = cookie  # a refused cookie is looked up once
    resumed = services().sessions.resume(cookie)
    if resumed is None:
        flash(tr("pages.login.ended"), "info")
        return
    session_id, user = resumed
    _remember(user, session_id)


def _remember(user: User, session_id: str) -> None:
    st.session_state[USER_KEY] = user.id
    st.session_state[USER_OBJ_KEY] = user.model_copy(update={"password_hash": ""})
    st.session_state[LANG_KEY] = user.lang
    st.session_state[SESSION_KEY] = session_id


def sign_in(user: User) -> None:
    """Sign ``user`` in: a session in the store, and its cookie through a page load, so a
    reload or a new tab of this browser stays signed in."""
    begun = services().sessions.begin(user)
    _remember(user, begun.session_id)
    browser.hand_off(begun.handoff_code)


def sign_out() -> None:
    """Sign out everywhere (every session of this user ends) and forget what this browser
    session held; the cookie is deleted by a page load."""
    user = current_user()
    if user is not None:
        services().sessions.end_all(user)
    _forget_user()
    browser.forget_cookie()


def _forget_user() -> None:
    """Forget the signed-in user and everything typed in this session (drafts are stored)."""
    keep = {
        k: st.session_state[k]
        for k in (LANG_KEY, DEMO_KEY, COOKIE_TRIED_KEY, FLASH_KEY)
        if k in st.session_state
    }
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state.update(keep)


def pick_record(
    label: str, records: list[R], *, name: Callable[[R], str], new_label: str, key: str
) -> R | None:
    """A select box over "new" and ``records``: the chosen record, or None for a new one."""
    by_id = {r.id: r for r in records}
    picked = st.selectbox(
        label,
        [NEW_RECORD, *by_id],
        format_func=lambda i: new_label if i == NEW_RECORD else name(by_id[i]),
        key=key,
    )
    return by_id.get(picked)


def require_role(*roles: Role) -> User:
    """The signed-in user if their role is one of ``roles``; otherwise say so and stop the page.

    Hiding the page is the router's job and refusing the action the workflow's; this keeps a
    page from even rendering for the wrong role.
    """
    user = current_user()
    if user is None or user.role not in roles:
        st.error(tr("pages.error.no_access"))
        st.stop()
        raise AssertionError("unreachable")  # st.stop raises; this keeps mypy's narrowing
    return user


# --- language ----------------------------------------------------------------------------


def lang() -> Lang:
    """The interface language: the user's saved choice, else this session's, else Chinese."""
    user = current_user()
    if user is not None:
        return user.lang
    value = st.session_state.get(LANG_KEY, "zh")
    return "en" if value == "en" else "zh"


def tr(key: str, **values: Any) -> str:
    """The message ``key`` of ``i18n/<lang>/*.yaml`` in the user's language."""
    return t(key, lang(), **values)


def status_label(status: str) -> str:
    """A submission status in words (草稿, 待审核 …)."""
    return tr(f"status.{status}")


def role_label(role: str) -> str:
    """A role in words (支部, 审核员 …)."""
    return tr(f"role.{role}")


def stage_label(stage: str) -> str:
    """A campaign stage in words (启动阶段 …)."""
    return tr(f"stage.{stage}")


def form_title(form_type: str) -> str:
    """The title of a form type of this store in the user's language."""
    return services().forms.form_type(form_type).title(lang())


def current_campaign() -> Campaign | None:
    """The campaign everyone works on now (the latest year)."""
    return services().campaigns.current()


def require_campaign() -> Campaign:
    """The current campaign; without one, say there is none yet and stop the page."""
    campaign = current_campaign()
    if campaign is None:
        st.info(tr("pages.common.no_campaign"))
        st.stop()
        raise AssertionError("unreachable")  # st.stop raises; this keeps mypy's narrowing
    return campaign


# --- messages that survive a rerun ---------------------------------------------------------


def flash(message: str, kind: FlashKind = "success") -> None:
    """Show ``message`` at the top of the next run (a rerun would otherwise wipe it)."""
    st.session_state.setdefault(FLASH_KEY, []).append((kind, message))


def show_flash() -> None:
    """Show and forget the messages ``flash`` kept."""
    for kind, message in st.session_state.pop(FLASH_KEY, []):
        getattr(st, kind)(message)


# --- field errors --------------------------------------------------------------------------


def field_errors(form_key: str) -> dict[str, str]:
    """The validation errors last shown for the form ``form_key`` (field path → message)."""
    errors = st.session_state.get(ERRORS_PREFIX + form_key)
    return dict(errors) if isinstance(errors, dict) else {}


def set_field_errors(form_key: str, errors: dict[str, str]) -> None:
    """Remember errors to show next to the fields of ``form_key`` (empty clears them)."""
    st.session_state[ERRORS_PREFIX + form_key] = dict(errors)


# --- errors ----------------------------------------------------------------------------------


@contextmanager
def guarded(*, form_key: str | None = None) -> Iterator[None]:
    """Run a block and turn any error into a message in the user's language; never a traceback.

    ``ValidationFailed`` also puts its messages next to the fields of ``form_key``.
    """
    try:
        yield
    except ValidationFailed as exc:
        if form_key:  # rerun so each message shows under its field, the form refilled
            set_field_errors(form_key, exc.errors)
            flash(tr("pages.error.validation", count=len(exc.errors)), "error")
            st.rerun()
        st.error(tr("pages.error.validation", count=len(exc.errors)))
        st.markdown("\n".join(f"- {escape_markdown(m)}" for m in exc.errors.values()))
    except VanguardError as exc:
        st.error(escape_markdown(exc.message(lang())))
    except Exception:
        log.exception("unexpected error in a page")
        st.error(tr("pages.error.unexpected"))


def run(
    action: Callable[..., T],
    *args: Any,
    success: str | None = None,
    form_key: str | None = None,
    **kwargs: Any,
) -> T | None:
    """Call ``action(*args, **kwargs)`` under ``guarded``; its result, or None when it failed.

    ``success`` is flashed (shown after the next rerun too) when the action went through.
    """
    with guarded(form_key=form_key):
        result = action(*args, **kwargs)
        if form_key:
            set_field_errors(form_key, {})
        if success:
            flash(success)
        return result
    return None


# --- first run and the sidebar -----------------------------------------------------------------


def needs_setup() -> bool:
    """True on an empty store: no administrator yet, so the setup screen is the only page."""
    return services().setup.needs_setup()


def _on_language_change() -> None:
    chosen = st.session_state.get("vg_lang_select", "zh")
    st.session_state[LANG_KEY] = chosen
    user = current_user()
    if user is not None and chosen != user.lang:
        updated = run(services().accounts.set_language, user, chosen)
        if updated is not None:
            st.session_state[USER_OBJ_KEY] = updated.model_copy(update={"password_hash": ""})


def sidebar() -> None:
    """The signed-in user, the language switch and the logout button."""
    with st.sidebar:
        user = current_user()
        if user is not None:
            st.markdown(f"**{escape_markdown(user.display_name)}** · {role_label(user.role)}")
        st.session_state["vg_lang_select"] = lang()
        st.selectbox(
            tr("pages.sidebar.language"),
            options=["zh", "en"],
            format_func=lambda code: "中文" if code == "zh" else "English",
            key="vg_lang_select",
            on_change=_on_language_change,
        )
        if user is not None and st.button(tr("pages.sidebar.logout"), key="vg_logout"):
            sign_out()
            st.rerun()


def field_error(errors: dict[str, str], name: str) -> None:
    """Show the error for field ``name`` (if any) right below its widget."""
    message = errors.get(name) or next(
        (text for path, text in errors.items() if path.startswith(name + ".")), None
    )
    if message:
        st.error(escape_markdown(message))


def demo_passwords() -> dict[str, str]:
    """The demo logins and passwords made by "载入演示数据" in this browser session, else empty.

    Demo passwords are random and stored only as argon2 hashes, so they are shown only in the
    session that loaded the demo (kept across logout, forgotten when the browser tab closes).
    """
    shown = st.session_state.get(DEMO_KEY)
    return dict(shown) if isinstance(shown, dict) else {}


def remember_demo_passwords(passwords: dict[str, str]) -> None:
    """Keep the demo accounts' passwords for the login page of this session."""
    st.session_state[DEMO_KEY] = dict(passwords)
