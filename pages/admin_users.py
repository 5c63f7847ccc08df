"""Admin: user accounts — list, create with role and branch, change, reset a password."""

from __future__ import annotations

from typing import Any

import streamlit as st

from forms.renderer import clear_form, render_form
from forms.specs import describe
from pages.account_import_panel import draw_import
from pages.common import (
    SESSION_KEY,
    USER_OBJ_KEY,
    field_errors,
    flash,
    guarded,
    lang,
    require_role,
    role_label,
    services,
    set_field_errors,
    tr,
)
from workflow.admin_inputs import NEW_ACCOUNT, NO_BRANCH, account_inputs
from workflow.models import Role

user = require_role(Role.ADMIN)
st.title(tr("pages.users.title"))

branches = {b.id: b.name for b in services().branches.list()}
users = services().accounts.list_users(user)
create_model, edit_model, reset_model = account_inputs(
    tuple(branches.items()), tuple(u.login for u in users)
)
labels = {spec.name: spec.label(lang()) for spec in describe(create_model)}
labels.update({spec.name: spec.label(lang()) for spec in describe(edit_model)})
st.dataframe(
    [
        {
            labels["login"]: u.login,
            labels["display_name"]: u.display_name,
            labels["role"]: role_label(u.role),
            labels["branch_id"]: branches.get(u.branch_id or "", ""),
            labels["active"]: "✓" if u.active else "✗",
        }
        for u in users
    ],
    hide_index=True,
)


def _form(
    errors: str, form_key: str, model: Any, data: dict[str, Any], submit: str
) -> dict[str, Any] | None:
    """Draw ``model`` in a form with the errors kept under ``errors``; its values once
    submitted, else None."""
    with st.form(form_key):
        values = render_form(model, data, key=form_key, lang=lang(), errors=field_errors(errors))
        submitted = st.form_submit_button(submit, type="primary")
    return dict(values) if submitted else None


def _done(errors: str, form_key: str, message: str) -> None:
    """After a save: forget the errors and what was typed (passwords too), say so, rerun."""
    set_field_errors(errors, {})
    clear_form(form_key)
    flash(message)
    st.rerun()


create_tab, edit_tab, password_tab, import_tab = st.tabs(
    [
        tr("pages.users.create"),
        tr("pages.users.edit"),
        tr("pages.users.reset_password"),
        tr("pages.users.import"),
    ]
)
with create_tab:
    values = _form(
        "user_create", "user_create", create_model, NEW_ACCOUNT, tr("pages.users.create")
    )
    if values is not None:
        with guarded(form_key="user_create"):
            services().accounts.create_user(
                user,
                login=values["login"],
                display_name=values["display_name"],
                role=values["role"] or Role.BRANCH,
                password=values["password"],
                branch_id=values["branch_id"] or None,
            )
            _done(
                "user_create", "user_create", tr("pages.common.saved_named", name=values["login"])
            )

by_login = {u.login: u for u in users}
with edit_tab:
    picked = st.selectbox(tr("pages.users.pick"), list(by_login), key="user_pick")
    target = by_login[picked]
    data = {**target.model_dump(mode="json"), "branch_id": target.branch_id or NO_BRANCH}
    values = _form("user_edit", f"user_edit:{picked}", edit_model, data, tr("pages.common.save"))
    if values is not None:
        changed = target.model_copy(
            update={
                "display_name": values["display_name"],
                "role": Role(values["role"]) if values["role"] else target.role,
                "branch_id": values["branch_id"] or None,
                "active": values["active"],
            }
        )
        with guarded(form_key="user_edit"):
            services().accounts.update_user(user, changed, target.rev)
            _done("user_edit", f"user_edit:{picked}", tr("pages.common.saved_named", name=picked))

with password_tab:
    first = {"login": next(iter(by_login))}
    values = _form(
        "user_password", "user_password", reset_model, first, tr("pages.users.reset_password")
    )
    if values is not None:
        with guarded(form_key="user_password"):
            login = values["login"] or ""
            changed = services().accounts.set_password(
                user, login, values["password"], keep_session=st.session_state.get(SESSION_KEY)
            )
            if changed.login == user.login:  # this session stays; the others end
                st.session_state[USER_OBJ_KEY] = changed
            _done("user_password", "user_password", tr("pages.users.password_set", login=login))

with import_tab:
    draw_import(user)
