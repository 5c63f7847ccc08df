"""My account: who I am, and changing my own password (the current one, then the new one
twice, its strength shown as typed). The other browsers signed in to this account are signed
out; this one stays."""

from __future__ import annotations

import streamlit as st

from forms.renderer import escape_markdown
from pages.common import (
    SESSION_KEY,
    USER_OBJ_KEY,
    field_error,
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
from workflow.models import Role
from workflow.passwords import policy, strength

ERRORS = "account_password"
FIELDS = ("pw_old", "pw_new", "pw_again")

user = require_role(*Role)
st.title(tr("pages.account.title"))
branch = next((b for b in services().branches.list() if b.id == user.branch_id), None)
st.markdown(
    tr(
        "pages.account.who",
        login=escape_markdown(user.login),
        name=escape_markdown(user.display_name),
        role=role_label(user.role),
    )
    + (tr("pages.account.branch", branch=escape_markdown(branch.name)) if branch else "")
)

st.subheader(tr("pages.account.change_password"))
errors = field_errors(ERRORS)
with st.container(border=True):
    old = st.text_input(tr("pages.account.old_password"), type="password", key="pw_old")
    field_error(errors, "old_password")
    new = st.text_input(
        tr("pages.account.new_password"), type="password", key="pw_new", help=policy(lang())
    )
    if new:
        measured = strength(new, user.login, lang())
        colour = ("red", "orange", "blue", "green")[measured.level]
        st.markdown(  # a space before the colour directive: "强度::green[…]" would not parse
            f"{tr('pages.account.strength')} :{colour}[**{measured.label}**]"
            + (f" — {escape_markdown(measured.problem)}" if measured.problem else "")
        )
        st.progress(measured.level / 3)
    else:
        st.caption(policy(lang()))
    field_error(errors, "new_password")
    again = st.text_input(tr("pages.account.new_again"), type="password", key="pw_again")
    field_error(errors, "new_again")
    if st.button(tr("pages.account.submit"), type="primary", key="pw_submit"):
        if new != again:
            set_field_errors(ERRORS, {"new_again": tr("workflow.password.mismatch")})
            st.rerun()
        with guarded(form_key=ERRORS):
            changed = services().accounts.change_own_password(
                user,
                old,
                new,
                keep_session=st.session_state.get(SESSION_KEY),
                address=st.context.ip_address or "",
            )
            st.session_state[USER_OBJ_KEY] = changed  # this browser stays signed in
            set_field_errors(ERRORS, {})
            for key in FIELDS:  # typed passwords are not kept
                del st.session_state[key]
            flash(tr("pages.account.changed"))
            st.rerun()
