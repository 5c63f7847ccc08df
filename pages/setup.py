"""First run: create the first administrator, or load the demo campaign; both need the setup
token the server printed on its console (a link with ``?token=`` fills it in, as Jupyter's)."""

from __future__ import annotations

import streamlit as st

from pages.common import (
    field_error,
    field_errors,
    flash,
    guarded,
    lang,
    remember_demo_passwords,
    services,
    set_field_errors,
    tr,
)
from workflow.passwords import policy

st.title(tr("app.title"))
st.info(tr("pages.setup.intro"))
token = st.text_input(
    tr("pages.setup.token"),
    value=str(st.query_params.get("token", "")),
    type="password",
    help=tr("pages.setup.token_help"),
    key="setup_token",
)

admin_col, demo_col = st.columns(2)

with admin_col:
    st.subheader(tr("pages.setup.admin_title"))
    errors = field_errors("setup_admin")
    with st.form("setup_admin"):
        login = st.text_input(tr("pages.setup.login"), help=tr("workflow.field.login_help"))
        field_error(errors, "login")
        name = st.text_input(tr("pages.setup.display_name"))
        field_error(errors, "display_name")
        password = st.text_input(tr("pages.setup.password"), type="password", help=policy(lang()))
        field_error(errors, "password")
        again = st.text_input(tr("pages.setup.password_again"), type="password")
        create = st.form_submit_button(tr("pages.setup.create_admin"), type="primary")
    if create:
        if password != again:
            set_field_errors("setup_admin", {"password": tr("workflow.password.mismatch")})
            st.rerun()
        with guarded(form_key="setup_admin"):
            services().setup.create_first_admin(
                token=token, login=login.strip(), display_name=name.strip(), password=password
            )
            set_field_errors("setup_admin", {})
            flash(tr("pages.setup.admin_created"))
            st.rerun()

with demo_col:
    st.subheader(tr("pages.setup.demo_title"))
    st.write(tr("pages.setup.demo_intro"))
    if st.button(tr("pages.setup.load_demo"), key="load_demo"):
        with guarded():
            remember_demo_passwords(services().setup.seed_demo(token=token))
            flash(tr("pages.setup.demo_loaded"))
            st.rerun()
