"""Admin: user accounts — list, create with role and branch, change, reset a password."""

from __future__ import annotations

import streamlit as st

from pages.common import (
    field_error,
    field_errors,
    flash,
    guarded,
    require_role,
    role_label,
    services,
    set_field_errors,
    tr,
)
from workflow.models import Role

user = require_role(Role.ADMIN)
st.title(tr("pages.users.title"))
NONE = ""

branches = {b.id: b.name for b in services().branches.list()}
users = services().accounts.list_users(user)
st.dataframe(
    [
        {
            tr("pages.users.login"): u.login,
            tr("pages.users.display_name"): u.display_name,
            tr("pages.users.role"): role_label(u.role),
            tr("pages.users.branch"): branches.get(u.branch_id or "", ""),
            tr("pages.users.active"): "✓" if u.active else "✗",
        }
        for u in users
    ],
    hide_index=True,
)


def _branch_select(label_key: str, key: str, current: str | None = None) -> str:
    options = [NONE, *branches]
    return str(
        st.selectbox(
            tr(label_key),
            options,
            index=options.index(current) if current in options else 0,
            format_func=lambda b: tr("pages.users.no_branch") if b == NONE else branches[b],
            key=key,
        )
    )


create_tab, edit_tab, password_tab = st.tabs(
    [tr("pages.users.create"), tr("pages.users.edit"), tr("pages.users.reset_password")]
)
with create_tab:
    errors = field_errors("user_create")
    with st.form("user_create"):
        login = st.text_input(tr("pages.users.login"), help=tr("pages.setup.login_help"))
        field_error(errors, "login")
        name = st.text_input(tr("pages.users.display_name"))
        field_error(errors, "display_name")
        role = st.selectbox(tr("pages.users.role"), list(Role), format_func=role_label)
        field_error(errors, "role")
        branch_id = _branch_select("pages.users.branch", "create_branch")
        field_error(errors, "branch_id")
        password = st.text_input(tr("pages.users.password"), type="password")
        field_error(errors, "password")
        create = st.form_submit_button(tr("pages.users.create"), type="primary")
    if create:
        with guarded(form_key="user_create"):
            services().accounts.create_user(
                user,
                login=login,
                display_name=name,
                role=role or Role.BRANCH,
                password=password,
                branch_id=branch_id or None,
            )
            set_field_errors("user_create", {})
            flash(tr("pages.common.saved_named", name=login))
            st.rerun()

by_login = {u.login: u for u in users}
with edit_tab:
    picked = st.selectbox(tr("pages.users.pick"), list(by_login), key="user_pick")
    target = by_login[picked]
    errors = field_errors("user_edit")
    with st.form(f"user_edit:{picked}"):
        name = st.text_input(tr("pages.users.display_name"), value=target.display_name)
        field_error(errors, "display_name")
        roles = list(Role)
        role = st.selectbox(
            tr("pages.users.role"), roles, index=roles.index(target.role), format_func=role_label
        )
        field_error(errors, "role")
        branch_id = _branch_select("pages.users.branch", f"edit_branch:{picked}", target.branch_id)
        field_error(errors, "branch_id")
        active = st.checkbox(tr("pages.users.active"), value=target.active)
        save = st.form_submit_button(tr("pages.common.save"), type="primary")
    if save:
        changed = target.model_copy(
            update={
                "display_name": name,
                "role": role,
                "branch_id": branch_id or None,
                "active": active,
            }
        )
        with guarded(form_key="user_edit"):
            services().accounts.update_user(user, changed, target.rev)
            set_field_errors("user_edit", {})
            flash(tr("pages.common.saved_named", name=picked))
            st.rerun()

with password_tab:
    errors = field_errors("user_password")
    with st.form("user_password"):
        who = st.selectbox(tr("pages.users.pick"), list(by_login))
        new_password = st.text_input(tr("pages.users.new_password"), type="password")
        field_error(errors, "password")
        reset = st.form_submit_button(tr("pages.users.reset_password"), type="primary")
    if reset:
        with guarded(form_key="user_password"):
            services().accounts.set_password(user, who, new_password)
            set_field_errors("user_password", {})
            flash(tr("pages.users.password_set", login=who))
            st.rerun()
