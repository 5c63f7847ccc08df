"""Login: local accounts checked with argon2 by the account service."""

from __future__ import annotations

import streamlit as st

from pages.common import demo_passwords, guarded, services, sign_in, tr
from workflow.setup import demo_branches

st.title(tr("app.title"))
st.subheader(tr("pages.login.title"))

with st.form("login"):
    login = st.text_input(tr("pages.login.login"), key="login_name")
    password = st.text_input(tr("pages.login.password"), type="password", key="login_password")
    submitted = st.form_submit_button(tr("pages.login.submit"), type="primary")

if submitted:
    with guarded():
        if not login.strip() or not password:
            st.error(tr("pages.login.missing"))
        else:
            address = st.context.ip_address or ""  # counted for the growing delays
            user = services().accounts.authenticate(login.strip(), password, address=address)
            sign_in(user)
            st.rerun()

with guarded():
    shown = demo_passwords()
    if shown:
        st.info(tr("pages.login.demo_hint"))
        branch_of = demo_branches()
        st.table(
            {
                tr("pages.login.login"): list(shown),
                tr("pages.login.password"): list(shown.values()),
                tr("workflow.field.branch_id"): [branch_of.get(login, "") for login in shown],
            }
        )
