"""Buttons whose action is weighty (approve, return, restore an old version, delete) ask first.

``confirmed_button`` draws the button; a click opens an ``st.dialog`` that says what will
happen and how to undo it, with 确认 and 取消. Only 确认 runs the action, under ``guarded``,
and any error it raises is shown in the dialog, beside the button that caused it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import streamlit as st

from pages.common import guarded, tr


def confirmed_button(
    label: str,
    *,
    key: str,
    consequence: str,
    action: Callable[[], Any],
    kind: Literal["primary", "secondary"] = "secondary",
    where: Any = None,
) -> None:
    """A button ``label`` that runs ``action`` only after the user confirmed ``consequence``.

    ``action`` should end with ``st.rerun()`` (after a ``flash``) so the dialog closes on
    success; ``where`` is the container (a column) to draw the button in.
    """
    area = where if where is not None else st
    asking = f"{key}:asking"  # the dialog stays open across reruns until confirmed or closed
    if area.button(label, key=key, type=kind):
        st.session_state[asking] = True
    if st.session_state.get(asking):
        _ask(label, key, consequence, action)


def _ask(label: str, key: str, consequence: str, action: Callable[[], Any]) -> None:
    asking = f"{key}:asking"

    def close() -> None:
        st.session_state.pop(asking, None)

    @st.dialog(tr("pages.confirm.title", action=label), on_dismiss=close)
    def ask() -> None:
        st.markdown(consequence)
        st.caption(tr("pages.confirm.undo"))
        yes, no = st.columns(2)
        if yes.button(tr("pages.confirm.yes", action=label), key=f"{key}:yes", type="primary"):
            close()
            with guarded():
                action()
            st.session_state[asking] = True  # it failed: the dialog stays, the error in it
        if no.button(tr("pages.confirm.no"), key=f"{key}:no"):
            close()
            st.rerun()

    ask()
